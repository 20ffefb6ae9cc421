"""Pipeline, conversion and adoption KPIs on tiny hand-built stores; expected values by hand.

Quarter 2026-Q1 runs from 2026-01-01 to 2026-03-31; its T4Q window from 2025-04-01.
"""

import pytest
from kpi_fixtures import D, make_store, poc, result, results, use_case

from aiorg_metrics.kpi.status import Status

Q = "2026-Q1"


# --- use_case_to_poc_rate -------------------------------------------------------------------


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("cohort"),
        use_cases=[
            use_case("U0", "2025-01-15"),  # before the window
            use_case("U1", "2025-04-01", champion="C1"),  # window's first day
            use_case("U2", "2025-12-31", champion="C1"),  # PoC on the quarter's last day
            use_case("U3", "2026-02-01", champion="C2"),  # PoC the day after the quarter
            use_case("U4", "2026-03-31", rejected_date="2026-03-31"),  # rejected: stays in the cohort
            use_case("U5", "2025-06-01", "T3"),  # two PoCs: counted once
            use_case("U6", "2026-04-01"),  # after the quarter
        ],
        poc_conversions=[
            poc("P0", "U0", "2025-02-01"),
            poc("P1", "U1", "2025-05-01"),
            poc("P2", "U2", "2026-03-31"),
            poc("P3", "U3", "2026-04-01"),
            poc("P5a", "U5", "2025-07-01"),
            poc("P5b", "U5", "2025-08-01"),
        ],
    )


def test_use_case_to_poc_rate(cohort):
    r = result(cohort, "use_case_to_poc_rate", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (0.6, 5, 3, 5)  # U1, U2, U5 of U1-U5
    assert (r.status, r.partial_window) == (Status.GREEN, False)
    assert r.target.as_dict() == {"min": 0.3, "max": None, "strict_min": True}


def test_use_case_to_poc_rate_previous_and_year_ago(cohort):
    r = result(cohort, "use_case_to_poc_rate", Q)
    assert r.previous == 0.75  # 2025-Q4: U0, U1, U5 converted of U0, U1, U2, U5
    assert r.year_ago == 1.0  # 2025-Q1: U0 only


def test_use_case_to_poc_rate_partial_window_is_info(cohort):
    r = result(cohort, "use_case_to_poc_rate", "2025-Q4")  # window from 2025-01-01, data from 2025-01-15
    assert (r.value, r.partial_window, r.status) == (0.75, True, Status.INFO)
    assert r.note == "partial year: use_cases.identified_date starts on 2025-01-15"


def test_use_case_to_poc_rate_by_champion_and_team(cohort):
    rows = results(cohort, Q, by="champion", kpi="use_case_to_poc_rate")
    assert rows[("use_case_to_poc_rate", "champion:C1")].value == 1.0
    assert rows[("use_case_to_poc_rate", "champion:C2")].value == 0.0
    t1 = result(cohort, "use_case_to_poc_rate", Q, "team:T1")
    assert (t1.value, t1.numerator, t1.denominator) == (0.5, 2, 4)


def test_use_case_to_poc_rate_exactly_30_percent_is_amber(tmp_path):
    cases = [use_case(f"U{i}", "2026-01-10") for i in range(10)]
    pocs = [poc(f"P{i}", f"U{i}", "2026-02-01") for i in range(3)]
    store = make_store(tmp_path, use_cases=[use_case("U-old", "2025-01-01"), *cases], poc_conversions=pocs)
    r = result(store, "use_case_to_poc_rate", Q)
    assert (r.value, r.status) == (0.3, Status.AMBER)


# --- poc_to_production_rate ----------------------------------------------------------------


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("verdicts"),
        use_cases=[use_case("U1", "2025-01-02", "T1", "C1"), use_case("U2", "2025-01-02", "T2", "C2")],
        poc_conversions=[
            poc("P1", "U1", "2025-03-01", "production", production_date="2025-04-01"),  # window's first day
            poc("P2", "U2", "2025-05-01", "stopped", end_date="2026-03-31"),  # quarter's last day
            poc("P3", "U1", "2025-05-01", "production", production_date="2026-04-01"),  # after Q
            poc("P4", "U1", "2026-01-10"),  # running: not concluded
            poc("P5", "U2", "2025-01-10", "stopped", end_date="2025-03-31"),  # before the window
            poc("P6", "U-missing", "2025-09-01", "production", production_date="2026-01-15"),
            poc("P7", "U1", "2025-09-01", "stopped", end_date="2025-12-15"),
        ],
    )


