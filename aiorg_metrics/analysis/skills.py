"""Skills gaps, single points of failure, coverage against training spend, reconversion paths.

Read from skills.csv against the competency framework (SPEC §2.8) and from
training_spend.csv (SPEC §2.7, §3.3). Conventions:

- An employee's role, seniority and team are those of their row with the latest
  assessed_date (undated rows are the oldest; ties go to the larger skill id).
- The pairs are (employee, skill required by the employee's role); a skill the
  employee was never assessed on counts as level 0. Gap = required level − assessed
  level: positive means below the requirement, negative means above it.
- Skills data is current: the same for every quarter. Training spend is read over the
  four quarters ending with the chosen quarter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

import duckdb
import pandas as pd

from aiorg_metrics.common.clock import today as clock_today
from aiorg_metrics.common.periods import DAYS_PER_MONTH, Quarter
from aiorg_metrics.datasets.framework import load_framework, path_durations
from aiorg_metrics.kpi import coverage, quarter_end
from aiorg_metrics.kpi.settings import SkillsGap
from aiorg_metrics.store.implausible import plausible_range

EXPERT_LEVEL = 3
MIN_EXPERTS = 2
GAP_DEFAULTS = SkillsGap()  # the settings' defaults of the "large gap, low spend" flag


@dataclass(frozen=True)
class SkillsFilters:
    """Optional filters on the employees (their current team, business unit, role, seniority)."""

    team_id: str | None = None
    business_unit: str | None = None
    role: str | None = None
    seniority: str | None = None


def _framework_parameters() -> dict[str, Any]:
    framework = load_framework()
    pairs = framework.pairs()
    return {
        "fw_roles": [role for role, _ in pairs],
        "fw_skills": [skill for _, skill in pairs],
        "seniorities": list(framework.required_levels),
        "required_levels": list(framework.required_levels.values()),
    }


# The framework, the employees' current profiles and their required pairs, filtered.
PAIRS_SQL = """
WITH framework AS (
    SELECT unnest($fw_roles) AS role, unnest($fw_skills) AS skill
),
levels AS (
    SELECT unnest($seniorities) AS seniority, unnest($required_levels) AS required_level
),
employees AS (
    SELECT employee_id, team_id, role, seniority, assessed_date
    FROM skills
    QUALIFY row_number() OVER (
        PARTITION BY employee_id ORDER BY assessed_date DESC NULLS LAST, skill DESC
    ) = 1
),
selected AS (
    SELECT e.*, t.business_unit
    FROM employees e
    LEFT JOIN teams t ON t.team_id = e.team_id
    WHERE ($team_id IS NULL OR e.team_id = $team_id)
      AND ($business_unit IS NULL OR t.business_unit = $business_unit)
      AND ($role IS NULL OR e.role = $role)
      AND ($seniority IS NULL OR e.seniority = $seniority)
),
pairs AS (
    SELECT e.employee_id, e.team_id, e.business_unit, e.role, e.seniority, f.skill,
           l.required_level,
           coalesce(s.level, 0) AS assessed_level,
           s.level IS NULL AS missing_assessment,
           l.required_level - coalesce(s.level, 0) AS gap
    FROM selected e
    JOIN framework f ON f.role = e.role
    JOIN levels l ON l.seniority = e.seniority
    LEFT JOIN skills s ON s.employee_id = e.employee_id AND s.skill = f.skill
)
"""


def _query(cur: duckdb.DuckDBPyConnection, tail: str, filters: SkillsFilters, **extra: Any) -> pd.DataFrame:
    params = _framework_parameters() | asdict(filters) | extra
    return cur.execute(PAIRS_SQL + tail, params).df()


def employee_profiles(cur: duckdb.DuckDBPyConnection, filters: SkillsFilters | None = None) -> pd.DataFrame:
    """Each assessed employee's current team, business unit, role, seniority and latest assessed_date."""
    tail = """
        SELECT employee_id, team_id, business_unit, role, seniority, assessed_date
        FROM selected ORDER BY employee_id
    """
    return _query(cur, tail, filters or SkillsFilters())


def skill_pairs(cur: duckdb.DuckDBPyConnection, filters: SkillsFilters | None = None) -> pd.DataFrame:
    """One row per (employee, skill required by their role): required, assessed (0 if missing) and gap."""
    tail = "SELECT * FROM pairs ORDER BY employee_id, skill"
    return _query(cur, tail, filters or SkillsFilters())


