"""Every engine call the pages make, cached with `st.cache_data` on (store path, data version).

The version (`dashboard.state.Version`) changes with an import or a settings change, so what a
page shows is always current and nothing recomputes otherwise. `warm_up` computes, in the
background, what the other pages read, so the first visit to each is as quick as the next ones.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from aiorg_metrics import kpi
from aiorg_metrics.analysis import advisor, decisions, drilldown, skills
from aiorg_metrics.analysis import directory as lookups
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters, compute_funnel
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display import review
from aiorg_metrics.kpi import KpiResult
from aiorg_metrics.kpi.engine import SPOKE_BANDS
from aiorg_metrics.store.connection import Store
from dashboard.state import DataState, Version, settings_of

T = TypeVar("T")


def _read(db: str, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`query(cursor, *args, **kwargs)` on a read-only cursor of the store at `db`."""
    with Store(db).reading() as cur:
        return query(cur, *args, **kwargs)


@st.cache_data(show_spinner=False, max_entries=64)
def kpi_results(db: str, version: Version, quarter: str, by: str | None = None) -> list[KpiResult]:
    """compute(): the quarter's org rows, plus one row per breakdown value with `by`."""
    settings, _ = settings_of(db, version[1])
    return kpi.compute(Store(db), quarter, by=by, settings=settings)


@st.cache_data(show_spinner=False, max_entries=16)
def kpi_trend(db: str, version: Version, by: str | None = None) -> list[KpiResult]:
    """trend(): every covered quarter's results (org rows, plus `by` rows)."""
    settings, _ = settings_of(db, version[1])
    return kpi.trend(Store(db), by=by, settings=settings)


@st.cache_data(show_spinner=False, max_entries=8)
def teams(db: str, version: Version) -> pd.DataFrame:
    return _read(db, lookups.teams)


@st.cache_data(show_spinner=False, max_entries=8)
def team_names(db: str, version: Version) -> dict[str, str]:
    """Team id → team name. A page reads it once per label it draws (hundreds of options): a dict is read
    from the cache far faster than the directory's frame."""
    return lookups.by_team(teams(db, version), "team_name")


@st.cache_data(show_spinner=False, max_entries=8)
def team_units(db: str, version: Version) -> dict[str, str]:
    """Team id → its business unit (see `team_names`)."""
    return lookups.by_team(teams(db, version), "business_unit")


# The review draws a decision form per card, each listing every scope.
@st.cache_data(show_spinner=False, max_entries=64)
def decision_scopes(db: str, version: Version, kpi_id: str) -> list[str]:
    """decisions.scope_choices() on the team directory."""
    return decisions.scope_choices(kpi_id, teams(db, version))


@st.cache_data(show_spinner=False, max_entries=16)
def champions(db: str, version: Version, quarter: str) -> pd.DataFrame:
    return _read(db, lookups.champions, Quarter.parse(quarter))


@st.cache_data(show_spinner=False, max_entries=32)
def champion_use_cases(db: str, version: Version, champion_id: str, quarter: str) -> pd.DataFrame:
    return _read(db, lookups.champion_use_cases, champion_id, Quarter.parse(quarter))


@st.cache_data(show_spinner=False, max_entries=32)
def funnel(db: str, version: Version, quarter: str, first_quarter: str | None, filters: FunnelFilters) -> Funnel:
    q = Quarter.parse(quarter)
    start = Quarter.parse(first_quarter).first_day if first_quarter else None
    return _read(db, compute_funnel, q, identified_from=start, filters=filters, waiting_limit=5)


@st.cache_data(show_spinner=False, max_entries=8)
def unfloored_survey(db: str, version: Version, quarter: str) -> tuple[list[KpiResult], list[KpiResult]]:
    """The survey-based KPIs by champion without the survey floor (this quarter, and every quarter): a
    champion's own answer, which they see even below the floor. Kept on the server; only the asking
    champion's own results are taken from it (`display.disclosed.survey_results`)."""
    settings, _ = settings_of(db, version[1])
    unfloored = settings.model_copy(update={"min_survey_answers": 1})
    ids = [k.id for k in kpi.KPIS if k.survey_based]
    return (kpi.compute(Store(db), quarter, by="champion", settings=unfloored, kpi_ids=ids),
            kpi.trend(Store(db), ids, by="champion", settings=unfloored))


