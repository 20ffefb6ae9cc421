"""The review pack's XLSX workbook (aiorg_metrics/report/workbook.py), opened with openpyxl: safe unique
sheet names, text kept as text (no formula from data anywhere), real number formats, frozen headers, and
the tables of a tiny hand-built store under the organization and under one business unit.

The store (quarter 2026-Q1, ending 2026-03-31; teams of tests/kpi_fixtures.py: Retail has T1 Cards, T2 Loans
and SP1; Insurance has T3 Claims):
- use case U1 (Cards) qualified 2026-01-20, PoC started 2026-02-01; U2 (Claims) qualified 2026-01-15, no PoC,
  titled like a formula: the queue at 2026-03-31 holds U2 only, waiting 75 days = 75 / 30.44 months. U2's
  champion C1 is named (Chloé Weber, in champion_activity); U1's champion C2 has no name anywhere.
- training spend: E1 (Cards) 3,000 EUR, E2 (Claims) 1,000 EUR: 2,000 EUR per learner overall, 3,000 in
  Retail, 1,000 in Insurance.
- one decision on Insurance's spend per learner, its text a formula.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from kpi_fixtures import D, activity, make_store, poc, use_case

from aiorg_metrics.access.disclosure import FULL
from aiorg_metrics.analysis import decisions
from aiorg_metrics.common.spreadsheet import Column, Kind
from aiorg_metrics.kpi import BY_ID
from aiorg_metrics.report.workbook import Sheet, pack_sheets, sheet_names, workbook_bytes
from tests.actors import trusted

Q = "2026-Q1"
FORMULA = "=cmd|' /C calc'!A0"
SPEND = BY_ID["training_spend_per_learner"].label
QUEUE = BY_ID["demand_queue_months"].label
POC_RATE = BY_ID["use_case_to_poc_rate"].label


def _spend(day: str, employee: str, team: str, cost: float) -> dict:
    return {"date": D(day), "employee_id": employee, "team_id": team, "program": "course", "format": "practice",
            "hours": 1, "cost_eur": cost}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    made = make_store(
        tmp_path_factory.mktemp("pack"),
        use_cases=[use_case("U1", "2026-01-10", "T1", "C2", qualified_date="2026-01-20"),
                   use_case("U2", "2026-01-12", "T3", "C1", qualified_date="2026-01-15", title=FORMULA)],
        champion_activity=[activity("2026-01-12", "C1", "T3", champion_name="Chloé Weber")],
        poc_conversions=[poc("P1", "U1", "2026-02-01")],
        training_spend=[_spend("2026-02-01", "E1", "T1", 3000), _spend("2026-03-01", "E2", "T3", 1000)],
    )
    decisions.add(made, quarter=Q, kpi="training_spend_per_learner", scope="business_unit:Insurance",
                  owner="Head of Insurance", due="2026-Q2", text=FORMULA, actor=trusted("caio"))
    return made


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _records(ws) -> list[dict[str, object]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


def _cell(ws, column: str, **where: object):
    """The cell of `column` in the one row whose columns equal `where`."""
    header = [c.value for c in ws[1]]
    found = [row for row in ws.iter_rows(min_row=2)
             if all(row[header.index(k)].value == v for k, v in where.items())]
    assert len(found) == 1, (where, len(found))
    return found[0][header.index(column)]


def _no_formula_anywhere(book: openpyxl.Workbook) -> None:
    for ws in book:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_sheet_names_are_safe_short_and_unique() -> None:
    long = "A forty character title for one big shee"
    names = sheet_names([long, "a/b:c", "Scorecard", "scorecard", "[x]*?\\", "History"])
    assert names == [long[:31], "a-b-c", "Scorecard", "scorecard (2)", "-x----", "History table"]
    book = _open(workbook_bytes([Sheet(t, [Column("x")], [["1"]]) for t in (long, "a/b:c", long)]))
    assert book.sheetnames == [long[:31], "a-b-c", long[:27] + " (2)"]


def test_text_stays_text_and_numbers_get_their_formats() -> None:
    columns = [Column("Title"), Column("Rate", Kind.SHARE), Column("Cost", Kind.MONEY), Column("Wait", Kind.MONTHS),
               Column("n", Kind.COUNT), Column("Since", Kind.DATE)]
    book = _open(workbook_bytes([Sheet("t", columns, [[FORMULA, 0.425, 1234.5, 2.5, 3, D("2026-03-31")],
                                                     ["+1", None, None, None, None, None]])]))
    ws = book["t"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:F3"
    assert [c.value for c in ws[1]] == ["Title", "Rate", "Cost", "Wait", "n", "Since"]
    assert ws[1][0].font.b
    assert (ws["A2"].value, ws["A2"].data_type) == (FORMULA, "s")
    assert (ws["A3"].value, ws["A3"].data_type) == ("+1", "s")
    assert [(c.value, c.number_format) for c in ws[2][1:5]] == [
        (0.425, "0.0%"), (1234.5, '#,##0 "€"'), (2.5, '0.0 "months"'), (3, "#,##0")]
    assert ws["F2"].value.date() == D("2026-03-31") and ws["F2"].number_format == "yyyy-mm-dd"
    assert ws["B3"].value is None
    _no_formula_anywhere(book)


def test_the_organization_pack(store) -> None:
    book = _open(workbook_bytes(pack_sheets(store, Q, disclosure=FULL)))  # as the command line: names champions
    assert book.sheetnames == ["Scorecard", "By business unit", "By team", "Funnel", "Waiting use cases",
                               "Skills gaps", "Decisions"]
    assert all(ws.freeze_panes == "A2" for ws in book)
    _no_formula_anywhere(book)
    card = book["Scorecard"]
    spend = _cell(card, "Value", KPI=SPEND, Scope="Organization")
    assert (spend.value, spend.number_format) == (2000, '#,##0 "€"')
    queue = _cell(card, "Value", KPI=QUEUE, Scope="Organization")
    assert queue.value == pytest.approx(75 / 30.44) and queue.number_format == '0.0 "months"'
    assert _cell(card, "Value", KPI=POC_RATE, Scope="Organization").number_format == "0.0%"
    assert _cell(card, "Value", KPI=SPEND, Scope="Business unit: Retail").value == 3000
    assert _cell(card, "Status", KPI=QUEUE, Scope="Organization").value == "On target"  # 2.5 months ≤ 3
    assert _cell(card, "Status", KPI=SPEND, Scope="Organization").value == "Partial year"  # data from 2026 only
    units = {r["Business unit"] for r in _records(book["By business unit"])}
    assert {"Retail", "Insurance"} <= units
    assert _cell(book["By team"], "Value", KPI=SPEND, Team="Cards").value == 3000
    waiting = _records(book["Waiting use cases"])
    assert [(r["Use case"], r["Title"], r["Team"], r["Champion"]) for r in waiting
            if r["Waiting in"] == "Qualified"] == [("U2", FORMULA, "Claims", "Chloé Weber (C1)")]
    assert [(r["Use case"], r["Champion"]) for r in waiting if r["Waiting in"] == "PoC started"] == [("U1", "C2")]
    (decision,) = _records(book["Decisions"])
    assert (decision["KPI"], decision["Scope"], decision["Decision"], decision["Owner"], decision["Status"]) == (
        SPEND, "Business unit: Insurance", FORMULA, "Head of Insurance", "Open")
    assert decision["Value now"] == 1000 and decision["Last changed by"] == "caio"
    assert decision["Unit"] == "EUR"  # the values beside it: 1,000 EUR per learner in Insurance
    assert _cell(book["By team"], "Unit", KPI=SPEND, Team="Cards").value == "EUR"
    assert _cell(book["By business unit"], "Unit", KPI=POC_RATE, **{"Business unit": "Retail"}).value == "percent"


def test_the_insurance_pack_holds_only_insurance(store) -> None:
    book = _open(workbook_bytes(pack_sheets(store, Q, business_unit="Insurance")))
    _no_formula_anywhere(book)
    scopes = {r["Scope"] for r in _records(book["Scorecard"])}
    assert scopes <= {"Organization", "Business unit: Insurance", "Team: Claims"}
    assert "Business unit: Retail" not in scopes and "Team: Cards" not in scopes
    assert _cell(book["Scorecard"], "Value", KPI=SPEND, Scope="Business unit: Insurance").value == 1000
    assert {r["Business unit"] for r in _records(book["By business unit"])} == {"Insurance"}
    assert {r["Team"] for r in _records(book["By team"])} == {"Claims"}
    funnel = {r["Stage"]: r["Use cases"] for r in _records(book["Funnel"])}
    assert (funnel["Identified"], funnel["Qualified"], funnel["PoC started"]) == (1, 1, 0)
    assert {r["Use case"] for r in _records(book["Waiting use cases"])} == {"U2"}
    assert [r["Scope"] for r in _records(book["Decisions"])] == ["Business unit: Insurance"]


def test_an_unknown_unit_or_team_is_refused_naming_the_known_ones(store) -> None:
    with pytest.raises(ValueError, match="unknown business unit 'Nowhere'; known: Group, Insurance, Retail"):
        pack_sheets(store, Q, business_unit="Nowhere")
    with pytest.raises(ValueError, match="unknown team 'T9'; known: HUB, SP1, T1, T2, T3"):
        pack_sheets(store, Q, team_id="T9")


def test_the_team_pack_holds_that_team(store) -> None:
    book = _open(workbook_bytes(pack_sheets(store, Q, team_id="T3")))
    assert {r["Team"] for r in _records(book["By team"])} == {"Claims"}
    assert {r["Scope"] for r in _records(book["Scorecard"])} <= {"Organization", "Business unit: Insurance",
                                                                  "Team: Claims"}
    assert _cell(book["By team"], "Value", KPI=SPEND, Team="Claims").value == 1000


def test_a_moment_keeps_its_time_of_day_in_the_workbook_and_the_csv() -> None:
    from datetime import datetime

    from aiorg_metrics.common.spreadsheet import cell_text, dialect_of

    moment = datetime(2026, 11, 30, 5, 46)
    column = Column("Last changed", Kind.DATETIME)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook_bytes([Sheet("Log", [column], [[moment]])])))["Log"]
    assert sheet["A2"].value == moment and sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert cell_text(moment, column, dialect_of("excel-fr")) == "2026-11-30 05:46"
