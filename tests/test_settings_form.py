"""The settings page's tables round-trip to Settings, in the units a reader sees."""

from __future__ import annotations

import pytest
from app_support import all_text, dataframes, open_app, use_sample_store

from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display.settings_form import business_unit_rows, settings_from_form, target_rows
from aiorg_metrics.kpi.settings import Settings, SettingsError

ORG = {"maturity": 3, "declared_model": None, "self_service_platform": False, "hours_per_quarter": 455.0,
       "amber_tolerance": 0.1, "max_file_mb": 50.0}
GAP = {"coverage_below": 0.6, "spend_per_learner_below": 2000.0}


def _rows(**overrides):
    rows = target_rows(Settings(), OrgModel.HUB_SPOKE)
    for row in rows:
        row.update(overrides.get(row["kpi"], {}))
    return rows


def test_percent_targets_are_edited_in_percent_and_stored_as_fractions():
    settings = settings_from_form(ORG, _rows(use_case_to_poc_rate={"min": 35, "strict min (>)": True}), [], GAP)
    target = settings.targets["use_case_to_poc_rate"]
    assert (target.min, target.strict_min) == (0.35, True)
    shown = next(r for r in target_rows(settings, OrgModel.HUB_SPOKE) if r["kpi"] == "use_case_to_poc_rate")
    assert (shown["min"], shown["guide or default target"]) == (35.0, "> 30%")
    assert settings.maturity == 3 and settings.max_file_mb == 50.0


def test_business_unit_overrides_round_trip():
    unit_rows = [{"kpi": "adoption_rate", "business unit": "Insurance", "min": 60, "max": None,
                  "strict min (>)": False}]
    settings = settings_from_form(ORG, _rows(), unit_rows, GAP)
    assert settings.targets["adoption_rate"].by_business_unit["Insurance"].min == 0.6
    assert business_unit_rows(settings) == [{"kpi": "Adoption of deployed solutions", "business unit": "Insurance",
                                             "min": 60.0, "max": None, "strict min (>)": False}]


def test_the_unit_overrides_name_kpis_by_label_and_read_back_to_ids():
    unit_rows = [{"kpi": "Active champions per business team", "business unit": "Wealth Management", "min": 2,
                  "max": 3, "strict min (>)": False}]
    settings = settings_from_form(ORG, _rows(), unit_rows, GAP)
    override = settings.targets["champions_per_business_team"].by_business_unit["Wealth Management"]
    assert (override.min, override.max) == (2.0, 3.0)
    assert business_unit_rows(settings)[0]["kpi"] == "Active champions per business team"


def _in_force(model: OrgModel) -> dict[str, str]:
    return {r["kpi"]: r["guide or default target"] for r in target_rows(Settings(), model)}


def test_the_target_column_is_the_one_in_force_under_the_current_model():
    # The contradiction: settings said "no target" where the hub & spoke scorecard shows "≥ 100%".
    hub_spoke = _in_force(OrgModel.HUB_SPOKE)
    assert hub_spoke["spoke_staffing"] == "≥ 100% under hub & spoke"
    assert hub_spoke["shadow_ai_teams"] == "≤ 0 teams under hub & spoke"
    assert hub_spoke["hub_size"] == "no target under hub & spoke"
    assert hub_spoke["use_case_to_poc_rate"] == "> 30%"  # one target whatever the model: no model named
    centralized = _in_force(OrgModel.CENTRALIZED)
    assert centralized["spoke_staffing"] == "no target under centralized"
    assert centralized["hub_size"] == "≤ 15 people under centralized"
    assert _in_force(OrgModel.EMBEDDED)["shadow_ai_teams"] == "no target under embedded"


def test_problems_name_their_key():
    with pytest.raises(SettingsError) as error:
        settings_from_form({**ORG, "amber_tolerance": 2.0}, _rows(hub_size={"min": 20, "max": 10}), [], GAP)
    text = str(error.value)
    assert "key 'amber_tolerance'" in text
    assert "key 'targets.hub_size'" in text and "min (20.0) is above max (10.0)" in text


def test_the_settings_page_shows_the_targets_in_force_for_the_sample_s_model(tmp_path, monkeypatch):
    use_sample_store(tmp_path, monkeypatch)
    (tmp_path / "aiorg.toml").write_text(
        "[targets.champions_per_business_team.by_business_unit.Insurance]\nmin = 1.5\n", encoding="utf-8")
    at = open_app(page="pages/settings.py")
    targets, by_unit = dataframes(at)
    shown = dict(zip(targets["kpi"], targets["guide or default target"], strict=True))
    assert shown["spoke_staffing"] == "≥ 100% under hub & spoke"  # the sample's teams make it hub & spoke
    assert shown["shadow_ai_teams"] == "≤ 0 teams under hub & spoke"
    assert list(by_unit["kpi"]) == ["Active champions per business team"]  # its label, not its id
    assert "Hub & spoke" in all_text(at)
