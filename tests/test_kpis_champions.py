"""Champions network KPIs on tiny hand-built stores; expected values worked out by hand.

Teams (kpi_fixtures.TEAMS): business T1, T2 (Retail) and T3 (Insurance); HUB (Group);
spoke SP1 (Retail). Quarter 2026-Q1 runs from 2026-01-01 to 2026-03-31.
"""

import pytest
from kpi_fixtures import activity, make_store, result, results, use_case

from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Status

Q = "2026-Q1"


# --- champions_per_business_team / business_teams_in_champion_band -------------------------


@pytest.fixture(scope="module")
def network(tmp_path_factory):
    """C1, C2 active in T1 (C2 on the last day); C3 only surveyed; C4 active the day after
    the quarter; C5 in the spoke and C6 in an unknown team (both left out); C7 active only
    through a use case, whose team (T3) gives the champion's team."""
    return make_store(
        tmp_path_factory.mktemp("network"),
        champion_activity=[
            activity("2026-01-15", "C1", "T1"),
            activity("2026-03-31", "C2", "T1", "meetup"),
            activity("2026-02-01", "C3", "T2", "survey", satisfaction=4),
            activity("2026-04-01", "C4", "T2", "facilitation"),
            activity("2026-02-01", "C5", "SP1"),
            activity("2026-02-02", "C6", "GHOST"),
        ],
        use_cases=[use_case("U1", "2026-02-10", "T3", "C7")],
    )


def test_champions_per_business_team_org(network):
    r = result(network, "champions_per_business_team", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (1.0, 3, 3, 3)  # C1, C2, C7 over T1, T2, T3
    assert r.status is Status.GREEN  # on the band's lower edge
    assert r.note == "2 active champions left out: team unknown or not a business team"
    assert r.target.as_dict() == {"min": 1, "max": 2, "strict_min": False}
    assert r.target_source.value == "guide"


def test_champions_per_business_team_by_team_lists_business_teams_only(network):
    rows = {r.scope: r for r in results(network, Q, by="team", kpi="champions_per_business_team").values()
            if r.kpi == "champions_per_business_team" and r.scope != "org"}
    assert sorted(rows) == ["team:T1", "team:T2", "team:T3"]
    assert (rows["team:T1"].value, rows["team:T1"].status) == (2.0, Status.GREEN)  # band's upper edge
    assert (rows["team:T2"].value, rows["team:T2"].status) == (0.0, Status.RED)
    assert (rows["team:T3"].value, rows["team:T3"].status) == (1.0, Status.GREEN)


def test_champions_per_business_team_by_business_unit(network):
    rows = results(network, Q, by="business_unit", kpi="champions_per_business_team")
    retail = rows[("champions_per_business_team", "business_unit:Retail")]
    assert (retail.value, retail.numerator, retail.denominator) == (1.0, 2, 2)
    assert retail.note == (
        "2 active champions whose team is unknown or not a business team left out of this breakdown"
    )
    group = rows[("champions_per_business_team", "business_unit:Group")]
    assert (group.value, group.n, group.status) == (None, 0, Status.NO_DATA)  # no business team


def test_champions_per_business_team_next_quarter_and_previous(network):
    r = result(network, "champions_per_business_team", "2026-Q2")
    assert r.value == pytest.approx(1 / 3)  # only C4, in T2
    assert r.previous == 1.0


def test_business_teams_in_champion_band(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-10", "C1", "T1"), activity("2026-01-10", "C2", "T1"), activity("2026-01-10", "C3", "T1"),
        activity("2026-02-10", "C4", "T2"),
    ])
    r = result(store, "business_teams_in_champion_band", Q)
    assert (r.value, r.numerator, r.denominator) == (pytest.approx(1 / 3), 1, 3)  # only T2 has 1-2
    assert r.status is Status.RED
    retail = result(store, "business_teams_in_champion_band", Q, "business_unit:Retail")
    assert retail.value == 0.5
    insurance = result(store, "business_teams_in_champion_band", Q, "business_unit:Insurance")
    assert (insurance.value, insurance.status) == (0.0, Status.RED)


