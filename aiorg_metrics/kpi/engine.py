"""Computing KPIs: one set-based query per KPI over all the periods needed at once.

`compute` gives the scorecard of a quarter (org rows, then one row per breakdown value),
each with its previous-quarter and year-ago values; `trend` gives every quarter the
data covers. Both refuse a quarter outside the data, naming the range covered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from aiorg_metrics.common.clock import today as system_today
from aiorg_metrics.common.periods import Quarter, QuarterError, quarters_between
from aiorg_metrics.datasets.organization import OrgModel, fetch_team_structure, infer_model
from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.kpi.catalog import BY_ID, KPIS
from aiorg_metrics.kpi.model import BREAKDOWNS, Context, DatedBy, Kpi, Scope, Window
from aiorg_metrics.kpi.relations import UNASSIGNED, UNKNOWN_TEAM, Parameters, workspace
from aiorg_metrics.kpi.results import KpiResult
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Target, TargetSource, status_of
from aiorg_metrics.store.connection import Store
from aiorg_metrics.store.implausible import plausible_range

Source = Store | duckdb.DuckDBPyConnection

# AI staff per spoke that the guide draws for each model ("Schema organisationnel").
SPOKE_BANDS: dict[OrgModel, tuple[float, float]] = {OrgModel.HUB_SPOKE: (2, 5), OrgModel.FEDERATED: (5, 15)}


@contextmanager
def _cursor(source: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    if isinstance(source, Store):
        with source.reading() as cur:
            yield cur
    else:
        yield source


# --- the range of quarters the data covers ----------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """The earliest and latest dated rows of all datasets."""

    first_day: date
    last_day: date

    @property
    def first(self) -> Quarter:
        return Quarter.containing(self.first_day)

    @property
    def last(self) -> Quarter:
        return Quarter.containing(self.last_day)

    def covers(self, quarter: Quarter) -> bool:
        return self.first <= quarter <= self.last

    def quarters(self) -> list[Quarter]:
        """Every quarter from the first to the last, in order."""
        return list(quarters_between(self.first, self.last))

    def data_to(self, quarter: Quarter) -> date | None:
        """The data's last day when the data stops before `quarter`'s end (the sidebar's "data to"), else None."""
        return self.last_day if quarter.contains(self.last_day) and self.last_day < quarter.last_day else None

    def __str__(self) -> str:
        return f"{self.first} to {self.last} (dated rows from {self.first_day} to {self.last_day})"


def as_of_day(span: Coverage, quarter: Quarter, today: date | None = None) -> date | None:
    """The day "end of `quarter`" reads as while the quarter is in progress (SPEC §3.2): the
    data's last day, capped at the quarter's end. None for a finished quarter (today, the
    system date or `$AIORG_TODAY`, is on or after its end), whose end stays its last day.
    """
    if (today or system_today()) >= quarter.last_day:
        return None
    return min(span.last_day, quarter.last_day)


def quarter_end(span: Coverage, quarter: Quarter, today: date | None = None) -> date:
    """"End of Q" of the KPI definitions and the funnel: `as_of_day` in a quarter in progress, else its last day."""
    return as_of_day(span, quarter, today) or quarter.last_day


def coverage(cur: duckdb.DuckDBPyConnection) -> Coverage | None:
    """The dates the store's dated rows span, None when it has none.

    Only plausible dates count (SPEC §1): a store written before the importer refused
    9999-12-31 or 0001-01-01 still covers the quarters of its real data.
    """
    parts = [
        f"SELECT min({d.dated_by}) AS lo, max({d.dated_by}) AS hi FROM {d.table} "
        f"WHERE {d.dated_by} BETWEEN $earliest AND $latest"
        for d in DATASETS if d.dated_by
    ]
    earliest, latest = plausible_range()
    bounds = {"earliest": earliest, "latest": latest}
    lo, hi = cur.execute(f"SELECT min(lo), max(hi) FROM ({' UNION ALL '.join(parts)})", bounds).fetchone()
    return Coverage(lo, hi) if lo is not None else None


def covered_quarters(source: Source) -> list[Quarter]:
    """Every quarter from the earliest to the latest dated row (empty for an empty store)."""
    with _cursor(source) as cur:
        span = coverage(cur)
    return span.quarters() if span else []


def check_covered(quarter: Quarter, span: Coverage | None) -> Coverage:
    """`span` when it covers `quarter`, else QuarterError naming the range covered."""
    if span is None:
        raise QuarterError(f"{quarter} cannot be computed: the store holds no dated rows yet (import data first)")
    if not span.covers(quarter):
        raise QuarterError(f"{quarter} is outside the data: the store covers {span}")
    return span


# --- model and targets --------------------------------------------------------------------


def current_model(cur: duckdb.DuckDBPyConnection, settings: Settings) -> OrgModel:
    """The declared model, else the one the teams show (SPEC §2.9)."""
    if settings.declared_model:
        return OrgModel(settings.declared_model)
    return infer_model(fetch_team_structure(cur))[0]


def resolve_target(
    kpi: Kpi, model: OrgModel, settings: Settings, business_unit: str | None = None
) -> tuple[Target | None, TargetSource | None]:
    """The target that applies, and where it comes from: the business unit's override,
    else the KPI's override, else the spec's target for the model (guide or default)."""
    override = settings.target_override(kpi.id, business_unit)
    if override is not None:
        target = Target(override.min, override.max, override.strict_min, amber_max=kpi.fixed_amber_max)
        return target, TargetSource.OVERRIDE
    default = kpi.default_target(model)
    return (default, kpi.target_source) if default else (None, None)


# --- aggregation --------------------------------------------------------------------------

AggKey = tuple[str, Scope, str | None]  # (period, scope type, scope value)


def aggregate_sql(kpi: Kpi, by: Scope | None) -> str:
    """The KPI's aggregate query: org totals, plus groups by `by` when the KPI has that scope."""
    q = kpi.query
    columns = {
        "value": q.value, "n": q.n, "numerator": q.numerator or "NULL", "denominator": q.denominator or "NULL",
        "empty": q.empty, "left_out": q.left_out, **dict(q.extras),
    }
    measures = ", ".join(f"{expr} AS {name}" for name, expr in columns.items())
    head = f"WITH units AS ({q.units}) SELECT period"
    if by is None or by not in kpi.scopes:
        return f"{head}, 1 AS total, NULL AS scope_value, {measures} FROM units GROUP BY period"
    dim = by.value  # a Scope member: a column name of the closed set, never user input
    return (
        f"{head}, grouping({dim}) AS total, {dim} AS scope_value, {measures} "
        f"FROM units GROUP BY GROUPING SETS ((period), (period, {dim}))"
    )


def _aggregates(cur: duckdb.DuckDBPyConnection, kpi: Kpi, by: Scope | None) -> dict[AggKey, dict[str, Any]]:
    cursor = cur.execute(aggregate_sql(kpi, by))
    names = [d[0] for d in cursor.description]
    out: dict[AggKey, dict[str, Any]] = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row, strict=True))
        scope = Scope.ORG if record["total"] else by
        out[(record["period"], scope, record["scope_value"] if scope is not Scope.ORG else None)] = record
    return out


