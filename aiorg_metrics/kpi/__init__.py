"""The KPI engine: the registry of SPEC §3.3's KPIs and their computation.

Public API:
- `KPIS`, `kpi(id)`: the registry (frozen `Kpi` records, in display order); `kpis_on(page)`,
  `ADVISOR_INPUTS`: facts the records carry.
- `compute(source, quarter, by=None, settings=None, kpi_ids=None)`: a quarter's results.
- `trend(source, kpi_ids=None, by=None, settings=None)`: every covered quarter's results.
- `scorecard_rows(...)`: `compute` as JSON-ready dicts.
- `covered_quarters(source)`, `current_model(cur, settings)`, `resolve_target(...)`.
- `as_of_day(span, quarter)`, `quarter_end(span, quarter)`: a quarter in progress and its "end of Q".
"""

from typing import Any

from aiorg_metrics.kpi.catalog import ADVISOR_INPUTS, BY_ID, KPIS, kpi, kpis_on
from aiorg_metrics.kpi.model import BREAKDOWNS, Kpi, Page, Population, Scope, Theme, Unit, Window
from aiorg_metrics.kpi.results import CSV_COLUMNS, KpiResult

ENGINE_NAMES = frozenset({
    "Coverage", "as_of_day", "check_covered", "compute", "coverage", "covered_quarters", "current_model",
    "quarter_end", "resolve_target", "scorecard_rows", "series", "trend",
})


def __getattr__(name: str) -> Any:
    """The engine's names, loaded on first use: importing the registry (as `ingest` does, through the
    settings) must not load the engine's pandas, whose libraries reserve address space that an
    import capped at 1 GB needs."""
    if name in ENGINE_NAMES:
        from aiorg_metrics.kpi import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'aiorg_metrics.kpi' has no attribute {name!r}")

__all__ = [
    "ADVISOR_INPUTS",
    "BREAKDOWNS",
    "BY_ID",
    "CSV_COLUMNS",
    "KPIS",
    "Coverage",
    "Kpi",
    "KpiResult",
    "Page",
    "Population",
    "Scope",
    "Theme",
    "Unit",
    "Window",
    "as_of_day",
    "check_covered",
    "compute",
    "coverage",
    "covered_quarters",
    "current_model",
    "kpi",
    "kpis_on",
    "quarter_end",
    "resolve_target",
    "scorecard_rows",
    "series",
    "trend",
]
