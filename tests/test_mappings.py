"""Column mappings: suggestions, validation, saving, reuse from the CLI."""

from __future__ import annotations

import pytest

from aiorg_metrics.cli import main
from aiorg_metrics.datasets.registry import dataset
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
from aiorg_metrics.ingestion.mappings import (
    MappingError,
    SavedMapping,
    load_mapping,
    read_saved,
    save_mapping,
    suggest,
    validate,
)
from tests.actors import ADMIN
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
    report = import_bytes(store, JIRA.encode(), "jira.csv", ImportOptions(mapping=columns), actor=ADMIN)
    assert (report.outcome, report.inserted, report.extra_columns) == (Outcome.STORED, 2, ("Status",))
    save_mapping(store.path, SavedMapping("Jira export", "use_cases", columns), actor=ADMIN)
    assert load_mapping(store.path, "Jira export").columns["Issue key"] == "use_case_id"
    path = tmp_path / "jira-next-month.csv"
    path.write_text(JIRA.replace("AI-13,Chatbot", "AI-14,Forecast"))
    assert main(["ingest", "--db", str(store.path), "--mapping", "Jira export", str(path)]) == 0
    assert [r[0] for r in table(store, "use_cases")] == ["AI-12", "AI-13", "AI-14"]


def test_unknown_or_incomplete_mappings_are_refused(store, tmp_path, capsys):
    with pytest.raises(MappingError, match="Required column"):
        save_mapping(store.path, SavedMapping("broken", "use_cases", {"Summary": "title"}), actor=ADMIN)
    path = tmp_path / "x.csv"
    path.write_text(JIRA)
    assert main(["ingest", "--db", str(store.path), "--mapping", "nope", str(path)]) == 3
    assert "No saved mapping called 'nope' (saved: none saved yet)." in capsys.readouterr().err


GOOD_ENTRY = (
    '[mappings.Jira]\ndataset = "use_cases"\n'
    'columns = { "Issue key" = "use_case_id", Summary = "title", "Date de création" = "identified_date", '
    'Team = "team_id" }\n'
)
BROKEN_FILES = {
    "no dataset": ('[mappings.Jira]\ncolumns = { "Issue key" = "use_case_id" }\n',
                   "mappings.toml, mapping 'Jira': 'dataset' is missing."),
    "columns not a table": ('[mappings.Jira]\ndataset = "use_cases"\ncolumns = "oops"\n',
                            "mappings.toml, mapping 'Jira': 'columns' must be a table "
                            '(e.g. columns = { "Issue key" = "use_case_id" }).'),
    "unknown dataset": ('[mappings.Jira]\ndataset = "tickets"\ncolumns = { key = "use_case_id" }\n',
                        "mappings.toml, mapping 'Jira': 'dataset': unknown dataset 'tickets' (known: teams, "
                        "use_cases, poc_conversions, adoption, champion_activity, training_spend, skills)."),
    "unknown column": (GOOD_ENTRY.replace('Summary = "title"', 'Summary = "titel"'),
                       "mappings.toml, mapping 'Jira': 'Summary' → 'titel': not a column of use_cases"),
    "unknown key": (GOOD_ENTRY + "colour = 1\n",
                    "mappings.toml, mapping 'Jira': 'colour' is not a known key (an entry holds only 'dataset' "
                    "and 'columns')."),
    "bad TOML": ("[mappings.Jira\n", "mappings.toml: not valid TOML (Expected ']' at the end of a table "
                                     "declaration (at line 1, column 15)). Fix or delete the file."),
    "deeply nested": ("x = " + "[" * 5000 + "]" * 5000 + "\n",
                      "mappings.toml: values are nested too deeply to be read; this is not a valid file."),
    "oversized": ("# " + "a" * (1 << 20) + "\n", "mappings.toml: the file is 1,048,579 bytes, more than the "
                                                 "1,048,576 allowed for a configuration file."),
    "not mappings": ("mappings = 3\n", "mappings.toml: 'mappings' must be a table. Fix or delete the file."),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_a_broken_mappings_file_is_a_clear_cli_error(store, tmp_path, capsys, case):
    text, message = BROKEN_FILES[case]
    load(store, TEAMS, "teams.csv")
    (tmp_path / "mappings.toml").write_text(text, encoding="utf-8")
    path = tmp_path / "jira.csv"
    path.write_text(JIRA, encoding="utf-8")
    assert main(["ingest", "--db", str(store.path), "--mapping", "Jira", str(path)]) == 3
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert table(store, "use_cases") == []


def test_one_broken_entry_leaves_the_others_usable(store, tmp_path):
    (tmp_path / "mappings.toml").write_text(GOOD_ENTRY + '[mappings.HR]\ndataset = "teams"\n', encoding="utf-8")
    saved = read_saved(store.path)
    assert [m.name for m in saved.mappings] == ["Jira"]
    assert saved.problems == {"HR": f"{tmp_path / 'mappings.toml'}, mapping 'HR': 'columns' is missing."}
    assert load_mapping(store.path, "Jira").columns["Summary"] == "title"
    with pytest.raises(MappingError, match="mapping 'HR': 'columns' is missing"):
        load_mapping(store.path, "HR")


def test_saving_replaces_a_broken_entry_of_the_same_name(store, tmp_path):
    (tmp_path / "mappings.toml").write_text('[mappings.Jira]\ndataset = "tickets"\n', encoding="utf-8")
    columns = suggest(tuple(JIRA.splitlines()[0].split(",")), dataset("use_cases"))
    save_mapping(store.path, SavedMapping("Jira", "use_cases", columns), actor=ADMIN)
    assert read_saved(store.path).problems == {}
    assert load_mapping(store.path, "Jira").dataset == "use_cases"
