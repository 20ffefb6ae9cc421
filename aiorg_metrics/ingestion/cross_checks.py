"""Dataset-specific warnings that read another dataset (SPEC §2.5, 2.6, 2.8).

Each check returns warnings for the valid rows of `_keyed`; none of them blocks a row.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from aiorg_metrics.datasets.framework import known_skills
from aiorg_metrics.datasets.problems import Level, Problem
from aiorg_metrics.datasets.registry import Dataset
from aiorg_metrics.ingestion.validation import VALID, shown, typed


def _warn(line: int, column: str, value: str, reason: str, fix: str) -> Problem:
    return Problem(line, column, value, reason, fix, Level.WARNING)


def _joined_rows(cur: duckdb.DuckDBPyConnection, columns: str, table: str, key: str, condition: str) -> list[tuple]:
    """Valid `_keyed` rows (line, then `columns`) whose `key` finds a row `t` of `table` with `condition` true."""
    return cur.execute(
        f"SELECT k._line, {columns} FROM _keyed k JOIN {table} t ON t.{key} = k.{typed(key)} "
        f"WHERE {VALID} AND ({condition})"
    ).fetchall()


def poc_dates(cur: duckdb.DuckDBPyConnection) -> list[Problem]:
    start = typed("start_date")
    rows = _joined_rows(
        cur,
        f"{shown('start_date')}, t.identified_date, t.rejected_date, {start} < t.identified_date",
        "use_cases",
        "use_case_id",
        f"{start} < t.identified_date OR {start} > t.rejected_date",
    )
    out = []
    for line, value, identified, rejected, early in rows:
        what = f"before the use case was identified ({identified})" if early else f"after it was rejected ({rejected})"
        out.append(_warn(line, "start_date", value, f"The PoC starts {what}.", "Check the dates; the row is stored."))
    return out


def adoption_usage(cur: duckdb.DuckDBPyConnection) -> list[Problem]:
    rows = _joined_rows(
        cur,
        f"{shown('poc_id')}, {shown('month', month=True)}, t.outcome, t.production_date",
        "poc_conversions",
        "poc_id",
        f"t.outcome <> 'production' OR {typed('month')} < date_trunc('month', t.production_date)",
    )
    out = []
    for line, poc, month, outcome, production in rows:
        if outcome != "production":
            out.append(
                _warn(
                    line,
                    "poc_id",
                    poc,
                    f"PoC '{poc}' is not in production (outcome {outcome}); "
                    "this usage is stored but left out of the KPIs.",
                    "Check the PoC's outcome.",
                )
            )
        else:
            out.append(
                _warn(
                    line,
                    "month",
                    month,
                    f"Usage reported before production ({production}); stored but left out of the KPIs and the funnel.",
                    "Check the month or the production date.",
                )
            )
    return out


def unknown_skills(cur: duckdb.DuckDBPyConnection) -> list[Problem]:
    rows = cur.execute(
        f"SELECT k._line, {shown('skill')} FROM _keyed k WHERE {VALID} AND NOT list_contains(?, {typed('skill')})",
        [sorted(known_skills())],
    ).fetchall()
    return [
        _warn(
            line,
            "skill",
            v,
            "This skill is not in the competency framework; it is stored but used in no required pair.",
            "Use a skill id of the framework, or add the skill to the framework file.",
        )
        for line, v in rows
    ]


def inconsistent_profiles(cur: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Rows whose role, seniority or team differ from the employee's latest assessment in the file."""
    rows = cur.execute(
        f"""
        WITH r AS (SELECT _line, {typed("employee_id")} e, {typed("role")} role, {typed("seniority")} sen,
                   {typed("team_id")} team, {typed("assessed_date")} d, {typed("skill")} skill
                   FROM _keyed k WHERE {VALID}),
        latest AS (SELECT e, arg_max(role || '|' || sen || '|' || team,
                   (coalesce(d, DATE '0001-01-01'), skill)) AS profile FROM r GROUP BY e)
        SELECT r._line, r.e, latest.profile FROM r JOIN latest USING (e)
        WHERE r.role || '|' || r.sen || '|' || r.team <> latest.profile ORDER BY r._line
        """
    ).fetchall()
    out = []
    for line, employee, profile in rows:
        role, seniority, team = profile.split("|", 2)
        out.append(
            _warn(
                line,
                "employee_id",
                employee,
                f"Role, seniority or team differ from the employee's latest assessment "
                f"({role}, {seniority}, {team}), which is the one used.",
                "Make the employee's rows agree.",
            )
        )
    return out


CHECKS: dict[str, tuple[Callable[[duckdb.DuckDBPyConnection], list[Problem]], ...]] = {
    "poc_conversions": (poc_dates,),
    "adoption": (adoption_usage,),
    "skills": (unknown_skills, inconsistent_profiles),
}


def cross_checks(cur: duckdb.DuckDBPyConnection, ds: Dataset) -> list[Problem]:
    return [p for check in CHECKS.get(ds.name, ()) for p in check(cur)]
