"""What an import would change in the KPIs, before it is committed.

The import is applied inside a transaction, the KPIs of the chosen quarter are read,
and the transaction is rolled back at once: the store is held only for that moment,
never while the analyst reads the preview.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .ingest import ImportOptions, import_bytes
from .kpi.catalog import kpi as kpi_by_id
from .kpi.engine import compute
from .kpi.results import KpiResult
from .periods import Quarter, QuarterError
from .presentation import format_value
from .report import ImportReport
from .settings import Settings
from .store import Store


@dataclass(frozen=True)
class KpiChange:
    kpi: str
    label: str
    before: str
    after: str
    before_status: str
    after_status: str

    @property
    def status_changed(self) -> bool:
        return self.before_status != self.after_status

    def text(self) -> str:
        """e.g. 'PoC → production: 48% amber → 53% green'."""
        return f"{self.label}: {self.before} {self.before_status} → {self.after} {self.after_status}"


@dataclass(frozen=True)
class Preview:
    report: ImportReport
    changes: tuple[KpiChange, ...]
    quarter: str | None
    note: str = ""


def _org_results(source: Store | duckdb.DuckDBPyConnection, quarter: Quarter, settings: Settings) -> dict:
    try:
        return {r.kpi: r for r in compute(source, quarter, settings=settings)}
    except QuarterError:
        return {}


def _changes(before: dict[str, KpiResult], after: dict[str, KpiResult]) -> tuple[KpiChange, ...]:
    out = []
    for kpi_id, new in after.items():
        old = before.get(kpi_id)
        old_value, old_status = (old.value, old.status.value) if old else (None, "no_data")
        if old_value == new.value and old_status == new.status.value:
            continue
        kpi = kpi_by_id(kpi_id)
        out.append(
            KpiChange(
                kpi_id,
                kpi.label,
                format_value(kpi, old_value, old.target if old else None),
                format_value(kpi, new.value, new.target),
                old_status,
                new.status.value,
            )
        )
    return tuple(out)


def preview_import(
    store: Store, data: bytes, name: str, options: ImportOptions, quarter: Quarter | None, settings: Settings
) -> Preview:
    """The import's report and the org KPIs of `quarter` that it would change."""
    before = _org_results(store, quarter, settings) if quarter else {}
    after: dict[str, KpiResult] = {}

    def read_kpis(cur: duckdb.DuckDBPyConnection, report: ImportReport) -> None:
        if quarter:
            after.update(_org_results(cur, quarter, settings))

    report = import_bytes(store, data, name, options, preview=True, inspect=read_kpis)
    note = "" if quarter else "No quarter covered yet: the KPIs will appear after the first import."
    return Preview(report, _changes(before, after) if after else (), str(quarter) if quarter else None, note)
