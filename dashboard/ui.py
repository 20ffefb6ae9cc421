"""The Streamlit side of the app: store and settings access, caching, the shared sidebar
filters (bound to the URL), and the few rendering helpers every page uses.

Caching: every engine call is cached with `st.cache_data` on (store path, data version,
settings file modification time), so an import or a settings change shows at once and
nothing recomputes otherwise. Pages call the functions here and render; they hold no
SQL, no formulas and no reshaping.
"""

from __future__ import annotations

import html
import io
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from aiorg_metrics import kpi
from aiorg_metrics.analysis import advisor as orgmodel
from aiorg_metrics.analysis import directory as lookups
from aiorg_metrics.analysis import skills
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters, compute_funnel
from aiorg_metrics.cli import default_db
from aiorg_metrics.cli.org import transition_figures
from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.display import figures, scorecard
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.display.wording import STATUS_STYLES, VERDICT_WORDS, model_name, status_word
from aiorg_metrics.ingestion.import_log import data_version, holds_sample
from aiorg_metrics.ingestion.ingest import load_sample
from aiorg_metrics.kpi import KpiResult
from aiorg_metrics.kpi.engine import SPOKE_BANDS
from aiorg_metrics.kpi.settings import Settings, SettingsError, load_settings, locate_settings
from aiorg_metrics.store import implausible
from aiorg_metrics.store.connection import Store, StoreBusyError

ROOT = Path(__file__).resolve().parents[1]  # the repository: dashboard/ is one level down
SAMPLE_DIR = ROOT / "sample_data"
DATA_PAGE = ROOT / "pages" / "data.py"
BUSY_TEXT = "An import is in progress: this page opens as soon as it is finished."
ALL_UNITS = "All business units"
ALL_TEAMS = "All teams"
_SEED_LOCK = threading.Lock()

Version = tuple[int, float]


# --- store, settings, versions -------------------------------------------------------------


def upload_cap_mb() -> int:
    """The server's hard limit for one uploaded file (server.maxUploadSize, in MB)."""
    return int(st.get_option("server.maxUploadSize"))


def store() -> Store:
    """The store of this app: $AIORG_DB, else data/aiorg.duckdb."""
    return Store(default_db())


def seed_sample_if_new(target: Store) -> bool:
    """Create the store from sample_data/ on first start (unless AIORG_NO_SAMPLE is set).

    Returns True when it seeded. Imports are marked as sample in the import log.
    """
    if target.exists() or os.environ.get("AIORG_NO_SAMPLE"):
        return False
    with _SEED_LOCK:
        if target.exists():
            return False
        with st.spinner("First start: loading the sample organization…"):
            load_sample(target, SAMPLE_DIR)
    return True


def _settings_mtime(db: str) -> float:
    path = locate_settings(db).path
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=8)
def _settings(db: str, settings_mtime: float) -> tuple[Settings, str | None]:
    try:
        return load_settings(locate_settings(db)), None
    except SettingsError as exc:
        return Settings(), str(exc)


@dataclass(frozen=True)
class DataState:
    """What every page needs to know about the store, read once per run."""

    db: str
    version: Version
    holds_sample: bool
    freshness: lookups.Freshness
    quarters: tuple[Quarter, ...]
    default_quarter: Quarter | None
    empty_datasets: tuple[str, ...]
    settings: Settings
    settings_error: str | None
    implausible_dates: int = 0  # stored values with a date before 2000 or over a year ahead

    @property
    def covered_text(self) -> str:
        """The quarters the data covers, e.g. "2025-Q1 to 2026-Q4"."""
        return f"{self.quarters[0]} to {self.quarters[-1]}" if self.quarters else "no quarter yet"

    @property
    def has_data(self) -> bool:
        return bool(self.quarters)


@st.cache_data(show_spinner=False, max_entries=8)
def _facts(db: str, version: Version) -> tuple[bool, lookups.Freshness, tuple[Quarter, ...], tuple[str, ...], int]:
    with Store(db).reading() as cur:
        quarters = tuple(kpi.covered_quarters(cur))
        odd = implausible.count_implausible(cur)
        return holds_sample(cur), lookups.freshness(cur), quarters, tuple(lookups.empty_datasets(cur)), odd


