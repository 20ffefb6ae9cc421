"""Zero is a value (SPEC §3.2-3.3, issue 10): a KPI whose population is non-empty returns its
number, 0 included (or the scale's minimum), and a status against its target.

One test per KPI of the catalog, each on a tiny hand-built store whose population is not
empty and whose measure is 0 (satisfaction: 1, the scale's minimum), at organization scope
and at a finer scope the KPI has. Quarter 2026-Q1 runs from 2026-01-01 to 2026-03-31; its
twelve-month window from 2025-04-01, so the T4Q fixtures hold a row dated before that day
(the window is then complete: no partial-window info status).
"""

from collections.abc import Callable

from kpi_fixtures import TEAMS, D, activity, make_store, poc, result, use_case

from aiorg_metrics.kpi.catalog import KPIS
from aiorg_metrics.kpi.results import KpiResult
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Status

Q = "2026-Q1"
# A dated row in Q, for stores whose KPIs read undated data (teams, skills).
DATED = [activity("2026-02-01", "C0", "T1", "survey", satisfaction=3)]

COVERED: set[str] = set()


def zero_case(kpi_id: str) -> Callable[[Callable], Callable]:
    """Registers the decorated test as `kpi_id`'s zero case (see test_every_kpi_has_a_zero_case)."""

    def register(test: Callable) -> Callable:
        COVERED.add(kpi_id)
        return test

    return register


def measured(r: KpiResult) -> tuple:
    return r.value, r.n, r.status


def ratio(r: KpiResult) -> tuple:
    return r.value, r.n, r.numerator, r.denominator, r.status


def team(team_id: str, bu: str, kind: str, headcount: int, ai_staff: int) -> dict:
    return {"team_id": team_id, "team_name": team_id, "business_unit": bu, "team_kind": kind,
            "headcount": headcount, "ai_staff": ai_staff}


# --- champions network -------------------------------------------------------------------------


def _no_active_champion(tmp_path):
    """C1 was active in 2025-Q4 only; in Q1 C0 only answers the survey (not active)."""
    return make_store(tmp_path, champion_activity=[activity("2025-11-10", "C1", "T1"), *DATED])


@zero_case("champions_per_business_team")
def test_champions_per_business_team_zero(tmp_path):
    store = _no_active_champion(tmp_path)
    assert ratio(result(store, "champions_per_business_team", Q)) == (0.0, 3, 0, 3, Status.RED)
    assert ratio(result(store, "champions_per_business_team", Q, "business_unit:Retail")) == (
        0.0, 2, 0, 2, Status.RED)
    assert ratio(result(store, "champions_per_business_team", Q, "team:T3")) == (0.0, 1, 0, 1, Status.RED)


@zero_case("business_teams_in_champion_band")
def test_business_teams_in_champion_band_zero(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        *[activity("2026-01-10", f"C{i}", "T1") for i in (1, 2, 3)],  # three champions: above the band
        activity("2025-11-10", "C4", "T2"),  # active last quarter only
    ])
    assert ratio(result(store, "business_teams_in_champion_band", Q)) == (0.0, 3, 0, 3, Status.RED)
    assert ratio(result(store, "business_teams_in_champion_band", Q, "business_unit:Retail")) == (
        0.0, 2, 0, 2, Status.RED)


@zero_case("use_cases_per_champion")
def test_use_cases_per_champion_zero(tmp_path):
    store = make_store(
        tmp_path,
        champion_activity=[activity("2026-01-10", "C1", "T1", "facilitation"), activity("2026-02-10", "C2", "T3")],
        use_cases=[use_case("U1", "2025-12-01", "T1", "C1")],  # last quarter's
    )
    assert ratio(result(store, "use_cases_per_champion", Q)) == (0.0, 2, 0, 2, Status.RED)
    assert ratio(result(store, "use_cases_per_champion", Q, "team:T1")) == (0.0, 1, 0, 1, Status.RED)
    assert ratio(result(store, "use_cases_per_champion", Q, "champion:C2")) == (0.0, 1, 0, 1, Status.RED)


@zero_case("champion_satisfaction")
def test_champion_satisfaction_at_the_scale_minimum(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-10", "C1", "T1", "survey", satisfaction=5),
        activity("2026-03-01", "C1", "T1", "survey", satisfaction=1),  # the latest answer counts
        activity("2026-02-01", "C2", "T1", "survey", satisfaction=1),
        activity("2026-02-01", "C3", "T1", "survey", satisfaction=1),
    ])
    assert measured(result(store, "champion_satisfaction", Q)) == (1.0, 3, Status.RED)
    # three answers: at the privacy floor (min_survey_answers = 3), so not withheld
    assert measured(result(store, "champion_satisfaction", Q, "team:T1")) == (1.0, 3, Status.RED)
    assert measured(result(store, "champion_satisfaction", Q, "business_unit:Retail")) == (1.0, 3, Status.RED)


