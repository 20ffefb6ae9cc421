"""The quarterly review page on the sample organization (AppTest): cards, values, statuses,
comparisons, the needs-attention list, and the filters' scopes."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import all_text, cards, open_app, use_sample_store

from aiorg_metrics.kpi import KPIS


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


def test_one_card_per_kpi_grouped_by_theme() -> None:
    at = open_app()
    assert list(cards(at)) == [k.label for k in KPIS]
    text = all_text(at)
    for theme in ("champions network", "pipeline & conversion", "adoption", "organization", "training & skills"):
        assert f'class="kpi-theme">{theme}<' in text


def test_cards_show_sample_values_targets_and_sources() -> None:
    shown = cards(open_app())
    use_case = shown["Use case → PoC conversion"]
    # 30.46% sits within half a percent of the "> 30%" bound: one more decimal.
    assert ">30.5<" in use_case and "53 of 174 use cases identified in 12 months" in use_case
    assert "Target <b>&gt; 30%</b> · guide:" in use_case
    assert ">1.5<" in shown["Active champions per business team"]
    assert ">3,306<" in shown["Training spend per learner (12 months)"]
    assert "Target <b>2,000–5,000 EUR</b>" in shown["Training spend per learner (12 months)"]
    assert ">70.4<" in shown["Adoption of deployed solutions"]  # 70.41% against "> 70%"
    assert "2 solutions without usage data" in shown["Adoption of deployed solutions"]
    assert "product default" in shown["Champion programme completion"]


def test_status_is_a_word_and_a_symbol_not_only_a_colour() -> None:
    shown = cards(open_app())
    assert "✕ Off target" in shown["Demand queue (median wait)"]
    assert "! Watch" in shown["Practice share of training hours"]
    assert "✓ On target" in shown["Use case → PoC conversion"]
    assert "i No target" in shown["Meetup participation"]


def test_changes_against_previous_quarter_and_a_year_ago() -> None:
    shown = cards(open_app())
    practice = shown["Practice share of training hours"]
    assert "vs 2026-Q2 69% · −1.6 pts" in practice and "▼ worse" in practice
    assert "vs 2025-Q3 64% · +2.7 pts" in practice and "▲ better" in practice
    queue = shown["Demand queue (median wait)"]  # lower is better: a longer queue is worse
    assert "vs 2026-Q2 2.96 · +0.4" in queue and "▼ worse" in queue  # 2.957: rounds onto the bound at 1 decimal
    assert "No comparison: current data" in shown["Skills coverage"]
    assert "vs 2026-Q2" not in shown["AI hub size"]


def test_trend_lines_are_drawn_for_dated_kpis() -> None:
    at = open_app()
    sparks = [e for e in at.get("plotly_chart") if e.proto.id and "spark" in e.proto.id]
    assert len(sparks) == sum(k.dated for k in KPIS)


def test_partial_year_is_said_where_the_window_starts_before_the_data() -> None:
    shown = cards(open_app({"quarter": "2025-Q2"}))
    assert "Partial year" in shown["Use case → PoC conversion"]
    assert "Partial year" not in shown["Champion satisfaction (survey)"]


def test_needs_attention_lists_red_before_amber_with_falling_short_units() -> None:
    at = open_app()
    items = [e.value for e in at.markdown if e.value.startswith("- :")]
    listed = "\n".join(items).split("\n- ")
    statuses = ["red" if ":red-badge" in line else "orange" for line in listed]
    assert statuses == sorted(statuses, key=lambda s: s != "red")
    assert "Use cases identified per active champion" in listed[1]
    assert "Business units short of target (share of the shortfall): Retail Banking ✕ 1\\.2 per champion (31%)" \
        in listed[1]


def test_business_unit_filter_scopes_cards_and_tags_the_others() -> None:
    shown = cards(open_app({"business_unit": "Insurance"}))
    assert ">36<" in shown["Use case → PoC conversion"] and "16 of 44" in shown["Use case → PoC conversion"]
    assert "organization-wide" in shown["AI hub size"]
    assert "organization-wide" not in shown["Use case → PoC conversion"]


def test_team_filter_scopes_cards_and_tags_the_unit_wide_ones() -> None:
    at = open_app({"business_unit": "Insurance", "team": "Claims Management"})
    assert "team Claims Management \\(Insurance\\)" in at.caption[0].value
    shown = cards(at)
    assert "business-unit-wide" in shown["Business teams with 1-2 active champions"]
    assert "organization-wide" in shown["AI hub size"]
    assert "kpi-tag" not in shown["Use case → PoC conversion"]  # the team's own value
    assert cards(open_app())["Use case → PoC conversion"] != shown["Use case → PoC conversion"]


def _attention_text(at) -> str:
    return "\n".join(e.value for e in at.markdown if e.value.startswith("- :"))


def test_a_green_total_hiding_a_red_unit_says_so_on_the_card_and_in_needs_attention() -> None:
    at = open_app({"quarter": "2026-Q3"})
    adoption = cards(at)["Adoption of deployed solutions"]
    assert "✓ On target" in adoption
    assert "✕ On target overall; off target in Insurance 42% (n = 16)" in adoption
    assert "**Hidden by a green total** (3)" in [e.value for e in at.markdown]
    hidden = _attention_text(at).split("**Adoption of deployed solutions**")[1].split("\n- ")[0]
    assert "Insurance ✕ 42% (n \\= 16 · 40% below the minimum)" in hidden
    summary = next(e.value for e in at.markdown if e.value.startswith("- **Turned off target"))
    assert "**Adoption of deployed solutions** is on target overall \\(70\\.4%\\) but at 42% in Insurance" in summary


def test_needs_attention_and_the_summary_name_the_serving_ai_team_for_the_queue() -> None:
    at = open_app({"quarter": "2026-Q3"})
    queue = _attention_text(at).split("**Demand queue \\(median wait\\)**")[1].split("\n- ")[0]
    serving, requesting = queue.index("Serving AI team"), queue.index("Requesting business units")
    assert serving < requesting
    assert "Serving AI team: AI Centre of Excellence ✕ 4\\.0 months (54 of the 61 use cases waiting)" in queue
    summary = next(e.value for e in at.markdown if e.value.startswith("- **Turned off target"))
    assert ("**Demand queue \\(median wait\\)** 2\\.96 → 3\\.4 months \\(\\+14%\\), owned by AI Centre of Excellence, "
            "the serving AI team \\(4\\.0 months, 54 of the 61 use cases waiting\\)") in summary


def test_a_quarter_in_progress_shows_values_to_date_without_comparisons() -> None:
    at = open_app({"quarter": "2026-Q4"})
    shown = cards(at)
    assert not any("▼ worse" in c or "▲ better" in c for c in shown.values())
    assert any("while this quarter is in progress" in c.value for c in at.caption)
    assert "months to date" in _attention_text(at).split("**Demand queue \\(median wait\\)**")[1].split("\n")[0]
    summary = next(e.value for e in at.markdown if e.value.startswith("- **Furthest from target**"))
    assert "to date" in summary and "since 2026\\-Q3" not in summary


def test_under_a_unit_filter_the_queue_is_owned_by_its_serving_ai_team_first() -> None:
    at = open_app({"quarter": "2026-Q3", "business_unit": "Insurance"})
    queue = _attention_text(at).split("**Demand queue \\(median wait\\)**")[1].split("\n- ")[0]
    # Insurance's 14 waiting use cases: 11 served by the hub (median 4.5 months), 3 by its spoke (0.6, on target).
    assert "Serving AI team: AI Centre of Excellence ✕ 4\\.5 months (11 of the 14 use cases waiting)" in queue
    assert queue.index("Serving AI team") < queue.index("Requesting teams short of target")
    assert "Insurance AI Spoke" not in queue
    summary = "\n".join(e.value for e in at.markdown if e.value.startswith("- **"))
    assert ("owned by AI Centre of Excellence, the serving AI team \\(4\\.5 months, 11 of the 14 use cases "
            "waiting\\)") in summary
    assert "Green totals hide teams off target" in summary and "hide units" not in summary


INSURANCE_TEAMS = ("Insurance AI Spoke", "Claims Management", "Underwriting", "Actuarial", "Bancassurance Sales",
                   "Policy Administration")  # sample_data/teams.csv


def test_the_scorecard_download_follows_the_business_unit_and_says_so() -> None:
    at = open_app({"quarter": "2026-Q3", "business_unit": "Insurance"})
    button = at.get("download_button")[0]
    assert button.label == "Download the 2026-Q3 scorecard: organization, Insurance and its teams (CSV)"
    assert "for the organization, Insurance and its teams" in button.proto.help

    from aiorg_metrics.common.periods import Quarter
    from dashboard.filters import Filters
    from dashboard.state import data_state
    from dashboard.views.review import scorecard_csv  # the same bytes the button serves

    quarter = Quarter.parse("2026-Q3")
    rows = scorecard_csv(data_state(), quarter, Filters(quarter, "Insurance", None, None, None))
    scopes = {line.split(";")[2] for line in rows.decode("utf-8-sig").splitlines()[1:]}
    assert scopes == {"Organization", "Business unit: Insurance", *(f"Team: {name}" for name in INSURANCE_TEAMS)}
    team = scorecard_csv(data_state(), quarter, Filters(quarter, None, "INS-CLM", "Claims Management", "Insurance"))
    assert {line.split(";")[2] for line in team.decode("utf-8-sig").splitlines()[1:]} == {
        "Organization", "Business unit: Insurance", "Team: Claims Management"}