# --- breakdown values ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScopeValue:
    """One row of a breakdown: its value, the business unit whose override applies, its kind."""

    value: str
    business_unit: str | None
    team_kind: str | None = None


def _grid_rows(cur: duckdb.DuckDBPyConnection, by: Scope) -> list[tuple[str | None, ScopeValue]]:
    """(period or None for every period, value) pairs of the breakdown's values."""
    if by is Scope.CHAMPION:
        rows = cur.execute("SELECT period, champion, business_unit FROM kpi_champ").fetchall()
        return [(period, ScopeValue(champion, bu)) for period, champion, bu in rows]
    if by is Scope.BUSINESS_UNIT:
        rows = cur.execute("SELECT DISTINCT business_unit FROM teams").fetchall()
        return [(None, ScopeValue(bu, bu)) for (bu,) in rows]
    kinds = ("ai_hub", "ai_spoke") if by is Scope.AI_TEAM else ("business", "ai_hub", "ai_spoke")
    rows = cur.execute(
        "SELECT team_id, business_unit, team_kind FROM teams WHERE list_contains(?, team_kind)", [list(kinds)]
    ).fetchall()
    values = [(None, ScopeValue(team, bu, kind)) for team, bu, kind in rows]
    return values + ([(None, ScopeValue(UNASSIGNED, None))] if by is Scope.AI_TEAM else [])


