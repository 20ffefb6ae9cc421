"""The settings page's tables, to and from `Settings` (no Streamlit here).

Targets are edited in the unit a reader sees (35 for 35%), and written to the settings as
the engine reads them (0.35). Validation is the settings model's own: every problem names
its key. The fields' bounds are the model's (`field_bounds`), in the form's units, so any
valid settings file fills the form and the form cannot offer a value the model refuses.
The "guide or default target" column is the one in force under the organization's current model;
KPIs are named by their labels (the form maps them back to ids).
"""

from __future__ import annotations

import math
from typing import Any

from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display.wording import format_target
from aiorg_metrics.kpi import Kpi, resolve_target
from aiorg_metrics.kpi.catalog import BY_ID, KPIS, kpi
from aiorg_metrics.kpi.model import Unit
from aiorg_metrics.kpi.settings import Settings, SkillsGap, bounds, choices, parse_settings

TARGET_COLUMNS = ["kpi", "label", "guide or default target", "min", "max", "strict min (>)"]
BU_COLUMNS = ["kpi", "business unit", "min", "max", "strict min (>)"]

# form field → (model, setting, factor from the setting's unit to the form's: percent for shares)
FIELDS: dict[str, tuple[type, str, float]] = {
    "maturity": (Settings, "maturity", 1.0),
    "hours_per_quarter": (Settings, "hours_per_quarter", 1.0),
    "amber_tolerance": (Settings, "amber_tolerance", 100.0),
    "max_file_mb": (Settings, "max_file_mb", 1.0),
    "min_survey_answers": (Settings, "min_survey_answers", 1.0),
    "coverage_below": (SkillsGap, "coverage_below", 100.0),
    "spend_per_learner_below": (SkillsGap, "spend_per_learner_below", 1.0),
}


# how each CSV dialect reads on the form; the dialects themselves are the settings model's (`choices`)
CSV_DIALECT_WORDS: dict[str, str] = {
    "excel-fr": "French Excel (; between cells, decimal comma)",
    "standard": "Standard (, between cells, decimal point)",
}


def csv_dialect_choices() -> dict[str, str]:
    """The CSV dialects the settings accept, as the form names them → their settings value."""
    return {CSV_DIALECT_WORDS.get(value, value): value for value in choices("csv_dialect")}


def field_bounds(field: str) -> tuple[float | None, float | None]:
    """The lowest and highest value of a form field, in the form's unit (amber tolerance: 0 to 50 %)."""
    model, name, factor = FIELDS[field]
    lowest, highest = bounds(name, model)
    return (None if lowest is None else lowest * factor), (None if highest is None else highest * factor)


def shown_value(field: str, value: float) -> float:
    """A setting's value in the form's unit, kept inside the field's bounds (rounding never leaves them)."""
    _, _, factor = FIELDS[field]
    lowest, highest = field_bounds(field)
    shown = round(value * factor, 6)
    shown = shown if lowest is None else max(lowest, shown)
    return shown if highest is None else min(highest, shown)


def _scale(kpi_id: str) -> float:
    return 100.0 if kpi(kpi_id).unit is Unit.PERCENT else 1.0


def _shown(kpi_id: str, value: float | None) -> float | None:
    return None if value is None else round(value * _scale(kpi_id), 10)


def _stored(kpi_id: str, value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return float(value) / _scale(kpi_id)


BY_LABEL: dict[str, str] = {k.label: k.id for k in KPIS}


def id_of(name: str) -> str:
    """The id of a KPI named by its label (as the form shows it) or by its id (as a settings file does)."""
    return BY_LABEL.get(name, name)


def default_target_text(k: Kpi, model: OrgModel) -> str:
    """The guide's (or the product's default) target in force under `model`, overrides aside; a KPI whose
    target depends on the model says which: "≥ 100% under hub & spoke", "no target under hub & spoke"."""
    target, _ = resolve_target(k, model, Settings())
    text = format_target(k, target)
    return f"{text} under {model.phrase}" if k.targets_by_model else text


def target_rows(settings: Settings, model: OrgModel) -> list[dict[str, Any]]:
    """One row per KPI: its target under the current `model`, and the organization's override if any."""
    rows = []
    for k in KPIS:
        override = settings.targets.get(k.id)
        rows.append({
            "kpi": k.id, "label": k.label, "guide or default target": default_target_text(k, model),
            "min": _shown(k.id, override.min) if override else None,
            "max": _shown(k.id, override.max) if override else None,
            "strict min (>)": bool(override.strict_min) if override else False,
        })
    return rows


def business_unit_rows(settings: Settings) -> list[dict[str, Any]]:
    """One row per (KPI, business unit) override, the KPI named by its label."""
    return [
        {"kpi": BY_ID[kpi_id].label, "business unit": unit, "min": _shown(kpi_id, b.min),
         "max": _shown(kpi_id, b.max), "strict min (>)": b.strict_min}
        for kpi_id, targets in settings.targets.items()
        for unit, b in targets.by_business_unit.items()
    ]


def _bounds(kpi_id: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("min", "max"):
        value = _stored(kpi_id, row.get(name))
        if value is not None:
            out[name] = value
    if row.get("strict min (>)"):
        out["strict_min"] = True
    return out


def settings_from_form(
    organization: dict[str, Any], targets: list[dict[str, Any]], by_unit: list[dict[str, Any]],
    skills_gap: dict[str, Any],
) -> Settings:
    """Settings from the page's fields; SettingsError names every key with a problem."""
    data: dict[str, Any] = {k: v for k, v in organization.items() if v is not None}
    data["skills_gap"] = skills_gap
    overrides: dict[str, dict[str, Any]] = {}
    for row in targets:
        bounds = _bounds(row["kpi"], row)
        if "min" in bounds or "max" in bounds or bounds.get("strict_min"):
            overrides[row["kpi"]] = bounds
    for row in by_unit:
        if not row.get("kpi") or not row.get("business unit"):
            continue
        kpi_key = id_of(str(row["kpi"]))
        entry = overrides.setdefault(kpi_key, {})
        entry.setdefault("by_business_unit", {})[str(row["business unit"])] = _bounds(kpi_key, row)
    if overrides:
        data["targets"] = overrides
    return parse_settings(data, "settings page")
