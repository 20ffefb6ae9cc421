"""Review mode on the sample organization at 2026-Q3 (AppTest): the summary first, the KPIs needing
attention worst first (the review page's "Needs attention" order), next and previous, the slide in
the URL (clamped when out of range), the rest of the scorecard last, and the decisions on a slide."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import all_text, cards, open_app, use_sample_store

from aiorg_metrics.analysis import decisions
from aiorg_metrics.store.connection import Store
from tests.actors import trusted

PRESENT = "pages/present.py"
Q3 = {"quarter": "2026-Q3"}


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


def slide_text(at) -> str:
    """The page's text with the slide's own HTML (its kicker, title, figure) and its contributors."""
    return "\n".join([all_text(at), *(e.proto.body for e in at.get("html"))]).replace("&amp;", "&")


def test_summary_first_then_the_worst_kpi_then_back() -> None:
    at = open_app(Q3, page=PRESENT)
    assert not at.exception
    text = slide_text(at)
    # 10 KPIs off target or to watch and 3 green totals hiding units, between the summary and the rest
    assert "Slide 1 of 15" in text
    assert "Turned off target since 2026-Q2" in text  # the executive summary's first sentence
    assert "2. Business teams with their own AI staff — off target" in text  # the agenda
    assert at.button(key="present-previous").disabled

    at.button(key="present-next").click().run()
    text = slide_text(at)
    assert at.query_params["slide"] == "2"
    assert "Slide 2 of 15" in text and "Turned off target since 2026-Q2" not in text
    # the first item of the review page's "Needs attention" at 2026-Q3
    assert '<p class="slide-title">Business teams with their own AI staff</p>' in text
    assert "Needs attention · 1 of 10" in text
    assert ">2<" in text and "Target <b>≤ 0 teams</b>" in text and "2 teams above the maximum of 0" in text
    assert "✕ **Corporate & Investment Banking** 2 teams — 100% of the shortfall" in text
    # the form to record a decision on the KPI, at the slide's scope, without leaving review mode
    assert at.selectbox(key="present-record-shadow_ai_teams-scope").value == "org"

    at.button(key="present-previous").click().run()
    assert at.query_params["slide"] == "1"
    assert "Slide 1 of 15" in all_text(at)


def test_a_slide_beyond_the_range_opens_the_rest_of_the_scorecard() -> None:
    at = open_app({**Q3, "slide": "99"}, page=PRESENT)
    assert not at.exception
    assert at.query_params["slide"] == "15"
    text = slide_text(at)
    assert "Slide 15 of 15" in text and "The rest of the scorecard" in text
    assert at.button(key="present-next").disabled
    assert list(cards(at)) == ["Active champions per business team", "Champion time allocation",
                               "Meetup participation", "AI hub size", "Training spend per learner (12 months)",
                               "Skills coverage"]


def test_a_hidden_by_total_slide_shows_the_units_and_earlier_decisions(sample_db: Path) -> None:
    decisions.add(Store(sample_db), quarter="2026-Q2", kpi="adoption_rate", scope="business_unit:Insurance",
                  owner="Head of Insurance", due="2026-Q3", text="Train the claims handlers on the triage tool",
                  actor=trusted("caio"))
    at = open_app({**Q3, "slide": "12"}, page=PRESENT)
    assert not at.exception
    text = slide_text(at)
    assert "Hidden by a green total · 1 of 3" in text
    assert '<p class="slide-title">Adoption of deployed solutions</p>' in text
    assert "✕ **Insurance** 42% — n = 16 · 40% below the minimum" in text
    # open and due in 2026-Q3, the quarter shown: not overdue yet; Insurance's adoption then and now
    assert "Train the claims handlers on the triage tool" in text
    assert "Owner Head of Insurance · due 2026-Q3 · taken in 2026-Q2" in text
    assert "Adoption of deployed solutions in Insurance: 56% → 42% since the decision of 2026-Q2" in text


def test_a_decision_on_the_use_cases_naming_no_ai_team_reads_in_words(sample_db: Path) -> None:
    # no qualified use case without an AI team waits at the end of 2026-Q3: the queue there has no value
    decisions.add(Store(sample_db), quarter="2026-Q3", kpi="demand_queue_months", scope="ai_team:unassigned",
                  owner="AI Council", due="2026-Q4", text="Name an AI team on every qualified use case",
                  actor=trusted("caio"))
    at = open_app({**Q3, "slide": "8"}, page=PRESENT)
    assert not at.exception
    text = slide_text(at)
    assert '<p class="slide-title">Demand queue (median wait)</p>' in text
    assert ("Demand queue (median wait) for the use cases that name no AI team: not measured when decided "
            "(2026-Q3)") in text
    assert "in No AI team given" not in text and "no value" not in text