def test_poc_to_production_rate_exactly_50_percent_is_amber(verdicts):
    r = result(verdicts, "poc_to_production_rate", Q)
    assert (r.value, r.n, r.numerator, r.denominator) == (0.5, 4, 2, 4)  # P1, P6 of P1, P2, P6, P7
    assert r.status is Status.AMBER  # "> 50%" is strict


def test_unresolved_poc_counts_for_org_and_is_left_out_of_breakdowns(verdicts):
    rows = results(verdicts, Q, by="team", kpi="poc_to_production_rate")
    t1 = rows[("poc_to_production_rate", "team:T1")]
    assert (t1.value, t1.n) == (0.5, 2)  # P1, P7
    assert t1.note == "1 PoC whose use case or team is unknown left out of this breakdown"
    t2 = rows[("poc_to_production_rate", "team:T2")]
    assert (t2.value, t2.status) == (0.0, Status.RED)
    champion = result(verdicts, "poc_to_production_rate", Q, "champion:C1")
    assert (champion.value, champion.note) == (0.5, None)


def test_poc_to_production_rate_without_verdicts_is_no_data(tmp_path):
    store = make_store(
        tmp_path, use_cases=[use_case("U1", "2026-01-02")], poc_conversions=[poc("P1", "U1", "2026-01-05")],
    )
    assert result(store, "poc_to_production_rate", Q).status is Status.NO_DATA


# --- demand_queue_months ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("queue"),
        use_cases=[
            use_case("U1", "2026-01-02", "T1", qualified_date="2026-01-30", ai_team_id="HUB"),  # waits 60 days
            use_case("U2", "2025-12-01", "T1", qualified_date="2025-12-31", ai_team_id="SP1"),  # 90 days
            use_case("U3", "2026-03-01", "T1", qualified_date="2026-03-31"),  # 0 days, unassigned
            use_case("U4", "2025-12-01", "T1", qualified_date="2026-01-01"),  # PoC on the last day
            use_case("U5", "2025-12-01", "T1", qualified_date="2026-01-01", ai_team_id="HUB"),  # PoC after Q: 89
            use_case("U6", "2025-09-01", "T1", qualified_date="2025-10-01", rejected_date="2026-03-31"),
            use_case("U7", "2025-09-01", "T1", qualified_date="2025-10-01", rejected_date="2026-04-01"),  # 181
            use_case("U8", "2026-03-01", "T2", qualified_date="2026-04-01"),  # qualified after Q
        ],
        poc_conversions=[poc("P4", "U4", "2026-03-31"), poc("P5", "U5", "2026-04-01")],
    )


def test_demand_queue_median_age(queue):
    r = result(queue, "demand_queue_months", Q)
    assert r.value == pytest.approx(89 / 30.44)  # median of 0, 60, 89, 90, 181 days
    assert (r.n, r.numerator, r.denominator, r.status) == (5, None, None, Status.GREEN)


def test_demand_queue_by_ai_team(queue):
    rows = results(queue, Q, by="ai_team", kpi="demand_queue_months")
    assert rows[("demand_queue_months", "ai_team:HUB")].value == pytest.approx(74.5 / 30.44)  # 60 and 89 days
    assert rows[("demand_queue_months", "ai_team:SP1")].value == pytest.approx(90 / 30.44)
    unassigned = rows[("demand_queue_months", "ai_team:unassigned")]
    assert unassigned.value == pytest.approx(90.5 / 30.44)  # 0 and 181 days
    assert sorted(s for k, s in rows if k == "demand_queue_months") == [
        "ai_team:HUB", "ai_team:SP1", "ai_team:unassigned", "org",
    ]


