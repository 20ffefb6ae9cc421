"""Every review the app, review mode and the pack can show on the sample organization builds: each
quarter the data covers, for the organization, every business unit and every team. (A team whose
queue emptied while back on target once took the executive summary down.)"""

from __future__ import annotations

from aiorg_metrics.analysis import directory
from aiorg_metrics.display.review import ReviewScope, StoreSource, build_review
from aiorg_metrics.kpi import coverage
from aiorg_metrics.kpi.settings import Settings


def test_every_quarter_and_scope_of_the_sample_builds_its_review(sample_store) -> None:
    source = StoreSource(sample_store, Settings())
    with sample_store.reading() as cur:
        quarters = coverage(cur).quarters()
        teams = directory.teams(cur)
    views = [{}] + [{"business_unit": u} for u in sorted(set(teams["business_unit"]))] + [
        {"team_id": t.team_id, "team_name": t.team_name, "team_business_unit": t.business_unit}
        for t in teams.itertuples()]
    built = 0
    for quarter in quarters:
        for view in views:
            review = build_review(source, ReviewScope(quarter, **view))
            assert len(review.cards) == 19
            built += 1
    assert built == 8 * (1 + 6 + 31)  # 2025-Q1 to 2026-Q4; the organization, 6 business units, 31 teams


def test_a_queue_emptied_back_on_target_reads_in_words(sample_store) -> None:
    from aiorg_metrics.common.periods import Quarter

    review = build_review(StoreSource(sample_store, Settings()), ReviewScope(
        Quarter.parse("2026-Q1"), team_id="INS-ACT", team_name="Actuarial", team_business_unit="Insurance"))
    back = next(s for s in review.summary if s.lead.startswith("Back on target"))
    assert [(p.label, p.text) for p in back.points] == [
        ("Demand queue (median wait)", "3.3 months → no qualified use case waiting")]
