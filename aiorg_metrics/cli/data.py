"""CLI commands for data: `ingest`, `history`, `undo`."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from aiorg_metrics.cli import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_SKIPPED,
    UsageError,
    add_db_option,
    add_settings_option,
    busy,
    cli_actor,
    db_path,
    echo,
    existing_store,
    fail,
)
from aiorg_metrics.datasets.registry import BY_NAME
from aiorg_metrics.ingestion.import_log import history
from aiorg_metrics.ingestion.import_report import ImportReport, Outcome
from aiorg_metrics.ingestion.ingest import EmptyReplaceError, ImportOptions, import_files, undo_latest
from aiorg_metrics.ingestion.mappings import MappingError, load_mapping
from aiorg_metrics.kpi.settings import SettingsError, bounds, settings_for_db
from aiorg_metrics.store.connection import Store, StoreBusyError


def register(subs: argparse._SubParsersAction) -> None:
    """Add the `ingest`, `history` and `undo` sub-commands."""
    p = subs.add_parser("ingest", help="import CSV exports into the store")
    add_db_option(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--valid-only", action="store_true", help="store the valid rows, skip the invalid ones")
    p.add_argument("--mode", choices=("upsert", "replace"), default="upsert")
    p.add_argument(
        "--allow-empty", action="store_true", help="replace mode: accept a file without data rows (empties the dataset)"
    )
    p.add_argument("--dataset", choices=sorted(BY_NAME), help="dataset of every file (default: from the header)")
    p.add_argument("--keep-sample", action="store_true", help="do not remove the sample organization first")
    p.add_argument("--mapping", help="a saved column mapping to apply (see the app's data page)")
    p.add_argument(
        "--max-file-mb", type=float, default=None, help="file size limit (default: the settings' max_file_mb)"
    )
    add_settings_option(p, "the file size limit")
    p.set_defaults(func=run_ingest)
    h = subs.add_parser("history", help="list the imports, newest first")
    add_db_option(h)
    h.set_defaults(func=run_history)
    u = subs.add_parser("undo", help="revert the latest import that changed something")
    add_db_option(u)
    u.set_defaults(func=run_undo)


def _print_report(report: ImportReport) -> None:
    echo(report.summary())
    for problem in report.problems:
        echo("  " + problem.as_text())


def _exit_code(reports: list[ImportReport]) -> int:
    if any(r.outcome is Outcome.REJECTED for r in reports):
        return EXIT_REJECTED
    if any(r.outcome is Outcome.STORED_WITH_SKIPS for r in reports):
        return EXIT_SKIPPED
    return EXIT_OK


def _options(args: argparse.Namespace) -> ImportOptions:
    mapping, mapped_dataset = None, None
    if args.mapping:
        saved = load_mapping(db_path(args), args.mapping)
        mapping, mapped_dataset = saved.columns, saved.dataset
    return ImportOptions(
        dataset=args.dataset or mapped_dataset,
        mode=args.mode,
        valid_only=args.valid_only,
        mapping=mapping,
        keep_sample=args.keep_sample,
        allow_empty=args.allow_empty,
        max_file_mb=_max_file_mb(args),
    )


def _max_file_mb(args: argparse.Namespace) -> float:
    """--max-file-mb within the setting's own bounds (the settings model declares them), else the settings'."""
    if args.max_file_mb is None:
        return settings_for_db(db_path(args), args.settings).max_file_mb
    lowest, highest = bounds("max_file_mb")
    if not (math.isfinite(args.max_file_mb) and lowest <= args.max_file_mb <= highest):
        raise UsageError(
            f"--max-file-mb must be a number of MB from {lowest:,g} to {highest:,g} (as the max_file_mb setting), "
            f"not {args.max_file_mb:g}. Nothing was imported."
        )
    return args.max_file_mb


def run_ingest(args: argparse.Namespace) -> int:
    """`ingest`: import the files in batch order, stopping at the first rejected one."""
    folders = [f for f in args.files if f.is_dir()]
    if folders:
        return fail(f"{folders[0]} is a folder, not a file: pass the CSV files it holds (e.g. {folders[0] / '*.csv'})")
    missing = [str(f) for f in args.files if not f.is_file()]
    if missing:
        return fail(f"no such file: {', '.join(missing)}")
    try:
        options = _options(args)
    except (MappingError, SettingsError) as exc:
        return fail(exc)
    reports: list[ImportReport] = []
    try:
        import_files(Store(db_path(args)), args.files, options, on_report=lambda r: _report(reports, r),
                     actor=cli_actor())
    except StoreBusyError:
        return busy(db_path(args), len(reports))
    except EmptyReplaceError as exc:
        before = f" The {len(reports)} file(s) imported before it stay stored." if reports else ""
        return fail(f"{exc}{before}")
    stored = [r for r in reports if r.outcome is not Outcome.REJECTED]
    if len(args.files) > 1 and reports and reports[-1].outcome is Outcome.REJECTED:
        skipped = len(args.files) - len(reports)
        echo(
            f"Stopped at {reports[-1].file_name}: {len(stored)} file(s) before it stay stored; "
            f"{skipped} file(s) after it were not imported."
        )
    return _exit_code(reports)


def _report(reports: list[ImportReport], report: ImportReport) -> None:
    reports.append(report)
    _print_report(report)


def run_history(args: argparse.Namespace) -> int:
    """`history`: the imports, newest first."""
    try:
        with existing_store(db_path(args)).reading() as cur:
            frame = history(cur)
    except StoreBusyError:
        return busy(db_path(args))
    echo(frame.to_string(index=False) if len(frame) else "No imports yet.")
    return EXIT_OK


def run_undo(args: argparse.Namespace) -> int:
    """`undo`: revert the latest import that changed something."""
    try:
        echo(undo_latest(existing_store(db_path(args)), actor=cli_actor()))
    except StoreBusyError:
        return busy(db_path(args))
    return EXIT_OK

