"""The CLI against odd input: a pinned day out of range, --max-file-mb out of bounds, output cut by
its reader, a folder given as a file, and "-0" as a number."""

from __future__ import annotations

import logging
import math
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from app_support import copy_sample_store, open_app

from aiorg_metrics.cli import main
from aiorg_metrics.common import clock
from aiorg_metrics.datasets.fieldtypes import latest_date
from aiorg_metrics.datasets.registry import dataset
from aiorg_metrics.store.connection import Store
from tests.conftest import ROOT
from tests.ingest_helpers import TEAMS, load

SYSTEM_DAY = date.today()


def run(*args: str, env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess[str]:
    """`python -m aiorg_metrics ARGS` in a subprocess."""
    return subprocess.run([sys.executable, "-m", "aiorg_metrics", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=60, **options)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sample_store(tmp_path_factory.mktemp("robust"))


# --- $AIORG_TODAY ----------------------------------------------------------------------------


@pytest.mark.parametrize("pinned", ["9999-06-01", "9999-12-31", "1990-01-01", "0001-01-01", "2000-01-01",
                                    "garbage", "2026-02-30"])
def test_a_pinned_day_out_of_range_or_malformed_is_ignored_with_one_warning(pinned, monkeypatch, caplog):
    monkeypatch.setenv("AIORG_TODAY", pinned)
    monkeypatch.setattr(clock, "_WARNED", set())
    with caplog.at_level(logging.WARNING, logger="aiorg_metrics.common.clock"):
        assert [clock.today(), clock.today()] == [SYSTEM_DAY, SYSTEM_DAY]
    assert len(caplog.records) == 1
    assert caplog.records[0].getMessage().startswith(f"$AIORG_TODAY='{pinned}' is ignored (")


@pytest.mark.parametrize("pinned", ["2000-01-02", "9998-12-31", "2026-11-29"])
def test_a_pinned_day_in_range_is_used(pinned, monkeypatch, caplog):
    monkeypatch.setenv("AIORG_TODAY", pinned)
    assert clock.today() == date.fromisoformat(pinned)
    assert caplog.records == []


def test_the_last_plausible_date_never_overflows():
    assert latest_date(date(9998, 12, 31)) == date(9999, 12, 31)
    assert latest_date(date(9999, 6, 1)) == date(9999, 12, 31)
    assert latest_date(date.max) == date.max
    assert latest_date(date(2024, 2, 29)) == date(2025, 2, 28)


def test_commands_run_with_a_day_pinned_beyond_the_calendar(sample_db, tmp_path):
    env = {"AIORG_TODAY": "9999-06-01"}
    warning = "$AIORG_TODAY='9999-06-01' is ignored (a pinned day must be from 2000-01-02 to 9998-12-31); " \
              "using the system date.\n"
    kpis = run("kpis", "--db", str(sample_db), "--quarter", "2026-Q2", "--format", "json", env=env)
    assert (kpis.returncode, kpis.stderr) == (0, warning)
    (tmp_path / "teams.csv").write_text(TEAMS)
    (tmp_path / "use_cases.csv").write_text("use_case_id,title,team_id,identified_date\nU1,a,B1,2026-01-10\n")
    files = [str(tmp_path / "teams.csv"), str(tmp_path / "use_cases.csv")]
    ingest = run("ingest", "--db", str(tmp_path / "s.duckdb"), *files, env=env)
    assert (ingest.returncode, ingest.stderr) == (0, warning)
    assert ingest.stdout.count("outcome: stored") == 2


def test_pages_render_with_a_day_pinned_beyond_the_calendar(sample_db, tmp_path, monkeypatch):
    monkeypatch.setenv("AIORG_DB", str(copy_sample_store(tmp_path)))
    monkeypatch.setenv("AIORG_TODAY", "9999-06-01")
    for page in ("pages/review.py", "pages/data.py"):
        at = open_app(page=page)
        assert (page, [e.value for e in at.exception]) == (page, [])


# --- --max-file-mb ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "1e309", "99999", "-1", "0", "0.5", "2048.5"])
def test_max_file_mb_outside_the_settings_bounds_is_a_usage_error(value, tmp_path, capsys):
    teams = tmp_path / "teams.csv"
    teams.write_text(TEAMS)
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), "--max-file-mb", value, str(teams)]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: --max-file-mb must be a number of MB from 1 to 2,048 (as the max_file_mb setting), "
                          "not ")
    assert err.endswith(". Nothing was imported.\n")
    assert not db.exists()


