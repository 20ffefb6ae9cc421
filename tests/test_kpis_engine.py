"""The KPI engine across KPIs: covered quarters, previous and year-ago values, breakdown
rows, target overrides per business unit, trends, and the result contract."""

import pytest
from kpi_fixtures import D, activity, make_store, result, results, use_case

from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.kpi import KPIS, compute, covered_quarters, scorecard_rows, series, trend
from aiorg_metrics.kpi.settings import parse_settings
from aiorg_metrics.kpi.status import Status, Target
from aiorg_metrics.store.connection import Store

RESULT_FIELDS = [
    "kpi", "period", "scope", "scope_type", "scope_value", "value", "n", "numerator", "denominator", "target",
    "target_source", "status", "previous", "year_ago", "partial_window", "note", "as_of",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Champions C1 (T1) and C2 (T3) active from 2025-Q1 to 2026-Q1; C3 (T2) first seen in
    2026-Q2; use cases identified by C1 for T2 and by C2 for T3."""
    return make_store(
        tmp_path_factory.mktemp("store"),
        champion_activity=[
            activity("2025-01-15", "C1", "T1"), activity("2025-01-15", "C2", "T3"),
            activity("2026-01-15", "C1", "T1"), activity("2026-03-15", "C2", "T3"),
            activity("2026-04-10", "C3", "T2"),
        ],
        use_cases=[
            use_case("U1", "2026-01-20", "T2", "C1", qualified_date="2026-02-01"),
            use_case("U2", "2026-02-20", "T3", "C2"),
        ],
        adoption=[{"poc_id": "P-none", "month": D("2026-06-01"), "target_users": 5, "active_users": 1}],
    )


def test_covered_range_spans_every_dated_dataset(store):
    # the adoption row (month 2026-06) extends the range although it is ignored by the KPIs
    assert [str(q) for q in covered_quarters(store)] == [
        "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2",
    ]


@pytest.mark.parametrize("quarter", ["2024-Q4", "2026-Q3"])
def test_quarter_outside_the_data_is_refused_naming_the_range(store, quarter):
    with pytest.raises(QuarterError) as caught:
        compute(store, quarter)
    assert str(caught.value) == (
        f"{quarter} is outside the data: the store covers 2025-Q1 to 2026-Q2 "
        "(dated rows from 2025-01-15 to 2026-06-01)"
    )


def test_empty_store_is_refused(tmp_path):
    with pytest.raises(QuarterError, match="holds no dated rows yet"):
        compute(Store(tmp_path / "empty.duckdb"), "2026-Q1")
    assert trend(Store(tmp_path / "empty.duckdb")) == []


def test_previous_and_year_ago(store):
    r = result(store, "champions_per_business_team", "2026-Q1")
    assert (r.value, r.previous, r.year_ago) == (pytest.approx(2 / 3), 0.0, pytest.approx(2 / 3))


def test_previous_is_null_before_the_data(store):
    r = result(store, "champions_per_business_team", "2025-Q1")
    assert (r.previous, r.year_ago) == (None, None)


def test_result_fields_and_org_rows_first(store):
    rows = scorecard_rows(store, "2026-Q1", by="team")
    assert all(list(row) == RESULT_FIELDS for row in rows)
    assert [row["kpi"] for row in rows[: len(KPIS)]] == [k.id for k in KPIS]
    assert all(row["scope"] == "org" for row in rows[: len(KPIS)])
    assert all(row["scope"].startswith("team:") for row in rows[len(KPIS):])


def test_breakdown_rows_only_for_kpis_with_that_scope(store):
    by_champion = compute(store, "2026-Q1", by="champion")
    kpis_with_rows = {r.kpi for r in by_champion if r.scope != "org"}
    assert kpis_with_rows == {k.id for k in KPIS if "champion" in k.scopes}
    assert {r.scope for r in by_champion if r.kpi == "use_cases_per_champion"} == {
        "org", "champion:C1", "champion:C2",  # C3 is seen only after 2026-Q1
    }


def test_champion_rows_follow_each_quarter(store):
    scopes = {r.scope for r in compute(store, "2026-Q2", by="champion") if r.kpi == "champion_time_allocation"}
    assert scopes == {"org", "champion:C1", "champion:C2", "champion:C3"}


def test_every_business_unit_and_team_has_a_row(store):
    rows = results(store, "2026-Q1", by="business_unit", kpi="adoption_rate")
    assert {s for k, s in rows if k == "adoption_rate"} == {
        "org", "business_unit:Retail", "business_unit:Insurance", "business_unit:Group",
    }
    assert rows[("adoption_rate", "business_unit:Group")].status is Status.NO_DATA


def test_undated_kpis_have_no_previous(store):
    r = result(store, "shadow_ai_teams", "2026-Q1")
    assert (r.previous, r.year_ago) == (None, None)


OVERRIDES = parse_settings({
    "amber_tolerance": 0.2,
    "targets": {
        "use_cases_per_champion": {"min": 1, "max": 4, "by_business_unit": {"Retail": {"min": 0.5, "max": 0.9}}},
        "demand_queue_months": {"by_business_unit": {"Retail": {"max": 1}}},
    },
})


def test_business_unit_override_applies_to_its_teams_and_champions(store):
    rows = {**results(store, "2026-Q1", by="team", settings=OVERRIDES, kpi="use_cases_per_champion"),
            **results(store, "2026-Q1", by="champion", settings=OVERRIDES, kpi="use_cases_per_champion")}
    retail, other = Target(min=0.5, max=0.9), Target(min=1, max=4)
    for scope in ("team:T1", "team:T2", "champion:C1"):  # C1's team T1 is in Retail
        r = rows[("use_cases_per_champion", scope)]
        assert (r.target, r.target_source.value) == (retail, "override"), scope
    for scope in ("org", "team:T3", "champion:C2"):
        r = rows[("use_cases_per_champion", scope)]
        assert (r.target, r.target_source.value) == (other, "override"), scope
    c1 = rows[("use_cases_per_champion", "champion:C1")]
    assert (c1.value, c1.status) == (1.0, Status.AMBER)  # 0.9 × 1.2 = 1.08: amber with t = 0.2


def test_business_unit_override_applies_to_ai_team_rows(store):
    rows = results(store, "2026-Q1", by="ai_team", settings=OVERRIDES, kpi="demand_queue_months")
    assert rows[("demand_queue_months", "ai_team:SP1")].target == Target(max=1)  # SP1 is in Retail
    hub = rows[("demand_queue_months", "ai_team:HUB")]
    assert (hub.target, hub.target_source.value) == (Target(max=3), "guide")
    assert rows[("demand_queue_months", "org")].target == Target(max=3)


def test_trend_covers_every_quarter_in_order(store):
    points = series(trend(store, kpi_ids=["champions_per_business_team"]), "champions_per_business_team")
    assert [p.period for p in points] == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert [p.value for p in points] == pytest.approx([2 / 3, 0, 0, 0, 2 / 3, 1 / 3])
    assert points[4].previous == 0.0 and points[4].year_ago == pytest.approx(2 / 3)


def test_trend_by_team(store):
    points = series(trend(store, kpi_ids=["use_cases_per_champion"], by="team"), "use_cases_per_champion", "team:T1")
    assert [(p.period, p.value) for p in points][-2:] == [("2026-Q1", 1.0), ("2026-Q2", None)]


def test_compute_accepts_a_cursor_and_leaves_no_temp_tables(store):
    with store.reading() as cur:
        first = compute(cur, Quarter(2026, 1), kpi_ids=["use_cases_per_champion"])
        leftovers = cur.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    assert first[0].value == 1.0 and leftovers == []


def test_unknown_kpi_or_breakdown_is_refused(store):
    with pytest.raises(KeyError, match="unknown KPI"):
        compute(store, "2026-Q1", kpi_ids=["nope"])
    with pytest.raises(ValueError):
        compute(store, "2026-Q1", by="region")
