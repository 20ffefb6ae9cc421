"""How KPI values, targets, statuses and changes read on screen. Pure functions, no Streamlit.

- A status always travels with a word and a symbol, never a colour alone.
- A value is shown with one more decimal when it lies within half a display unit of a
  target bound, so that a rounded "30%" never sits beside an amber status; when even
  that decimal rounds onto the bound, more are added (up to three).
- Changes between periods are judged against the target (SPEC §3.2): higher is better
  for a minimum, lower for a maximum, closer to the band for a band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .kpi import Kpi, Unit
from .status import Change, Status, Target, TargetKind, TargetSource, change


@dataclass(frozen=True)
class StatusStyle:
    word: str
    symbol: str  # a plain-text symbol for charts and tables
    icon: str  # a Material icon name for Streamlit badges
    colour: str  # Streamlit colour name (badges, markdown)
    hex: str  # the same colour for charts
    rank: int  # how urgent: higher needs more attention


STATUS_STYLES: dict[Status, StatusStyle] = {
    Status.RED: StatusStyle("Off target", "✕", ":material/cancel:", "red", "#c62828", 4),
    Status.AMBER: StatusStyle("Watch", "!", ":material/warning:", "orange", "#b45309", 3),
    Status.GREEN: StatusStyle("On target", "✓", ":material/check_circle:", "green", "#2e7d32", 2),
    Status.INFO: StatusStyle("No target", "i", ":material/info:", "blue", "#4a6f96", 1),
    Status.NO_DATA: StatusStyle("No data", "–", ":material/remove:", "gray", "#6b7785", 0),
}
PARTIAL_YEAR = "Partial year"

SOURCE_WORDS: dict[TargetSource, str] = {
    TargetSource.GUIDE: "the guide",
    TargetSource.DEFAULT: "product default (the guide gives no number)",
    TargetSource.OVERRIDE: "your organization's setting",
}

# Display decimals of each unit, in the unit shown (percent points for a percent).
DECIMALS: dict[Unit, int] = {
    Unit.PERCENT: 0, Unit.PER_TEAM: 1, Unit.PER_CHAMPION: 1, Unit.SCORE: 1, Unit.MONTHS: 1,
    Unit.EUR: 0, Unit.PEOPLE: 0, Unit.TEAMS: 0,
}
EXTRA_DECIMALS_MAX = 3
SUFFIX: dict[Unit, str] = {
    Unit.PERCENT: "%", Unit.PER_TEAM: " per team", Unit.PER_CHAMPION: " per champion", Unit.SCORE: "/5",
    Unit.MONTHS: " months", Unit.EUR: " EUR", Unit.PEOPLE: " people", Unit.TEAMS: " teams",
}
# Short axis titles for charts.
AXIS_TITLE: dict[Unit, str] = {
    Unit.PERCENT: "%", Unit.PER_TEAM: "champions per team", Unit.PER_CHAMPION: "use cases per champion",
    Unit.SCORE: "score (1-5)", Unit.MONTHS: "months", Unit.EUR: "EUR", Unit.PEOPLE: "people", Unit.TEAMS: "teams",
}


def status_word(status: Status, partial_window: bool = False) -> str:
    """The word a reader sees for a status ("Partial year" for a partial twelve-month window)."""
    return PARTIAL_YEAR if partial_window else STATUS_STYLES[status].word


def shown(unit: Unit, value: float) -> float:
    """The value in the unit a reader sees (percent points for a share)."""
    return value * 100 if unit is Unit.PERCENT else value


def _bounds(target: Target | None) -> list[float]:
    if target is None:
        return []
    return [b for b in (target.min, target.max, target.amber_max) if b is not None]


def decimals_for(unit: Unit, value: float, target: Target | None) -> int:
    """Display decimals: the unit's, plus more when the value sits within half a display unit of a bound."""
    base = DECIMALS[unit]
    near = [b for b in _bounds(target) if abs(shown(unit, value) - shown(unit, b)) < 0.5 * 10**-base]
    if not near:
        return base
    digits = base + 1
    while digits < base + EXTRA_DECIMALS_MAX and any(
        round(shown(unit, value), digits) == round(shown(unit, b), digits) and not math.isclose(value, b)
        for b in near
    ):
        digits += 1
    return digits


