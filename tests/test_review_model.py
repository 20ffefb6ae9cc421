"""The review's content without Streamlit (`display.review.build_review` over `StoreSource`): what the
command line's review pack reads, equal to what the review page shows (the page reads it through the
app's cache). Expected values read off the sample organization at 2026-Q3 and checked by hand against
the review page's Needs attention list."""

from __future__ import annotations

from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display.review import ReviewScope, StoreSource, build_review, export_results
from aiorg_metrics.kpi import Scope
from aiorg_metrics.kpi.settings import Settings

Q3 = Quarter.parse("2026-Q3")


def test_the_organization_review_lists_the_shortfalls_worst_first(sample_store) -> None:
    review = build_review(StoreSource(sample_store, Settings()), ReviewScope(Q3))
    assert review.level == "business units"
    assert [a.card.kpi.id for a in review.attention[:4]] == [
        "shadow_ai_teams", "use_cases_per_champion", "spoke_staffing", "upskilling_on_track"]
    assert [(h.card.kpi.id, [b.name for b in h.below]) for h in review.hidden] == [
        ("adoption_rate", ["Insurance"]),
        ("use_case_to_poc_rate", ["Operations", "Retail Banking"]),
        ("poc_to_production_rate", ["Operations", "Corporate & Investment Banking"]),
    ]
    assert review.summary[0].lead == "Turned off target since 2026-Q2"
    assert review.part_to is None and review.as_of is None


def test_a_business_unit_review_names_the_serving_ai_team(sample_store) -> None:
    review = build_review(StoreSource(sample_store, Settings()), ReviewScope(Q3, business_unit="Insurance"))
    assert review.level == "teams"
    queue = next(a for a in review.attention if a.card.kpi.id == "demand_queue_months")
    assert queue.card.value == "3.7 months"
    assert [s.name for s in queue.serving] == ["AI Centre of Excellence"]


def test_the_export_follows_the_selection(sample_store) -> None:
    source = StoreSource(sample_store, Settings())
    rows, names = export_results(source, ReviewScope(Q3))
    assert names is None
    assert {r.scope_type for r in rows} == {Scope.ORG, Scope.BUSINESS_UNIT}
    rows, names = export_results(source, ReviewScope(Q3, business_unit="Insurance"))
    assert {r.scope_value for r in rows if r.scope_type is Scope.BUSINESS_UNIT} == {"Insurance"}
    assert names is not None and {names[r.scope_value] for r in rows if r.scope_type is Scope.TEAM}
