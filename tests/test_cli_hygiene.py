"""CLI hygiene (issue 8, class 10): control characters escaped in printed values, commands other than
`ingest` refuse a store that does not exist, `--mode replace` with no data row needs `--allow-empty`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aiorg_metrics.cli import main, printable
from tests.ingest_helpers import TEAMS, load, table

ROOT = Path(__file__).resolve().parents[1]
ESC = "\x1b"
HEADER = TEAMS.splitlines()[0] + "\n"


def test_printable_escapes_control_characters_and_keeps_newlines_and_tabs():
    text = "a\x1b[31mred\x07|\x9b|\x7f|\r|\u202e|\tb\nc é"
    assert printable(text) == "a\\u001b[31mred\\u0007|\\u009b|\\u007f|\\u000d|\\u202e|\tb\nc é"


@pytest.mark.parametrize(
    "command",
    [
        ["history"],
        ["undo"],
        ["kpis", "--quarter", "2026-Q1"],
        ["funnel", "--quarter", "2026-Q1"],
        ["advisor", "--quarter", "2026-Q1"],
        ["skills"],
    ],
)
def test_commands_other_than_ingest_refuse_a_missing_store_and_create_nothing(tmp_path, capsys, command):
    db = tmp_path / "typo" / "aiorg.duckbd"
    assert main([*command, "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert f"error: no store at {db}: check --db (or $AIORG_DB)" in err
    assert "Nothing was created." in err
    assert "Traceback" not in err
    assert not (tmp_path / "typo").exists()


def test_values_with_escape_sequences_are_printed_escaped(store, tmp_path, capsys):
    hostile = TEAMS.replace("Cards", f"{ESC}]0;owned{ESC}\\Cards").replace("100,0", f"1{ESC}[2J00,0")
    path = tmp_path / f"teams{ESC}[31m.csv"
    path.write_text(hostile, encoding="utf-8")
    assert main(["ingest", "--db", str(store.path), str(path)]) == 1  # the headcount is not a number
    out = capsys.readouterr().out
    assert ESC not in out
    assert "teams\\u001b[31m.csv: teams" in out
    assert "1\\u001b[2J00" in out  # the invalid value, as the problem names it
    assert main(["ingest", "--db", str(store.path), "--valid-only", str(path)]) == 2
    capsys.readouterr()
    assert main(["history", "--db", str(store.path)]) == 0
    history = capsys.readouterr().out
    assert ESC not in history
    assert "teams\\u001b[31m.csv" in history


def test_the_kpis_table_escapes_control_characters(store, capsys):
    load(store, TEAMS, "teams.csv")
    load(store, "use_case_id,title,team_id,identified_date\nU1,a,B1,2026-01-10\n", "uc.csv")
    with store.writing() as cur:  # an import refuses the value now; a store written earlier may hold it
        cur.execute(f"UPDATE teams SET business_unit = 'Re{ESC}[5mtail' WHERE business_unit = 'Retail'")
    assert main(["kpis", "--db", str(store.path), "--quarter", "2026-Q1", "--by", "business_unit",
                 "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert ESC not in out
    assert "Re\\u001b[5mtail" in out


def test_an_escape_in_a_subprocess_output_never_reaches_the_terminal(store, tmp_path):
    path = tmp_path / "teams.csv"
    path.write_text(TEAMS.replace("Cards", f"C{ESC}[31mards").replace("100,0", "x,0"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(store.path), str(path)],
                            capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 1
    assert ESC not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_replace_with_a_header_only_file_is_refused_without_allow_empty(store, tmp_path, capsys):
    load(store, TEAMS, "teams.csv")
    empty = tmp_path / "teams.csv"
    empty.write_text(HEADER, encoding="utf-8")
    assert main(["ingest", "--db", str(store.path), "--mode", "replace", str(empty)]) == 3
    err = capsys.readouterr().err
    assert ("error: teams.csv: the file has no data row to store, so replace mode would delete all 4 stored "
            "teams rows. Nothing was changed. To empty the dataset on purpose, add --allow-empty.") in err
    assert len(table(store, "teams")) == 4
    assert main(["ingest", "--db", str(store.path), "--mode", "replace", "--allow-empty", str(empty)]) == 0
    assert table(store, "teams") == []


def test_replace_with_no_valid_row_counts_as_empty(store, tmp_path, capsys):
    load(store, TEAMS, "teams.csv")
    bad = tmp_path / "teams.csv"
    bad.write_text(HEADER + "B9,Nine,Retail,business,many,0\n", encoding="utf-8")
    assert main(["ingest", "--db", str(store.path), "--mode", "replace", "--valid-only", str(bad)]) == 3
    assert "would delete all 4 stored teams rows" in capsys.readouterr().err
    assert len(table(store, "teams")) == 4


def test_replace_with_a_header_only_file_on_an_empty_dataset_is_fine(store, tmp_path):
    empty = tmp_path / "teams.csv"
    empty.write_text(HEADER, encoding="utf-8")
    assert main(["ingest", "--db", str(store.path), "--mode", "replace", str(empty)]) == 0
