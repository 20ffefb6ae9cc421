"""Small read-only look-ups the app needs beside the KPI engine: the team directory,
the champions of a quarter with their names, one champion's use cases, data freshness.

These are adapters written for the app (issue 4) where no engine module offered the
data; each is one query over the store's tables and returns plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.ingestion.import_log import history
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.kpi import coverage


def teams(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every team: team_id, team_name, business_unit, team_kind, headcount, ai_staff (by unit, kind, name)."""
    return cur.execute(
        "SELECT team_id, team_name, business_unit, team_kind, headcount, ai_staff FROM teams "
        "ORDER BY business_unit, team_kind <> 'business', team_name, team_id"
    ).df()


def by_team(directory: pd.DataFrame, column: str) -> dict[str, str]:
    """Team id → the team's `column` in the directory (`teams`): its team_name or business_unit."""
    return dict(zip(directory["team_id"], directory[column], strict=True))


def champions(cur: duckdb.DuckDBPyConnection, quarter: Quarter) -> pd.DataFrame:
    """Champions seen on or before the end of `quarter` (activity or use case): champion_id,
    champion_name (their latest non-blank name, else None), and the team they represent at the end
    of the quarter with its business unit (team_id, business_unit; None when unknown), ordered by
    name then id. The team follows the KPIs' rule: their latest activity row, else the latest use
    case they identified."""
    return cur.execute(
        """
        WITH seen AS (
            SELECT champion_id, champion_name, team_id, date, {'activity': true, 'd': date, 'k': _key} AS rank
            FROM champion_activity WHERE date <= $end
            UNION ALL
            SELECT nullif(trim(champion_id), ''), NULL, team_id, identified_date,
                   {'activity': false, 'd': identified_date, 'k': use_case_id}
            FROM use_cases
            WHERE nullif(trim(champion_id), '') IS NOT NULL AND identified_date <= $end
        ), named AS (
            SELECT champion_id,
                   arg_max(champion_name, date) FILTER (WHERE coalesce(trim(champion_name), '') <> '')
                       AS champion_name,
                   arg_max(team_id, rank) AS team_id
            FROM seen GROUP BY champion_id
        )
        SELECT n.champion_id, n.champion_name, t.team_id, t.business_unit
        FROM named n LEFT JOIN teams t ON t.team_id = n.team_id
        ORDER BY n.champion_name NULLS LAST, n.champion_id
        """,
        {"end": quarter.last_day},
    ).df()


def champion_use_cases(cur: duckdb.DuckDBPyConnection, champion_id: str, quarter: Quarter) -> pd.DataFrame:
    """The use cases a champion identified on or before the end of `quarter`, newest first, with
    where each stands at the end of the quarter (stage: rejected, production, PoC, qualified,
    identified) and the dates that placed it there."""
    return cur.execute(
        """
        WITH pocs AS (
            SELECT use_case_id, min(start_date) AS poc_started,
                   min(production_date) FILTER (WHERE outcome = 'production' AND production_date <= $end)
                       AS in_production
            FROM poc_conversions WHERE start_date <= $end GROUP BY use_case_id
        )
        SELECT u.use_case_id, u.title, u.team_id, t.team_name, u.identified_date,
               CASE WHEN u.qualified_date <= $end THEN u.qualified_date END AS qualified_date,
               p.poc_started, p.in_production,
               CASE WHEN u.rejected_date <= $end THEN u.rejected_date END AS rejected_date,
               CASE WHEN u.rejected_date <= $end THEN 'rejected'
                    WHEN p.in_production IS NOT NULL THEN 'production'
                    WHEN p.poc_started IS NOT NULL THEN 'PoC'
                    WHEN u.qualified_date <= $end THEN 'qualified'
                    ELSE 'identified' END AS stage
        FROM use_cases u
        LEFT JOIN pocs p USING (use_case_id)
        LEFT JOIN teams t ON t.team_id = u.team_id
        WHERE u.champion_id = $champion AND u.identified_date <= $end
        ORDER BY u.identified_date DESC, u.use_case_id
        """,
        {"champion": champion_id, "end": quarter.last_day},
    ).df()


@dataclass(frozen=True)
class Freshness:
    """How current the store is: its dated range and its latest import that stored something."""

    first_day: date | None
    last_day: date | None
    last_import_at: datetime | None
    last_import_file: str | None
    last_import_dataset: str | None


_STORING = {Outcome.STORED.value, Outcome.STORED_WITH_SKIPS.value, Outcome.UNCHANGED.value}


def freshness(cur: duckdb.DuckDBPyConnection) -> Freshness:
    """The dates the data spans and the latest import that was stored (sample imports included)."""
    span = coverage(cur)
    log = history(cur)
    stored = log[log["outcome"].isin(_STORING)] if not log.empty else log
    latest = stored.iloc[0] if not stored.empty else None
    def field(name: str) -> str | None:
        return None if latest is None or pd.isna(latest[name]) else str(latest[name])

    return Freshness(
        first_day=span.first_day if span else None,
        last_day=span.last_day if span else None,
        last_import_at=latest["started_at"].to_pydatetime() if latest is not None else None,
        last_import_file=field("file_name"),
        last_import_dataset=field("dataset"),
    )


def empty_datasets(cur: duckdb.DuckDBPyConnection) -> list[str]:
    """The datasets that hold no row yet, in import order.

    One query of row counts: every page's run reads this (once per data version), so it stays off the
    dates and the last imports that the Data page's status table reads (`import_log.dataset_status`)."""
    counts = ", ".join(f"(SELECT count(*) FROM {ds.table})" for ds in DATASETS)
    row = cur.execute(f"SELECT {counts}").fetchone()
    return [ds.name for ds, rows in zip(DATASETS, row, strict=True) if rows == 0]