def _data_version_waiting(target: Store) -> int:
    """The data version; while another process imports, say so and wait (StoreBusyError after ~10 s)."""
    try:
        with Store(target.path, wait=0.3).reading() as cur:
            return data_version(cur)
    except StoreBusyError:
        waiting = st.spinner("An import is in progress: the page opens as soon as it is finished…")
        with waiting, target.reading() as cur:
            return data_version(cur)


def data_state() -> DataState:
    """Seed on first start, read the data version, and the cached facts for that version."""
    target = store()
    seed_sample_if_new(target)
    db = str(target.path)
    current = _data_version_waiting(target)
    mtime = _settings_mtime(db)
    sample, fresh, quarters, empty, odd = _facts(db, (current, mtime))
    settings, error = _settings(db, mtime)
    default = scorecard.default_quarter(quarters, fresh.last_day) if fresh.last_day else None
    return DataState(db, (current, mtime), sample, fresh, quarters, default, empty, settings, error, odd)


# --- cached engine calls ----------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def kpi_results(db: str, version: Version, quarter: str, by: str | None = None) -> list[KpiResult]:
    """compute(): the quarter's org rows, plus one row per breakdown value with `by`."""
    settings, _ = _settings(db, version[1])
    return kpi.compute(Store(db), quarter, by=by, settings=settings)


def scorecard_csv(state: DataState, quarter: Quarter) -> bytes:
    """The quarter's KPIs, organization then business units, as the `kpis --format csv` file."""
    from aiorg_metrics.cli.kpis import write_csv

    out = io.StringIO()
    write_csv(kpi_results(state.db, state.version, str(quarter), "business_unit"), out)
    return out.getvalue().encode("utf-8-sig")


def review_download(state: DataState, quarter: Quarter) -> None:
    st.download_button(
        f"Download the {quarter} scorecard (CSV)", scorecard_csv(state, quarter), icon=":material/download:",
        file_name=f"kpis-{quarter}.csv", mime="text/csv", key="review-download",
        help="Every KPI with its target, status, previous and year-ago values, for the organization and each "
             "business unit: the same columns as `python -m aiorg_metrics kpis --format csv`.",
    )


@st.cache_data(show_spinner=False, max_entries=16)
def kpi_trend(db: str, version: Version, by: str | None = None) -> list[KpiResult]:
    """trend(): every covered quarter's results (org rows, plus `by` rows)."""
    settings, _ = _settings(db, version[1])
    return kpi.trend(Store(db), by=by, settings=settings)


@st.cache_data(show_spinner=False, max_entries=8)
def teams(db: str, version: Version) -> pd.DataFrame:
    with Store(db).reading() as cur:
        return lookups.teams(cur)


@st.cache_data(show_spinner=False, max_entries=16)
def champions(db: str, version: Version, quarter: str) -> pd.DataFrame:
    with Store(db).reading() as cur:
        return lookups.champions(cur, Quarter.parse(quarter))


@st.cache_data(show_spinner=False, max_entries=32)
def champion_use_cases(db: str, version: Version, champion_id: str, quarter: str) -> pd.DataFrame:
    with Store(db).reading() as cur:
        return lookups.champion_use_cases(cur, champion_id, Quarter.parse(quarter))


@st.cache_data(show_spinner=False, max_entries=32)
def funnel(db: str, version: Version, quarter: str, first_quarter: str | None, filters: FunnelFilters) -> Funnel:
    q = Quarter.parse(quarter)
    start = Quarter.parse(first_quarter).first_day if first_quarter else None
    with Store(db).reading() as cur:
        return compute_funnel(cur, q, identified_from=start, filters=filters, waiting_limit=5)


@st.cache_data(show_spinner=False, max_entries=16)
def advice(db: str, version: Version, quarter: str) -> orgmodel.Advice:
    settings, _ = _settings(db, version[1])
    with Store(db).reading() as cur:
        return orgmodel.advise_from_store(
            cur, transition_figures(cur, Quarter.parse(quarter), settings), maturity=settings.maturity,
            declared_model=settings.declared_model, self_service_platform=settings.self_service_platform,
        )


@st.cache_data(show_spinner=False, max_entries=32)
def skill_gaps(db: str, version: Version, filters: skills.SkillsFilters) -> pd.DataFrame:
    with Store(db).reading() as cur:
        return skills.gap_matrix(cur, "role", filters)


