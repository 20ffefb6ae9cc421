"""How KPI values, targets, statuses, changes and model names read, in the app, the CLI's table and
text output and docs/kpis.md alike. Pure functions, no Streamlit. (How a status *looks*: `styles`.)

- A status always travels with a word and a symbol, never a colour alone.
- A value is shown with one more decimal when it lies within half a display unit of a
  target bound, so that a rounded "30%" never sits beside an amber status; when even
  that decimal rounds onto the bound, more are added (up to three).
- Changes between periods are judged against the target (SPEC §3.2): higher is better
  for a minimum, lower for a maximum, closer to the band for a band. "Same" means a small
  move relative to the earlier value (under STEADY_WITHIN) that crosses no bound; a larger
  move inside a band is "higher" or "lower", neither better nor worse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from aiorg_metrics.analysis.impact import KpiChange
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display.styles import STATUS_STYLES
from aiorg_metrics.kpi import BY_ID, Kpi, Unit
from aiorg_metrics.kpi.model import DatedBy
from aiorg_metrics.kpi.relations import UNKNOWN_TEAM
from aiorg_metrics.kpi.status import (
    Change,
    Status,
    Target,
    TargetKind,
    TargetSource,
    change,
    meets_max,
    meets_min,
    relative_distance,
)

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
    """Display decimals: the unit's, plus more when the value sits within half a display unit of a
    bound without being equal to it (then the rounded value would misread against the status)."""
    base = DECIMALS[unit]
    if unit in (Unit.PEOPLE, Unit.TEAMS):  # whole counts
        return base
    near = [b for b in _bounds(target)
            if abs(shown(unit, value) - shown(unit, b)) < 0.5 * 10**-base and not math.isclose(value, b)]
    if not near:
        return base
    digits = base + 1
    while digits < base + EXTRA_DECIMALS_MAX and any(
        round(shown(unit, value), digits) == round(shown(unit, b), digits) and not math.isclose(value, b)
        for b in near
    ):
        digits += 1
    return digits


def value_parts(kpi: Kpi, value: float | None, target: Target | None = None) -> tuple[str, str]:
    """The value's number and its unit suffix, apart ("1.1", " per champion"); ("–", "") for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–", ""
    digits = decimals_for(kpi.unit, value, target)
    return f"{shown(kpi.unit, value):,.{digits}f}", SUFFIX[kpi.unit]


def format_value(kpi: Kpi, value: float | None, target: Target | None = None) -> str:
    """The value as shown on a card, with its unit; "–" when there is none."""
    return "".join(value_parts(kpi, value, target))


def short_value(kpi: Kpi, value: float | None, target: Target | None = None) -> str:
    """The value's number alone, but for a "%" on a share ("42%", "1.1"): for tight places."""
    return value_parts(kpi, value, target)[0] + ("%" if kpi.unit is Unit.PERCENT else "")


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


def source_text(kpi: Kpi, source: TargetSource | None, full: bool = False, model: OrgModel | None = None) -> str:
    """Where the target comes from: the guide (its words, or with `full` its section and words; with
    `model`, only that model's words when they differ by model), a product default, or the
    organization's setting."""
    if source is None:
        return "no target"
    section = kpi.guide_section_for(model)
    if source is TargetSource.GUIDE and section:
        words = section.partition(": ")[2]
        return f"guide, {section}" if full or not words else f"guide: {words}"
    return SOURCE_WORDS[source]


class Verdict(StrEnum):
    """How a change between periods reads: better or worse against the target, about the same, or a
    real move that the target does not judge (inside a band both times)."""

    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    HIGHER = "higher"
    LOWER = "lower"


# A move smaller than this, relative to the earlier value, reads "same" unless it crosses a bound of the
# target (a product default: 2,450 → 2,500 EUR is the same; 2,450 → 3,333 EUR, +36%, is not).
STEADY_WITHIN = 0.02


@dataclass(frozen=True)
class Comparison:
    """A value against an earlier period: label "vs 2026-Q2", before "2,450", delta "+883 (+36%)", verdict."""

    label: str
    before: str
    delta: str
    verdict: Verdict | None


