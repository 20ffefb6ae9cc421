"""Snapshot mode (AIORG_STORE_MODE=snapshot, the default): each committed change publishes an immutable
copy of the store that reads open, so a reader never blocks a writer in another process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from aiorg_metrics.ingestion.import_log import data_version
from aiorg_metrics.ingestion.ingest import import_bytes
from aiorg_metrics.store import snapshot
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.conftest import ROOT, SAMPLE_DIR

TEAMS = SAMPLE_DIR / "teams.csv"


def _version(store: Store) -> int:
    with store.reading() as cur:
        return data_version(cur)


def test_each_import_publishes_a_snapshot_that_reads_open(tmp_path: Path) -> None:
    store = Store(tmp_path / "aiorg.duckdb", mode="snapshot")
    assert _version(store) == 0  # a first read creates the store and publishes it
    for expected in (1, 2, 3):
        assert import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN).import_id == expected
        assert _version(store) == expected
    kept = snapshot.published(store.path)
    assert len(kept) == snapshot.KEEP  # older ones removed
    assert kept[-1] == snapshot.latest(store.path)
    assert all(not p.stat().st_mode & 0o222 for p in kept)  # read-only files
    leftovers = sorted(p.name for p in snapshot.folder(store.path).iterdir())
    assert leftovers == sorted([p.name for p in kept] + [snapshot.MANIFEST])  # no temporary copies


def test_a_read_after_a_change_keeps_the_snapshot_its_writer_published(tmp_path: Path) -> None:
    store = Store(tmp_path / "aiorg.duckdb", mode="snapshot")
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    published = snapshot.latest(store.path)
    assert snapshot.current(store.path) == published  # the store is as it was when published
    assert (_version(store), _version(store)) == (1, 1)
    assert snapshot.published(store.path)[-1] == published  # the reads published nothing more


def _store_at_version(db: Path, imports: int) -> Path:
    other = Store(db, mode="direct")
    for _ in range(imports):
        import_bytes(other, TEAMS, TEAMS.name, actor=ADMIN)
    return db


def test_a_store_file_replaced_from_outside_is_read_at_its_own_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "aiorg.duckdb", mode="snapshot")
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    backup = tmp_path / "backup.duckdb"
    shutil.copy(store.path, backup)
    assert _version(store) == 1
    newer = _store_at_version(tmp_path / "writer" / "aiorg.duckdb", imports=3)
    shutil.copy(newer, store.path)  # a replica receiving the writer's store
    assert snapshot.current(store.path) is None  # the snapshot no longer matches the store
    assert _version(store) == 3
    assert snapshot.current(store.path) == snapshot.latest(store.path)  # published again, and noted
    os.replace(backup, store.path)  # a restore from a backup, renamed into place
    assert _version(store) == 1


def test_a_change_by_a_plain_duckdb_connection_is_seen(tmp_path: Path) -> None:
    store = Store(tmp_path / "aiorg.duckdb", mode="snapshot")
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    assert _version(store) == 1
    with duckdb.connect(str(store.path)) as con:  # e.g. an older release that does not publish
        con.execute("UPDATE import_log SET import_id = 7")
    assert _version(store) == 7


def test_a_read_held_open_does_not_stop_an_import_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "aiorg.duckdb"
    store = Store(db, mode="snapshot")
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    with store.reading() as cur:  # a page in the middle of its reads
        command = [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), str(TEAMS)]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False,
                              env={"AIORG_STORE_MODE": "snapshot", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
        assert (done.returncode, done.stderr) == (0, "")
        assert data_version(cur) == 1  # this read still sees the version it started on
    assert _version(store) == 2  # the next read sees the import


def test_direct_mode_reads_the_store_and_publishes_only_for_snapshot_readers(tmp_path: Path) -> None:
    db = tmp_path / "aiorg.duckdb"
    direct = Store(db, mode="direct")
    import_bytes(direct, TEAMS, TEAMS.name, actor=ADMIN)
    assert not snapshot.folder(db).exists()
    assert _version(Store(db, mode="snapshot")) == 1  # a snapshot reader publishes the first one
    import_bytes(direct, TEAMS, TEAMS.name, actor=ADMIN)  # a writer in direct mode keeps it current
    assert _version(Store(db, mode="snapshot")) == _version(direct) == 2


def test_an_unknown_mode_is_refused_with_the_two_choices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AIORG_STORE_MODE", "shared")
    with pytest.raises(snapshot.StoreModeError, match="AIORG_STORE_MODE must be direct or snapshot, not 'shared'"):
        Store(tmp_path / "aiorg.duckdb")
    monkeypatch.delenv("AIORG_STORE_MODE")
    assert Store(tmp_path / "aiorg.duckdb").mode == "snapshot"  # the default


def _teams_in(snapshot_file: Path) -> int:
    with duckdb.connect(str(snapshot_file), read_only=True) as con:
        return con.execute("SELECT count(*) FROM teams").fetchone()[0]


def test_a_snapshot_is_the_checkpointed_store_file_copied_whole(tmp_path: Path) -> None:
    store = Store(tmp_path / "aiorg.duckdb", mode="snapshot")
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    with duckdb.connect(str(store.path), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM teams").fetchone()[0]
    newest = snapshot.latest(store.path)
    assert stored > 0 and _teams_in(newest) == stored
    assert newest.stat().st_size == store.path.stat().st_size  # the file itself, not a logical copy


def test_a_store_file_changed_while_copied_is_copied_logically_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "aiorg.duckdb", mode="snapshot")
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    stored = _teams_in(snapshot.latest(store.path))
    real_signature, real_copy = snapshot.signature, snapshot._copy_database
    ticks = iter(range(1_000_000))
    monkeypatch.setattr(snapshot, "signature", lambda db: [*real_signature(db), next(ticks)])  # never twice the same
    logical: list[Path] = []

    def copy_logically(con: duckdb.DuckDBPyConnection, temp: Path) -> None:
        logical.append(temp)
        real_copy(con, temp)

    monkeypatch.setattr(snapshot, "_copy_database", copy_logically)
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    assert len(logical) == 1
    assert _teams_in(snapshot.latest(store.path)) == stored  # the same teams, re-imported
    assert not list(snapshot.folder(store.path).glob("publishing-*"))  # no temporary copy left
