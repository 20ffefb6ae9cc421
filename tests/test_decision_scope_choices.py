"""The scopes a decision on a KPI may take, from a small team directory (analysis.decisions.scope_choices)."""

from __future__ import annotations

import pandas as pd

from aiorg_metrics.analysis.decisions import scope_choices

DIRECTORY = pd.DataFrame({
    "team_id": ["T2", "T1", "H1", "S1"],
    "team_name": ["Zeta", "Alpha", "Hub", "Beta spoke"],
    "business_unit": ["Retail", "Insurance", "Group", "Retail"],
    "team_kind": ["business", "business", "ai_hub", "ai_spoke"],
})


def test_a_kpi_with_every_decision_scope_lists_units_teams_and_ai_teams_by_name() -> None:
    assert scope_choices("demand_queue_months", DIRECTORY) == [
        "org",
        "business_unit:Group", "business_unit:Insurance", "business_unit:Retail",
        "team:T1", "team:S1", "team:H1", "team:T2",
        "ai_team:S1", "ai_team:H1", "ai_team:unassigned",
    ]


def test_an_organization_only_kpi_offers_the_organization_alone() -> None:
    assert scope_choices("hub_size", DIRECTORY) == ["org"]


def test_a_kpi_without_team_scope_offers_no_team() -> None:
    assert scope_choices("spoke_staffing", DIRECTORY) == [
        "org", "business_unit:Group", "business_unit:Insurance", "business_unit:Retail",
    ]
