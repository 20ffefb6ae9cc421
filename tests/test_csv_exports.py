"""CSV a French Excel opens correctly (issue 11, item 4): one writer for the app's table exports, in the
dialect of the setting `csv_dialect`; formulas neutralized (fullwidth forms too); a French-dialect file we
write is read back by our own importer's dialect detection."""

from __future__ import annotations

import csv
import io

import pytest

from aiorg_metrics.common.spreadsheet import Column, Kind, neutralize, table_csv
from aiorg_metrics.display.settings_form import csv_dialect_choices
from aiorg_metrics.display.writers import scorecard_table_csv
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
from aiorg_metrics.kpi import KpiResult, Scope
from aiorg_metrics.kpi.settings import Settings, SettingsError, choices, parse_settings
from aiorg_metrics.kpi.status import Status, Target, TargetSource
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.ingest_helpers import TEAMS, load, table

COLUMNS = (Column("Use case"), Column("PoC rate", Kind.SHARE), Column("Cost (EUR)", Kind.NUMBER, 2),
           Column("n", Kind.COUNT))
ROWS = [["Scoring crédit", 0.42, 1234.5, 3], ["Chatbot", None, -2.0, 0]]


def test_a_tiny_table_in_the_french_excel_dialect_byte_for_byte():
    assert table_csv(COLUMNS, ROWS, "excel-fr") == (
        b"\xef\xbb\xbf"  # UTF-8 byte-order mark
        b"Use case;PoC rate (%);Cost (EUR);n\r\n"
        b"Scoring cr\xc3\xa9dit;42,0;1234,50;3\r\n"
        b"Chatbot;;-2,00;0\r\n"
    )


def test_a_tiny_table_in_the_standard_dialect_byte_for_byte():
    assert table_csv(COLUMNS, ROWS, "standard") == (
        b"Use case,PoC rate (%),Cost (EUR),n\r\n"
        b"Scoring cr\xc3\xa9dit,42.0,1234.50,3\r\n"
        b"Chatbot,,-2.00,0\r\n"
    )


def test_the_default_dialect_is_french_excel_and_an_unknown_one_is_refused():
    assert table_csv(COLUMNS, ROWS) == table_csv(COLUMNS, ROWS, "excel-fr")
    with pytest.raises(ValueError, match="unknown CSV dialect 'excel'; known: excel-fr, standard"):
        table_csv(COLUMNS, ROWS, "excel")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠SUM(A1)"])
def test_every_formula_start_is_neutralized_fullwidth_included(text):
    assert neutralize(text) == "'" + text
    for dialect, sep in (("excel-fr", ";"), ("standard", ",")):
        body = table_csv([Column("Title"), Column("n", Kind.COUNT)], [[text, 1]], dialect).decode("utf-8-sig")
        assert list(csv.reader(io.StringIO(body), delimiter=sep)) == [["Title", "n"], ["'" + text, "1"]]
    # a heading (titles can come from data, e.g. a unit's name) is neutralized too
    assert next(csv.reader(io.StringIO(table_csv([Column(text)], [], "standard").decode()))) == ["'" + text]


def test_text_that_only_contains_a_formula_sign_and_numbers_are_left_alone():
    assert neutralize("a=b") == "a=b"
    assert neutralize(-2.0) == -2.0
    assert table_csv([Column("x", Kind.NUMBER)], [[-3.5]], "excel-fr") == b"\xef\xbb\xbfx\r\n-3,5\r\n"


def _result(kpi_id: str, scope: Scope, where: str | None, value: float, target: Target, status: Status,
            previous: float | None = None, year_ago: float | None = None, note: str | None = None) -> KpiResult:
    return KpiResult(kpi=kpi_id, period="2026-Q3", scope_type=scope, scope_value=where, value=value, n=50,
                     numerator=None, denominator=None, target=target, target_source=TargetSource.GUIDE,
                     status=status, previous=previous, year_ago=year_ago, partial_window=False, note=note)


SCORECARD = [
    _result("use_case_to_poc_rate", Scope.ORG, None, 0.42, Target(min=0.3, strict_min=True), Status.GREEN, 0.375),
    _result("demand_queue_months", Scope.TEAM, "T1", 4.25, Target(max=3.0), Status.RED, year_ago=5.0,
            note="=cmd|' /C calc'!A0"),
]


def test_the_scorecard_download_has_labels_words_and_percents_in_french_excel():
    text = scorecard_table_csv(SCORECARD, {"T1": "Crédit & Prêts"}, "excel-fr").decode("utf-8-sig")
    assert text.splitlines() == [
        "Quarter;KPI;Scope;Value;Unit;Target;Status;Previous quarter;Year ago;n;Note",
        "2026-Q3;Use case → PoC conversion;Organization;42;percent;> 30%;On target;37,5;;50;",
        "2026-Q3;Demand queue (median wait);Team: Crédit & Prêts;4,25;months;≤ 3.0 months;Off target;;5;50;"
        "'=cmd|' /C calc'!A0",
    ]


def test_the_scorecard_download_in_the_standard_dialect():
    text = scorecard_table_csv(SCORECARD, {}, "standard").decode("utf-8")
    assert text.splitlines()[1:] == [
        "2026-Q3,Use case → PoC conversion,Organization,42,percent,> 30%,On target,37.5,,50,",
        "2026-Q3,Demand queue (median wait),Team: T1,4.25,months,≤ 3.0 months,Off target,,5,50,'=cmd|' /C calc'!A0",
    ]


TRAINING = (Column("record_id"), Column("date"), Column("employee_id"), Column("team_id"), Column("program"),
            Column("format"), Column("hours", Kind.NUMBER), Column("cost_eur", Kind.NUMBER, 2))


def test_a_french_excel_file_we_write_is_read_back_by_our_importer(tmp_path):
    from datetime import date

    rows = [["T1", date(2026, 3, 31), "E1", "B1", "Formation IA – été", "practice", 7.5, 2000.5],
            ["T2", date(2026, 1, 5), "E2", "B1", "Cours; avancé", "theory", 3, 0]]
    store = Store(tmp_path / "aiorg.duckdb")
    load(store, TEAMS, "teams.csv")
    report = import_bytes(store, table_csv(TRAINING, rows, "excel-fr"), "training_spend.csv", ImportOptions(),
                          actor=ADMIN)
    assert report.outcome is Outcome.STORED, [p.as_text() for p in report.problems]
    assert report.read_as == "UTF-8 with BOM, ';'-separated, decimal comma, dates ISO"
    stored = [(r[0], r[1], r[4], r[6], r[7]) for r in table(store, "training_spend", "record_id")]
    assert stored == [("T1", date(2026, 3, 31), "Formation IA – été", 7.5, 2000.5),
                      ("T2", date(2026, 1, 5), "Cours; avancé", 3.0, 0.0)]


def test_the_setting_names_the_dialects_once_and_the_form_offers_exactly_those():
    assert Settings().csv_dialect == "excel-fr"
    assert choices("csv_dialect") == ("excel-fr", "standard")
    assert list(csv_dialect_choices().values()) == ["excel-fr", "standard"]
    assert parse_settings({"csv_dialect": "standard"}).csv_dialect == "standard"
    with pytest.raises(SettingsError, match="key 'csv_dialect': Input should be 'excel-fr' or 'standard'"):
        parse_settings({"csv_dialect": "excel"})
