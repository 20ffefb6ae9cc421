"""Settings bounds (SPEC §2.9, issue 8 classes 4 and 5): declared once in the model, read by the form;
any valid file renders the Settings and Data pages; an unusable file shows its problems, the form and
the reset; oversized or nested TOML is a settings error (CLI exit 3); JSON output is strict."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from app_support import all_text, open_app, use_sample_store

from aiorg_metrics.cli import main
from aiorg_metrics.cli import org as cli_org
from aiorg_metrics.common.jsonout import strict_json
from aiorg_metrics.display.settings_form import FIELDS, field_bounds, shown_value
from aiorg_metrics.display.writers import write_json
from aiorg_metrics.kpi.settings import Settings, SettingsError, load_settings, parse_settings

# setting: (lowest, highest) as SPEC §2.9 writes them
BOUNDS = {
    "maturity": (1, 5),
    "hours_per_quarter": (1, 2200),
    "amber_tolerance": (0, 0.5),
    "max_file_mb": (1, 2048),
    "min_survey_answers": (1, 50),
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aiorg.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(data: dict) -> str:
    with pytest.raises(SettingsError) as caught:
        parse_settings(data)
    return str(caught.value)


# --- the model -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "edges"), BOUNDS.items())
def test_each_bound_is_accepted_and_the_next_value_out_is_refused(key, edges):
    lowest, highest = edges
    assert getattr(parse_settings({key: lowest}), key) == lowest
    assert getattr(parse_settings({key: highest}), key) == highest
    step = 1 if isinstance(lowest, int) and key != "amber_tolerance" else 0.001
    below = _error({key: lowest - step})
    above = _error({key: highest + step})
    assert f"key '{key}': Input should be greater than or equal to {lowest}" in below
    assert f"key '{key}': Input should be less than or equal to {highest}" in above


def test_min_survey_answers_defaults_to_3_and_is_a_whole_number():
    assert Settings().min_survey_answers == 3
    assert "key 'min_survey_answers': Input should be a valid integer" in _error({"min_survey_answers": 2.5})


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize(
    ("data", "key"),
    [
        (lambda v: {"hours_per_quarter": v}, "hours_per_quarter"),
        (lambda v: {"max_file_mb": v}, "max_file_mb"),
        (lambda v: {"targets": {"hub_size": {"max": v}}}, "targets.hub_size.max"),
        (lambda v: {"targets": {"adoption_rate": {"by_business_unit": {"Retail": {"min": v}}}}},
         "targets.adoption_rate.by_business_unit.Retail.min"),
        (lambda v: {"skills_gap": {"spend_per_learner_below": v}}, "skills_gap.spend_per_learner_below"),
    ],
)
def test_non_finite_numbers_are_refused_naming_the_key(data, key, value):
    assert f"key '{key}': Input should be a finite number" in _error(data(value))


def test_a_denormal_working_quarter_is_refused():
    assert "key 'hours_per_quarter': Input should be greater than or equal to 1" in _error(
        {"hours_per_quarter": 1e-320})


# --- the form reads the same bounds ------------------------------------------------------------------------


def test_the_form_fields_have_the_models_bounds_in_the_forms_units():
    assert {field: field_bounds(field) for field in FIELDS} == {
        "maturity": (1, 5), "hours_per_quarter": (1, 2200), "amber_tolerance": (0, 50), "max_file_mb": (1, 2048),
        "min_survey_answers": (1, 50), "coverage_below": (0, 100), "spend_per_learner_below": (0, 10**12),
    }


@pytest.mark.parametrize(("field", "value", "shown"), [
    ("amber_tolerance", 0.5, 50.0), ("amber_tolerance", 0.145, 14.5), ("coverage_below", 1.0, 100.0),
    ("hours_per_quarter", 2200.0, 2200.0), ("spend_per_learner_below", 1e12, 1e12),
])
def test_shown_values_stay_inside_the_fields_bounds(field, value, shown):
    assert shown_value(field, value) == shown


# --- files that cannot be read ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("maturity = " + "[" * 5000 + "]" * 5000 + "\n", "values are nested too deeply to be read"),
        ("maturity = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "values are nested too deeply to be read"),
        ("[" + ".".join(["a"] * 200_000) + "]\nx = 1\n", "line 1 nests a key more than 200 levels deep"),
        ("# padding\n" * 120_000, "the file is 1,200,000 bytes, more than the 1,048,576 allowed"),
    ],
    ids=["nested arrays", "nested tables", "dotted key", "oversized"],
)
@pytest.mark.timeout(30)  # a hang or a blow-up, not a speed goal
def test_hostile_toml_is_a_settings_error(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: {message}")


@pytest.mark.parametrize("command", [["kpis", "--quarter", "2026-Q3"], ["advisor", "--quarter", "2026-Q3"],
                                     ["skills"]])
def test_the_cli_refuses_nested_settings_with_exit_3(capsys, tmp_path, sample_store, command):
    path = write(tmp_path, "maturity = " + "[" * 5000 + "]" * 5000 + "\n")
    code = main([command[0], "--db", str(sample_store.path), *command[1:], "--settings", str(path)])
    out, err = capsys.readouterr()
    assert code == 3 and out == ""
    assert f"{path}: values are nested too deeply to be read" in err and "Traceback" not in err


# --- the pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    return use_sample_store(tmp_path, monkeypatch)


def _number(at, label: str) -> float:
    return next(n.value for n in at.number_input if n.label == label)


LOWEST = "maturity = 1\nhours_per_quarter = 1\namber_tolerance = 0.0\nmax_file_mb = 1\nmin_survey_answers = 1\n"
HIGHEST = "maturity = 5\nhours_per_quarter = 2200\namber_tolerance = 0.5\nmax_file_mb = 2048\nmin_survey_answers = 50\n"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (LOWEST, (1.0, 0.0, 1.0)),
        (HIGHEST, (2200.0, 50.0, 200.0)),  # the file-size field stops at the server's cap (200 in the tests)
    ],
    ids=["lowest", "highest"],
)
def test_settings_at_their_bounds_render_the_settings_and_data_pages(sample_db, text, shown):
    write(sample_db.parent, text)
    settings_page = open_app(page="pages/settings.py")
    assert not settings_page.exception and not settings_page.warning
    labels = ("Working hours per quarter", "Amber tolerance (%)", "File-size limit per upload (MB)")
    assert tuple(_number(settings_page, label) for label in labels) == shown
    data_page = open_app(page="pages/data.py")
    assert not data_page.exception and not data_page.warning


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hours_per_quarter = 0.5\namber_tolerance = 0.995\nmax_file_mb = inf",
         "key 'hours_per_quarter': Input should be greater than or equal to 1"),
        ("maturity = " + "[" * 5000 + "]" * 5000, "values are nested too deeply to be read"),
    ],
    ids=["out of bounds", "nested"],
)
def test_an_unusable_file_shows_its_problem_the_form_and_the_reset(sample_db, text, problem):
    path = write(sample_db.parent, text + "\n")
    at = open_app(page="pages/settings.py")
    assert not at.exception
    assert problem in all_text(at)
    assert "The form below shows the defaults" in all_text(at)
    assert _number(at, "Working hours per quarter") == 455.0
    at.button(key="reset").click().run()
    assert not at.exception
    assert "Settings reset to the defaults." in all_text(at)
    assert load_settings(path).model_copy(update={"saved": None}) == Settings()


@pytest.mark.parametrize("page", ["pages/review.py", "pages/data.py"])
def test_other_pages_render_with_the_defaults_and_a_note(sample_db, page):
    write(sample_db.parent, "max_file_mb = inf\n")
    at = open_app(page=page)
    assert not at.exception
    text = all_text(at)
    assert "The settings file could not be used, so the guide's targets and the default settings apply" in text
    assert "key 'max_file_mb': Input should be a finite number" in text


# --- strict JSON -------------------------------------------------------------------------------------------


def _strict_loads(text: str):
    def refuse(token: str):
        raise AssertionError(f"{token} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_non_finite_numbers_are_written_as_null():
    assert strict_json({"a": math.inf, "b": [math.nan, -math.inf, 1.5], "c": (2,)}) == (
        '{\n  "a": null,\n  "b": [\n    null,\n    null,\n    1.5\n  ],\n  "c": [\n    2\n  ]\n}'
    )


def test_the_kpis_and_org_writers_are_strict(capsys):
    class Result:
        def as_dict(self):
            return {"kpi": "x", "value": math.inf, "previous": math.nan}

    write_json([Result()], __import__("sys").stdout)
    assert _strict_loads(capsys.readouterr().out) == [{"kpi": "x", "value": None, "previous": None}]
    assert _strict_loads(cli_org._dumps({"share": math.nan})) == {"share": None}


@pytest.mark.parametrize("command", [["kpis", "--quarter", "2026-Q3", "--by", "team"],
                                     ["funnel", "--quarter", "2026-Q3"], ["advisor", "--quarter", "2026-Q3"],
                                     ["skills"]])
def test_every_json_command_writes_strict_json(capsys, sample_store, monkeypatch, command):
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    code = main([command[0], "--db", str(sample_store.path), *command[1:], "--format", "json"])
    assert code == 0
    assert _strict_loads(capsys.readouterr().out)
