"""A store written by an earlier version that already holds implausible dates (issue 8, class 1):
it opens, every page renders, the covered quarters ignore those dates, the Data page lists the rows,
and the CLI answers or refuses every quarter with a message.

The dates are planted with SQL, as an earlier version's importer stored them (no validation then).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from app_support import PAGES, all_text, open_app, use_sample_store

from aiorg_metrics.analysis.directory import freshness
from aiorg_metrics.cli import main
from aiorg_metrics.kpi import covered_quarters
from aiorg_metrics.store.connection import Store
from aiorg_metrics.store.implausible import count_implausible, find_implausible

# (table, id column, date column, value): each copies the table's first row under a new id
PLANTED = [
    ("use_cases", "use_case_id", "identified_date", "9999-12-31"),
    ("use_cases", "use_case_id", "identified_date", "0001-01-01"),
    ("use_cases", "use_case_id", "identified_date", "2206-05-01"),
    ("poc_conversions", "poc_id", "start_date", "0001-01-01"),
    ("champion_activity", "activity_id", "date", "9999-12-31"),
    ("training_spend", "record_id", "date", "9999-12-31"),
]
LISTED = [
    ("champion_activity", "ACT-000001-OLD4", "date", "9999-12-31"),
    ("poc_conversions", "POC-0001-OLD3", "start_date", "0001-01-01"),
    ("training_spend", "TR-000001-OLD5", "date", "9999-12-31"),
    ("use_cases", "UC-0001-OLD0", "identified_date", "9999-12-31"),
    ("use_cases", "UC-0001-OLD1", "identified_date", "0001-01-01"),
    ("use_cases", "UC-0001-OLD2", "identified_date", "2206-05-01"),
]
ALL_PAGES = (*PAGES, "pages/data.py", "pages/settings.py")


def plant(db: Path) -> None:
    """Insert the PLANTED rows directly, bypassing validation, as an earlier version could have."""
    with duckdb.connect(str(db)) as con:
        for n, (table, id_column, date_column, value) in enumerate(PLANTED):
            columns = [row[0] for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table]).fetchall()]
            values = [
                f"{c} || '-OLD{n}'" if c in (id_column, "_key") else f"DATE '{value}'" if c == date_column else c
                for c in columns
            ]
            con.execute(f"INSERT INTO {table} SELECT {', '.join(values)} FROM {table} ORDER BY {id_column} LIMIT 1")


@pytest.fixture
def legacy_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    db = use_sample_store(tmp_path, monkeypatch)
    plant(db)
    return db


# --- the engine ----------------------------------------------------------------------------------------


def test_covered_quarters_ignore_implausible_dates(legacy_db):
    quarters = [str(q) for q in covered_quarters(Store(legacy_db))]
    assert quarters == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    with Store(legacy_db).reading() as cur:
        fresh = freshness(cur)
    assert (fresh.first_day, fresh.last_day) == (date(2025, 1, 6), date(2026, 11, 13))


def test_the_implausible_rows_are_found_with_dataset_key_column_and_value(legacy_db):
    with Store(legacy_db).reading() as cur:
        found = find_implausible(cur)
        assert count_implausible(cur) == 6
        assert find_implausible(cur, limit=2).total == 6
    assert found.total == 6 and found.latest == date(2027, 11, 29)
    assert [tuple(row) for row in found.rows.itertuples(index=False)] == LISTED


def test_a_date_a_year_ahead_is_plausible_a_day_later_is_not(legacy_db):
    with Store(legacy_db).reading() as cur:
        assert count_implausible(cur, today=date(2206, 5, 1)) == 5  # 2206-05-01 is then today
        assert count_implausible(cur, today=date(2205, 5, 1)) == 5  # exactly one year ahead
        assert count_implausible(cur, today=date(2205, 4, 30)) == 6


def test_a_store_of_real_data_has_none(tmp_path, monkeypatch):
    db = use_sample_store(tmp_path, monkeypatch)
    with Store(db).reading() as cur:
        assert count_implausible(cur) == 0 and not find_implausible(cur).any


# --- every page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ALL_PAGES)
def test_every_page_renders_and_notes_the_implausible_dates(legacy_db, page):
    at = open_app(page=page)
    assert not at.exception
    text = all_text(at)
    assert "6 stored dates are implausible (before 2000 or more than a year after today)" in text
    assert "the **Data** page (Import history) lists them" in text
    quarter = at.selectbox(key="quarter")  # the old code opened on 2206-Q2 and listed 726 quarters
    assert quarter.value == "2026-Q3"
    assert quarter.options == ["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2",
                               "2025-Q1"]


def test_the_data_page_lists_the_rows_with_advice(legacy_db):
    at = open_app({"tab": "Import history"}, page="pages/data.py")
    assert not at.exception
    text = all_text(at)
    assert "6 stored value(s) hold an implausible date" in text
    assert "before 1 Jan 2000 or after 29 Nov 2027" in text
    assert "correct the dates in the export and import the file again" in text and "or undo the import" in text
    listed = next(d.value for d in at.dataframe if list(d.value.columns) == ["dataset", "key", "column", "value"])
    assert [tuple(row) for row in listed.itertuples(index=False)] == LISTED


# --- the CLI -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", ["9999-Q4", "0001-Q1", "2206-Q2"])
def test_kpis_refuses_the_implausible_quarters_naming_the_range(capsys, legacy_db, quarter):
    code = main(["kpis", "--db", str(legacy_db), "--quarter", quarter])
    out, err = capsys.readouterr()
    assert code == 3 and out == ""
    assert err == (f"error: {quarter} is outside the data: the store covers 2025-Q1 to 2026-Q4 "
                   "(dated rows from 2025-01-06 to 2026-11-13)\n")


@pytest.mark.parametrize("command", [["kpis", "--quarter", "2026-Q3"], ["funnel", "--quarter", "2026-Q3"],
                                     ["advisor", "--quarter", "2026-Q3"], ["skills"]])
def test_the_commands_answer_a_covered_quarter(capsys, legacy_db, command):
    code = main([command[0], "--db", str(legacy_db), *command[1:], "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    if command[0] == "skills":
        assert data["quarter"] == "2026-Q4"  # the training row dated 9999-12-31 is not the latest quarter
    elif command[0] == "kpis":
        assert {row["period"] for row in data} == {"2026-Q3"}
    else:
        assert data["quarter"] == "2026-Q3"
