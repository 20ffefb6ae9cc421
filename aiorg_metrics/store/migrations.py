"""Schema migrations: bring a store written by an earlier version up to `SCHEMA_VERSION`.

`MIGRATIONS` is the ordered registry: the migration with `version` N takes a store
from schema N-1 to N. `migrate` runs every pending one in one transaction (all or
nothing) and records each new version, so an interrupted upgrade leaves the store as it
was. Every migration is idempotent: run again on a store it already changed, it changes
nothing (IF NOT EXISTS, INSERT OR IGNORE, or a check before a rebuild).

A migration's SQL is history: it describes the tables as they were when it was written,
so it never reads the current definitions in schema.py (which will move on). The test
tests/test_migrations.py checks that a migrated schema-1 store has exactly the tables
and columns of a store created by the current code.

What DuckDB 2.0 can ALTER (checked on 2.0.0): ADD COLUMN (with a DEFAULT, IF NOT EXISTS)
works on a table with a PRIMARY KEY, such as import_log, and inside a transaction; so do
DROP COLUMN and ALTER ... TYPE on its other columns, and RENAME COLUMN. It refuses to
drop the key column or change its type, and on a table with a CREATE INDEX it refuses
DROP COLUMN and ALTER ... TYPE ("Cannot alter entry ... because there are entries that
depend on it"). Those changes go through `rebuild_table`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb

from aiorg_metrics.store.schema import SCHEMA_VERSION, record_version, stored_version


class StoreVersionError(Exception):
    """The store cannot be opened at this version: written by a newer one, or not upgradable here."""


@dataclass(frozen=True)
class Migration:
    """The change from schema `version - 1` to `version`."""

    version: int
    description: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


# --- helpers for the common steps -------------------------------------------------------------


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether `table` has a column named `column`."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = ? AND column_name = ?", [table, column]
    ).fetchone()
    return bool(row and row[0])


def add_column(con: duckdb.DuckDBPyConnection, table: str, column: str, sql_type: str) -> None:
    """Add a column to a table unless it is there (works on a table with a PRIMARY KEY)."""
    con.execute(f'ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "{column}" {sql_type}')


def add_dataset_column(con: duckdb.DuckDBPyConnection, table: str, column: str, sql_type: str) -> None:
    """Add a column to a dataset table and to its undo table, which keeps whole stored rows."""
    add_column(con, table, column, sql_type)
    add_column(con, f"undo_{table}", column, sql_type)


def rebuild_table(
    con: duckdb.DuckDBPyConnection, table: str, create_sql: str, columns: Mapping[str, str]
) -> None:
    """Replace `table` by a new one, for the changes DuckDB cannot ALTER (see the module doc).

    `create_sql` is the full CREATE TABLE statement with `{table}` where the name goes
    (constraints and defaults included: nothing is carried over); `columns` maps each new
    column to the SQL expression, over the old table, that fills it. Call it only when
    the change is still needed (check with `has_column` or `duckdb_columns()`), so that
    running the migration again changes nothing.
    """
    staging = f"{table}__rebuild"
    con.execute(f"DROP TABLE IF EXISTS {staging}")
    con.execute(create_sql.format(table=staging))
    names = ", ".join(f'"{name}"' for name in columns)
    con.execute(f"INSERT INTO {staging} ({names}) SELECT {', '.join(columns.values())} FROM {table}")
    con.execute(f"DROP TABLE {table}")
    con.execute(f"ALTER TABLE {staging} RENAME TO {table}")


# --- the migrations, in order ----------------------------------------------------------------


def _schema_history(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_history "
        "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP, description VARCHAR NOT NULL)"
    )
    con.execute(
        "INSERT OR IGNORE INTO schema_history VALUES "
        "(1, NULL, 'schema 1 (release ca121f2 and earlier); the date it was created was not recorded')"
    )


def _decisions(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS decisions (decision_id BIGINT PRIMARY KEY, quarter VARCHAR NOT NULL, "
        "kpi VARCHAR NOT NULL, scope VARCHAR NOT NULL, is_sample BOOLEAN DEFAULT false, "
        "created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS decision_history (decision_id BIGINT NOT NULL, revision INTEGER NOT NULL, "
        "changed_by VARCHAR NOT NULL, changed_at TIMESTAMP NOT NULL, text VARCHAR NOT NULL, owner VARCHAR NOT NULL, "
        "due VARCHAR NOT NULL, status VARCHAR NOT NULL, changed VARCHAR NOT NULL, PRIMARY KEY (decision_id, revision))"
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "schema history: the store records each schema version it has had, with its date", _schema_history),
    Migration(3, "decisions: the review's decisions on KPIs, with every change kept in their history", _decisions),
)


# --- running them ---------------------------------------------------------------------------


def backup_path(db: Path, version: int) -> Path:
    """Where the copy of a schema-`version` store is kept before its upgrade: `<db>.bak-v<N>`."""
    return db.with_name(f"{db.name}.bak-v{version}")


def read_version(con: duckdb.DuckDBPyConnection, db: Path) -> int | None:
    """The store's schema version (None for a store not created yet), refused if unreadable."""
    try:
        return stored_version(con)
    except ValueError:
        raise StoreVersionError(
            f"The store {db} records a schema version that is not a number, so this app cannot tell how to "
            "read it: restore it from a backup (a file next to it ending in .bak-v and a number)."
        ) from None


