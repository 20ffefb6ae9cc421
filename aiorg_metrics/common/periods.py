"""Reporting periods: calendar quarters written `2026-Q3` (SPEC §1).

Q1 is January to March. "End of Q" is its last day and every date comparison is
inclusive. "T4Q ending Q" is the twelve months of the four quarters ending with Q.
Durations in months are days / 30.44.

Quarter arithmetic is integer arithmetic and never raises: a quarter beyond the calendar
(0000-Q4, 10000-Q1) is a valid value whose first and last days are clamped to the
calendar's first or last day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date

DAYS_PER_MONTH = 30.44
QUARTER_PATTERN = re.compile(r"\s*(\d{4})-[Qq]([1-4])\s*")
_LAST_DAY_OF_LAST_MONTH = {1: 31, 2: 30, 3: 30, 4: 31}  # 31 Mar, 30 Jun, 30 Sep, 31 Dec


def _calendar_day(year: int, month: int, day: int) -> date:
    if year < MINYEAR:
        return date.min
    if year > MAXYEAR:
        return date.max
    return date(year, month, day)


class QuarterError(ValueError):
    """A text that is not a quarter, or a quarter the data does not cover."""


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter; ordered, hashable, printed as `2026-Q3`."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise QuarterError(f"quarter number must be 1 to 4, not {self.number}")

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read `2026-Q3` (the `Q` in any case); QuarterError says how to write it."""
        match = QUARTER_PATTERN.fullmatch(text or "")
        if match is None:
            raise QuarterError(f"'{text}' is not a quarter: write it as 2026-Q3 (year, dash, Q1 to Q4)")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter `day` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-Q{self.number}"

    @property
    def first_day(self) -> date:
        """Its first day (the calendar's first or last day for a quarter beyond the calendar)."""
        return _calendar_day(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        """Its last day (the calendar's first or last day for a quarter beyond the calendar)."""
        return _calendar_day(self.year, 3 * self.number, _LAST_DAY_OF_LAST_MONTH[self.number])

    def shift(self, quarters: int) -> Quarter:
        """The quarter `quarters` later (earlier when negative)."""
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)

    def next(self) -> Quarter:
        return self.shift(1)

    def previous(self) -> Quarter:
        return self.shift(-1)

    def year_ago(self) -> Quarter:
        return self.shift(-4)

    @property
    def t4q_start(self) -> date:
        """First day of the twelve-month window of the four quarters ending with this one."""
        return self.shift(-3).first_day

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def quarters_between(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    """Every quarter from `first` to `last`, both included, in order."""
    current = first
    while current <= last:
        yield current
        current = current.next()


def months_between(start: date, end: date) -> float:
    """Duration from `start` to `end` in months of 30.44 days."""
    return (end - start).days / DAYS_PER_MONTH
