"""Tiny hand-built store fixtures for the funnel, skills and org-model tests.

Rows are inserted straight into the dataset tables (no ingestion), with `_key` set to
the dataset's natural key (id, or key columns joined with '|') and a dummy import id.
"""

from __future__ import annotations

from itertools import count
from pathlib import Path
from typing import Any

import duckdb

from aiorg_metrics.datasets import dataset
from aiorg_metrics.store import Store

_SERIAL = count(1)


def natural_key(table: str, row: dict[str, Any]) -> str:
    """The row's `_key`: its key columns joined with '|' (a serial when a keyless row has no id)."""
    parts = [row.get(column) for column in dataset(table).key]
    if any(part is None for part in parts):
        return f"hash-{next(_SERIAL)}"
    return "|".join(str(part) for part in parts)


def insert(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts of column values; absent columns are NULL) with bound parameters."""
    columns = [c.name for c in dataset(table).columns]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({names}, _key, _hash, _import_id) VALUES ({marks}, ?, NULL, 1)"
    for row in rows:
        unknown = set(row) - set(columns)
        assert not unknown, f"unknown columns for {table}: {unknown}"
        cur.execute(sql, [row.get(c) for c in columns] + [natural_key(table, row)])


def make_store(tmp_path: Path, tables: dict[str, list[dict[str, Any]]]) -> Store:
    """A store in `tmp_path` holding `tables` (table name -> rows)."""
    store = Store(tmp_path / "s.duckdb")
    with store.writing() as cur:
        for table, rows in tables.items():
            insert(cur, table, rows)
    return store


def team(team_id: str, kind: str = "business", headcount: int = 10, ai_staff: int = 0, bu: str = "BU1") -> dict:
    """A teams row."""
    return {"team_id": team_id, "team_name": team_id, "business_unit": bu, "team_kind": kind,
            "headcount": headcount, "ai_staff": ai_staff}