@st.cache_data(show_spinner=False, max_entries=8)
def single_points_of_failure(db: str, version: Version) -> pd.DataFrame:
    with Store(db).reading() as cur:
        return skills.single_points_of_failure(cur)


@st.cache_data(show_spinner=False, max_entries=16)
def coverage_vs_spend(db: str, version: Version, quarter: str) -> pd.DataFrame:
    settings, _ = _settings(db, version[1])
    with Store(db).reading() as cur:
        return skills.coverage_vs_spend(
            cur, Quarter.parse(quarter), coverage_below=settings.skills_gap.coverage_below,
            spend_below=settings.skills_gap.spend_per_learner_below,
        )


@st.cache_data(show_spinner=False, max_entries=16)
def reconversion_paths(db: str, version: Version, quarter: str) -> pd.DataFrame:
    with Store(db).reading() as cur:
        return skills.path_pairs(cur, Quarter.parse(quarter))


@st.cache_data(show_spinner=False, max_entries=8)
def skill_profiles(db: str, version: Version) -> pd.DataFrame:
    with Store(db).reading() as cur:
        return skills.employee_profiles(cur)


@st.cache_data(show_spinner=False, max_entries=8)
def current_model(db: str, version: Version) -> orgmodel.OrgModel:
    settings, _ = _settings(db, version[1])
    with Store(db).reading() as cur:
        return kpi.current_model(cur, settings)


_WARMED: set[tuple[str, Version, str]] = set()
_WARM_LOCK = threading.Lock()


def warm_up(state: DataState, quarter: Quarter) -> None:
    """Compute, once per data version and quarter and in the background, the breakdowns the other
    pages read, so that the first visit to each page is as quick as the next ones."""
    if os.environ.get("AIORG_NO_WARM_UP"):  # AppTest runs: keep each run's work deterministic
        return
    key = (state.db, state.version, str(quarter))
    with _WARM_LOCK:
        if key in _WARMED:
            return
        _WARMED.add(key)
    # Not a daemon: the interpreter waits for it at exit instead of killing it inside DuckDB.
    threading.Thread(target=_warm, args=key, name="aiorg-warm-up", daemon=False).start()


def _warm(db: str, version: Version, quarter: str) -> None:
    try:
        for by in ("business_unit", "team", "ai_team"):
            kpi_results(db, version, quarter, by)
        kpi_trend(db, version, "business_unit")
        advice(db, version, quarter)
        funnel(db, version, quarter, None, FunnelFilters())
        champions(db, version, quarter)
        skill_gaps(db, version, skills.SkillsFilters())
        for read in (skill_profiles, single_points_of_failure):
            read(db, version)
        for read in (reconversion_paths, coverage_vs_spend):
            read(db, version, quarter)
    except Exception:  # a failed warm-up only means that the page computes it itself
        return


def spoke_band(db: str, version: Version) -> tuple[float, float] | None:
    """The AI staff per spoke the guide draws for the current model (None: no band)."""
    return SPOKE_BANDS.get(current_model(db, version))


# --- the shared sidebar ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The view the sidebar selects; `selection` is what the scorecard reads."""

    quarter: Quarter
    business_unit: str | None
    team_id: str | None
    team_name: str | None
    team_business_unit: str | None

    @property
    def selection(self) -> Selection:
        return Selection(self.business_unit, self.team_id, self.team_business_unit)

    @property
    def scope_text(self) -> str:
        if self.team_id:
            return f"team {self.team_name} ({self.team_business_unit})"
        return f"business unit {self.business_unit}" if self.business_unit else "whole organization"