def _scope_values(kpi: Kpi, by: Scope, rows: Sequence[tuple[str | None, ScopeValue]], period: str) -> list[ScopeValue]:
    values = [v for p, v in rows if p in (None, period)]
    if by is Scope.TEAM and kpi.team_kinds:
        values = [v for v in values if v.team_kind in kpi.team_kinds]
    if kpi.unknown_team_group and by in (Scope.TEAM, Scope.BUSINESS_UNIT):
        values.append(ScopeValue(UNKNOWN_TEAM, None))
    return sorted(values, key=lambda v: v.value)


# --- assembling results -------------------------------------------------------------------

EMPTY: dict[str, Any] = {"value": None, "n": 0, "numerator": None, "denominator": None, "empty": True, "left_out": 0}


@dataclass(frozen=True)
class _Run:
    settings: Settings
    context: Context
    by: Scope | None
    aggregates: dict[str, dict[AggKey, dict[str, Any]]]
    window_starts: dict[DatedBy, date | None]
    computed: frozenset[str]
    as_of: dict[str, date]  # the quarters in progress computed, and their data's last day


def _empty_like(kpi: Kpi) -> dict[str, Any]:
    has_ratio = kpi.query.numerator is not None
    return {**EMPTY, "numerator": 0 if has_ratio else None, "denominator": 0 if has_ratio else None}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _count_or_float(value: Any) -> float | int | None:
    """Counts stay whole numbers in the output; anything else becomes a float."""
    return value if value is None or isinstance(value, int) else float(value)


def _partial_window(run: _Run, kpi: Kpi, quarter: Quarter) -> bool:
    if kpi.window is not Window.T4Q or kpi.window_start_of is None:
        return False
    earliest = run.window_starts.get(kpi.window_start_of)
    return earliest is not None and quarter.t4q_start < earliest


@dataclass(frozen=True)
class _Slot:
    """One KPI in one reported quarter: what every scope's result of it shares."""

    kpi: Kpi
    period: str
    previous: str | None  # the periods compared with, when computed and the KPI is dated
    year_ago: str | None
    partial: bool
    aggregates: dict[AggKey, dict[str, Any]]
    as_of: date | None
    min_answers: int  # the privacy floor of a survey-based KPI below the organization (0: none)


def _slot(run: _Run, kpi: Kpi, quarter: Quarter) -> _Slot:
    def compared(other: Quarter) -> str | None:
        return str(other) if kpi.dated and str(other) in run.computed else None

    return _Slot(kpi, str(quarter), compared(quarter.previous()), compared(quarter.year_ago()),
                 _partial_window(run, kpi, quarter), run.aggregates[kpi.id], run.as_of.get(str(quarter)),
                 run.settings.min_survey_answers if kpi.survey_based else 0)


def _withheld(slot: _Slot, scope: Scope, agg: dict[str, Any]) -> bool:
    """A survey value of a group below the organization with fewer answers than the floor (SPEC §2.9):
    one person's answer must not be readable from it. The organization's value is never withheld."""
    return scope is not Scope.ORG and not agg["empty"] and int(agg["n"] or 0) < slot.min_answers


