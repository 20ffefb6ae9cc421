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

A store whose file or folder this process cannot write is opened read-only (DuckDB's
`read_only`): pages and read commands work, and a change (`writing()`) raises
`StoreReadOnlyError`, whose message says nothing was changed. The gate's one
configuration per file is chosen each time it opens: read-only when the file or its
folder is not writable (or when opening it for writing is refused by the system).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import duckdb

from aiorg_metrics.store import snapshot
from aiorg_metrics.store.migrations import StoreVersionError as StoreVersionError  # re-exported beside StoreBusyError
from aiorg_metrics.store.migrations import check_version, migrate, read_version, write_backup
from aiorg_metrics.store.schema import SCHEMA_VERSION, create_schema
from aiorg_metrics.store.upload_copies import FOLDER as UPLOADS
from aiorg_metrics.store.upload_copies import process_folder

BUSY_SECONDS = float(os.environ.get("AIORG_BUSY_SECONDS", "10"))
# With the Python side, an import of a 200 MB file stays under 1 GB; past it DuckDB spills (see _spill_to).
MEMORY_LIMIT = "640MB"
THREADS = 2
SPILL = "duckdb-tmp"
SNAPSHOT_TRIES = 5  # a snapshot chosen can be removed before it is opened: choose the newest again
_log = logging.getLogger(__name__)


class StoreBusyError(Exception):
    """Another process held the store for longer than we were willing to wait."""


class StoreReadOnlyError(Exception):
    """A change asked of a store this process may only read; the message says nothing was changed."""


def read_only_message(path: Path) -> str:
    """What a user is told when a change is refused because the store at `path` is read-only."""
    return (
        f"The store {path} is read-only (this user cannot write the file or its folder): nothing was changed. "
        "To import, undo or save, make the file and its folder writable, or ask whoever manages them."
    )


class _Gate:
    """One open connection per database file in this process, reference-counted."""

    def __init__(self, path: Path, allowed_dirs: tuple[Path, ...], keep_open: bool = False) -> None:
        self.path = path
        self.allowed_dirs = allowed_dirs
        self.lock = threading.Lock()
        self.users = 0
        self.con: duckdb.DuckDBPyConnection | None = None
        self.read_only = False
        self.published = False  # a snapshot was published while open: note the store's signature once closed
        # A read snapshot never blocks a writer: its connection (and DuckDB's cache of its blocks) stays open
        # between reads until a newer snapshot is read (`retire`), sparing each read an open and a schema check.
        self.keep_open = keep_open

    def acquire(self, wait: float, write: bool) -> duckdb.DuckDBPyConnection:
        with self.lock:
            if self.con is None:
                self.con, self.read_only = _connect_with_retry(self.path, self.allowed_dirs, wait)
            if write and self.read_only:
                raise StoreReadOnlyError(read_only_message(self.path))
            self.users += 1
            return self.con

    def release(self) -> None:
        with self.lock:
            self.users -= 1
            if self.users == 0 and self.con is not None and not self.keep_open:
                self.con.close()
                self.con = None
                if self.published:
                    self.published = False
                    _record_source(self.path)

    def retire(self) -> None:
        """A kept-open snapshot that is no longer the newest: closed now if unused, else by its last reader."""
        with self.lock:
            self.keep_open = False
            if self.users == 0 and self.con is not None:
                self.con.close()
                self.con = None


def _record_source(path: Path) -> None:
    try:
        snapshot.record_source(path)
    except OSError as exc:  # readers will find the snapshot unconfirmed and publish again
        _log.warning("could not record the source of the read snapshot of %s (%s)", path, exc)


_GATES: dict[Path, _Gate] = {}
KEPT_STORES = 4  # stores whose newest snapshot's connection stays open between reads
_KEPT: list[Path] = []  # those snapshots, the one read last at the end
_GATES_LOCK = threading.Lock()


def _gate(path: Path, allowed_dirs: tuple[Path, ...], keep_open: bool = False) -> _Gate:
    with _GATES_LOCK:
        gate = _GATES.get(path)
        if gate is None:
            gate = _GATES[path] = _Gate(path, allowed_dirs, keep_open)
        return gate


