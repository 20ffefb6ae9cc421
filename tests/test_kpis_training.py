"""Training and skills KPIs on tiny hand-built stores; expected values by hand.

Quarter 2026-Q1 runs from 2026-01-01 to 2026-03-31; its T4Q window from 2025-04-01.
"""

import pytest
from kpi_fixtures import D, activity, make_store, result, results

from aiorg_metrics.kpi.status import Status

Q = "2026-Q1"


def training(day: str, employee: str, team: str = "T1", cost: float = 0, hours: float = 1,
             fmt: str = "practice", **extra) -> dict:
    row = {"date": D(day), "employee_id": employee, "team_id": team, "program": "course", "format": fmt,
           "hours": hours, "cost_eur": cost}
    return row | {k: D(v) if k.startswith("path_") and isinstance(v, str) else v for k, v in extra.items()}


# --- training_spend_per_learner ---------------------------------------------------------------


@pytest.fixture(scope="module")
def spend(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("spend"), training_spend=[
        training("2025-03-31", "E4", cost=9999),  # the day before the window
        training("2025-04-01", "E1", cost=3000),  # window's first day
        training("2026-03-31", "E1", cost=1000),  # quarter's last day
        training("2025-10-10", "E2", "T2", cost=0),  # free training: still a learner
        training("2026-02-01", "E3", "GHOST", cost=2000),  # team not in teams.csv
        training("2026-04-01", "E5", cost=9999),  # after the quarter
    ])


def test_training_spend_per_learner(spend):
    r = result(spend, "training_spend_per_learner", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (2000.0, 3, 6000.0, 3)  # E1, E2, E3
    assert (r.status, r.partial_window) == (Status.GREEN, False)  # band's lower edge


def test_training_spend_per_learner_by_team_with_unknown_team(spend):
    rows = results(spend, Q, by="team", kpi="training_spend_per_learner")
    assert rows[("training_spend_per_learner", "team:T1")].value == 4000.0
    t2 = rows[("training_spend_per_learner", "team:T2")]
    assert (t2.value, t2.status) == (0.0, Status.RED)
    unknown = rows[("training_spend_per_learner", "team:unknown team")]
    assert (unknown.value, unknown.status) == (2000.0, Status.GREEN)
    assert rows[("training_spend_per_learner", "team:T3")].status is Status.NO_DATA
    retail = result(spend, "training_spend_per_learner", Q, "business_unit:Retail")
    assert (retail.value, retail.numerator, retail.denominator) == (2000.0, 4000.0, 2)


def test_training_spend_partial_window(spend):
    r = result(spend, "training_spend_per_learner", "2025-Q4")  # window from 2025-01-01, data from 2025-03-31
    assert (r.partial_window, r.status) == (True, Status.INFO)
    assert r.value == pytest.approx(12999 / 3)  # E4, E1, E2


# --- practice_share ----------------------------------------------------------------------------


def test_practice_share_exactly_on_target(tmp_path):
    store = make_store(tmp_path, training_spend=[
        training("2025-01-10", "E0", hours=0),
        training("2025-04-01", "E1", hours=7),
        training("2026-01-10", "E2", hours=3, fmt="theory"),
        training("2026-02-10", "E3", hours=0),
        training("2026-04-01", "E4", hours=50, fmt="theory"),  # after the quarter
    ])
    r = result(store, "practice_share", Q)
    assert (r.value, r.n, r.numerator, r.denominator, r.status) == (0.7, 3, 7.0, 10.0, Status.GREEN)


def test_practice_share_with_theory_hours_only_is_zero_and_red(tmp_path):
    store = make_store(tmp_path, training_spend=[
        training("2025-01-10", "E0", hours=0),  # before the window: the year of data is complete
        training("2025-06-10", "E1", hours=12.5, fmt="theory"),
        training("2026-01-10", "E2", hours=17.3, fmt="theory"),
    ])
    r = result(store, "practice_share", Q)
    assert (r.value, r.n, r.numerator, r.denominator, r.status) == (0.0, 2, 0.0, 29.8, Status.RED)


def test_practice_share_without_hours_is_no_data(tmp_path):
    store = make_store(tmp_path, training_spend=[training("2026-01-10", "E1", hours=0)])
    r = result(store, "practice_share", Q)
    assert (r.value, r.n, r.status) == (None, 1, Status.NO_DATA)


# --- upskilling_on_track ------------------------------------------------------------------------


def path_row(employee: str, path: str, start: str, completed: str | None = None, team: str = "T1",
             day: str = "2025-09-01") -> dict:
    return training(day, employee, team, path=path, path_start_date=start,
                    **({"path_completed_date": completed} if completed else {}))


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("paths"), training_spend=[
        path_row("E1", "fullstack_to_ai_engineer", "2025-10-01"),  # 181 days open: 5.95 ≤ 6 months
        path_row("E2", "pm_to_ai_pm", "2025-09-30"),  # 182 days: 5.98 months, on track
        path_row("E3", "pm_to_ai_pm", "2025-09-29"),  # 183 days: 6.01 months, late
        path_row("E4", "devops_to_mlops", "2025-06-01", "2026-01-15", team="T3"),  # 228 days: 7.5, late
        path_row("E5", "backend_to_mle", "2025-03-01", "2025-12-31"),  # completed before Q: not in progress
        path_row("E6", "analyst_to_ds", "2026-04-01", day="2026-04-01"),  # starts after Q
        path_row("E7", "analyst_to_ds", "2025-06-01", "2026-05-01", team="GHOST"),  # open at end of Q: 9.95 ≤ 12
        # one pair from two rows: earliest start, latest completion, team of the latest row
        path_row("E8", "pm_to_ai_pm", "2025-10-15", day="2025-09-01"),
        path_row("E8", "pm_to_ai_pm", "2025-10-01", "2026-02-01", team="T2", day="2026-01-20"),  # 123 days
    ])