def _value_at(slot: _Slot, period: str | None, scope: Scope, value: str | None) -> float | None:
    agg = slot.aggregates.get((period, scope, value)) if period else None
    return None if agg is None or agg["empty"] or _withheld(slot, scope, agg) else _float(agg["value"])


def _notes(run: _Run, slot: _Slot, agg: dict[str, Any], left_out: int, scope: Scope) -> str | None:
    kpi = slot.kpi
    notes = [kpi.note(agg, run.context)] if kpi.note else []
    if _withheld(slot, scope, agg):
        notes.append(f"fewer than {slot.min_answers} answers")
    if left_out and scope not in (Scope.ORG, Scope.CHAMPION):
        one, many = kpi.left_out_what
        notes.append(f"{left_out} {one if left_out == 1 else many} left out of this breakdown")
    if slot.partial and kpi.window_start_of is not None:
        notes.append(f"partial year: {kpi.window_start_of} starts on {run.window_starts[kpi.window_start_of]}")
    return "; ".join(n for n in notes if n) or None


def _result(run: _Run, slot: _Slot, scope: Scope, where: ScopeValue | None) -> KpiResult:
    kpi, value_key = slot.kpi, (where.value if where else None)
    agg = slot.aggregates.get((slot.period, scope, value_key)) or _empty_like(kpi)
    left_out = (slot.aggregates.get((slot.period, scope, None)) or {}).get("left_out", 0) if where else 0
    target, source = resolve_target(kpi, run.context.model, run.settings, where.business_unit if where else None)
    withheld = _withheld(slot, scope, agg)  # a withheld survey value reads as no data, comparisons included
    hidden = bool(agg["empty"]) or withheld
    value = None if hidden else _float(agg["value"])
    forced = kpi.forced_status(agg, run.context) if kpi.forced_status else None
    return KpiResult(
        kpi=kpi.id, period=slot.period, scope_type=scope, scope_value=value_key,
        value=value, n=int(agg["n"] or 0),
        numerator=_count_or_float(agg["numerator"]), denominator=_count_or_float(agg["denominator"]),
        target=target, target_source=source,
        status=status_of(value, target, run.settings.amber_tolerance, empty=hidden,
                         partial_window=slot.partial, forced=forced),
        previous=None if withheld else _value_at(slot, slot.previous, scope, value_key),
        year_ago=None if withheld else _value_at(slot, slot.year_ago, scope, value_key),
        partial_window=slot.partial,
        note=_notes(run, slot, agg, int(left_out or 0), scope),
        as_of=slot.as_of,
    )


def _quarter_results(run: _Run, kpis: Sequence[Kpi], quarter: Quarter, grid: Sequence) -> list[KpiResult]:
    slots = [_slot(run, kpi, quarter) for kpi in kpis]
    results = [_result(run, slot, Scope.ORG, None) for slot in slots]
    if run.by is None:
        return results
    for slot in slots:
        if run.by in slot.kpi.scopes:
            values = _scope_values(slot.kpi, run.by, grid, slot.period)
            results += [_result(run, slot, run.by, where) for where in values]
    return results


# --- entry points ---------------------------------------------------------------------------


def _as_scope(by: Scope | str | None) -> Scope | None:
    if by is None:
        return None
    scope = Scope(by)
    if scope not in BREAKDOWNS:
        raise ValueError(f"cannot break down by '{by}'; choose one of {', '.join(s.value for s in BREAKDOWNS)}")
    return scope


def _select(kpi_ids: Iterable[str] | None) -> tuple[Kpi, ...]:
    if kpi_ids is None:
        return KPIS
    wanted = set(kpi_ids)
    unknown = wanted - set(BY_ID)
    if unknown:
        raise KeyError(f"unknown KPI(s) {', '.join(sorted(unknown))}; known: {', '.join(BY_ID)}")
    return tuple(k for k in KPIS if k.id in wanted)


