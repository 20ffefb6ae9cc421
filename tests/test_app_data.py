"""The analysts' data page and the settings page, driven through AppTest like a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import all_text, cards, dataframes, open_app, use_sample_store, use_store

from aiorg_metrics.datasets.registry import dataset
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
from aiorg_metrics.kpi import compute
from aiorg_metrics.kpi.settings import settings_for_db
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.french_excel import as_french_excel
from tests.ingest_helpers import TEAMS, table

DATA = "pages/data.py"
USE_CASES = (
    "use_case_id,title,team_id,identified_date\n"
    "U1,a,B1,2026-01-10\nU2,b,B1,2026-01-11\nU3,c,B1,2026-01-12\nU4,d,B1,2026-01-13\n"
)
POCS = "poc_id,use_case_id,start_date,outcome,end_date,production_date\nP1,U1,2026-02-01,production,,2026-03-01\n"


@pytest.fixture
def small_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store with teams and four use cases, and the app pointed at it."""
    store = Store(tmp_path / "aiorg.duckdb")
    for name, text in (("teams.csv", TEAMS), ("uc.csv", USE_CASES)):
        import_bytes(store, text.encode(), name, ImportOptions(), actor=ADMIN)
    use_store(store.path, monkeypatch)
    return store


def _upload(at, *files: tuple[str, bytes]):
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files]).run()
    return at


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _button(at, starts: str):
    return next(b for b in at.button if b.label.startswith(starts))


def test_a_valid_file_shows_its_report_and_impact_then_commits(small_store):
    at = _upload(open_app(page=DATA), ("pocs.csv", POCS.encode()))
    assert not at.exception
    assert _metrics(at) == {"rows in file": "1", "valid": "1", "invalid": "0", "new": "1", "updated": "0",
                            "unchanged": "0", "to delete": "0"}
    text = all_text(at)
    assert "Ready to import." in text
    assert "Use case → PoC conversion: 0% (no target) → 25% (no target)" in text  # partial year: info
    assert table(small_store, "poc_conversions") == []  # the preview stored nothing
    _button(at, "Import 1 file(s)").click().run()
    assert "Imported. **pocs.csv** → PoC conversions: 1 new" in all_text(at)
    rate = next(r for r in compute(small_store, "2026-Q1") if r.kpi == "use_case_to_poc_rate")
    assert rate.value == 0.25


def test_an_invalid_file_lists_every_problem_and_stores_nothing(small_store):
    bad = TEAMS.replace("ai_hub", "hubbub").replace("4,4", "4,9")
    at = _upload(open_app(page=DATA), ("teams.csv", bad.encode()))
    assert "2 row(s) have problems." in all_text(at)
    problems = dataframes(at)[0]
    assert problems[["line", "column"]].values.tolist() == [[4, "team_kind"], [5, "ai_staff"]]
    commit = _button(at, "Import 0 file(s)")
    assert commit.disabled
    assert [r[5] for r in table(small_store, "teams")] == [0, 2, 10, 4]


def test_valid_rows_only_skips_the_bad_rows(small_store):
    bad = USE_CASES + "U5,e,B1,2026-02-30\n"
    at = _upload(open_app(page=DATA), ("uc.csv", bad.encode()))
    at.checkbox(key="valid-only").check().run()
    assert "1 invalid row(s) will be skipped; 4 valid rows will be stored." in all_text(at)
    _button(at, "Import 1 file(s)").click().run()
    assert len(table(small_store, "use_cases")) == 4


def test_replace_mode_counts_and_deletes_missing_rows(small_store):
    at = open_app(page=DATA)
    at.radio(key="mode").set_value("Replace: also delete stored rows missing from the file").run()
    _upload(at, ("uc.csv", USE_CASES.split("U3")[0].encode()))
    assert _metrics(at)["to delete"] == "2"
    _button(at, "Import 1 file(s)").click().run()
    assert [r[0] for r in table(small_store, "use_cases")] == ["U1", "U2"]


