"""The use-case funnel (SPEC §3.5) on a hand-built cohort; every expected value is worked out by hand.

Quarter 2026-Q1 (end 2026-03-31). Teams: T1, T2 in BU Retail, T3 in BU Corporate.

| uc  | team | ch | identified | qualified  | PoCs (start → production)                | state at 2026-03-31         |
|-----|------|----|------------|------------|------------------------------------------|-----------------------------|
| U1  | T1   | C1 | 2026-01-05 | 2026-01-15 | P1 01-25 → 02-24; usage Feb 0.5, Mar 0.7 | adopted 03-01               |
| U2  | T1   | C1 | 2026-01-10 | 2026-02-09 | P2 02-19 → 03-31 (last day); Mar 0.6     | production; P2b stopped     |
| U3  | T2   | C2 | 2026-01-20 | —          | P3 02-01 → 04-01 (next quarter)          | poc (qualified by the PoC)  |
| U4  | T2   | C2 | 2026-02-01 | 2026-03-31 | P4 starts 04-01 (next quarter)           | qualified                   |
| U5  | T3   | C1 | 2026-02-15 | 2026-04-01 | —  (rejected 04-01, after Q)             | identified                  |
| U6  | T3   | —  | 2025-11-01 | —          | rejected 2026-01-10                      | identified, rejected        |
| U7  | T1   | C2 | 2025-10-01 | 2025-10-11 | P7b 10-15 stopped; P7 10-21 → 11-20      | adopted 11-20 (Jan at 0.70) |
| U8  | T1   | C1 | 2025-12-01 | 2025-12-11 | P8 12-31 → 2026-01-10; Jan 0.9, Mar 0.6  | production (latest month)   |
| U9  | T3   | C2 | 2026-03-31 | —          | —                                        | identified                  |
| U10 | T3   | —  | 2026-04-01 | —          | —                                        | outside the cohort          |
| U11 | T2   | —  | 2025-06-01 | 2025-07-01 | —                                        | qualified, 273 days         |
| U12 | T2   | —  | 2025-06-01 | 2025-06-11 | rejected 2025-08-01                      | qualified, rejected         |
| U14 | T2   | —  | 2025-12-30 | —          | —                                        | identified, 91 days         |
| U15 | T2   | —  | 2025-12-29 | —          | —                                        | identified, 92 days         |
"""

from __future__ import annotations

from datetime import date

import pytest
from orgrows import make_store, team

from aiorg_metrics.analysis.funnel import FunnelFilters, compute_funnel
from aiorg_metrics.common.periods import Quarter

Q1 = Quarter(2026, 1)
Q2 = Quarter(2026, 2)


def uc(uid, team_id, identified, qualified=None, rejected=None, champion=None):
    return {"use_case_id": uid, "title": f"title {uid}", "team_id": team_id, "champion_id": champion,
            "identified_date": identified, "qualified_date": qualified, "rejected_date": rejected}


def poc(pid, uid, start, outcome="running", production=None, end=None):
    return {"poc_id": pid, "use_case_id": uid, "start_date": start, "outcome": outcome,
            "production_date": production, "end_date": end}


def usage(pid, month, active, target):
    return {"poc_id": pid, "month": month, "active_users": active, "target_users": target}