def _window_starts(cur: duckdb.DuckDBPyConnection, kpis: Sequence[Kpi]) -> dict[DatedBy, date | None]:
    columns = {k.window_start_of for k in kpis if k.window_start_of is not None}
    return {c: cur.execute(f"SELECT min({c.column}) FROM {c.dataset}").fetchone()[0] for c in columns}


def _evaluate(
    cur: duckdb.DuckDBPyConnection,
    span: Coverage,
    reported: Sequence[Quarter],
    by: Scope | None,
    settings: Settings,
    kpis: Sequence[Kpi],
) -> list[KpiResult]:
    wanted = {q for r in reported for q in (r, r.previous(), r.year_ago())}
    periods = sorted(q for q in wanted if span.covers(q))
    model = current_model(cur, settings)
    today = system_today()
    as_of = {q: day for q in periods if (day := as_of_day(span, q, today)) is not None}
    params = Parameters(periods, settings.hours_per_quarter, SPOKE_BANDS.get(model), as_of)
    needs = {name for k in kpis for name in k.query.needs} | ({"kpi_champ"} if by is Scope.CHAMPION else set())
    with workspace(cur, params, needs):
        aggregates = {k.id: _aggregates(cur, k, by) for k in kpis}
        grid = _grid_rows(cur, by) if by else []
    run = _Run(
        settings, Context(model), by, aggregates,
        _window_starts(cur, kpis), frozenset(str(q) for q in periods), {str(q): d for q, d in as_of.items()},
    )
    return [r for quarter in reported for r in _quarter_results(run, kpis, quarter, grid)]


def compute(
    source: Source,
    quarter: Quarter | str,
    by: Scope | str | None = None,
    settings: Settings | None = None,
    kpi_ids: Iterable[str] | None = None,
) -> list[KpiResult]:
    """The KPIs for `quarter`: the org row of every KPI, then, with `by`, one row per
    (KPI, breakdown value) for the KPIs that have that scope (SPEC §3.1).

    `source` is a Store (read in one transaction) or an open cursor. Raises QuarterError
    for a quarter outside the data, naming the range covered.
    """
    target_quarter = quarter if isinstance(quarter, Quarter) else Quarter.parse(quarter)
    with _cursor(source) as cur:
        span = check_covered(target_quarter, coverage(cur))
        return _evaluate(cur, span, [target_quarter], _as_scope(by), settings or Settings(), _select(kpi_ids))


def trend(
    source: Source,
    kpi_ids: Iterable[str] | None = None,
    by: Scope | str | None = None,
    settings: Settings | None = None,
) -> list[KpiResult]:
    """Every covered quarter's results, ordered by KPI, scope and period (empty store: [])."""
    kpis = _select(kpi_ids)
    with _cursor(source) as cur:
        span = coverage(cur)
        if span is None:
            return []
        results = _evaluate(cur, span, span.quarters(), _as_scope(by), settings or Settings(), kpis)
    order = {k.id: i for i, k in enumerate(kpis)}
    return sorted(results, key=lambda r: (order[r.kpi], r.scope_type is not Scope.ORG, r.scope, r.period))


def scorecard_rows(
    source: Source, quarter: Quarter | str, by: Scope | str | None = None, settings: Settings | None = None
) -> list[dict[str, Any]]:
    """`compute` as JSON-ready dicts (the `kpis --format json` output), e.g. for golden files."""
    return [r.as_dict() for r in compute(source, quarter, by, settings)]


def series(results: Iterable[KpiResult], kpi_id: str, scope: str = "org") -> list[KpiResult]:
    """The results of one KPI and scope (`org`, `team:T1`…), in period order."""
    return sorted((r for r in results if r.kpi == kpi_id and r.scope == scope), key=lambda r: r.period)
