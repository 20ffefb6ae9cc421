"""A file with very many invalid rows: the first 1,000 problems are listed, the others counted.

The CLI runs in a process capped at 1 GB of address space; the report lists 1,000 problems,
counts the rest per column and reason, exits 1 and leaves the store unchanged. The Data page's
problem table and download end with the counted rows.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from aiorg_metrics.datasets.problems import MAX_LISTED
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
from aiorg_metrics.ingestion.uploads import problems_csv, problems_frame
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.conftest import ROOT
from tests.ingest_helpers import TEAMS

MEMORY_CAP = 1024**3
ROWS = 50_000
HEADER = "activity_id,date,champion_id,champion_name,team_id,activity_type,hours,satisfaction\n"


def _bad_activity(path: Path) -> None:
    """50,000 champion_activity rows, each with four errors (date, type, hours, satisfaction)."""
    rows = (f"ACT-{i:07d},9999-01-10,CH-1,Hugo,B1,nope,99999,9\n" for i in range(ROWS))
    path.write_text(HEADER + "".join(rows))


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _stored(db: Path) -> list[tuple]:
    with Store(db).reading() as cur:
        return cur.execute("SELECT count(*) FROM champion_activity UNION ALL SELECT count(*) FROM teams").fetchall()


@pytest.mark.timeout(30)
def test_the_cli_lists_the_first_1000_problems_and_counts_the_rest_under_1_gb(tmp_path):
    db = tmp_path / "aiorg.duckdb"
    import_bytes(Store(db), TEAMS.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    before = _stored(db)
    path = tmp_path / "activity.csv"
    _bad_activity(path)
    done = subprocess.run(
        [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), str(path)],
        capture_output=True, text=True, timeout=30, preexec_fn=_cap, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len([x for x in lines if x.startswith("  ERROR line ")]) == 1000
    assert lines[2] == "  rows in file 50000, valid 0, invalid 50000, inserted 0, updated 0, unchanged 0, deleted 0, " \
                       "warnings 0"
    assert (
        "  200,000 problems: the first 1,000 are listed, 199,000 more are counted: "
        "49,750 in column activity_type (value not allowed); 49,750 in column date (more than a year after today); "
        "49,750 in column hours (must be between 0 and 24); 49,750 in column satisfaction (must be between 1 and 5)."
    ) in lines
    assert "  outcome: rejected, nothing stored" in lines
    assert lines[-1].startswith("  ERROR line 251, column satisfaction, value '9': The value must be between 1 and 5.")
    assert _stored(db) == before


def test_the_data_page_table_and_download_end_with_the_counted_problems(tmp_path):
    path = tmp_path / "activity.csv"
    _bad_activity(path)
    report = import_bytes(Store(tmp_path / "aiorg.duckdb"), path.read_bytes(), "activity.csv", ImportOptions(),
                          actor=ADMIN)
    assert len(report.problems) == MAX_LISTED
    assert (report.error_count, report.warning_count, report.invalid) == (200_000, 0, 50_000)
    frame = problems_frame(report)
    assert len(frame) == 1004
    counted = frame.iloc[1000:]
    assert list(counted["column"]) == ["activity_type", "date", "hours", "satisfaction"]
    assert counted["line"].isna().all()
    assert counted.iloc[1]["reason"] == (
        "49,750 more rows with this problem (more than a year after today): not listed one by one."
    )
    text = problems_csv(report).decode("utf-8-sig")
    assert text.count("\n") == 1005
    assert "49,750 more rows with this problem (must be between 0 and 24)" in text


def test_a_key_repeated_on_every_line_names_ten_other_lines_and_counts_the_rest(tmp_path):
    rows = "".join("ACT-1,2026-01-10,CH-1,Hugo,B1,meetup,1,\n" for _ in range(5_000))
    store = Store(tmp_path / "aiorg.duckdb")
    import_bytes(store, TEAMS.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    report = import_bytes(store, (HEADER + rows).encode(), "activity.csv", ImportOptions(), actor=ADMIN)
    assert report.error_count == 5_000
    assert report.problems[0].reason == (
        "The same key appears on line(s) 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 (and 4,989 more) of this file."
    )
    assert report.more_text() == (
        "5,000 problems: the first 1,000 are listed, 4,000 more are counted: "
        "4,000 in column activity_id (the same key on several lines)."
    )
