"""Keys, upserts, replace mode, references resolved later, idempotence, transactions, undo."""

from __future__ import annotations

import pytest

from aiorg_metrics.ingestion import upsert
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import undo_latest
from tests.actors import ADMIN
from tests.ingest_helpers import TEAMS, load, table

ACTIVITY_NO_ID = (
    "date,champion_id,team_id,activity_type,hours\n"
    "2026-03-01,C1,B1,meetup,2\n"
    "2026-03-01,C1,B1,meetup,2\n"
    "2026-03-02,C1,B1,meetup,1\n"
)


def _snapshot(store) -> dict[str, list[tuple]]:
    return {name: table(store, name) for name in ("teams", "champion_activity", "use_cases")}


def test_keyless_identical_rows_stay_two_rows_and_reimport_changes_nothing(store):
    load(store, TEAMS, "teams.csv")
    first = load(store, ACTIVITY_NO_ID, "a.csv")
    assert (first.inserted, first.outcome) == (3, Outcome.STORED)
    assert any("export an activity_id column" in n for n in first.notes)
    again = load(store, ACTIVITY_NO_ID, "a.csv")
    assert (again.inserted, again.updated, again.unchanged, again.outcome) == (0, 0, 3, Outcome.UNCHANGED)
    assert len(table(store, "champion_activity")) == 3


def test_same_keyless_rows_in_another_dialect_are_unchanged(store):
    load(store, TEAMS, "teams.csv")
    load(store, ACTIVITY_NO_ID, "a.csv")
    french = ACTIVITY_NO_ID.replace(",", ";").replace("2026-03-01", "01/03/2026").replace("2026-03-02", "02/03/2026")
    report = load(store, french, "a-fr.csv", encoding="cp1252")
    assert (report.inserted, report.unchanged, report.outcome) == (0, 3, Outcome.UNCHANGED)


def test_an_id_added_later_takes_over_the_keyless_row(store):
    load(store, TEAMS, "teams.csv")
    load(store, ACTIVITY_NO_ID, "a.csv")
    with_ids = (
        "activity_id,date,champion_id,team_id,activity_type,hours\n"
        "A1,2026-03-01,C1,B1,meetup,2\nA2,2026-03-01,C1,B1,meetup,2\nA3,2026-03-02,C1,B1,meetup,1\n"
    )
    report = load(store, with_ids, "ids.csv")
    assert (report.inserted, report.updated) == (0, 3)
    assert sorted(r[0] for r in table(store, "champion_activity")) == ["A1", "A2", "A3"]


def test_upsert_keeps_absent_optional_columns_and_blank_cells_set_null(store):
    load(store, TEAMS, "teams.csv")
    load(store, "use_case_id,title,team_id,identified_date,sponsor,tier\nU1,Fraud,B1,2026-01-10,CFO,1\n", "u.csv")
    report = load(store, "use_case_id,title,team_id,identified_date,tier\nU1,Fraud v2,B1,2026-01-10,\n", "u2.csv")
    assert report.updated == 1
    assert report.changed_columns == {"U1": ["title", "tier"]}
    row = table(store, "use_cases")[0]
    assert (row[1], row[8], row[14]) == ("Fraud v2", None, "CFO")


def test_replace_mode_deletes_rows_absent_from_the_file_and_warns_dependants(store):
    load(store, TEAMS, "teams.csv")
    load(store, "use_case_id,title,team_id,identified_date\nU1,a,B2,2026-01-10\n", "u.csv")
    teams = "team_id,team_name,business_unit,team_kind,headcount,ai_staff\nB1,Cards,Retail,business,100,0\n"
    report = load(store, teams, "teams.csv", mode="replace")
    assert (report.unchanged, report.deleted) == (1, 3)
    assert [r[0] for r in table(store, "teams")] == ["B1"]
    assert any("refers to teams 'B2', which this import deletes" in p.reason for p in report.warnings)


