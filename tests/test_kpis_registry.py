"""Registry consistency: ids, descriptions, scopes and targets match SPEC §3.3; every KPI is
tested; every query runs for every scope; the glossary is up to date."""

import re
from pathlib import Path

import pytest
from kpi_fixtures import activity, make_store

from aiorg_metrics.analysis.advisor import TRANSITION_KPIS
from aiorg_metrics.display.kpi_docs import DOC_PATH, glossary_markdown
from aiorg_metrics.kpi import ADVISOR_INPUTS, BY_ID, KPIS, Page, Population, Scope, Window, compute, kpi, kpis_on
from aiorg_metrics.kpi.status import TargetSource

TESTS = Path(__file__).parent

# SPEC §3.3's scope column, copied by hand.
SPEC_SCOPES = {
    "champions_per_business_team": "OBT",
    "business_teams_in_champion_band": "OB",
    "use_cases_per_champion": "OBTC",
    "use_case_to_poc_rate": "OBTC",
    "poc_to_production_rate": "OBTC",
    "champion_satisfaction": "OBTC",
    "adoption_rate": "OBT",
    "demand_queue_months": "OBTA",
    "briefing_completeness": "OBTC",
    "champion_time_allocation": "OBTC",
    "champion_programme_completion": "OB",
    "meetup_participation": "OBT",
    "spoke_staffing": "OB",
    "hub_size": "O",
    "shadow_ai_teams": "OB",
    "training_spend_per_learner": "OBT",
    "practice_share": "OBT",
    "upskilling_on_track": "OBT",
    "skills_coverage": "OBT",
}
LETTERS = {"O": Scope.ORG, "B": Scope.BUSINESS_UNIT, "T": Scope.TEAM, "C": Scope.CHAMPION, "A": Scope.AI_TEAM}
DEFAULT_TARGETS = {"champion_programme_completion", "upskilling_on_track"}
NO_TARGET = {"meetup_participation", "skills_coverage"}
T4Q = {"use_case_to_poc_rate", "poc_to_production_rate", "champion_programme_completion",
       "training_spend_per_learner", "practice_share"}


def test_ids_are_unique_and_match_the_spec():
    ids = [k.id for k in KPIS]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(SPEC_SCOPES)


@pytest.mark.parametrize("item", KPIS, ids=lambda k: k.id)
def test_every_kpi_is_described(item):
    assert item.label and item.theme and item.unit and item.window
    assert len(item.description) > 300, "a paragraph: what it measures, how to read it, the choices made"
    assert item.description.strip() == item.description and "  " not in item.description


@pytest.mark.parametrize("item", KPIS, ids=lambda k: k.id)
def test_scopes_match_the_spec(item):
    assert item.scopes == tuple(LETTERS[letter] for letter in SPEC_SCOPES[item.id])


@pytest.mark.parametrize("item", KPIS, ids=lambda k: k.id)
def test_targets_and_sources(item):
    has_target = item.target is not None or bool(item.targets_by_model)
    assert has_target is (item.id not in NO_TARGET)
    if has_target:
        expected = TargetSource.DEFAULT if item.id in DEFAULT_TARGETS else TargetSource.GUIDE
        assert item.target_source is expected
        assert item.guide_section, "the guide section the target (or the programme) comes from"
    if item.target is not None and item.target.strict_min:
        assert "strict" in item.description
    if item.target_source is TargetSource.DEFAULT:
        assert "product default" in item.description


@pytest.mark.parametrize("item", KPIS, ids=lambda k: k.id)
def test_windows(item):
    assert (item.window is Window.T4Q) is (item.id in T4Q)
    assert (item.window_start_of is not None) is (item.id in T4Q)
    if item.window is Window.T4Q:
        assert "twelve months" in item.description and "partial" in item.description
    if not item.dated:
        assert "no previous or year-ago value" in item.description


def test_every_kpi_id_appears_in_a_kpi_test():
    text = "".join(p.read_text() for p in TESTS.glob("test_kpis_*.py") if p.name != Path(__file__).name)
    untested = [k.id for k in KPIS if not re.search(rf'"{k.id}"', text)]
    assert untested == []


def test_lookup():
    assert kpi("hub_size") is BY_ID["hub_size"]
    with pytest.raises(KeyError, match="unknown KPI 'nope'; known: champions_per_business_team"):
        kpi("nope")


@pytest.mark.parametrize("by", [None, "business_unit", "team", "champion", "ai_team"])
def test_every_query_runs_for_every_scope(tmp_path, by):
    store = make_store(tmp_path, champion_activity=[activity("2026-01-10", "C1", "T1")])
    rows = compute(store, "2026-Q1", by=by)
    assert [r.kpi for r in rows[: len(KPIS)]] == [k.id for k in KPIS]
    if by:
        assert {r.kpi for r in rows[len(KPIS):]} == {k.id for k in KPIS if by in k.scopes}


def test_glossary_is_up_to_date():
    assert DOC_PATH.read_text(encoding="utf-8") == glossary_markdown(), (
        "docs/kpis.md is stale: run python -m aiorg_metrics.display.kpi_docs"
    )


def test_glossary_has_every_kpi():
    text = glossary_markdown()
    assert all(f"(`{k.id}`)" in text for k in KPIS)


def test_every_kpi_has_its_population_noun_and_its_pages():
    assert [k.id for k in KPIS if not k.population.noun.strip()] == []
    assert [k.id for k in KPIS if Page.REVIEW not in k.pages] == []
    assert BY_ID["champions_per_business_team"].population == Population("business team{s}", "active champion{s}")


def test_the_pages_and_the_advisor_read_the_kpis_from_their_records():
    assert [k.id for k in kpis_on(Page.HUB_SPOKE)] == ["spoke_staffing", "hub_size", "shadow_ai_teams"]
    assert [k.id for k in kpis_on(Page.FUNNEL)] == ["use_case_to_poc_rate", "poc_to_production_rate"]
    assert [k.id for k in kpis_on(Page.SKILLS)] == [
        "training_spend_per_learner", "practice_share", "upskilling_on_track", "skills_coverage",
    ]
    assert ADVISOR_INPUTS == ("demand_queue_months", "adoption_rate", "shadow_ai_teams")


def test_the_advisor_reads_exactly_the_kpis_flagged_as_its_inputs():
    assert sorted(TRANSITION_KPIS) == sorted(ADVISOR_INPUTS)
