"""The store's tables at the current schema version, derived from the dataset registry.

Each dataset table holds the dataset's columns plus three bookkeeping columns:
`_key` (the natural key: the id, or for keyless rows a hash of the required values and
their occurrence number), `_hash` (that hash, kept for every row so that an id added
later takes over its keyless row) and `_import_id` (the import that last wrote it).

A new store is created here at `SCHEMA_VERSION`; a store from an earlier version is
brought to it by `migrations.py`. Any change to the tables below (or to a dataset's
columns) raises `SCHEMA_VERSION` and adds the matching migration.
"""

from __future__ import annotations

import duckdb

from aiorg_metrics.datasets.registry import DATASETS, Dataset

SCHEMA_VERSION = 3

BOOKKEEPING = (("_key", "VARCHAR NOT NULL"), ("_hash", "VARCHAR"), ("_import_id", "BIGINT"))

IMPORT_LOG = """
CREATE TABLE IF NOT EXISTS import_log (
    import_id BIGINT PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    file_name VARCHAR,
    sha256 VARCHAR,
    dialect VARCHAR,
    mode VARCHAR,
    rows_in_file BIGINT DEFAULT 0,
    valid BIGINT DEFAULT 0,
    invalid BIGINT DEFAULT 0,
    inserted BIGINT DEFAULT 0,
    updated BIGINT DEFAULT 0,
    unchanged BIGINT DEFAULT 0,
    deleted BIGINT DEFAULT 0,
    rejected BIGINT DEFAULT 0,
    warnings BIGINT DEFAULT 0,
    started_at TIMESTAMP,
    ended_at TIMESTAMP,
    outcome VARCHAR NOT NULL,
    is_sample BOOLEAN DEFAULT false,
    user_name VARCHAR,
    undone_by BIGINT,
    undoes BIGINT
)
"""

META = "CREATE TABLE IF NOT EXISTS store_meta (name VARCHAR PRIMARY KEY, value VARCHAR)"

# One row per schema version the store has had: when it got there and what changed.
SCHEMA_HISTORY = """
CREATE TABLE IF NOT EXISTS schema_history (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP,
    description VARCHAR NOT NULL
)
"""


# The review's decisions (issue 11). A decision's fixed facts are one row of `decisions`; its
# text, owner, due quarter and status are revisions in `decision_history`, one appended per
# change with its author and time, so nothing is ever overwritten (the latest revision is the
# decision as it stands). `is_sample`: taken while the store held the sample organization,
# shown only while it does (removing the sample takes them along, its undo brings them back).
DECISIONS = """
CREATE TABLE IF NOT EXISTS decisions (
    decision_id BIGINT PRIMARY KEY,
    quarter VARCHAR NOT NULL,
    kpi VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    is_sample BOOLEAN DEFAULT false,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
)
"""

DECISION_HISTORY = """
CREATE TABLE IF NOT EXISTS decision_history (
    decision_id BIGINT NOT NULL,
    revision INTEGER NOT NULL,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    text VARCHAR NOT NULL,
    owner VARCHAR NOT NULL,
    due VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    changed VARCHAR NOT NULL,
    PRIMARY KEY (decision_id, revision)
)
"""


def column_definitions(ds: Dataset) -> str:
    cols = [f'"{c.name}" {c.sql_type}' for c in ds.columns]
    cols += [f"{name} {sql}" for name, sql in BOOKKEEPING]
    return ", ".join(cols)


def stored_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in the store, or None for a store not created yet.

    Raises ValueError when the recorded value is not a whole number.
    """
    has_meta = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'store_meta'").fetchone()
    if not has_meta or not has_meta[0]:
        return None
    row = con.execute("SELECT value FROM store_meta WHERE name = 'schema_version'").fetchone()
    return None if row is None else int(row[0])  # ValueError for a value that is not a number


def record_version(con: duckdb.DuckDBPyConnection, version: int, description: str) -> None:
    """Record `version` as the store's schema version, with a line in its history (kept if there)."""
    con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_version', ?)", [str(version)])
    con.execute(
        "INSERT OR IGNORE INTO schema_history VALUES (?, current_localtimestamp(), ?)", [version, description]
    )


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create a new store at the current schema version, in one transaction.

    IF NOT EXISTS everywhere, so that a creation interrupted before this version existed
    (tables without a recorded version) is completed rather than refused.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(IMPORT_LOG)
        con.execute(META)
        con.execute(SCHEMA_HISTORY)
        con.execute(DECISIONS)
        con.execute(DECISION_HISTORY)
        for ds in DATASETS:
            con.execute(f"CREATE TABLE IF NOT EXISTS {ds.table} ({column_definitions(ds)})")
            # Undo: per import, the exact stored rows it overwrote or deleted.
            con.execute(f"CREATE TABLE IF NOT EXISTS undo_{ds.table} (undo_import_id BIGINT, {column_definitions(ds)})")
        record_version(con, SCHEMA_VERSION, f"store created at schema {SCHEMA_VERSION}")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