D = date
TABLES = {
    "teams": [team("T1", bu="Retail"), team("T2", bu="Retail"), team("T3", bu="Corporate")],
    "use_cases": [
        uc("U1", "T1", D(2026, 1, 5), D(2026, 1, 15), champion="C1"),
        uc("U2", "T1", D(2026, 1, 10), D(2026, 2, 9), champion="C1"),
        uc("U3", "T2", D(2026, 1, 20), champion="C2"),
        uc("U4", "T2", D(2026, 2, 1), D(2026, 3, 31), champion="C2"),
        uc("U5", "T3", D(2026, 2, 15), D(2026, 4, 1), rejected=D(2026, 4, 1), champion="C1"),
        uc("U6", "T3", D(2025, 11, 1), rejected=D(2026, 1, 10)),
        uc("U7", "T1", D(2025, 10, 1), D(2025, 10, 11), champion="C2"),
        uc("U8", "T1", D(2025, 12, 1), D(2025, 12, 11), champion="C1"),
        uc("U9", "T3", D(2026, 3, 31), champion="C2"),
        uc("U10", "T3", D(2026, 4, 1)),
        uc("U11", "T2", D(2025, 6, 1), D(2025, 7, 1)),
        uc("U12", "T2", D(2025, 6, 1), D(2025, 6, 11), rejected=D(2025, 8, 1)),
        uc("U14", "T2", D(2025, 12, 30)),
        uc("U15", "T2", D(2025, 12, 29)),
    ],
    "poc_conversions": [
        poc("P1", "U1", D(2026, 1, 25), "production", production=D(2026, 2, 24)),
        poc("P2", "U2", D(2026, 2, 19), "production", production=D(2026, 3, 31)),
        poc("P2b", "U2", D(2026, 2, 20), "stopped", end=D(2026, 3, 1)),
        poc("P3", "U3", D(2026, 2, 1), "production", production=D(2026, 4, 1)),
        poc("P4", "U4", D(2026, 4, 1), "stopped", end=D(2026, 5, 1)),
        poc("P7b", "U7", D(2025, 10, 15), "stopped", end=D(2025, 10, 30)),
        poc("P7", "U7", D(2025, 10, 21), "production", production=D(2025, 11, 20)),
        poc("P8", "U8", D(2025, 12, 31), "production", production=D(2026, 1, 10)),
    ],
    "adoption": [
        usage("P1", D(2026, 2, 1), 5, 10),
        usage("P1", D(2026, 3, 1), 7, 10),
        usage("P2", D(2026, 3, 1), 6, 10),
        usage("P2", D(2026, 4, 1), 10, 10),  # after Q1: ignored as of Q1, adopts U2 as of Q2
        usage("P2b", D(2026, 3, 1), 10, 10),  # a stopped PoC: ignored
        usage("P3", D(2026, 3, 1), 10, 10),  # before P3's production month: ignored
        usage("P7", D(2025, 11, 1), 25, 10),
        usage("P7", D(2025, 12, 1), 10, 20),
        usage("P7", D(2026, 1, 1), 14, 20),  # exactly 0.70 on the latest month: adopted
        usage("P8", D(2026, 1, 1), 9, 10),
        usage("P8", D(2026, 3, 1), 6, 10),  # the latest month decides: not adopted
    ],
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("funnel"), TABLES)


def run(store, quarter=Q1, **kwargs):
    with store.reading() as cur:
        return compute_funnel(cur, quarter, **kwargs)


def by_stage(funnel):
    return {s.stage: s for s in funnel.stages}


def test_default_period_is_the_four_quarters_ending_q(store):
    funnel = run(store)
    assert (funnel.identified_from, funnel.identified_to, funnel.as_of) == (
        D(2025, 4, 1), D(2026, 3, 31), D(2026, 3, 31))


def test_counts_per_stage(store):
    counts = [(s.stage, s.reached) for s in run(store).stages]
    assert counts == [("identified", 13), ("qualified", 8), ("poc", 5), ("production", 4), ("adopted", 2)]


def test_shares_of_previous_and_first(store):
    stages = run(store).stages
    assert [s.share_of_previous for s in stages] == pytest.approx([None, 8 / 13, 5 / 8, 0.8, 0.5], nan_ok=True)
    assert [s.share_of_first for s in stages] == pytest.approx([1.0, 8 / 13, 5 / 13, 4 / 13, 2 / 13])


def test_median_and_p90_days(store):
    stages = by_stage(run(store))
    # qualified: 10,10,10,10,12,30,30,58 (even count: median = (10 + 12) / 2; p90 at 6.3 -> 30 + 0.3 * 28)
    assert (stages["qualified"].median_days, stages["qualified"].p90_days) == pytest.approx((11.0, 38.4))
    # poc (earliest PoC start, from qualified): 0,4,10,10,20
    assert (stages["poc"].median_days, stages["poc"].p90_days) == pytest.approx((10.0, 16.0))
    # production: 10,30,36,40 (even count)
    assert (stages["production"].median_days, stages["production"].p90_days) == pytest.approx((33.0, 38.8))
    # adopted: U1 5 days (first day of March after a 02-24 production), U7 0 days
    assert (stages["adopted"].median_days, stages["adopted"].p90_days) == pytest.approx((2.5, 4.5))
    assert stages["identified"].median_days is None


