"""The review page's drill-down on the sample organization (AppTest), 2026-Q3: a KPI per business
unit (per team under a unit) with status words, then the rows behind its value; the adoption
card's second reading."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from app_support import cards, open_app, use_sample_store

ADOPTION = "Adoption of deployed solutions"
QUEUE = "Demand queue (median wait)"


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


def tables(at) -> list[pd.DataFrame]:
    return [e.value for e in at.dataframe]


def headline(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**") and "—" in m.value)


def test_adoption_per_unit_then_its_solutions_and_the_card_says_both_readings() -> None:
    at = open_app({"quarter": "2026-Q3", "kpi": ADOPTION})
    assert not at.exception
    per_unit, solutions = tables(at)
    insurance = per_unit[per_unit["Business unit"] == "Insurance"].iloc[0]
    assert (insurance["Value"], insurance["Status"]) == ("42%", "✕ Off target")
    assert per_unit.iloc[0].to_dict() == {"Business unit": "Whole organization", "Value": "70.4%",
                                          "Status": "✓ On target", "Population": "n = 54 solutions with usage data",
                                          "Target": "> 70%", "Note": "2 solutions without usage data"}
    assert len(solutions) == 54  # the KPI's n
    assert (solutions["≥ 70% of target"] == "✓ adopted").sum() == 35
    assert solutions.iloc[0]["PoC"] == "POC-0122" and solutions.iloc[0]["Usage"] == pytest.approx(24.5)
    assert headline(at).startswith("**35 of 54 solutions at ≥ 70% of their target users; the target (> 70%) "
                                   "applies to their average usage, 70.4%")
    assert "35 of 54 solutions at ≥ 70% of their target users; the target applies to their average usage" \
        in cards(at)[ADOPTION]


def test_queue_rows_name_the_requesting_and_the_serving_team() -> None:
    at = open_app({"quarter": "2026-Q3", "kpi": QUEUE})
    per_unit, per_ai_team, waiting = tables(at)
    assert len(waiting) == 61 and (waiting["Serving AI team"] == "AI Centre of Excellence").sum() == 54
    hub = per_ai_team[per_ai_team["Serving AI team"] == "AI Centre of Excellence"].iloc[0]
    assert (hub["Value"], hub["Population"]) == ("4.0 months", "n = 54 use cases waiting")
    assert per_unit.iloc[0]["Population"] == "n = 61 use cases waiting"
    assert headline(at).startswith("**61 use cases waiting at the end of 2026-Q3, longest first: median 3.4 months")


def test_a_unit_filter_shows_its_teams_and_only_its_rows_without_none() -> None:
    at = open_app({"quarter": "2026-Q3", "kpi": ADOPTION, "business_unit": "Insurance"})
    per_team, solutions = tables(at)
    assert per_team.columns[0] == "Team" and per_team.iloc[0]["Team"] == "Insurance (whole unit)"
    assert "Business unit" not in solutions.columns and len(solutions) == 16  # the headline names the unit
    insurance_teams = {"Actuarial", "Bancassurance Sales", "Claims Management", "Policy Administration", "Underwriting"}
    assert set(solutions["Team"]) <= insurance_teams
    assert headline(at).startswith("**0 of 16 solutions at ≥ 70%")
    for frame in (per_team, solutions):
        assert not frame.isna().any().any() and "None" not in frame.astype(str).to_numpy()
    at.selectbox(key="drill-scope").select("team:INS-CLM").run()
    per_team, solutions = tables(at)
    assert list(per_team["Team"]) == ["Claims Management"]
    assert set(solutions["Team"]) == {"Claims Management"}


def _kpi_select(at):
    return next(s for s in at.selectbox if s.label == "KPI")


def test_a_link_may_name_the_kpi_by_its_cli_id() -> None:
    at = open_app({"quarter": "2026-Q3", "kpi": "adoption_rate"})
    assert not at.exception
    assert _kpi_select(at).value == ADOPTION
    assert not [w for w in at.warning if "The link asks for KPI" in w.value]
    assert len(tables(at)[1]) == 54  # the solutions behind adoption, not another KPI's rows


def test_a_link_naming_no_kpi_says_so_and_what_opened_instead() -> None:
    at = open_app({"quarter": "2026-Q3", "kpi": "bogus"})
    assert not at.exception
    opened = _kpi_select(at).value
    assert opened == "Business teams with 1-2 active champions"  # the first with rows behind it off target here
    notice = [w.value for w in at.warning if "The link asks for KPI" in w.value]
    assert notice == ["The link asks for KPI “bogus”, which is not a KPI: showing Business teams with 1\\-2 active "
                      "champions instead. A link names a KPI as the select below shows it, or by its id for the "
                      "command line (`adoption_rate`)."]


def test_every_review_card_links_to_its_drill_down_with_the_same_filters() -> None:
    at = open_app({"quarter": "2026-Q3", "business_unit": "Insurance"})
    assert not at.exception
    card_html = [m.value for m in at.markdown if 'class="kpi-head"' in m.value]
    assert len(card_html) == 19
    adoption = next(c for c in card_html if ADOPTION in c)
    assert ('href="?quarter=2026-Q3&amp;business_unit=Insurance&amp;kpi=adoption_rate#drill-down"'
            in adoption), adoption
    assert all(">Drill down ↓</a>" in c for c in card_html)
