"""Column types of the row models, and the problem kinds they raise.

Values reach the models as canonical text (see `normalize.py`): ISO dates, '.' decimals,
lower-case enums. Each type parses that text strictly and raises a `PydanticCustomError`
whose type is one of `ProblemKind`, so the row-by-row path and the vectorized SQL path
(`validation.py`) report the very same problems.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from aiorg_metrics.common import clock


class ColumnType(StrEnum):
    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    MONTH = "month"
    ENUM = "enum"


class ProblemKind(StrEnum):
    REQUIRED = "required"
    NOT_INT = "not_int"
    NOT_NUMBER = "not_number"
    NOT_DATE = "not_date"
    NOT_MONTH = "not_month"
    NOT_IN_ENUM = "not_in_enum"
    RANGE = "range"
    DATE_TOO_EARLY = "date_too_early"
    DATE_TOO_LATE = "date_too_late"
    CONTROL_CHAR = "control_char"  # a value holding a control character (see textchars.py)
    RULE = "rule"


# Plausible dates and bounded numbers (SPEC §1), declared once for both validation paths.
EARLIEST_DATE = date(2000, 1, 1)
MAX_EUR = 10**12
MAX_HOURS = 10**4
MAX_PEOPLE = 10**7


def latest_date(today: date) -> date:
    """The last plausible date: one year after `today` (28 February for a 29 February; the
    calendar's last day when a year after is beyond it)."""
    if today.year >= date.max.year:
        return date.max
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def implausible(value: date, today: date) -> ProblemKind | None:
    """Why `value` cannot be a real date of this product (before 2000, or over a year ahead), if so."""
    if value < EARLIEST_DATE:
        return ProblemKind.DATE_TOO_EARLY
    if value > latest_date(today):
        return ProblemKind.DATE_TOO_LATE
    return None


INT_PATTERN = r"[+-]?[0-9]+"
FLOAT_PATTERN = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
NON_FINITE_PATTERN = r"(?i)[+-]?(inf|infinity|nan)"  # read as out of range, the same in Python and DuckDB


def _fail(kind: ProblemKind, context: dict[str, Any] | None = None) -> PydanticCustomError:
    return PydanticCustomError(kind.value, kind.value, context)


def _number_parser(pattern: str, kind: ProblemKind, convert: Callable[[str], float | int]) -> Callable[[Any], Any]:
    """A parser of canonical number text: non-finite or overflowing values are out of range."""

    def parse(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if re.fullmatch(NON_FINITE_PATTERN, value):
            raise _fail(ProblemKind.RANGE)
        if not re.fullmatch(pattern, value):
            raise _fail(kind)
        parsed = convert(value) + 0  # "-0" is 0, not -0.0
        if isinstance(parsed, float) and not math.isfinite(parsed):  # hundreds of digits overflow to infinity
            raise _fail(ProblemKind.RANGE)
        return parsed

    return parse


_parse_int = _number_parser(INT_PATTERN, ProblemKind.NOT_INT, int)
_parse_float = _number_parser(FLOAT_PATTERN, ProblemKind.NOT_NUMBER, float)


def _parse_date(kind: ProblemKind):
    def parse(value: Any) -> Any:
        if isinstance(value, str):
            if not re.fullmatch(DATE_PATTERN, value):
                raise _fail(kind)
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                raise _fail(kind) from None
            return parsed.replace(day=1) if kind is ProblemKind.NOT_MONTH else parsed
        return value

    return parse


def _plausible(value: date) -> date:
    problem = implausible(value, clock.today())
    if problem is not None:
        raise _fail(problem, {"parsed": value})
    return value


@dataclass(frozen=True)
class TypeTag:
    """Marks an annotated type with its column type, read back by the registry."""

    type: ColumnType


WholeNumber = Annotated[int, BeforeValidator(_parse_int), TypeTag(ColumnType.INT)]
Number = Annotated[float, BeforeValidator(_parse_float), TypeTag(ColumnType.FLOAT)]
IsoDate = Annotated[
    date, BeforeValidator(_parse_date(ProblemKind.NOT_DATE)), AfterValidator(_plausible), TypeTag(ColumnType.DATE)
]
MonthStart = Annotated[
    date, BeforeValidator(_parse_date(ProblemKind.NOT_MONTH)), AfterValidator(_plausible), TypeTag(ColumnType.MONTH)
]
