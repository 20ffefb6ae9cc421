"""What an import would change in the KPIs, before it is committed.

The import is applied inside a transaction, the KPIs of the chosen quarter are read,
and the transaction is rolled back at once: the store is held only for that moment,
never while the analyst reads the preview.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import duckdb
import pandas as pd

from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.datasets.problems import kept_sql
from aiorg_metrics.datasets.registry import dataset
from aiorg_metrics.ingestion import import_log
from aiorg_metrics.ingestion.import_report import ImportReport, Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions, apply_in_transaction, remove_sample_in, removes_sample
from aiorg_metrics.ingestion.upsert import revert
from aiorg_metrics.ingestion.validation import q
from aiorg_metrics.kpi.engine import compute, covered_quarters
from aiorg_metrics.kpi.results import KpiResult
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Status, Target
from aiorg_metrics.store.connection import Store


@dataclass(frozen=True)
class KpiChange:
    """A KPI's organization value before and after the import, as plain values
    (`display.wording.change_text` words it: "PoC → production: 48% amber → 53% green")."""

    kpi: str
    before: float | None
    after: float | None
    before_target: Target | None
    after_target: Target | None
    before_status: Status
    after_status: Status

    @property
    def status_changed(self) -> bool:
        return self.before_status != self.after_status


@dataclass(frozen=True)
class Preview:
    """The import's report as the analyst chose it, and what its valid rows would do.

    `would_reject`: the file has invalid rows and "valid rows only" was not chosen, so a
    commit would store nothing; the counts, first rows and KPI changes shown are those of
    the valid rows, to help decide.
    """

    report: ImportReport
    changes: tuple[KpiChange, ...]
    quarter: str | None
    first_rows: pd.DataFrame
    would_reject: bool = False
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
        old_value, old_status = (old.value, old.status) if old else (None, Status.NO_DATA)
        if old_value == new.value and old_status == new.status:
            continue
        out.append(KpiChange(kpi_id, old_value, new.value, old.target if old else None, new.target,
                             old_status, new.status))
    return tuple(out)


def preview_import(
    store: Store, data: bytes, name: str, options: ImportOptions, quarter: Quarter | None, settings: Settings
) -> Preview:
    """One file's preview: a batch of one (see `preview_batch`)."""
    return preview_batch(store, [BatchFile(name, data, options)], quarter, settings)[0]


PREVIEW_ROWS = 20


@dataclass(frozen=True)
class BatchFile:
    name: str
    data: bytes
    options: ImportOptions  # with the file's dataset and mapping


class _Discard(Exception):  # noqa: N818 - leaves the preview transaction, rolling it back
    pass


def preview_batch(store: Store, files: list[BatchFile], quarter: Quarter | None, settings: Settings) -> list[Preview]:
    """Previews of files imported one after another (batch order), as the commit would do them.

    Each file is checked against the store as the earlier files leave it (without the sample
    organization, which the commit removes with the first file), all in one transaction that
    is rolled back at the end. A file that would be rejected is not
    applied; the files after it are still checked, as if it had been skipped.
    """
    before = _org_results(store, quarter, settings) if quarter else {}
    previews: list[Preview] = []
    try:
        with store.writing() as cur:
            # As the commit does: the first file's import removes the sample first (SPEC §4).
            if files and removes_sample(files[0].options) and remove_sample_in(cur, "preview"):
                before = _org_results(cur, quarter, settings) if quarter else {}
            for file in files:
                preview, after = _preview_in(cur, store, file, quarter, settings, before)
                previews.append(preview)
                before = after or before  # the next file's changes are counted from here
            raise _Discard
    except _Discard:
        pass
    return previews


def _preview_in(
    cur: duckdb.DuckDBPyConnection,
    store: Store,
    file: BatchFile,
    quarter: Quarter | None,
    settings: Settings,
    before: dict[str, KpiResult],
) -> tuple[Preview, dict[str, KpiResult]]:
    chosen = file.options
    # Shown as it would be stored (an empty replace included: the page asks before committing it).
    checked = replace(chosen, valid_only=True, allow_empty=True)
    report = apply_in_transaction(cur, store.upload_dir, file.data, file.name, checked)
    would_reject = report.invalid > 0 and not chosen.valid_only
    if report.outcome is Outcome.REJECTED:
        return Preview(report, (), str(quarter) if quarter else None, pd.DataFrame(), True), {}
    report.outcome = Outcome.PREVIEW
    # A log row (rolled back with the rest) keeps import ids distinct between files of the batch.
    import_log.record(cur, report, sha256=None, mode=chosen.mode, started=datetime.now(), sample=False, user="preview")
    rows = cur.execute(
        f"SELECT {_stored_columns(report.dataset)} FROM _incoming ORDER BY _line LIMIT {PREVIEW_ROWS}"
    ).df()
    target = quarter or _latest_quarter(cur)
    after = _org_results(cur, target, settings) if target else {}
    preview = Preview(report, _changes(before, after), str(target) if target else None, rows, would_reject)
    if would_reject:  # shown to help decide, but not applied: the commit would reject the file
        revert(cur, report.import_id)
        after = {}
    return preview, after


def _stored_columns(dataset_name: str) -> str:
    """The columns of the first rows; long texts cut in SQL (a 1 MiB title is not copied to the page)."""
    return ", ".join(
        f'{kept_sql(q(c.name))} AS {q(c.name)}' if c.sql_type == "VARCHAR" else q(c.name)
        for c in dataset(dataset_name).columns
    )


def _latest_quarter(cur: duckdb.DuckDBPyConnection) -> Quarter | None:
    quarters = covered_quarters(cur)
    return quarters[-1] if quarters else None