def write_backup(db: Path, version: int) -> Path:
    """Copy the store file to `<db>.bak-v<N>` unless that backup exists; its path.

    The store must be closed and checkpointed (no .wal). The copy goes to a temporary
    name first, so a copy cut short never passes for a backup, and is then linked to its
    name only if no other process got there first: the first whole copy wins, and it was
    taken before any process started to upgrade the file.
    """
    target = backup_path(db, version)
    if target.exists():
        return target
    partial = target.with_name(f"{target.name}.part-{os.getpid()}")
    try:
        shutil.copy2(db, partial)
        _publish(partial, target)
    except OSError as exc:
        raise StoreVersionError(
            f"The store {db} needs an upgrade from schema {version} to {SCHEMA_VERSION}, but its backup "
            f"{target} could not be written ({exc.strerror or exc}): nothing was changed. Free some disk "
            "space or make the folder writable, then open it again."
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return target


def _publish(partial: Path, target: Path) -> None:
    try:
        os.link(partial, target)
    except FileExistsError:
        pass  # another process made it first: keep that one
    except OSError:  # a file system without hard links
        if not target.exists():
            os.replace(partial, target)


def check_version(db: Path, version: int, writable: bool = True, target: int = SCHEMA_VERSION) -> None:
    """Refuse, with a message, a store this version cannot open: newer, or older and read-only."""
    if version > target:
        raise StoreVersionError(
            f"The store {db} was written by a newer version of the app (schema {version}); "
            f"this version reads schema {target}: upgrade the app."
        )
    if version < target and not writable:
        raise StoreVersionError(
            f"The store {db} was written by an earlier version of the app (schema {version}) and needs an "
            f"upgrade to schema {target}, but it is read-only: make the file and its folder writable "
            "(a backup copy is written next to it first), then open it again."
        )


def migrate(
    con: duckdb.DuckDBPyConnection,
    db: Path,
    registry: tuple[Migration, ...] = MIGRATIONS,
    target: int = SCHEMA_VERSION,
) -> list[int]:
    """Run the pending migrations up to `target` in one transaction; the versions applied.

    On any failure the transaction is rolled back (the store stays as it was) and the
    failure is raised as a `StoreVersionError` naming the backup.
    """
    con.execute("BEGIN TRANSACTION")
    start = 1
    try:
        start = read_version(con, db) or 1  # re-read inside the transaction: another process may have upgraded it
        check_version(db, start, target=target)
        applied = []
        for step in sorted(registry, key=lambda m: m.version):
            if start < step.version <= target:
                step.apply(con)
                record_version(con, step.version, step.description)
                applied.append(step.version)
    except StoreVersionError:
        con.execute("ROLLBACK")
        raise
    except duckdb.Error as exc:
        con.execute("ROLLBACK")
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise StoreVersionError(
            f"Upgrading the store {db} from schema {start} to {target} failed ({first_line}); nothing was changed. "
            f"The copy made before the upgrade is {backup_path(db, start)}."
        ) from None
    con.execute("COMMIT")
    return applied
