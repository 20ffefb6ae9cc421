"""The app's frame: every page renders from app.py, the filters live in the URL, first start seeds the
sample organization, and an empty, partial or busy store is told plainly (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import PAGES, RECORDS, SAMPLE_DIR, all_text, cards, open_app, use_sample_store, use_store

from aiorg_metrics.store.connection import StoreBusyError
from tests.actors import ADMIN


@pytest.fixture
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_store(tmp_path / "fresh" / "aiorg.duckdb", monkeypatch)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_from_the_router(sample_db: Path, page: str) -> None:
    at = open_app(page=page)
    assert not at.exception
    assert at.title[0].value == RECORDS[page].title
    assert [s.key for s in at.sidebar.selectbox] == ["quarter", "business_unit", "team"]


def test_a_copied_link_names_its_quarter_even_the_default(sample_db: Path) -> None:
    at = open_app()
    assert at.query_params["quarter"] == "2026-Q3"  # latest quarter ended by the data's last day (13 Nov 2026)
    at.switch_page("pages/skills.py").run()
    assert at.query_params["quarter"] == "2026-Q3"
    assert "**2026-Q3**" in at.caption[0].value


def test_a_link_reopens_its_quarter_and_filters(sample_db: Path) -> None:
    at = open_app({"quarter": "2026-Q2", "business_unit": "Insurance"}, page="pages/review.py")
    assert at.sidebar.selectbox(key="quarter").value == "2026-Q2"
    assert at.sidebar.selectbox(key="business_unit").value == "Insurance"
    assert at.caption[0].value.startswith("**2026-Q2** · business unit Insurance")
    assert at.query_params["quarter"] == "2026-Q2"


def test_a_link_with_an_unknown_quarter_opens_the_default_and_names_it(sample_db: Path) -> None:
    at = open_app({"quarter": "1999-Q1"})
    assert not at.exception
    assert at.sidebar.selectbox(key="quarter").value == "2026-Q3"
    assert at.query_params["quarter"] == "2026-Q3"


def test_changing_a_filter_changes_what_is_shown(sample_db: Path) -> None:
    at = open_app()
    org = cards(at)["Use case → PoC conversion"]
    at.sidebar.selectbox(key="business_unit").select("Insurance").run()
    assert "business unit Insurance" in at.caption[0].value
    assert cards(at)["Use case → PoC conversion"] != org
    teams = at.sidebar.selectbox(key="team").options
    assert "Claims Management" in teams and "Branch Network" not in teams  # teams of the chosen unit only


def test_sidebar_says_how_fresh_the_data_is(sample_db: Path) -> None:
    at = open_app()
    line, marker = (c.value for c in at.sidebar.caption[-2:])  # then who acts: tests/test_app_local_mode.py
    assert "Data up to **13 Nov 2026**" in line and "last import" in line
    assert marker.startswith(":material/computer: Local mode · ")


def test_first_start_seeds_the_sample_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "new" / "aiorg.duckdb"
    monkeypatch.setenv("AIORG_DB", str(db))
    monkeypatch.delenv("AIORG_NO_SAMPLE", raising=False)
    at = open_app()
    assert db.exists()
    note = at.info[0].value
    assert "You are looking at sample data" in note and "python -m aiorg_metrics ingest" in note
    assert "removes the sample data as one undoable step" in note
    assert len(cards(at)) == 19


def test_no_sample_note_for_real_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiorg_metrics.ingestion.ingest import import_files
    from aiorg_metrics.store.connection import Store

    db = tmp_path / "real.duckdb"
    import_files(Store(db), sorted(SAMPLE_DIR.glob("*.csv")), actor=ADMIN)  # same files, imported as real data
    use_store(db, monkeypatch)
    at = open_app()
    assert "sample data" not in all_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_store_says_what_is_missing_and_how_to_load_it(empty_db: Path, page: str) -> None:
    at = open_app(page=page)
    assert not at.exception
    text = all_text(at)
    assert at.title[0].value == RECORDS[page].title
    if RECORDS[page].needs_data:
        assert "No data to show yet" in text and "`teams.csv`" in text and "python -m aiorg_metrics ingest" in text
    else:
        assert "No data to show yet" not in text  # the page works without data
    if page == "pages/glossary.py":
        assert "Active champions per business team" in text
    assert "nan" not in text.lower().split()


@pytest.fixture
def partial_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from aiorg_metrics.ingestion.ingest import import_files
    from aiorg_metrics.store.connection import Store

    db = tmp_path / "partial.duckdb"
    import_files(Store(db), [SAMPLE_DIR / "teams.csv", SAMPLE_DIR / "use_cases.csv"], actor=ADMIN)
    return use_store(db, monkeypatch)


@pytest.mark.parametrize("page", PAGES)
def test_partial_data_renders_every_page(partial_db: Path, page: str) -> None:
    at = open_app(page=page)
    assert not at.exception
    assert "Not loaded yet: `poc_conversions.csv`" in all_text(at)


def test_partial_data_shows_no_data_cards_not_nan(partial_db: Path) -> None:
    at = open_app()
    shown = cards(at)
    assert "Incomplete data" in shown["Adoption of deployed solutions"]
    assert "Incomplete data" in shown["Training spend per learner (12 months)"]
    assert "– No data" in shown["Skills coverage"]  # undated: the engine's own empty state
    assert "nan" not in " ".join(shown.values()).lower()
    conversion = shown["Use case → PoC conversion"]  # 0% without the PoC file is not a finding
    assert "– Incomplete data" in conversion and "Reads poc_conversions.csv, not loaded yet" in conversion
    assert "Incomplete data" in shown["Demand queue (median wait)"]
    assert "✓ On target" in shown["Complete briefings"] or "Off target" in shown["Complete briefings"]
    attention = "\n".join(e.value for e in at.markdown if e.value.startswith("- :"))
    assert "Complete briefings" in attention and "PoC conversion" not in attention


def test_deployment_config_hides_developer_tools_and_errors() -> None:
    import tomllib

    config = tomllib.loads((SAMPLE_DIR.parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "viewer" and config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["maxUploadSize"] == 200  # the hard cap; settings' max_file_mb can only lower it
    assert config["client"]["disableDataExport"] is True  # titles may hold formulas: no raw CSV export


def test_a_busy_store_is_a_message_not_a_traceback(sample_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import state

    def busy() -> None:
        raise StoreBusyError("held by another process")

    monkeypatch.setattr(state, "data_state", busy)
    at = open_app()
    assert not at.exception
    assert at.warning[0].value == "An import is in progress: this page opens as soon as it is finished."


def test_every_page_a_kpi_names_is_a_page_of_the_app() -> None:
    from aiorg_metrics.kpi import Page

    assert {p.value for p in Page} <= {record.url_path for record in RECORDS.values()}
