"""The sample organization's story shows in the KPIs (figures from sample_data/README.md).

The expected figures were computed independently of the engine, with plain Python over
the CSV files, when the sample organization was generated.
"""

from __future__ import annotations

import pytest

from aiorg_metrics.kpi import compute


def _one(store, quarter: str, kpi: str, scope: str = "org", by: str | None = None):
    return next(r for r in compute(store, quarter, by=by, kpi_ids=[kpi]) if r.scope == scope)


def test_shadow_ai_in_corporate_and_investment_banking(sample_store):
    org = _one(sample_store, "2026-Q3", "shadow_ai_teams")
    cib = _one(sample_store, "2026-Q3", "shadow_ai_teams", "business_unit:Corporate & Investment Banking",
               "business_unit")
    assert (org.value, org.status.value) == (2, "red")
    assert cib.value == 2


def test_the_hub_queue_passes_three_months_while_the_retail_spoke_stays_short(sample_store):
    hub_q2 = _one(sample_store, "2026-Q2", "demand_queue_months", "ai_team:AI-HUB", "ai_team")
    hub_q3 = _one(sample_store, "2026-Q3", "demand_queue_months", "ai_team:AI-HUB", "ai_team")
    retail = _one(sample_store, "2026-Q3", "demand_queue_months", "ai_team:AI-RB", "ai_team")
    assert hub_q2.value == pytest.approx(3.45, abs=0.01)
    assert hub_q2.status.value == "red"
    assert (round(hub_q3.value, 2), hub_q3.n) == (3.96, 54)
    assert retail.value < 1
    assert retail.status.value == "green"


def test_adoption_falls_in_insurance(sample_store):
    scope = "business_unit:Insurance"
    before = _one(sample_store, "2025-Q3", "adoption_rate", scope, "business_unit")
    after = _one(sample_store, "2026-Q3", "adoption_rate", scope, "business_unit")
    assert (round(before.value, 2), before.n) == (0.80, 5)
    assert (round(after.value, 2), after.n, after.status.value) == (0.42, 16, "red")


def test_the_operations_spoke_is_under_staffed(sample_store):
    result = _one(sample_store, "2026-Q3", "spoke_staffing")
    assert (result.numerator, result.denominator, result.value, result.status.value) == (4, 5, 0.8, "red")


def test_champion_satisfaction_dips_in_2026(sample_store):
    assert round(_one(sample_store, "2025-Q1", "champion_satisfaction").value, 2) == 4.44
    dip = _one(sample_store, "2026-Q2", "champion_satisfaction")
    assert (round(dip.value, 2), dip.n, dip.status.value) == (3.46, 39, "red")


def test_markets_analytics_has_a_large_gap_and_little_training_spend(sample_store):
    coverage = _one(sample_store, "2026-Q3", "skills_coverage", "team:CIB-MKT", "team")
    spend = _one(sample_store, "2026-Q3", "training_spend_per_learner", "team:CIB-MKT", "team")
    assert (coverage.numerator, coverage.denominator) == (8, 18)
    assert (round(spend.value), spend.n, spend.status.value) == (1251, 9, "red")
