"""The hostile-input corpus through the command line, as a separate process capped at 1 GB of memory.

Each case asserts its exit code and message, that no traceback reaches the user, that a
rejected input leaves the store's datasets as they were, and that no upload copy is left behind.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.app_support import copy_sample_store
from tests.hostile_corpus import TEAMS, Case, cases, ingest_options, write_case

MEMORY_CAP = 1024**3
ROOT = Path(__file__).resolve().parents[1]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_cli(*args: str, cwd: Path | None = None, capped: bool = True) -> subprocess.CompletedProcess:
    """`python -m aiorg_metrics ARGS` in a fresh process, limited to 1 GB of address space unless told."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AIORG_TODAY": "2026-11-29"}
    return subprocess.run(
        [sys.executable, "-m", "aiorg_metrics", *args],
        capture_output=True, text=True, timeout=30, preexec_fn=_cap_memory if capped else None, env=env,
        cwd=cwd or ROOT,
    )


def fingerprint(db: Path) -> dict[str, list[tuple]]:
    """Every dataset table's rows (bookkeeping included), sorted: what 'unchanged' compares."""
    with Store(db).reading() as cur:
        return {ds.table: sorted(cur.execute(f"SELECT * FROM {ds.table}").fetchall(), key=repr) for ds in DATASETS}


def prepared_store(case: Case, folder: Path) -> Path:
    """A store for the case: the sample organization, or two teams imported as a real file."""
    folder.mkdir(parents=True, exist_ok=True)
    if case.extra.get("sample"):
        return copy_sample_store(folder)
    db = folder / "aiorg.duckdb"
    import_bytes(Store(db), TEAMS.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    return db


def feed(case: Case, tmp_path: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """Write the case, run its ingest; the store and the finished process."""
    db = prepared_store(case, tmp_path)
    files = write_case(case, tmp_path / "files")
    args = ingest_options(tmp_path, case.args, case.settings, case.mappings)
    return db, run_cli("ingest", "--db", str(db), *args, *map(str, files))


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_each_hostile_case_gets_its_answer_and_no_traceback(case: Case, tmp_path: Path) -> None:
    db = prepared_store(case, tmp_path)
    before = fingerprint(db)
    db, done = feed(case, tmp_path)
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert done.returncode == case.exit_code, output[-2000:]
    assert case.message.lower() in output.lower(), output[-2000:]
    if case.unchanged:
        assert fingerprint(db) == before
    leftovers = [p for p in (db.parent / ".aiorg_uploads").rglob("*") if p.is_file()]
    assert leftovers == []


def test_a_stored_far_date_typo_cannot_take_the_kpis_down(tmp_path: Path) -> None:
    db, _ = feed(next(c for c in cases() if c.name == "date_9999"), tmp_path)
    use_cases = tmp_path / "uc.csv"
    use_cases.write_text("use_case_id,title,team_id,identified_date\nU1,t,B1,2026-01-10\n", encoding="utf-8")
    assert run_cli("ingest", "--db", str(db), str(use_cases)).returncode == 0
    for quarter in ("9999-Q4", "0001-Q1", "2206-Q1"):
        done = run_cli("kpis", "--db", str(db), "--quarter", quarter, capped=False)  # the cap is for hostile files
        assert "Traceback" not in done.stdout + done.stderr
        assert done.returncode == 3
        assert "2026-Q1" in done.stderr, done.stderr  # the covered range is named


def test_commands_other_than_ingest_refuse_a_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "typo.duckdb"
    for command in (["history"], ["undo"], ["kpis", "--quarter", "2026-Q3"]):
        done = run_cli(command[0], "--db", str(missing), *command[1:])
        assert done.returncode == 3, command
        assert str(missing) in done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    assert not missing.exists()


def test_control_characters_in_values_are_escaped_in_printed_output(tmp_path: Path) -> None:
    db = tmp_path / "aiorg.duckdb"
    import_bytes(Store(db), TEAMS.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    bad = tmp_path / "uc.csv"
    bad.write_text("use_case_id,title,team_id,identified_date\nU1,t,B1,\x1b[31mred\x1b[0m\n", encoding="utf-8")
    done = run_cli("ingest", "--db", str(db), str(bad))
    assert done.returncode == 1
    assert "\x1b" not in done.stdout + done.stderr
    assert "red" in done.stdout


def test_replace_with_zero_rows_runs_when_explicitly_allowed(tmp_path: Path) -> None:
    db = tmp_path / "aiorg.duckdb"
    import_bytes(Store(db), TEAMS.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    header_only = tmp_path / "teams.csv"
    header_only.write_text(TEAMS.split("\n", 1)[0] + "\n", encoding="utf-8")
    done = run_cli("ingest", "--db", str(db), "--mode", "replace", "--allow-empty", str(header_only))
    assert done.returncode == 0, done.stdout + done.stderr
    assert fingerprint(db)["teams"] == []
