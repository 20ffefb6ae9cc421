"""The use-case funnel (SPEC §3.5): identified → qualified → PoC → production → adopted.

Unit: the use case. Cohort: the use cases identified in the selected identification
period (by default the four quarters ending with the selected quarter, the cohort of
use_case_to_poc_rate), seen as they stand at the end of the selected quarter (the data's last
day while the quarter is in progress, SPEC §3.2). Each
stage is reached at a date:

- identified: identified_date;
- qualified: the earlier of qualified_date (if ≤ end of Q) and the first PoC start
  (a PoC started implies the use case was qualified);
- poc: the earliest PoC start_date ≤ end of Q, whatever the PoC's outcome;
- production: the earliest production_date ≤ end of Q;
- adopted: a production PoC whose latest adoption month ≤ end of Q has
  min(active ÷ target, 1) ≥ 0.70; dated at the later of its production_date and the
  first day of its earliest month ≤ end of Q with a ratio ≥ 0.70 (earliest over the
  use case's adopted PoCs). Adoption rows of PoCs not in production, and months before
  the production month, are ignored.

Rejected use cases stay in the counts (the cohort is everything identified), but not in
the "waiting longest" lists, which show where live work is stuck. Funnel steps carry no
status colour: the targets belong to use_case_to_poc_rate and poc_to_production_rate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from aiorg_metrics.common.periods import DAYS_PER_MONTH, Quarter
from aiorg_metrics.datasets.registry import Outcome
from aiorg_metrics.kpi import coverage, quarter_end

STAGES = ("identified", "qualified", "poc", "production", "adopted")
ADOPTED_RATIO = 0.70
WAITING_ALERT_MONTHS = 3
WAITING_LIMIT = 5


@dataclass(frozen=True)
class FunnelFilters:
    """Optional filters, combined with AND: the use case's team's business unit, its team, its champion."""

    business_unit: str | None = None
    team_id: str | None = None
    champion_id: str | None = None


@dataclass(frozen=True)
class FunnelStage:
    """One step: how many reached it, conversion shares (fractions) and days from the previous step."""

    stage: str
    reached: int
    share_of_previous: float | None
    share_of_first: float | None
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Funnel:
    """The funnel of one cohort as of `as_of` (end of `quarter`; the data's last day while it is in progress).

    `waiting` lists, per stage before adopted, the non-rejected use cases that have
    been in that stage longest: stage, use_case_id, title, team_id, champion_id,
    entered_date, age_days, age_months, over_3_months (qualified and waiting for a PoC
    more than 3 months: the guide's alert for demand waiting; false in other stages).
    """

    quarter: str
    as_of: date
    identified_from: date
    identified_to: date
    filters: FunnelFilters
    stages: tuple[FunnelStage, ...]
    waiting: pd.DataFrame = field(compare=False)

    def stages_frame(self) -> pd.DataFrame:
        """The stages as a DataFrame, one row per stage in funnel order."""
        return pd.DataFrame([asdict(s) for s in self.stages])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (dates as ISO text)."""
        waiting = self.waiting.assign(entered_date=self.waiting["entered_date"].astype(str))
        return {
            "quarter": self.quarter,
            "as_of": self.as_of.isoformat(),
            "identified_from": self.identified_from.isoformat(),
            "identified_to": self.identified_to.isoformat(),
            "filters": asdict(self.filters),
            "stages": [asdict(s) for s in self.stages],
            "waiting": waiting.to_dict(orient="records"),
        }


# One row per cohort use case with the date it reached each stage (NULL: not reached).
JOURNEY_SQL = """
WITH cohort AS (
    SELECT u.use_case_id, u.title, u.team_id, u.champion_id, u.identified_date,
           CASE WHEN u.qualified_date <= $as_of THEN u.qualified_date END AS qualified_date,
           coalesce(u.rejected_date <= $as_of, false) AS rejected
    FROM use_cases u
    LEFT JOIN teams t ON t.team_id = u.team_id
    WHERE u.identified_date BETWEEN $identified_from AND $identified_to
      AND ($business_unit IS NULL OR t.business_unit = $business_unit)
      AND ($team_id IS NULL OR u.team_id = $team_id)
      AND ($champion_id IS NULL OR u.champion_id = $champion_id)
),
pocs AS (
    SELECT use_case_id,
           min(start_date) AS poc_at,
           min(production_date) FILTER (WHERE outcome = $production AND production_date <= $as_of) AS production_at
    FROM poc_conversions
    WHERE start_date <= $as_of AND use_case_id IN (SELECT use_case_id FROM cohort)
    GROUP BY use_case_id
),
usage AS (
    SELECT p.use_case_id, p.poc_id, p.production_date, a.month,
           least(a.active_users::DOUBLE / a.target_users, 1.0) AS ratio
    FROM adoption a
    JOIN poc_conversions p ON p.poc_id = a.poc_id
    WHERE p.outcome = $production AND p.production_date <= $as_of
      AND a.month <= $as_of
      AND a.month >= CAST(date_trunc('month', p.production_date) AS DATE)
      AND p.use_case_id IN (SELECT use_case_id FROM cohort)
),
adopted_pocs AS (
    SELECT use_case_id,
           greatest(any_value(production_date), min(month) FILTER (WHERE ratio >= $adopted_ratio)) AS adopted_at
    FROM usage
    GROUP BY use_case_id, poc_id
    HAVING arg_max(ratio, month) >= $adopted_ratio
),
adopted AS (
    SELECT use_case_id, min(adopted_at) AS adopted_at FROM adopted_pocs GROUP BY use_case_id
),
journey AS (
    SELECT c.use_case_id, c.title, c.team_id, c.champion_id, c.rejected, c.identified_date,
           least(c.qualified_date, p.poc_at) AS qualified_at,
           p.poc_at, p.production_at, a.adopted_at
    FROM cohort c
    LEFT JOIN pocs p USING (use_case_id)
    LEFT JOIN adopted a USING (use_case_id)
),
stage_names AS (
    SELECT unnest($stages) AS stage, unnest(range(1, len($stages) + 1)) AS step
)
"""

STAGES_SQL = JOURNEY_SQL + """,
reached AS (
    SELECT 1 AS step, identified_date AS reached_at, NULL::DATE AS previous_at FROM journey
    UNION ALL SELECT 2, qualified_at, identified_date FROM journey
    UNION ALL SELECT 3, poc_at, qualified_at FROM journey
    UNION ALL SELECT 4, production_at, poc_at FROM journey
    UNION ALL SELECT 5, adopted_at, production_at FROM journey
),
counts AS (
    SELECT s.step, s.stage,
           count(r.reached_at) AS reached,
           quantile_cont((r.reached_at - r.previous_at)::DOUBLE, 0.5) AS median_days,
           quantile_cont((r.reached_at - r.previous_at)::DOUBLE, 0.9) AS p90_days
    FROM stage_names s
    LEFT JOIN reached r ON r.step = s.step AND r.reached_at IS NOT NULL
    GROUP BY s.step, s.stage
)
SELECT stage, reached,
       reached / nullif(lag(reached) OVER (ORDER BY step), 0) AS share_of_previous,
       reached / nullif(first_value(reached) OVER (ORDER BY step), 0) AS share_of_first,
       median_days, p90_days
FROM counts
ORDER BY step
"""

WAITING_SQL = JOURNEY_SQL + """,
current_stage AS (
    SELECT *,
           CASE WHEN adopted_at IS NOT NULL THEN 5 WHEN production_at IS NOT NULL THEN 4
                WHEN poc_at IS NOT NULL THEN 3 WHEN qualified_at IS NOT NULL THEN 2 ELSE 1 END AS step,
           coalesce(adopted_at, production_at, poc_at, qualified_at, identified_date) AS entered_date
    FROM journey
    WHERE NOT rejected
)
SELECT s.stage, c.use_case_id, c.title, c.team_id, c.champion_id, c.entered_date,
       $as_of - c.entered_date AS age_days,
       ($as_of - c.entered_date) / $days_per_month AS age_months,
       s.stage = 'qualified' AND ($as_of - c.entered_date) > $alert_days AS over_3_months
FROM current_stage c
JOIN stage_names s USING (step)
WHERE c.step < len($stages)
QUALIFY row_number() OVER (PARTITION BY c.step ORDER BY age_days DESC, c.use_case_id) <= $limit
ORDER BY c.step, age_days DESC, c.use_case_id
"""


def identification_period(quarter: Quarter, first: date | None, last: date | None) -> tuple[date, date]:
    """The identification period: by default the four quarters ending with `quarter`.

    Raises ValueError when the period is reversed or ends after the end of `quarter`
    (use cases identified later do not exist yet as of the end of the quarter).
    """
    start = first or quarter.t4q_start
    end = last or quarter.last_day
    if start > end:
        raise ValueError(f"identification period starts ({start}) after it ends ({end})")
    if end > quarter.last_day:
        raise ValueError(f"identification period must end by the end of {quarter} ({quarter.last_day}), not {end}")
    return start, end


def _parameters(as_of: date, period: tuple[date, date], filters: FunnelFilters) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "identified_from": period[0],
        "identified_to": period[1],
        **asdict(filters),
        "production": Outcome.PRODUCTION.value,
        "adopted_ratio": ADOPTED_RATIO,
        "stages": list(STAGES),
    }


def _stages(cur: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> tuple[FunnelStage, ...]:
    rows = cur.execute(STAGES_SQL, params).fetchall()
    return tuple(FunnelStage(stage, int(n), prev, first, median, p90) for stage, n, prev, first, median, p90 in rows)


def _waiting(cur: duckdb.DuckDBPyConnection, params: dict[str, Any], limit: int) -> pd.DataFrame:
    extra = {"days_per_month": DAYS_PER_MONTH, "alert_days": WAITING_ALERT_MONTHS * DAYS_PER_MONTH, "limit": limit}
    return cur.execute(WAITING_SQL, params | extra).df()


def compute_funnel(
    cur: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    *,
    identified_from: date | None = None,
    identified_to: date | None = None,
    filters: FunnelFilters | None = None,
    waiting_limit: int = WAITING_LIMIT,
) -> Funnel:
    """The funnel of the use cases identified in [identified_from, identified_to], as of the end of `quarter`
    (in a quarter in progress, the data's last day: `kpi.quarter_end`).

    The period defaults to the four quarters ending with `quarter`; a range of quarters
    is passed as (first quarter's first day, last quarter's last day). `waiting_limit`
    caps the "waiting longest" list of each stage; qualified use cases waiting for a PoC
    more than 3 months (91.32 days) are flagged `over_3_months`, the guide's alert for
    demand waiting (items in other stages never are).
    """
    period = identification_period(quarter, identified_from, identified_to)
    filters = filters or FunnelFilters()
    span = coverage(cur)
    as_of = quarter_end(span, quarter) if span else quarter.last_day
    params = _parameters(as_of, period, filters)
    return Funnel(
        quarter=str(quarter), as_of=as_of, identified_from=period[0], identified_to=period[1],
        filters=filters, stages=_stages(cur, params), waiting=_waiting(cur, params, waiting_limit),
    )
