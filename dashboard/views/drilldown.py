"""Drill-down, at the bottom of the review: one KPI's value per business unit (or per team of a
unit), then the rows behind the value — the use cases waiting in the queue, the solutions with
their usage, the business teams with their active champions (issue 10).

It follows the sidebar: under a business unit it starts at that unit, under a team at that team.
The KPI picked is kept in the URL (`kpi`, its label), so a link reopens the same drill-down; a link may
also name it by its CLI id, and one naming no KPI says so.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from aiorg_metrics.analysis import drilldown
from aiorg_metrics.display import tables, team_scope
from aiorg_metrics.display.scorecard import ATTENTION
from aiorg_metrics.display.styles import STATUS_STYLES
from aiorg_metrics.display.wording import format_target, format_value
from aiorg_metrics.kpi import BY_ID, KPIS, Kpi, KpiResult, Scope
from aiorg_metrics.kpi.relations import UNASSIGNED
from aiorg_metrics.kpi.status import Status
from dashboard import access, cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views import decisions
from dashboard.views.scoped import team_names
from dashboard.widgets import md

KPI_KEY, SCOPE_KEY = "kpi", "drill-scope"
ORG = "org"
WHOLE = "Whole organization"
CHILD = {Scope.ORG: Scope.BUSINESS_UNIT, Scope.BUSINESS_UNIT: Scope.TEAM}
HEADING = {Scope.BUSINESS_UNIT: "Business unit", Scope.TEAM: "Team", Scope.AI_TEAM: "Serving AI team"}


class _View:
    """What every part of the drill-down reads: the store, the quarter, the team names."""

    def __init__(self, state: DataState, filters: Filters) -> None:
        self.state, self.filters, self.quarter = state, filters, str(filters.quarter)
        self.names = team_names(state)

    def results(self, by: str) -> list[KpiResult]:
        return cached.kpi_results(self.state.db, self.state.version, self.quarter, by)

    def name(self, scope: str) -> str:
        """A readable name of a scope string ("org", "business_unit:Insurance", "team:INS-CLM")."""
        if scope == ORG:
            return WHOLE
        kind, value = scope.split(":", 1)
        if kind == Scope.AI_TEAM.value:
            return "no AI team assigned" if value == UNASSIGNED else self.names.get(value, value)
        return self.names.get(value, value)


def drilldown_section(state: DataState, filters: Filters) -> None:
    """The drill-down: pick a KPI, see it one level down, then the rows behind its value."""
    view = _View(state, filters)
    with st.container(border=True, key="drill-down"):
        st.markdown("##### :material/zoom_in: Drill-down",
                    help="A KPI's value one level down (business units, or the teams of a business unit), with "
                         "each one's status, then the rows the value is computed from.")
        linked = st.query_params.get(KPI_KEY) is not None and st.query_params.get(KPI_KEY) not in LABELS
        spec = _pick_kpi(view)
        scope = _pick_scope(view, spec)
        _breakdown(view, spec, scope)
        if spec.id in drilldown.DRILLABLE and scope == ORG and _locked():
            st.caption("The rows behind a value are open to you for your own team: choose it in the sidebar.")
        elif spec.id in drilldown.DRILLABLE:
            _rows_behind(view, spec, scope)
        else:
            st.caption("Rows behind the value are listed for the demand queue, the adoption of deployed solutions "
                       "and the two champion coverage KPIs.")
        decisions.drill_entry(state, spec.id, scope, filters.quarter)
    if linked:
        _scroll_into_view()


# A card's "Drill down" link reloads the page with `kpi=<id>`; the section sits at the bottom, so bring it
# into view (twice: the charts above it still change the layout after the first paint).
_SCROLL = ("<script>const go = () => document.querySelector('.st-key-drill-down')?.scrollIntoView({block: 'start'});"
           "setTimeout(go, 300); setTimeout(go, 1500);</script>")


def _scroll_into_view() -> None:
    st.html(_SCROLL, unsafe_allow_javascript=True)


# --- picking -------------------------------------------------------------------------------------------


def _off_target_somewhere(view: _View, spec: Kpi) -> bool:
    """Whether `spec` is red or amber at the sidebar's scope or one level under it."""
    start = _start(view.filters)
    rows = [_result_at(view, spec, start), *_children(view, spec, start)[1]]
    return any(r is not None and r.status in ATTENTION for r in rows)


