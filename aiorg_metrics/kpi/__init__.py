"""The KPI engine: the registry of SPEC §3.3's KPIs and their computation.

Public API:
- `KPIS`, `kpi(id)`: the registry (frozen `Kpi` records, in display order).
- `compute(source, quarter, by=None, settings=None, kpi_ids=None)`: a quarter's results.
- `trend(source, kpi_ids=None, by=None, settings=None)`: every covered quarter's results.
- `scorecard_rows(...)`: `compute` as JSON-ready dicts.
- `covered_quarters(source)`, `current_model(cur, settings)`, `resolve_target(...)`.
"""

from aiorg_metrics.kpi.catalog import BY_ID, KPIS, kpi
from aiorg_metrics.kpi.engine import (
    Coverage,
    check_covered,
    compute,
    coverage,
    covered_quarters,
    current_model,
    resolve_target,
    scorecard_rows,
    series,
    trend,
)
from aiorg_metrics.kpi.model import BREAKDOWNS, Kpi, Scope, Theme, Unit, Window
from aiorg_metrics.kpi.results import CSV_COLUMNS, KpiResult

__all__ = [
    "BREAKDOWNS",
    "BY_ID",
    "CSV_COLUMNS",
    "KPIS",
    "Coverage",
    "Kpi",
    "KpiResult",
    "Scope",
    "Theme",
    "Unit",
    "Window",
    "check_covered",
    "compute",
    "coverage",
    "covered_quarters",
    "current_model",
    "kpi",
    "resolve_target",
    "scorecard_rows",
    "series",
    "trend",
]
