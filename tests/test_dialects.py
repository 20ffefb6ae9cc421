"""Real exports: every dialect of the same data loads to identical table contents."""

from __future__ import annotations

import codecs

import pytest

from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.ingest_helpers import TEAMS, load, table

ISO = (
    "record_id,date,employee_id,team_id,program,format,hours,cost_eur,path,path_start_date,path_completed_date\n"
    "T1,2026-03-31,E1,B1,Formation IA – été,practice,7.5,2000.5,,,\n"
    "T2,2026-01-05,E2,B1,\"Cours, avancé\",theory,3,0,analyst_to_ds,2025-12-01,\n"
    "T3,2025-11-30,E3,B1,\"Multi\nligne\",PRACTICE,10,1500,,,\n"
)
FRENCH = (
    "Record_ID ; DATE ;employee_id;team_id;program;format;hours;cost_eur;path;path_start_date;path_completed_date\r\n"
    "T1;31/03/2026;E1;B1;Formation IA – été;practice;7,5;2 000,50 €;;;\r\n"
    "T2;05/01/2026 09:00;E2;B1;Cours, avancé;Theory;3;0;Analyst_To_DS;1/12/2025;\r\n"
    "T3;30/11/2025;E3;B1;\"Multi\r\nligne\";practice;10;1\u00a0500;;;\r\n"
)
TABBED = (
    "record_id\tdate\temployee_id\tteam_id\tprogram\tformat\thours\tcost_eur\tpath\tpath_start_date\t"
    "path_completed_date\n"
    "T1\t2026-03-31T14:02:00Z\tE1\tB1\tFormation IA – été\tpractice\t7.5\t€2000.50\t\t\t\n"
    "T2\t2026-01-05 10:00:00\tE2\tB1\tCours, avancé\ttheory\t3\t0\tanalyst_to_ds\t2025-12-01\t\n"
    "T3\t2025-11-30\tE3\tB1\t\"Multi\nligne\"\tpractice\t10\t1500\t\t\t\n"
)


def _contents(tmp_path, name: str, data: bytes) -> tuple[list[tuple], str]:
    store = Store(tmp_path / f"{name}.duckdb")
    load(store, TEAMS, "teams.csv")
    from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes

    report = import_bytes(store, data, f"{name}.csv", ImportOptions(), actor=ADMIN)
    assert report.outcome is Outcome.STORED, [p.as_text() for p in report.problems]
    return table(store, "training_spend", "record_id"), report.read_as


@pytest.mark.parametrize(
    ("name", "data", "read_as"),
    [
        ("cp1252", FRENCH.encode("cp1252"), "cp1252 (Windows/Excel), ';'-separated, decimal comma, dates day-first"),
        ("bom", codecs.BOM_UTF8 + FRENCH.encode(), "UTF-8 with BOM, ';'-separated, decimal comma, dates day-first"),
        ("mac", FRENCH.replace("\r\n", "\r").encode("cp1252"),
         "cp1252 (Windows/Excel), ';'-separated, decimal comma, dates day-first"),
        ("tab", TABBED.encode("utf-8"), "UTF-8, tab-separated, decimal point, dates ISO, timestamps (date part used)"),
        ("utf16", codecs.BOM_UTF16_LE + TABBED.encode("utf-16-le"), "UTF-16, tab-separated, decimal point, dates ISO"),
        ("utf16_no_bom", TABBED.encode("utf-16-le"), "UTF-16 (no byte-order mark), tab-separated, decimal point"),
        ("bom_cp1252", codecs.BOM_UTF8 + FRENCH.encode("cp1252"),
         "cp1252 (Windows/Excel) after a UTF-8 mark, ';'-separated, decimal comma, dates day-first"),
        ("excel_sep", ("sep=;\r\n" + FRENCH).encode("cp1252"),
         "cp1252 (Windows/Excel), ';'-separated (as its first line sep=; says), decimal comma, dates day-first"),
        ("quoted_sep_tab", ('"sep=\t"\n' + TABBED).encode(),
         "UTF-8, tab-separated (as its first line sep=<tab> says), decimal point, dates ISO"),
    ],
)
def test_every_dialect_loads_identical_rows(tmp_path, name, data, read_as):
    reference, iso_read_as = _contents(tmp_path, "iso", ISO.encode("utf-8"))
    assert iso_read_as == "UTF-8, ','-separated, decimal point, dates ISO"
    rows, how = _contents(tmp_path, name, data)
    assert how.startswith(read_as)
    assert rows == reference
    assert reference[0][4] == "Formation IA – été"
    assert reference[0][7] == 2000.5
    assert reference[2][4] == "Multi\nligne"


def test_line_numbers_count_physical_lines(store):
    load(store, TEAMS, "teams.csv")
    text = ISO + "T4,2026-02-31,E4,B1,x,practice,1,1,,,\n"
    report = load(store, text, "training.csv")
    assert [p.line for p in report.errors] == [6]


@pytest.mark.parametrize("quoted", [False, True])
def test_line_numbers_count_excels_sep_line(store, quoted):
    load(store, TEAMS, "teams.csv")
    header = "record_id;date;employee_id;team_id;program;format;hours;cost_eur\n"
    rows = 'T1;2026-03-01;E1;B1;"two\nlines";practice;1;1\n' if quoted else "T1;2026-03-01;E1;B1;x;practice;1;1\n"
    report = load(store, "sep=;\n" + header + rows + "\nT2;2026-02-31;E1;B1;x;practice;1;1\n", "training.csv")
    assert [(p.line, p.column) for p in report.errors] == [(6 if quoted else 5, "date")]
    assert report.rows_in_file == 2


def test_both_decimal_marks_refuse_the_file(store):
    load(store, TEAMS, "teams.csv")
    text = ISO.replace("7.5", "7,5")
    report = load(store, text.replace(",", ";").replace("7;5", "7,5"), "training.csv")
    assert report.outcome is Outcome.REJECTED
    assert report.problems[0].reason == (
        "The numbers in this file use both a decimal comma (e.g. '7,5' on line 2) and a decimal point "
        "(e.g. '2000.5' on line 2). Use one decimal mark throughout the file."
    )


def test_month_first_dates_refuse_the_file(store):
    load(store, TEAMS, "teams.csv")
    text = (
        "record_id,date,employee_id,team_id,program,format,hours,cost_eur\n"
        "T1,03/31/2026,E1,B1,x,practice,1,1\nT2,01/05/2026,E1,B1,x,practice,1,1\n"
    )
    report = load(store, text, "training.csv")
    assert report.problems[0].reason.startswith(
        "The dates in this file are written month first (e.g. '03/31/2026' on line 2)"
    )


def test_two_digit_years_are_errors(store):
    load(store, TEAMS, "teams.csv")
    text = "record_id,date,employee_id,team_id,program,format,hours,cost_eur\nT1,31/03/26,E1,B1,x,practice,1,1\n"
    report = load(store, text, "training.csv")
    assert [(p.line, p.column, p.value) for p in report.errors] == [(2, "date", "31/03/26")]


def test_other_currency_is_an_error(store):
    load(store, TEAMS, "teams.csv")
    text = "record_id,date,employee_id,team_id,program,format,hours,cost_eur\nT1,2026-03-01,E1,B1,x,practice,1,$12\n"
    report = load(store, text, "training.csv")
    assert [(p.column, p.reason) for p in report.errors] == [("cost_eur", "This is not a number.")]
