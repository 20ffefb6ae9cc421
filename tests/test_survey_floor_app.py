"""The survey privacy floor in the app (SPEC §2.9): a champion view never shows one person's answer, and the
Settings page edits `min_survey_answers`. Sample: Hugo Laurent (CH-001) answered the 2026-Q3 survey alone (4/5)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import all_text, cards, open_app, use_sample_store

from aiorg_metrics.kpi.settings import settings_for_db

HUGO = {"quarter": "2026-Q3", "champion": "Hugo Laurent (CH-001)"}


@pytest.fixture
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    return use_sample_store(tmp_path, monkeypatch)


def _value(card: str) -> str:
    return card.split('class="kpi-value">', 1)[1].split("<span", 1)[0]


def _satisfaction_card(at) -> str:
    found = [html for label, html in cards(at).items() if label.startswith("Champion satisfaction")]
    assert found, "no champion satisfaction card"
    return found[-1]


def test_a_champion_view_withholds_the_one_answer(sample_db: Path) -> None:
    at = open_app(HUGO, page="pages/funnel.py")
    assert not at.exception
    assert "Champion view: Hugo Laurent (CH-001)" in all_text(at)
    card = _satisfaction_card(at)
    assert "fewer than 3 answers" in card and "n = 1 champion surveyed" in card
    assert _value(card) == "–"
    assert "vs 2026-Q2: no value" in card  # nor one from an earlier quarter


def test_the_settings_page_edits_the_floor(sample_db: Path) -> None:
    at = open_app(page="pages/settings.py")
    field = next(n for n in at.number_input if n.label == "Fewest survey answers shown")
    assert (field.value, field.min, field.max) == (3, 1, 50)
    field.set_value(1)
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception
    assert settings_for_db(sample_db).min_survey_answers == 1
    assert _value(_satisfaction_card(open_app(HUGO, page="pages/funnel.py"))) == "4.0"  # a floor of 1 shows it