def number(unit: Unit, value: float, digits: int) -> str:
    """`value` in the unit's words with `digits` decimals (no decimals beyond what is asked)."""
    text = f"{shown(unit, value):,.{digits}f}"
    return text + SUFFIX[unit]


def format_value(kpi: Kpi, value: float | None, target: Target | None = None) -> str:
    """The value as shown on a card; "–" when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(kpi.unit, value, decimals_for(kpi.unit, value, target))


def _bound(unit: Unit, value: float) -> str:
    digits = DECIMALS[unit]
    if not float(shown(unit, value)).is_integer() and digits == 0:
        digits = 1
    return f"{shown(unit, value):,.{digits}f}"


def format_target(kpi: Kpi, target: Target | None) -> str:
    """The target in words: "> 30%", "≥ 80%", "≤ 3.0 months", "1.0–2.0 per team"; "no target"."""
    if target is None:
        return "no target"
    unit = kpi.unit
    suffix = SUFFIX[unit]
    if target.kind is TargetKind.BAND:
        assert target.min is not None and target.max is not None
        return f"{_bound(unit, target.min)}–{_bound(unit, target.max)}{suffix}"
    if target.kind is TargetKind.MIN:
        assert target.min is not None
        return f"{'>' if target.strict_min else '≥'} {_bound(unit, target.min)}{suffix}"
    assert target.max is not None
    return f"≤ {_bound(unit, target.max)}{suffix}"


def direction_text(target: Target | None) -> str:
    """How to read the value against its target, in a few words."""
    if target is None:
        return "No target: read it for information and compare quarters."
    return {
        TargetKind.MIN: "Higher is better.",
        TargetKind.MAX: "Lower is better.",
        TargetKind.BAND: "Best inside the band; too low and too high are both off target.",
    }[target.kind]


def source_text(kpi: Kpi, source: TargetSource | None) -> str:
    """Where the target comes from, naming the guide's section when it is the guide's."""
    if source is None:
        return "no target"
    if source is TargetSource.GUIDE and kpi.guide_section:
        return f"guide, {kpi.guide_section}"
    return SOURCE_WORDS[source]


@dataclass(frozen=True)
class Comparison:
    """A value against an earlier period: "vs 2026-Q2: 1.56 → −0.04, worse"."""

    label: str
    before: str
    delta: str
    verdict: Change | None


def format_delta(kpi: Kpi, before: float, after: float) -> str:
    """The signed difference, in percentage points for a share."""
    diff = after - before
    if kpi.unit is Unit.PERCENT:
        points = diff * 100
        return "±0 pts" if round(points, 1) == 0 else f"{points:+.1f} pts"
    digits = max(DECIMALS[kpi.unit], 1) if kpi.unit is not Unit.EUR else 0
    if round(diff, digits) == 0:
        return "±0"
    return f"{diff:+,.{digits}f}"


def compare(kpi: Kpi, label: str, before: float | None, after: float | None, target: Target | None) -> Comparison:
    """`after` against `before`, judged against `target` (no verdict without a target)."""
    if before is None or after is None:
        return Comparison(label, "–", "no comparison", None)
    return Comparison(label, format_value(kpi, before, target), format_delta(kpi, before, after),
                      change(target, before, after))


VERDICT_WORDS: dict[Change, tuple[str, str]] = {
    Change.BETTER: ("▲ better", "green"),
    Change.WORSE: ("▼ worse", "red"),
    Change.SAME: ("= same", "gray"),
}


def relative_distance(value: float, target: Target) -> float:
    """How far `value` is outside its target, relative to the bound it violates (0 inside)."""
    if target.min is not None and value < target.min:
        bound = target.min
    elif target.max is not None and value > target.max:
        bound = target.max
    else:
        return 0.0
    gap = abs(value - bound)
    return gap / abs(bound) if bound else gap
