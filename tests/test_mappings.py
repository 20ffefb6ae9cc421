"""Column mappings: suggestions, validation, saving, reuse from the CLI."""

from __future__ import annotations

import pytest

from aiorg_metrics.cli import main
from aiorg_metrics.datasets import dataset
from aiorg_metrics.ingest import ImportOptions, import_bytes
from aiorg_metrics.mappings import MappingError, SavedMapping, load_mapping, save_mapping, suggest, validate
from aiorg_metrics.report import Outcome
from tests.ingest_helpers import TEAMS, load, table

JIRA = (
    "Issue key,Summary,Date de création,Team,Status\n"
    "AI-12,Churn model,01/02/2026,B1,Open\n"
    "AI-13,Chatbot,03/02/2026,B2,Done\n"
)


def test_suggestions_for_a_ticketing_export():
    assert suggest(("Issue key", "Summary", "Date de création", "Team", "Status"), dataset("use_cases")) == {
        "Issue key": "use_case_id", "Summary": "title", "Date de création": "identified_date",
        "Team": "team_id", "Status": None,
    }


def test_a_mapping_must_feed_every_required_column_once():
    assert validate({"Issue key": "use_case_id", "Summary": "title", "Team": "title"}, dataset("use_cases")) == [
        "'title' is chosen for more than one file column.",
        "Required column(s) not mapped: team_id, identified_date.",
    ]


def test_a_mapped_file_imports_and_the_saved_mapping_is_reused_by_the_cli(store, tmp_path, capsys):
    load(store, TEAMS, "teams.csv")
    columns = suggest(tuple(JIRA.splitlines()[0].split(",")), dataset("use_cases"))
    report = import_bytes(store, JIRA.encode(), "jira.csv", ImportOptions(mapping=columns))
    assert (report.outcome, report.inserted, report.extra_columns) == (Outcome.STORED, 2, ("Status",))
    save_mapping(store.path, SavedMapping("Jira export", "use_cases", columns))
    assert load_mapping(store.path, "Jira export").columns["Issue key"] == "use_case_id"
    path = tmp_path / "jira-next-month.csv"
    path.write_text(JIRA.replace("AI-13,Chatbot", "AI-14,Forecast"))
    assert main(["ingest", "--db", str(store.path), "--mapping", "Jira export", str(path)]) == 0
    assert [r[0] for r in table(store, "use_cases")] == ["AI-12", "AI-13", "AI-14"]


def test_unknown_or_incomplete_mappings_are_refused(store, tmp_path, capsys):
    with pytest.raises(MappingError, match="Required column"):
        save_mapping(store.path, SavedMapping("broken", "use_cases", {"Summary": "title"}))
    path = tmp_path / "x.csv"
    path.write_text(JIRA)
    assert main(["ingest", "--db", str(store.path), "--mapping", "nope", str(path)]) == 3
    assert "No saved mapping called 'nope' (saved: none saved yet)." in capsys.readouterr().err
