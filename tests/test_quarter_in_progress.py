"""A quarter in progress (SPEC §3.2): "end of Q" reads as the data's last day, results carry `as_of`.

Hand-made store, today pinned (conftest: 2026-11-29, so 2026-Q4 is in progress). Use cases:

| uc | identified | qualified  | PoC start  | waiting at 2026-09-30 | at 2026-11-13 (data's last day) | at 2026-12-31 |
|----|------------|------------|------------|-----------------------|---------------------------------|---------------|
| U0 | 2026-07-01 | 2026-08-01 | 2026-10-05 | 60 days               | no (PoC started)                | no            |
| U1 | 2026-09-01 | 2026-10-01 | —          | not yet qualified     | 43 days                         | 91 days       |
| U2 | 2026-10-15 | 2026-10-20 | —          | —                     | 24 days                         | 72 days       |
| U3 | 2026-11-13 | —          | —          | —                     | not qualified                   | —             |

Queue at 2026-Q4 to date: median(43, 24) = 33.5 days; were 31 Dec read, median(91, 72) = 81.5 days.
"""

from __future__ import annotations

from datetime import date

import pytest
from kpi_fixtures import D, make_store, poc, use_case

from aiorg_metrics.analysis.funnel import compute_funnel
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.kpi import Coverage, as_of_day, compute, quarter_end, scorecard_rows
from aiorg_metrics.kpi.status import Status

Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)
LAST = date(2026, 11, 13)


@pytest.fixture
def queue(tmp_path):
    return make_store(
        tmp_path,
        use_cases=[
            use_case("U0", "2026-07-01", qualified_date="2026-08-01"),
            use_case("U1", "2026-09-01", qualified_date="2026-10-01"),
            use_case("U2", "2026-10-15", qualified_date="2026-10-20"),
            use_case("U3", "2026-11-13"),
        ],
        poc_conversions=[poc("P0", "U0", "2026-10-05")],
    )


def _queue(store, quarter: Quarter):
    return next(r for r in compute(store, quarter, kpi_ids=["demand_queue_months"]) if r.scope == "org")


def test_as_of_day_is_the_data_last_day_while_the_quarter_runs():
    span = Coverage(date(2025, 1, 2), LAST)
    assert as_of_day(span, Q4, date(2026, 11, 29)) == LAST
    assert as_of_day(span, Q4, date(2026, 12, 30)) == LAST
    assert as_of_day(span, Q4, date(2026, 12, 31)) is None  # on its last day, the quarter has ended
    assert as_of_day(span, Q3, date(2026, 11, 29)) is None
    assert quarter_end(span, Q4, date(2026, 11, 29)) == LAST
    assert quarter_end(span, Q3, date(2026, 11, 29)) == date(2026, 9, 30)
    # data beyond the quarter (future-dated rows): capped at the quarter's end
    assert as_of_day(Coverage(date(2025, 1, 2), date(2027, 2, 1)), Q4, date(2026, 11, 29)) == date(2026, 12, 31)


def test_queue_age_is_measured_to_the_data_last_day_not_31_december(queue):
    r = _queue(queue, Q4)
    assert r.value == pytest.approx(33.5 / 30.44)  # median(43, 24) days; at 31 Dec it would be 81.5
    assert (r.n, r.as_of, r.status) == (2, LAST, Status.GREEN)
    assert r.previous == pytest.approx(60 / 30.44)  # 2026-Q3 is finished: U0 at 30 Sep


def test_a_finished_quarter_reads_its_own_end(queue, monkeypatch):
    monkeypatch.setenv("AIORG_TODAY", "2027-01-15")
    r = _queue(queue, Q4)
    assert r.value == pytest.approx(81.5 / 30.44)  # median(91, 72) days at 31 Dec
    assert r.as_of is None


def test_previous_quarter_keeps_its_own_end(queue):
    r = _queue(queue, Q3)
    assert (r.value, r.as_of) == (pytest.approx(60 / 30.44), None)


def test_json_carries_as_of_for_the_quarter_in_progress_only(queue):
    in_progress = scorecard_rows(queue, "2026-Q4", by="team")
    assert {row["as_of"] for row in in_progress} == {"2026-11-13"}
    finished = scorecard_rows(queue, "2026-Q3")
    assert {row["as_of"] for row in finished} == {None}


def test_funnel_state_is_as_of_the_data_last_day(queue):
    with queue.reading() as cur:
        funnel = compute_funnel(cur, Q4)
    assert funnel.as_of == LAST
    waiting = funnel.waiting.set_index("use_case_id")
    assert waiting.loc["U1", "age_days"] == 43  # qualified 1 Oct, seen on 13 Nov
    assert waiting.loc["U3", "age_days"] == 0
    assert funnel.to_dict()["as_of"] == "2026-11-13"


def test_table_says_the_quarter_is_in_progress(queue, capsys):
    from aiorg_metrics.cli import main

    assert main(["kpis", "--db", str(queue.path), "--quarter", "2026-Q4", "--format", "table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["kpi", "scope"]
    assert lines[-1] == ("2026-Q4 in progress: data up to 13 Nov. Values are to date; the previous and "
                         "year-ago columns are whole quarters.")


def test_a_reconversion_path_is_measured_to_the_data_last_day(tmp_path):
    from aiorg_metrics.analysis.skills import path_pairs

    # fullstack_to_ai_engineer: at most 6 months (182.64 days). Started 15 May, not completed: 182 days on
    # 13 Nov (on track), 230 on 31 Dec (late). The KPI and the skills page's path table agree.
    path = {"date": D("2026-05-15"), "employee_id": "E1", "team_id": "T1", "format": "practice", "hours": 1.0,
            "cost_eur": 0.0, "path": "fullstack_to_ai_engineer", "path_start_date": D("2026-05-15")}
    store = make_store(tmp_path, training_spend=[path], use_cases=[use_case("U3", "2026-11-13")])
    kpi = next(r for r in compute(store, Q4, kpi_ids=["upskilling_on_track"]) if r.scope == "org")
    assert (kpi.value, kpi.n, kpi.as_of) == (1.0, 1, LAST)
    with store.reading() as cur:
        pair = path_pairs(cur, Q4).iloc[0]
    assert (pair["elapsed_months"], bool(pair["on_track"])) == (pytest.approx(182 / 30.44), True)