@zero_case("champion_time_allocation")
def test_champion_time_allocation_zero_hours(tmp_path):
    store = make_store(
        tmp_path,
        champion_activity=[
            activity("2026-01-10", "C1", "T1"),  # hours blank: 0
            activity("2026-02-10", "C2", "T1", "facilitation", hours=0),
        ],
        use_cases=[use_case("U1", "2026-03-01", "T1", "C3")],  # active through a use case only: no hours
    )
    assert measured(result(store, "champion_time_allocation", Q)) == (0.0, 3, Status.RED)
    assert measured(result(store, "champion_time_allocation", Q, "team:T1")) == (0.0, 3, Status.RED)
    assert measured(result(store, "champion_time_allocation", Q, "champion:C1")) == (0.0, 1, Status.RED)


@zero_case("champion_programme_completion")
def test_champion_programme_completion_zero(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2025-03-15", "C9", "T3"),  # activity data from before the window: a full year
        activity("2025-10-01", "C1", "T1", "training_day"),  # one day of five
        *[activity(day, "C2", "T3", "training_day") for day in ("2025-10-01", "2025-10-02", "2025-10-03")],
        activity("2025-10-04", "C2", "T3", "training_day"),
        activity("2025-12-01", "C2", "T3", "training_day"),  # day 61 after the first: too late
        activity("2026-01-10", "C1", "T1"),
    ])
    r = result(store, "champion_programme_completion", Q)
    assert (*ratio(r), r.partial_window) == (0.0, 2, 0, 2, Status.RED, False)
    assert ratio(result(store, "champion_programme_completion", Q, "business_unit:Insurance")) == (
        0.0, 1, 0, 1, Status.RED)


@zero_case("meetup_participation")
def test_meetup_participation_zero_is_info(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-02-01", "C1", "T1", "meetup"),  # one date only
        activity("2026-02-01", "C2", "T1", "meetup", activity_id="A1"),
        activity("2026-02-01", "C2", "T1", "meetup", activity_id="A2"),  # same date: counts once
    ])
    assert ratio(result(store, "meetup_participation", Q)) == (0.0, 2, 0, 2, Status.INFO)
    assert ratio(result(store, "meetup_participation", Q, "team:T1")) == (0.0, 2, 0, 2, Status.INFO)


# --- pipeline & conversion ----------------------------------------------------------------------


@zero_case("use_case_to_poc_rate")
def test_use_case_to_poc_rate_zero(tmp_path):
    store = make_store(
        tmp_path,
        use_cases=[
            use_case("U0", "2025-03-01"),  # before the window: a full year of use cases
            use_case("U1", "2025-06-01", "T1", "C1"),
            use_case("U2", "2025-09-01", "T1", "C1"),  # its PoC starts after the quarter
            use_case("U3", "2026-02-01", "T3", "C2", rejected_date="2026-03-01"),
        ],
        poc_conversions=[poc("P0", "U0", "2025-03-15"), poc("P2", "U2", "2026-04-01")],
    )
    r = result(store, "use_case_to_poc_rate", Q)
    assert (*ratio(r), r.partial_window) == (0.0, 3, 0, 3, Status.RED, False)
    assert ratio(result(store, "use_case_to_poc_rate", Q, "team:T1")) == (0.0, 2, 0, 2, Status.RED)
    assert ratio(result(store, "use_case_to_poc_rate", Q, "champion:C2")) == (0.0, 1, 0, 1, Status.RED)


@zero_case("poc_to_production_rate")
def test_poc_to_production_rate_zero(tmp_path):
    store = make_store(
        tmp_path,
        use_cases=[
            use_case("U1", "2025-02-01", "T1", "C1"),
            use_case("U2", "2025-02-01", "T3"),
            use_case("U3", "2026-02-01", "T3"),  # data up to Q1
        ],
        poc_conversions=[
            poc("P0", "U2", "2025-03-01", "stopped", end_date="2025-05-01"),  # PoCs from before the window
            poc("P1", "U1", "2025-06-01", "stopped", end_date="2026-03-31"),
            poc("P2", "U1", "2025-06-01"),  # running: not concluded
        ],
    )
    r = result(store, "poc_to_production_rate", Q)
    assert (*ratio(r), r.partial_window) == (0.0, 2, 0, 2, Status.RED, False)
    assert ratio(result(store, "poc_to_production_rate", Q, "team:T1")) == (0.0, 1, 0, 1, Status.RED)
    assert ratio(result(store, "poc_to_production_rate", Q, "champion:C1")) == (0.0, 1, 0, 1, Status.RED)


