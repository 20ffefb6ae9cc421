"""Ingest as a user meets it, against DuckDB's own reader of the same content.

Ours: `python -m aiorg_metrics ingest` of champion_activity.csv into a fresh store that holds
the organization's teams (copied from a template each run). Baseline: a fresh `python -c`
creating a table from a plain `read_csv` of the same content. DuckDB offline reads only UTF-8,
so for excel-fr the baseline reads the same content transcoded to UTF-8 (done before timing),
with the same delimiter, `decimal_separator=','` and `dateformat='%d/%m/%Y'`.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import DIALECTS
from benchmarks.measure import Paired, paired

PLAIN = (
    "import duckdb, sys; "
    "duckdb.connect(sys.argv[1]).execute('CREATE TABLE t AS SELECT * FROM read_csv(?' + sys.argv[3] + ')', "
    "[sys.argv[2]])"
)
READ_OPTIONS = {
    "utf8": "",
    "excel-fr": ", delim=';', decimal_separator=',', dateformat='%d/%m/%Y'",
}
DEFAULT_MAX_FILE_MB = 200
LARGE_MAX_FILE_MB = 2048  # the settings' upper bound (SPEC §2.9)


@dataclass(frozen=True)
class IngestFigures:
    """One size and dialect: paired runs of ours (a) and the plain read (b), and the file's size."""

    dialect: str
    file_mb: float
    runs: Paired


def settings_for(folder: Path, files: list[Path]) -> None:
    """Raise max_file_mb to its bound in aiorg.toml next to the stores when a file passes the default."""
    if max(f.stat().st_size for f in files) > DEFAULT_MAX_FILE_MB * 1024 * 1024:
        (folder / "aiorg.toml").write_text(f"max_file_mb = {LARGE_MAX_FILE_MB}\n")


def utf8_copy(path: Path, dialect: str) -> Path:
    """The file as UTF-8 text (the file itself when it already is), copied in chunks."""
    encoding = DIALECTS[dialect].encoding
    if encoding == "utf-8":
        return path
    copy = path.with_suffix(".utf8.csv")
    with path.open(encoding=encoding, newline="") as src, copy.open("w", encoding="utf-8", newline="") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return copy


def store_with_teams(db: Path, teams: Path) -> None:
    """A fresh store holding only the organization's teams."""
    from aiorg_metrics.access.actor import trusted
    from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
    from aiorg_metrics.store.connection import Store

    db.unlink(missing_ok=True)
    import_bytes(Store(db), teams, teams.name, ImportOptions(), actor=trusted("benchmark"))


def measure(data: Path, work: Path, dialect: str, runs: int) -> IngestFigures:
    """Paired fresh-process runs of our ingest and the plain read of `data`/champion_activity.csv."""
    work.mkdir(parents=True, exist_ok=True)
    activity = data / "champion_activity.csv"
    settings_for(work, [activity])
    template = work / "teams.duckdb"
    store_with_teams(template, data / "teams.csv")
    plain_source = utf8_copy(activity, dialect)

    def ours(i: int) -> list[str]:
        db = work / f"ours-{i}.duckdb"
        shutil.copy(template, db)
        return [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), str(activity)]

    def plain(i: int) -> list[str]:
        db = work / f"plain-{i}.duckdb"
        db.unlink(missing_ok=True)
        return [sys.executable, "-c", PLAIN, str(db), str(plain_source), READ_OPTIONS[dialect]]

    figures = paired(ours, plain, runs)
    for leftover in work.glob("*-*.duckdb*"):  # stores of each run and their snapshot folders: gigabytes at 10^7
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    return IngestFigures(dialect, activity.stat().st_size / 1024 / 1024, figures)