def _snapshot_gate(path: Path, allowed_dirs: tuple[Path, ...]) -> _Gate:
    """The kept-open gate of the snapshot at `path`. The other snapshots' gates of its folder are retired, and
    those of other stores beyond the `KEPT_STORES` read last (a process reading many stores, like the tests)."""
    with _GATES_LOCK:
        if path in _KEPT:
            _KEPT.remove(path)
        _KEPT.append(path)
        stale = [p for p in _KEPT if p != path and (p.parent == path.parent or p not in _KEPT[-KEPT_STORES:])]
        older = [_GATES.pop(p) for p in stale if p in _GATES]
        for p in stale:
            _KEPT.remove(p)
    for gate in older:
        gate.retire()
    return _gate(path, allowed_dirs, keep_open=True)


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "being used by another process" in text or "conflicting" in text


def _is_permission_denied(exc: Exception) -> bool:
    return "permission denied" in str(exc).lower()


def _connect_with_retry(
    path: Path, allowed_dirs: tuple[Path, ...], wait: float
) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A connection, and whether it is read-only (see `can_write`; also when the system refuses a writer)."""
    deadline = time.monotonic() + wait
    delay = 0.05
    read_only = not can_write(path)
    while True:
        try:
            return _connect(path, allowed_dirs, read_only), read_only
        except duckdb.IOException as exc:
            if not read_only and path.exists() and _is_permission_denied(exc):
                read_only = True  # the permission bits said yes, the system says no (ACLs, a read-only mount)
                continue
            if not _is_lock_conflict(exc) or time.monotonic() >= deadline:
                if _is_lock_conflict(exc):
                    raise StoreBusyError(str(exc)) from None
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


_NO_EXTENSIONS = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _spill_to(allowed_dirs: tuple[Path, ...]) -> dict[str, str]:
    """DuckDB's temporary files in this process's upload folder (the only one it may write): past
    `MEMORY_LIMIT`, a large import spills there instead of failing."""
    return {"temp_directory": str(allowed_dirs[0] / SPILL)} if allowed_dirs else {}


def _open(path: Path, allowed_dirs: tuple[Path, ...], read_only: bool = False) -> duckdb.DuckDBPyConnection:
    config = {**_NO_EXTENSIONS, "memory_limit": MEMORY_LIMIT, "threads": THREADS, **_spill_to(allowed_dirs)}
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    dirs = [str(d.resolve()) + "/" for d in allowed_dirs]
    con.execute("SET allowed_directories = ?", [dirs])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _writable(path: Path) -> bool:
    # os.access alone says yes to root whatever the mode; a file without write bits is read-only here.
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def can_write(path: Path) -> bool:
    """Whether this process may change the store at `path`: the file and its folder are writable
    (for a store not created yet: the nearest folder that exists, where it would be created)."""
    if path.exists():
        return _writable(path) and _writable(path.parent)
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and _writable(folder)


def _connect_read_only(path: Path, allowed_dirs: tuple[Path, ...]) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a store at the current schema; any other one is refused with a message."""
    if not path.exists():
        raise StoreReadOnlyError(
            f"There is no store at {path}, and its folder is read-only so none can be created: nothing was "
            "changed. Point $AIORG_DB (or --db) at a writable folder, or make this one writable."
        )
    con = _open(path, allowed_dirs, read_only=True)
    try:
        version = read_version(con, path)
        if version is None:
            raise StoreReadOnlyError(
                f"The store {path} is read-only and was never set up (it holds no tables): nothing was changed. "
                "Make the file and its folder writable, or point $AIORG_DB (or --db) at another store."
            )
        check_version(path, version, writable=False)
    except BaseException:
        con.close()
        raise
    return con