def test_a_foreign_export_is_mapped_and_the_saved_mapping_reused(small_store):
    jira = "Issue key;Summary;Date de création;Team;Status\nAI-1;Churn;01/02/2026;B1;Open\n".encode("cp1252")
    at = _upload(open_app(page=DATA), ("jira.csv", jira))
    assert "This file matches no known dataset." in all_text(at)
    at.selectbox(key=next(s.key for s in at.selectbox if s.key and s.key.startswith("ds-"))).set_value(
        "use_cases").run()
    mapped = {s.label: s.value for s in at.selectbox if s.label.startswith("File column")}
    assert mapped == {"File column “Issue key”": "use_case_id *", "File column “Summary”": "title *",
                      "File column “Date de création”": "identified_date *", "File column “Team”": "team_id *",
                      "File column “Status”": "(not stored)"}
    at.text_input(key=next(t.key for t in at.text_input if t.key.startswith("save-name-"))).input("Jira").run()
    _button(at, "Save mapping").click().run()
    assert "Saved as “Jira”" in all_text(at)
    _button(at, "Import 1 file(s)").click().run()
    assert table(small_store, "use_cases")[0][0] == "AI-1"
    again = _upload(open_app(page=DATA), ("jira-next.csv", jira.replace(b"AI-1", b"AI-2")))
    again.selectbox(key=next(s.key for s in again.selectbox if s.key and s.key.startswith("ds-"))).set_value(
        "use_cases").run()
    saved = next(s for s in again.selectbox if s.label == "Apply a saved mapping")
    assert saved.options == ["(suggestions)", "Jira"]


def test_undo_from_the_history_needs_a_confirmation(small_store):
    at = open_app(query={"tab": "Import history"}, page=DATA)
    _button(at, "Undo the latest change: import #2").click().run()
    assert "Undo import #2 (use cases, uc.csv)?" in all_text(at)
    _button(at, "Yes, undo it").click().run()
    assert "Undid import #2 (use_cases, uc.csv)." in all_text(at)
    assert table(small_store, "use_cases") == []


def test_the_import_history_reads_in_words_with_a_dash_in_empty_cells(small_store):
    at = open_app(query={"tab": "Import history"}, page=DATA)
    status, log = dataframes(at)
    assert list(status["dataset"])[:3] == ["teams", "use cases", "PoC conversions"]
    assert list(log.columns[:8]) == ["#", "when", "who", "dataset", "file", "mode", "rows in file", "valid"]
    assert list(log["dataset"]) == ["use cases", "teams"] and list(log["undone by"].isna()) == [True, True]
    assert [d.proto.placeholder for d in at.dataframe[:2]] == ["–", "–"]  # shown for an empty cell, not "None"


def test_templates_tab_offers_one_template_per_dataset(small_store):
    at = open_app(query={"tab": "Templates & columns"}, page=DATA)
    labels = [b.label for b in at.get("download_button")]
    assert labels == [f"Download the {n}.csv template" for n in (
        "teams", "use_cases", "poc_conversions", "adoption", "champion_activity", "training_spend", "skills")]
    reference = dataframes(at)[0]
    assert reference["column"].tolist() == ["team_id", "team_name", "business_unit", "team_kind", "headcount",
                                            "ai_staff"]


def test_sample_data_is_removed_with_the_first_import_after_the_analyst_confirms(tmp_path, monkeypatch):
    db = use_sample_store(tmp_path, monkeypatch)
    at = _upload(open_app(page=DATA), ("teams.csv", TEAMS.encode()))
    assert "The store holds the sample organization." in all_text(at)
    assert not [b for b in at.button if b.label.startswith("Import")]  # nothing checked before the analyst agrees
    _button(at, "Check my files without the sample data").click().run()
    assert "Ready to import." in all_text(at)
    assert _metrics(at)["new"] == "4"  # checked without the sample rows
    assert len(table(Store(db), "teams")) == 31  # removed with the import, not before
    _button(at, "Import 1 file(s)").click().run()
    assert "The sample organization was removed first" in all_text(at)
    assert [r[0] for r in table(Store(db), "teams")] == ["B1", "B2", "HUB", "SP1"]


def test_french_excel_export_through_the_page(small_store):
    data = as_french_excel(USE_CASES.replace("U4,d", "U4,dé"), dataset("use_cases"))
    at = _upload(open_app(page=DATA), ("cas.csv", data))
    assert "cp1252 (Windows/Excel), ';'-separated, dates day-first" in all_text(at)
    assert _metrics(at)["unchanged"] == "3"