def gap_matrix(
    cur: duckdb.DuckDBPyConnection,
    by: Literal["role", "team"] = "role",
    filters: SkillsFilters | None = None,
) -> pd.DataFrame:
    """Gaps per (role or team) × skill, long form, one row per cell that has employees.

    Columns: group (role or team_id), skill, employees, required_mean, assessed_mean,
    gap_mean (mean of required − assessed; the matrix value), shortfall_mean (mean of
    the positive part only, so that one expert does not hide a colleague's gap),
    below_required (employees under the requirement). Pivot with `as_matrix`.
    """
    column = {"role": "role", "team": "team_id"}[by]
    tail = f"""
        SELECT {column} AS "group", skill,
               count(*) AS employees,
               avg(required_level) AS required_mean,
               avg(assessed_level) AS assessed_mean,
               avg(gap) AS gap_mean,
               avg(greatest(gap, 0)) AS shortfall_mean,
               count(*) FILTER (WHERE gap > 0) AS below_required
        FROM pairs
        GROUP BY ALL
        ORDER BY "group", skill
    """
    return _query(cur, tail, filters or SkillsFilters())


def as_matrix(cells: pd.DataFrame, value: str = "gap_mean") -> pd.DataFrame:
    """A `gap_matrix` frame pivoted to groups × skills (NaN where the group needs no such skill)."""
    return cells.pivot(index="group", columns="skill", values=value)


