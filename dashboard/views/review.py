"""Quarterly review: the executive summary, the status summary, what needs attention (off target, and
hidden by a green total), the CAIO's scorecard (one card per KPI grouped by theme), and the scorecard's
CSV download."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from aiorg_metrics.analysis import drilldown
from aiorg_metrics.analysis.exceptions import hidden_by_totals
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.scorecard import Attention, Card, Contributor, HiddenItem
from aiorg_metrics.display.summary import Sentence, executive_summary
from aiorg_metrics.display.wording import PROVISIONAL, STATUS_STYLES, day_month
from aiorg_metrics.display.writers import scorecard_table_csv
from aiorg_metrics.kpi import KpiResult, Scope
from aiorg_metrics.kpi.relations import UNASSIGNED
from aiorg_metrics.kpi.status import Status
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards as build_cards
from dashboard.views.scoped import scoped_results, team_names, team_rows, unit_teams
from dashboard.widgets import badge, h, md, render_card

ATTENTION_SHOWN = 4
HIDDEN_SHOWN = 5
CONTRIBUTORS_SHOWN = 4


@dataclass(frozen=True)
class Review:
    """What the review page shows, computed once per run."""

    cards: list[Card]
    attention: list[Attention]
    hidden: list[HiddenItem]
    level: str  # what lies one level down: "business units" or "teams"
    summary: list[Sentence]
    as_of: date | None  # the data's last day when the quarter is in progress
    part_to: date | None  # the data's last day when it stops before the quarter's end (in progress or not)
    left_out: str | None  # the provisional KPIs left out of "needs attention" and the summary, and why


def _below(state: DataState, filters: Filters, results: list[KpiResult]) -> tuple[list[KpiResult], str]:
    """The results one level under the selection: business units under the organization, the teams of
    a selected business unit, nothing under a team."""
    if filters.team_id:
        return [], "teams"
    if filters.business_unit:
        return team_rows(results, set(unit_teams(state, filters.business_unit)["team_id"])), "teams"
    return [r for r in results if r.scope_type is Scope.BUSINESS_UNIT], "business units"


def _serving(state: DataState, filters: Filters) -> list[KpiResult]:
    """The AI teams' rows (the demand queue's serving teams), at organization scope only: an AI team
    serves several units, so its row would not follow a unit filter."""
    if filters.team_id or filters.business_unit:
        return []
    rows = cached.kpi_results(state.db, state.version, str(filters.quarter), "ai_team")
    return [r for r in rows if r.scope_type is Scope.AI_TEAM]


def _serving_owners(state: DataState, filters: Filters, cards: Sequence[Card],
                    names: dict[str, str]) -> dict[str, tuple[Contributor, ...]]:
    """Under a unit or team filter, the AI teams serving the queue off target at that scope, read from its
    waiting use cases (the rows the drill-down lists): an AI team's own row spans every unit it serves."""
    queue = next((c for c in cards if c.kpi.id == drilldown.QUEUE and c.scope_tag is None), None)
    if queue is None or queue.result.scope_type is Scope.ORG or not queue.needs_attention:
        return {}
    rows = cached.rows_behind(state.db, state.version, drilldown.QUEUE, str(filters.quarter),
                              queue.result.scope_type.value, queue.result.scope_value)
    parts = drilldown.serving_parts(rows)
    return {queue.kpi.id: scorecard.serving_from_parts(queue.kpi, queue.result, parts,
                                                       state.settings.amber_tolerance, names)}


def review(state: DataState, filters: Filters) -> Review:
    """Cards at the filters' scope (with the units their green totals hide), the needs-attention lists,
    and the executive summary."""
    results, trend = scoped_results(state, filters)
    cards = build_cards(state, filters, results, trend)
    names = team_names(state) | {UNASSIGNED: scorecard.NO_AI_TEAM}
    below, level = _below(state, filters, results)
    serving = _serving(state, filters)
    totals = [c.result for c in cards if c.scope_tag is None]
    hidden = scorecard.hidden_items(cards, hidden_by_totals(totals, below + serving), names)
    cards = scorecard.with_exceptions(cards, hidden)
    attention = scorecard.needs_attention(cards, below, names, serving,
                                          _serving_owners(state, filters, cards, names))
    as_of = next((c.result.as_of for c in cards if c.result.as_of), None)
    part_to = cached.part_quarter_to(state.db, state.version, filters.quarter)
    summary = executive_summary(cards, attention, hidden, state.settings.amber_tolerance,
                                str(filters.quarter.previous()), partial=part_to is not None,
                                level="teams" if level == "teams" else "units")
    return Review(cards, attention, hidden, level, summary, as_of, part_to, scorecard.left_out_text(cards))