def _practice_card(query: dict[str, str]) -> str:
    review = open_app(query=query)
    return next(c for label, c in cards(review).items() if label.startswith("Practice"))


def test_settings_saved_on_the_page_change_statuses_across_the_app(tmp_path, monkeypatch):
    db = use_sample_store(tmp_path, monkeypatch)
    query = {"quarter": "2026-Q2"}
    assert "Watch" in _practice_card(query)  # 69% against ≥ 70%, within the 10% tolerance
    at = open_app(query=query, page="pages/settings.py")
    next(n for n in at.number_input if n.label == "Amber tolerance (%)").set_value(0.0)
    submit = next(b for b in at.button if b.label == "Save settings")
    submit.click().run()
    assert not at.exception
    assert "Settings saved. Statuses across the app now use them." in all_text(at)
    saved = settings_for_db(db)
    assert (saved.amber_tolerance, saved.saved.by.endswith("(local mode)")) == (0.0, True)
    assert "Off target" in _practice_card(query)
    reset = open_app(page="pages/settings.py")
    next(b for b in reset.button if b.label == "Reset to defaults").click().run()
    assert settings_for_db(db).amber_tolerance == 0.10


def test_a_page_waits_for_an_import_running_in_another_process(tmp_path, monkeypatch):
    from tests.test_concurrency import _hold

    db = use_sample_store(tmp_path, monkeypatch)
    holder = _hold(db, 1.5)
    at = open_app(query={"quarter": "2026-Q2"})
    holder.wait(timeout=30)
    assert not at.exception
    assert "An import is in progress" not in all_text(at)  # it waited, then showed the page
    assert at.title[0].value == "Quarterly review"


def test_the_review_offers_the_scorecard_as_csv(tmp_path, monkeypatch):
    use_sample_store(tmp_path, monkeypatch)
    at = open_app(query={"quarter": "2026-Q2"})
    labels = [b.label for b in at.get("download_button") if b.proto.id.endswith("-review-download")]
    assert labels == ["Download the 2026-Q2 scorecard: organization and business units (CSV)"]
    from aiorg_metrics.common.periods import Quarter
    from dashboard.state import data_state
    from dashboard.views.review import scorecard_csv  # the same bytes the button serves

    rows = scorecard_csv(data_state(), Quarter.parse("2026-Q2")).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Quarter;KPI;Scope;Value;Unit;")  # the default dialect: French Excel's
    # 19 org rows + 111 business-unit rows, as `kpis --by business_unit`, less the 3 rows of the bucket of
    # teams not in teams.csv, which holds nothing (no data, n = 0)
    assert len(rows) == 1 + 127
    assert not [r for r in rows if "unknown team" in r or "Teams not in teams.csv" in r]


HOSTILE = "[x](http://e.vil) :red[big] $x^2$ **b**"
# widgets.md's form: markdown specials escaped, a word joiner (U+2060) after ':' so that no link, icon or
# colour pattern matches.
HOSTILE_MD = "\\[x\\]\\(http\\:\u2060//e\\.vil\\) \\:\u2060red\\[big\\] \\$x^2\\$ \\*\\*b\\*\\*"


def test_two_files_with_one_name_and_one_file_twice_each_get_their_own_box(small_store):
    other = USE_CASES.replace("U4,d", "U5,e")
    at = _upload(open_app(page=DATA), ("uc.csv", USE_CASES.encode()), ("uc.csv", other.encode()),
                 ("copy.csv", USE_CASES.encode()))
    assert not at.exception
    assert [h.value for h in at.subheader] == [":material/description: 1. copy\\.csv",
                                               ":material/description: 2. uc\\.csv",
                                               ":material/description: 3. uc\\.csv"]
    assert "Same content as file 1: it is imported once, as file 1." in all_text(at)
    commit = _button(at, "Import 2 file(s)")
    assert commit.label == "Import 2 file(s) · 1 duplicate(s) imported once"
    commit.click().run()
    assert not at.exception
    assert [r[0] for r in table(small_store, "use_cases")] == ["U1", "U2", "U3", "U4", "U5"]


