"""The review's executive summary (aiorg_metrics.display.summary) over hand-built results."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from test_scorecard import Q, result

from aiorg_metrics.analysis.exceptions import hidden_by_totals
from aiorg_metrics.display.scorecard import build_cards, hidden_items, needs_attention
from aiorg_metrics.display.summary import executive_summary, largest_moves, relative_move, turned
from aiorg_metrics.kpi import KPIS, Scope
from aiorg_metrics.kpi.status import Status, Target

TOLERANCE = 0.10
BU, AI = Scope.BUSINESS_UNIT, Scope.AI_TEAM
MIN80 = Target(min=0.8)
ABOVE30 = Target(min=0.3, strict_min=True)
ABOVE70 = Target(min=0.7, strict_min=True)
QUEUE = Target(max=3)
NAMES = {"AI-HUB": "AI Centre of Excellence"}


def org_rows() -> list:
    return [
        result("demand_queue_months", 3.38, Status.RED, target=QUEUE, n=61, previous=2.96),  # green before
        result("upskilling_on_track", 0.67, Status.RED, target=MIN80, num=6, den=9, previous=0.82),  # green before
        result("champion_programme_completion", 0.75, Status.AMBER, target=MIN80, num=3, den=4,
               previous=0.80),  # on the bound before: green
        result("briefing_completeness", 0.84, Status.RED, target=Target(min=1.0), num=31, den=37,
               previous=0.75),  # red before too
        result("practice_share", 0.67, Status.AMBER, target=Target(min=0.7), previous=0.69),  # amber before
        result("use_case_to_poc_rate", 0.35, Status.GREEN, target=ABOVE30, num=35, den=100,
               previous=0.28),  # amber before (0.28 ≥ 0.27)
        result("meetup_participation", 0.61, Status.INFO, previous=0.92),  # no target: −34%
        result("adoption_rate", 0.704, Status.GREEN, target=ABOVE70, n=54, previous=0.745),
    ]


def below_rows() -> list:
    return [
        result("upskilling_on_track", 0.0, Status.RED, BU, "Operations", MIN80, num=0, den=2),
        result("upskilling_on_track", 0.0, Status.RED, BU, "Wealth Management", MIN80, num=0, den=1),
        result("champion_programme_completion", 0.0, Status.RED, BU, "Operations", MIN80, num=0, den=1),
        result("adoption_rate", 0.42, Status.RED, BU, "Insurance", ABOVE70, n=16),
    ]


def serving_rows() -> list:
    return [result("demand_queue_months", 3.96, Status.RED, AI, "AI-HUB", QUEUE, n=54)]


def summary(rows: list, in_progress: bool = False) -> list[str]:
    cards = build_cards(rows, [], Q, kpis=KPIS)
    hidden = hidden_items(cards, hidden_by_totals([c.result for c in cards], below_rows()), NAMES)
    attention = needs_attention(cards, below_rows(), NAMES, serving_rows())
    sentences = executive_summary(cards, attention, hidden, TOLERANCE, "2026-Q2", in_progress)
    return [s.plain() for s in sentences]


def test_turned_grades_the_previous_value_against_the_same_target() -> None:
    off, back = turned(build_cards(org_rows(), [], Q, kpis=KPIS), TOLERANCE)
    assert [c.kpi.id for c in off] == ["champion_programme_completion", "demand_queue_months",
                                       "upskilling_on_track"]
    assert [c.kpi.id for c in back] == ["use_case_to_poc_rate"]


def test_largest_moves_rank_by_size_relative_to_the_previous_value() -> None:
    cards = build_cards(org_rows(), [], Q, kpis=KPIS)
    moves = largest_moves(cards, leave_out={"use_case_to_poc_rate"})
    assert [c.kpi.id for c in moves] == ["meetup_participation", "upskilling_on_track", "demand_queue_months"]
    assert relative_move(moves[0]) == pytest.approx((0.61 - 0.92) / 0.92)


def test_the_summary_says_what_turned_who_owns_it_and_what_totals_hide() -> None:
    assert summary(org_rows()) == [
        "Turned off target since 2026-Q2: Demand queue (median wait) 2.96 → 3.4 months (+14%), owned by "
        "AI Centre of Excellence, the serving AI team (4.0 months, 54 of the 61 use cases waiting); "
        "Reconversion paths on track 82% → 67% (−15.0 pts, −18%), mostly Operations (0%) and "
        "Wealth Management (0%).",
        "Slipped to watch since 2026-Q2: Champion programme completion 80% → 75% (−5.0 pts, −6%), "
        "in Operations (0%).",
        "Back on target since 2026-Q2: Use case → PoC conversion 28% → 35% (+7.0 pts, +25%).",
        "Furthest from target: Complete briefings 84% (target ≥ 100%).",
        "Green totals hide units off target: Adoption of deployed solutions is on target overall (70.4%) "
        "but at 42% in Insurance.",
        "Largest moves since 2026-Q2: Meetup participation 92% → 61% (−31.0 pts, −34%), no target; "
        "Complete briefings 75% → 84% (+9.0 pts, +12%), better; "
        "Adoption of deployed solutions 74% → 70.4% (−4.1 pts, −6%), worse.",
    ]


def test_a_quarter_in_progress_leaves_the_changes_out_and_reads_to_date() -> None:
    rows = [replace(r, as_of=date(2026, 11, 13)) for r in org_rows()]
    sentences = summary(rows, in_progress=True)
    assert sentences[0] == (  # by distance beyond the bound: 16.25%, 16%, 12.7%
        "Furthest from target: Reconversion paths on track 67% to date (target ≥ 80%), mostly Operations (0%) "
        "and Wealth Management (0%); Complete briefings 84% to date (target ≥ 100%); Demand queue (median wait) "
        "3.4 months to date (target ≤ 3.0 months), owned by AI Centre of Excellence, the serving AI team "
        "(4.0 months, 54 of the 61 use cases waiting).")
    assert [s.split(":")[0] for s in sentences] == ["Furthest from target", "Green totals hide units off target"]
