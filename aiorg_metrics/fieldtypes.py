"""Column types of the row models, and the problem kinds they raise.

Values reach the models as canonical text (see `normalize.py`): ISO dates, '.' decimals,
lower-case enums. Each type parses that text strictly and raises a `PydanticCustomError`
whose type is one of `ProblemKind`, so the row-by-row path and the vectorized SQL path
(`validation.py`) report the very same problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError


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
    RULE = "rule"


INT_PATTERN = r"[+-]?[0-9]+"
FLOAT_PATTERN = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _fail(kind: ProblemKind) -> PydanticCustomError:
    return PydanticCustomError(kind.value, kind.value)


def _parse_int(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(INT_PATTERN, value):
            raise _fail(ProblemKind.NOT_INT)
        return int(value)
    return value


def _parse_float(value: Any) -> Any:
    if isinstance(value, str):
        if not re.fullmatch(FLOAT_PATTERN, value):
            raise _fail(ProblemKind.NOT_NUMBER)
        return float(value)
    return value


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


@dataclass(frozen=True)
class TypeTag:
    """Marks an annotated type with its column type, read back by the registry."""

    type: ColumnType


WholeNumber = Annotated[int, BeforeValidator(_parse_int), TypeTag(ColumnType.INT)]
Number = Annotated[float, BeforeValidator(_parse_float), TypeTag(ColumnType.FLOAT)]
IsoDate = Annotated[date, BeforeValidator(_parse_date(ProblemKind.NOT_DATE)), TypeTag(ColumnType.DATE)]
MonthStart = Annotated[date, BeforeValidator(_parse_date(ProblemKind.NOT_MONTH)), TypeTag(ColumnType.MONTH)]