@zero_case("demand_queue_months")
def test_demand_queue_months_zero_wait(tmp_path):
    """A use case qualified on the quarter's last day waits 0 months: a value, not the empty queue."""
    store = make_store(tmp_path, use_cases=[
        use_case("U1", "2026-03-01", "T1", qualified_date="2026-03-31", ai_team_id="HUB"),
    ])
    r = result(store, "demand_queue_months", Q)
    assert (*measured(r), r.note) == (0.0, 1, Status.GREEN, None)
    assert measured(result(store, "demand_queue_months", Q, "team:T1")) == (0.0, 1, Status.GREEN)
    assert measured(result(store, "demand_queue_months", Q, "ai_team:HUB")) == (0.0, 1, Status.GREEN)


@zero_case("briefing_completeness")
def test_briefing_completeness_zero(tmp_path):
    four_of_five = {"problem": "p", "expected_kpis": "k", "data_sources": "d", "constraints": "c"}
    store = make_store(tmp_path, use_cases=[
        use_case("U1", "2025-12-01", "T1", "C1", qualified_date="2026-02-01", **four_of_five),
        use_case("U2", "2026-01-05", "T3", qualified_date="2026-03-01"),
    ])
    assert ratio(result(store, "briefing_completeness", Q)) == (0.0, 2, 0, 2, Status.RED)
    assert ratio(result(store, "briefing_completeness", Q, "team:T3")) == (0.0, 1, 0, 1, Status.RED)
    assert ratio(result(store, "briefing_completeness", Q, "champion:C1")) == (0.0, 1, 0, 1, Status.RED)


@zero_case("adoption_rate")
def test_adoption_rate_zero_users(tmp_path):
    store = make_store(
        tmp_path,
        use_cases=[use_case("U1", "2025-06-01", "T1")],
        poc_conversions=[poc("P1", "U1", "2025-07-01", "production", production_date="2025-10-01")],
        adoption=[{"poc_id": "P1", "month": D("2026-03-01"), "target_users": 10, "active_users": 0}],
    )
    r = result(store, "adoption_rate", Q)
    assert (*measured(r), r.note) == (0.0, 1, Status.RED, None)
    assert measured(result(store, "adoption_rate", Q, "team:T1")) == (0.0, 1, Status.RED)
    assert measured(result(store, "adoption_rate", Q, "business_unit:Retail")) == (0.0, 1, Status.RED)


# --- organization --------------------------------------------------------------------------------


@zero_case("spoke_staffing")
def test_spoke_staffing_zero_under_hub_and_spoke(tmp_path):
    teams = [*TEAMS[:4], team("SP1", "Retail", "ai_spoke", 2, 1), team("SP2", "Insurance", "ai_spoke", 8, 6)]
    store = make_store(tmp_path, teams=teams, champion_activity=DATED)
    assert ratio(result(store, "spoke_staffing", Q)) == (0.0, 2, 0, 2, Status.RED)
    assert ratio(result(store, "spoke_staffing", Q, "business_unit:Retail")) == (0.0, 1, 0, 1, Status.RED)


@zero_case("hub_size")
def test_hub_size_zero_without_a_hub(tmp_path):
    store = make_store(tmp_path, teams=[t for t in TEAMS if t["team_kind"] != "ai_hub"], champion_activity=DATED)
    # no hub and a staffed spoke: the federated model, which gives the hub no target
    r = result(store, "hub_size", Q)
    assert (*measured(r), r.target) == (0, 0, Status.INFO, None)
    centralized = result(store, "hub_size", Q, settings=Settings(declared_model="centralized"))
    assert (*measured(centralized), centralized.target.max) == (0, 0, Status.GREEN, 15)


@zero_case("shadow_ai_teams")
def test_shadow_ai_teams_zero_is_green_under_hub_and_spoke(tmp_path):
    store = make_store(tmp_path, champion_activity=DATED)  # TEAMS: hub & spoke, no business team with AI staff
    r = result(store, "shadow_ai_teams", Q)
    assert (*measured(r), r.target.max) == (0, 3, Status.GREEN, 0)
    assert measured(result(store, "shadow_ai_teams", Q, "business_unit:Retail")) == (0, 2, Status.GREEN)
    federated = result(store, "shadow_ai_teams", Q, settings=Settings(declared_model="federated"))
    assert measured(federated) == (0, 3, Status.INFO)