def format_delta(kpi: Kpi, before: float, after: float) -> str:
    """The signed difference (percentage points for a share), with decimals enough to show
    that a small change is not zero."""
    diff = shown(kpi.unit, after) - shown(kpi.unit, before)
    digits = 1 if kpi.unit is Unit.PERCENT else DECIMALS[kpi.unit]
    while round(diff, digits) == 0 and digits < DECIMALS[kpi.unit] + 3 and not math.isclose(diff, 0, abs_tol=1e-12):
        digits += 1
    suffix = " pts" if kpi.unit is Unit.PERCENT else ""
    if round(diff, digits) == 0:
        return "±0" + suffix
    return f"{diff:+,.{digits}f}{suffix}".replace("-", "−")


def relative_change(before: float, after: float) -> float | None:
    """The move relative to the earlier value (0.36 for a 36% rise); None from 0 to anything else."""
    if after == before:
        return 0.0
    return None if before == 0 else (after - before) / abs(before)


def relative_text(before: float, after: float) -> str:
    """The relative move in words for tight places: "+36%", "−4%", "±0%"; "" from 0."""
    rel = relative_change(before, after)
    if rel is None:
        return ""
    digits = 0 if round(rel * 100) else 1  # a small move reads "+0.4%", not "+0%"
    if round(rel * 100, digits) == 0:
        return "±0%"
    return f"{rel:+.{digits}%}".replace("-", "−")


def delta_text(kpi: Kpi, before: float, after: float) -> str:
    """The change as a card shows it: points for a share ("−1.5 pts"), else the difference and its
    relative size ("+883 (+36%)")."""
    delta = format_delta(kpi, before, after)
    rel = relative_text(before, after)
    if kpi.unit is Unit.PERCENT or not rel or rel == "±0%":
        return delta
    return f"{delta} ({rel})"


def _meets(value: float, target: Target) -> bool:
    return meets_min(value, target) and meets_max(value, target)


def verdict(target: Target | None, before: float | None, after: float | None) -> Verdict | None:
    """How `after` reads against `before` and the target (None without a target or a value): a small
    relative move that crosses no bound is the same; otherwise better or worse against the target, or
    higher or lower when the target does not judge the move (inside a band both times)."""
    judged = change(target, before, after)
    if judged is None or target is None or before is None or after is None:
        return None
    rel = relative_change(before, after)
    small = rel is not None and abs(rel) < STEADY_WITHIN
    if small and _meets(before, target) == _meets(after, target):
        return Verdict.SAME
    if judged is Change.SAME:
        return Verdict.SAME if after == before else (Verdict.HIGHER if after > before else Verdict.LOWER)
    return Verdict.BETTER if judged is Change.BETTER else Verdict.WORSE


def compare(kpi: Kpi, label: str, before: float | None, after: float | None, target: Target | None) -> Comparison:
    """`after` against `before`, judged against `target` (no verdict without a target)."""
    if before is None or after is None:
        return Comparison(label, "–", "no comparison", None)
    return Comparison(label, short_value(kpi, before, target), delta_text(kpi, before, after),
                      verdict(target, before, after))


def _impact_status(status: Status) -> str:
    return {Status.NO_DATA: "no data", Status.INFO: "(no target)"}.get(status, status.value)


def change_text(change: KpiChange) -> str:
    """An import's effect on a KPI, e.g. "PoC → production: 48% amber → 53% green, +5.0 pts",
    "Training spend per learner: 2,450 EUR green → 3,333 EUR green, +883 (+36%)"."""
    k = BY_ID[change.kpi]
    before = f"{format_value(k, change.before, change.before_target)} {_impact_status(change.before_status)}"
    after = f"{format_value(k, change.after, change.after_target)} {_impact_status(change.after_status)}"
    text = f"{k.label}: {before} → {after}".replace("– no data", "no data")
    if change.before is None or change.after is None:
        return text
    return f"{text}, {delta_text(k, change.before, change.after)}"


VERDICT_WORDS: dict[Verdict, tuple[str, str]] = {
    Verdict.BETTER: ("▲ better", "green"),
    Verdict.WORSE: ("▼ worse", "red"),
    Verdict.SAME: ("= same", "gray"),
    Verdict.HIGHER: ("↑ higher, still in the band", "gray"),
    Verdict.LOWER: ("↓ lower, still in the band", "gray"),
}


MODEL_NAMES: dict[OrgModel, str] = {
    OrgModel.CENTRALIZED: "Centralized (one AI centre of excellence)",
    OrgModel.HUB_SPOKE: "Hub & spoke",
    OrgModel.FEDERATED: "Federated",
    OrgModel.EMBEDDED: "Embedded (AI in every product team)",
    OrgModel.NONE: "None (no AI staff yet)",
}
INFERRED_MODEL = "Inferred from the teams"