def test_demand_queue_empty_is_green_with_note_or_no_data(queue):
    rows = results(queue, Q, by="team", kpi="demand_queue_months")
    t2 = rows[("demand_queue_months", "team:T2")]  # a use case, none waiting
    assert (t2.value, t2.n, t2.status, t2.note) == (None, 0, Status.GREEN, "no qualified use case waiting")
    t3 = rows[("demand_queue_months", "team:T3")]  # no use case at all
    assert (t3.value, t3.status, t3.note) == (None, Status.NO_DATA, None)


def test_demand_queue_even_count_median_and_amber_zone(tmp_path):
    store = make_store(tmp_path, use_cases=[
        use_case("U1", "2025-12-01", qualified_date="2025-12-21"),  # 100 days at 2026-03-31
        use_case("U2", "2025-12-01", qualified_date="2025-12-21"),
        use_case("U9", "2026-03-15"),  # not qualified: not waiting
    ])
    r = result(store, "demand_queue_months", Q)
    assert (r.value, r.status) == (pytest.approx(100 / 30.44), Status.AMBER)  # 3.285: within 3 × 1.1
    store2 = make_store(tmp_path / "b", use_cases=[
        use_case("U1", "2025-12-01", qualified_date="2025-12-20"),  # 101 days
        use_case("U2", "2025-12-01", qualified_date="2025-12-22"),  # 99 days
        use_case("U3", "2025-12-01", qualified_date="2025-12-19"),  # 102 days
        use_case("U4", "2025-12-01", qualified_date="2025-12-31"),  # 90 days
        use_case("U9", "2026-03-15"),
    ])
    r2 = result(store2, "demand_queue_months", Q)
    assert (r2.value, r2.status) == (pytest.approx(100 / 30.44), Status.AMBER)  # (99 + 101) / 2 days


def test_demand_queue_red_above_amber(tmp_path):
    store = make_store(tmp_path, use_cases=[
        use_case("U1", "2025-12-01", qualified_date="2025-12-20"), use_case("U9", "2026-03-15"),
    ])
    assert result(store, "demand_queue_months", Q).status is Status.RED  # 101 days = 3.318 months


# --- briefing_completeness -----------------------------------------------------------------

FULL_BRIEF = {"problem": "p", "expected_kpis": "k", "data_sources": "d", "constraints": "c", "sponsor": "s"}


def test_briefing_completeness(tmp_path):
    store = make_store(tmp_path, use_cases=[
        use_case("U1", "2025-12-01", champion="C1", qualified_date="2026-01-01", **FULL_BRIEF),
        use_case("U2", "2025-12-01", champion="C1", qualified_date="2026-03-31", **(FULL_BRIEF | {"sponsor": "  "})),
        use_case("U3", "2025-12-01", champion="C2", qualified_date="2026-02-01", **(FULL_BRIEF | {"problem": "-"})),
        use_case("U4", "2025-12-01", qualified_date="2026-04-01", **FULL_BRIEF),  # next quarter
        use_case("U5", "2025-12-01", qualified_date="2025-12-31"),  # previous quarter
        use_case("U6", "2026-01-05"),  # not qualified
    ])
    r = result(store, "briefing_completeness", Q)
    assert (r.value, r.numerator, r.denominator, r.status) == (pytest.approx(2 / 3), 2, 3, Status.RED)
    assert r.previous == 0.0  # 2025-Q4: U5 only, no briefing
    assert result(store, "briefing_completeness", Q, "champion:C1").value == 0.5
    assert result(store, "briefing_completeness", Q, "champion:C2").value == 1.0


