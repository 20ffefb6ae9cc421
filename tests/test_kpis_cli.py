"""The `kpis` command: JSON, CSV and table output, and its exit codes."""

import csv
import io
import json
import subprocess
import sys

import pytest
from kpi_fixtures import activity, make_store, use_case

from aiorg_metrics.cli import kpis as cli_kpis
from aiorg_metrics.cli import main
from aiorg_metrics.display.writers import csv_cell
from aiorg_metrics.kpi import CSV_COLUMNS, KPIS
from aiorg_metrics.store.connection import StoreBusyError


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    store = make_store(
        tmp_path,
        champion_activity=[activity("2026-01-10", "C1", "T1"), activity("2026-02-10", "C2", "T3")],
        use_cases=[use_case("=U1", "2026-01-20", "T2", "C1")],
    )
    return store.path


def run(capsys, *args):
    code = main(["kpis", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json(capsys, db):
    code, out, _ = run(capsys, "--db", str(db), "--quarter", "2026-Q1", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert [r["kpi"] for r in rows] == [k.id for k in KPIS]
    first = rows[0]
    assert first["kpi"] == "champions_per_business_team" and first["scope"] == "org"
    assert (first["value"], first["n"], first["numerator"], first["denominator"]) == (pytest.approx(2 / 3), 3, 2, 3)
    assert first["target"] == {"min": 1, "max": 2, "strict_min": False}


def test_json_is_the_default_and_by_team(capsys, db):
    code, out, _ = run(capsys, "--db", str(db), "--quarter", "2026-Q1", "--by", "team")
    rows = json.loads(out)
    assert code == 0
    t1 = next(r for r in rows if r["kpi"] == "use_cases_per_champion" and r["scope"] == "team:T1")
    assert (t1["value"], t1["scope_type"], t1["scope_value"]) == (1.0, "team", "T1")


def test_csv_splits_the_target(capsys, db):
    code, out, _ = run(capsys, "--db", str(db), "--quarter", "2026-Q1", "--format", "csv", "--by", "business_unit")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert list(rows[0]) == list(CSV_COLUMNS)
    sat = next(r for r in rows if r["kpi"] == "champion_satisfaction" and r["scope"] == "org")
    assert (sat["target_min"], sat["target_max"], sat["target_strict_min"]) == ("4.0", "", "true")
    assert (sat["value"], sat["status"], sat["partial_window"]) == ("", "no_data", "false")
    assert any(r["scope"] == "business_unit:Retail" for r in rows)


def test_table(capsys, db):
    code, out, _ = run(capsys, "--db", str(db), "--quarter", "2026-Q1", "--format", "table")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[:5] == ["kpi", "scope", "value", "target", "status"]
    assert any(line.startswith("use_case_to_poc_rate") and "> 30%" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2026Q1"], "error: '2026Q1' is not a quarter: write it as 2026-Q3"),
        (["--quarter", "2026-Q3"], "error: 2026-Q3 is outside the data: the store covers 2026-Q1 to 2026-Q1"),
        (["--quarter", "2025-Q4"], "error: 2025-Q4 is outside the data"),
    ],
)
def test_usage_errors_exit_3(capsys, db, args, message):
    code, out, err = run(capsys, "--db", str(db), *args)
    assert (code, out) == (3, "")
    assert err.startswith(message)


def test_missing_store_exits_3(capsys, tmp_path):
    code, _, err = run(capsys, "--db", str(tmp_path / "none.duckdb"), "--quarter", "2026-Q1")
    assert code == 3 and "no store at" in err
    assert not (tmp_path / "none.duckdb").exists()


def test_invalid_settings_exit_3_naming_the_key(capsys, db, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("amber_tolerance = 2\n")
    code, _, err = run(capsys, "--db", str(db), "--quarter", "2026-Q1", "--settings", str(bad))
    assert code == 3 and "key 'amber_tolerance'" in err


def test_settings_file_next_to_the_db_is_used(capsys, db):
    (db.parent / "aiorg.toml").write_text("[targets.champions_per_business_team]\nmin = 0.5\nmax = 1\n")
    _, out, _ = run(capsys, "--db", str(db), "--quarter", "2026-Q1")
    first = json.loads(out)[0]
    assert (first["target"], first["target_source"], first["status"]) == (
        {"min": 0.5, "max": 1.0, "strict_min": False}, "override", "green",
    )


def test_busy_store_exits_4(capsys, db, monkeypatch):
    def busy(*args, **kwargs):
        raise StoreBusyError("held")

    monkeypatch.setattr(cli_kpis, "compute", busy)
    code, _, err = run(capsys, "--db", str(db), "--quarter", "2026-Q1")
    assert code == 4 and "is busy" in err


def test_bad_breakdown_is_a_usage_error(capsys, db):
    with pytest.raises(SystemExit) as caught:
        main(["kpis", "--db", str(db), "--quarter", "2026-Q1", "--by", "region"])
    assert caught.value.code == 3


def test_as_a_fresh_process(db):
    done = subprocess.run(
        [sys.executable, "-m", "aiorg_metrics", "kpis", "--db", str(db), "--quarter", "2026-Q1", "--by", "champion"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert {r["scope"] for r in json.loads(done.stdout)} >= {"org", "champion:C1", "champion:C2"}


def test_csv_cells_neutralize_text_a_spreadsheet_would_run():
    assert csv_cell("business_unit:=HYPERLINK(1)") == "business_unit:=HYPERLINK(1)"
    assert csv_cell("@BU") == "'@BU"
    assert csv_cell("-2 teams") == "'-2 teams"
    assert (csv_cell(-1.5), csv_cell(None), csv_cell(True)) == (-1.5, "", "true")
