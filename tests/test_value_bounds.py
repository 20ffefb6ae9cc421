"""Plausible dates and bounded numbers (SPEC §1), through the ingest command.

Today is pinned to 2026-11-29 (tests/conftest.py), so the last plausible day is
2027-11-29. Every case is computed by hand: each bound at its limit (stored), just
above it (rejected, the message naming the value and the bound, the store unchanged),
and the hostile forms (inf, nan, 400 digits, a 20-digit whole number, year 1 and 9999).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aiorg_metrics.cli import main
from aiorg_metrics.datasets.fieldtypes import ColumnType
from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.store.connection import Store
from tests.conftest import ROOT, TODAY
from tests.ingest_helpers import TEAMS

HEADERS = {
    "training_spend": "record_id,date,employee_id,team_id,program,format,hours,cost_eur",
    "use_cases": "use_case_id,title,team_id,identified_date,qualified_date,expected_value_eur",
    "adoption": "poc_id,month,target_users,active_users",
    "teams": "team_id,team_name,business_unit,team_kind,headcount,ai_staff",
    "poc_conversions": "poc_id,use_case_id,start_date,outcome,production_date,cost_eur",
}
VALID = {
    "training_spend": "T1,2026-01-10,E1,B1,MLOps,practice,10,100",
    "use_cases": "U1,Triage,B1,2026-01-10,,1000",
    "adoption": "P1,2026-03,10,5",
    "teams": "B9,Ops,Retail,business,10,1",
    "poc_conversions": "P1,U1,2026-01-10,production,2026-02-01,100",
}
TABLES = ("teams", "use_cases", "poc_conversions", "adoption", "training_spend")
MAX_EUR = "1 000 000 000 000"

REJECTED = [
    # (dataset, row, message expected for that row); the rows of a dataset go in one file, in this order.
    ("training_spend", "T2,1999-12-31,E1,B1,M,practice,1,1",
     "column date, value '1999-12-31': 1999-12-31 is before 2000-01-01: a typo? "
     "Use a date from 2000-01-01 to 2027-11-29."),
    ("training_spend", "T2,0001-01-01,E1,B1,M,practice,1,1",
     "column date, value '0001-01-01': 0001-01-01 is before 2000-01-01: a typo?"),
    ("training_spend", "T2,2027-11-30,E1,B1,M,practice,1,1",
     "column date, value '2027-11-30': 2027-11-30 is more than a year after today (2026-11-29): a typo? "
     "Use a date from 2000-01-01 to 2027-11-29."),
    ("training_spend", "T2,9999-12-31,E1,B1,M,practice,1,1",
     "column date, value '9999-12-31': 9999-12-31 is more than a year after today (2026-11-29): a typo?"),
    ("training_spend", "T2,31/12/9999,E1,B1,M,practice,1,1",
     "column date, value '31/12/9999': 9999-12-31 is more than a year after today (2026-11-29): a typo?"),
    ("use_cases", "U2,t,B1,2026-01-10,9999-12-31,",
     "column qualified_date, value '9999-12-31': 9999-12-31 is more than a year after today (2026-11-29): a typo?"),
    ("adoption", "P1,1999-12,10,5",
     "column month, value '1999-12': 1999-12 is before 2000-01: a typo? Use a month from 2000-01 to 2027-11."),
    ("adoption", "P1,2027-12,10,5",
     "column month, value '2027-12': 2027-12 is more than a year after today (2026-11-29): a typo? "
     "Use a month from 2000-01 to 2027-11."),
    ("adoption", "P1,12/2027,10,5",
     "column month, value '12/2027': 2027-12 is more than a year after today (2026-11-29): a typo?"),
    ("adoption", "P1,0001-01,10,5", "column month, value '0001-01': 0001-01 is before 2000-01: a typo?"),
    ("training_spend", "T2,2026-01-10,E1,B1,M,practice,1,1000000000000.01",
     f"column cost_eur, value '1000000000000.01': The value must be between 0 and {MAX_EUR}. Correct the value."),
    ("training_spend", 'T2,2026-01-10,E1,B1,M,practice,1,"1 000 000 000 001"',
     f"column cost_eur, value '1 000 000 000 001': The value must be between 0 and {MAX_EUR}."),
    ("training_spend", "T2,2026-01-10,E1,B1,M,practice,1,inf",
     f"column cost_eur, value 'inf': The value must be between 0 and {MAX_EUR}."),
    ("training_spend", "T2,2026-01-10,E1,B1,M,practice,1,NaN",
     f"column cost_eur, value 'NaN': The value must be between 0 and {MAX_EUR}."),
    ("training_spend", "T2,2026-01-10,E1,B1,M,practice,1,-Infinity",
     f"column cost_eur, value '-Infinity': The value must be between 0 and {MAX_EUR}."),
    ("training_spend", "T2,2026-01-10,E1,B1,M,practice,1," + "9" * 400,
     f"column cost_eur, value '{'9' * 40}… (400 characters)': The value must be between 0 and {MAX_EUR}."),
    ("training_spend", "T2,2026-01-10,E1,B1,M,practice,10000.5,1",
     "column hours, value '10000.5': The value must be between 0 and 10 000. Correct the value."),
    ("use_cases", "U2,t,B1,2026-01-10,,1000000000001",
     f"column expected_value_eur, value '1000000000001': The value must be between 0 and {MAX_EUR}."),
    ("poc_conversions", "P2,U1,2026-01-10,running,,1000000000001",
     f"column cost_eur, value '1000000000001': The value must be between 0 and {MAX_EUR}."),
    ("poc_conversions", "P3,U1,2026-01-10,running,,1e308",
     "column cost_eur, value '1e308': Numbers in scientific notation are not read. Write the number in full"),
    ("teams", "B9,Ops,Retail,business,10000001,0",
     "column headcount, value '10000001': The value must be between 0 and 10 000 000. Correct the value."),
    ("teams", "B9,Ops,Retail,business,99999999999999999999,0",
     "column headcount, value '99999999999999999999': The value must be between 0 and 10 000 000."),
    ("teams", "B9,Ops,Retail,business,10,-99999999999999999999",
     "column ai_staff, value '-99999999999999999999': The value must be between 0 and 10 000 000."),
    ("adoption", "P1,2026-03,10000001,5",
     "column target_users, value '10000001': The value must be greater than 0 and at most 10 000 000."),
    ("adoption", "P1,2026-03,10,99999999999999999999",
     "column active_users, value '99999999999999999999': The value must be between 0 and 10 000 000."),
    ("adoption", "P1,2026-03,10,inf",
     "column active_users, value 'inf': The value must be between 0 and 10 000 000."),
]

STORED = [
    # (dataset, row, expected warning or None): each bound exactly at its limit is accepted. One file per row.
    ("training_spend", "T2,2000-01-01,E1,B1,M,practice,10000,1000000000000", None),
    ("training_spend", "T2,2026-11-29,E1,B1,M,practice,0,0", None),
    ("training_spend", "T2,2026-11-30,E1,B1,M,practice,1,1",
     "WARNING line 2, column date, value '2026-11-30': date is after today (2026-11-29). "
     "Check the date; the row is stored as it is."),
    ("training_spend", "T2,2027-11-29,E1,B1,M,practice,1,1",
     "WARNING line 2, column date, value '2027-11-29': date is after today (2026-11-29)."),
    ("adoption", "P1,2026-04,10000000,10000000", None),
    ("use_cases", "U2,t,B1,2000-01-01,2000-01-01,0", None),
    ("adoption", "P1,2027-11,1,1", "WARNING line 2, column month, value '2027-11': month is after today (2026-11-29)."),
    ("teams", "B9,Ops,Retail,business,10000000,10000000", None),
    ("use_cases", "U2,t,B1,2026-01-10,2026-12-01,1000000000000",
     "WARNING line 2, column qualified_date, value '2026-12-01': qualified_date is after today (2026-11-29)."),
]


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding teams and one valid row of each dataset used here, built once."""
    folder = tmp_path_factory.mktemp("bounds")
    files = [_write(folder, "teams.csv", TEAMS)]
    files += [_write(folder, f"{name}.csv", _csv(name, VALID[name])) for name in TABLES if name != "teams"]
    assert main(["ingest", "--db", str(folder / "store" / "s.duckdb"), *map(str, files)]) == 0
    return folder / "store"