def test_business_teams_in_champion_band_all_covered_is_green(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-10", "C1", "T1"), activity("2026-01-10", "C2", "T1"),
        activity("2026-02-10", "C3", "T2"), activity("2026-03-31", "C4", "T3"),
    ])
    r = result(store, "business_teams_in_champion_band", Q)
    assert (r.value, r.status) == (1.0, Status.GREEN)


# --- the champion's team in Q ------------------------------------------------------------


def test_team_in_q_ties_on_date_go_to_the_larger_activity_id(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-02-01", "C1", "T3", activity_id="A2"),
        activity("2026-02-01", "C1", "T1", activity_id="A10"),  # "A10" < "A2" in string order
    ])
    assert result(store, "champions_per_business_team", Q, "team:T3").value == 1.0
    assert result(store, "champions_per_business_team", Q, "team:T1").value == 0.0


def test_team_in_q_ties_without_activity_id_use_the_key_hash(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-02-01", "C1", "T1", _key="h-aaa"),
        activity("2026-02-01", "C1", "T2", _key="h-bbb"),
    ])
    assert result(store, "champions_per_business_team", Q, "team:T2").value == 1.0


def test_team_in_q_is_the_latest_row_up_to_the_end_of_q(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-05", "C1", "T1"),
        activity("2026-03-01", "C1", "T3", "survey", satisfaction=5),  # surveys count for the team
        activity("2026-04-01", "C1", "T2"),  # after Q1: not read for Q1
    ])
    assert result(store, "champions_per_business_team", Q, "team:T3").value == 1.0
    assert result(store, "champions_per_business_team", "2026-Q2", "team:T2").value == 1.0


def test_team_in_q_from_use_cases_ties_go_to_the_larger_use_case_id(tmp_path):
    store = make_store(tmp_path, use_cases=[
        use_case("U10", "2026-02-01", "T1", "C1"),
        use_case("U11", "2026-02-01", "T3", "C1"),
        use_case("U09", "2026-01-01", "T2", "C1"),
    ])
    assert result(store, "champions_per_business_team", Q, "team:T3").value == 1.0


# --- use_cases_per_champion ---------------------------------------------------------------


@pytest.fixture(scope="module")
def scouting(tmp_path_factory):
    """C1 (team T1) identifies two use cases for T2 in Q (one on the last day) and one the
    day after; C2 (T2) one rejected use case; C3, with no activity, three for T3; U5 has
    no champion."""
    return make_store(
        tmp_path_factory.mktemp("scouting"),
        champion_activity=[activity("2026-01-05", "C1", "T1"), activity("2026-02-01", "C2", "T2")],
        use_cases=[
            use_case("U1", "2026-01-20", "T2", "C1"),
            use_case("U2", "2026-03-31", "T2", "C1"),
            use_case("U3", "2026-04-01", "T1", "C1"),
            use_case("U4", "2026-02-15", "T2", "C2", rejected_date="2026-03-01"),
            use_case("U5", "2026-02-20", "T2"),
            use_case("U6", "2026-01-10", "T3", "C3"),
            use_case("U7", "2026-02-10", "T3", "C3"),
            use_case("U8", "2026-03-10", "T3", "C3"),
        ],
    )


