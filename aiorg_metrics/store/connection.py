"""The DuckDB store: one gate per database file, short-lived connections, retries.

DuckDB lets a file be open by one read-write process or by several read-only ones,
never both, and inside one process refuses two connections to one file with different
configurations. So every connection goes through `Store`: one configuration, opened
for one operation only (threads of the process share it, a cursor each) and closed as
soon as the last operation ends, so that an import in another process can get in.
When the file is held by another process we retry for about `BUSY_SECONDS`, then
raise `StoreBusyError`. Opening checks the schema version (see `_connect`): a store
from an earlier version is backed up and upgraded, one it cannot open raises
`StoreVersionError`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from aiorg_metrics.store.migrations import StoreVersionError as StoreVersionError  # re-exported beside StoreBusyError
from aiorg_metrics.store.migrations import check_version, migrate, read_version, write_backup
from aiorg_metrics.store.schema import SCHEMA_VERSION, create_schema
from aiorg_metrics.store.upload_copies import FOLDER as UPLOADS
from aiorg_metrics.store.upload_copies import process_folder

BUSY_SECONDS = float(os.environ.get("AIORG_BUSY_SECONDS", "10"))
MEMORY_LIMIT = "1GB"
THREADS = 2


class StoreBusyError(Exception):
    """Another process held the store for longer than we were willing to wait."""


class _Gate:
    """One open connection per database file in this process, reference-counted."""

    def __init__(self, path: Path, allowed_dirs: tuple[Path, ...]) -> None:
        self.path = path
        self.allowed_dirs = allowed_dirs
        self.lock = threading.Lock()
        self.users = 0
        self.con: duckdb.DuckDBPyConnection | None = None

    def acquire(self, wait: float) -> duckdb.DuckDBPyConnection:
        with self.lock:
            if self.con is None:
                self.con = _connect_with_retry(self.path, self.allowed_dirs, wait)
            self.users += 1
            return self.con

    def release(self) -> None:
        with self.lock:
            self.users -= 1
            if self.users == 0 and self.con is not None:
                self.con.close()
                self.con = None


_GATES: dict[Path, _Gate] = {}
_GATES_LOCK = threading.Lock()


def _gate(path: Path, allowed_dirs: tuple[Path, ...]) -> _Gate:
    with _GATES_LOCK:
        gate = _GATES.get(path)
        if gate is None:
            gate = _GATES[path] = _Gate(path, allowed_dirs)
        return gate


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "being used by another process" in text or "conflicting" in text


def _connect_with_retry(path: Path, allowed_dirs: tuple[Path, ...], wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    delay = 0.05
    while True:
        try:
            return _connect(path, allowed_dirs)
        except duckdb.IOException as exc:
            if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                if _is_lock_conflict(exc):
                    raise StoreBusyError(str(exc)) from None
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


_NO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _open(path: Path, allowed_dirs: tuple[Path, ...]) -> duckdb.DuckDBPyConnection:
    config = {**_NO_EXTENSIONS, "memory_limit": MEMORY_LIMIT, "threads": THREADS}
    con = duckdb.connect(str(path), config=config)
    dirs = [str(d.resolve()) + "/" for d in allowed_dirs]
    con.execute("SET allowed_directories = ?", [dirs])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _writable(path: Path) -> bool:
    # os.access alone says yes to root whatever the mode; a file without write bits is read-only here.
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _refuse_read_only_upgrade(path: Path) -> None:
    """Refuse a read-only store that is not at this version (it could not be upgraded)."""
    con = duckdb.connect(str(path), read_only=True, config=dict(_NO_EXTENSIONS))
    try:
        version = read_version(con, path)
    finally:
        con.close()
    if version is not None:
        check_version(path, version, writable=False)


def _connect(path: Path, allowed_dirs: tuple[Path, ...]) -> duckdb.DuckDBPyConnection:
    """A connection to the store at the current schema: created if new, upgraded if older.

    At the current version nothing is written. An older store is checkpointed, closed and
    copied to `<db>.bak-v<N>`, then reopened and migrated in one transaction; it is copied
    closed because closing any other handle on the file would drop DuckDB's lock on it.
    A newer store, or an older one that is read-only, raises `StoreVersionError`.
    """
    if path.exists() and not _writable(path):
        _refuse_read_only_upgrade(path)
    con = _open(path, allowed_dirs)
    try:
        version = read_version(con, path)
        if version is None:
            create_schema(con)
            return con
        if version == SCHEMA_VERSION:
            return con
        check_version(path, version)
        con.execute("CHECKPOINT")  # the WAL into the file, so that the copy is whole
    except BaseException:
        con.close()
        raise
    con.close()
    write_backup(path, version)
    con = _open(path, allowed_dirs)
    try:
        migrate(con, path)
    except BaseException:
        con.close()
        raise
    return con


class Store:
    """The store at `path`. Use `reading()` or `writing()` for each operation."""

    def __init__(self, path: str | Path, wait: float = BUSY_SECONDS) -> None:
        self.path = Path(path).resolve()
        self.wait = wait

    @property
    def upload_dir(self) -> Path:
        """This process's folder for the UTF-8 copies of files being imported (the only one DuckDB may read)."""
        return process_folder(self.path.parent / UPLOADS)

    def exists(self) -> bool:
        return self.path.exists()

    def _ensure(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.upload_dir.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self._ensure()
        gate = _gate(self.path, (self.upload_dir,))
        con = gate.acquire(self.wait)
        try:
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            gate.release()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: committed on success, rolled back on error."""
        with self._cursor() as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    reading = transaction
    writing = transaction