def _keep_in_url(key: str, options: Sequence[str], fallback: str) -> None:
    """Make the bound widget `key` hold a valid value that the URL names.

    A widget bound to the URL drops a value equal to its default from the URL; the
    quarter's widget has no default (index=None), and when the URL names no valid
    quarter we put the current (or default) one in both the state and the URL, so a
    copied link always names its quarter, even when it is the default. A link naming an
    unknown quarter is corrected, then the run restarts on the corrected URL (the widget
    would otherwise seed itself from the bad value and drop the parameter); the refused
    value is kept in `_refused_<key>` for the page to say so.
    """
    in_url = st.query_params.get(key)
    if in_url in options:
        return
    if in_url is not None:
        st.session_state[f"_refused_{key}"] = in_url
    current = st.session_state.get(key)
    value = current if current in options else fallback
    try:
        st.query_params[key] = value
        bound = False
    except StreamlitAPIException:  # bound already: the state assignment below syncs the URL
        bound = True
    st.session_state[key] = value
    guard = f"_corrected_{key}"
    if in_url is not None and not bound and st.session_state.get(guard) != in_url:
        st.session_state[guard] = in_url  # restart at most once per bad value
        st.rerun()


def _team_labels(directory: pd.DataFrame) -> dict[str, str]:
    """Team label → team_id; the name alone unless two teams share it."""
    counts = directory["team_name"].value_counts()
    return {
        (row.team_name if counts[row.team_name] == 1 else f"{row.team_name} ({row.team_id})"): row.team_id
        for row in directory.itertuples(index=False)
    }


def sidebar(state: DataState) -> Filters | None:
    """Quarter, business unit and team filters (in the URL), then the data-freshness line."""
    with st.sidebar:
        if not state.has_data:
            freshness_line(state)
            return None
        options = [str(q) for q in reversed(state.quarters)]
        _keep_in_url("quarter", options, str(state.default_quarter))
        quarter = st.selectbox("Quarter", options, index=None, key="quarter", bind="query-params",
                               help="The reporting quarter. Opens on the latest quarter the data fully covers.")
        directory = teams(state.db, state.version)
        units = [ALL_UNITS, *sorted(directory["business_unit"].unique())]
        unit = st.selectbox("Business unit", units, key="business_unit", bind="query-params")
        unit = None if unit in (None, ALL_UNITS) else unit
        scoped = directory if unit is None else directory[directory["business_unit"] == unit]
        labels = _team_labels(scoped)
        team_options = [ALL_TEAMS, *labels]
        if st.session_state.get("team") not in (None, *team_options):
            st.session_state["team"] = ALL_TEAMS
        team_label = st.selectbox("Team", team_options, key="team", bind="query-params",
                                  help="Teams of the selected business unit. KPIs without a team view show "
                                       "the business unit's or the organization's value, tagged as such.")
        team_id = labels.get(team_label) if team_label not in (None, ALL_TEAMS) else None
        team_bu = directory.loc[directory["team_id"] == team_id, "business_unit"].iloc[0] if team_id else None
        q = Quarter.parse(quarter or str(state.default_quarter))
        if state.freshness.last_day and q.last_day > state.freshness.last_day:
            st.caption(f":material/schedule: {q} is still in progress: data up to "
                       f"{state.freshness.last_day:%d %b %Y}.")
        freshness_line(state)
    return Filters(q, unit, team_id, team_label if team_id else None, team_bu)


def view() -> tuple[DataState, Filters | None]:
    """The data state and filters app.py read for this run."""
    if "_view" not in st.session_state:
        _run_through_router()
    return st.session_state["_view"]


