"""The store's tables, derived from the dataset registry, and their migrations.

Each dataset table holds the dataset's columns plus three bookkeeping columns:
`_key` (the natural key: the id, or for keyless rows a hash of the required values and
their occurrence number), `_hash` (that hash, kept for every row so that an id added
later takes over its keyless row) and `_import_id` (the import that last wrote it).
"""

from __future__ import annotations

import duckdb

from .datasets import DATASETS, Dataset

SCHEMA_VERSION = 1

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


def column_definitions(ds: Dataset) -> str:
    cols = [f'"{c.name}" {c.sql_type}' for c in ds.columns]
    cols += [f"{name} {sql}" for name, sql in BOOKKEEPING]
    return ", ".join(cols)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet, and record the schema version."""
    con.execute(IMPORT_LOG)
    con.execute(META)
    for ds in DATASETS:
        con.execute(f"CREATE TABLE IF NOT EXISTS {ds.table} ({column_definitions(ds)})")
        # Undo: per import, the exact stored rows it overwrote or deleted.
        con.execute(f"CREATE TABLE IF NOT EXISTS undo_{ds.table} (undo_import_id BIGINT, {column_definitions(ds)})")
    stored = con.execute("SELECT value FROM store_meta WHERE name = 'schema_version'").fetchall()
    if stored != [(str(SCHEMA_VERSION),)]:  # write only on creation or migration: opening stays read-only
        con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