def test_use_cases_per_champion_org(scouting):
    r = result(scouting, "use_cases_per_champion", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (2.0, 3, 6, 3)  # U1, U2, U4, U6-U8 / C1-C3
    assert r.status is Status.RED  # below 3 × 0.9


def test_use_cases_go_with_the_champions_team_not_their_own(scouting):
    rows = results(scouting, Q, by="team", kpi="use_cases_per_champion")
    t1 = rows[("use_cases_per_champion", "team:T1")]
    assert (t1.value, t1.numerator, t1.denominator) == (2.0, 2, 1)  # C1's two use cases for T2
    t2 = rows[("use_cases_per_champion", "team:T2")]
    assert (t2.value, t2.numerator, t2.denominator) == (1.0, 1, 1)
    t3 = rows[("use_cases_per_champion", "team:T3")]
    assert (t3.value, t3.status) == (3.0, Status.GREEN)  # band's lower edge
    hub = rows[("use_cases_per_champion", "team:HUB")]
    assert hub.status is Status.NO_DATA


def test_use_cases_per_champion_by_champion(scouting):
    rows = results(scouting, Q, by="champion", kpi="use_cases_per_champion")
    assert sorted(s for k, s in rows if k == "use_cases_per_champion") == [
        "champion:C1", "champion:C2", "champion:C3", "org",
    ]
    assert rows[("use_cases_per_champion", "champion:C1")].value == 2.0
    assert rows[("use_cases_per_champion", "champion:C3")].value == 3.0


def test_use_cases_per_champion_by_business_unit(scouting):
    retail = result(scouting, "use_cases_per_champion", Q, "business_unit:Retail")
    assert (retail.value, retail.numerator, retail.denominator) == (1.5, 3, 2)


# --- champion_satisfaction ----------------------------------------------------------------


def test_champion_satisfaction_latest_answer_per_champion(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-10", "C1", "T1", "survey", satisfaction=3),
        activity("2026-03-31", "C1", "T1", "survey", satisfaction=5),  # last day: latest answer
        activity("2026-02-01", "C2", "T2", "survey", satisfaction=4),  # surveyed, not active
        activity("2026-04-01", "C3", "T2", "survey", satisfaction=1),  # next quarter
        activity("2026-02-02", "C4", "T3", "survey", satisfaction=2, activity_id="S1"),
        activity("2026-02-02", "C4", "T3", "survey", satisfaction=5, activity_id="S2"),  # tie: larger id
    ])
    r = result(store, "champion_satisfaction", Q)
    assert r.value == pytest.approx(14 / 3)  # (5 + 4 + 5) / 3
    assert (r.n, r.numerator, r.denominator, r.status) == (3, None, None, Status.GREEN)
    every_answer = Settings(min_survey_answers=1)  # one answer per group here: no privacy floor
    assert result(store, "champion_satisfaction", Q, "champion:C1", settings=every_answer).value == 5.0
    assert result(store, "champion_satisfaction", Q, "team:T2", settings=every_answer).value == 4.0


def test_champion_satisfaction_exactly_4_is_not_green(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-10", "C1", "T1", "survey", satisfaction=3),
        activity("2026-01-10", "C2", "T1", "survey", satisfaction=5),
    ])
    r = result(store, "champion_satisfaction", Q)
    assert (r.value, r.status) == (4.0, Status.AMBER)  # "> 4/5" is strict


def test_champion_satisfaction_red_below_amber(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-10", "C1", "T1", "survey", satisfaction=3),
        activity("2026-01-10", "C2", "T1", "survey", satisfaction=4),
    ])
    r = result(store, "champion_satisfaction", Q)
    assert (r.value, r.status) == (3.5, Status.RED)  # the amber zone starts at 4 × 0.9 = 3.6


# The privacy floor (SPEC §2.9, min_survey_answers = 3). Answers in 2026-Q1 and, for `previous`, 2025-Q4:
# | team (unit)      | 2026-Q1 answers        | n | 2025-Q4 answers  | n |
# | T1 (Retail)      | C1 4, C2 5             | 2 | C1 3, C2 4, C7 5 | 3 |
# | T2 (Retail)      | C3 3, C4 4, C5 5       | 3 | C3 2, C4 4       | 2 |
# | T3 (Insurance)   | C6 2                   | 1 | —                | 0 |
# Retail: n 5, mean 21/5 = 4.2 (Q4: n 5, 18/5 = 3.6). Insurance: n 1. Organization: n 6, 23/6.
@pytest.fixture(scope="module")
def surveys(tmp_path_factory):
    answers = [("2026-01-15", "C1", "T1", 4), ("2026-01-15", "C2", "T1", 5), ("2026-02-15", "C3", "T2", 3),
               ("2026-02-15", "C4", "T2", 4), ("2026-02-15", "C5", "T2", 5), ("2026-03-15", "C6", "T3", 2),
               ("2025-11-15", "C1", "T1", 3), ("2025-11-15", "C2", "T1", 4), ("2025-11-15", "C7", "T1", 5),
               ("2025-11-15", "C3", "T2", 2), ("2025-11-15", "C4", "T2", 4)]
    return make_store(tmp_path_factory.mktemp("surveys"), champion_activity=[
        activity(day, champion, team, "survey", satisfaction=score) for day, champion, team, score in answers
    ])