def test_references_into_an_empty_dataset_resolve_later(store):
    report = load(store, "use_case_id,title,team_id,identified_date\nU1,a,B9,2026-01-10\n", "u.csv")
    assert (report.outcome, report.unresolved) == (Outcome.STORED, 1)
    later = load(store, TEAMS, "teams.csv")
    assert [p.reason for p in later.warnings] == [
        "1 stored use_cases row(s) still refer to teams rows that do not exist (e.g. 'B9'); they stay unresolved."
    ]


def test_an_invalid_last_row_leaves_the_store_unchanged(store):
    load(store, TEAMS, "teams.csv")
    before = _snapshot(store)
    report = load(store, TEAMS.replace("SP1,Retail AI,Retail,ai_spoke,4,4", "SP1,Retail AI,Retail,ai_spoke,4,x")
                  + "B7,New,Retail,business,5,0\n", "teams.csv")
    assert report.outcome is Outcome.REJECTED
    assert _snapshot(store) == before


def test_valid_only_stores_the_valid_rows(store):
    text = TEAMS + "B7,New,Retail,business,x,0\n"
    report = load(store, text, "teams.csv", valid_only=True)
    assert (report.outcome, report.valid, report.invalid, report.inserted) == (Outcome.STORED_WITH_SKIPS, 4, 1, 4)


def test_a_failure_in_the_middle_of_an_import_leaves_the_store_unchanged(store, monkeypatch):
    load(store, TEAMS, "teams.csv")
    before = _snapshot(store)

    def boom(cur, ds, import_id):
        cur.execute("DELETE FROM teams")  # half-written…
        raise RuntimeError("disk full")

    monkeypatch.setattr(upsert, "apply", boom)
    with pytest.raises(RuntimeError):
        load(store, TEAMS.replace("Cards", "Cards 2"), "teams.csv")
    assert _snapshot(store) == before


def test_undo_twice_restores_the_state_before_the_last_two_imports(store):
    load(store, TEAMS, "teams.csv")
    state_1 = _snapshot(store)
    load(store, TEAMS.replace("Cards", "Cartes") + "B7,New,Retail,business,5,0\n", "teams2.csv")
    load(store, "team_id,team_name,business_unit,team_kind,headcount,ai_staff\nB1,X,R,business,1,0\n",
         "teams3.csv", mode="replace")
    assert undo_latest(store, actor=ADMIN).startswith("Undid import #3")
    assert undo_latest(store, actor=ADMIN).startswith("Undid import #2")
    assert _snapshot(store) == state_1
    again = load(store, TEAMS.replace("Cards", "Cartes") + "B7,New,Retail,business,5,0\n", "teams2.csv")
    assert again.outcome is Outcome.STORED  # re-applied after its undo


def test_undo_with_nothing_to_undo(store):
    assert undo_latest(store, actor=ADMIN) == "Nothing to undo: no import has changed the store."


def test_sample_data_is_removed_before_a_real_import_as_one_undoable_step(store):
    load(store, TEAMS, "teams.csv", sample=True)
    report = load(store, "team_id,team_name,business_unit,team_kind,headcount,ai_staff\nR1,Real,BU,business,3,0\n",
                  "real.csv")
    assert report.notes[0] == "The sample organization was removed first (4 rows); `undo` brings it back."
    assert [r[0] for r in table(store, "teams")] == ["R1"]
    undo_latest(store, actor=ADMIN)
    undo_latest(store, actor=ADMIN)
    assert [r[0] for r in table(store, "teams")] == ["B1", "B2", "HUB", "SP1"]


def test_dataset_status_shows_the_period_covered_and_the_last_import(store):
    from aiorg_metrics.ingestion.import_log import dataset_status

    load(store, TEAMS, "teams.csv")
    load(store, "use_case_id,title,team_id,identified_date\nU1,a,B1,2026-01-10\nU2,b,B1,2026-03-31\n", "uc.csv")
    with store.reading() as cur:
        status = {row["dataset"]: row for row in dataset_status(cur)}
    teams = status["teams"]
    assert (teams["period covered"], teams["last file"]) == ("no dates: last import only", "teams.csv")
    assert status["use_cases"]["period covered"] == "2026-01-10 to 2026-03-31"
    assert (status["adoption"]["period covered"], status["adoption"]["last import"]) == ("no rows yet", None)