def test_briefing_completeness_all_complete_is_green(tmp_path):
    store = make_store(tmp_path, use_cases=[use_case("U1", "2026-01-01", qualified_date="2026-01-02", **FULL_BRIEF)])
    r = result(store, "briefing_completeness", Q)
    assert (r.value, r.status) == (1.0, Status.GREEN)


# --- adoption_rate --------------------------------------------------------------------------


def usage(poc_id: str, month: str, active: int, target: int = 10) -> dict:
    return {"poc_id": poc_id, "month": D(month), "target_users": target, "active_users": active}


@pytest.fixture(scope="module")
def adoption(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("adoption"),
        use_cases=[use_case("U1", "2025-01-10", "T1"), use_case("U3", "2025-01-10", "T3")],
        poc_conversions=[
            poc("P1", "U1", "2025-06-01", "production", production_date="2025-11-15"),
            poc("P2", "U1", "2025-06-01", "production", production_date="2026-02-10"),
            poc("P3", "U3", "2025-06-01", "production", production_date="2026-03-31"),
            poc("P4", "U3", "2025-06-01", "production", production_date="2026-01-01"),
            poc("P5", "U1", "2025-06-01", "production", production_date="2026-04-01"),
            poc("P6", "U1", "2025-06-01", "stopped", end_date="2025-12-01"),
            poc("P7", "U1", "2025-06-01"),
        ],
        adoption=[
            usage("P1", "2026-01-01", 5), usage("P1", "2026-03-01", 9),  # latest month of Q: 0.9
            usage("P2", "2026-01-01", 10), usage("P2", "2026-02-01", 12),  # January is before production; 1.0
            usage("P3", "2026-03-01", 3),  # production on the last day, same month: 0.3
            usage("P4", "2026-04-01", 10),  # no usage in Q
            usage("P5", "2026-03-01", 10),  # production after Q
            usage("P6", "2026-02-01", 8),  # stopped: ignored
            usage("P7", "2026-02-01", 8),  # running: ignored
        ],
    )


def test_adoption_rate(adoption):
    r = result(adoption, "adoption_rate", Q)
    assert r.value == pytest.approx(2.2 / 3)  # (0.9 + 1.0 + 0.3) / 3
    assert (r.n, r.numerator, r.denominator, r.status) == (3, None, None, Status.GREEN)
    assert r.note == "1 solution without usage data"


def test_adoption_rate_by_team(adoption):
    rows = results(adoption, Q, by="team", kpi="adoption_rate")
    t1 = rows[("adoption_rate", "team:T1")]
    assert (t1.value, t1.note) == (pytest.approx(0.95), None)
    t3 = rows[("adoption_rate", "team:T3")]
    assert (t3.value, t3.status, t3.note) == (0.3, Status.RED, "1 solution without usage data")


def test_adoption_rate_exactly_70_percent_is_amber(tmp_path):
    store = make_store(
        tmp_path,
        use_cases=[use_case("U1", "2025-10-01")],
        poc_conversions=[poc("P1", "U1", "2025-11-01", "production", production_date="2025-12-01")],
        adoption=[usage("P1", "2026-02-01", 7)],
    )
    r = result(store, "adoption_rate", Q)
    assert (r.value, r.status) == (0.7, Status.AMBER)


def test_adoption_rate_without_usage_is_no_data_with_note(tmp_path):
    store = make_store(
        tmp_path,
        use_cases=[use_case("U1", "2025-10-01"), use_case("U2", "2026-01-05")],
        poc_conversions=[
            poc("P1", "U1", "2025-11-01", "production", production_date="2025-12-01"),
            poc("P2", "U1", "2025-11-01", "production", production_date="2025-12-02"),
        ],
        adoption=[usage("P1", "2025-12-01", 7)],
    )
    r = result(store, "adoption_rate", Q)
    assert (r.value, r.n, r.status, r.note) == (None, 0, Status.NO_DATA, "2 solutions without usage data")
    assert r.previous == 0.7  # December's usage counted in 2025-Q4
