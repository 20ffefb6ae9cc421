"""Schema migrations: a store written by release ca121f2 (schema 1) opens, is backed up, upgraded, and
gives the same KPIs; newer or read-only old stores are refused; migrations are idempotent.

The fixture tests/fixtures/store_v1/ is never opened in place: every test works on a copy (opening
it with the current code would upgrade it). Every later schema change adds a migration and keeps
these tests green.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from aiorg_metrics.cli import main
from aiorg_metrics.ingestion.ingest import undo_latest
from aiorg_metrics.store import migrations
from aiorg_metrics.store.connection import Store
from aiorg_metrics.store.migrations import (
    MIGRATIONS,
    Migration,
    StoreVersionError,
    add_dataset_column,
    migrate,
    rebuild_table,
)
from aiorg_metrics.store.schema import SCHEMA_VERSION
from tests.actors import ADMIN
from tests.app_support import open_app
from tests.conftest import ROOT
from tests.ingest_helpers import TEAMS, table

FIXTURE = ROOT / "tests" / "fixtures" / "store_v1"
FIXTURE_DB = FIXTURE / "aiorg.duckdb"
FIXTURE_KPIS = FIXTURE / "kpis-2026-Q3.json"


@pytest.fixture
def v1_store(tmp_path: Path) -> Path:
    """A private copy of the schema-1 fixture store."""
    target = tmp_path / "aiorg.duckdb"
    shutil.copyfile(FIXTURE_DB, target)
    return target


def _open(path: Path) -> None:
    """Open the store with the current code (which creates or upgrades it), and close it."""
    with Store(path).reading():
        pass


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _raw(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A plain DuckDB connection, around the store's version logic."""
    return duckdb.connect(str(path), read_only=read_only)


def _version(path: Path) -> str:
    with _raw(path) as con:
        return con.execute("SELECT value FROM store_meta WHERE name = 'schema_version'").fetchone()[0]


def _fetch(path: Path, sql: str) -> list[tuple]:
    with _raw(path) as con:
        return con.execute(sql).fetchall()


def _columns(path: Path) -> list[tuple]:
    return _fetch(
        path,
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
        "WHERE database_name = current_database() ORDER BY table_name, column_index",
    )


def _keys(path: Path) -> list[tuple]:
    return _fetch(
        path,
        "SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints() "
        "WHERE database_name = current_database() ORDER BY ALL",
    )


def con_tables(path: Path, prefix: str) -> list[str]:
    """The store's tables whose name starts with `prefix`."""
    return [row[0] for row in _fetch(path, f"SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '{prefix}%' "
                                            "ORDER BY 1")]


def _backups(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".bak-v" in p.name)


def test_the_registry_runs_from_schema_2_to_the_current_version():
    assert SCHEMA_VERSION == 3
    assert [m.version for m in MIGRATIONS] == list(range(2, SCHEMA_VERSION + 1))
    assert _version(FIXTURE_DB) == "1"  # the fixture itself is never upgraded


