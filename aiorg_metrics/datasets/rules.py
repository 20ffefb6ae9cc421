"""Cross-field and reference rules, declared on the row models as data.

A row rule is checked twice from one declaration: in Python on a parsed row (the row
model's own validator) and compiled to a SQL condition for bulk validation. Cross-field
rules are checked only once every value of the row could be read.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from aiorg_metrics.common import clock
from aiorg_metrics.datasets.problems import Level

SqlExpr = Callable[[str], str]


@dataclass(frozen=True)
class _ColumnPair:
    """A rule on two columns of one row, broken when both are filled and `column <op> other` holds."""

    column: str
    other: str
    level: Level = Level.ERROR
    op: ClassVar[str]

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.other)

    def violated(self, row: dict[str, Any]) -> bool:
        a, b = row.get(self.column), row.get(self.other)
        return a is not None and b is not None and _COMPARE[self.op](a, b)

    def sql(self, c: SqlExpr) -> str:
        return f"({c(self.column)} {self.op} {c(self.other)})"


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {">": operator.gt, "<": operator.lt}


@dataclass(frozen=True)
class NotAbove(_ColumnPair):
    """`column` must not exceed `other` (e.g. ai_staff ≤ headcount)."""

    op: ClassVar[str] = ">"

    def reason(self) -> tuple[str, str]:
        return (f"{self.column} is larger than {self.other}.", f"Make {self.column} at most {self.other}.")


@dataclass(frozen=True)
class NotBefore(_ColumnPair):
    """Date `column`, when filled, must be on or after date `other`."""

    op: ClassVar[str] = "<"

    def reason(self) -> tuple[str, str]:
        if self.level is Level.WARNING:
            return (f"{self.column} is before {self.other}.", "Check both dates; the row is stored as it is.")
        return (f"{self.column} is before {self.other}.", f"Use a {self.column} on or after {self.other}.")


def _when_text(when: str, values: tuple[str, ...] | None) -> str:
    if values is None:
        return f"{when} is filled"
    return f"{when} is " + " or ".join(values)


def sql_list(values: tuple[str, ...]) -> str:
    """Registry constants (enum values) as a SQL list of literals."""
    return ", ".join("'" + v + "'" for v in values)


def _when_sql(c: SqlExpr, when: str, values: tuple[str, ...] | None) -> str:
    if values is None:
        return f"({c(when)} IS NOT NULL)"
    return f"(coalesce({c(when)} IN ({sql_list(values)}), false))"


def _when_py(row: dict[str, Any], when: str, values: tuple[str, ...] | None) -> bool:
    v = row.get(when)
    if values is None:
        return v is not None
    return v is not None and str(v) in values


@dataclass(frozen=True)
class _Conditional:
    """A rule on `column` that depends on whether `when` has one of `values` (any value when None)."""

    column: str
    when: str
    values: tuple[str, ...] | None = None
    level: Level = Level.ERROR

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column, self.when)

    def _condition(self) -> str:
        return _when_text(self.when, self.values)


class RequiredWhen(_Conditional):
    """`column` must be filled when `when` has one of `values` (any value when None)."""

    def violated(self, row: dict[str, Any]) -> bool:
        return _when_py(row, self.when, self.values) and row.get(self.column) is None

    def sql(self, c: SqlExpr) -> str:
        return f"({_when_sql(c, self.when, self.values)} AND {c(self.column)} IS NULL)"

    def reason(self) -> tuple[str, str]:
        return (f"{self.column} is required when {self._condition()}.",
                f"Fill in {self.column}, or correct {self.when}.")


class EmptyUnless(_Conditional):
    """`column` must stay empty unless `when` has one of `values` (any value when None)."""

    def violated(self, row: dict[str, Any]) -> bool:
        return row.get(self.column) is not None and not _when_py(row, self.when, self.values)

    def sql(self, c: SqlExpr) -> str:
        return f"({c(self.column)} IS NOT NULL AND NOT {_when_sql(c, self.when, self.values)})"

    def reason(self) -> tuple[str, str]:
        return (f"{self.column} must be empty unless {self._condition()}.",
                f"Empty {self.column}, or correct {self.when}.")


@dataclass(frozen=True)
class NotAfterToday:
    """Date `column` after the day of the import: stored, with a warning (a year ahead or more is an error).

    Not declared by hand: the registry gives every date and month column one.
    """

    column: str
    level: Level = Level.WARNING

    @property
    def columns(self) -> tuple[str, ...]:
        return (self.column,)

    def violated(self, row: dict[str, Any]) -> bool:
        value = row.get(self.column)
        return value is not None and value > clock.today()

    def sql(self, c: SqlExpr) -> str:
        return f"({c(self.column)} > DATE '{clock.today().isoformat()}')"

    def reason(self) -> tuple[str, str]:
        return (
            f"{self.column} is after today ({clock.today().isoformat()}).",
            "Check the date; the row is stored as it is.",
        )


RowRule = NotAbove | NotBefore | RequiredWhen | EmptyUnless | NotAfterToday


@dataclass(frozen=True)
class Reference:
    """`column` points at `target_column` of dataset `target`.

    `missing` is the level when the target dataset has rows but not this one (a target
    dataset with no rows at all always gives a warning: the row is stored unresolved).
    `kinds` restricts the referenced team's team_kind, at level `kind_level`.
    """

    column: str
    target: str
    target_column: str
    missing: Level = Level.ERROR
    kinds: tuple[str, ...] = ()
    kind_level: Level = Level.ERROR