def test_a_broken_mappings_file_is_shown_and_the_columns_can_be_mapped_again(small_store):
    path = small_store.path.parent / "mappings.toml"
    path.write_text('[mappings.Jira]\ndataset = "use_cases"\ncolumns = "oops"\n', encoding="utf-8")
    jira = b"Issue key,Summary,Date de creation,Team\nAI-1,Churn,2026-02-01,B1\n"
    at = _upload(open_app(page=DATA), ("jira.csv", jira))
    at.selectbox(key=next(s.key for s in at.selectbox if s.key and s.key.startswith("ds-"))).set_value(
        "use_cases").run()
    assert not at.exception
    assert f"{path}, mapping 'Jira': 'columns' must be a table" in all_text(at)
    assert "Map the columns below" in all_text(at)
    _button(at, "Import 1 file(s)").click().run()
    assert table(small_store, "use_cases")[0][0] == "AI-1"


def test_a_replace_with_no_data_rows_needs_a_ticked_confirmation(small_store):
    at = open_app(page=DATA)
    at.radio(key="mode").set_value("Replace: also delete stored rows missing from the file").run()
    _upload(at, ("uc.csv", USE_CASES.splitlines()[0].encode() + b"\n"))
    assert "In replace mode, importing it deletes all 4 stored use cases rows and stores none." in all_text(at)
    assert _button(at, "Import 0 file(s)").disabled
    at.checkbox(key=next(c.key for c in at.checkbox if c.key.startswith("empty-"))).check().run()
    _button(at, "Import 1 file(s)").click().run()
    assert table(small_store, "use_cases") == []


def test_user_text_is_rendered_as_text_in_headings_buttons_and_confirmations(small_store):
    at = _upload(open_app(page=DATA), (f"{HOSTILE}.csv", USE_CASES.replace("U4,d", "U9,z").encode()))
    assert [h.value for h in at.subheader] == [f":material/description: 1. {HOSTILE_MD}\\.csv"]
    _button(at, "Import 1 file(s)").click().run()
    history = open_app(query={"tab": "Import history"}, page=DATA)
    undo = _button(history, "Undo the latest change")
    assert undo.label == f"Undo the latest change: import #3 (use cases, {HOSTILE_MD}\\.csv)"
    undo.click().run()
    assert f"Undo import #3 (use cases, {HOSTILE_MD}\\.csv)?" in history.warning[-1].value


def test_a_team_name_is_rendered_as_text_in_the_page_header(small_store):
    import_bytes(small_store, TEAMS.replace("Cards", HOSTILE).encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    at = open_app(query={"quarter": "2026-Q1"})
    at.selectbox(key="team").set_value(HOSTILE).run()
    assert not at.exception
    assert any(f"team {HOSTILE_MD} \\(Retail\\)" in c.value for c in at.caption)


def test_a_champion_name_is_rendered_as_text_in_the_champion_view(small_store):
    activity = f"date,champion_id,champion_name,team_id,activity_type\n2026-01-15,C1,{HOSTILE},B1,identification\n"
    assert import_bytes(small_store, activity.encode(), "ca.csv", ImportOptions(), actor=ADMIN).stored
    at = open_app(query={"quarter": "2026-Q1"}, page="pages/funnel.py")
    at.selectbox(key="champion").set_value(f"{HOSTILE} (C1)").run()
    assert not at.exception
    assert f"Champion view: {HOSTILE_MD} \\(C1\\)" in [h.value for h in at.subheader]


def test_the_busy_message_retries_by_itself_and_the_page_renders_once_the_store_is_free(tmp_path, monkeypatch):
    from aiorg_metrics.store.connection import StoreBusyError
    from dashboard import state, widgets
    from tests.test_concurrency import _hold

    db = use_sample_store(tmp_path, monkeypatch)
    real_state = state.data_state

    def busy() -> None:
        raise StoreBusyError("held by another process")

    monkeypatch.setattr(state, "data_state", busy)
    at = open_app()
    assert [w.value for w in at.warning] == [widgets.BUSY_TEXT]
    assert [c.value for c in at.caption] == [
        ":material/autorenew: This page tries again by itself every 3 s; no need to reload."]
    holder = _hold(db, 3)  # what the retry checks: a short try, busy while another process holds the store
    assert not state.store_is_free(Store(db))
    holder.wait(timeout=30)
    assert state.store_is_free(Store(db))
    monkeypatch.setattr(state, "data_state", real_state)
    at.run()
    assert not at.warning and at.title[0].value == "Quarterly review"
