"""Read snapshots: an immutable copy of the store per committed change, that readers open instead of the store.

DuckDB lets one process write a file, and any process holding it, even read-only, blocks that
writer. So in snapshot mode (`AIORG_STORE_MODE=snapshot`, the default) pages and read commands
never open the store: they read the newest snapshot, a copy of the whole store written by whoever
commits a change (an import from the command line, the app's own writes) while it still holds the
store: the store is checkpointed (every committed change written into its file, the WAL emptied) and
the file copied byte for byte into a temporary file in the snapshot folder, then renamed into place
(atomic). Copying the file takes a few hundredths of a second at 10^6 rows where DuckDB's logical
`COPY FROM DATABASE` took over a second; that logical copy remains the fallback whenever the file
copy cannot be trusted (the WAL still holds changes, or the file changed while it was copied).
Readers never block the writer, and the writer never blocks readers: during an import they read the
version before it.

The folder is `<store>.snapshots/` next to the store (the writer's DuckDB may write there: see
`connection._open`). A snapshot's name holds the schema version and the time it was published, so
the newest is the greatest name of the current schema. Older ones are removed as soon as a newer one
is in place: a reader that has one open keeps reading it (the system frees an unlinked file when its
last reader closes it), and a reader that finds its chosen snapshot gone picks the newest again.
A writer publishes when the mode is snapshot or the folder exists (another process reads snapshots),
so that a command line run without the setting still keeps the app's snapshot current.

A store changed by anything else (a replica receiving a copied store file, a restore from a backup, an
older release's command line) would leave the newest snapshot stale. So when the writer that published
closes the store, it records the store file's signature (inode, size, modification time, and its WAL's)
with the snapshot's name in `source.json` (`record_source`); a read takes the newest snapshot only when
the store still has that signature (`current`: a few `stat` calls), and otherwise publishes again.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import uuid
from pathlib import Path

import duckdb

from aiorg_metrics.store.schema import SCHEMA_VERSION

MODES = ("direct", "snapshot")
DEFAULT_MODE = "snapshot"
SUFFIX = ".snapshots"
MANIFEST = "source.json"  # the store's signature when the newest snapshot was published (record_source)
KEEP = 2  # the newest and the one before it: a reader that has just chosen it still finds it
STALE_TEMP_SECONDS = 3600  # a temporary copy this old was left by a publisher that died
_PUBLISH_LOCK = threading.Lock()  # one publisher at a time in this process: each copies all that was committed


class StoreModeError(ValueError):
    """`AIORG_STORE_MODE` holds something other than direct or snapshot."""


def store_mode() -> str:
    """`$AIORG_STORE_MODE`: direct (pages read the store) or snapshot (pages read the newest snapshot)."""
    mode = (os.environ.get("AIORG_STORE_MODE") or DEFAULT_MODE).strip().lower()
    if mode not in MODES:
        raise StoreModeError(f"AIORG_STORE_MODE must be direct or snapshot, not {mode!r}")
    return mode


def folder(db: Path) -> Path:
    """The snapshot folder of the store at `db`: `<store file name>.snapshots` beside it."""
    return db.with_name(db.name + SUFFIX)


def _prefix() -> str:
    return f"v{SCHEMA_VERSION}-"


def published(db: Path) -> list[Path]:
    """The snapshots of the current schema, oldest first."""
    where = folder(db)
    if not where.is_dir():
        return []
    return sorted(p for p in where.glob(f"{_prefix()}*.duckdb") if p.is_file())


def latest(db: Path) -> Path | None:
    """The newest snapshot of the store at `db`, or None when none is published at this schema."""
    snapshots = published(db)
    return snapshots[-1] if snapshots else None


def signature(db: Path) -> list[int]:
    """The store file and its WAL as the system sees them: inode, size, modification time (0s when absent).
    Any other writer, a copy over the file or a file renamed into its place changes it."""
    figures: list[int] = []
    for path in (db, db.with_name(db.name + ".wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            figures += [0, 0, 0]
            continue
        figures += [stat.st_ino, stat.st_size, stat.st_mtime_ns]
    return figures


def _manifest(db: Path) -> Path:
    return folder(db) / MANIFEST


def record_source(db: Path) -> None:
    """Note that the newest snapshot holds the store as it is now; called by the writer that published it,
    once it has closed the store (closing writes the store file, so the signature is taken after)."""
    newest = latest(db)
    if newest is None:
        return
    temp = folder(db) / f"publishing-{uuid.uuid4().hex}.json"
    temp.write_text(json.dumps({"store": signature(db), "snapshot": newest.name}))
    os.replace(temp, _manifest(db))


def current(db: Path) -> Path | None:
    """The newest snapshot when the store is still as it was when it was published, else None: no snapshot,
    or the store was changed or replaced since by something that did not publish (see the module's docstring)."""
    newest = latest(db)
    if newest is None:
        return None
    try:
        noted = json.loads(_manifest(db).read_text())
    except (OSError, ValueError):
        return None
    return newest if noted == {"store": signature(db), "snapshot": newest.name} else None


def publish(con: duckdb.DuckDBPyConnection, db: Path) -> Path:
    """Copy the committed state of the store (`con`, its writer) into a new snapshot; remove older ones.

    Called while `con` holds the store, so no other process changes it during the copy."""
    where = folder(db)
    where.mkdir(exist_ok=True)
    with _PUBLISH_LOCK:
        temp = where / f"publishing-{uuid.uuid4().hex}.tmp"
        try:
            if not _copy_checkpointed_file(con, db, temp):
                temp.unlink(missing_ok=True)
                _copy_database(con, temp)
            temp.chmod(0o444)  # immutable: every reader opens it read-only (connection.can_write)
            target = where / f"{_prefix()}{time.time_ns():020d}-{os.getpid()}.duckdb"
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
            temp.with_name(temp.name + ".wal").unlink(missing_ok=True)
        _prune(where, target)
    return target


def _copy_checkpointed_file(con: duckdb.DuckDBPyConnection, db: Path, temp: Path) -> bool:
    """Checkpoint the store and copy its file to `temp`; False when the copy may not be whole.

    After a checkpoint the file holds every committed change and the WAL nothing. Another thread of this
    process may commit meanwhile: into the WAL (then its own publish follows), or, if that commit
    checkpoints, into the file while it is copied, which the file's signature before and after shows."""
    con.execute("CHECKPOINT")
    wal = db.with_name(db.name + ".wal")
    before = signature(db)
    if wal.exists() and wal.stat().st_size > 0:
        return False
    shutil.copyfile(db, temp)
    return signature(db) == before


def _copy_database(con: duckdb.DuckDBPyConnection, temp: Path) -> None:
    """DuckDB's logical copy of the whole database into the new file `temp`."""
    alias = f"snapshot_{uuid.uuid4().hex}"
    source = con.execute("SELECT current_database()").fetchone()[0]
    con.execute(f"ATTACH '{temp}' AS {alias}")
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
    finally:
        con.execute(f"DETACH {alias}")


def _prune(where: Path, newest: Path) -> None:
    """Remove all but the `KEEP` newest snapshots of this schema, those of other schemas, and old temporary copies."""
    keep = set(published(where.with_name(where.name[: -len(SUFFIX)]))[-KEEP:]) | {newest}
    now = time.time()
    for path in where.iterdir():
        is_temp = path.name.startswith("publishing-")
        if path in keep or (is_temp and now - _mtime(path) < STALE_TEMP_SECONDS):
            continue
        if is_temp or path.suffix in (".duckdb", ".wal"):
            path.unlink(missing_ok=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