def _connect(path: Path, allowed_dirs: tuple[Path, ...], read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the store at the current schema: created if new, upgraded if older.

    At the current version nothing is written. An older store is checkpointed, closed and
    copied to `<db>.bak-v<N>`, then reopened and migrated in one transaction; it is copied
    closed because closing any other handle on the file would drop DuckDB's lock on it.
    A newer store, or an older one that is read-only, raises `StoreVersionError`; a
    read-only connection never writes.
    """
    if read_only:
        return _connect_read_only(path, allowed_dirs)
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

    def __init__(self, path: str | Path, wait: float = BUSY_SECONDS, mode: str | None = None) -> None:
        self.path = Path(path).resolve()
        self.wait = wait
        self.mode = mode or snapshot.store_mode()  # direct: reads open the store; snapshot: see store/snapshot.py

    @property
    def upload_dir(self) -> Path:
        """This process's folder for the UTF-8 copies of files being imported (the only one DuckDB may read)."""
        return process_folder(self.path.parent / UPLOADS)

    def exists(self) -> bool:
        return self.path.exists()

    @property
    def read_only(self) -> bool:
        """Whether this process may only read the store (its file or folder is not writable)."""
        return not can_write(self.path)

    def require_writable(self) -> None:
        """Raise `StoreReadOnlyError` (nothing was changed) when the store cannot be written."""
        if self.read_only:
            raise StoreReadOnlyError(read_only_message(self.path))

    def _ensure(self, write: bool) -> None:
        """Check a change is possible; for a writable store, create its folder and the upload folder,
        which DuckDB spills into (`_spill_to`) whatever the query. Nothing is created for a read-only one."""
        if write:
            self.require_writable()
        if not self.read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.upload_dir.mkdir(parents=True, exist_ok=True)

    def _store_gate(self) -> _Gate:
        # The writer's DuckDB may also write the snapshot folder (snapshot.publish).
        return _gate(self.path, (self.upload_dir, snapshot.folder(self.path)))

    def _acquire(self, write: bool) -> tuple[_Gate, duckdb.DuckDBPyConnection]:
        """The gate and connection of this operation: the store's, or for a read in snapshot mode the newest
        snapshot's (the store's when none can be published: a read-only store, or publishing failed)."""
        if not write and self.mode == "snapshot":
            for _ in range(SNAPSHOT_TRIES):
                path = self._snapshot_to_read()
                if path is None:
                    break
                gate = _snapshot_gate(path, (self.upload_dir,))
                try:
                    return gate, gate.acquire(self.wait, write=False)
                except (duckdb.IOException, StoreReadOnlyError):
                    if path.exists():  # not a snapshot removed meanwhile: a real failure
                        raise
        gate = self._store_gate()
        return gate, gate.acquire(self.wait, write)

    def _snapshot_to_read(self) -> Path | None:
        """The snapshot a read opens: the newest when it matches the store (`snapshot.current`); else a fresh
        one, published now; the newest while a writer is at work (it publishes when it commits); None
        (read the store itself) when none can be published."""
        fresh = snapshot.current(self.path)
        if fresh is not None:
            return fresh
        newest = snapshot.latest(self.path)
        if newest is not None and self._writing_here():
            return newest
        try:
            return self._publish_now(wait=0 if newest else self.wait)
        except StoreBusyError:  # another process holds the store: an import, which publishes when it commits
            if newest is None:
                raise
            return newest

    def _writing_here(self) -> bool:
        """Whether this process has the store open (a change under way in another thread)."""
        gate = _GATES.get(self.path)
        return gate is not None and gate.con is not None

    def _publish_now(self, wait: float) -> Path | None:
        """Publish a snapshot of the store as it is: none yet (first start, a new schema version), or the
        newest is stale (the store was changed by something that did not publish). None when it cannot."""
        if self.read_only:
            return None
        try:
            with Store(self.path, wait=wait, mode=self.mode).writing():
                pass  # the commit of a writing transaction publishes (see `transaction`)
        except (StoreBusyError, StoreVersionError):
            raise
        except StoreReadOnlyError:  # the system refused a writer after all (ACLs, a read-only mount)
            return None
        except Exception as exc:  # e.g. a full disk: pages read the store itself rather than fail
            _log.warning("could not publish a read snapshot of %s (%s); reading the store itself", self.path, exc)
        return snapshot.latest(self.path)

    def _publishes(self) -> bool:
        """Whether a change publishes a snapshot: in snapshot mode, or when another process reads snapshots."""
        return self.mode == "snapshot" or snapshot.folder(self.path).is_dir()

    def _publish(self, cur: duckdb.DuckDBPyConnection) -> None:
        """A snapshot of what was just committed; on failure, none at all rather than a stale one."""
        try:
            snapshot.publish(cur, self.path)
            self._store_gate().published = True
        except Exception as exc:  # the change is committed: say so in the log, and let readers publish again
            _log.warning("could not publish a read snapshot of %s (%s); removed the older ones", self.path, exc)
            for stale in snapshot.published(self.path):
                stale.unlink(missing_ok=True)

    @contextmanager
    def _cursor(self, write: bool) -> Iterator[duckdb.DuckDBPyConnection]:
        self._ensure(write)
        gate, con = self._acquire(write)
        try:
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            gate.release()

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside one transaction: committed on success, rolled back on error.

        With `write`, a read-only store raises `StoreReadOnlyError` before anything is opened."""
        with self._cursor(write) as cur:
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")
            if write and self._publishes():
                self._publish(cur)

    def reading(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A transaction for reading: works on a read-only store. In snapshot mode it reads the newest
        snapshot, which holds every change committed through `writing()`, and never blocks a writer."""
        return self.transaction(write=False)

    def writing(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        """A transaction for a change: `StoreReadOnlyError` on a read-only store."""
        return self.transaction(write=True)