# --- training & skills ----------------------------------------------------------------------------


def training(day: str, employee: str, team: str = "T1", cost: float = 0, hours: float = 1,
             fmt: str = "practice", **extra) -> dict:
    row = {"date": D(day), "employee_id": employee, "team_id": team, "program": "course", "format": fmt,
           "hours": hours, "cost_eur": cost}
    return row | {k: D(v) if k.startswith("path_") and isinstance(v, str) else v for k, v in extra.items()}


@zero_case("training_spend_per_learner")
def test_training_spend_per_learner_zero_eur(tmp_path):
    store = make_store(tmp_path, training_spend=[
        training("2025-03-01", "E0", cost=900),  # before the window: a full year of data
        training("2025-06-01", "E1", "T1"),
        training("2026-02-01", "E1", "T1"),
        training("2026-02-01", "E2", "T3"),
    ])
    r = result(store, "training_spend_per_learner", Q)
    assert (*ratio(r), r.partial_window) == (0.0, 2, 0.0, 2, Status.RED, False)
    assert ratio(result(store, "training_spend_per_learner", Q, "team:T1")) == (0.0, 1, 0.0, 1, Status.RED)
    assert ratio(result(store, "training_spend_per_learner", Q, "business_unit:Insurance")) == (
        0.0, 1, 0.0, 1, Status.RED)


@zero_case("practice_share")
def test_practice_share_theory_only_is_zero(tmp_path):
    store = make_store(tmp_path, training_spend=[
        training("2025-01-10", "E0", hours=0),  # before the window: a full year of data
        training("2025-06-10", "E1", "T1", hours=12.5, fmt="theory"),
        training("2026-01-10", "E2", "GHOST", hours=17.5, fmt="theory"),  # team not in teams.csv
    ])
    r = result(store, "practice_share", Q)
    assert (*ratio(r), r.partial_window) == (0.0, 2, 0.0, 30.0, Status.RED, False)
    assert ratio(result(store, "practice_share", Q, "team:T1")) == (0.0, 1, 0.0, 12.5, Status.RED)
    assert ratio(result(store, "practice_share", Q, "business_unit:Retail")) == (0.0, 1, 0.0, 12.5, Status.RED)
    assert ratio(result(store, "practice_share", Q, "team:unknown team")) == (0.0, 1, 0.0, 17.5, Status.RED)


@zero_case("upskilling_on_track")
def test_upskilling_on_track_zero(tmp_path):
    store = make_store(tmp_path, training_spend=[
        # open at the end of Q after 454 days (14.9 months) on a 3-6 month path
        training("2025-01-01", "E1", "T1", path="pm_to_ai_pm", path_start_date="2025-01-01"),
        # completed in Q after 320 days (10.5 months) on a 3-6 month path
        training("2026-01-15", "E2", "T3", path="fullstack_to_ai_engineer", path_start_date="2025-03-01",
                 path_completed_date="2026-01-15"),
    ])
    assert ratio(result(store, "upskilling_on_track", Q)) == (0.0, 2, 0, 2, Status.RED)
    assert ratio(result(store, "upskilling_on_track", Q, "team:T1")) == (0.0, 1, 0, 1, Status.RED)
    assert ratio(result(store, "upskilling_on_track", Q, "business_unit:Insurance")) == (0.0, 1, 0, 1, Status.RED)


def skill(employee: str, team: str, role: str, seniority: str, name: str, level: int) -> dict:
    return {"employee_id": employee, "team_id": team, "role": role, "seniority": seniority, "skill": name,
            "level": level, "assessed_date": None}


@zero_case("skills_coverage")
def test_skills_coverage_zero_is_info(tmp_path):
    store = make_store(tmp_path, champion_activity=DATED, skills=[
        skill("E1", "HUB", "data_scientist", "junior", "statistics", 0),  # 6 required skills, none at 1
        skill("E2", "SP1", "ml_engineer", "mid", "mlops", 0),  # 7 required skills, none at 2
        skill("E2", "SP1", "ml_engineer", "mid", "containers", 0),
    ])
    r = result(store, "skills_coverage", Q)
    assert ratio(r) == (0.0, 13, 0, 13, Status.INFO)
    assert ratio(result(store, "skills_coverage", Q, "team:HUB")) == (0.0, 6, 0, 6, Status.INFO)
    assert ratio(result(store, "skills_coverage", Q, "business_unit:Retail")) == (0.0, 7, 0, 7, Status.INFO)


def test_every_kpi_has_a_zero_case():
    assert sorted(k.id for k in KPIS) == sorted(COVERED)
