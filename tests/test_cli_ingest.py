"""The ingest command as a scheduler uses it: exit codes, messages, nothing stored on failure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aiorg_metrics.cli import main
from aiorg_metrics.ingestion import ingest
from aiorg_metrics.store.connection import Store, StoreBusyError
from tests.conftest import ROOT, SAMPLE_DIR
from tests.ingest_helpers import TEAMS, table


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_ingest_sample_data_in_one_command(tmp_path, capsys):
    db = tmp_path / "demo.duckdb"
    code = main(["ingest", "--db", str(db), *map(str, sorted(SAMPLE_DIR.glob("*.csv")))])
    out = capsys.readouterr().out
    assert code == 0
    assert out.index("teams.csv: teams") < out.index("use_cases.csv: use_cases") < out.index("poc_conversions.csv")
    assert "read as: UTF-8, ','-separated" in out
    assert "outcome: rejected" not in out
    with Store(db).reading() as cur:
        assert cur.execute("SELECT count(*) FROM teams").fetchall()[0][0] == 31


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "", "empty.csv: the file is empty. Export the data again with its header line."),
        ("binary.csv", b"PK\x03\x04\x00\x00\x08\x00binary", "binary.csv: this is not a text CSV file"),
        ("other.csv", "a,b,c\n1,2,3\n", "This file matches no known dataset. The closest is"),
        ("teams.csv", "team_id,team_name,team_kind,headcount,ai_staff\nB1,a,business,1,0\n",
         "The closest is teams, which also needs: business_unit."),
        ("teams.csv", TEAMS.replace("ai_hub", "hubbub"), "line 4, column team_kind, value 'hubbub'"),
        ("teams.csv", TEAMS.replace("12,10", "12,-10"), "line 4, column ai_staff, value '-10'"),
        ("teams.csv", TEAMS + "B1,Dup,Retail,business,1,0\n", "The same key appears on line(s) 6"),
    ],
)
def test_bad_files_exit_1_and_store_nothing(tmp_path, capsys, name, content, message):
    db = tmp_path / "s.duckdb"
    code = main(["ingest", "--db", str(db), str(_write(tmp_path, name, content))])
    out = capsys.readouterr().out
    assert code == 1
    assert message in out
    assert "outcome: rejected, nothing stored" in out
    assert table(Store(db), "teams") == []


def test_batch_stops_at_the_first_rejected_file_and_keeps_earlier_ones(tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    teams = _write(tmp_path, "teams.csv", TEAMS)
    bad = _write(tmp_path, "use_cases.csv", "use_case_id,title,team_id,identified_date\nU1,a,B1,2026-02-30\n")
    later = _write(tmp_path, "pocs.csv", "poc_id,use_case_id,start_date,outcome\nP1,U1,2026-03-01,running\n")
    code = main(["ingest", "--db", str(db), str(later), str(bad), str(teams)])
    out = capsys.readouterr().out
    assert code == 1
    assert "Stopped at use_cases.csv: 1 file(s) before it stay stored; 1 file(s) after it were not imported." in out
    assert len(table(Store(db), "teams")) == 4
    assert table(Store(db), "poc_conversions") == []


def test_a_busy_store_mid_batch_exits_4_and_says_what_stays_stored(tmp_path, capsys, monkeypatch):
    db = tmp_path / "s.duckdb"
    teams = _write(tmp_path, "teams.csv", TEAMS)
    later = _write(tmp_path, "use_cases.csv", "use_case_id,title,team_id,identified_date\nU1,a,B1,2026-02-01\n")
    real = ingest.import_bytes
    calls = []

    def busy_the_second_time(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 2:
            raise StoreBusyError("held")
        return real(*args, **kwargs)

    monkeypatch.setattr(ingest, "import_bytes", busy_the_second_time)
    code = main(["ingest", "--db", str(db), str(later), str(teams)])
    err = capsys.readouterr().err
    assert code == 4
    assert calls == ["teams.csv", "use_cases.csv"]
    assert f"error: the store {db} is busy (another process held it for more than 10 s): the 1 file(s) imported " \
        "before stay stored, the others were not imported. Try again in a moment." in err
    assert len(table(Store(db), "teams")) == 4


def test_valid_only_exits_2(tmp_path, capsys):
    path = _write(tmp_path, "teams.csv", TEAMS + "B9,x,R,business,x,0\n")
    assert main(["ingest", "--db", str(tmp_path / "s.duckdb"), "--valid-only", str(path)]) == 2
    assert "stored the valid rows; invalid rows skipped" in capsys.readouterr().out


def test_usage_errors_exit_3(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "--mode", "merge", "x.csv"])
    assert exit_info.value.code == 3
    assert main(["ingest", "--db", str(tmp_path / "s.duckdb"), str(tmp_path / "missing.csv")]) == 3
    assert "no such file" in capsys.readouterr().err


def test_file_size_limit(tmp_path, capsys):
    path = _write(tmp_path, "teams.csv", TEAMS + "B9,x,R,business,1,0\n" * 55_000)  # 1.05 MB
    assert main(["ingest", "--db", str(tmp_path / "s.duckdb"), "--max-file-mb", "1", str(path)]) == 1
    assert "the file is 1.0 MB, above the 1 MB limit" in capsys.readouterr().out


def test_history_and_undo_commands(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    main(["ingest", "--db", db, str(_write(tmp_path, "teams.csv", TEAMS))])
    assert main(["history", "--db", db]) == 0
    assert "teams.csv" in capsys.readouterr().out
    assert main(["undo", "--db", db]) == 0
    assert "Undid import #1 (teams, teams.csv)." in capsys.readouterr().out
    assert table(Store(db), "teams") == []


def test_module_entry_point_runs_as_a_process(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(tmp_path / "s.duckdb"),
         str(_write(tmp_path, "teams.csv", TEAMS))],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "inserted 4" in result.stdout
