"""Exceptions under totals (aiorg_metrics.analysis.exceptions) and how the review shows them
(scorecard: the card's line, the needs-attention items, the queue's serving AI team)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from test_scorecard import Q, result

from aiorg_metrics.analysis.exceptions import gap, hidden_by_totals, hidden_under
from aiorg_metrics.display.scorecard import ORG_WIDE, build_cards, hidden_items, needs_attention, with_exceptions
from aiorg_metrics.kpi import Scope, kpi
from aiorg_metrics.kpi.status import Status, Target

ADOPTION = Target(min=0.7, strict_min=True)
QUEUE = Target(max=3)
BU, AI = Scope.BUSINESS_UNIT, Scope.AI_TEAM


def adoption_rows() -> list:
    k = "adoption_rate"
    return [
        result(k, 0.704, Status.GREEN, target=ADOPTION, n=54),
        result(k, 0.42, Status.RED, BU, "Insurance", ADOPTION, n=16),  # 40% below 70%
        result(k, 0.69, Status.AMBER, BU, "Wealth Management", ADOPTION, n=10),  # 1/70 below
        result(k, 0.83, Status.GREEN, BU, "Retail Banking", ADOPTION, n=16),
        result(k, None, Status.NO_DATA, BU, "Group", ADOPTION, n=0),
    ]


def test_a_green_total_hides_the_units_off_target_largest_gap_first() -> None:
    total, *below = adoption_rows()
    found = hidden_under(total, below)
    assert found is not None
    assert [r.scope_value for r in found.below] == ["Insurance", "Wealth Management"]
    assert found.gap == pytest.approx(0.4)
    assert gap(below[1]) == pytest.approx(0.01 / 0.7)


def test_no_exception_when_the_total_is_off_target_or_every_unit_is_on_it() -> None:
    total, *below = adoption_rows()
    red_total = result("adoption_rate", 0.6, Status.RED, target=ADOPTION)
    assert hidden_under(red_total, below) is None
    assert hidden_under(total, [r for r in below if r.status is Status.GREEN]) is None
    other_kpi = [result("practice_share", 0.5, Status.RED, BU, "Insurance", Target(min=0.7))]
    assert hidden_under(total, other_kpi) is None


def test_exceptions_are_ordered_by_their_largest_gap_and_take_the_queues_ai_teams() -> None:
    rows = adoption_rows()
    poc = [
        result("poc_to_production_rate", 0.51, Status.GREEN, target=Target(min=0.5, strict_min=True)),
        result("poc_to_production_rate", 0.33, Status.RED, BU, "Operations", Target(min=0.5, strict_min=True)),
    ]  # 34% below 50%
    queue = [
        result("demand_queue_months", 2.96, Status.GREEN, target=QUEUE, n=40),
        result("demand_queue_months", 3.45, Status.RED, AI, "AI-HUB", QUEUE, n=35),  # 15% above 3
        result("demand_queue_months", 0.9, Status.GREEN, AI, "AI-INS", QUEUE, n=5),
    ]
    totals = [rows[0], poc[0], queue[0]]
    found = hidden_by_totals(totals, rows[1:] + poc[1:] + queue[1:])
    assert [h.kpi for h in found] == ["adoption_rate", "poc_to_production_rate", "demand_queue_months"]
    assert [r.scope_value for r in found[2].below] == ["AI-HUB"]


def test_the_card_says_on_target_overall_and_where_it_is_not() -> None:
    rows = adoption_rows()
    cards = build_cards(rows, [], Q, kpis=[kpi("adoption_rate")])
    items = hidden_items(cards, hidden_by_totals([rows[0]], rows[1:]))
    [card] = with_exceptions(cards, items)
    assert card.exception == ("On target overall; off target in Insurance 42% (n = 16), "
                              "Wealth Management 69% (n = 10)")
    assert card.exception_status is Status.RED
    assert [(b.name, b.detail) for b in items[0].below] == [
        ("Insurance", "n = 16 · 40% below the minimum"), ("Wealth Management", "n = 10 · 1% below the minimum")]


def test_a_card_shown_organization_wide_under_a_filter_carries_no_exception() -> None:
    rows = adoption_rows()
    tagged = [replace(c, scope_tag=ORG_WIDE) for c in build_cards(rows, [], Q, kpis=[kpi("adoption_rate")])]
    assert hidden_items(tagged, hidden_by_totals([rows[0]], rows[1:])) == []


def test_needs_attention_names_the_serving_ai_team_of_the_queue_first() -> None:
    k = "demand_queue_months"
    rows = [
        result(k, 3.38, Status.RED, target=QUEUE, n=61),
        result(k, 3.96, Status.RED, AI, "AI-HUB", QUEUE, n=54),
        result(k, 0.6, Status.GREEN, AI, "AI-INS", QUEUE, n=3),
        result(k, 3.8, Status.RED, BU, "Retail Banking", QUEUE, n=19),
    ]
    cards = build_cards(rows[:1], [], Q, kpis=[kpi(k)])
    [item] = needs_attention(cards, rows[3:], {"AI-HUB": "AI Centre of Excellence"}, serving=rows[1:3])
    [team] = item.serving
    assert (team.name, team.value, team.detail) == ("AI Centre of Excellence", "4.0 months",
                                                     "54 of the 61 use cases waiting")
    assert [c.name for c in item.contributors] == ["Retail Banking"]


def test_a_quarter_in_progress_leaves_the_comparisons_out_of_dated_cards_only() -> None:
    k = kpi("practice_share")
    now = replace(result(k.id, 0.64, Status.AMBER, target=Target(min=0.7), previous=0.67, period="2026-Q4"),
                  as_of=date(2026, 11, 13))
    [card] = build_cards([now], [], Q.next(), kpis=[k])
    assert card.comparisons == () and card.in_progress
    hub = result("hub_size", 14, Status.INFO, period="2026-Q4")
    [undated] = build_cards([replace(hub, as_of=date(2026, 11, 13))], [], Q.next(), kpis=[kpi("hub_size")])
    assert not undated.in_progress
