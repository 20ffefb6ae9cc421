"""The rows behind a KPI's value (issue 10, "Drill-down"): the use cases waiting in the queue,
the solutions in production with their usage, the business teams with their active champions.

Each list runs the KPI's own population query (`Kpi.query.units` of `kpi/catalog.py`) over
the engine's relations (`kpi/relations.py`), for one quarter and one scope, so its rows are
exactly the members the KPI counts: the waiting use cases are the queue's n, the solutions
with usage data the adoption's n, the business teams the champion KPIs' denominator.

Also the second reading of adoption (issue 10, item 9): how many of those solutions reach
the funnel's "adopted" line (≥ 70% of their target users), beside the KPI's average.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from aiorg_metrics.analysis.funnel import ADOPTED_RATIO, WAITING_ALERT_MONTHS
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.kpi import Scope, as_of_day, check_covered, coverage, current_model, kpi
from aiorg_metrics.kpi.catalog import IN_CHAMPION_BAND
from aiorg_metrics.kpi.engine import SPOKE_BANDS
from aiorg_metrics.kpi.relations import UNASSIGNED, Parameters, workspace
from aiorg_metrics.kpi.settings import Settings

QUEUE, ADOPTION = "demand_queue_months", "adoption_rate"
CHAMPIONS, IN_BAND = "champions_per_business_team", "business_teams_in_champion_band"

# What each list selects from its KPI's population rows (`x`), and how it orders them.
_SELECTS: dict[str, tuple[str, str, str]] = {
    QUEUE: (
        f"""
        x.use_case_id, uc.title, x.team, t.team_name, x.business_unit,
        coalesce(ai.team_name, CASE WHEN x.ai_team = '{UNASSIGNED}' THEN x.ai_team END, uc.ai_team_id) AS ai_team,
        x.qualified_date, x.age_months AS months_waiting, x.age_months > $alert AS off_target
        """,
        "LEFT JOIN use_cases uc ON uc.use_case_id = x.use_case_id "
        "LEFT JOIN teams ai ON ai.team_id = x.ai_team",
        "x.waiting",
    ),
    ADOPTION: (
        """
        x.poc_id, uc.use_case_id, uc.title, x.team, t.team_name, x.business_unit, x.month,
        x.active_users, x.target_users, x.ratio, x.ratio < $adopted AS off_target
        """,
        "LEFT JOIN poc_conversions c ON c.poc_id = x.poc_id LEFT JOIN use_cases uc ON uc.use_case_id = c.use_case_id",
        "x.ratio IS NOT NULL",
    ),
    CHAMPIONS: (
        f"x.team, t.team_name, x.business_unit, x.champions, NOT ({IN_CHAMPION_BAND}) AS off_target",
        "",
        "x.kind = 'team'",
    ),
}
_SELECTS[IN_BAND] = _SELECTS[CHAMPIONS]
_ORDER = {
    QUEUE: "months_waiting DESC, use_case_id",
    ADOPTION: "ratio, poc_id",
    CHAMPIONS: "off_target DESC, champions, business_unit, team_name, team",
    IN_BAND: "off_target DESC, champions, business_unit, team_name, team",
}
DRILLABLE: tuple[str, ...] = tuple(_SELECTS)
ROW_SCOPES = (Scope.ORG, Scope.BUSINESS_UNIT, Scope.TEAM, Scope.AI_TEAM)


@dataclass(frozen=True)
class Where:
    """The scope the rows belong to: the organization, a business unit, a team or (the queue) an AI team."""

    scope: Scope = Scope.ORG
    value: str | None = None

    def __post_init__(self) -> None:
        if self.scope not in ROW_SCOPES or (self.scope is Scope.ORG) != (self.value is None):
            raise ValueError(f"no rows for scope {self.scope} {self.value!r}")


WHOLE_ORGANIZATION = Where()


def _parameters(cur: duckdb.DuckDBPyConnection, quarter: Quarter, settings: Settings) -> Parameters:
    # Built as the engine builds them, so that "end of Q" (a quarter in progress included) is the KPI's.
    span = check_covered(quarter, coverage(cur))
    as_of = as_of_day(span, quarter)
    return Parameters([quarter], settings.hours_per_quarter, SPOKE_BANDS.get(current_model(cur, settings)),
                      {quarter: as_of} if as_of else {})


def rows_behind(
    cur: duckdb.DuckDBPyConnection, kpi_id: str, quarter: Quarter, where: Where = WHOLE_ORGANIZATION,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """The members of `kpi_id`'s population in `quarter` at `where`, with `off_target` per row.

    demand_queue_months: the waiting use cases (use_case_id, title, team, team_name, business_unit,
    ai_team: the serving AI team's name, qualified_date, months_waiting; off target past 3 months),
    longest first. adoption_rate: the solutions with usage data (poc_id, use_case_id, title, team,
    team_name, business_unit, month: the latest of the quarter, active_users, target_users, ratio:
    capped at 1; off target below the funnel's 70%), lowest first. The champion KPIs: the business
    teams (team, team_name, business_unit, champions: active in the quarter; off target outside
    1–2), those outside first. Raises KeyError for another KPI, QuarterError outside the data.
    """
    if kpi_id not in _SELECTS:
        raise KeyError(f"no rows listed behind '{kpi_id}'; listed: {', '.join(DRILLABLE)}")
    spec, settings = kpi(kpi_id), settings or Settings()
    if where.scope is not Scope.ORG and where.scope not in spec.scopes and kpi_id != IN_BAND:
        raise ValueError(f"{spec.label} has no {where.scope.value} scope")
    columns, joins, keep = _SELECTS[kpi_id]
    scoped = "true" if where.value is None else f"x.{where.scope.value} = $value"  # a Scope: a column name
    sql = (
        f"WITH units AS ({spec.query.units}) SELECT {columns} FROM units x {joins} "
        f"LEFT JOIN teams t ON t.team_id = x.team "
        f"WHERE x.period = $period AND {keep} AND {scoped} ORDER BY {_ORDER[kpi_id]}"
    )
    values = {"period": str(quarter), "alert": WAITING_ALERT_MONTHS, "adopted": ADOPTED_RATIO, "value": where.value}
    used = {name: v for name, v in values.items() if f"${name}" in sql}
    with workspace(cur, _parameters(cur, quarter, settings), spec.query.needs):
        return cur.execute(sql, used).df()


@dataclass(frozen=True)
class AdoptedCount:
    """The funnel's reading of adoption over the KPI's population: solutions at ≥ 70% of their target users."""

    adopted: int
    solutions: int

    @property
    def sentence(self) -> str:
        """"11 of 17 solutions at ≥ 70% of their target users"."""
        noun = "solution" if self.solutions == 1 else "solutions"
        return f"{self.adopted} of {self.solutions} {noun} at ≥ {ADOPTED_RATIO:.0%} of their target users"

    @property
    def card_detail(self) -> str:
        """The adoption card's line: this count, and which of the two readings the KPI's target applies to."""
        return f"{self.sentence}; the target applies to their average usage"


def adopted_count(rows: pd.DataFrame) -> AdoptedCount:
    """How many of the adoption rows (`rows_behind(..., "adoption_rate", ...)`) reach ≥ 70%."""
    return AdoptedCount(int((~rows["off_target"].astype(bool)).sum()), len(rows))


@dataclass(frozen=True)
class ServingPart:
    """One AI team's part of a queue: the waiting use cases it serves and the median of their wait."""

    ai_team: str  # its name (the relations' unassigned marker when the use case names none)
    waiting: int
    median_months: float


def serving_parts(rows: pd.DataFrame) -> list[ServingPart]:
    """The AI teams serving the waiting use cases `rows` (`rows_behind(..., "demand_queue_months", ...)` at
    any scope), most waiting first: each one's count and median wait (the KPI's median over its part)."""
    if rows.empty:
        return []
    teams = rows["ai_team"].fillna(UNASSIGNED)
    grouped = rows.groupby(teams)["months_waiting"].agg(["size", "median"]).reset_index()
    parts = [ServingPart(str(team), int(size), float(median)) for team, size, median in grouped.itertuples(index=False)]
    return sorted(parts, key=lambda p: (-p.waiting, p.ai_team))
