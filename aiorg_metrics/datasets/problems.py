"""Problems found in an import, worded for a business analyst.

Every problem names the file line, the column, the value, why it is wrong and how to
fix it. The wording of column-level problems lives here only, so that both validation
paths (row models and vectorized SQL) produce identical messages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from aiorg_metrics.common.textchars import control_char_text
from aiorg_metrics.datasets.fieldtypes import EARLIEST_DATE, ProblemKind, latest_date


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    line: int | None
    column: str
    value: str
    reason: str
    fix: str
    level: Level = Level.ERROR

    def as_text(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        col = f", column {self.column}" if self.column else ""
        val = f", value '{_short(self.value)}'" if self.value != "" else ""
        return f"{self.level.upper()} {where}{col}{val}: {self.reason} {self.fix}".rstrip()

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level.value,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
            "fix": self.fix,
        }


MAX_SHOWN = 60
# A problem's value longer than this is cut in SQL before it reaches Python (a 1 MiB title is
# not copied a thousand times); the cut value reads as `_short` would print it.
MAX_KEPT = 1000
_CUT = re.compile(r".{40}… \(\d+ characters\)", re.DOTALL)


def _short(value: str) -> str:
    """A value short enough for a one-line message (a 400-digit number is cut, its length given)."""
    if len(value) <= MAX_SHOWN or _CUT.fullmatch(value):
        return value
    return f"{value[:40]}… ({len(value)} characters)"


def kept_sql(expr: str) -> str:
    """SQL for a problem's value as kept: whole up to `MAX_KEPT` characters, else cut as `_short` cuts it."""
    return (
        f"CASE WHEN length({expr}) > {MAX_KEPT} THEN left({expr}, 40) || '… (' || length({expr}) || ' characters)' "
        f"ELSE {expr} END"
    )


MAX_LISTED = 1000  # problems listed one by one per file; the others are counted by column and reason


@dataclass(frozen=True)
class ProblemCount:
    """Problems of one kind beyond the first `MAX_LISTED`: counted, not listed."""

    level: Level
    column: str
    reason: str  # the kind of problem, without the value ("more than a year after today")
    count: int

    def as_text(self) -> str:
        where = f"in column {self.column}" if self.column else "in whole rows"
        return f"{self.count:,} {where} ({self.reason})"


_VALUES = re.compile(r"'[^']*'|\([^)]*\)")  # quoted values and parenthesized details in a reason
GroupKey = tuple[Level, str, str]  # (level, column, reason without the value)


class ProblemCollector:
    """Problems from several checks, of which only the first `limit` (by line) are kept as objects.

    Each check adds the problems it materialized (at most `limit`, fetched in line order with a
    SQL LIMIT) and how many of each group it found in all; `finish` keeps the first `limit`
    overall and counts the rest per (level, column, reason), so a file with two million
    problems costs a thousand objects.
    """

    def __init__(self, limit: int | None = MAX_LISTED) -> None:
        self.limit = limit
        self.items: list[tuple[Problem, GroupKey]] = []
        self.totals: Counter[GroupKey] = Counter()

    def add(self, key: GroupKey, problems: Iterable[Problem], total: int | None = None) -> None:
        """Problems of one group; `total`: how many the group has in all (default: those given)."""
        listed = list(problems)
        self.items += [(p, key) for p in listed]
        self.totals[key] += len(listed) if total is None else total

    def add_each(self, problems: Iterable[Problem]) -> None:
        """Problems of a check that materializes its own list: grouped by their reason without the values."""
        for p in problems:
            self.add((p.level, p.column, _VALUES.sub("…", p.reason).rstrip(".")), [p])

    def finish(self, order: Callable[[Problem], object]) -> tuple[list[Problem], list[ProblemCount]]:
        """The first `limit` problems in `order`, and the count of the others per group."""
        items = sorted(self.items, key=lambda item: order(item[0]))
        kept = items if self.limit is None else items[: self.limit]
        shown = Counter(key for _, key in kept)
        more = [
            ProblemCount(level, column, reason, total - shown[(level, column, reason)])
            for (level, column, reason), total in self.totals.items()
            if total > shown[(level, column, reason)]
        ]
        more.sort(key=lambda c: (c.level is not Level.ERROR, -c.count, c.column, c.reason))
        return [p for p, _ in kept], more