def _kpi_in_link(labels: Sequence[str], first: Kpi) -> str | None:
    """The KPI a link's `kpi` value opens when it is not a label: a KPI's CLI id opens that KPI; anything
    else opens `first`, and the page says so. None when the link names a label, or no KPI."""
    asked = st.query_params.get(KPI_KEY)
    if asked is None or asked in labels:
        return None
    spec = BY_ID.get(asked.strip().lower())
    if spec is None:
        shown = md(asked if len(asked) <= 40 else asked[:40] + "…")
        st.warning(f"The link asks for KPI “{shown}”, which is not a KPI: showing {md(first.label)} instead. A "
                   "link names a KPI as the select below shows it, or by its id for the command line "
                   f"(`{drilldown.ADOPTION}`).", icon=":material/link_off:")
    st.session_state[KPI_KEY] = (spec or first).label
    return (spec or first).label


LABELS = tuple(k.label for k in KPIS)


def _pick_kpi(view: _View) -> Kpi:
    labels = list(LABELS)
    drillable = [k for k in KPIS if k.id in drilldown.DRILLABLE]
    first = next((k for k in drillable if _off_target_somewhere(view, k)), drillable[0])
    # A value set from the link carries no default index: the widget refuses both at once.
    from_link = _kpi_in_link(labels, first)
    label = st.selectbox("KPI", labels, index=None if from_link else labels.index(first.label), key=KPI_KEY,
                         bind="query-params",
                         help="Opens on the first KPI with rows behind it that is off target here or one level "
                              "down.")
    return KPIS[labels.index(label)] if label in labels else first


def _start(filters: Filters) -> str:
    if filters.team_id:
        return f"team:{filters.team_id}"
    return f"business_unit:{filters.business_unit}" if filters.business_unit else ORG


def _locked() -> bool:
    """Whether this reader is locked to their own team (a champion): no other team or unit to look at."""
    return team_scope.champion_scoped(access.current_rights())


def _scope_options(view: _View, spec: Kpi) -> list[str]:
    """The sidebar's scope, then the business units and teams under it (the AI teams too for the queue)."""
    start = _start(view.filters)
    if view.filters.team_id or _locked():
        return [start]  # a champion: their own team or the organization, as the sidebar locks it
    directory = cached.teams(view.state.db, view.state.version)
    if view.filters.business_unit:
        directory = directory[directory["business_unit"] == view.filters.business_unit]
    units = [] if view.filters.business_unit else [f"business_unit:{u}" for u in directory["business_unit"].unique()]
    kinds = spec.team_kinds or ("business", "ai_hub", "ai_spoke")
    teams = [f"team:{t}" for t, kind in zip(directory["team_id"], directory["team_kind"], strict=True) if kind in kinds]
    ai = []
    if spec.id == drilldown.QUEUE and not view.filters.business_unit:
        ai = [f"ai_team:{r.scope_value}" for r in view.results("ai_team")
              if r.kpi == spec.id and r.scope_type is Scope.AI_TEAM and not _empty(r)]
    return [start, *units, *teams, *ai]


def _option_label(view: _View, scope: str) -> str:
    if scope.startswith("team:"):
        unit = cached.team_units(view.state.db, view.state.version).get(scope.split(":", 1)[1])
        return f"{unit} › {view.name(scope)}" if unit is not None else view.name(scope)
    if scope.startswith(f"{Scope.AI_TEAM.value}:"):
        return f"{view.name(scope)} (serving AI team)"
    return view.name(scope)


def _pick_scope(view: _View, spec: Kpi) -> str:
    options = _scope_options(view, spec)
    if len(options) == 1:
        return options[0]
    if st.session_state.get(SCOPE_KEY) not in options:
        st.session_state[SCOPE_KEY] = options[0]
    return st.selectbox("Look at", options, key=SCOPE_KEY, format_func=lambda s: _option_label(view, s),
                        help="Narrow the drill-down to a business unit or a team under the sidebar's selection"
                             + (" (or to the AI team serving the queue)" if spec.id == drilldown.QUEUE else "")
                             + ".")


# --- one level down --------------------------------------------------------------------------------------


def _result_at(view: _View, spec: Kpi, scope: str) -> KpiResult | None:
    by = {ORG: "business_unit"}.get(scope, scope.split(":", 1)[0])
    return next((r for r in view.results(by) if r.kpi == spec.id and r.scope == scope), None)


def _empty(result: KpiResult) -> bool:
    """A unit with nothing to count (the AI-only "Group" unit for a business-team KPI, an empty
    "unknown team" group): no row in the table. A withheld value keeps its n, and its row."""
    return result.status is Status.NO_DATA and not result.n and not result.denominator


def _children(view: _View, spec: Kpi, scope: str) -> tuple[Scope | None, list[KpiResult]]:
    """The results one level under `scope` (business units under the organization, teams under a unit)."""
    child = CHILD.get(Scope.ORG if scope == ORG else Scope(scope.split(":", 1)[0]))
    if child is None or child not in spec.scopes:
        return child, []
    rows = [r for r in view.results(child.value) if r.kpi == spec.id and r.scope_type is child and not _empty(r)]
    if child is Scope.TEAM:
        directory = cached.teams(view.state.db, view.state.version)
        unit = scope.split(":", 1)[1]
        mine = set(directory.loc[directory["business_unit"] == unit, "team_id"])
        rows = [r for r in rows if r.scope_value in mine]
    return child, sorted(rows, key=lambda r: (-STATUS_STYLES[r.status].rank, view.name(r.scope)))


