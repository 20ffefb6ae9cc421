"""The queue's owner under a unit or team filter (issue 10, "The right owner"): the AI teams serving a
business unit's waiting use cases, counted from the rows behind the queue, named first in "Needs
attention" and in the summary; the summary words what lies one level down by level; the scorecard's CSV
follows the selection and says what it holds."""

from __future__ import annotations

import pandas as pd
from test_scorecard import Q, result

from aiorg_metrics.analysis.drilldown import ServingPart, serving_parts
from aiorg_metrics.analysis.exceptions import hidden_by_totals
from aiorg_metrics.display.scorecard import (
    Selection,
    build_cards,
    export_rows,
    export_scope,
    hidden_items,
    needs_attention,
    serving_from_parts,
)
from aiorg_metrics.display.summary import executive_summary
from aiorg_metrics.kpi import KPIS, Scope, kpi
from aiorg_metrics.kpi.relations import UNASSIGNED
from aiorg_metrics.kpi.status import Status, Target

QUEUE_ID = "demand_queue_months"
QUEUE = Target(max=3)
ABOVE70 = Target(min=0.7, strict_min=True)
TOLERANCE = 0.10
BU, TEAM = Scope.BUSINESS_UNIT, Scope.TEAM


def waiting_rows() -> pd.DataFrame:
    """Five use cases waiting in one unit: three served by the hub, one by a spoke, one naming no AI team."""
    return pd.DataFrame({
        "use_case_id": ["UC-1", "UC-2", "UC-3", "UC-4", "UC-5"],
        "ai_team": ["AI Centre of Excellence", "AI Centre of Excellence", "Insurance AI Spoke",
                    "AI Centre of Excellence", None],
        "months_waiting": [6.0, 4.0, 0.5, 2.0, 5.0],
    })


def test_serving_parts_count_each_ai_teams_waiting_use_cases_and_their_median() -> None:
    parts = serving_parts(waiting_rows())
    assert parts == [
        ServingPart("AI Centre of Excellence", 3, 4.0),  # median of 6, 4, 2
        ServingPart("Insurance AI Spoke", 1, 0.5),
        ServingPart(UNASSIGNED, 1, 5.0),
    ]
    assert serving_parts(waiting_rows().iloc[0:0]) == []


def unit_queue():
    # The unit's queue: median of 6, 4, 0.5, 2, 5 = 4.0 months, 5 waiting.
    return result(QUEUE_ID, 4.0, Status.RED, BU, "Insurance", QUEUE, n=5)


def test_serving_teams_off_target_are_graded_on_their_part_with_their_count() -> None:
    owners = serving_from_parts(kpi(QUEUE_ID), unit_queue(), serving_parts(waiting_rows()), TOLERANCE,
                                {UNASSIGNED: "No AI team given"})
    assert [(o.name, o.status, o.value, o.detail) for o in owners] == [
        ("AI Centre of Excellence", Status.RED, "4.0 months", "3 of the 5 use cases waiting"),
        ("No AI team given", Status.RED, "5.0 months", "1 of the 5 use cases waiting"),
    ]  # the spoke, at 0.5 months, owns none of the shortfall
    assert owners[0].share == 3 / 5


def _unit_view(rows: list, below: list) -> tuple[list, list]:
    cards = build_cards(rows, [], Q, Selection(business_unit="Insurance"), kpis=KPIS)
    owners = {QUEUE_ID: serving_from_parts(kpi(QUEUE_ID), rows[0], serving_parts(waiting_rows()), TOLERANCE,
                                           {UNASSIGNED: "No AI team given"})}
    attention = needs_attention(cards, below, {}, (), owners)
    hidden = hidden_items(cards, hidden_by_totals([c.result for c in cards], below), {})
    return attention, executive_summary(cards, attention, hidden, TOLERANCE, "2026-Q2", level="teams")


def test_needs_attention_and_the_summary_name_the_serving_ai_team_before_the_requesting_teams() -> None:
    rows = [unit_queue(), result("adoption_rate", 0.75, Status.GREEN, BU, "Insurance", ABOVE70, n=12)]
    below = [result(QUEUE_ID, 5.0, Status.RED, TEAM, "Claims", QUEUE, n=3),
             result("adoption_rate", 0.40, Status.RED, TEAM, "Underwriting", ABOVE70, n=4)]
    attention, sentences = _unit_view(rows, below)
    queue = next(a for a in attention if a.card.kpi.id == QUEUE_ID)
    assert [s.name for s in queue.serving] == ["AI Centre of Excellence", "No AI team given"]
    assert [c.name for c in queue.contributors] == ["Claims"]
    text = [s.plain() for s in sentences]
    assert any("owned by the serving AI teams AI Centre of Excellence (4.0 months, 3 of the 5 use cases waiting) "
               "and No AI team given (5.0 months, 1 of the 5 use cases waiting)" in t for t in text)
    hidden = next(t for t in text if t.startswith("Green totals hide"))
    assert hidden.startswith("Green totals hide teams off target: Adoption of deployed solutions is on target "
                             "overall (75%) but at 40% in Underwriting")


def test_one_serving_team_reads_as_the_serving_ai_team() -> None:
    rows = [unit_queue()]
    owners = serving_from_parts(kpi(QUEUE_ID), rows[0], [ServingPart("AI Centre of Excellence", 4, 4.5),
                                                         ServingPart("Insurance AI Spoke", 1, 0.5)], TOLERANCE)
    cards = build_cards(rows, [], Q, Selection(business_unit="Insurance"), kpis=KPIS)
    attention = needs_attention(cards, [], {}, (), {QUEUE_ID: owners})
    text = " ".join(s.plain() for s in executive_summary(cards, attention, [], TOLERANCE, "2026-Q2"))
    assert ("Demand queue (median wait) 4.0 months (target ≤ 3.0 months), owned by AI Centre of Excellence, the "
            "serving AI team (4.5 months, 4 of the 5 use cases waiting)") in text


# --- the scorecard's CSV follows the selection ------------------------------------------------------------


def _export_results() -> list:
    org = result("adoption_rate", 0.7, Status.GREEN, target=ABOVE70)
    return [
        org,
        result("adoption_rate", 0.42, Status.RED, BU, "Insurance", ABOVE70),
        result("adoption_rate", 0.80, Status.GREEN, BU, "Operations", ABOVE70),
        org,  # the team breakdown repeats the organization's row
        result("adoption_rate", 0.30, Status.RED, TEAM, "INS-CLM", ABOVE70),
        result("adoption_rate", 0.50, Status.RED, TEAM, "INS-UW", ABOVE70),
        result("adoption_rate", 0.90, Status.GREEN, TEAM, "OPS-1", ABOVE70),
    ]


def test_the_csv_holds_the_organization_and_the_selected_unit_with_its_teams() -> None:
    scopes = [r.scope for r in export_rows(_export_results(), "Insurance", {"INS-CLM", "INS-UW"})]
    assert scopes == ["org", "business_unit:Insurance", "team:INS-CLM", "team:INS-UW"]
    one_team = [r.scope for r in export_rows(_export_results(), "Insurance", {"INS-UW"})]
    assert one_team == ["org", "business_unit:Insurance", "team:INS-UW"]
    everyone = [r.scope for r in export_rows(_export_results())]
    assert everyone == ["org", "business_unit:Insurance", "business_unit:Operations"]


def test_the_csv_says_what_it_holds() -> None:
    assert export_scope() == "organization and business units"
    assert export_scope("Insurance") == "organization, Insurance and its teams"
    assert export_scope("Insurance", "Claims Management") == "organization, Insurance and its team Claims Management"
