"""Targets, statuses and the direction of change (SPEC §3.2). Pure functions.

A target is a minimum, a maximum or a band [min, max]. With amber tolerance t a value
short of a bound by at most t relative to that bound is amber; further away it is red.
A maximum of 0 has no amber zone; hub_size has a fixed amber zone (`amber_max`) instead
of the tolerance. `no_data` (empty population) takes precedence over `info` (no target,
or a partial twelve-month window).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

# A value within one part in a billion of a bound is on the bound: means and sums of
# binary floats land a hair off values that are exact in decimals (0.1 + 0.2 + 0 over 3
# gives 0.20000000000000004), and that noise must not turn 20% amber, nor make a
# computed 30.000000000000004% pass a strict "> 30%". Nothing shown changes at that scale.
BOUND_REL_TOL = 1e-9
BOUND_ABS_TOL = 1e-12


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    INFO = "info"
    NO_DATA = "no_data"


class TargetKind(StrEnum):
    MIN = "min"
    MAX = "max"
    BAND = "band"


class TargetSource(StrEnum):
    GUIDE = "guide"
    DEFAULT = "default"
    OVERRIDE = "override"


class Change(StrEnum):
    """How a value moved against its target between two periods."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"


@dataclass(frozen=True)
class Target:
    """A minimum, a maximum or a band. `strict_min`: the value must exceed `min`.

    `amber_max`, when set, replaces the tolerance above `max` by a fixed amber zone
    max < value ≤ amber_max (hub_size).
    """

    min: float | None = None
    max: float | None = None
    strict_min: bool = False
    amber_max: float | None = None

    def __post_init__(self) -> None:
        if self.min is None and self.max is None:
            raise ValueError("a target needs a min, a max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"target min {self.min} is above its max {self.max}")
        if self.strict_min and self.min is None:
            raise ValueError("strict_min needs a min")

    @property
    def kind(self) -> TargetKind:
        if self.min is not None and self.max is not None:
            return TargetKind.BAND
        return TargetKind.MIN if self.min is not None else TargetKind.MAX

    def as_dict(self) -> dict[str, float | bool | None]:
        """The target as the result field of SPEC §3.1."""
        return {"min": self.min, "max": self.max, "strict_min": self.strict_min}


def on_bound(value: float, bound: float) -> bool:
    """True when `value` equals `bound` but for floating-point noise."""
    return math.isclose(value, bound, rel_tol=BOUND_REL_TOL, abs_tol=BOUND_ABS_TOL)


def _at_least(value: float, bound: float) -> bool:
    return value >= bound or on_bound(value, bound)


def _at_most(value: float, bound: float) -> bool:
    return value <= bound or on_bound(value, bound)


def meets_min(value: float, target: Target) -> bool:
    """True when `value` satisfies the target's minimum (or it has none)."""
    if target.min is None:
        return True
    if on_bound(value, target.min):
        return not target.strict_min
    return value > target.min


def meets_max(value: float, target: Target) -> bool:
    """True when `value` satisfies the target's maximum (or it has none)."""
    return target.max is None or _at_most(value, target.max)


def upper_amber_bound(target: Target, tolerance: float) -> float:
    """The largest value still amber above `max`: the fixed zone, else max·(1+t)."""
    assert target.max is not None
    if target.amber_max is not None:
        return max(target.amber_max, target.max)
    return target.max * (1 + tolerance)


def grade(value: float, target: Target, tolerance: float) -> Status:
    """Green, amber or red for a value against a target (unrounded comparison)."""
    if not meets_min(value, target):
        assert target.min is not None
        return Status.AMBER if _at_least(value, target.min * (1 - tolerance)) else Status.RED
    if not meets_max(value, target):
        return Status.AMBER if _at_most(value, upper_amber_bound(target, tolerance)) else Status.RED
    return Status.GREEN


def status_of(
    value: float | None,
    target: Target | None,
    tolerance: float,
    *,
    empty: bool,
    partial_window: bool = False,
    forced: Status | None = None,
) -> Status:
    """The status of one result, with SPEC §3.2's precedence.

    `forced` is a status the KPI's own definition imposes (the empty demand queue is
    green); otherwise an empty population is no_data, then a partial window or a missing
    target or value is info, then the value is graded.
    """
    if forced is not None:
        return forced
    if empty:
        return Status.NO_DATA
    if partial_window or target is None or value is None:
        return Status.INFO
    return grade(value, target, tolerance)


def distance_to_band(value: float, target: Target) -> float:
    """How far `value` is outside the target's bounds (0 inside)."""
    below = target.min - value if target.min is not None and value < target.min else 0.0
    above = value - target.max if target.max is not None and value > target.max else 0.0
    return max(below, above)


def relative_distance(value: float, target: Target) -> float:
    """How far `value` is outside its target, relative to the bound it violates (0 inside; the
    distance itself when that bound is 0)."""
    if target.min is not None and value < target.min:
        bound = target.min
    elif target.max is not None and value > target.max:
        bound = target.max
    else:
        return 0.0
    gap = abs(value - bound)
    return gap / abs(bound) if bound else gap


def change(target: Target | None, before: float | None, after: float | None) -> Change | None:
    """Whether `after` is better than `before`: higher for a min, lower for a max,
    closer to (or into) the band for a band. None without a target or a value."""
    if target is None or before is None or after is None:
        return None
    if target.kind is TargetKind.BAND:
        gain = distance_to_band(before, target) - distance_to_band(after, target)
    elif target.kind is TargetKind.MIN:
        gain = after - before
    else:
        gain = before - after
    if gain == 0:
        return Change.SAME
    return Change.BETTER if gain > 0 else Change.WORSE
