"""The review as plain data (aiorg_metrics.display.scorecard): scopes, cards, needs attention, matrices."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display.scorecard import (
    NO_AI_TEAM,
    ORG_WIDE,
    UNIT_WIDE,
    Selection,
    ai_team_queue,
    build_cards,
    contributors,
    default_quarter,
    export_rows,
    needs_attention,
    org_picture,
    picture_kpis,
    population_text,
    shortfall,
    spokes,
    status_matrix,
    theme_rows,
)
from aiorg_metrics.display.writers import scorecard_table_rows
from aiorg_metrics.kpi import KPIS, KpiResult, Scope, kpi
from aiorg_metrics.kpi.status import Status, Target, TargetSource

Q = Quarter(2026, 3)


def result(kpi_id: str, value: float | None, status: Status, scope: Scope = Scope.ORG, where: str | None = None,
           target: Target | None = None, n: int = 10, num: float | None = None, den: float | None = None,
           period: str = "2026-Q3", previous: float | None = None) -> KpiResult:
    return KpiResult(
        kpi=kpi_id, period=period, scope_type=scope, scope_value=where, value=value, n=n, numerator=num,
        denominator=den, target=target, target_source=TargetSource.GUIDE if target else None, status=status,
        previous=previous, year_ago=None, partial_window=False, note=None,
    )


MIN80 = Target(min=0.8)


def test_selection_picks_the_finest_scope_a_kpi_has() -> None:
    team = Selection(business_unit="Retail", team="RB-CRD", team_business_unit="Retail")
    assert team.candidates(kpi("use_case_to_poc_rate"))[0] == ("team:RB-CRD", None)
    assert team.candidates(kpi("spoke_staffing"))[0] == ("business_unit:Retail", UNIT_WIDE)
    assert team.candidates(kpi("hub_size")) == [("org", ORG_WIDE)]
    assert Selection().candidates(kpi("hub_size")) == [("org", None)]
    champion = Selection(champion="CH-1")
    assert champion.candidates(kpi("champion_satisfaction"))[0] == ("champion:CH-1", None)


def test_cards_fall_back_to_a_broader_scope_when_the_finest_has_no_row() -> None:
    rows = [
        result("champions_per_business_team", 1.5, Status.GREEN, target=Target(min=1, max=2)),
        result("champions_per_business_team", 1.2, Status.GREEN, Scope.BUSINESS_UNIT, "Group"),
    ]  # no team row: an AI team has no value for this business-team KPI
    selection = Selection(team="AI-HUB", team_business_unit="Group")
    [card] = build_cards(rows, [], Q, selection, [kpi("champions_per_business_team")])
    assert card.result.scope == "business_unit:Group" and card.scope_tag == UNIT_WIDE


def test_cards_carry_comparisons_and_the_trend_up_to_the_quarter() -> None:
    k = kpi("practice_share")
    now = result(k.id, 0.67, Status.AMBER, target=Target(min=0.7), previous=0.69)
    trend = [result(k.id, v, Status.AMBER, period=p) for p, v in
             (("2026-Q1", 0.7), ("2026-Q2", 0.69), ("2026-Q3", 0.67), ("2026-Q4", 0.6))]
    [card] = build_cards([now], trend, Q, kpis=[k])
    assert card.trend_periods == ("2026-Q1", "2026-Q2", "2026-Q3")
    assert card.comparisons[0].label == "vs 2026-Q2" and card.comparisons[0].delta == "−2.0 pts"
    assert card.comparisons[1].before == "–"
    [undated] = build_cards([result("skills_coverage", 0.77, Status.INFO)], [], Q, kpis=[kpi("skills_coverage")])
    assert undated.comparisons == () and undated.trend_values == ()


def test_a_kpi_reading_a_dataset_not_loaded_is_incomplete_not_red() -> None:
    k = kpi("use_case_to_poc_rate")
    [card] = build_cards([result(k.id, 0.0, Status.RED, target=MIN80)], [], Q, kpis=[k],
                         empty_datasets=["poc_conversions", "skills"])
    assert card.missing == ("poc_conversions",) and card.status is Status.NO_DATA
    assert card.status_word == "Incomplete data" and needs_attention([card], []) == []


def test_population_lines_count_what_the_kpi_counts() -> None:
    share = result("use_case_to_poc_rate", 0.3, Status.GREEN, num=53, den=174)
    assert population_text(kpi("use_case_to_poc_rate"), share) == "53 of 174 use cases identified in 12 months"
    ratio = result("champions_per_business_team", 1.5, Status.GREEN, num=38, den=25)
    assert population_text(kpi("champions_per_business_team"), ratio) == "38 active champions / 25 business teams"
    mean = result("champion_satisfaction", 4.0, Status.AMBER, n=1)
    assert population_text(kpi("champion_satisfaction"), mean) == "n = 1 champion surveyed"


def test_shortfall_is_distance_times_weight() -> None:
    k = kpi("briefing_completeness")
    assert shortfall(k, result(k.id, 0.75, Status.RED, target=Target(min=1.0), num=3, den=4)) == pytest.approx(1.0)
    queue = kpi("demand_queue_months")
    assert shortfall(queue, result(queue.id, 4.0, Status.RED, target=Target(max=3), n=5)) == pytest.approx(5.0)
    shadow = kpi("shadow_ai_teams")
    assert shortfall(shadow, result(shadow.id, 2, Status.RED, target=Target(max=0), n=25)) == 2


def test_contributors_are_ordered_by_share_of_the_shortfall() -> None:
    k = kpi("upskilling_on_track")
    rows = [
        result(k.id, 0.5, Status.RED, Scope.BUSINESS_UNIT, "A", MIN80, num=1, den=2),  # short by 0.3 × 2
        result(k.id, 0.0, Status.RED, Scope.BUSINESS_UNIT, "B", MIN80, num=0, den=3),  # short by 0.8 × 3
        result(k.id, 0.75, Status.AMBER, Scope.BUSINESS_UNIT, "C", MIN80, num=3, den=4),  # short by 0.05 × 4
        result(k.id, 0.9, Status.GREEN, Scope.BUSINESS_UNIT, "D", MIN80, num=9, den=10),
    ]
    listed = contributors(k, rows)
    assert [c.name for c in listed] == ["B", "A", "C"]
    assert [c.share for c in listed] == pytest.approx([2.4 / 3.2, 0.6 / 3.2, 0.2 / 3.2])


def test_needs_attention_puts_red_first_then_the_furthest_from_the_bound() -> None:
    rows = [
        result("practice_share", 0.5, Status.AMBER, target=Target(min=0.7)),  # amber, 29% away
        result("upskilling_on_track", 0.7, Status.RED, target=MIN80),  # red, 12.5% away
        result("briefing_completeness", 0.5, Status.RED, target=Target(min=1.0)),  # red, 50% away
        result("use_case_to_poc_rate", 0.4, Status.GREEN, target=Target(min=0.3, strict_min=True)),
    ]
    cards = build_cards(rows, [], Q, kpis=KPIS)
    items = needs_attention(cards, [])
    assert [i.card.kpi.id for i in items] == ["briefing_completeness", "upskilling_on_track", "practice_share"]
    assert items[0].distance_text == "50% below the minimum"


def test_default_quarter_is_the_latest_ended_by_the_data_never_the_clock() -> None:
    quarters = [Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3), Quarter(2026, 4)]
    assert default_quarter(quarters, date(2026, 11, 13)) == Quarter(2026, 3)
    assert default_quarter(quarters[:3], date(2026, 9, 30)) == Quarter(2026, 3)
    assert default_quarter([Quarter(2026, 4)], date(2026, 11, 13)) == Quarter(2026, 4)
    assert default_quarter([], date(2026, 1, 1)) is None


def test_status_matrix_keeps_units_with_any_data() -> None:
    k = "practice_share"
    rows = [
        result(k, 0.76, Status.GREEN, Scope.BUSINESS_UNIT, "CIB", Target(min=0.7)),
        result(k, None, Status.NO_DATA, Scope.BUSINESS_UNIT, "unknown team"),
    ]
    matrix = status_matrix(rows)
    expected = [{"unit": "CIB", "cell": "✓ 76%", "word": "On target"}]
    assert matrix[["unit", "cell", "word"]].to_dict("records") == expected


def test_the_bucket_of_teams_not_in_teams_csv_is_worded_and_left_out_when_empty() -> None:
    spend, practice, poc = "training_spend_per_learner", "practice_share", "use_case_to_poc_rate"
    rows = [
        result(practice, 0.5, Status.RED, Scope.BUSINESS_UNIT, "unknown team", Target(min=0.7), n=2),
        result(spend, None, Status.NO_DATA, Scope.BUSINESS_UNIT, "unknown team", n=0),
        result(poc, None, Status.NO_DATA, Scope.BUSINESS_UNIT, "unknown team", n=3),
        result(spend, 2500, Status.GREEN, Scope.BUSINESS_UNIT, "CIB", n=4),
    ]
    assert [(r.kpi, r.scope_value) for r in export_rows(rows)] == [(practice, "unknown team"), (spend, "CIB")]
    table = scorecard_table_rows(export_rows(rows))
    assert [row[2] for row in table] == ["Teams not in teams.csv", "Business unit: CIB"]
    assert set(status_matrix(rows)["unit"]) == {"Teams not in teams.csv", "CIB"}


def test_org_picture_colours_teams_by_their_worst_graded_status() -> None:
    teams = pd.DataFrame([
        {"team_id": "T1", "team_name": "One", "business_unit": "A", "team_kind": "business", "headcount": 10},
        {"team_id": "T2", "team_name": "Two", "business_unit": "A", "team_kind": "business", "headcount": 5},
    ])
    rows = [
        result("practice_share", 0.6, Status.AMBER, Scope.TEAM, "T1"),
        result("adoption_rate", 0.9, Status.GREEN, Scope.TEAM, "T1"),
        result("skills_coverage", 0.7, Status.INFO, Scope.TEAM, "T2"),
    ]
    picture = org_picture(teams, rows).set_index("team_id")
    assert picture.loc["T1", "status"] == "amber" and picture.loc["T1", "green"] == 1
    assert picture.loc["T2", "status"] == "none" and picture.loc["T2", "word"] == "Not graded"


def test_small_themes_share_a_row() -> None:
    rows = [result(k.id, 0.5, Status.INFO) for k in KPIS]
    layout = theme_rows(build_cards(rows, [], Q), 4)
    assert [len(r) for r in layout] == [4, 3, 4, 4, 4]
    assert [heading for heading, _ in layout[3]] == ["adoption", "organization", "", ""]


def test_org_picture_colours_teams_by_a_chosen_kpi_with_its_value() -> None:
    teams = pd.DataFrame([
        {"team_id": "T1", "team_name": "One", "business_unit": "A", "team_kind": "business", "headcount": 10},
        {"team_id": "HUB", "team_name": "Hub", "business_unit": "G", "team_kind": "ai_hub", "headcount": 5},
    ])
    rows = [
        result("adoption_rate", 0.42, Status.RED, Scope.TEAM, "T1", Target(min=0.7)),
        result("practice_share", 0.9, Status.GREEN, Scope.TEAM, "T1"),
    ]
    picture = org_picture(teams, rows, "adoption_rate").set_index("team_id")
    assert picture.loc["T1", ["status", "word", "value"]].tolist() == ["red", "Off target", "42%"]
    assert picture.loc["HUB", ["status", "word", "value"]].tolist() == ["none", "Not measured", ""]
    assert picture.loc["T1", "green"] == 1  # the counts still cover every team KPI
    assert "adoption_rate" in [k.id for k in picture_kpis()] and "hub_size" not in [k.id for k in picture_kpis()]


DIRECTORY = pd.DataFrame([
    {"team_id": "AI-HUB", "team_name": "Centre", "business_unit": "Group", "team_kind": "ai_hub", "ai_staff": 12},
    {"team_id": "AI-INS", "team_name": "Insurance Spoke", "business_unit": "Insurance", "team_kind": "ai_spoke",
     "ai_staff": 3},
    {"team_id": "AI-OPS", "team_name": "Ops Spoke", "business_unit": "Operations", "team_kind": "ai_spoke",
     "ai_staff": 1},
    {"team_id": "CLM", "team_name": "Claims", "business_unit": "Insurance", "team_kind": "business", "ai_staff": 0},
])


def test_spokes_of_one_business_unit() -> None:
    assert spokes(DIRECTORY)["team_name"].tolist() == ["Insurance Spoke", "Ops Spoke"]
    assert spokes(DIRECTORY, "Insurance")["team_name"].tolist() == ["Insurance Spoke"]
    assert spokes(DIRECTORY, "Group").empty


def test_ai_team_queue_lists_the_hub_first_with_counts_up_to_the_quarter() -> None:
    k = "demand_queue_months"
    rows = [
        result(k, 0.6, Status.GREEN, Scope.AI_TEAM, "AI-INS", Target(max=3), n=3),
        result(k, 4.0, Status.RED, Scope.AI_TEAM, "AI-HUB", Target(max=3), n=54),
        result(k, 3.4, Status.RED, Scope.AI_TEAM, "AI-HUB", Target(max=3), n=43, period="2026-Q2"),
        result(k, 6.0, Status.RED, Scope.AI_TEAM, "AI-HUB", Target(max=3), n=61, period="2026-Q4"),
        result(k, None, Status.NO_DATA, Scope.AI_TEAM, "unassigned", n=0),
        result(k, 3.4, Status.RED, Scope.ORG, None, Target(max=3), n=57),
    ]
    queue = ai_team_queue(rows, DIRECTORY, "2026-Q3")
    assert queue[["period", "name", "waiting", "value_text"]].values.tolist() == [
        ["2026-Q2", "Centre", 43, "3.4 months"],
        ["2026-Q3", "Centre", 54, "4.0 months"],
        ["2026-Q3", "Insurance Spoke", 3, "0.6 months"],
    ]  # no 2026-Q4 (after the quarter shown), no empty "unassigned" bucket, no org row
    waiting_unassigned = [*rows, result(k, 1.0, Status.GREEN, Scope.AI_TEAM, "unassigned", Target(max=3), n=2)]
    assert ai_team_queue(waiting_unassigned, DIRECTORY, "2026-Q3")["name"].tolist()[-1] == NO_AI_TEAM
