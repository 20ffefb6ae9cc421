"""The `funnel`, `advisor` and `skills` commands: output formats and exit codes."""

from __future__ import annotations

import json
from datetime import date

import pytest
from orgrows import make_store, team

from aiorg_metrics.analysis.advisor import TransitionFigures, advise_for_quarter, transition_figures
from aiorg_metrics.cli import main
from aiorg_metrics.common.jsonout import strict_json
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store, StoreBusyError

D = date


@pytest.fixture
def db(tmp_path):
    make_store(tmp_path, {
        "teams": [team("H", "ai_hub", 12, 10, bu="Group"), team("B1", headcount=300, bu="Retail"),
                  team("B2", headcount=100, ai_staff=2, bu="Retail")],
        "use_cases": [
            {"use_case_id": "U1", "title": "=cmd", "team_id": "B1", "identified_date": D(2026, 1, 5),
             "qualified_date": D(2026, 1, 10)},
            {"use_case_id": "U2", "title": "two", "team_id": "B2", "identified_date": D(2026, 2, 5)},
        ],
        "poc_conversions": [{"poc_id": "P1", "use_case_id": "U1", "start_date": D(2026, 2, 1), "outcome": "running"}],
        "skills": [{"employee_id": "E1", "team_id": "H", "role": "data_engineer", "seniority": "mid",
                    "skill": "databases", "level": 3}],
        "training_spend": [{"record_id": "r1", "date": D(2026, 3, 1), "employee_id": "E1", "team_id": "H",
                            "program": "course", "format": "practice", "hours": 7, "cost_eur": 900}],
    })
    return str(tmp_path / "s.duckdb")


def exit_code(argv):
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's usage errors
        return exc.code


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_funnel_json(db, capsys):
    data = run_json(capsys, "funnel", "--db", db, "--quarter", "2026-Q1", "--from", "2026-Q1", "--format", "json")
    assert [s["reached"] for s in data["stages"]] == [2, 1, 1, 0, 0]
    assert data["identified_from"] == "2026-01-01"
    assert [(w["stage"], w["use_case_id"], w["entered_date"]) for w in data["waiting"]] == [
        ("identified", "U2", "2026-02-05"), ("poc", "U1", "2026-02-01")]


def test_funnel_table_and_filter(db, capsys):
    assert main(["funnel", "--db", db, "--quarter", "2026-Q1", "--team", "B2"]) == 0
    out = capsys.readouterr().out
    assert "team_id=B2" in out and "identified" in out


def test_advisor_json(db, capsys):
    data = run_json(capsys, "advisor", "--db", db, "--quarter", "2026-Q1", "--format", "json")
    assert (data["quarter"], data["recommended"], data["current"]) == ("2026-Q1", "centralized", "centralized")
    states = {s["kpi"]: (s["figure"], s["state"]) for s in data["transition_indicators"]}
    assert states["shadow_ai_teams"] == (1, "lit")
    assert states["adoption_rate"] == (None, "no_data")  # no production PoC


def test_advisor_json_is_the_engines_advice_for_the_quarter(db, capsys, monkeypatch):
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)  # the default settings on both sides
    data = run_json(capsys, "advisor", "--db", db, "--quarter", "2026-Q1", "--format", "json")
    with Store(db).reading() as cur:
        figures = transition_figures(cur, Quarter.parse("2026-Q1"), Settings())
        advice = advise_for_quarter(cur, Quarter.parse("2026-Q1"), Settings())
    assert figures == TransitionFigures(demand_queue_months=None, adoption_rate=None, shadow_ai_teams=1,
                                        demand_queue_empty=True)  # U1 went on to a PoC: nobody waits
    assert data == {"quarter": "2026-Q1"} | json.loads(strict_json(advice.to_dict()))


def test_advisor_reads_settings(db, tmp_path, capsys):
    settings = tmp_path / "org.toml"
    settings.write_text('maturity = 4\nself_service_platform = true\ndeclared_model = "federated"\n')
    data = run_json(capsys, "advisor", "--db", db, "--quarter", "2026-Q1", "--settings", str(settings),
                    "--format", "json")
    assert (data["recommended"], data["current"], data["agree"]) == ("embedded", "federated", True)


def test_skills_json(db, capsys):
    data = run_json(capsys, "skills", "--db", db, "--format", "json")
    assert data["quarter"] == "2026-Q1"  # the latest training record's quarter
    assert data["coverage_vs_spend"][0]["team_id"] == "H"
    assert data["coverage_vs_spend"][0]["spend_per_learner"] == 900.0


def test_skills_table(db, capsys):
    assert main(["skills", "--db", db, "--quarter", "2026-Q1"]) == 0
    assert "Single points of failure" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [
    ["funnel", "--quarter", "2026-Q5"],
    ["funnel", "--quarter", "2024-Q1"],  # outside the data
    ["funnel", "--quarter", "2026-Q1", "--from", "2026-Q2"],
    ["advisor", "--quarter", "2026-Q1", "--settings", "missing.toml"],
    ["skills", "--quarter", "2030-Q1"],
])
def test_usage_errors_exit_3(db, argv, capsys):
    assert exit_code([*argv, "--db", db]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err and err[-1].startswith("error:")


def test_missing_store_is_a_usage_error(tmp_path, capsys):
    assert main(["skills", "--db", str(tmp_path / "none.duckdb")]) == 3
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "none.duckdb").exists()


def test_busy_store_exits_4(db, monkeypatch, capsys):
    def busy(self):
        raise StoreBusyError("locked")

    monkeypatch.setattr(Store, "reading", busy)
    assert main(["funnel", "--db", db, "--quarter", "2026-Q1"]) == 4
    assert "busy" in capsys.readouterr().err

