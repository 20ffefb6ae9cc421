"""One import = one file = one transaction (SPEC §2.1, §4).

`import_bytes` reads, validates, checks references and applies a file, or changes
nothing: any exception, or any invalid row without `valid_only`, rolls the whole
transaction back. Rejected attempts are still written to the import log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb

from aiorg_metrics.access.actor import Actor
from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.datasets.problems import Problem, ProblemCollector
from aiorg_metrics.datasets.registry import Dataset, dataset, import_rank
from aiorg_metrics.ingestion import import_log, upsert
from aiorg_metrics.ingestion.columns import Layout, detect_dataset, match_columns
from aiorg_metrics.ingestion.cross_checks import cross_checks
from aiorg_metrics.ingestion.dialect import Dialect, FileRefusedError, detect
from aiorg_metrics.ingestion.import_report import ImportReport, Outcome
from aiorg_metrics.ingestion.reader import OUT_OF_MEMORY, RawFile, Source, UnreadableFileError, prepare, read_header
from aiorg_metrics.ingestion.references import (
    check_references,
    deletion_impact,
    drop_reference_errors,
    still_unresolved,
)
from aiorg_metrics.ingestion.validation import (
    build_checked,
    build_keyed,
    collect_row_problems,
    load_raw,
    problem_order,
    typed,
)
from aiorg_metrics.store.connection import Store

ID_ADVICE = "Rows without {id} get a key from their values; export an {id} column so rows can be corrected one by one."


@dataclass(frozen=True)
class ImportOptions:
    dataset: str | None = None
    mode: str = "upsert"  # or "replace"
    valid_only: bool = False
    mapping: dict[str, str] | None = None
    sample: bool = False
    keep_sample: bool = False
    max_file_mb: float = 200.0
    allow_empty: bool = False  # replace mode: a file without a row to store may empty the dataset


class EmptyReplaceError(Exception):
    """Replace mode with a file that has no row to store would delete every stored row: refused
    unless `allow_empty`. The message says how many rows and how to allow it."""


class _RollbackSignal(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Leaves the transaction without storing anything; carries the report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.outcome.value)
        self.report = report


def import_bytes(
    store: Store,
    data: Source,
    name: str,
    options: ImportOptions = ImportOptions(),
    *,
    actor: Actor,
) -> ImportReport:
    """Import one file (its bytes, or its path: read in chunks) as one transaction, logged (rejections included),
    by `actor` (its name is the import's author).

    An actor without the Data page's rights raises `AccessDenied`, and a read-only store `StoreReadOnlyError`,
    before the file is read: nothing is changed or logged."""
    actor.require(Permission.DATA_PAGE)
    store.require_writable()
    started = datetime.now()
    user = actor.name
    report = ImportReport(file_name=name)
    try:
        raw = prepare(data, name, store.upload_dir, options.max_file_mb)
    except (UnreadableFileError, FileRefusedError) as exc:
        return _rejected(store, report, str(exc), None, options, started, user)
    try:
        with store.writing() as cur:
            # In the file's own transaction (SPEC §4): a rejected file rolls the removal back too.
            note = remove_sample_in(cur, user) if removes_sample(options) else None
            _run(cur, raw, report, options)
            report.notes[:0] = [note] if note else []
            report.import_id = import_log.record(
                cur, report, sha256=raw.sha256, mode=options.mode, started=started, sample=options.sample, user=user
            )
        return report
    except _RollbackSignal as stop:
        if stop.report.outcome is Outcome.REJECTED:
            _log_rejection(store, stop.report, raw.sha256, options, started, user)
        return stop.report
    except FileRefusedError as exc:
        return _rejected(store, report, str(exc), raw.sha256, options, started, user)
    except duckdb.OutOfMemoryException:  # rolled back: the store is as it was
        return _rejected(store, report, OUT_OF_MEMORY, raw.sha256, options, started, user)
    finally:
        raw.text_path.unlink(missing_ok=True)


def apply_in_transaction(
    cur: duckdb.DuckDBPyConnection, upload_dir: Path, data: Source, name: str, options: ImportOptions
) -> ImportReport:
    """Check and apply one file inside the caller's transaction, without logging it.

    A refused file, or invalid rows without `valid_only`, give a REJECTED report and leave
    the transaction as it was (nothing is written before the whole file is checked).
    """
    report = ImportReport(file_name=name)
    try:
        raw = prepare(data, name, upload_dir, options.max_file_mb)
    except (UnreadableFileError, FileRefusedError) as exc:
        report.problems.append(Problem(None, "", "", str(exc), ""))
        return report
    try:
        _run(cur, raw, report, options)
    except _RollbackSignal as stop:
        return stop.report
    except FileRefusedError as exc:
        report.problems.append(Problem(None, "", "", str(exc), ""))
        report.outcome = Outcome.REJECTED
    finally:
        raw.text_path.unlink(missing_ok=True)
    return report


def _rejected(
    store: Store,
    report: ImportReport,
    message: str,
    sha: str | None,
    options: ImportOptions,
    started: datetime,
    user: str,
) -> ImportReport:
    report.problems.append(Problem(None, "", "", message, ""))
    report.outcome = Outcome.REJECTED
    _log_rejection(store, report, sha, options, started, user)
    return report


def _log_rejection(
    store: Store, report: ImportReport, sha: str | None, options: ImportOptions, started: datetime, user: str
) -> None:
    with store.writing() as cur:
        import_log.record(cur, report, sha256=sha, mode=options.mode, started=started, sample=options.sample, user=user)


def _run(cur: duckdb.DuckDBPyConnection, raw: RawFile, report: ImportReport, options: ImportOptions) -> None:
    ds = dataset(options.dataset) if options.dataset else detect_dataset(raw.header, options.mapping)
    layout = match_columns(raw.header, ds, options.mapping)
    report.dataset, report.extra_columns = ds.name, layout.extra_columns
    report.rows_in_file = load_raw(cur, raw, layout.n_fields, keep=layout.positions.values())
    dialect = _detect(cur, layout, raw)
    report.read_as = dialect.describe()
    build_checked(cur, layout, dialect, raw.has_control)
    found = ProblemCollector()
    collect_row_problems(cur, layout, found)
    build_keyed(cur, ds, found)
    present = set(layout.positions)
    report.unresolved = check_references(cur, ds, present, found)
    found.add_each(cross_checks(cur, ds))
    drop_reference_errors(cur)
    report.problems, report.more_problems = found.finish(problem_order(ds))
    report.valid = report.rows_in_file - int(cur.execute("SELECT count(*) FROM _invalid").fetchall()[0][0])
    report.invalid = report.rows_in_file - report.valid
    if (ds.id_column and ds.id_column not in present) or _has_blank_ids(cur, ds, present):
        report.notes.append(ID_ADVICE.format(id=ds.id_column))
    if report.invalid and not options.valid_only:
        report.outcome = Outcome.REJECTED
        raise _RollbackSignal(report)
    if options.mode == "replace" and report.valid == 0 and not options.allow_empty:
        _refuse_empty_replace(cur, ds, report)
    _apply(cur, ds, present, report, options)


def _refuse_empty_replace(cur: duckdb.DuckDBPyConnection, ds: Dataset, report: ImportReport) -> None:
    stored = int(cur.execute(f"SELECT count(*) FROM {ds.table}").fetchall()[0][0])
    if stored:
        raise EmptyReplaceError(
            f"{report.file_name}: the file has no data row to store, so replace mode would delete all {stored:,} "
            f"stored {ds.name} rows. Nothing was changed. To empty the dataset on purpose, add --allow-empty."
        )


def _detect(cur: duckdb.DuckDBPyConnection, layout: Layout, raw: RawFile) -> Dialect:
    columns = {c: f"f{p}" for c, p in layout.positions.items()}
    return detect(cur, layout.dataset, columns, raw.encoding, raw.delimiter_label)


def _has_blank_ids(cur: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str]) -> bool:
    if not ds.id_column or ds.id_column not in present:
        return False
    blank = f"SELECT EXISTS (SELECT 1 FROM _keyed WHERE {typed(ds.id_column)} IS NULL)"
    return bool(cur.execute(blank).fetchall()[0][0])


def _apply(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str], report: ImportReport, options: ImportOptions
) -> None:
    upsert.stage(cur, ds, present)
    change = upsert.diff(cur, ds, replace=options.mode == "replace")
    report.inserted, report.updated, report.unchanged, report.deleted = (
        change.inserted,
        change.updated,
        change.unchanged,
        change.deleted,
    )
    report.changed_columns = change.changed_columns
    if change.deleted:
        report.problems += deletion_impact(cur, ds, "SELECT _key FROM _deleted")
    report.import_id = import_log.next_import_id(cur)
    upsert.apply(cur, ds, report.import_id)
    report.problems += still_unresolved(cur, ds)
    if not change.changes:
        report.outcome = Outcome.UNCHANGED
    else:
        report.outcome = Outcome.STORED_WITH_SKIPS if report.invalid else Outcome.STORED


def removes_sample(options: ImportOptions) -> bool:
    """Whether an import with these options removes the sample organization first (SPEC §4)."""
    return not options.sample and not options.keep_sample


def _log_step(
    cur: duckdb.DuckDBPyConnection,
    report: ImportReport,
    mode: str,
    started: datetime,
    user: str | None,
    undoes: int | None = None,
) -> int:
    """Log a step that reads no file (removing the sample, an undo), by `user` or the current one; its import id."""
    return import_log.record(
        cur, report, sha256=None, mode=mode, started=started, sample=False,
        user=user or import_log.current_user(), undoes=undoes,
    )


def remove_sample_in(cur: duckdb.DuckDBPyConnection, user: str | None = None) -> str | None:
    """Remove the sample organization inside the caller's transaction, as its own undoable step
    (its own import-log row); a note saying so, or None when the store holds no sample rows."""
    if not import_log.holds_sample(cur):
        return None
    started = datetime.now()
    import_id = import_log.next_import_id(cur)
    removed = upsert.remove_all(cur, import_id)
    report = ImportReport(
        file_name="(sample data)",
        dataset="all",
        deleted=removed,
        outcome=Outcome.SAMPLE_REMOVED,
        import_id=import_id,
    )
    _log_step(cur, report, "remove", started, user)
    return f"The sample organization was removed first ({removed} rows); `undo` brings it back."


def undo_latest(store: Store, *, actor: Actor) -> str:
    """Revert the latest import that changed something, by `actor` (`AccessDenied` without the Data page's
    rights: nothing is changed); a sentence saying what was undone."""
    actor.require(Permission.DATA_PAGE)
    started = datetime.now()
    with store.writing() as cur:
        target = import_log.latest_undoable(cur)
        if target is None:
            return "Nothing to undo: no import has changed the store."
        import_id, ds_name, file_name = target
        upsert.revert(cur, import_id)
        report = ImportReport(file_name=file_name, dataset=ds_name, outcome=Outcome.UNDO)
        undo_id = _log_step(cur, report, "undo", started, actor.name, undoes=import_id)
        cur.execute("UPDATE import_log SET undone_by = ? WHERE import_id = ?", [undo_id, import_id])
    return f"Undid import #{import_id} ({ds_name}, {file_name or 'no file'})."


def _peek_dataset(path: Path, options: ImportOptions) -> str | None:
    """The dataset of a file from its header line alone (for ordering a batch)."""
    if options.dataset:
        return options.dataset
    try:
        return detect_dataset(read_header(path, path.name), options.mapping).name
    except (UnreadableFileError, FileRefusedError, UnicodeDecodeError, OSError):
        return None


def batch_order(paths: Iterable[Path], options: ImportOptions) -> list[Path]:
    """Dependency order (teams → use_cases → poc_conversions → adoption → the rest), then file name."""
    return sorted(paths, key=lambda p: (import_rank(_peek_dataset(p, options)), p.name))


def import_files(
    store: Store,
    paths: Iterable[Path],
    options: ImportOptions = ImportOptions(),
    on_report: Callable[[ImportReport], None] | None = None,
    *,
    actor: Actor,
) -> list[ImportReport]:
    """Import files one by one in batch order, by `actor`, stopping at the first rejected file."""
    reports = []
    for path in batch_order(paths, options):
        report = import_bytes(store, path, path.name, options, actor=actor)
        reports.append(report)
        if on_report:
            on_report(report)
        if report.outcome is Outcome.REJECTED:
            break
    return reports


def load_sample(store: Store, sample_dir: Path, *, actor: Actor) -> list[ImportReport]:
    """Seed the store with the sample organization by `actor`, each file's import marked as sample."""
    options = replace(ImportOptions(), sample=True)
    return import_files(store, sorted(sample_dir.glob("*.csv")), options, actor=actor)