@pytest.fixture
def db(base_store: Path, tmp_path: Path) -> Path:
    """A private copy of the base store."""
    shutil.copytree(base_store, tmp_path / "store")
    return tmp_path / "store" / "s.duckdb"


def _csv(dataset: str, *rows: str) -> str:
    return "\n".join([HEADERS[dataset], *rows]) + "\n"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    with Store(db).reading() as cur:
        return {t: cur.execute(f"SELECT * FROM {t} ORDER BY _key").fetchall() for t in TABLES}


def _ingest(
    db: Path, folder: Path, dataset: str, rows: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    path = _write(folder, f"new-{dataset}.csv", _csv(dataset, *rows))
    code = main(["ingest", "--db", str(db), "--dataset", dataset, str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("dataset", sorted({r[0] for r in REJECTED}))
def test_implausible_values_are_each_rejected_with_their_reason(db, tmp_path, capsys, dataset):
    cases = [(row, message) for name, row, message in REJECTED if name == dataset]
    before = _snapshot(db)
    code, out = _ingest(db, tmp_path, dataset, [row for row, _ in cases], capsys)
    assert code == 1
    for line, (_, message) in enumerate(cases, start=2):
        assert f"ERROR line {line}, {message}" in out
    assert f"rows in file {len(cases)}, valid 0, invalid {len(cases)}," in out
    assert "outcome: rejected, nothing stored" in out
    assert "not a whole number" not in out
    assert _snapshot(db) == before


@pytest.mark.parametrize(("dataset", "row", "warning"), STORED, ids=[r[1][:40] for r in STORED])
def test_value_at_its_bound_is_stored(db, tmp_path, capsys, dataset, row, warning):
    before = _snapshot(db)
    code, out = _ingest(db, tmp_path, dataset, [row], capsys)
    assert code == 0
    assert "ERROR" not in out
    if warning is None:
        assert "WARNING" not in out
    else:
        assert warning in out
    after = _snapshot(db)
    assert len(after[dataset]) == len(before[dataset]) + 1


def test_every_number_column_has_an_upper_bound_and_every_date_a_plausible_range():
    unbounded = [
        f"{ds.name}.{c.name}"
        for ds in DATASETS
        for c in ds.columns
        if c.type in (ColumnType.INT, ColumnType.FLOAT) and c.rule.maximum is None
    ]
    assert unbounded == []
    docs = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    assert "| cost_eur | float | yes | between 0 and 1 000 000 000 000 |" in docs
    assert "| hours | float | yes | between 0 and 10 000 |" in docs
    assert "| headcount | int | yes | between 0 and 10 000 000 |" in docs
    assert "| month | month | yes | 2000-01 to a year after the import day |" in docs


def test_the_real_command_rejects_a_far_date_without_a_traceback(db, tmp_path):
    before = _snapshot(db)
    path = _write(tmp_path, "uc.csv", _csv("use_cases", "U2,t,B1,9999-12-31,,"))
    result = subprocess.run(
        [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert (
        "ERROR line 2, column identified_date, value '9999-12-31': 9999-12-31 is more than a year after today "
        f"({TODAY}): a typo? Use a date from 2000-01-01 to 2027-11-29." in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr
    assert _snapshot(db) == before
