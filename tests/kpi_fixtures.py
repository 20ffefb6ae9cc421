"""Tiny hand-built stores for the KPI tests.

Rows are dicts of column values, inserted straight into the dataset tables with bound
parameters; a store must not change once a KPI was computed on it (results are cached).
`_key` is filled from the dataset's key (its id, or its key columns joined
with '|'); a keyless row (no activity_id / record_id) gets a hash-like key unless the
row gives its own `_key`, which tests use to decide ties on date.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from aiorg_metrics.datasets.registry import dataset
from aiorg_metrics.kpi import KpiResult, compute
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store

D = date.fromisoformat

# A small organization: two business units with business teams, a hub and a spoke.
TEAMS: list[dict[str, Any]] = [
    {"team_id": "T1", "team_name": "Cards", "business_unit": "Retail", "team_kind": "business",
     "headcount": 50, "ai_staff": 0},
    {"team_id": "T2", "team_name": "Loans", "business_unit": "Retail", "team_kind": "business",
     "headcount": 40, "ai_staff": 0},
    {"team_id": "T3", "team_name": "Claims", "business_unit": "Insurance", "team_kind": "business",
     "headcount": 30, "ai_staff": 0},
    {"team_id": "HUB", "team_name": "AI Hub", "business_unit": "Group", "team_kind": "ai_hub",
     "headcount": 12, "ai_staff": 10},
    {"team_id": "SP1", "team_name": "Retail AI", "business_unit": "Retail", "team_kind": "ai_spoke",
     "headcount": 4, "ai_staff": 3},
]


def row_key(table: str, row: dict[str, Any]) -> str:
    """The row's `_key`: its id or key columns; a content hash for keyless rows."""
    if "_key" in row:
        return str(row["_key"])
    parts = [row.get(column) for column in dataset(table).key]
    if all(part is not None for part in parts):
        return "|".join(str(part) for part in parts)
    return "h" + hashlib.sha1(repr(sorted(row.items())).encode()).hexdigest()[:12]


def insert(cur: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` into the dataset table `table` (absent columns are NULL)."""
    columns = [c.name for c in dataset(table).columns]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({names}, _key, _hash, _import_id) VALUES ({marks}, ?, ?, 1)"
    for row in rows:
        unknown = set(row) - set(columns) - {"_key"}
        assert not unknown, f"unknown columns for {table}: {unknown}"
        key = row_key(table, row)
        cur.execute(sql, [row.get(c) for c in columns] + [key, key])


def make_store(tmp_path: Path, **tables: list[dict[str, Any]]) -> Store:
    """A fresh store holding `tables` (dataset name → rows); teams default to TEAMS."""
    store = Store(tmp_path / "s.duckdb")
    tables.setdefault("teams", TEAMS)
    with store.writing() as cur:
        for table, rows in tables.items():
            insert(cur, table, rows)
    return store


def activity(day: str, champion: str, team: str = "T1", kind: str = "identification", **extra: Any) -> dict:
    """A champion_activity row (keyless unless `activity_id` is given)."""
    return {"date": D(day), "champion_id": champion, "team_id": team, "activity_type": kind, **extra}


def use_case(uc_id: str, identified: str, team: str = "T1", champion: str | None = None, **extra: Any) -> dict:
    """A use_cases row; dates in `extra` may be ISO strings."""
    row = {"use_case_id": uc_id, "title": f"Use case {uc_id}", "team_id": team, "champion_id": champion,
           "identified_date": D(identified)}
    return row | {k: D(v) if k.endswith("_date") and isinstance(v, str) else v for k, v in extra.items()}


def poc(poc_id: str, uc_id: str, start: str, outcome: str = "running", **extra: Any) -> dict:
    """A poc_conversions row; dates in `extra` may be ISO strings."""
    row = {"poc_id": poc_id, "use_case_id": uc_id, "start_date": D(start), "outcome": outcome}
    return row | {k: D(v) if k.endswith("_date") and isinstance(v, str) else v for k, v in extra.items()}


@cache
def _computed(path: Path, quarter: str, by: str | None, settings_json: str, kpi: str | None) -> tuple[KpiResult, ...]:
    # Stores are never changed after their first computation in these tests, so a store
    # shared by several tests (or asked twice in one) is computed once per question.
    settings = Settings.model_validate_json(settings_json)
    return tuple(compute(Store(path), quarter, by=by, settings=settings, kpi_ids=[kpi] if kpi else None))


def results(store: Store, quarter: str, by: str | None = None, settings: Settings | None = None,
            kpi: str | None = None) -> dict[tuple[str, str], KpiResult]:
    """compute() indexed by (kpi, scope); only `kpi` when given (faster)."""
    rows = _computed(store.path, quarter, by, (settings or Settings()).model_dump_json(), kpi)
    return {(r.kpi, r.scope): r for r in rows}


def result(store: Store, kpi_id: str, quarter: str, scope: str = "org", by: str | None = None,
           settings: Settings | None = None) -> KpiResult:
    """One KPI's result for one scope (`org`, `team:T1`, `business_unit:Retail`…)."""
    if by is None and scope != "org":
        by = scope.split(":")[0]
    found = results(store, quarter, by, settings, kpi_id).get((kpi_id, scope))
    assert found, f"no {kpi_id} result for {scope}"
    return found