def test_fixture_store_is_backed_up_upgraded_and_gives_the_same_kpis(v1_store):
    result = subprocess.run(
        [sys.executable, "-m", "aiorg_metrics", "kpis", "--db", str(v1_store), "--quarter", "2026-Q3",
         "--format", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    backup = v1_store.with_name("aiorg.duckdb.bak-v1")
    assert _backups(v1_store.parent) == ["aiorg.duckdb.bak-v1"]
    assert backup.read_bytes() == FIXTURE_DB.read_bytes()
    assert _version(v1_store) == "3"
    with _raw(v1_store) as con:
        history = con.execute(
            "SELECT version, applied_at IS NULL, description FROM schema_history ORDER BY 1"
        ).fetchall()
    assert history == [
        (1, True, "schema 1 (release ca121f2 and earlier); the date it was created was not recorded"),
        (2, False, "schema history: the store records each schema version it has had, with its date"),
        (3, False, "decisions: the review's decisions on KPIs, with every change kept in their history"),
    ]
    assert con_tables(v1_store, "decision") == ["decision_history", "decisions"]
    expected = json.loads(FIXTURE_KPIS.read_text())
    got = json.loads(result.stdout)
    assert len(got) == len(expected) == 19
    # Fields added by later work are allowed; the fixture's fields must be identical.
    assert [{k: row[k] for k in want} for row, want in zip(got, expected, strict=True)] == expected


def test_an_upgraded_store_accepts_an_import_and_its_undo(v1_store, tmp_path, capsys):
    before = table(Store(v1_store), "teams")
    assert len(before) == 31
    teams = tmp_path / "teams.csv"
    teams.write_text(TEAMS)
    assert main(["ingest", "--db", str(v1_store), str(teams)]) == 0
    assert "inserted 4" in capsys.readouterr().out
    after = table(Store(v1_store), "teams")
    assert len(after) == 35
    assert {"B1", "B2", "HUB", "SP1"} <= {row[0] for row in after}
    assert undo_latest(Store(v1_store), actor=ADMIN) == "Undid import #8 (teams, teams.csv)."
    assert table(Store(v1_store), "teams") == before
    assert _version(v1_store) == "3"


def test_a_new_store_and_an_upgraded_one_have_the_same_tables(v1_store, tmp_path):
    _open(v1_store)
    fresh = tmp_path / "new" / "aiorg.duckdb"
    _open(fresh)
    assert _columns(v1_store) == _columns(fresh)
    assert _keys(v1_store) == _keys(fresh)
    with _raw(fresh) as con:
        assert con.execute("SELECT version, description FROM schema_history").fetchall() == [
            (3, "store created at schema 3")
        ]


def test_reopening_an_upgraded_store_writes_nothing(v1_store):
    _open(v1_store)
    digest, backup_digest = _sha(v1_store), _sha(v1_store.with_name("aiorg.duckdb.bak-v1"))
    with Store(v1_store).reading() as cur:
        assert cur.execute("SELECT count(*) FROM teams").fetchone()[0] == 31
    assert _sha(v1_store) == digest
    assert _sha(v1_store.with_name("aiorg.duckdb.bak-v1")) == backup_digest
    assert _backups(v1_store.parent) == ["aiorg.duckdb.bak-v1"]
    assert _version(v1_store) == "3"


OPEN_STORE = """
import sys
from aiorg_metrics.store.connection import Store
with Store(sys.argv[1]).reading() as cur:
    print(cur.execute("SELECT count(*) FROM teams").fetchone()[0])
"""


def test_two_processes_opening_an_old_store_at_once_upgrade_it_once(v1_store):
    runs = [
        subprocess.Popen([sys.executable, "-c", OPEN_STORE, str(v1_store)], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [(run.returncode, out) for run, (out, _) in zip(runs, outputs, strict=True)] == [(0, "31\n"), (0, "31\n")]
    assert _backups(v1_store.parent) == ["aiorg.duckdb.bak-v1"]
    assert v1_store.with_name("aiorg.duckdb.bak-v1").read_bytes() == FIXTURE_DB.read_bytes()
    with _raw(v1_store) as con:
        assert con.execute("SELECT version FROM schema_history ORDER BY 1").fetchall() == [(1,), (2,), (3,)]


def test_an_existing_backup_is_kept(v1_store):
    backup = v1_store.with_name("aiorg.duckdb.bak-v1")
    backup.write_bytes(b"an earlier backup")
    _open(v1_store)
    assert backup.read_bytes() == b"an earlier backup"
    assert _version(v1_store) == "3"


def _set_version(path: Path, value: str) -> None:
    with _raw(path, read_only=False) as con:
        con.execute("UPDATE store_meta SET value = ? WHERE name = 'schema_version'", [value])


def test_a_store_from_a_newer_version_is_refused_and_left_unchanged(v1_store, capsys):
    _set_version(v1_store, "99")
    digest = _sha(v1_store)
    assert main(["kpis", "--db", str(v1_store), "--quarter", "2026-Q3"]) == 3
    err = capsys.readouterr().err
    assert (
        f"error: The store {v1_store} was written by a newer version of the app (schema 99); "
        "this version reads schema 3: upgrade the app."
    ) in err
    assert "Traceback" not in err
    assert _sha(v1_store) == digest
    assert _backups(v1_store.parent) == []


def test_the_app_shows_the_refusal(v1_store, monkeypatch):
    _set_version(v1_store, "99")
    monkeypatch.setenv("AIORG_DB", str(v1_store))
    at = open_app()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert errors == [
        f"The store {v1_store} was written by a newer version of the app (schema 99); "
        "this version reads schema 3: upgrade the app."
    ]
    assert _version(v1_store) == "99"


def test_a_version_that_is_not_a_number_is_refused(v1_store):
    _set_version(v1_store, "two")
    with pytest.raises(StoreVersionError, match="records a schema version that is not a number"):
        _open(v1_store)
    assert _version(v1_store) == "two"


def test_a_read_only_old_store_is_refused(v1_store):
    digest = _sha(v1_store)
    v1_store.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        with pytest.raises(StoreVersionError) as refused:
            _open(v1_store)
    finally:
        v1_store.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert str(refused.value) == (
        f"The store {v1_store} was written by an earlier version of the app (schema 1) and needs an upgrade "
        "to schema 3, but it is read-only: make the file and its folder writable (a backup copy is written "
        "next to it first), then open it again."
    )
    assert _sha(v1_store) == digest
    assert _backups(v1_store.parent) == []


def test_a_backup_that_cannot_be_written_stops_the_upgrade(v1_store, monkeypatch):
    def no_space(src, dst):
        Path(dst).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(migrations.shutil, "copy2", no_space)
    with pytest.raises(StoreVersionError, match=r"could not be written \(No space left on device\): nothing"):
        _open(v1_store)
    assert _version(v1_store) == "1"
    assert _backups(v1_store.parent) == []


def test_migrations_are_idempotent(v1_store):
    _open(v1_store)
    columns = _columns(v1_store)
    with _raw(v1_store, read_only=False) as con:
        history = con.execute("SELECT * FROM schema_history ORDER BY version").fetchall()
        for step in MIGRATIONS:  # each migration run again on the tables it already changed
            step.apply(con)
        con.execute("UPDATE store_meta SET value = '1' WHERE name = 'schema_version'")
        assert migrate(con, v1_store) == [2, 3]
        assert con.execute("SELECT * FROM schema_history ORDER BY version").fetchall() == history
    assert _columns(v1_store) == columns
    assert _version(v1_store) == "3"


def _add_region(con: duckdb.DuckDBPyConnection) -> None:
    add_dataset_column(con, "teams", "region", "VARCHAR")
    migrations.add_column(con, "import_log", "note", "VARCHAR")  # import_log has a PRIMARY KEY


def test_a_column_added_to_a_dataset_is_added_to_its_undo_table_too(v1_store):
    step = Migration(4, "teams get a region", _add_region)
    _open(v1_store)
    with _raw(v1_store, read_only=False) as con:
        assert migrate(con, v1_store, registry=(*MIGRATIONS, step), target=4) == [4]
        con.execute("UPDATE store_meta SET value = '3' WHERE name = 'schema_version'")
        assert migrate(con, v1_store, registry=(*MIGRATIONS, step), target=4) == [4]  # run twice: harmless
    added = [c[:3] for c in _columns(v1_store) if c[1] in ("region", "note")]
    assert added == [("import_log", "note", "VARCHAR"), ("teams", "region", "VARCHAR"),
                     ("undo_teams", "region", "VARCHAR")]
    assert _version(v1_store) == "4"
    with pytest.raises(StoreVersionError, match=r"newer version of the app \(schema 4\); this version reads schema 3"):
        _open(v1_store)


def test_a_failing_migration_changes_nothing(v1_store):
    def broken(con: duckdb.DuckDBPyConnection) -> None:
        add_dataset_column(con, "teams", "region", "VARCHAR")
        con.execute("SELECT * FROM no_such_table")

    _open(v1_store)
    columns = _columns(v1_store)
    failing = (*MIGRATIONS, Migration(4, "broken", broken))
    with (
        _raw(v1_store, read_only=False) as con,
        pytest.raises(StoreVersionError, match=r"from schema 3 to 4 failed .*nothing was changed"),
    ):
        migrate(con, v1_store, registry=failing, target=4)
    assert _columns(v1_store) == columns
    assert _version(v1_store) == "3"


def test_rebuild_changes_what_duckdb_cannot_alter(tmp_path):
    with _raw(tmp_path / "t.duckdb", read_only=False) as con:
        con.execute("CREATE TABLE log (import_id BIGINT PRIMARY KEY, outcome VARCHAR NOT NULL)")
        con.execute("INSERT INTO log VALUES (1, 'stored'), (2, 'rejected')")
        with pytest.raises(duckdb.BinderException, match="PRIMARY KEY"):
            con.execute("ALTER TABLE log ALTER COLUMN import_id TYPE VARCHAR")
        con.execute("BEGIN TRANSACTION")
        rebuild_table(
            con, "log",
            "CREATE TABLE {table} (import_id VARCHAR PRIMARY KEY, outcome VARCHAR NOT NULL, kept BOOLEAN DEFAULT true)",
            {"import_id": "'#' || import_id", "outcome": "outcome"},
        )
        con.execute("COMMIT")
        rows = con.execute("SELECT * FROM log ORDER BY 1").fetchall()
        assert rows == [("#1", "stored", True), ("#2", "rejected", True)]
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO log VALUES ('#1', 'again', false)")
        assert con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall() == [("log",)]