def _table(view: _View, spec: Kpi, heading: str, rows: Sequence[KpiResult]) -> None:
    named = [(view.name(r.scope) + (" (whole unit)" if r.scope_type is Scope.BUSINESS_UNIT and heading == "Team"
                                    else ""), r) for r in rows]
    st.dataframe(tables.kpi_breakdown(spec, named, heading), hide_index=True, width="stretch")


def _breakdown(view: _View, spec: Kpi, scope: str) -> None:
    own = _result_at(view, spec, scope)
    child, rows = _children(view, spec, scope)
    if own is None:
        st.info(f"{md(spec.label)} has no value for {md(_option_label(view, scope))}: the KPI is not computed at "
                "that level.", icon=":material/info:")
        return
    head = HEADING.get(child, "Scope") if child else HEADING.get(own.scope_type, "Scope")
    _table(view, spec, head, [own, *rows])
    if child is not None and not rows:
        level = "team" if child is Scope.TEAM else "business unit"
        st.caption(f"{md(spec.label)} has no value per {level}: only the total above.")
    if spec.id == drilldown.QUEUE and scope == ORG:
        serving = [r for r in view.results("ai_team")
                   if r.kpi == spec.id and r.scope_type is Scope.AI_TEAM and not _empty(r)]
        serving.sort(key=lambda r: (-STATUS_STYLES[r.status].rank, -r.n))
        st.caption("The same queue by the AI team that serves it:")
        _table(view, spec, HEADING[Scope.AI_TEAM], serving)


# --- the rows behind the value ---------------------------------------------------------------------------


def _where(scope: str) -> tuple[str, str | None]:
    if scope == ORG:
        return ORG, None
    kind, value = scope.split(":", 1)
    return kind, value


def _rows_behind(view: _View, spec: Kpi, scope: str) -> None:
    kind, value = _where(scope)
    frame = cached.rows_behind(view.state.db, view.state.version, spec.id, view.quarter, kind, value)
    own = _result_at(view, spec, scope)
    where = _option_label(view, scope)
    if frame.empty:
        st.info(f"Nothing behind this value in {md(where)} for {view.quarter}: {_nothing(spec)}.",
                icon=":material/filter_alt_off:")
        return
    st.markdown(f"**{_headline(spec, frame, own, view.quarter)}** :gray[— {md(where)}]")
    if spec.id == drilldown.QUEUE:
        shown, config = tables.queue_rows(frame), {"Months waiting": st.column_config.NumberColumn(format="%.1f")}
    elif spec.id == drilldown.ADOPTION:
        shown, config = tables.adoption_rows(frame), {"Usage": st.column_config.NumberColumn(
            "Usage (% of target, capped)", format="%.0f%%")}
    else:
        shown, config = tables.champion_team_rows(frame), {}
    if kind in (Scope.BUSINESS_UNIT.value, Scope.TEAM.value):  # one unit: its name is in the headline
        shown = shown.drop(columns="Business unit")
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, key=f"rows-{spec.id}")
    if own is not None and own.note and spec.id == drilldown.ADOPTION:
        st.caption(f"Not listed: {md(own.note)} (they are not counted in the KPI).")


def _nothing(spec: Kpi) -> str:
    if spec.id == drilldown.QUEUE:
        return "no qualified use case is waiting"
    if spec.id == drilldown.ADOPTION:
        return "no solution in production reported usage in the quarter"
    return "no business team here"


def _headline(spec: Kpi, frame: pd.DataFrame, own: KpiResult | None, quarter: str) -> str:
    """What the table lists, in one line with its count (the KPI's n or denominator)."""
    off = int(frame["off_target"].sum())
    value = format_value(spec, own.value, own.target) if own else "–"
    if spec.id == drilldown.QUEUE:
        day = own.as_of if own and own.as_of else None
        when = f"on {day:%d %b %Y}" if day else f"at the end of {quarter}"
        return (f"{len(frame)} use cases waiting {when}, longest first: median {value}, "
                f"{off} past 3 months")
    if spec.id == drilldown.ADOPTION:
        count = drilldown.adopted_count(frame)
        target = format_target(spec, own.target) if own else "the target"
        return f"{count.sentence}; the target ({target}) applies to their average usage, {value}. Lowest first"
    noun = "business team" if len(frame) == 1 else "business teams"
    return f"{len(frame)} {noun}, {off} outside the guide's 1–2 active champions (listed first)"