def _sentence(s: Sentence) -> str:
    """A summary sentence as markdown: its lead and the KPIs it names in bold."""
    if not s.points:
        return md(s.lead)
    points = "; ".join(f"**{md(p.label)}** {md(p.text)}" for p in s.shown)
    return f"**{md(s.lead)}**: {points}" + (f"; and {s.more} more" if s.more else "") + "."


def summary_box(sentences: Sequence[Sentence]) -> None:
    """The executive summary: a few generated sentences, most telling first."""
    with st.container(border=True, key="executive-summary"):
        st.markdown("##### :material/summarize: Summary",
                    help="Generated from the KPIs below: what crossed its target since the previous quarter "
                         "(the previous value graded against the same target), what is furthest from target "
                         "with who owns it, the units a green total hides, and the largest moves.")
        st.markdown("\n".join(f"- {_sentence(s)}" for s in sentences))


def status_summary(cards: Sequence[Card]) -> None:
    """One line counting the cards of each status, most urgent first."""
    counts = scorecard.status_summary(cards)
    parts = [badge(status, text=f"{n} {STATUS_STYLES[status].word.lower()}") for status, n in counts.items() if n]
    if provisional := sum(c.provisional for c in cards):
        parts.append(badge(Status.INFO, text=f"{provisional} {PROVISIONAL.lower()}"))
    st.markdown(" ".join(parts) + f" — {len(cards)} KPIs")


def _units(units: Sequence[Contributor], shares: bool = True) -> str:
    """Units one level down as "Insurance ✕ 42% (31%)" (share of the shortfall) or with their detail."""
    def one(u: Contributor) -> str:
        extra = f"{u.share:.0%}" if shares and u.share is not None else u.detail
        return f"{md(u.name)} {STATUS_STYLES[u.status].symbol} {md(u.value)}" + (f" ({md(extra)})" if extra else "")
    more = len(units) - CONTRIBUTORS_SHOWN
    return " · ".join(one(u) for u in units[:CONTRIBUTORS_SHOWN]) + (f" · {more} more" if more > 0 else "")


def _headline(c: Card, gap: str = "") -> str:
    to_date = " to date" if c.in_progress else ""
    gap = f" · {md(gap)}" if gap else ""
    return f"{badge(c.status)} **{md(c.kpi.label)}** {md(c.value)}{to_date} :gray[(target {md(c.target)}{gap})]"


def _attention_line(item: Attention, level: str) -> str:
    line = _headline(item.card, item.distance_text)
    if item.serving:
        line += f"  \nServing AI team: {_units(item.serving, shares=False)}"
        level = f"requesting {level}"
    if item.contributors:
        line += f"  \n:gray[{level.capitalize()} short of target (share of the shortfall): {_units(item.contributors)}]"
    return line


def _hidden_line(item: HiddenItem, level: str) -> str:
    return f"{_headline(item.card)}  \n:gray[Off target among its {level}:] {_units(item.below, shares=False)}"


def _listing(lines: Sequence[str], shown: int) -> None:
    """Bullets: the first `shown`, the others in an expander ("N more")."""
    st.markdown("\n".join(f"- {line}" for line in lines[:shown]))
    if len(lines) > shown:
        with st.expander(f"{len(lines) - shown} more"):
            st.markdown("\n".join(f"- {line}" for line in lines[shown:]))


def attention_list(items: Sequence[Attention], hidden: Sequence[HiddenItem], level: str,
                   left_out: str | None = None) -> None:
    """The "needs attention" lists: the KPIs off target or to watch (red before amber, then by relative
    distance to the violated bound), each with its owners; then the green totals that hide units off
    target, by the size of the largest gap; then the line naming the provisional KPIs `left_out`."""
    with st.container(border=True, key="needs-attention"):
        st.markdown(f"##### :material/priority_high: Needs attention ({len(items) + len(hidden)})")
        _off_target(items, level)
        _hidden_by_totals(hidden, level)
        if left_out:
            st.caption(f":material/schedule: {md(left_out)}.")


