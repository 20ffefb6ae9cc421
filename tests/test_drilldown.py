"""The rows behind a KPI's value (analysis/drilldown.py) on tiny hand-built stores: the rows listed,
and that they add up to the KPI's n, numerator and denominator on the same store.

Quarter 2026-Q1 runs from 2026-01-01 to 2026-03-31 (90 days from 2025-12-31, 181 from 2025-10-01).
"""

import pytest
from kpi_fixtures import D, activity, make_store, poc, result, use_case

from aiorg_metrics.analysis.drilldown import (
    ADOPTION,
    CHAMPIONS,
    IN_BAND,
    QUEUE,
    WHOLE_ORGANIZATION,
    AdoptedCount,
    Where,
    adopted_count,
    rows_behind,
)
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.kpi import Scope

Q = "2026-Q1"
RETAIL, INSURANCE = Where(Scope.BUSINESS_UNIT, "Retail"), Where(Scope.BUSINESS_UNIT, "Insurance")


def rows(store, kpi_id: str, where: Where = WHOLE_ORGANIZATION):
    with store.reading() as cur:
        return rows_behind(cur, kpi_id, Quarter.parse(Q), where)


# --- the queue ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("queue"),
        use_cases=[
            use_case("U1", "2026-01-02", "T1", qualified_date="2026-01-30", ai_team_id="HUB"),  # 60 days
            use_case("U2", "2025-12-01", "T2", qualified_date="2025-12-31", ai_team_id="SP1"),  # 90 days
            use_case("U3", "2026-03-01", "T3", qualified_date="2026-03-31"),  # 0 days, unassigned
            use_case("U4", "2025-12-01", "T1", qualified_date="2026-01-01"),  # PoC on the last day
            use_case("U5", "2025-09-01", "T3", qualified_date="2025-10-01", ai_team_id="HUB"),  # 181 days
            use_case("U6", "2025-09-01", "T1", qualified_date="2025-10-01", rejected_date="2026-03-31"),
            use_case("U7", "2026-03-01", "T1"),  # never qualified
        ],
        poc_conversions=[poc("P4", "U4", "2026-03-31")],
    )


def test_queue_rows_are_the_waiting_use_cases_longest_first(queue):
    found = rows(queue, QUEUE)
    assert list(found["use_case_id"]) == ["U5", "U2", "U1", "U3"]
    assert list(found["title"]) == ["Use case U5", "Use case U2", "Use case U1", "Use case U3"]
    assert list(found["team_name"]) == ["Claims", "Loans", "Cards", "Claims"]
    assert list(found["business_unit"]) == ["Insurance", "Retail", "Retail", "Insurance"]
    assert list(found["ai_team"]) == ["AI Hub", "Retail AI", "AI Hub", "unassigned"]
    assert list(found["qualified_date"].dt.date) == [D("2025-10-01"), D("2025-12-31"), D("2026-01-30"),
                                                     D("2026-03-31")]
    assert list(found["months_waiting"]) == pytest.approx([181 / 30.44, 90 / 30.44, 60 / 30.44, 0])
    assert list(found["off_target"]) == [True, False, False, False]  # only 181 days is past 3 months


def test_queue_rows_add_up_to_the_kpi_at_each_scope(queue):
    org = result(queue, QUEUE, Q)
    found = rows(queue, QUEUE)
    assert (len(found), org.n) == (4, 4)
    assert org.value == pytest.approx(found["months_waiting"].median())  # 75 days
    for where, expected in ((RETAIL, ["U2", "U1"]), (INSURANCE, ["U5", "U3"]),
                            (Where(Scope.TEAM, "T1"), ["U1"]), (Where(Scope.AI_TEAM, "HUB"), ["U5", "U1"])):
        scoped = rows(queue, QUEUE, where)
        assert list(scoped["use_case_id"]) == expected
        kpi = result(queue, QUEUE, Q, f"{where.scope.value}:{where.value}")
        assert kpi.n == len(expected)


# --- adoption ---------------------------------------------------------------------------------------


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
            poc("P8", "U1", "2025-06-01", "production", production_date="2025-12-01"),
        ],
        adoption=[
            usage("P1", "2026-01-01", 5), usage("P1", "2026-03-01", 9),  # latest month of Q: 0.9
            usage("P2", "2026-01-01", 10), usage("P2", "2026-02-01", 12),  # January before production; 1.0 capped
            usage("P3", "2026-03-01", 3),  # 0.3
            usage("P4", "2026-04-01", 10),  # no usage in Q: not a row
            usage("P5", "2026-03-01", 10),  # production after Q
            usage("P6", "2026-02-01", 8),  # stopped
            usage("P8", "2026-02-01", 7),  # exactly 70%: adopted, though the KPI's target is above 70%
        ],
    )


