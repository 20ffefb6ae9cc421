"""The import log: one row per import attempt, undo bookkeeping and history (SPEC §2.1)."""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.ingestion.import_report import CHANGING, ImportReport, Outcome

if TYPE_CHECKING:  # pandas is imported only where a frame is built (keeps the CLI quick to start)
    import pandas as pd


def os_user() -> str:
    """The operating-system user running this process ("unknown" when the system cannot say)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def current_user() -> str:
    """The operating-system user, marked as local mode until sign-in exists."""
    return f"{os_user()} (local mode)"


def next_import_id(cur: duckdb.DuckDBPyConnection) -> int:
    return int(cur.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchall()[0][0])


def record(
    cur: duckdb.DuckDBPyConnection,
    report: ImportReport,
    *,
    sha256: str | None,
    mode: str,
    started: datetime,
    sample: bool,
    user: str,
    undoes: int | None = None,
) -> int:
    """Append the report to the log; returns its import id."""
    import_id = report.import_id or next_import_id(cur)
    cur.execute(
        "INSERT INTO import_log (import_id, dataset, file_name, sha256, dialect, mode, rows_in_file, valid, invalid, "
        "inserted, updated, unchanged, deleted, rejected, warnings, started_at, ended_at, outcome, is_sample, "
        "user_name, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            report.dataset or "?",
            report.file_name,
            sha256,
            report.read_as,
            mode,
            report.rows_in_file,
            report.valid,
            report.invalid,
            report.inserted,
            report.updated,
            report.unchanged,
            report.deleted,
            report.invalid if report.outcome is not Outcome.REJECTED else report.rows_in_file,
            report.warning_count,
            started,
            datetime.now(),
            report.outcome.value,
            sample,
            user,
            undoes,
        ],
    )
    return import_id


def holds_sample(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether any stored row comes from an import marked as sample data."""
    sample_ids = "SELECT import_id FROM import_log WHERE is_sample"
    return any(
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {ds.table} WHERE _import_id IN ({sample_ids}))").fetchall()[0][0]
        for ds in DATASETS
    )


def holds_only_sample(cur: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store holds sample rows and nothing else (no row from an import of real data)."""
    real_ids = "SELECT import_id FROM import_log WHERE NOT is_sample"
    return holds_sample(cur) and not any(
        cur.execute(f"SELECT EXISTS (SELECT 1 FROM {ds.table} WHERE _import_id IN ({real_ids}))").fetchall()[0][0]
        for ds in DATASETS
    )


def latest_undoable(cur: duckdb.DuckDBPyConnection) -> tuple[int, str, str] | None:
    """(import id, dataset, file) of the latest import that changed something and is not undone."""
    outcomes = [o.value for o in CHANGING]
    rows = cur.execute(
        "SELECT import_id, dataset, file_name FROM import_log WHERE list_contains(?, outcome) "
        "AND undone_by IS NULL AND inserted + updated + deleted > 0 ORDER BY import_id DESC LIMIT 1",
        [outcomes],
    ).fetchall()
    return (int(rows[0][0]), str(rows[0][1]), str(rows[0][2] or "")) if rows else None


def history(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The import log, newest first."""
    return cur.execute(
        "SELECT import_id, started_at, user_name, dataset, file_name, mode, rows_in_file, valid, invalid, inserted, "
        "updated, unchanged, deleted, warnings, outcome, is_sample, undone_by, undoes FROM import_log "
        "ORDER BY import_id DESC"
    ).df()


def data_version(cur: duckdb.DuckDBPyConnection) -> int:
    """Changes whenever the stored data may have changed (every logged import or undo)."""
    return int(cur.execute("SELECT coalesce(max(import_id), 0) FROM import_log").fetchall()[0][0])


def dataset_status(cur: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Per dataset: rows stored, the period its dates cover, and its last import (for staleness)."""
    out = []
    for ds in DATASETS:
        rows = int(cur.execute(f"SELECT count(*) FROM {ds.table}").fetchall()[0][0])
        period = "no dates: last import only"
        if ds.dated_by:
            first, last = cur.execute(f'SELECT min("{ds.dated_by}"), max("{ds.dated_by}") FROM {ds.table}').fetchall()[
                0
            ]
            period = f"{first} to {last}" if first else "no rows yet"
        last_import = cur.execute(
            "SELECT ended_at, file_name, outcome FROM import_log WHERE dataset IN (?, 'all') "
            "AND outcome <> 'rejected' ORDER BY import_id DESC LIMIT 1",
            [ds.name],
        ).fetchall()
        when, file_name, outcome = last_import[0] if last_import else (None, None, None)
        out.append(
            {
                "dataset": ds.name,
                "rows": rows,
                "period covered": period,
                "last import": when,
                "last file": file_name,
                "last outcome": outcome,
            }
        )
    return out