@pytest.mark.parametrize("value", ["1", "2048"])
def test_max_file_mb_at_its_bounds_is_accepted(value, tmp_path):
    teams = tmp_path / "teams.csv"
    teams.write_text(TEAMS)
    assert main(["ingest", "--db", str(tmp_path / "s.duckdb"), "--max-file-mb", value, str(teams)]) == 0


# --- output cut by its reader ----------------------------------------------------------------


BY_TEAM = ["kpis", "--quarter", "2026-Q2", "--format", "table", "--by", "team"]


@pytest.mark.parametrize("command", [["history"], BY_TEAM])
def test_output_to_a_closed_pipe_ends_quietly_with_141(command, sample_db):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write fails
    try:
        result = subprocess.run([sys.executable, "-m", "aiorg_metrics", *command, "--db", str(sample_db)],
                                stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=ROOT, timeout=60)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (141, "")


@pytest.mark.parametrize("command", ["history", "kpis --quarter 2026-Q2 --format table --by team"])
def test_piping_into_head_prints_the_first_line_and_no_traceback(command, sample_db):
    shell = f"set -o pipefail; {sys.executable} -m aiorg_metrics {command} --db {sample_db} | head -1"
    result = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode in (0, 141)  # 141 when the reader left before the last write (a race)
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1
    assert result.stdout.split()[0] in ("kpi", "import_id")


# --- a folder given as a file ----------------------------------------------------------------


def test_a_folder_given_as_a_file_is_named_as_a_folder(tmp_path, capsys):
    exports = tmp_path / "exports"
    exports.mkdir()
    db = tmp_path / "s.duckdb"
    assert main(["ingest", "--db", str(db), str(exports)]) == 3
    assert capsys.readouterr().err == (f"error: {exports} is a folder, not a file: pass the CSV files it holds "
                                       f"(e.g. {exports}/*.csv)\n")
    assert not db.exists()


# --- "-0" --------------------------------------------------------------------------------------

SPEND = ("record_id,date,employee_id,team_id,program,format,hours,cost_eur\n"
         "T1,2026-01-10,E1,B1,M,practice,-0,-0\nT2,2026-01-10,E1,B1,M,practice,-0.0,-0.00\n")


def test_minus_zero_is_stored_as_zero(store: Store):
    load(store, TEAMS, "teams.csv")
    report = load(store, SPEND, "training_spend.csv")
    assert (report.outcome.value, report.invalid) == ("stored", 0)
    with store.reading() as cur:
        values = cur.execute("SELECT hours, cost_eur FROM training_spend ORDER BY record_id").fetchall()
    assert values == [(0.0, 0.0), (0.0, 0.0)]
    assert [math.copysign(1.0, v) for row in values for v in row] == [1.0, 1.0, 1.0, 1.0]


def test_minus_zero_is_zero_in_the_row_model():
    model = dataset("training_spend").model
    row = model.model_validate({"record_id": "T1", "date": "2026-01-10", "employee_id": "E1", "team_id": "B1",
                                "program": "M", "format": "practice", "hours": "-0", "cost_eur": "-0.0"})
    assert [math.copysign(1.0, row.hours), math.copysign(1.0, row.cost_eur)] == [1.0, 1.0]


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (duckdb.OutOfMemoryException("Out of Memory Error: Failed to allocate block\nPossible solutions: ..."),
         "error: there is not enough memory for this command on this machine (DuckDB ran out). Nothing was changed."),
        (duckdb.IOException("IO Error: Could not read file\nline 2 of the data"),
         "error: the store could not be read: IO Error: Could not read file. Nothing was changed."),
    ],
    ids=["out_of_memory", "other"],
)
def test_a_duckdb_failure_inside_a_command_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys, error, said):
    db = copy_sample_store(tmp_path)

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr("aiorg_metrics.cli.kpis.compute", failing)
    assert main(["kpis", "--db", str(db), "--quarter", "2026-Q3"]) == 3
    err = capsys.readouterr().err
    assert said in err
    assert "Traceback" not in err and "line 2 of the data" not in err
