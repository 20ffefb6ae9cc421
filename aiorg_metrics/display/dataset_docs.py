"""The data-format reference (docs/datasets.md) and CSV templates, generated from the registry."""

from __future__ import annotations

import csv
import io

from aiorg_metrics.datasets.fieldtypes import EARLIEST_DATE, ColumnType
from aiorg_metrics.datasets.registry import DATASETS, Dataset
from aiorg_metrics.datasets.rules import NotAfterToday

DATE_RANGE = f"{EARLIEST_DATE.isoformat()} to a year after the import day"
MONTH_RANGE = f"{EARLIEST_DATE.isoformat()[:7]} to a year after the import day"

EXAMPLES: dict[str, dict[str, str]] = {
    "teams": {"team_id": "RB-CARDS", "team_name": "Cards", "business_unit": "Retail Banking",
              "team_kind": "business", "headcount": "120", "ai_staff": "0"},
    "use_cases": {"use_case_id": "UC-0001", "title": "Card fraud triage", "team_id": "RB-CARDS",
                  "champion_id": "CH-01", "ai_team_id": "AI-HUB", "identified_date": "2026-01-15",
                  "qualified_date": "2026-02-02", "tier": "1", "collaboration_pattern": "sprint",
                  "problem": "Too many false alerts", "expected_kpis": "False-positive rate",
                  "data_sources": "Card transactions", "constraints": "GDPR", "sponsor": "Head of Cards",
                  "expected_value_eur": "250000"},
    "poc_conversions": {"poc_id": "POC-001", "use_case_id": "UC-0001", "start_date": "2026-03-01",
                        "outcome": "production", "production_date": "2026-06-15", "cost_eur": "45000"},
    "adoption": {"poc_id": "POC-001", "month": "2026-07", "target_users": "40", "active_users": "31"},
    "champion_activity": {"activity_id": "A-0001", "date": "2026-01-15", "champion_id": "CH-01",
                          "champion_name": "Alice Martin", "team_id": "RB-CARDS",
                          "activity_type": "identification", "hours": "3.5"},
    "training_spend": {"record_id": "T-0001", "date": "2026-02-10", "employee_id": "E-1001",
                       "team_id": "AI-HUB", "program": "MLOps bootcamp", "format": "practice",
                       "hours": "21", "cost_eur": "1800", "path": "devops_to_mlops",
                       "path_start_date": "2026-02-01"},
    "skills": {"employee_id": "E-1001", "team_id": "AI-HUB", "role": "ml_engineer", "seniority": "mid",
               "skill": "mlops", "level": "2", "assessed_date": "2026-03-31"},
}


def template_csv(ds: Dataset) -> str:
    """Header line and one example row for `ds`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [c.name for c in ds.columns]
    writer.writerow(names)
    writer.writerow([EXAMPLES[ds.name].get(n, "") for n in names])
    return out.getvalue()


def _allowed(ds: Dataset, name: str) -> str:
    col = ds.column(name)
    parts = []
    if col.rule.allowed:
        parts.append(", ".join(col.rule.allowed))
    if col.rule.range_text():
        parts.append(col.rule.range_text())
    if col.type in (ColumnType.DATE, ColumnType.MONTH):
        parts.append(MONTH_RANGE if col.type is ColumnType.MONTH else DATE_RANGE)
    return "; ".join(parts)


def rules_text(ds: Dataset, name: str) -> str:
    """Cross-field and reference rules on a column, with their level."""
    # The future-date warning is in the allowed range: its message names the day of the import.
    declared = [r for r in ds.rules if r.column == name and not isinstance(r, NotAfterToday)]
    texts = [f"{r.level.value} when: {r.reason()[0]}" for r in declared]
    for ref in ds.references:
        if ref.column == name:
            texts.append(f"must exist in {ref.target}.{ref.target_column} ({ref.missing.value}; "
                         f"warning while {ref.target} is empty)")
            if ref.kinds:
                texts.append(f"team kind {' or '.join(ref.kinds)} ({ref.kind_level.value})")
    return "; ".join(texts)


def column_reference(ds: Dataset) -> list[dict[str, str]]:
    """One row per column: name, type, required, allowed values, meaning, rules."""
    return [
        {"column": c.name, "type": c.type.value, "required": "yes" if c.required else "no",
         "allowed": _allowed(ds, c.name), "meaning": c.description, "rules": rules_text(ds, c.name)}
        for c in ds.columns
    ]


def _key_text(ds: Dataset) -> str:
    if ds.id_column:
        return f"{ds.id_column}, else a hash of the required columns and their occurrence number"
    return " + ".join(ds.key)


def datasets_markdown() -> str:
    """The whole data-format reference as Markdown."""
    lines = ["# Data formats", "", "Generated from the dataset registry (`aiorg_metrics/datasets/registry.py`) by "
             "`python -m aiorg_metrics docs`; a test checks this file is up to date.", "",
             "Files may be UTF-8 (with or without BOM), UTF-16 or cp1252, separated by `,` `;` or tabs (or as "
             "Excel's `sep=;` first line says), with decimal commas, space thousands separators, ISO or day-first "
             "dates. A value holding a control character (other than tab and line breaks) is an error. "
             "Levels: an *error* rejects the row, a *warning* is reported and the row is stored.", "",
             f"Plausible values: a date or month before {EARLIEST_DATE.isoformat()}, or more than one year after "
             "the day of the import, is an error (a typo?); a date after the day of the import but within the year "
             "is a warning. Numbers must be finite and within their column's range.", ""]
    for ds in DATASETS:
        lines += [f"## {ds.name}.csv", "", ds.description, "", f"Key: {_key_text(ds)}.", "",
                  "| column | type | required | allowed | meaning | rules |", "|---|---|---|---|---|---|"]
        for row in column_reference(ds):
            cells = [row[k].replace("|", "\\|") for k in ("column", "type", "required", "allowed", "meaning", "rules")]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)