def test_upskilling_on_track(paths):
    r = result(paths, "upskilling_on_track", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (pytest.approx(4 / 6), 6, 4, 6)  # E1, E2, E7, E8
    assert (r.status, r.target_source.value) == (Status.RED, "default")


def test_upskilling_on_track_by_team(paths):
    rows = results(paths, Q, by="team", kpi="upskilling_on_track")
    assert rows[("upskilling_on_track", "team:T1")].value == pytest.approx(2 / 3)  # E1, E2, E3
    assert rows[("upskilling_on_track", "team:T2")].value == 1.0  # E8, from its latest row
    assert rows[("upskilling_on_track", "team:T3")].value == 0.0  # E4
    assert rows[("upskilling_on_track", "team:unknown team")].value == 1.0  # E7


def test_upskilling_on_track_next_quarter(paths):
    r = result(paths, "upskilling_on_track", "2026-Q2")
    # in progress: E1 (272 days, late), E2 and E3 (late), E6 (on track), E7 (completed 2026-05-01
    # after 334 days = 10.97 ≤ 12, on track); E4 and E8 completed before 2026-04-01.
    assert (r.value, r.n) == (0.4, 5)
    assert r.previous == pytest.approx(4 / 6)


# --- skills_coverage ------------------------------------------------------------------------------


def skill(employee: str, team: str, role: str, seniority: str, name: str, level: int,
          assessed: str | None = None) -> dict:
    return {"employee_id": employee, "team_id": team, "role": role, "seniority": seniority, "skill": name,
            "level": level, "assessed_date": D(assessed) if assessed else None}


@pytest.fixture(scope="module")
def skills(tmp_path_factory):
    pm = ["product_management", "ai_literacy", "success_metrics", "stakeholder_management", "ai_ethics"]
    return make_store(
        tmp_path_factory.mktemp("skills"),
        champion_activity=[activity("2026-01-10", "C1", "T1")],
        skills=[
            # senior data scientist (needs 3): 3 of 6 skills met, two never assessed
            skill("E1", "HUB", "data_scientist", "senior", "statistics", 3),
            skill("E1", "HUB", "data_scientist", "senior", "machine_learning", 4),
            skill("E1", "HUB", "data_scientist", "senior", "python", 2),
            skill("E1", "HUB", "data_scientist", "senior", "data_visualization", 3),
            # junior AI product manager (needs 1): 5 of 6; a skill outside the framework is ignored
            *[skill("E2", "SP1", "ai_product_manager", "junior", s, 1) for s in pm],
            skill("E2", "SP1", "ai_product_manager", "junior", "experimentation", 0),
            skill("E2", "SP1", "ai_product_manager", "junior", "cooking", 4),
            # latest assessment decides: now a mid AI engineer in SP1 (needs 2): 1 of 6
            skill("E3", "HUB", "data_scientist", "mid", "python", 4, "2026-01-01"),
            skill("E3", "SP1", "ai_engineer", "mid", "rag", 2, "2026-03-01"),
        ],
    )


ROLES = "(data scientists, ML and AI engineers)"  # the skills coverage note's AI staff: 13 in teams.csv (HUB 10, SP1 3)
ONE_MORE = "1 more person in another role is assessed too"


def test_skills_coverage(skills):
    r = result(skills, "skills_coverage", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (0.5, 18, 9, 18)
    assert (r.target, r.status, r.previous) == (None, Status.INFO, None)
    assert r.note == f"2 of the 13 AI staff in teams.csv are assessed {ROLES}; {ONE_MORE}"


def test_skills_coverage_by_team(skills):
    rows = results(skills, Q, by="team", kpi="skills_coverage")
    hub = rows[("skills_coverage", "team:HUB")]
    assert (hub.value, hub.note) == (0.5, f"1 of the 10 AI staff in teams.csv is assessed {ROLES}")
    sp1 = rows[("skills_coverage", "team:SP1")]
    assert (sp1.value, sp1.numerator) == (0.5, 6)
    assert sp1.note == f"1 of the 3 AI staff in teams.csv is assessed {ROLES}; {ONE_MORE}"
    t1 = rows[("skills_coverage", "team:T1")]
    assert (t1.status, t1.note) == (Status.NO_DATA, f"teams.csv declares no AI staff {ROLES}")


def test_skills_undated_rows_are_oldest_and_unknown_team_left_out(tmp_path):
    store = make_store(
        tmp_path,
        champion_activity=[activity("2026-01-10", "C1", "T1")],
        skills=[
            skill("E1", "HUB", "data_engineer", "junior", "databases", 1),  # undated: oldest
            skill("E1", "HUB", "ml_engineer", "junior", "mlops", 1, "2025-01-01"),  # ML engineer, 1 of 7
            skill("E9", "GHOST", "data_engineer", "junior", "databases", 1),  # team unknown: 1 of 5
        ],
    )
    r = result(store, "skills_coverage", Q)
    assert (r.value, r.n) == (pytest.approx(2 / 12), 12)
    assert r.note == f"1 of the 13 AI staff in teams.csv is assessed {ROLES}; {ONE_MORE}"
    hub = result(store, "skills_coverage", Q, "business_unit:Group")
    assert hub.note == (
        f"1 of the 10 AI staff in teams.csv is assessed {ROLES}; "
        "1 employee whose team is unknown left out of this breakdown"
    )
