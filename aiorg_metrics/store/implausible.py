"""Implausible dates already in the store: rows a store from an earlier version may hold.

Since SPEC §1 the importer refuses a date before 1 Jan 2000 or more than one year after
the import day. A store written before that rule may still hold such dates (9999-12-31,
0001-01-01, 2206-05-01). They never take a page down: the quarters the data covers are read
from plausible dates only. This module finds those rows so the Data page can list them
with advice; fixing them is the analyst's (fix the export and re-import, or undo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from aiorg_metrics.common import clock
from aiorg_metrics.datasets.fieldtypes import EARLIEST_DATE, ColumnType, latest_date
from aiorg_metrics.datasets.registry import DATASETS

MAX_LISTED = 200
COLUMNS = ["dataset", "key", "column", "value"]


@dataclass(frozen=True)
class ImplausibleDates:
    """The first `MAX_LISTED` rows holding an implausible date, and how many there are in all."""

    rows: pd.DataFrame  # dataset, key, column, value (ISO text), ordered by dataset, key, column
    total: int
    latest: date  # the latest plausible day when they were looked for

    @property
    def any(self) -> bool:
        return self.total > 0


def plausible_range(today: date | None = None) -> tuple[date, date]:
    """The first and last plausible days (SPEC §1): 1 Jan 2000, and one year after `today`
    (default: the product's today, `clock.today()`)."""
    return EARLIEST_DATE, latest_date(today or clock.today())


def _date_columns() -> list[tuple[str, tuple[str, ...], str]]:
    """(table, key columns, date column) for every date or month column of every dataset."""
    return [
        (d.table, d.key, c.name)
        for d in DATASETS
        for c in d.columns
        if c.type in (ColumnType.DATE, ColumnType.MONTH)
    ]


def _select(table: str, key: tuple[str, ...], column: str) -> str:
    key_text = ", ".join(f"CAST({k} AS VARCHAR)" for k in key)
    # Cast to text in SQL: DuckDB holds years Python's date cannot (10000, or before year 1).
    return (
        f"SELECT '{table}' AS dataset, concat_ws(' · ', {key_text}) AS key, '{column}' AS \"column\", "
        f"CAST({column} AS VARCHAR) AS value FROM {table} "
        f"WHERE {column} < $earliest OR {column} > $latest"
    )


def _union(today: date | None) -> tuple[str, dict[str, date]]:
    earliest, latest = plausible_range(today)
    union = " UNION ALL ".join(_select(*spec) for spec in _date_columns())
    return union, {"earliest": earliest, "latest": latest}


def count_implausible(cur: duckdb.DuckDBPyConnection, today: date | None = None) -> int:
    """How many stored values hold a date before 1 Jan 2000 or more than one year after `today`."""
    union, bounds = _union(today)
    return int(cur.execute(f"SELECT count(*) FROM ({union})", bounds).fetchone()[0])


def find_implausible(cur: duckdb.DuckDBPyConnection, today: date | None = None,
                     limit: int = MAX_LISTED) -> ImplausibleDates:
    """Every stored date before 1 Jan 2000 or more than one year after `today` (default: the
    product's today), listed up to `limit` rows, with the total count."""
    union, bounds = _union(today)
    frame = cur.execute(
        f"SELECT *, count(*) OVER () AS total FROM ({union}) ORDER BY dataset, key, \"column\" LIMIT {int(limit)}",
        bounds,
    ).df()
    total = int(frame["total"].iloc[0]) if not frame.empty else 0
    return ImplausibleDates(frame[COLUMNS].reset_index(drop=True), total, bounds["latest"])


def explanation(found: ImplausibleDates) -> str:
    """What the rows are, why they matter and how to fix them, in plain words (markdown)."""
    shown = "" if found.total <= len(found.rows) else f" (the first {len(found.rows)} are listed)"
    return (
        f"**{found.total} stored value(s) hold an implausible date**{shown}: before 1 Jan 2000 or after "
        f"{found.latest:%d %b %Y} (one year after today), most likely typos such as 9999-12-31 or 2206 for "
        "2026. They were imported by an earlier version, which did not check this. The pages ignore them "
        "when they choose the quarters to show, but the KPIs that read these rows may be wrong.\n\n"
        "**To fix them:** correct the dates in the export and import the file again (its rows replace "
        "the stored ones), or undo the import that brought them in."
    )