@st.cache_data(show_spinner=False, max_entries=16)
def advice(db: str, version: Version, quarter: str) -> advisor.Advice:
    settings, _ = settings_of(db, version[1])
    return _read(db, advisor.advise_for_quarter, Quarter.parse(quarter), settings)


@st.cache_data(show_spinner=False, max_entries=32)
def skill_gaps(db: str, version: Version, filters: skills.SkillsFilters) -> pd.DataFrame:
    return _read(db, skills.gap_matrix, "role", filters)


@st.cache_data(show_spinner=False, max_entries=8)
def single_points_of_failure(db: str, version: Version) -> pd.DataFrame:
    return _read(db, skills.single_points_of_failure)


@st.cache_data(show_spinner=False, max_entries=16)
def coverage_vs_spend(db: str, version: Version, quarter: str) -> pd.DataFrame:
    settings, _ = settings_of(db, version[1])
    return _read(
        db, skills.coverage_vs_spend, Quarter.parse(quarter), coverage_below=settings.skills_gap.coverage_below,
        spend_below=settings.skills_gap.spend_per_learner_below,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def reconversion_paths(db: str, version: Version, quarter: str) -> pd.DataFrame:
    return _read(db, skills.path_pairs, Quarter.parse(quarter))


@st.cache_data(show_spinner=False, max_entries=32)
def rows_behind(db: str, version: Version, kpi_id: str, quarter: str, scope: str = "org",
                value: str | None = None) -> pd.DataFrame:
    """drilldown.rows_behind(): the members of a KPI's population at one scope (`scope`: a Scope's value)."""
    settings, _ = settings_of(db, version[1])
    where = drilldown.Where(kpi.Scope(scope), value)
    return _read(db, drilldown.rows_behind, kpi_id, Quarter.parse(quarter), where, settings)


@st.cache_data(show_spinner=False, max_entries=8)
def skill_profiles(db: str, version: Version, filters: skills.SkillsFilters | None = None) -> pd.DataFrame:
    return _read(db, skills.employee_profiles, filters)


@st.cache_data(show_spinner=False, max_entries=8)
def current_model(db: str, version: Version) -> OrgModel:
    settings, _ = settings_of(db, version[1])
    return _read(db, kpi.current_model, settings)


def spoke_band(db: str, version: Version) -> tuple[float, float] | None:
    """The AI staff per spoke the guide draws for the current model (None: no band)."""
    return SPOKE_BANDS.get(current_model(db, version))


@st.cache_data(show_spinner=False, max_entries=8)
def data_span(db: str, version: Version) -> kpi.Coverage | None:
    """The dates the store's dated rows span (None: no dated row)."""
    return _read(db, kpi.coverage)


def quarter_as_of(db: str, version: Version, quarter: Quarter | str) -> date | None:
    """The data's last day when `quarter` is in progress (today before its end), else None: the
    `as_of` of its KPI results, the day its values run to. Not cached itself, so it follows the day."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    span = data_span(db, version)
    return kpi.as_of_day(span, q) if span and span.covers(q) else None


def quarter_data_to(db: str, version: Version, quarter: Quarter | str) -> date | None:
    """The data's last day when the data stops before `quarter`'s end (in progress or not), else None."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    span = data_span(db, version)
    return span.data_to(q) if span else None


def part_quarter_to(db: str, version: Version, quarter: Quarter | str) -> date | None:
    """review.part_quarter_to(): the data's last day when `quarter`'s values cover only part of it, else None.
    Not cached itself, so it follows the day."""
    q = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    return review.part_quarter_to(data_span(db, version), q)


WARM_UP_THREAD = "aiorg-warm-up"
_WARMED: set[tuple[str, Version, str]] = set()
_WARM_LOCK = threading.Lock()
_log = logging.getLogger(__name__)
# The warm-up waits for the server to be idle: no page run in progress (of any session), for this long at least.
IDLE_SECONDS = 0.15
MAX_YIELD_SECONDS = 30.0  # under constant traffic it goes on anyway after this long, one step at a time
_RUNS = 0  # page runs in progress, all sessions
_RUNS_CHANGED = threading.Condition()


@contextmanager
def page_run() -> Iterator[None]:
    """Around a page's run (app.py): while any is in progress, the background warm-up starts no new step,
    so a page opened meanwhile (a fresh link, another session) never shares the machine with it."""
    global _RUNS
    with _RUNS_CHANGED:
        _RUNS += 1
    try:
        yield
    finally:
        with _RUNS_CHANGED:
            _RUNS -= 1
            _RUNS_CHANGED.notify_all()


def _wait_for_idle(idle: float = IDLE_SECONDS, at_most: float = MAX_YIELD_SECONDS) -> None:
    """Return once no page has run for `idle` seconds (or after `at_most` seconds of waiting)."""
    deadline = time.monotonic() + at_most
    with _RUNS_CHANGED:
        while time.monotonic() < deadline:
            if _RUNS:
                _RUNS_CHANGED.wait(deadline - time.monotonic())
            elif not _RUNS_CHANGED.wait(idle) and _RUNS == 0:  # a run starting does not notify: look again
                return


def warm_up(state: DataState, quarter: Quarter) -> None:
    """Compute, once per data version and quarter and in the background, the breakdowns the other
    pages read, so that the first visit to each page is as quick as the next ones.

    app.py calls it after the page has run, so the page never waits for it; it never raises into
    the page. The thread calls only cached functions (caches are process-wide, and no Streamlit
    element may be drawn from a thread without a session)."""
    if os.environ.get("AIORG_NO_WARM_UP"):  # AppTest runs: keep each run's work deterministic
        return
    key = (state.db, state.version, str(quarter))
    with _WARM_LOCK:
        if key in _WARMED:
            return
        _WARMED.add(key)
    try:
        # Not a daemon: the interpreter waits for it at exit instead of killing it inside DuckDB.
        threading.Thread(target=_warm, args=key, name=WARM_UP_THREAD, daemon=False).start()
    except RuntimeError as exc:  # no thread to be had: each page computes what it reads, as without warm-up
        _log.warning("the background warm-up could not start (%s); pages compute on their first visit", exc)
        with _WARM_LOCK:
            _WARMED.discard(key)


def _steps(db: str, version: Version, quarter: str) -> list[Callable[[], object]]:
    """The warm-up's reads, in the order pages are usually opened: Hub & spoke health's first (the review's
    own reads are cached by the first page), then the funnel's, the champions', Skills & training's."""
    no_filters = FunnelFilters()
    return [
        *(partial(kpi_results, db, version, quarter, by) for by in ("business_unit", "team", "ai_team")),
        *(partial(kpi_trend, db, version, by) for by in ("business_unit", "ai_team")),
        partial(current_model, db, version),
        partial(advice, db, version, quarter),
        partial(funnel, db, version, quarter, None, no_filters),
        partial(champions, db, version, quarter),
        partial(skill_gaps, db, version, skills.SkillsFilters()),
        partial(skill_profiles, db, version),
        partial(single_points_of_failure, db, version),
        partial(reconversion_paths, db, version, quarter),
        partial(coverage_vs_spend, db, version, quarter),
    ]


def _warm(db: str, version: Version, quarter: str) -> None:
    """The warm-up's work, one step at a time while no page runs (`page_run`); it stops at the first failure
    (a busy or removed store), which only means that a page computes the rest on its first visit."""
    try:
        for step in _steps(db, version, quarter):
            _wait_for_idle()
            step()
    except Exception as exc:  # a failed warm-up only means that the page computes it itself
        _log.info("background warm-up stopped early: %s", exc)
