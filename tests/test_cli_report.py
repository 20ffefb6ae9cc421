"""The `report` command: the review pack as XLSX, HTML, a zip of CSVs and PDF for the organization, a
business unit or a team; exit codes and messages; atomic writes; `decisions list --format csv`."""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pypdf
import pytest

from aiorg_metrics.cli import main
from aiorg_metrics.ingestion import dialect
from aiorg_metrics.ingestion.reader import prepare
from aiorg_metrics.kpi import KPIS
from aiorg_metrics.report.pdf import INSTALL_LINE
from aiorg_metrics.store.connection import Store

SHEETS = ["Scorecard", "By business unit", "By team", "Funnel", "Waiting use cases", "Skills gaps", "Decisions"]
ZIPPED = ["scorecard.csv", "by-business-unit.csv", "by-team.csv", "funnel.csv", "waiting-use-cases.csv",
          "skills-gaps.csv", "decisions.csv"]


@pytest.fixture(scope="module")
def db(sample_store: Store, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the sample store the module's commands read (one decision recorded on Insurance)."""
    target = tmp_path_factory.mktemp("report") / "aiorg.duckdb"
    shutil.copyfile(sample_store.path, target)
    code = main(["decisions", "add", "--db", str(target), "--quarter", "2026-Q2", "--kpi", "adoption_rate",
                 "--scope", "business_unit:Insurance", "--owner", "Hélène Dupré", "--due", "2026-Q3",
                 "--text", "=cmd Relancer l'adoption des équipes Sinistres"])
    assert code == 0
    return str(target)


def report(db: str, out: Path, *args: str) -> int:
    return main(["report", "--db", db, "--quarter", "2026-Q3", "--out", str(out), *args])


def test_the_xlsx_pack_of_the_organization_holds_every_table(db, tmp_path, capsys):
    out = tmp_path / "org.xlsx"
    assert report(db, out, "--format", "xlsx") == 0
    said = capsys.readouterr().out
    assert re.fullmatch(rf"Wrote the 2026-Q3 review pack for the whole organization \(XLSX, 7 sheets, \d+ KB\) "
                        rf"to {re.escape(str(out))}\n", said)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    units = {row[1] for row in book["By business unit"].iter_rows(min_row=2, values_only=True)}
    assert units == {"Corporate & Investment Banking", "Group", "Insurance", "Operations", "Retail Banking",
                     "Wealth Management"}  # not the bucket of teams not in teams.csv: it holds nothing
    decision = next(book["Decisions"].iter_rows(min_row=2, values_only=True))
    assert decision[4:6] == ("=cmd Relancer l'adoption des équipes Sinistres", "Hélène Dupré")
    assert book["Decisions"].cell(2, 5).data_type == "s"


def test_the_xlsx_pack_of_insurance_holds_only_insurance(db, tmp_path, capsys):
    out = tmp_path / "ins.xlsx"
    assert report(db, out, "--format", "xlsx", "--business-unit", "Insurance") == 0
    assert "for business unit Insurance (XLSX, 7 sheets" in capsys.readouterr().out
    book = openpyxl.load_workbook(out)
    units = {row[1] for row in book["By business unit"].iter_rows(min_row=2, values_only=True)}
    team_units = {row[1] for row in book["By team"].iter_rows(min_row=2, values_only=True)}
    assert units == team_units == {"Insurance"}


def test_a_team_pack_names_the_team(db, tmp_path, capsys):
    out = tmp_path / "team.xlsx"
    assert report(db, out, "--format", "xlsx", "--team", "AI-INS") == 0
    assert "for team Insurance AI Spoke (Insurance) (XLSX" in capsys.readouterr().out
    teams = {row[2] for row in openpyxl.load_workbook(out)["By team"].iter_rows(min_row=2, values_only=True)}
    assert teams == {"Insurance AI Spoke"}


def test_the_html_pack_is_one_utf8_file_with_names_as_characters(db, tmp_path, capsys):
    out = tmp_path / "ins.html"
    assert report(db, out, "--format", "html", "--business-unit", "Insurance") == 0
    assert "(HTML, " in capsys.readouterr().out
    text = out.read_text("utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert "2026-Q3" in text and "&#" not in text.split("<script", 1)[0].split("</title>", 1)[0]


def _python_re(pattern: str) -> str:
    """The importer's RE2 pattern (`\\x{00A0}`) in Python's syntax (`\\u00A0`)."""
    return re.sub(r"\\x\{([0-9A-Fa-f]{4})\}", r"\\u\1", pattern)


def test_the_csv_zip_in_french_excel_is_read_back_by_our_importer(db, tmp_path, capsys):
    out = tmp_path / "ins.zip"
    assert report(db, out, "--format", "csv", "--business-unit", "Insurance", "--csv-dialect", "excel-fr") == 0
    assert "(CSV zip, 7 tables, excel-fr, " in capsys.readouterr().out
    archive = zipfile.ZipFile(out)
    assert archive.namelist() == ZIPPED
    data = archive.read("by-business-unit.csv")
    assert data.startswith(b"\xef\xbb\xbfKPI;Business unit;Value;Unit;Target;Status;n\r\n")
    raw = prepare(data, "by-business-unit.csv", tmp_path / "uploads", 10)
    assert (raw.encoding, raw.delimiter, raw.delimiter_label) == ("UTF-8 with BOM", ";", "';'-separated")
    rows = list(csv.reader(io.StringIO(raw.text_path.read_text("utf-8")), delimiter=raw.delimiter))
    assert {r[1] for r in rows[1:]} == {"Insurance"}
    values = [r[2] for r in rows[1:] if r[2]]
    assert any(re.fullmatch(_python_re(dialect.COMMA_NUMBER), v) for v in values)
    assert not any(re.fullmatch(_python_re(dialect.POINT_NUMBER), v) for v in values)
    header, line = archive.read("decisions.csv").decode("utf-8-sig").splitlines()[:2]
    assert header == ("Id;Taken in;KPI;Scope;Decision;Owner;Due;Status;Overdue;Value then;Value now;Unit;"
                      "Scope still exists;Last changed by;Last changed")
    decision = line.split(";")
    assert decision[4:6] == ["'=cmd Relancer l'adoption des équipes Sinistres", "Hélène Dupré"]
    assert [bool(re.fullmatch(r"\d+,\d\d", v)) for v in decision[9:11]] == [True, True]  # percent points
    assert decision[11] == "percent"
    assert archive.read("by-team.csv").decode("utf-8-sig").startswith(
        "KPI;Business unit;Team;Value;Unit;Target;Status;n\r\n")


def test_the_csv_zip_in_the_standard_dialect_has_commas_and_points(db, tmp_path, capsys):
    out = tmp_path / "org.zip"
    assert report(db, out, "--format", "csv", "--csv-dialect", "standard") == 0
    funnel = zipfile.ZipFile(out).read("funnel.csv").decode("utf-8")
    assert funnel.startswith("Stage,Use cases,Share of previous stage (%),Share of identified (%),Median days,")
    waiting = zipfile.ZipFile(out).read("waiting-use-cases.csv").decode("utf-8").splitlines()
    assert waiting[1] == ("Identified,UC-0119,Predictive scoring of cash-pooling balances,Cash Management,"
                          "Nina Keller (CH-033),2025-10-16,11.5,")  # flagged only while waiting for a PoC


@pytest.mark.parametrize(("args", "message"), [
    (("--business-unit", "Atlantis"), "unknown business unit 'Atlantis'; known: Corporate & Investment Banking, "
                                      "Group, Insurance, Operations, Retail Banking, Wealth Management"),
    (("--team", "NOPE"), "unknown team 'NOPE'; known: AI-CIB, AI-HUB, AI-INS"),
    (("--quarter", "2031-Q1"), "2031-Q1 is outside the data: the store covers"),
    (("--quarter", "2026-Q5"), "2026-Q5"),
])
def test_bad_input_exits_3_naming_the_problem_and_writes_nothing(db, tmp_path, capsys, args, message):
    out = tmp_path / "pack.xlsx"
    assert report(db, out, "--format", "xlsx", *args) == 3
    err = capsys.readouterr().err
    assert message in " ".join(err.split())
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_both_scope_flags_exit_3(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        report(db, tmp_path / "p.xlsx", "--format", "xlsx", "--business-unit", "Insurance", "--team", "AI-INS")
    assert stopped.value.code == 3
    assert "argument --team: not allowed with argument --business-unit" in capsys.readouterr().err


def test_an_output_folder_that_does_not_exist_exits_3(db, tmp_path, capsys):
    assert report(db, tmp_path / "missing" / "pack.xlsx", "--format", "xlsx") == 3
    assert f"the folder {tmp_path / 'missing'} does not exist" in capsys.readouterr().err
    assert not (tmp_path / "missing").exists()


def test_the_file_is_replaced_whole_and_no_temporary_file_is_left(db, tmp_path, capsys):
    out = tmp_path / "pack.zip"
    out.write_bytes(b"an older pack")
    assert report(db, out, "--format", "csv") == 0
    assert zipfile.ZipFile(out).namelist() == ZIPPED
    assert [p.name for p in tmp_path.iterdir()] == ["pack.zip"]


def test_a_pdf_without_chromium_exits_3_naming_the_install_line(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("AIORG_CHROMIUM", "/nonexistent")
    assert report(db, tmp_path / "pack.pdf", "--format", "pdf") == 3
    err = " ".join(capsys.readouterr().err.split())
    assert "/nonexistent" in err and INSTALL_LINE in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.browser
def test_the_pdf_pack_has_pages_and_names_every_kpi(db, tmp_path, capsys):
    out = tmp_path / "review-2026-Q3-insurance.pdf"
    assert report(db, out, "--format", "pdf", "--business-unit", "Insurance") == 0
    said = capsys.readouterr().out
    reader = pypdf.PdfReader(out)
    assert re.search(rf"\(PDF, {len(reader.pages)} pages, \d+ KB\)", said)
    assert len(reader.pages) > 1
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    missing = [k.label for k in KPIS if " ".join(k.label.split()) not in text]
    assert missing == []


def test_decisions_list_as_csv_in_either_dialect(db, capsysbinary):
    assert main(["decisions", "list", "--db", db, "--quarter", "2026-Q3", "--format", "csv"]) == 0
    french = capsysbinary.readouterr().out
    assert french.startswith(b"\xef\xbb\xbfId;Taken in;KPI;Scope;Decision;Owner;Due;Status;Overdue;")
    line = french.decode("utf-8-sig").split("\r\n")[1]
    assert line.startswith("1;2026-Q2;Adoption of deployed solutions;Business unit: Insurance;"
                           "'=cmd Relancer l'adoption des équipes Sinistres;Hélène Dupré;2026-Q3;Open;no;")
    assert main(["decisions", "list", "--db", db, "--quarter", "2026-Q3", "--format", "csv",
                 "--csv-dialect", "standard"]) == 0
    standard = capsysbinary.readouterr().out.decode("utf-8")
    assert standard.startswith("Id,Taken in,KPI,Scope,Decision,")


def test_a_busy_store_exits_4_and_writes_nothing(db, tmp_path, capsys, monkeypatch):
    from aiorg_metrics.store.connection import StoreBusyError

    def held(*_args, **_kwargs):
        raise StoreBusyError("held")

    monkeypatch.setattr(Store, "reading", held)
    assert report(db, tmp_path / "pack.xlsx", "--format", "xlsx") == 4
    assert "is busy" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fmt", "name", "message"), [
    ("csv", "org.csv", "--out {out}: a csv pack is a zip of CSV files; name it ….zip, e.g. {folder}/org.zip. "
                       "Nothing was written."),
    ("html", "x.pdf", "--out {out}: an HTML pack is a web page; name it ….html or ….htm, e.g. {folder}/x.html. "
                      "Nothing was written."),
    ("pdf", "x.html", "--out {out}: a PDF pack is a PDF document; name it ….pdf, e.g. {folder}/x.pdf."),
    ("xlsx", "x.csv", "--out {out}: an xlsx pack is an Excel workbook; name it ….xlsx, e.g. {folder}/x.xlsx."),
    ("xlsx", "x", "name it ….xlsx, e.g. {folder}/x.xlsx."),
])
def test_an_out_whose_extension_is_not_the_formats_exits_3(db, tmp_path, capsys, fmt, name, message):
    out = tmp_path / name
    assert report(db, out, "--format", fmt) == 3
    err = " ".join(capsys.readouterr().err.split())
    assert message.format(out=out, folder=tmp_path) in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["pack.HTM", "pack.html"])
def test_html_may_be_named_htm_or_html(db, tmp_path, capsys, name):
    assert report(db, tmp_path / name, "--format", "html") == 0
    assert [p.name for p in tmp_path.iterdir()] == [name]
