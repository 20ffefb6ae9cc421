"""Applying valid rows to a dataset table: upsert, replace, and the undo stack (SPEC §2.1).

The valid rows of `_keyed` are matched to stored rows by key — or, for a row that now
carries an id, by the hash of the keyless row it replaces — and sorted into inserted,
updated (with the columns that changed) and unchanged. Before anything is written,
the exact stored image of every updated or deleted row goes to `undo_<table>`, and
every written row carries the import's id, so that an undo restores the table exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from aiorg_metrics.datasets.registry import DATASETS, Dataset
from aiorg_metrics.ingestion.validation import VALID, q, typed


@dataclass
class Diff:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    changed_columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changes(self) -> int:
        return self.inserted + self.updated + self.deleted


def _columns(ds: Dataset) -> list[str]:
    return [c.name for c in ds.columns]


def stage(cur: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str]) -> None:
    """`_incoming`: each valid row as it will be stored, with the stored key it replaces (`_old_key`)."""
    takeover = (
        f"LEFT JOIN {ds.table} s2 ON s1._key IS NULL AND k.{typed(ds.id_column)} IS NOT NULL "
        f"AND s2.{q(ds.id_column)} IS NULL AND s2._hash = k._hash"
        if ds.id_column
        else ""
    )
    old = "coalesce(s1._key, s2._key)" if ds.id_column else "s1._key"
    matched = (
        f"SELECT k.*, {old} AS _old_key FROM _keyed k LEFT JOIN {ds.table} s1 ON s1._key = k._key {takeover} "
        f"WHERE {VALID}"
    )
    values = [
        f"m.{typed(c)} AS {q(c)}" if c in present else f"s.{q(c)} AS {q(c)}"  # absent optional: keep stored
        for c in _columns(ds)
    ]
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _incoming AS SELECT {', '.join(values)}, m._key, m._hash, m._old_key, "
        f"m._line FROM ({matched}) m LEFT JOIN {ds.table} s ON s._key = m._old_key"
    )


def diff(cur: duckdb.DuckDBPyConnection, ds: Dataset, replace: bool) -> Diff:
    """Counts of what applying `_incoming` would do, and `_changes` (the updated rows)."""
    cols = _columns(ds)
    changed = ", ".join(f"CASE WHEN i.{q(c)} IS DISTINCT FROM s.{q(c)} THEN '{c}' END" for c in cols)
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _changes AS SELECT i._key, i._old_key, "
        f"list_filter([{changed}, CASE WHEN i._key <> i._old_key THEN '_key' END], lambda x: x IS NOT NULL) AS cols "
        f"FROM _incoming i JOIN {ds.table} s ON s._key = i._old_key"
    )
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _deleted AS SELECT _key FROM {ds.table} WHERE {'true' if replace else 'false'} "
        "AND _key NOT IN (SELECT _old_key FROM _incoming WHERE _old_key IS NOT NULL) "
        "AND _key NOT IN (SELECT _key FROM _keyed WHERE _key IS NOT NULL)"
    )
    (inserted,) = cur.execute("SELECT count(*) FROM _incoming WHERE _old_key IS NULL").fetchall()[0]
    updated, unchanged = cur.execute(
        "SELECT count(*) FILTER (len(cols) > 0), count(*) FILTER (len(cols) = 0) FROM _changes"
    ).fetchall()[0]
    (deleted,) = cur.execute("SELECT count(*) FROM _deleted").fetchall()[0]
    samples = cur.execute("SELECT _key, cols FROM _changes WHERE len(cols) > 0 ORDER BY _key LIMIT 1000").fetchall()
    return Diff(inserted, updated, unchanged, deleted, {k: [c for c in v if c != "_key"] for k, v in samples})


def apply(cur: duckdb.DuckDBPyConnection, ds: Dataset, import_id: int) -> None:
    """Write `_incoming` and `_deleted` to the table, keeping undo images first."""
    cols = ", ".join(q(c) for c in _columns(ds))
    replaced = "SELECT _old_key FROM _changes WHERE len(cols) > 0 UNION ALL SELECT _key FROM _deleted"
    cur.execute(
        f"INSERT INTO undo_{ds.table} SELECT ?, {cols}, _key, _hash, _import_id FROM {ds.table} "
        f"WHERE _key IN ({replaced})",
        [import_id],
    )
    cur.execute(f"DELETE FROM {ds.table} WHERE _key IN ({replaced})")
    cur.execute(
        f"INSERT INTO {ds.table} SELECT {cols}, _key, _hash, ? FROM _incoming "
        f"WHERE _old_key IS NULL OR _key IN (SELECT _key FROM _changes WHERE len(cols) > 0)",
        [import_id],
    )


def remove_all(cur: duckdb.DuckDBPyConnection, import_id: int) -> int:
    """Empty every dataset table as one undoable step (removing the sample organization)."""
    removed = 0
    for ds in DATASETS:
        cols = ", ".join(q(c) for c in _columns(ds))
        cur.execute(
            f"INSERT INTO undo_{ds.table} SELECT ?, {cols}, _key, _hash, _import_id FROM {ds.table}", [import_id]
        )
        removed += cur.execute(f"SELECT count(*) FROM {ds.table}").fetchall()[0][0]
        cur.execute(f"DELETE FROM {ds.table}")
    return removed


def revert(cur: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Undo one import: remove the rows it wrote, restore the rows it replaced or deleted.

    Rows carry the import that last wrote them, and undo is a stack (later imports are undone
    first), so the rows an import wrote are exactly those still marked with its id.
    """
    for ds in DATASETS:
        cols = ", ".join(q(c) for c in _columns(ds))
        cur.execute(f"DELETE FROM {ds.table} WHERE _import_id = ?", [import_id])
        cur.execute(
            f"INSERT INTO {ds.table} SELECT {cols}, _key, _hash, _import_id FROM undo_{ds.table} "
            "WHERE undo_import_id = ?",
            [import_id],
        )
        cur.execute(f"DELETE FROM undo_{ds.table} WHERE undo_import_id = ?", [import_id])