def _run_through_router() -> None:
    """Rerun through app.py when Streamlit ran a page without it.

    Until some session has called st.navigation, Streamlit treats a `pages/` folder the old
    way (multipage apps v1) and runs a deep link such as /data directly, skipping app.py and
    its sidebar. Switching that fallback off and rerunning runs app.py, which then opens the
    same page with everything set up.
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def freshness_line(state: DataState) -> None:
    f = state.freshness
    if f.last_day is None:
        st.caption(":material/database: No data loaded yet.")
        return
    imported = f"{f.last_import_at:%d %b %Y, %H:%M}" if f.last_import_at else "–"
    what = f" ({md(f.last_import_file)})" if f.last_import_file else ""
    st.caption(f":material/update: Data up to **{f.last_day:%d %b %Y}** · last import {imported}{what}")


# --- page furniture ------------------------------------------------------------------------------------


_SHORTCODE_OR_AUTOLINK = re.compile(r"(?<=:)(?=\S)|(?<=@)(?=\S)|(?i:(?<=ww)(?=w\\\.))")


def md(text: object) -> str:
    """Text from users or files, shown as typed wherever Streamlit renders markdown: st.markdown, captions,
    alerts, subheaders, toasts, widget and expander labels. The one escaping helper of the app: no
    formatting, links, HTML, headings, LaTeX (`$`), emoji or icon shortcodes, or colours (`:red[...]`)."""
    value = html.escape(str(text), quote=False)
    for ch in "\\`*_{}[]()#+-=.!|~>$:":
        value = value.replace(ch, "\\" + ch)
    # Links (http://, www., e-mail addresses), icons (:material/x:) and emoji (:smile:) are found in the
    # text after the escapes are undone: an invisible word joiner breaks their patterns.
    return _SHORTCODE_OR_AUTOLINK.sub("\u2060", value)


def h(text: object) -> str:
    """Text from the data, safe inside HTML."""
    return html.escape(str(text))


def ingest_hint(state: DataState) -> str:
    where = f" --db {state.db}" if os.environ.get("AIORG_DB") else ""  # a shell may not have $AIORG_DB
    command = f"`python -m aiorg_metrics ingest{where} exports/*.csv`"
    page = " or use the **Data** page" if DATA_PAGE.exists() else ""
    return f"run {command} on the server{page}"


def page_header(title: str, state: DataState, filters: Filters | None, subtitle: str = "") -> None:
    """Title, the view it shows, and the notes that apply to every page (sample data, settings, gaps)."""
    st.title(title)
    if filters is not None:
        st.caption(f"**{filters.quarter}** · {md(filters.scope_text)}" + (f" · {subtitle}" if subtitle else ""))
    if state.holds_sample:
        st.info(
            "**You are looking at sample data**: a fictitious banking group of 31 teams, loaded on first start "
            f"so every page has something to show. To see your own organization, {ingest_hint(state)}. "
            "The first real import removes the sample data as one undoable step: real and sample rows are "
            "never mixed.", icon=":material/science:",
        )
    if state.settings_error:
        st.warning("The settings file could not be used, so the guide's targets and the default settings "
                   f"apply:\n\n```\n{state.settings_error}\n```", icon=":material/settings_alert:")
    quarter_notice(state)
    if state.implausible_dates:
        where = "the **Data** page (Import history) lists them" if DATA_PAGE.exists() else "fix them in the exports"
        st.warning(f"{state.implausible_dates} stored date(s) are implausible (before 2000 or more than a year "
                   "after today), most likely typos from an earlier version. The quarters shown leave them out, "
                   f"but KPIs that read those rows may be off: {where}.", icon=":material/event_busy:")
    if state.has_data and state.empty_datasets:
        names = ", ".join(f"`{n}.csv`" for n in state.empty_datasets)
        st.caption(f":material/info: Not loaded yet: {names}. KPIs that read them say *Incomplete data* or "
                   f"*No data*; to add them, {ingest_hint(state)}.")


def quarter_notice(state: DataState) -> None:
    """Say so when the link asked for a quarter that is malformed or outside the data, and which one is shown."""
    refused = st.session_state.pop("_refused_quarter", None)
    if refused is None or not state.has_data:
        return
    shown = st.session_state.get("quarter") or state.default_quarter
    text = md(refused if len(refused) <= 40 else refused[:40] + "…")
    try:
        asked = f"The link asks for {Quarter.parse(refused)}, a quarter outside the data"
    except QuarterError:
        asked = f"The link asks for quarter “{text}”, which is not a quarter (write it as 2026-Q3)"
    st.warning(f"{asked}. The data covers {state.covered_text}: showing {shown} instead.",
               icon=":material/event_busy:")


def require_data(state: DataState) -> None:
    """The empty state of a page when the store holds no dated data: what is missing, how to load it."""
    if state.has_data:
        return
    missing = ", ".join(f"`{n}.csv`" for n in state.empty_datasets) or "dated rows"
    st.info(
        f"**No data to show yet.** The store at `{state.db}` holds no dated rows (missing: {missing}).\n\n"
        f"To load your organization's CSV exports, {ingest_hint(state)}. "
        "Start with `teams.csv`; the format of each file is described in `docs/datasets.md`.",
        icon=":material/database:",
    )
    st.stop()


CARD_CSS = """
<style>
.kpi-head {display:flex; justify-content:space-between; align-items:flex-start; gap:6px;}
.kpi-label {font-weight:650; font-size:0.95rem; line-height:1.2; min-height:2.4em; cursor:help;}
.kpi-pill {white-space:nowrap; padding:1px 8px; border-radius:10px; font-size:0.78rem; font-weight:700;
           color:#fff;}
.kpi-value {font-size:1.8rem; font-weight:700; line-height:1.15; margin:2px 0 2px 0;}
.kpi-unit {font-size:0.95rem; font-weight:600; color:#4a5562;}
.kpi-meta {font-size:0.8rem; color:#4a5562; line-height:1.4;}
.kpi-tag {font-size:0.72rem; background:#eef1f5; color:#4a5562; border-radius:4px; padding:1px 5px;
          margin-left:6px; font-weight:600; vertical-align:middle;}
.kpi-theme {font-size:0.78rem; font-weight:700; letter-spacing:0.06em; text-transform:uppercase; color:#1f4e79;
            min-height:1.3em; margin-top:0.6rem;}
.kpi-better {color:#2e7d32; font-weight:650;} .kpi-worse {color:#c62828; font-weight:650;}
.kpi-same {color:#6b7785; font-weight:650;}
.kpi-end {height:0.6rem;}
/* cards of one row share a height; the trend line sits at the bottom of each */
div[data-testid="stColumn"] > div[data-testid="stVerticalBlock"]:has([class*="-card-"]) {height:100%;}
div[data-testid="stLayoutWrapper"]:has(> [class*="-card-"]) {flex:1 1 auto; display:flex; flex-direction:column;}
[class*="-card-"][data-testid="stVerticalBlock"] {flex:1 1 auto;}
[class*="st-key-spark-"] {margin-top:auto;}
</style>
"""


def card_css() -> None:
    st.html(CARD_CSS)


def status_pill(status, word: str) -> str:
    style = STATUS_STYLES[status]
    return f'<span class="kpi-pill" style="background:{style.hex}">{style.symbol} {h(word)}</span>'



def _comparison_html(card: Card) -> str:
    if not card.kpi.dated:
        return "No comparison: current data, the same every quarter."
    parts = []
    for c in card.comparisons:
        if c.before == "–":
            parts.append(f"{h(c.label)}: no value")
            continue
        text = f"{h(c.label)} {h(c.before)} · {h(c.delta)}"
        if c.verdict is not None:
            word, colour = VERDICT_WORDS[c.verdict]
            css = {"green": "kpi-better", "red": "kpi-worse"}.get(colour, "kpi-same")
            text += f' <span class="{css}">{h(word)}</span>'
        parts.append(text)
    return "<br>".join(parts)


def _target_html(card: Card) -> str:
    if card.result.target is None:
        return "No target: read it for information"
    return f"Target <b>{h(card.target)}</b> · {h(card.source)}"


def render_card(card: Card, trend: bool = True, key: str = "card") -> None:
    """A KPI card: label, status (colour, symbol and word), value, population, target and source,
    changes against the previous quarter and a year ago, and a small trend line."""
    r = card.result
    tag = f'<span class="kpi-tag">{h(card.scope_tag)}</span>' if card.scope_tag else ""
    notes = [f"Reads {', '.join(f'{d}.csv' for d in card.missing)}, not loaded yet: the value is not a finding"
             ] if card.missing else []
    notes += [r.note] if r.note else []
    note = "".join(f'<div class="kpi-meta"><i>{h(n)}</i></div>' for n in notes)
    with st.container(border=True, key=f"{key}-{card.kpi.id}"):
        st.markdown(
            f'<div class="kpi-head"><div class="kpi-label" title="{h(card.kpi.description)}">'
            f"{h(card.kpi.label)}</div>{status_pill(card.status, card.status_word)}</div>"
            f'<div class="kpi-value">{h(card.value_number)}<span class="kpi-unit">{h(card.value_suffix)}</span>'
            f"{tag}</div>"
            f'<div class="kpi-meta">{h(card.population)}</div>'
            f'<div class="kpi-meta">{_target_html(card)}</div>'
            f'<div class="kpi-meta">{_comparison_html(card)}</div>{note}<div class="kpi-end"></div>',
            unsafe_allow_html=True,
        )
        if trend and len([v for v in card.trend_values if v is not None]) >= 2:
            chart(figures.sparkline(card.kpi, card.trend_periods, card.trend_values, r.target),
                  f"spark-{key}-{card.kpi.id}")
            st.caption(f"{card.trend_periods[0]} – {card.trend_periods[-1]}")


def themed_grid(cards: Sequence[Card], per_row: int = 4) -> None:
    """The scorecard: cards grouped by theme, small themes sharing a row."""
    st.caption("Each card: value, population, target and its source, change against the previous quarter and "
               "the same quarter last year (▲ better / ▼ worse against the target), and the trend over the "
               "quarters up to this one (green dashed line or band: the target). Hover a KPI's name for its "
               "definition; the KPI glossary has them all.")
    for row in scorecard.theme_rows(cards, per_row):
        columns = st.columns(per_row)
        for column, (heading, c) in zip(columns, row, strict=False):
            with column:
                st.markdown(f'<div class="kpi-theme">{h(heading) or "&nbsp;"}</div>', unsafe_allow_html=True)
                render_card(c)


def badge(status, partial: bool = False, text: str | None = None) -> str:
    """A coloured badge with the status symbol and word (markdown)."""
    style = STATUS_STYLES[status]
    return badge_text(style.colour, style.icon, text or status_word(status, partial))


def status_summary(cards: Sequence[Card]) -> None:
    """One line counting the cards of each status, most urgent first."""
    counts = scorecard.status_summary(cards)
    parts = [badge(status, text=f"{n} {STATUS_STYLES[status].word.lower()}") for status, n in counts.items() if n]
    st.markdown(" ".join(parts) + f" — {len(cards)} KPIs")


ATTENTION_SHOWN = 4


def _attention_line(item: scorecard.Attention, level: str) -> str:
    c = item.card
    gap = f" · {item.distance_text}" if item.distance_text else ""
    line = f"{badge(c.status)} **{md(c.kpi.label)}** {md(c.value)} :gray[(target {md(c.target)}{gap})]"
    if item.contributors:
        units = " · ".join(
            f"{md(u.name)} {STATUS_STYLES[u.status].symbol} {md(u.value)}"
            + (f" ({u.share:.0%})" if u.share is not None else "")
            for u in item.contributors[:4]
        )
        more = f" · {len(item.contributors) - 4} more" if len(item.contributors) > 4 else ""
        line += f"  \n:gray[{level.capitalize()} short of target (share of the shortfall): {units}{more}]"
    return line


def attention_list(items: Sequence[scorecard.Attention], level: str) -> None:
    """The "needs attention" list: red before amber, then by relative distance to the violated bound,
    each with the units one level down that fall short, by their share of the shortfall."""
    with st.container(border=True, key="needs-attention"):
        st.markdown(f"##### :material/priority_high: Needs attention ({len(items)})",
                    help="Red before amber, then by distance beyond the target's bound relative to that bound. "
                         f"Under each: the {level} whose own status is red or amber, by their share of the "
                         "shortfall (distance outside their own target weighted by their population: the "
                         "denominator, or n). KPIs shown organization-wide under a filter are not listed.")
        if not items:
            st.markdown("Nothing is red or amber in this view.")
            return
        st.markdown("\n".join(f"- {_attention_line(i, level)}" for i in items[:ATTENTION_SHOWN]))
        if len(items) > ATTENTION_SHOWN:
            with st.expander(f"{len(items) - ATTENTION_SHOWN} more"):
                st.markdown("\n".join(f"- {_attention_line(i, level)}" for i in items[ATTENTION_SHOWN:]))


def card_grid(cards: Sequence[Card], per_row: int = 4, trend: bool = True, key: str = "card") -> None:
    """Cards in rows of `per_row`; `key` keeps the cards of two grids on one page apart."""
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, c in zip(columns, cards[start:start + per_row], strict=False):
            with column:
                render_card(c, trend, key)


SIGNAL_BADGES = {
    "lit": ("red", ":material/error:", "Lit"),
    "not_lit": ("green", ":material/check_circle:", "Not lit"),
    "greyed": ("gray", ":material/block:", "Not applicable (greyed)"),
    "no_data": ("gray", ":material/remove:", "No data"),
}


def _signal(signal: orgmodel.Signal) -> None:
    colour, icon, word = SIGNAL_BADGES[signal.state.value]
    figure = signal.figure_text()
    text = f":{colour}-badge[{icon} {word}] **{md(signal.label)}**: {md(figure)} :gray[(rule {md(signal.rule)})]"
    if signal.state.value == "greyed":
        text = f":gray[{text}]"
    st.markdown(text)
    st.caption(f"{md(signal.explanation)} *Why it matters:* {md(signal.reasoning)} "
               f"*Source:* {md(signal.source)}.")


def render_advice(advice: orgmodel.Advice) -> None:
    """The org-model advisor: recommended vs current model, maturity reading, transition indicators."""
    with st.container(border=True, key="advisor"):
        st.markdown("##### :material/explore: Org-model advisor")
        left, right = st.columns(2)
        recommended = model_name(advice.recommended) if advice.recommended else "No recommendation"
        with left:
            st.markdown(f"Recommended: **{md(recommended)}**")
            st.caption(md(advice.recommended_reason))
        with right:
            st.markdown(f"Current: **{md(model_name(advice.current))}** ({md(advice.current_source)})")
            st.caption(md(advice.current_reason))
        reading = ", ".join(model_name(m) for m in advice.maturity_reading) or "–"
        agree = {True: badge_text("green", ":material/check:", "Agrees with the size"),
                 False: badge_text("orange", ":material/warning:", "Differs from the size"),
                 None: badge_text("gray", ":material/help:", "Cannot tell")}[advice.agree]
        st.markdown(f"Maturity reading: **{md(reading)}** {agree}")
        st.caption(f"{md(advice.maturity_reason)} {md(advice.agree_reason)}")
        st.markdown("**Transition indicators** (the guide's signs that a centralized organization should move on)")
        for signal in advice.transition_indicators:
            _signal(signal)
        st.markdown("**Separate signal** (from the centralized model's drawbacks)")
        _signal(advice.hub_size_signal)
        with st.expander("Criteria of the guide the data does not capture"):
            st.markdown("\n".join(f"- **{md(model_name(c.model))}**: {md(c.criterion)}. {md(c.reasoning)}"
                                   for c in advice.uncaptured_criteria))


def badge_text(colour: str, icon: str, text: str) -> str:
    return f":{colour}-badge[{icon} {md(text)}]"


def flag_rows(frame: pd.DataFrame, column: str):
    """The table with rows whose `column` is filled shaded light red (the flag text says why)."""
    def shade(row: pd.Series) -> list[str]:
        return ["background-color: #fdecea" if row[column] else "" for _ in row]
    return frame.style.apply(shade, axis=1)


def chart(fig, key: str) -> None:
    st.plotly_chart(fig, config={"displayModeBar": False}, key=key, theme=None)


BUSY_RETRY_SECONDS = 3


def busy() -> None:
    """The friendly message for a store held by an import in another process; the page tries
    again by itself every few seconds and renders normally as soon as the store is free."""
    st.warning(BUSY_TEXT, icon=":material/hourglass_top:")
    st.session_state["_busy_shown"] = True  # the retry's first run is this run: no check yet
    _retry_when_free()


def store_is_free(target: Store) -> bool:
    """Whether the store can be read now (a short try; never creates a store)."""
    if not target.exists():
        return True  # nothing to wait for: the app's run creates it
    try:
        with Store(target.path, wait=0.3).reading() as cur:
            data_version(cur)
        return True
    except StoreBusyError:
        return False


@st.fragment(run_every=BUSY_RETRY_SECONDS)
def _retry_when_free() -> None:
    attempts = st.session_state.get("_busy_attempts", 0)
    if not st.session_state.pop("_busy_shown", False):
        attempts += 1
        if store_is_free(store()):
            st.session_state["_busy_attempts"] = 0
            st.rerun(scope="app")
    st.session_state["_busy_attempts"] = attempts
    tried = f" (tried {attempts} time(s) so far)" if attempts else ""
    st.caption(f":material/autorenew: This page tries again by itself every {BUSY_RETRY_SECONDS} s{tried}; "
               "no need to reload.")


def store_refused(exc: Exception) -> None:
    """The message for a store this version cannot open (newer, or older and read-only), as plain text."""
    st.error(md(exc), icon=":material/block:")
