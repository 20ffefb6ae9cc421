"""Problems found in an import, worded for a business analyst.

Every problem names the file line, the column, the value, why it is wrong and how to
fix it. The wording of column-level problems lives here only, so that both validation
paths (row models and vectorized SQL) produce identical messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .fieldtypes import EARLIEST_DATE, ProblemKind, latest_date
from .textchars import control_char_text


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


def _short(value: str) -> str:
    """A value short enough for a one-line message (a 400-digit number is cut, its length given)."""
    if len(value) <= MAX_SHOWN:
        return value
    return f"{value[:40]}… ({len(value)} characters)"


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
