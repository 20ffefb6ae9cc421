"""Upload helpers: dataset guess, mapping needs, batch order, problem tables."""

from __future__ import annotations

from aiorg_metrics.ingestion.uploads import batch_rank, guess, problems_csv, problems_frame
from tests.ingest_helpers import TEAMS, load


def test_guess_detects_the_dataset_from_the_header():
    assert guess(TEAMS.encode(), "t.csv").dataset == "teams"
    assert not guess(TEAMS.encode(), "t.csv").needs_mapping


def test_guess_says_what_a_foreign_export_lacks():
    jira = "Issue key;Summary;Created;Team\nAI-1;x;01/02/2026;B1\n".encode("cp1252")
    unknown = guess(jira, "jira.csv")
    assert (unknown.dataset, unknown.needs_mapping) == (None, True)
    assert unknown.header == ("Issue key", "Summary", "Created", "Team")
    chosen = guess(jira, "jira.csv", chosen="use_cases")
    assert chosen.missing == ("use_case_id", "title", "team_id", "identified_date")
    mapped = guess(jira, "jira.csv", chosen="use_cases", mapping={
        "Issue key": "use_case_id", "Summary": "title", "Created": "identified_date", "Team": "team_id"})
    assert not mapped.needs_mapping


def test_guess_reports_unreadable_files():
    assert guess(b"", "e.csv").problem == "e.csv: the file is empty. Export the data again with its header line."


def test_batch_order_follows_dependencies_then_names():
    files = [("skills", "b.csv"), ("adoption", "a.csv"), ("teams", "z.csv"), (None, "x.csv"), ("teams", "y.csv")]
    assert sorted(files, key=lambda f: batch_rank(*f)) == [
        ("teams", "y.csv"), ("teams", "z.csv"), ("adoption", "a.csv"), ("skills", "b.csv"), (None, "x.csv")]


def test_problem_table_and_download(store):
    report = load(store, TEAMS.replace("ai_hub", "hub") + "B1,Dup,R,business,1,0\n", "teams.csv")
    frame = problems_frame(report)
    assert frame[["level", "line", "column"]].values.tolist() == [
        ["error", 2, "team_id"], ["error", 4, "team_kind"], ["error", 6, "team_id"]]
    text = problems_csv(report, "standard").decode("utf-8").splitlines()
    assert text[0] == "file,level,line,column,value,reason,fix"
    assert text[2].startswith("teams.csv,error,4,team_kind,hub,This value is not allowed.")


def test_problem_download_neutralizes_formulas(store):
    text = "use_case_id,title,team_id,identified_date\nU1,=HYPERLINK(x),B1,2026-02-30\n"
    rows = problems_csv(load(store, text, "uc.csv"), "standard").decode("utf-8").splitlines()
    assert rows[1].startswith("uc.csv,error,2,identified_date,2026-02-30,")
    assert problems_csv(load(store, "team_id,team_name,business_unit,team_kind,headcount,ai_staff\n"
                                    "T,n,b,＠cmd,1,0\n", "t.csv")).decode("utf-8-sig").splitlines()[1].startswith(
        "t.csv;error;2;team_kind;'＠cmd;")  # the default dialect, French Excel's; a fullwidth @ is a formula too


def test_an_accented_header_is_read_right_whatever_the_file_size():
    data = "Date de création,Équipe\n".encode() + "2026-01-01,aaaaaé\n".encode() * 6000
    try:  # the fixture's first 64 KB end inside an "é"
        data[: 1 << 16].decode()
        raise AssertionError("fixture should cut a character at 64 KB")
    except UnicodeDecodeError:
        pass
    assert guess(data, "x.csv").header == ("Date de création", "Équipe")