def _sat(store, scope: str, settings: Settings | None = None):
    r = result(store, "champion_satisfaction", Q, scope, settings=settings)
    return r.value, r.n, r.status, r.previous, r.year_ago, r.note


def test_survey_value_of_two_answers_is_withheld(surveys):
    assert _sat(surveys, "team:T1") == (None, 2, Status.NO_DATA, None, None, "fewer than 3 answers")
    assert _sat(surveys, "business_unit:Insurance") == (None, 1, Status.NO_DATA, None, None, "fewer than 3 answers")
    assert _sat(surveys, "champion:C6") == (None, 1, Status.NO_DATA, None, None, "fewer than 3 answers")


def test_survey_value_of_three_answers_is_shown_without_a_thin_previous(surveys):
    # 2026-Q1: 3 answers, shown (4.0, amber: "> 4/5" is strict); 2025-Q4 had 2: its value is withheld too
    assert _sat(surveys, "team:T2") == (4.0, 3, Status.AMBER, None, None, None)
    assert _sat(surveys, "business_unit:Retail") == (pytest.approx(4.2), 5, Status.GREEN, pytest.approx(3.6),
                                                     None, None)


def test_the_organization_is_never_withheld(surveys, tmp_path):
    assert _sat(surveys, "org")[:2] == (pytest.approx(23 / 6), 6)
    alone = make_store(tmp_path, champion_activity=[activity("2026-01-15", "C1", "T1", "survey", satisfaction=5)])
    assert _sat(alone, "org") == (5.0, 1, Status.GREEN, None, None, None)


def test_a_floor_of_one_shows_every_answer(surveys):
    every = Settings(min_survey_answers=1)
    assert _sat(surveys, "team:T1", every) == (4.5, 2, Status.GREEN, 4.0, None, None)
    assert _sat(surveys, "team:T2", every)[3] == 3.0  # Q4's two answers: (2 + 4) / 2
    assert _sat(surveys, "champion:C6", every)[:2] == (2.0, 1)


def test_the_floor_comes_from_the_setting(surveys):
    assert _sat(surveys, "business_unit:Retail", Settings(min_survey_answers=6))[0::5] == (
        None, "fewer than 6 answers")


def test_champion_satisfaction_without_answers_is_no_data(tmp_path):
    store = make_store(tmp_path, champion_activity=[activity("2026-01-10", "C1", "T1")])
    r = result(store, "champion_satisfaction", Q)
    assert (r.value, r.n, r.status) == (None, 0, Status.NO_DATA)


# --- champion_time_allocation -------------------------------------------------------------


@pytest.fixture(scope="module")
def timesheets(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("timesheets"),
        champion_activity=[
            activity("2026-01-10", "C1", "T1", hours=45.5),
            activity("2026-02-10", "C1", "T1", "meetup"),  # blank hours count as 0
            activity("2026-04-01", "C1", "T1", hours=100),  # next quarter
            activity("2026-01-10", "C2", "T2", hours=90.5),
            activity("2026-02-01", "C2", "T2", "survey", satisfaction=4, hours=0.5),  # every type counts
            activity("2026-02-01", "C4", "T3", "survey", satisfaction=4, hours=10),  # not active
        ],
        use_cases=[use_case("U1", "2026-03-01", "T3", "C3")],  # C3 active with no hours
    )


def test_champion_time_allocation(timesheets):
    r = result(timesheets, "champion_time_allocation", Q)
    assert r.value == pytest.approx(0.1)  # (45.5/455 + 91/455 + 0) / 3
    assert (r.n, r.status) == (3, Status.GREEN)
    assert result(timesheets, "champion_time_allocation", Q, "champion:C2").value == pytest.approx(0.2)
    assert result(timesheets, "champion_time_allocation", Q, "champion:C3").value == 0.0


