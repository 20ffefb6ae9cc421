"""Skills gaps, single points of failure, coverage vs training spend, reconversion paths.

Expected values are worked out by hand. Required levels: junior 1, mid 2, senior 3,
staff 4, principal 4. Framework used here:
data_engineer: data_pipelines, data_tools, databases, data_quality, cloud_data;
data_scientist: statistics, machine_learning, python, data_visualization, communication, llm_techniques;
ai_governance: ai_regulation, ai_ethics, ai_risk_management, audit_compliance, communication.

| emp | current team, role, seniority         | assessed levels (missing = 0)                                  |
|-----|---------------------------------------|----------------------------------------------------------------|
| E1  | TA data_engineer senior (req 3)       | pipelines 3, tools 4, databases 2, cloud 3                     |
| E2  | TB data_scientist mid (req 2)         | statistics 2, python 3 (same date; larger skill id decides);   |
|     |                                       | undated machine_learning 4 row says TA data_engineer staff     |
| E3  | TB data_scientist junior (req 1)      | statistics 3, python 0, communication 1                        |
| E4  | TC ai_governance principal (req 4)    | regulation 4, ethics 3, communication 4, quantum_stuff 4       |
| E5  | TA data_engineer mid (req 2)          | pipelines 4, databases 1                                       |
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from orgrows import make_store, team

from aiorg_metrics.analysis.skills import (
    SkillsFilters,
    as_matrix,
    coverage_vs_spend,
    employee_profiles,
    gap_matrix,
    latest_training_quarter,
    path_pairs,
    single_points_of_failure,
    skill_pairs,
)
from aiorg_metrics.common.periods import Quarter

D = date
Q1 = Quarter(2026, 1)


def skill(emp, team_id, role, seniority, name, level, assessed=None):
    return {"employee_id": emp, "team_id": team_id, "role": role, "seniority": seniority,
            "skill": name, "level": level, "assessed_date": assessed}


def de(emp, team_id, seniority, name, level, assessed=None):
    return skill(emp, team_id, "data_engineer", seniority, name, level, assessed)


def ds(emp, seniority, name, level, assessed=None):
    return skill(emp, "TB", "data_scientist", seniority, name, level, assessed)


def gov(name, level):
    return skill("E4", "TC", "ai_governance", "principal", name, level, D(2026, 1, 1))


TEAMS = [team("TA", "ai_hub", 8, 8, bu="Group"), team("TB", "ai_spoke", 4, 4, bu="Retail"),
         team("TC", bu="Retail")]
SKILLS = [
    de("E1", "TA", "senior", "data_pipelines", 3, D(2026, 1, 10)),
    de("E1", "TA", "senior", "data_tools", 4, D(2026, 1, 10)),
    de("E1", "TA", "senior", "databases", 2, D(2026, 1, 10)),
    de("E1", "TA", "senior", "cloud_data", 3, D(2026, 1, 10)),
    ds("E2", "mid", "statistics", 2, D(2026, 2, 1)),
    ds("E2", "senior", "python", 3, D(2026, 2, 1)),
    de("E2", "TA", "staff", "machine_learning", 4),
    ds("E3", "junior", "statistics", 3, D(2025, 6, 1)),
    ds("E3", "junior", "python", 0, D(2025, 6, 1)),
    ds("E3", "junior", "communication", 1, D(2025, 6, 1)),
    gov("ai_regulation", 4), gov("ai_ethics", 3), gov("communication", 4), gov("quantum_stuff", 4),
    de("E5", "TA", "mid", "data_pipelines", 4, D(2026, 1, 5)),
    de("E5", "TA", "mid", "databases", 1, D(2026, 1, 5)),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("skills"), {"teams": TEAMS, "skills": SKILLS})


def read(store, function, *args, **kwargs):
    with store.reading() as cur:
        return function(cur, *args, **kwargs)


def cells(frame, group, column="gap_mean"):
    rows = frame[frame["group"] == group]
    return dict(zip(rows["skill"], rows[column], strict=True))


def test_current_profile_is_the_latest_assessed_row(store):
    profiles = read(store, employee_profiles)
    rows = list(profiles[["employee_id", "team_id", "role", "seniority"]].itertuples(index=False, name=None))
    assert rows == [
        ("E1", "TA", "data_engineer", "senior"),
        ("E2", "TB", "data_scientist", "mid"),  # tie on 2026-02-01: 'statistics' > 'python'
        ("E3", "TB", "data_scientist", "junior"),
        ("E4", "TC", "ai_governance", "principal"),
        ("E5", "TA", "data_engineer", "mid"),
    ]


def test_missing_assessment_counts_as_zero(store):
    pairs = read(store, skill_pairs, SkillsFilters(team_id="TA"))
    e1 = pairs[pairs.employee_id == "E1"].set_index("skill")
    assert e1.loc["data_quality", ["required_level", "assessed_level", "gap"]].tolist() == [3, 0, 3]
    assert bool(e1.loc["data_quality", "missing_assessment"]) is True
    assert e1["gap"].to_dict() == {"cloud_data": 0, "data_pipelines": 0, "data_quality": 3, "data_tools": -1,
                                   "databases": 1}


def test_role_by_skill_gaps(store):
    matrix = read(store, gap_matrix, "role")
    assert cells(matrix, "data_engineer") == pytest.approx(
        {"data_pipelines": -1.0, "data_tools": 0.5, "databases": 1.0, "data_quality": 2.5, "cloud_data": 1.0})
    assert cells(matrix, "data_scientist") == pytest.approx(
        {"statistics": -1.0, "machine_learning": -0.5, "python": 0.0, "data_visualization": 1.5,
         "communication": 1.0, "llm_techniques": 1.5})
    assert cells(matrix, "data_scientist", "shortfall_mean") == pytest.approx(
        {"statistics": 0.0, "machine_learning": 0.5, "python": 0.5, "data_visualization": 1.5,
         "communication": 1.0, "llm_techniques": 1.5})
    assert cells(matrix, "data_scientist", "below_required") == {
        "statistics": 0, "machine_learning": 1, "python": 1, "data_visualization": 2, "communication": 1,
        "llm_techniques": 2}
    assert cells(matrix, "ai_governance") == pytest.approx(
        {"ai_regulation": 0.0, "ai_ethics": 1.0, "ai_risk_management": 4.0, "audit_compliance": 4.0,
         "communication": 0.0})


def test_team_by_skill_gaps_use_current_team(store):
    matrix = read(store, gap_matrix, "team")
    assert sorted(set(matrix["group"])) == ["TA", "TB", "TC"]
    assert cells(matrix, "TB")["machine_learning"] == pytest.approx(-0.5)  # E2 counted in TB, not TA
    assert "machine_learning" not in cells(matrix, "TA")


def test_as_matrix_pivots(store):
    matrix = as_matrix(read(store, gap_matrix, "role"))
    assert matrix.loc["data_engineer", "data_quality"] == pytest.approx(2.5)
    assert matrix.loc["data_engineer", "python"] != matrix.loc["data_engineer", "python"]  # NaN: not required


@pytest.mark.parametrize(("filters", "employees"), [
    (SkillsFilters(role="data_scientist"), ["E2", "E3"]),
    (SkillsFilters(seniority="junior"), ["E3"]),
    (SkillsFilters(team_id="TA"), ["E1", "E5"]),
    (SkillsFilters(business_unit="Retail"), ["E2", "E3", "E4"]),
    (SkillsFilters(business_unit="Retail", role="ai_governance"), ["E4"]),
])
def test_filters(store, filters, employees):
    assert sorted(set(read(store, skill_pairs, filters)["employee_id"])) == employees


def test_single_points_of_failure(store):
    spof = read(store, single_points_of_failure).set_index("skill")
    assert "data_pipelines" not in spof.index  # exactly 2 experts (E1 3, E5 4)
    assert spof.loc["data_tools", "experts"] == 1
    assert list(spof.loc["data_tools", "expert_ids"]) == ["E1"]
    assert spof.loc["data_tools", "employees_requiring"] == 2
    assert spof.loc["databases", "experts"] == 0  # E1 at 2 is not an expert
    assert spof.loc["machine_learning", "experts"] == 1  # E2's row counts whatever their role
    assert list(spof.loc["communication", "roles"]) == ["ai_governance", "data_scientist"]
    assert spof.loc["communication", "employees_requiring"] == 3
    assert "quantum_stuff" not in spof.index  # not a framework skill
    assert len(spof) == 36  # 37 framework skills, one with 2 experts


def training(record, day, emp, team_id, cost, **extra):
    return {"record_id": record, "date": day, "employee_id": emp, "team_id": team_id, "program": "course",
            "format": "practice", "hours": 7, "cost_eur": cost, **extra}


def de_team(emp, team_id, met):
    """A mid data engineer (required level 2) meeting the requirement on `met` of the 5 skills."""
    names = ["data_pipelines", "data_tools", "databases", "data_quality", "cloud_data"]
    return [de(emp, team_id, "mid", name, 2 if i < met else 1) for i, name in enumerate(names)]


@pytest.fixture(scope="module")
def spend_store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("spend"), {
        "teams": [team(t, "ai_spoke", 3, 3) for t in ("X1", "X2", "X3", "X4")],
        "skills": de_team("A1", "X1", 2) + de_team("A2", "X2", 2) + de_team("A3", "X3", 3) + de_team("A4", "X4", 2),
        "training_spend": [
            training("r1", D(2025, 9, 1), "L1", "X1", 1999.99),
            training("r2", D(2025, 4, 1), "L2", "X2", 1500),  # first day of the T4Q window
            training("r3", D(2026, 3, 31), "L2", "X2", 500),  # last day of the window
            training("r4", D(2025, 3, 31), "L2", "X2", 10000),  # the day before: out
            training("r5", D(2026, 4, 1), "L2", "X2", 10000),  # the day after: out
            training("r6", D(2025, 9, 1), "L3", "X3", 2000),
            training("r7", D(2025, 9, 1), "L4", "X3", 0),  # a 0-EUR learner still counts
            training("r8", D(2025, 9, 1), "L9", "ZZ", 300),  # a team with nobody assessed: not listed
        ],
    })


def spend_rows(frame):
    columns = ["team_id", "coverage", "training_cost", "learners", "spend_per_learner", "large_gap_low_spend"]
    return {row[0]: row[1:] for row in frame[columns].itertuples(index=False, name=None)}


def test_coverage_vs_spend_edges(spend_store):
    rows = spend_rows(read(spend_store, coverage_vs_spend, Q1))
    assert rows["X1"] == pytest.approx((0.4, 1999.99, 1, 1999.99, True))
    assert rows["X2"] == pytest.approx((0.4, 2000.0, 1, 2000.0, False))  # spend exactly 2,000: not low
    assert rows["X3"] == pytest.approx((0.6, 2000.0, 2, 1000.0, False))  # coverage exactly 60%: not a large gap
    assert rows["X4"][:4] == pytest.approx((0.4, 0.0, 0, math.nan), nan_ok=True)
    assert rows["X4"][4]  # no training at all counts as spending 0
    assert set(rows) == {"X1", "X2", "X3", "X4"}  # ZZ has training but nobody assessed


def test_coverage_vs_spend_thresholds_are_parameters(spend_store):
    rows = spend_rows(read(spend_store, coverage_vs_spend, Q1, coverage_below=0.61, spend_below=2000.01))
    assert [rows[t][-1] for t in ("X1", "X2", "X3", "X4")] == [True, True, True, True]
    rows = spend_rows(read(spend_store, coverage_vs_spend, Q1, coverage_below=0.4))
    assert [rows[t][-1] for t in ("X1", "X2", "X3", "X4")] == [False, False, False, False]


def path_row(record, emp, path, start, completed=None, day=None, team_id="TA"):
    return training(record, day or start, emp, team_id, 100, path=path, path_start_date=start,
                    path_completed_date=completed)


@pytest.fixture(scope="module")
def path_store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("paths"), {
        "teams": TEAMS,
        "training_spend": [
            path_row("p1", "P1", "fullstack_to_ai_engineer", D(2025, 9, 30)),  # 182 days <= 182.64
            path_row("p2", "P2", "fullstack_to_ai_engineer", D(2025, 9, 29)),  # 183 days
            path_row("p3", "P3", "backend_to_mle", D(2025, 1, 1), D(2026, 1, 1)),  # 365 days <= 365.28
            path_row("p4", "P4", "backend_to_mle", D(2025, 1, 1), D(2026, 1, 2)),  # 366 days
            path_row("p5", "P5", "pm_to_ai_pm", D(2025, 6, 1), D(2025, 12, 31)),  # done before Q, 213 days
            path_row("p6", "P6", "devops_to_mlops", D(2026, 4, 1)),  # starts after Q
            path_row("p7a", "P7", "analyst_to_ds", D(2025, 10, 1), day=D(2025, 10, 1), team_id="TA"),
            path_row("p7b", "P7", "analyst_to_ds", D(2025, 11, 1), D(2026, 6, 30), day=D(2026, 2, 1), team_id="TB"),
            training("p8", D(2026, 1, 1), "P8", "TA", 50),  # no path: not a pair
        ],
    })


def test_path_pairs(path_store):
    frame = read(path_store, path_pairs, Q1).set_index("employee_id")
    assert sorted(frame.index) == ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]
    assert frame["on_track"].to_dict() == {
        "P1": True, "P2": False, "P3": True, "P4": False, "P5": False, "P6": None, "P7": True}
    assert frame["status"].to_dict() == {
        "P1": "in_progress", "P2": "in_progress", "P3": "completed", "P4": "completed", "P5": "completed",
        "P6": "not_started", "P7": "in_progress"}
    assert frame["in_progress_in_quarter"].to_dict() == {
        "P1": True, "P2": True, "P3": True, "P4": True, "P5": False, "P6": False, "P7": True}
    assert frame.loc["P1", "elapsed_months"] == pytest.approx(182 / 30.44)
    assert frame.loc["P3", "elapsed_months"] == pytest.approx(365 / 30.44)


def test_path_pair_merges_rows(path_store):
    p7 = read(path_store, path_pairs, Q1).set_index("employee_id").loc["P7"]
    assert (p7["start_date"].date(), p7["completed_date"].date(), p7["team_id"]) == (
        D(2025, 10, 1), D(2026, 6, 30), "TB")
    assert p7["elapsed_months"] == pytest.approx(181 / 30.44)  # not completed by the end of Q
    assert (p7["target_role"], p7["guide_min_months"], p7["guide_max_months"]) == ("data_scientist", 6, 12)


def test_devops_path_leads_to_ml_engineer(path_store):
    p6 = read(path_store, path_pairs, Q1).set_index("employee_id").loc["P6"]
    assert (p6["target_role"], p6["guide_max_months"]) == ("ml_engineer", 6)
    assert p6["elapsed_months"] != p6["elapsed_months"]  # NaN: not started


def test_latest_training_quarter(path_store, tmp_path):
    assert read(path_store, latest_training_quarter) == Quarter(2026, 2)
    assert read(make_store(tmp_path, {}), latest_training_quarter, D(2025, 8, 1)) == Quarter(2025, 3)
