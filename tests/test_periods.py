"""Quarters: parsing, boundaries, shifts, T4Q windows and month durations (SPEC §1)."""

from datetime import date

import pytest

from aiorg_metrics.common.periods import Quarter, QuarterError, months_between, quarters_between


def test_parse_and_print():
    assert Quarter.parse("2026-Q3") == Quarter(2026, 3)
    assert Quarter.parse(" 2026-q1 ") == Quarter(2026, 1)
    assert str(Quarter(2026, 3)) == "2026-Q3"


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "2026Q3", "Q3-2026", "26-Q3", "2026-T3", ""])
def test_parse_refuses_with_how_to_write_it(text):
    with pytest.raises(QuarterError, match=r"is not a quarter: write it as 2026-Q3"):
        Quarter.parse(text)


def test_quarter_number_must_be_1_to_4():
    with pytest.raises(QuarterError):
        Quarter(2026, 5)


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
    ],
)
def test_first_and_last_day(quarter, first, last):
    q = Quarter.parse(quarter)
    assert (q.first_day, q.last_day) == (first, last)


def test_previous_next_and_year_ago_cross_years():
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2026, 1).year_ago() == Quarter(2025, 1)
    assert Quarter(2026, 2).shift(-6) == Quarter(2024, 4)


def test_t4q_window_start():
    assert Quarter(2026, 1).t4q_start == date(2025, 4, 1)
    assert Quarter(2026, 4).t4q_start == date(2026, 1, 1)
    assert Quarter(2026, 3).t4q_start == date(2025, 10, 1)


def test_containing_the_last_and_first_days():
    assert Quarter.containing(date(2026, 3, 31)) == Quarter(2026, 1)
    assert Quarter.containing(date(2026, 4, 1)) == Quarter(2026, 2)
    assert Quarter(2026, 1).contains(date(2026, 3, 31))
    assert not Quarter(2026, 1).contains(date(2026, 4, 1))


def test_quarters_between_inclusive_and_ordered():
    assert [str(q) for q in quarters_between(Quarter(2025, 3), Quarter(2026, 2))] == [
        "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2",
    ]
    assert list(quarters_between(Quarter(2026, 1), Quarter(2026, 1))) == [Quarter(2026, 1)]
    assert list(quarters_between(Quarter(2026, 2), Quarter(2026, 1))) == []


def test_quarters_order():
    assert Quarter(2025, 4) < Quarter(2026, 1) < Quarter(2026, 2)


def test_months_are_days_over_30_44():
    assert months_between(date(2026, 1, 1), date(2026, 1, 31)) == pytest.approx(30 / 30.44)
    assert months_between(date(2025, 10, 1), date(2026, 3, 31)) == pytest.approx(181 / 30.44)
    assert months_between(date(2026, 3, 31), date(2026, 3, 31)) == 0