def _off_target(items: Sequence[Attention], level: str) -> None:
    st.markdown(f"**Off target or to watch** ({len(items)})",
                help="Red before amber, then by distance beyond the target's bound relative to that bound. "
                     "For the demand queue, the AI teams serving it come first (they own the wait), with their "
                     f"share of the waiting items. Then the {level} whose own status is red or amber, by their "
                     "share of the shortfall (distance outside their own target weighted by their population: "
                     "the denominator, or n). KPIs shown organization-wide under a filter are not listed.")
    if not items:
        st.markdown("Nothing is red or amber in this view.")
        return
    _listing([_attention_line(i, level) for i in items], ATTENTION_SHOWN)


def _hidden_by_totals(hidden: Sequence[HiddenItem], level: str) -> None:
    if not hidden:
        return
    st.markdown(f"**Hidden by a green total** ({len(hidden)})",
                help=f"KPIs on target for this view while some of its {level} (and, for the demand queue, "
                     "the AI teams serving it) are red or amber, by the size of the largest gap relative to "
                     "the target's bound.")
    _listing([_hidden_line(i, level) for i in hidden], HIDDEN_SHOWN)


def _grid_caption(as_of: date | None, part_to: date | None = None) -> str:
    changes = ("no change against earlier quarters while this quarter is in progress (its values are to "
               f"date, up to {as_of.day} {as_of:%b})" if as_of else
               f"no change against earlier quarters: this quarter's data stops on {day_month(part_to)}"
               if part_to else
               "change against the previous quarter and the same quarter last year (▲ better / ▼ worse "
               "against the target)")
    return (f"Each card: value, population, target and its source, {changes}, and the trend over the quarters "
            "up to this one (green dashed line or band: the target). Hover a KPI's name for its definition; "
            "the KPI glossary has them all.")


def themed_grid(cards: Sequence[Card], per_row: int = 4, as_of: date | None = None,
                part_to: date | None = None) -> None:
    """The scorecard: cards grouped by theme, small themes sharing a row."""
    st.caption(_grid_caption(as_of, part_to))
    for row in scorecard.theme_rows(cards, per_row):
        columns = st.columns(per_row)
        for column, (heading, c) in zip(columns, row, strict=False):
            with column:
                st.markdown(f'<div class="kpi-theme">{h(heading) or "&nbsp;"}</div>', unsafe_allow_html=True)
                render_card(c, drill=True)


def _export_unit(filters: Filters | None) -> str | None:
    """The business unit the CSV follows (the selected one, or the selected team's); None: every unit."""
    if filters is None:
        return None
    return filters.business_unit or filters.team_business_unit


def scorecard_csv(state: DataState, quarter: Quarter, filters: Filters | None = None) -> bytes:
    """The quarter's KPIs as a CSV a spreadsheet opens (labels, words, percents; the dialect of the setting
    `csv_dialect`), following the sidebar's selection: the organization and every business unit; under a
    unit, the organization, the unit and its teams; under a team, the organization, its unit and the team."""
    unit = _export_unit(filters)
    results = list(cached.kpi_results(state.db, state.version, str(quarter), "business_unit"))
    teams: set[str] = set()
    if filters is not None and unit is not None:
        results += cached.kpi_results(state.db, state.version, str(quarter), "team")
        teams = {filters.team_id} if filters.team_id else set(unit_teams(state, unit)["team_id"])
    rows = scorecard.export_rows(results, unit, teams)
    return scorecard_table_csv(rows, team_names(state) if teams else None, state.settings.csv_dialect)


def review_download(state: DataState, filters: Filters) -> None:
    """The button that downloads the quarter's scorecard as CSV, for the selection it names."""
    quarter, unit = filters.quarter, _export_unit(filters)
    what = scorecard.export_scope(unit, filters.team_name)
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"-{unit}-{filters.team_name or ''}".lower()).rstrip("-")
    st.download_button(
        f"Download the {quarter} scorecard: {what} (CSV)", scorecard_csv(state, quarter, filters),
        icon=":material/download:", file_name=f"kpis-{quarter}{slug if unit else ''}.csv", mime="text/csv",
        key="review-download",
        help=f"Every KPI with its target, status, previous and year-ago values, for the {what}, following the "
             "sidebar's business unit and team. Written for the spreadsheet chosen on the Settings page (CSV "
             "downloads); shares are percents. For the engine's own rows, use "
             "`python -m aiorg_metrics kpis --format csv`.",
    )