def test_waiting_longest_excludes_rejected_and_flags_over_three_months(store):
    waiting = run(store).waiting
    rows = list(waiting[["stage", "use_case_id", "age_days", "over_3_months"]].itertuples(index=False, name=None))
    # The flag is the guide's alert for demand waiting: qualified use cases only (U11), not U15 awaiting qualification.
    assert rows == [
        ("identified", "U15", 92, False),
        ("identified", "U14", 91, False),
        ("identified", "U5", 44, False),
        ("identified", "U9", 0, False),
        ("qualified", "U11", 273, True),
        ("qualified", "U4", 0, False),
        ("poc", "U3", 58, False),
        ("production", "U8", 80, False),
        ("production", "U2", 0, False),
    ]
    assert waiting.loc[waiting.use_case_id == "U11", "age_months"].item() == pytest.approx(273 / 30.44)


def test_waiting_limit(store):
    waiting = run(store, waiting_limit=1)
    assert list(waiting.waiting.use_case_id) == ["U15", "U11", "U3", "U8"]


def test_identification_period_boundaries(store):
    funnel = run(store, identified_from=D(2026, 1, 1))
    assert funnel.stages[0].reached == 6  # U1-U5 and U9 (identified on the last day); U10 (next day) is out


def test_first_day_of_next_quarter_counts_in_next_quarter(store):
    counts = [s.reached for s in run(store, Q2, identified_from=D(2026, 1, 1)).stages]
    # U10 joins; U5 qualified 04-01; P4 starts 04-01; P3 in production 04-01; U2 adopted by April's usage
    assert counts == [7, 5, 4, 3, 2]


def test_period_after_the_quarter_or_reversed_is_refused(store):
    with pytest.raises(ValueError, match="must end by the end of 2026-Q1"):
        run(store, identified_to=D(2026, 4, 1))
    with pytest.raises(ValueError, match="after it ends"):
        run(store, identified_from=D(2026, 3, 1), identified_to=D(2026, 2, 1))


def test_filter_business_unit(store):
    stages = run(store, filters=FunnelFilters(business_unit="Corporate")).stages
    assert [s.reached for s in stages] == [3, 0, 0, 0, 0]
    assert [s.share_of_previous for s in stages][:3] == [None, 0.0, None]


def test_filter_team(store):
    assert [s.reached for s in run(store, filters=FunnelFilters(team_id="T1")).stages] == [4, 4, 4, 4, 2]


def test_filter_champion(store):
    assert [s.reached for s in run(store, filters=FunnelFilters(champion_id="C1")).stages] == [4, 3, 3, 3, 1]


def test_filters_combine(store):
    stages = run(store, filters=FunnelFilters(business_unit="Retail", champion_id="C2")).stages
    assert [s.reached for s in stages] == [3, 3, 2, 1, 1]  # U3, U4, U7


@pytest.mark.parametrize(("active", "target", "adopted"), [(70, 100, 1), (69, 100, 0), (25, 10, 1)])
def test_adopted_ratio_edge(tmp_path, active, target, adopted):
    store = make_store(tmp_path, {
        "teams": [team("T1")],
        "use_cases": [uc("U1", "T1", D(2026, 1, 5), D(2026, 1, 6))],
        "poc_conversions": [poc("P1", "U1", D(2026, 1, 7), "production", production=D(2026, 1, 31))],
        "adoption": [usage("P1", D(2026, 3, 1), active, target)],
    })
    assert run(store).stages[-1].reached == adopted


def test_empty_store_gives_zero_counts(tmp_path):
    funnel = run(make_store(tmp_path, {}))
    assert [s.reached for s in funnel.stages] == [0, 0, 0, 0, 0]
    assert [s.share_of_first for s in funnel.stages] == [None] * 5
    assert funnel.waiting.empty


def test_to_dict_is_plain_data(store):
    data = run(store, filters=FunnelFilters(team_id="T1")).to_dict()
    assert data["filters"] == {"business_unit": None, "team_id": "T1", "champion_id": None}
    assert data["waiting"][0]["entered_date"] == "2026-01-10"
