"""Links, empty states and settings messages that must not contradict what is loaded (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import PAGES, RECORDS, SAMPLE_DIR, all_text, cards, open_app, use_sample_store, use_store

from aiorg_metrics.ingestion.ingest import import_files
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN

# --- a champion link naming the bare id ------------------------------------------------------


def test_a_champion_link_with_the_bare_id_opens_the_champions_view(tmp_path: Path, monkeypatch) -> None:
    use_sample_store(tmp_path, monkeypatch)
    at = open_app({"quarter": "2026-Q3", "champion": "CH-001"}, page="pages/funnel.py")
    assert not at.exception
    text = all_text(at)
    assert "Champion view: Hugo Laurent (CH-001)" in text and "not seen in the data" not in text
    assert at.selectbox(key="champion").value == "Hugo Laurent (CH-001)"
    assert at.query_params["champion"] == "Hugo Laurent (CH-001)"  # the copied link names the champion


def test_a_bare_id_outside_the_selection_says_where_the_champion_is(tmp_path: Path, monkeypatch) -> None:
    use_sample_store(tmp_path, monkeypatch)
    at = open_app({"business_unit": "Insurance", "champion": "CH-001"}, page="pages/funnel.py")
    text = all_text(at)
    assert "**Hugo Laurent (CH-001)** represents Corporate Lending (Corporate & Investment Banking)" in text
    assert "not seen in the data" not in text and "Champion view" not in text


def test_an_unknown_champion_id_is_still_refused(tmp_path: Path, monkeypatch) -> None:
    use_sample_store(tmp_path, monkeypatch)
    text = all_text(open_app({"champion": "CH-999"}, page="pages/funnel.py"))
    assert "The link names the champion “CH-999”, who is not seen in the data" in text


# --- a store holding teams.csv only --------------------------------------------------------


@pytest.fixture
def teams_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "teams.duckdb"
    import_files(Store(db), [SAMPLE_DIR / "teams.csv"], actor=ADMIN)
    return use_store(db, monkeypatch)


@pytest.mark.parametrize("page", [p for p in PAGES if RECORDS[p].needs_data])
def test_teams_only_says_what_is_loaded_and_what_to_import_next(teams_only: Path, page: str) -> None:
    at = open_app(page=page)
    assert not at.exception
    text = all_text(at)
    assert "`teams.csv` is loaded: 31 teams, but no dated rows yet" in text
    assert "Import `use_cases.csv` next, then `poc_conversions.csv`, `adoption.csv`" in text
    assert "The quarters come from the dates of those rows" in text
    assert "No data to show yet" not in text and "Start with `teams.csv`" not in text


# --- an invalid settings file ---------------------------------------------------------------


def test_an_invalid_settings_file_is_not_called_unsaved(tmp_path: Path, monkeypatch) -> None:
    db = use_sample_store(tmp_path, monkeypatch)
    (db.parent / "aiorg.toml").write_text('min_survey_answers = "lots"\n', encoding="utf-8")
    at = open_app(page="pages/settings.py")
    assert not at.exception
    text = all_text(at)
    assert "The settings file could not be used" in text
    assert "The settings file has errors (see above): the guide's targets and the product defaults are in " \
           "force until it is fixed or saved here" in text
    assert "No settings saved yet" not in text


# --- a target whose guide quote depends on the model ----------------------------------------


def test_the_spoke_staffing_card_quotes_only_the_hub_and_spoke_band(tmp_path: Path, monkeypatch) -> None:
    use_sample_store(tmp_path, monkeypatch)  # the sample's model is hub & spoke
    for page in ("pages/review.py", "pages/hub_spoke.py"):
        card = cards(open_app({"quarter": "2026-Q3"}, page=page))["AI spokes staffed to size"]
        assert "Target <b>≥ 100%</b> · guide: &quot;DS+MLE (2-5)&quot;" in card and "5-15" not in card