# The datasets and their dating columns as a reader names them (the identifiers are typed only in files).
DATASET_WORDS: dict[str, str] = {
    "teams": "teams", "use_cases": "use cases", "poc_conversions": "PoC conversions", "adoption": "adoption",
    "champion_activity": "champion activity", "training_spend": "training spend", "skills": "skills",
}
DATE_WORDS: dict[str, str] = {
    "identified_date": "identification date", "qualified_date": "qualification date", "start_date": "start date",
    "production_date": "production date", "end_date": "end date", "date": "date", "month": "month",
    "path_start_date / path_completed_date": "path start and completion dates",
}


def model_name(model: object) -> str:
    """A readable name of an organization model (an OrgModel, or its value as text)."""
    key = str(getattr(model, "value", model))
    try:
        return MODEL_NAMES[OrgModel(key)]
    except ValueError:
        return key


UNKNOWN_TEAM_WORDS = "Teams not in teams.csv"  # the engine's bucket of rows whose team teams.csv lacks


def unit_name(value: str) -> str:
    """A business unit or team id as a breakdown names it: the engine's bucket of rows whose team is not in
    teams.csv ("unknown team") in words, any other value as it is."""
    return UNKNOWN_TEAM_WORDS if value == UNKNOWN_TEAM else value


def dataset_name(name: str) -> str:
    """A dataset as a reader names it: "use cases" for use_cases."""
    return DATASET_WORDS.get(name, name.replace("_", " "))


def dated_by_text(dated: DatedBy) -> str:
    """A KPI's dating column in words: "identification date (use cases)" for use_cases.identified_date."""
    return f"{DATE_WORDS.get(dated.column, dated.column.replace('_', ' '))} ({dataset_name(dated.dataset)})"


def declared_model_choices() -> dict[str, str | None]:
    """The models an organization may declare, by name, with their settings value (None: inferred)."""
    return {INFERRED_MODEL: None} | {MODEL_NAMES[m]: m.value for m in OrgModel if m is not OrgModel.NONE}


def distance_text(kpi: Kpi, value: float, target: Target) -> str:
    """How far beyond its target a value is, in words: "17% below the minimum", "2 teams above the maximum of 0"."""
    if target.min is not None and value < target.min:
        bound, side = target.min, ("below the band" if target.kind is TargetKind.BAND else "below the minimum")
    elif target.max is not None and value > target.max:
        bound, side = target.max, ("above the band" if target.kind is TargetKind.BAND else "above the maximum")
    else:
        return "at the bound" if target.strict_min and target.min is not None and value == target.min else ""
    if bound:
        return f"{relative_distance(value, target):.0%} {side}"
    return f"{format_value(kpi, abs(value - bound))} {side} of {_bound(kpi.unit, bound)}"


def first_sentence(text: str) -> str:
    """The first sentence of a description (its summary)."""
    head = text.split(". ")[0].strip()
    return head if head.endswith(".") else head + "."


def day_month(day: date) -> str:
    """A day of the data as the app names it: "13 Nov"."""
    return f"{day.day} {day:%b}"


def in_progress_text(quarter: object, as_of: date) -> str:
    """A quarter in progress (SPEC §3.2): "2026-Q4 in progress: data up to 13 Nov"."""
    return f"{quarter} in progress: data up to {day_month(as_of)}"


IN_PROGRESS_MEANING = (
    "Values are to date, and changes against the previous quarter are left out: a part quarter "
    "is not compared with whole ones."
)


def part_quarter_text(quarter: object, day: date) -> str:
    """A finished quarter whose data stops before its end: the banner's words."""
    return (f"{quarter}: data stops on {day_month(day)}, before the quarter's end — values cover part of it; "
            "changes against the previous quarter are left out")


PROVISIONAL = "Provisional"
PROVISIONAL_WHY = "adds up over the quarter"


def provisional_text(status: Status) -> str:
    """The card line of a KPI that adds up over a quarter the data covers only part of, with the status the
    engine gives it against the full quarter's target (when it has one)."""
    line = f"Provisional: {PROVISIONAL_WHY}"
    if status in (Status.RED, Status.AMBER, Status.GREEN):
        line += f"; against the full quarter's target it reads {STATUS_STYLES[status].word.lower()} so far"
    return line


def data_to_text(day: date) -> str:
    """Beside a quarter whose data stops before its end: "data to 13 Nov"."""
    return f"data to {day_month(day)}"
