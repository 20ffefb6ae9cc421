"""The KPI glossary as Markdown (docs/kpis.md): the entries of `display.glossary` (the same
builder as the glossary page), with the spec's targets, plus each KPI's SQL.

Run `python -m aiorg_metrics docs` to rewrite docs/kpis.md; a test checks the
committed file equals `glossary_markdown()`.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from aiorg_metrics.display.glossary import entry
from aiorg_metrics.kpi.catalog import KPIS
from aiorg_metrics.kpi.model import Kpi, Theme
from aiorg_metrics.kpi.relations import BY_NAME, build_order

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "kpis.md"

INTRODUCTION = """\
# KPI glossary

Generated from the KPI registry (`aiorg_metrics/kpi/catalog.py`) by
`python -m aiorg_metrics docs`. Do not edit by hand: change the registry and
regenerate (a test checks this file is up to date).

How to read every KPI:

- **Period.** A calendar quarter (`2026-Q3`). "Twelve months ending with the quarter"
  (T4Q) is the four quarters ending with it. Dates compare inclusively; months are
  days / 30.44. A quarter is *in progress* while today is before its end: every "end of
  the quarter" below then reads as the data's last day, the values are to date, and the
  results carry `as_of` (that day).
- **Status.** Green when the target is met; amber when the value misses a bound by at
  most the amber tolerance (setting `amber_tolerance`, 10% by default) relative to that
  bound; red beyond. A strict minimum ("> 30%") is not met by the exact value. A maximum
  of 0 has no amber zone. `no_data` when the population is empty (it wins over `info`);
  `info` when there is no target, or when a twelve-month window starts before the data
  does (a "partial year").
- **Target source.** The guide (its section is quoted), a product default (the guide
  gives no number), or the organization's setting (the settings file). Settings may override a
  KPI's target, and per business unit; a business-unit override also applies to that
  unit's team, champion and AI-team rows.
- **Previous and year ago.** The value for the previous quarter and for the same quarter
  a year earlier, when the data covers them. KPIs on undated data (teams, skills) have
  none.
- **Breakdowns.** Rows whose reference is not in the store (e.g. a use case whose team is
  missing from teams.csv) count for the organization wherever the definition does not
  read that reference, and are left out of breakdowns, with a note saying how many.
"""


def _sql_block(kpi: Kpi) -> str:
    q = kpi.query
    relations = [
        f"-- {name}\n{textwrap.dedent(BY_NAME[name].sql).strip()}" for name in build_order(q.needs) if name in BY_NAME
    ]
    aggregates = [f"value = {q.value}", f"n = {q.n}"]
    aggregates += [f"{name} = {expr}" for name, expr in (("numerator", q.numerator), ("denominator", q.denominator))
                   if expr]
    aggregates += [f"empty = {q.empty}"] + [f"{name} = {expr}" for name, expr in q.extras]
    body = "\n\n".join([
        "-- population (one row per member, per period)\n" + textwrap.dedent(q.units).strip(),
        "-- aggregates\n" + "\n".join(aggregates),
        *relations,
    ])
    return f"<details><summary>SQL</summary>\n\n```sql\n{body}\n```\n\n</details>"


def _dated_by(kpi: Kpi, words: str) -> str:
    """The dating columns in words, then as the files name them:
    "start date (PoC conversions) · `poc_conversions.start_date`"."""
    columns = ", ".join(f"`{d}`" for d in kpi.dated_by)
    return f"{words} · {columns}" if columns else words


def kpi_section(kpi: Kpi) -> str:
    """One KPI's glossary entry in Markdown."""
    e = entry(kpi)
    rows = [
        ("Unit", kpi.unit.value),
        ("Target", "; ".join(e.model_targets) or e.target),
        ("Target source", e.source),
        ("How to read it", e.how_to_read),
        ("Scopes", e.scopes),
        ("Period read", e.period),
        ("Dated by", _dated_by(kpi, e.dated_by)),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return (
        f"### {kpi.label} (`{kpi.id}`)\n\n{textwrap.fill(kpi.description, 88)}\n\n"
        f"| | |\n|---|---|\n{table}\n\n{_sql_block(kpi)}\n"
    )


def glossary_markdown() -> str:
    """The whole glossary, grouped by theme in registry order."""
    parts = [INTRODUCTION]
    for theme in Theme:
        members = [k for k in KPIS if k.theme is theme]
        if members:
            parts.append(f"## {theme.value.capitalize()}\n")
            parts.extend(kpi_section(k) for k in members)
    return "\n".join(parts)


def main() -> int:
    """Rewrite docs/kpis.md (or print it with `-`)."""
    text = glossary_markdown()
    if sys.argv[1:] == ["-"]:
        sys.stdout.write(text)
    else:
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {DOC_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
