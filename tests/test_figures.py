"""The figures are pure functions: units on the axes, targets drawn, statuses readable without colour."""

from __future__ import annotations

from datetime import date

import pandas as pd

from aiorg_metrics.display import figures
from aiorg_metrics.display.styles import STATUS_STYLES
from aiorg_metrics.kpi import kpi
from aiorg_metrics.kpi.status import Status, Target


def _shapes(fig) -> list[dict]:
    return [s.to_plotly_json() for s in fig.layout.shapes]


def _annotations(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_sparkline_shades_a_band_and_draws_a_minimum() -> None:
    band = figures.sparkline(kpi("champions_per_business_team"), ["2026-Q1", "2026-Q2"], [1.4, 1.6],
                             Target(min=1, max=2))
    assert [s["type"] for s in _shapes(band)] == ["rect"] and _shapes(band)[0]["y0"] == 1
    line = figures.sparkline(kpi("use_case_to_poc_rate"), ["2026-Q1", "2026-Q2"], [0.28, 0.31],
                             Target(min=0.3, strict_min=True))
    assert _shapes(line)[0]["type"] == "line" and _shapes(line)[0]["y0"] == 30  # shown in percent
    assert list(line.data[0].customdata) == ["28%", "31%"]  # hover values carry the unit


def test_unit_bars_name_status_and_target() -> None:
    rows = pd.DataFrame({"name": ["Insurance", "Retail"], "value": [0.76, 0.62], "status": ["green", "red"],
                         "value_text": ["76%", "62%"]})
    fig = figures.unit_bars(rows, kpi("practice_share"), Target(min=0.7), "practice hours (%)")
    assert list(fig.data[0].text) == ["✕ 62%", "✓ 76%"]
    assert fig.layout.xaxis.title.text.startswith("practice hours (%)<br>")
    assert "dashed line: target ≥ 70%" in fig.layout.xaxis.title.text
    assert _shapes(fig)[0]["x0"] == 70


def test_status_heatmap_cells_carry_symbol_and_value() -> None:
    matrix = pd.DataFrame([
        {"unit": "CIB", "label": "Practice share", "status": "green", "word": "On target", "value": "76%",
         "cell": "✓ 76%"},
        {"unit": "Ops", "label": "Practice share", "status": "red", "word": "Off target", "value": "40%",
         "cell": "✕ 40%"},
    ])
    fig = figures.status_heatmap(matrix)
    assert [list(row) for row in fig.data[0].text] == [["✓ 76%", "✕ 40%"]]


def test_funnel_has_no_status_colours_and_says_both_shares() -> None:
    stages = pd.DataFrame({"stage": ["identified", "qualified"], "reached": [10, 5],
                           "share_of_previous": [None, 0.5], "share_of_first": [1.0, 0.5],
                           "median_days": [None, 4.0], "p90_days": [None, 9.0]})
    fig = figures.funnel(stages)
    assert "50% of previous · 50% of identified" in fig.data[0].y[1]
    assert fig.layout.xaxis.title.text == "use cases (count)"
    status_colours = {s.hex for s in STATUS_STYLES.values()}
    assert not status_colours & set(fig.data[0].marker.color)


def test_queue_and_spokes_against_their_limits() -> None:
    queue = pd.DataFrame({"name": ["Hub", "Spoke"], "value": [4.0, None], "status": ["red", "green"],
                          "value_text": ["4.0 months", "–"]})
    fig = figures.ai_team_queue(queue, kpi("demand_queue_months"), Target(max=3))
    assert "✓ nobody waiting" in fig.data[0].text and "target ≤ 3 months" in _annotations(fig)
    spokes = pd.DataFrame({"team_name": ["A", "B"], "ai_staff": [1, 3]})
    staffing = figures.spoke_staffing(spokes, (2, 5))
    assert sorted(staffing.data[0].text) == ["1 · ✕ outside band", "3 · ✓ in band"]
    assert staffing.layout.xaxis.title.text == "AI staff in the spoke (people)"


def test_skills_figures_build_from_engine_frames() -> None:
    cells = pd.DataFrame({"group": ["ml_engineer", "data_scientist"], "skill": ["mlops", "python"],
                          "employees": [2, 3], "gap_mean": [1.0, -0.5], "below_required": [1, 0]})
    assert figures.gap_heatmap(cells).data[0].x == ("data scientist", "ml engineer")
    paths = pd.DataFrame({
        "employee_id": ["E1"], "path": ["analyst_to_ds"], "start_date": [pd.Timestamp("2026-01-01")],
        "completed_date": [pd.NaT], "guide_min_months": [6], "guide_max_months": [12],
        "elapsed_months": [8.9], "status": ["in_progress"], "on_track": [True],
    })
    timeline = figures.paths_timeline(paths, date(2026, 9, 30))
    assert timeline.data[1].text == ("✓ in progress, 8.9 months",)
    teams = pd.DataFrame({"team_id": ["T1", "T2"], "team_name": ["One", "Two"], "coverage": [0.4, 0.9],
                          "spend_per_learner": [1000.0, None], "large_gap_low_spend": [True, False],
                          "employees": [3, 2], "learners": [4, 0]})
    scatter = figures.coverage_vs_spend(teams, Target(min=2000, max=5000), 0.6, 2000)
    assert scatter.layout.yaxis.title.text == "skills coverage (%)"
    assert list(scatter.data[1].text) == ["One"]  # the flagged team is named


def test_org_treemap_words_each_team_status_and_marks_the_selected_team() -> None:
    picture = pd.DataFrame([
        {"business_unit": "A", "team_id": "T1", "team_name": "One", "team_kind": "business", "headcount": 10,
         "status": "none", "word": "Not measured", "value": "", "red": 0, "amber": 0, "green": 0},
        {"business_unit": "A", "team_id": "T2", "team_name": "Two", "team_kind": "business", "headcount": 5,
         "status": "red", "word": "Off target", "value": "42%", "red": 1, "amber": 0, "green": 0},
    ])
    fig = figures.org_treemap(picture, highlight="T2")
    assert "One<br>· Not measured" in fig.data[0].labels
    assert "<b>▶ Two</b><br>✕ 42%" in fig.data[0].labels  # the value, not only the word
    assert STATUS_STYLES[Status.RED].hex in fig.data[0].marker.colors


def _queue(rows: list[tuple]) -> pd.DataFrame:
    columns = ["period", "team_id", "name", "waiting", "value", "status", "value_text", "as_of"]
    return pd.DataFrame(rows, columns=columns)


def test_ai_team_queue_bars_say_how_many_wait() -> None:
    queue = _queue([("2026-Q3", "HUB", "Hub", 54, 4.0, "red", "4.0 months", None),
                    ("2026-Q3", "S1", "Spoke", 0, None, "green", "–", None)])
    fig = figures.ai_team_queue(queue, kpi("demand_queue_months"), Target(max=3))
    assert list(fig.data[0].y) == ["Spoke", "Hub"]  # the hub on top, as listed
    assert list(fig.data[0].text) == ["✓ nobody waiting", "✕ 4.0 months<br>54 waiting"]
    assert list(fig.data[0].textposition) == ["outside", "inside"]  # the long bar's words fit inside it


def test_ai_team_queue_trend_draws_wait_and_count_per_team_against_three_months() -> None:
    queue = _queue([
        ("2026-Q3", "HUB", "Hub", 54, 4.0, "red", "4.0 months", None),
        ("2026-Q4", "HUB", "Hub", 61, 6.0, "red", "6.0 months", date(2026, 11, 13)),
        ("2026-Q3", "S1", "Spoke", 0, None, "green", "–", None),
        ("2026-Q4", "S1", "Spoke", 2, 1.5, "green", "1.5 months", date(2026, 11, 13)),
    ])
    fig = figures.ai_team_queue_trend(queue, Target(max=3))
    waits, counts = fig.data[0], fig.data[1]
    assert waits.name == counts.name == "Hub" and list(counts.y) == [54, 61]
    assert list(waits.x) == ["Q3<br>2026", "Q4<br>2026<br>data to 13 Nov"]  # the quarter in progress says so
    assert list(fig.data[2].customdata) == ["✓ nobody waiting", "✓ 1.5 months"]
    assert _shapes(fig)[0]["y0"] == 3 and "3 months: the guide's alert" in _annotations(fig)
    assert fig.layout.yaxis.title.text == "median wait (months)"
    assert fig.layout.yaxis2.title.text == "use cases waiting"


def test_status_heatmap_marks_the_selected_team_and_has_a_minimum_width() -> None:
    matrix = pd.DataFrame([
        {"unit": u, "label": "Practice share", "status": "green", "word": "On target", "value": "76%",
         "cell": "✓ 76%"} for u in ("Claims", "Actuarial", "Sales")
    ])
    fig = figures.status_heatmap(matrix, highlight="Claims")
    assert list(fig.data[0].x) == ["Actuarial", "<b>▼ Claims</b>", "Sales"]
    assert figures.status_heatmap_width(matrix) == 230 + 3 * 84 + 20
