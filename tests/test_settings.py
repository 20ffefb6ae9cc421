"""Settings (SPEC §2.9): location, defaults, validation messages naming the key, overrides,
atomic save with who and when."""

import os
from pathlib import Path

import pytest

from aiorg_metrics.kpi import settings as settings_module
from aiorg_metrics.kpi.settings import (
    Settings,
    SettingsError,
    load_settings,
    locate_settings,
    parse_settings,
    reset_settings,
    save_settings,
    settings_for_db,
)
from tests.actors import trusted

FULL = """
maturity = 3
declared_model = "federated"
self_service_platform = true
hours_per_quarter = 400
amber_tolerance = 0.05
max_file_mb = 50

[targets.use_case_to_poc_rate]
min = 0.35
strict_min = true

[targets.use_case_to_poc_rate.by_business_unit."Retail Banking"]
min = 0.25

[targets.demand_queue_months.by_business_unit.Insurance]
max = 2

[skills_gap]
coverage_below = 0.5
spend_per_learner_below = 1500
"""


def write(tmp_path: Path, text: str, name: str = "aiorg.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults():
    s = Settings()
    assert (s.maturity, s.declared_model, s.self_service_platform) == (None, None, False)
    assert (s.hours_per_quarter, s.amber_tolerance, s.max_file_mb) == (455, 0.10, 200)
    assert s.min_survey_answers == 3
    assert s.targets == {}
    assert (s.skills_gap.coverage_below, s.skills_gap.spend_per_learner_below) == (0.60, 2000)


def test_no_file_next_to_the_database_means_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    assert settings_for_db(tmp_path / "s.duckdb") == Settings()


def test_valid_file(tmp_path):
    s = load_settings(write(tmp_path, FULL))
    assert (s.maturity, s.declared_model, s.self_service_platform) == (3, "federated", True)
    assert (s.hours_per_quarter, s.amber_tolerance, s.max_file_mb) == (400, 0.05, 50)
    assert s.skills_gap.coverage_below == 0.5


def test_overrides_business_unit_first_then_kpi(tmp_path):
    s = load_settings(write(tmp_path, FULL))
    bu = s.target_override("use_case_to_poc_rate", "Retail Banking")
    assert (bu.min, bu.max, bu.strict_min) == (0.25, None, False)
    kpi = s.target_override("use_case_to_poc_rate", "Insurance")
    assert (kpi.min, kpi.max, kpi.strict_min) == (0.35, None, True)
    assert s.target_override("use_case_to_poc_rate") == kpi
    # only a business-unit override: the other units and the organization keep the default
    assert s.target_override("demand_queue_months", "Insurance").max == 2
    assert s.target_override("demand_queue_months", "Retail Banking") is None
    assert s.target_override("demand_queue_months") is None
    assert s.target_override("hub_size") is None


def test_location_explicit_then_env_then_next_to_db(tmp_path, monkeypatch):
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    db = tmp_path / "data" / "s.duckdb"
    assert locate_settings(db).path == tmp_path / "data" / "aiorg.toml"
    assert not locate_settings(db).explicit
    monkeypatch.setenv("AIORG_SETTINGS", str(tmp_path / "env.toml"))
    assert locate_settings(db).path == tmp_path / "env.toml"
    assert locate_settings(db, tmp_path / "flag.toml").path == tmp_path / "flag.toml"
    assert locate_settings(db, tmp_path / "flag.toml").explicit


def test_settings_next_to_db_are_read(tmp_path, monkeypatch):
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    write(tmp_path, "maturity = 2\n")
    assert settings_for_db(tmp_path / "s.duckdb").maturity == 2


def test_explicit_file_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("AIORG_SETTINGS", str(tmp_path / "nope.toml"))
    with pytest.raises(SettingsError, match=r"nope\.toml: settings file not found"):
        settings_for_db(tmp_path / "s.duckdb")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("matruity = 3", "key 'matruity': not a known setting"),
        ("maturity = 7", "key 'maturity': Input should be less than or equal to 5"),
        ('maturity = "3"', "key 'maturity': Input should be a valid integer"),
        ('declared_model = "flat"', "key 'declared_model': Input should be 'centralized', 'hub_spoke'"),
        ("self_service_platform = 1", "key 'self_service_platform': Input should be a valid boolean"),
        ("hours_per_quarter = 0", "key 'hours_per_quarter': Input should be greater than or equal to 1"),
        ("amber_tolerance = 1.5", "key 'amber_tolerance': Input should be less than or equal to 0.5"),
        ("[targets.nope]\nmin = 1", "key 'targets.nope': unknown KPI; known: champions_per_business_team"),
        ("[targets.adoption_rate]\nmin = 70", "key 'targets.adoption_rate.min': 70.0 is not a share"),
        ("[targets.hub_size]\nmin = 3\nmax = 2", "key 'targets.hub_size': min (3.0) is above max (2.0)"),
        ("[targets.hub_size]\nmx = 3", "key 'targets.hub_size.mx': not a known setting"),
        ("[targets.hub_size]\nstrict_min = true", "key 'targets.hub_size': strict_min needs a min"),
        (
            "[targets.adoption_rate.by_business_unit.Retail]\n",
            "key 'targets.adoption_rate.by_business_unit.Retail': give a min, a max or both",
        ),
        (
            "[targets.adoption_rate.by_business_unit.Retail]\nmax = 2.5",
            "key 'targets.adoption_rate.by_business_unit.Retail.max': 2.5 is not a share",
        ),
        ("[skills_gap]\ncoverage_below = 2", "key 'skills_gap.coverage_below'"),
    ],
)
def test_invalid_file_names_key_and_problem(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: invalid settings")
    assert message in str(caught.value)


def test_every_problem_is_listed(tmp_path):
    with pytest.raises(SettingsError) as caught:
        load_settings(write(tmp_path, 'maturity = 9\ndeclared_model = "x"\ncolour = "red"\n'))
    text = str(caught.value)
    assert "key 'maturity'" in text and "key 'declared_model'" in text and "key 'colour'" in text


def test_not_toml(tmp_path):
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(write(tmp_path, "maturity = = 3"))


def test_save_round_trip_records_who_and_when(tmp_path):
    original = parse_settings({"maturity": 4, "declared_model": "hub_spoke",
                               "targets": {"hub_size": {"max": 18, "by_business_unit": {"R&D Unit": {"max": 10}}}}})
    path = tmp_path / "conf" / "aiorg.toml"
    saved = save_settings(path, original, actor=trusted("alice"))
    loaded = load_settings(path)
    assert loaded == saved
    assert loaded.saved.by == "alice" and loaded.saved.at.tzinfo is not None
    assert loaded.model_copy(update={"saved": None}) == original
    assert [p.name for p in path.parent.iterdir()] == ["aiorg.toml"]  # no temporary file left


def test_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    path = write(tmp_path, "maturity = 2\n")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(settings_module.os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_settings(path, Settings(maturity=5), actor=trusted("bob"))
    assert path.read_text() == "maturity = 2\n"
    assert os.listdir(tmp_path) == ["aiorg.toml"]


def test_reset_restores_defaults(tmp_path):
    path = write(tmp_path, FULL)
    reset = reset_settings(path, actor=trusted("carol"))
    loaded = load_settings(path)
    assert loaded == reset
    assert loaded.model_copy(update={"saved": None}) == Settings()
    assert loaded.saved.by == "carol"
