"""Every quarter a user can ask for is answered or refused naming the covered range (SPEC §1, issue 8):
quarter arithmetic never raises, the CLI exits 3 with a message, a link's bad quarter is said and replaced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from app_support import open_app, use_sample_store

from aiorg_metrics.cli import main
from aiorg_metrics.common.periods import Quarter, quarters_between

SAMPLE_RANGE = "the store covers 2025-Q1 to 2026-Q4 (dated rows from 2025-01-06 to 2026-11-13)"


# --- arithmetic ----------------------------------------------------------------------------------------


def test_the_calendar_edges_shift_without_raising():
    assert Quarter(9999, 4).next() == Quarter(10000, 1)
    assert Quarter(1, 1).previous() == Quarter(0, 4)
    assert Quarter(1, 2).year_ago() == Quarter(0, 2)
    assert (Quarter(9999, 4).first_day, Quarter(9999, 4).last_day) == (date(9999, 10, 1), date(9999, 12, 31))
    assert (Quarter(1, 1).first_day, Quarter(1, 1).last_day) == (date(1, 1, 1), date(1, 3, 31))


def test_quarters_beyond_the_calendar_clamp_their_days():
    assert (Quarter(10000, 1).first_day, Quarter(10000, 1).last_day) == (date.max, date.max)
    assert (Quarter(0, 4).first_day, Quarter(0, 4).last_day) == (date.min, date.min)
    assert Quarter(1, 1).t4q_start == date.min
    assert not Quarter(10000, 1).contains(date(2026, 1, 1))


def test_quarters_print_four_digit_years():
    assert str(Quarter(1, 1)) == "0001-Q1"
    assert str(Quarter.parse("0000-q4")) == "0000-Q4"
    assert str(Quarter(10000, 1)) == "10000-Q1"


@pytest.mark.parametrize("year", [-3, 0, 1, 2000, 2026, 9998, 9999, 10000, 10003])
def test_no_shift_of_any_quarter_raises(year):
    for number in (1, 2, 3, 4):
        for quarters in (-9, -4, -1, 0, 1, 4, 9):
            q = Quarter(year, number).shift(quarters)
            assert q.first_day <= q.last_day
            assert q.t4q_start <= q.last_day
    assert [str(q) for q in quarters_between(Quarter(9999, 3), Quarter(10000, 1))] == [
        "9999-Q3", "9999-Q4", "10000-Q1",
    ]


def test_last_days_of_each_quarter_leap_year_included():
    assert [Quarter(2028, n).last_day for n in (1, 2, 3, 4)] == [
        date(2028, 3, 31), date(2028, 6, 30), date(2028, 9, 30), date(2028, 12, 31),
    ]


# --- the CLI -------------------------------------------------------------------------------------------


@pytest.fixture
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    return use_sample_store(tmp_path, monkeypatch)


@pytest.mark.parametrize("command", ["kpis", "funnel", "advisor", "skills"])
@pytest.mark.parametrize("quarter", ["9999-Q4", "0001-Q1", "0000-Q1", "1999-Q4", "2027-Q1"])
def test_cli_refuses_a_quarter_outside_the_data_naming_the_range(capsys, sample_db, command, quarter):
    code = main([command, "--db", str(sample_db), "--quarter", quarter])
    out, err = capsys.readouterr()
    assert code == 3
    assert err == f"error: {quarter} is outside the data: {SAMPLE_RANGE}\n"
    assert out == ""


@pytest.mark.parametrize("command", ["kpis", "funnel", "advisor", "skills"])
def test_cli_refuses_a_malformed_quarter(capsys, sample_db, command):
    try:
        code = main([command, "--db", str(sample_db), "--quarter", "2026-Q5"])
    except SystemExit as exit_:  # refused while parsing the arguments (argument type)
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 3
    assert "'2026-Q5' is not a quarter: write it as 2026-Q3 (year, dash, Q1 to Q4)" in err
    assert "Traceback" not in err


def test_funnel_from_a_quarter_after_the_reported_one_is_refused(capsys, sample_db):
    code = main(["funnel", "--db", str(sample_db), "--quarter", "2026-Q3", "--from", "9999-Q4"])
    assert code == 3
    assert capsys.readouterr().err == "error: identification period starts (9999-10-01) after it ends (2026-09-30)\n"


def test_funnel_from_the_first_year_of_the_calendar_is_answered(capsys, sample_db):
    code = main(["funnel", "--db", str(sample_db), "--quarter", "2026-Q3", "--from", "0001-Q1"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("Funnel 2026-Q3: use cases identified 0001-01-01 to 2026-09-30")


# --- a link naming a quarter ---------------------------------------------------------------------------


def _notices(at) -> list[str]:
    return [w.value for w in at.warning if "The link asks for" in w.value]


@pytest.mark.parametrize(
    ("asked", "notice"),
    [
        ("9999-Q4", "The link asks for 9999-Q4, a quarter outside the data. The data covers 2025-Q1 to 2026-Q4: "
                    "showing 2026-Q3 instead."),
        ("2026-Q9", "The link asks for quarter “2026\\-Q9”, which is not a quarter (write it as 2026-Q3). The data "
                    "covers 2025-Q1 to 2026-Q4: showing 2026-Q3 instead."),
        ("[x](http://e.com)", "The link asks for quarter “\\[x\\]\\(http\\:"),  # shown as typed, not a link
    ],
)
def test_a_link_with_a_bad_quarter_says_so_and_shows_the_default(sample_db, asked, notice):
    at = open_app({"quarter": asked})
    assert not at.exception
    notices = _notices(at)
    assert len(notices) == 1 and notices[0].startswith(notice)
    assert at.query_params["quarter"] == "2026-Q3"
    assert at.selectbox(key="quarter").value == "2026-Q3"


def test_a_link_with_a_covered_quarter_opens_on_it_without_a_notice(sample_db):
    at = open_app({"quarter": "2025-Q2"})
    assert not at.exception and _notices(at) == []
    assert at.selectbox(key="quarter").value == "2025-Q2"