def test_adoption_rows_are_the_solutions_with_usage_lowest_first(adoption):
    found = rows(adoption, ADOPTION)
    assert list(found["poc_id"]) == ["P3", "P8", "P1", "P2"]
    assert list(found["use_case_id"]) == ["U3", "U1", "U1", "U1"]
    assert list(found["team_name"]) == ["Claims", "Cards", "Cards", "Cards"]
    assert list(found["month"].dt.date) == [D("2026-03-01"), D("2026-02-01"), D("2026-03-01"), D("2026-02-01")]
    assert list(found["active_users"]) == [3, 7, 9, 12]
    assert list(found["target_users"]) == [10, 10, 10, 10]
    assert list(found["ratio"]) == pytest.approx([0.3, 0.7, 0.9, 1.0])
    assert list(found["off_target"]) == [True, False, False, False]


def test_adoption_rows_add_up_to_the_kpi(adoption):
    org = result(adoption, ADOPTION, Q)
    found = rows(adoption, ADOPTION)
    assert (len(found), org.n) == (4, 4)
    assert org.value == pytest.approx(found["ratio"].mean()) == pytest.approx(2.9 / 4)
    assert org.note == "1 solution without usage data"  # P4: in production, not a row
    assert result(adoption, ADOPTION, Q, "team:T3").n == len(rows(adoption, ADOPTION, Where(Scope.TEAM, "T3"))) == 1


def test_adopted_count_is_the_funnels_reading_of_the_same_solutions(adoption):
    assert adopted_count(rows(adoption, ADOPTION)) == AdoptedCount(3, 4)
    count = adopted_count(rows(adoption, ADOPTION))
    assert count.sentence == "3 of 4 solutions at ≥ 70% of their target users"
    assert count.card_detail == "3 of 4 solutions at ≥ 70% of their target users; the target applies to their " \
        "average usage"
    insurance = adopted_count(rows(adoption, ADOPTION, INSURANCE))
    assert insurance.sentence == "0 of 1 solution at ≥ 70% of their target users"


# --- champions -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def champions(tmp_path_factory):
    return make_store(
        tmp_path_factory.mktemp("champions"),
        champion_activity=[
            activity("2026-01-10", "C1", "T1"), activity("2026-01-11", "C2", "T1"),
            activity("2026-02-10", "C3", "T1", "meetup"),  # T1: three, above the band
            activity("2026-02-12", "C4", "T2"),  # T2: one, in the band
            activity("2026-02-12", "C5", "SP1"),  # an AI team: left out
            activity("2026-02-12", "C6", "T2", "survey", satisfaction=4),  # not active
        ],  # T3 (Insurance): none
    )


def test_champion_rows_are_the_business_teams_outside_the_band_first(champions):
    found = rows(champions, CHAMPIONS)
    assert list(found["team"]) == ["T3", "T1", "T2"]
    assert list(found["team_name"]) == ["Claims", "Cards", "Loans"]
    assert list(found["champions"]) == [0, 3, 1]
    assert list(found["off_target"]) == [True, True, False]


def test_champion_rows_add_up_to_both_champion_kpis(champions):
    per_team, band = result(champions, CHAMPIONS, Q), result(champions, IN_BAND, Q)
    found = rows(champions, IN_BAND)
    assert (per_team.numerator, per_team.denominator) == (found["champions"].sum(), len(found)) == (4, 3)
    assert band.denominator - band.numerator == found["off_target"].sum() == 2
    retail = rows(champions, IN_BAND, RETAIL)
    assert list(retail["team"]) == ["T1", "T2"]
    assert result(champions, IN_BAND, Q, "business_unit:Retail").denominator == 2
    assert list(rows(champions, CHAMPIONS, Where(Scope.TEAM, "T2"))["champions"]) == [1]


def test_other_kpis_and_scopes_are_refused(champions):
    with pytest.raises(KeyError, match="no rows listed behind 'hub_size'"):
        rows(champions, "hub_size")
    with pytest.raises(ValueError):
        Where(Scope.ORG, "T1")
    with pytest.raises(ValueError, match="has no ai_team scope"):
        rows(champions, ADOPTION, Where(Scope.AI_TEAM, "HUB"))
