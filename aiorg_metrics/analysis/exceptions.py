"""Exceptions under totals: a KPI on target for a scope while some of the scopes one level down are
not (the organization green, a business unit red; a business unit green, one of its teams amber).

A total can hide a unit far off target when the others carry it; the review must say so. The
scopes one level down are the business units under the organization (and, for the demand queue,
the AI teams that serve it), the teams under a business unit. Pure functions over KPI results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from aiorg_metrics.kpi import KpiResult
from aiorg_metrics.kpi.status import Status, relative_distance

OFF_TARGET = (Status.RED, Status.AMBER)


def gap(result: KpiResult) -> float:
    """How far a result is outside its target, relative to the bound it violates (0 without one)."""
    if result.value is None or result.target is None:
        return 0.0
    return relative_distance(result.value, result.target)


@dataclass(frozen=True)
class Hidden:
    """A total on target and the results one level down that are not, largest gap first."""

    total: KpiResult
    below: tuple[KpiResult, ...]

    @property
    def kpi(self) -> str:
        return self.total.kpi

    @property
    def gap(self) -> float:
        """The largest gap among the results below (what orders the exceptions)."""
        return gap(self.below[0])


def hidden_under(total: KpiResult, below: Iterable[KpiResult]) -> Hidden | None:
    """The exception of `total` when it is green while some of `below` (its KPI's rows one level
    down) are amber or red; None otherwise."""
    if total.status is not Status.GREEN:
        return None
    off = [r for r in below if r.kpi == total.kpi and r.status in OFF_TARGET]
    if not off:
        return None
    off.sort(key=lambda r: (-gap(r), r.status is not Status.RED, r.scope_value or ""))
    return Hidden(total, tuple(off))


def hidden_by_totals(totals: Iterable[KpiResult], below: Iterable[KpiResult]) -> list[Hidden]:
    """Every exception among `totals` (one result per KPI at one scope), largest gap first."""
    rows = list(below)
    found = [h for t in totals if (h := hidden_under(t, rows)) is not None]
    return sorted(found, key=lambda h: (-h.gap, h.kpi))