def single_points_of_failure(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Framework skills in which fewer than 2 employees have level ≥ 3 (expert), org-wide.

    Columns: skill, experts, expert_ids, roles (roles whose framework lists the skill),
    employees_requiring (employees whose current role requires it). Every assessed row
    counts, whatever the employee's role. Sorted by experts, then most required.
    """
    tail = """
        , framework_skills AS (
            SELECT skill, list(DISTINCT role ORDER BY role) AS roles FROM framework GROUP BY skill
        ),
        experts AS (
            SELECT skill, count(*) AS experts, list(employee_id ORDER BY employee_id) AS expert_ids
            FROM skills WHERE level >= $expert_level GROUP BY skill
        ),
        requiring AS (
            SELECT f.skill, count(*) AS employees_requiring
            FROM employees e JOIN framework f ON f.role = e.role GROUP BY f.skill
        )
        SELECT s.skill, coalesce(x.experts, 0) AS experts, coalesce(x.expert_ids, []) AS expert_ids,
               s.roles, coalesce(r.employees_requiring, 0) AS employees_requiring
        FROM framework_skills s
        LEFT JOIN experts x USING (skill)
        LEFT JOIN requiring r USING (skill)
        WHERE coalesce(x.experts, 0) < $min_experts
        ORDER BY experts, employees_requiring DESC, s.skill
    """
    return _query(cur, tail, SkillsFilters(), expert_level=EXPERT_LEVEL, min_experts=MIN_EXPERTS)


def coverage_vs_spend(
    cur: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    *,
    coverage_below: float = GAP_DEFAULTS.coverage_below,
    spend_below: float = GAP_DEFAULTS.spend_per_learner_below,
) -> pd.DataFrame:
    """Per team with assessed employees: skills coverage next to training spend per learner.

    coverage = required pairs met (assessed ≥ required) ÷ required pairs of the team's
    employees (skills_coverage at team scope). spend_per_learner = training cost ÷
    distinct learners over the four quarters ending `quarter`, by the training record's
    team (training_spend_per_learner at team scope; 0-EUR records count as learners).
    `large_gap_low_spend` when coverage < `coverage_below` and spend per learner <
    `spend_below` (both strict). A team with no training in the window counts as
    spending 0 (spend_per_learner stays null): that is the case a CAIO most needs to
    see. Teams with training but nobody assessed have no coverage and are not listed.
    """
    tail = """
        , coverage AS (
            SELECT team_id, count(DISTINCT employee_id) AS employees, count(*) AS pairs,
                   count(*) FILTER (WHERE assessed_level >= required_level) AS pairs_met
            FROM pairs GROUP BY team_id
        ),
        spend AS (
            SELECT team_id, sum(cost_eur) AS training_cost, count(DISTINCT employee_id) AS learners
            FROM training_spend
            WHERE date BETWEEN $window_start AND $window_end
            GROUP BY team_id
        ),
        joined AS (
            SELECT c.*, c.pairs_met / c.pairs AS coverage,
                   coalesce(s.training_cost, 0) AS training_cost, coalesce(s.learners, 0) AS learners,
                   s.training_cost / s.learners AS spend_per_learner
            FROM coverage c LEFT JOIN spend s USING (team_id)
        )
        SELECT j.team_id, t.team_name, t.business_unit, j.employees, j.pairs, j.pairs_met, j.coverage,
               j.training_cost, j.learners, j.spend_per_learner,
               j.coverage < $coverage_below AND coalesce(j.spend_per_learner, 0) < $spend_below
                   AS large_gap_low_spend
        FROM joined j LEFT JOIN teams t USING (team_id)
        ORDER BY large_gap_low_spend DESC, j.coverage, j.team_id
    """
    return _query(
        cur, tail, SkillsFilters(), window_start=quarter.t4q_start, window_end=quarter.last_day,
        coverage_below=coverage_below, spend_below=spend_below,
    )


PATHS_SQL = """
WITH guide AS (
    SELECT unnest($paths) AS path, unnest($target_roles) AS target_role,
           unnest($min_months) AS guide_min_months, unnest($max_months) AS guide_max_months
),
path_pairs AS (
    SELECT employee_id, path,
           min(path_start_date) AS start_date,
           max(path_completed_date) AS completed_date,
           arg_max(team_id, (date, _key)) AS team_id
    FROM training_spend
    WHERE path IS NOT NULL
    GROUP BY employee_id, path
),
measured AS (
    SELECT p.*, g.target_role, g.guide_min_months, g.guide_max_months,
           p.completed_date IS NOT NULL AND p.completed_date <= $quarter_end AS completed,
           CASE WHEN p.start_date > $quarter_end THEN NULL
                WHEN p.completed_date <= $quarter_end THEN p.completed_date - p.start_date
                ELSE $quarter_end - p.start_date END AS elapsed_days
    FROM path_pairs p
    JOIN guide g USING (path)
)
SELECT employee_id, path, target_role, team_id, start_date, completed_date,
       guide_min_months, guide_max_months,
       elapsed_days / $days_per_month AS elapsed_months,
       CASE WHEN start_date > $quarter_end THEN 'not_started'
            WHEN completed THEN 'completed' ELSE 'in_progress' END AS status,
       start_date <= $quarter_end AND (completed_date IS NULL OR completed_date >= $quarter_start)
           AS in_progress_in_quarter,
       elapsed_days / $days_per_month <= guide_max_months AS on_track
FROM measured
ORDER BY start_date, employee_id, path
"""


def path_pairs(cur: duckdb.DuckDBPyConnection, quarter: Quarter) -> pd.DataFrame:
    """Reconversion path pairs (employee, path) as of the end of `quarter`, for a timeline.

    start = earliest path_start_date, completed_date = latest filled completion, team =
    team of the pair's latest-dated row (ties: larger record key). elapsed_months =
    months from start to completion when completed by the end of Q, else to the end of
    Q (in a quarter in progress, the data's last day, as the KPI reads it). on_track
    follows upskilling_on_track: elapsed ≤ the guide's max months; it is
    null for paths not started by the end of Q. `in_progress_in_quarter` marks the
    population of upskilling_on_track (started ≤ end of Q, not completed before Q).
    """
    guide = list(path_durations().values())
    params = {
        "paths": [p.path for p in guide],
        "target_roles": [p.target_role for p in guide],
        "min_months": [p.min_months for p in guide],
        "max_months": [p.max_months for p in guide],
        "quarter_start": quarter.first_day,
        "quarter_end": quarter_end(span, quarter) if (span := coverage(cur)) else quarter.last_day,
        "days_per_month": DAYS_PER_MONTH,
    }
    return cur.execute(PATHS_SQL, params).df()


def latest_training_quarter(cur: duckdb.DuckDBPyConnection, today: date | None = None) -> Quarter:
    """The quarter of the latest training record with a plausible date (else of `today`): the
    default for spend and paths."""
    latest = cur.execute(
        "SELECT max(date) FROM training_spend WHERE date BETWEEN ? AND ?",
        list(plausible_range(today)),
    ).fetchone()[0]
    return Quarter.containing(latest or today or clock_today())
