"""What the data page needs around an upload, as plain data (no Streamlit here).

Guessing a file's dataset from its header, ordering a batch of uploads, and turning an
import report into tables an analyst can read and download.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.common.spreadsheet import DEFAULT_CSV_DIALECT, Column, Kind, table_csv
from aiorg_metrics.datasets.problems import MAX_LISTED, ProblemCount
from aiorg_metrics.datasets.registry import dataset, import_rank
from aiorg_metrics.ingestion.columns import detect_dataset, match_columns, target_names
from aiorg_metrics.ingestion.dialect import FileRefusedError
from aiorg_metrics.ingestion.import_report import ImportReport
from aiorg_metrics.ingestion.reader import UnreadableFileError, read_header


@dataclass(frozen=True)
class FileGuess:
    """The dataset a file seems to hold, its header, and what is missing for it."""

    dataset: str | None
    header: tuple[str, ...]
    problem: str | None = None
    missing: tuple[str, ...] = ()

    @property
    def needs_mapping(self) -> bool:
        return bool(self.header) and (self.dataset is None or bool(self.missing))


def guess(data: bytes, name: str, chosen: str | None = None, mapping: dict[str, str] | None = None) -> FileGuess:
    """The file's dataset (`chosen` overrides detection) and the required columns it lacks."""
    try:
        header = read_header(data, name)
    except (UnreadableFileError, UnicodeDecodeError) as exc:
        return FileGuess(None, (), str(exc))
    try:
        ds = dataset(chosen) if chosen else detect_dataset(header, mapping)
    except FileRefusedError as exc:
        return FileGuess(None, header, str(exc))
    try:
        match_columns(header, ds, mapping)
    except FileRefusedError as exc:
        missing = tuple(c for c in ds.required_columns if c not in target_names(header, mapping))
        return FileGuess(ds.name, header, str(exc), missing)
    return FileGuess(ds.name, header)


def batch_rank(dataset_name: str | None, file_name: str) -> tuple[int, str]:
    """Import order: teams → use_cases → poc_conversions → adoption → the rest, then file name."""
    return (import_rank(dataset_name), file_name)


PROBLEM_COLUMNS = ["level", "line", "column", "value", "reason", "fix"]


def problems_frame(report: ImportReport) -> pd.DataFrame:
    """The report's listed problems, one row each, then one row per kind of problem only counted;
    errors first."""
    rows = [p.as_dict() for p in report.problems] + [_count_row(c) for c in report.more_problems]
    frame = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    if frame.empty:
        return frame
    frame["line"] = frame["line"].astype("Int64")
    return frame.sort_values(
        ["level", "line"], key=lambda s: s.map({"error": 0, "warning": 1}) if s.name == "level" else s, kind="stable"
    ).reset_index(drop=True)


def _count_row(count: ProblemCount) -> dict[str, object]:
    return {
        "level": count.level.value,
        "line": None,
        "column": count.column,
        "value": "",
        "reason": f"{count.count:,} more rows with this problem ({count.reason}): not listed one by one.",
        "fix": f"Only the first {MAX_LISTED:,} problems of a file are listed; correct these rows too.",
    }


PROBLEM_CSV_COLUMNS = (Column("file"), Column("level"), Column("line", Kind.COUNT), Column("column"),
                       Column("value"), Column("reason"), Column("fix"))


def problems_csv(report: ImportReport, dialect: str = DEFAULT_CSV_DIALECT) -> bytes:
    """The problems as a CSV file in `dialect` (the setting `csv_dialect`; common.spreadsheet)."""
    frame = problems_frame(report)
    rows = ([report.file_name, *(None if pd.isna(v) else v for v in row)] for row in frame.itertuples(index=False))
    return table_csv(PROBLEM_CSV_COLUMNS, rows, dialect)


def counts(report: ImportReport) -> dict[str, int]:
    """The report's counts, labelled for the page."""
    return {
        "rows in file": report.rows_in_file,
        "valid": report.valid,
        "invalid": report.invalid,
        "new": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "to delete": report.deleted,
        "warnings": report.warning_count,
        "unresolved references": report.unresolved,
    }
