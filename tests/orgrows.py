"""Tiny hand-built store fixtures for the funnel, skills and org-model tests.

Rows are inserted straight into the dataset tables (no ingestion) by the KPI tests' own
`insert` (see tests/kpi_fixtures.py for how `_key` is filled).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiorg_metrics.store.connection import Store
from tests import kpi_fixtures

# One way to insert hand-built rows for all the engine's tests.
insert = kpi_fixtures.insert


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