@dataclass(frozen=True)
class ColumnRule:
    """What a column accepts, as shown in messages and the column reference."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    allowed: tuple[str, ...] = ()

    def range_text(self) -> str:
        low = f"greater than {_num(self.minimum)}" if self.exclusive_minimum else None
        if self.minimum is not None and self.maximum is not None and not self.exclusive_minimum:
            return f"between {_num(self.minimum)} and {_num(self.maximum)}"
        if low and self.maximum is not None:
            return f"{low} and at most {_num(self.maximum)}"
        if low:
            return low
        if self.minimum is not None:
            return f"{_num(self.minimum)} or more"
        if self.maximum is not None:
            return f"{_num(self.maximum)} or less"
        return ""


def _num(x: float | None) -> str:
    """A bound as an analyst writes it: 24, 0.5, 10 000 000 (space thousands separators)."""
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}".replace(",", " ")
    return f"{x:g}"


SCIENTIFIC = r"[+-]?[0-9]*[.,]?[0-9]+[eE][+-]?[0-9]+"  # 1e308, 1,5E+12 as spreadsheets write big numbers


def column_problem_text(kind: ProblemKind, rule: ColumnRule, value: str = "") -> tuple[str, str]:
    """(reason, fix) for a value that breaks its column's own rule (`value`: the cell as written)."""
    if kind is ProblemKind.REQUIRED:
        return "A value is required here.", "Fill in this cell."
    if kind in (ProblemKind.NOT_INT, ProblemKind.NOT_NUMBER) and re.fullmatch(SCIENTIFIC, value.strip()):
        return (
            "Numbers in scientific notation are not read.",
            "Write the number in full (format the column as a plain number before exporting).",
        )
    if kind is ProblemKind.NOT_INT:
        return "This is not a whole number.", "Write a whole number such as 12 (no decimals)."
    if kind is ProblemKind.NOT_NUMBER:
        return "This is not a number.", "Write a number such as 1250.50 or 1 250,50 (EUR sign optional)."
    if kind is ProblemKind.NOT_DATE:
        return "This is not a valid date.", "Write a real date as 2026-03-31 or 31/03/2026."
    if kind is ProblemKind.NOT_MONTH:
        return "This is not a valid month.", "Write a month as 2026-03 or 03/2026."
    if kind is ProblemKind.NOT_IN_ENUM:
        return (
            "This value is not allowed.",
            "Use one of: " + ", ".join(rule.allowed) + " (any letter case).",
        )
    if kind is ProblemKind.RANGE:
        return f"The value must be {rule.range_text()}.", "Correct the value."
    if kind is ProblemKind.CONTROL_CHAR:
        return control_char_text(value)
    raise ValueError(kind)


KIND_SUMMARY = {
    ProblemKind.REQUIRED: "value missing",
    ProblemKind.NOT_INT: "not a whole number",
    ProblemKind.NOT_NUMBER: "not a number",
    ProblemKind.NOT_DATE: "not a valid date",
    ProblemKind.NOT_MONTH: "not a valid month",
    ProblemKind.NOT_IN_ENUM: "value not allowed",
    ProblemKind.DATE_TOO_EARLY: f"before {EARLIEST_DATE.isoformat()}",
    ProblemKind.DATE_TOO_LATE: "more than a year after today",
    ProblemKind.CONTROL_CHAR: "holds a control character",
}


def kind_summary(kind: ProblemKind, rule: ColumnRule) -> str:
    """A column problem's kind in a few words, for counts of problems not listed."""
    if kind is ProblemKind.RANGE:
        return f"must be {rule.range_text()}"
    return KIND_SUMMARY[kind]


def implausible_date_text(kind: ProblemKind, value: date, today: date, month: bool) -> tuple[str, str]:
    """(reason, fix) for a date or month before 2000 or more than a year after `today`."""
    shown = _date_text(value, month)
    what = "a month" if month else "a date"
    accepted = f"Use {what} from {_date_text(EARLIEST_DATE, month)} to {_date_text(latest_date(today), month)}."
    if kind is ProblemKind.DATE_TOO_EARLY:
        return f"{shown} is before {_date_text(EARLIEST_DATE, month)}: a typo?", accepted
    if kind is ProblemKind.DATE_TOO_LATE:
        return f"{shown} is more than a year after today ({today.isoformat()}): a typo?", accepted
    raise ValueError(kind)


def _date_text(value: date, month: bool) -> str:
    return f"{value.year:04d}-{value.month:02d}" if month else value.isoformat()