def test_champion_time_allocation_uses_hours_per_quarter(timesheets):
    r = result(timesheets, "champion_time_allocation", Q, settings=Settings(hours_per_quarter=227.5))
    assert r.value == pytest.approx(0.2)  # (0.2 + 0.4 + 0) / 3
    assert r.status is Status.GREEN


# --- champion_programme_completion ----------------------------------------------------------


def training_days(champion: str, team: str, *days: str) -> list[dict]:
    return [activity(day, champion, team, "training_day") for day in days]


@pytest.fixture(scope="module")
def programme(tmp_path_factory):
    """Quarter 2026-Q2 (window 2025-07-01 to 2026-06-30); activity data starts 2025-01-10."""
    return make_store(
        tmp_path_factory.mktemp("programme"),
        champion_activity=[
            activity("2025-01-10", "C9", "T1"),
            # day 61 after 2026-01-05 is 2026-03-06: five days within, complete
            *training_days("P1", "T1", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-03-06"),
            # the fifth day is day 62: not complete
            *training_days("P2", "T1", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-03-07"),
            # five rows but four distinct dates
            *training_days("P3", "T1", "2026-02-02", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23"),
            # first day 2026-05-01: less than 61 days before 2026-06-30, not in the cohort yet
            *training_days("P4", "T1", "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05"),
            # first day exactly 61 days before the end of Q: in the cohort, complete
            *training_days("P5", "T2", "2026-04-30", "2026-05-07", "2026-05-14", "2026-05-21", "2026-05-28"),
            # first day the day before the window: not in the cohort
            *training_days("P6", "T1", "2025-06-30", "2025-07-01", "2025-07-02", "2025-07-03", "2025-07-04"),
            # first day on the window's first day: in the cohort, complete
            *training_days("P7", "T3", "2025-07-01", "2025-07-08", "2025-07-15", "2025-07-22", "2025-07-29"),
        ],
    )


def test_champion_programme_completion(programme):
    r = result(programme, "champion_programme_completion", "2026-Q2")
    assert (r.value, r.n, r.numerator, r.denominator) == (0.6, 5, 3, 5)  # P1, P5, P7 of P1-P3, P5, P7
    assert (r.status, r.partial_window, r.target_source.value) == (Status.RED, False, "default")


def test_champion_programme_completion_by_business_unit(programme):
    rows = results(programme, "2026-Q2", by="business_unit", kpi="champion_programme_completion")
    assert rows[("champion_programme_completion", "business_unit:Retail")].value == 0.5  # P1, P5 of 4
    insurance = rows[("champion_programme_completion", "business_unit:Insurance")]
    assert (insurance.value, insurance.status) == (1.0, Status.GREEN)


def test_champion_programme_completion_partial_window(programme):
    r = result(programme, "champion_programme_completion", "2025-Q3")  # window from 2024-10-01
    assert r.partial_window is True
    assert (r.value, r.n) == (1.0, 2)  # P6 and P7, both complete
    assert r.status is Status.INFO
    assert r.note == "partial year: champion_activity.date starts on 2025-01-10"


# --- meetup_participation -----------------------------------------------------------------


def test_meetup_participation(tmp_path):
    store = make_store(tmp_path, champion_activity=[
        activity("2026-01-15", "C1", "T1", "meetup"), activity("2026-02-15", "C1", "T1", "meetup"),
        activity("2026-01-15", "C2", "T1", "meetup"), activity("2026-01-15", "C2", "T1", "meetup"),
        activity("2026-03-31", "C3", "T2", "meetup"), activity("2026-04-01", "C3", "T2", "meetup"),
        activity("2026-02-01", "C4", "T3"),
    ])
    r = result(store, "meetup_participation", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (0.25, 4, 1, 4)
    assert (r.target, r.target_source, r.status) == (None, None, Status.INFO)
    assert result(store, "meetup_participation", Q, "team:T1").value == 0.5
