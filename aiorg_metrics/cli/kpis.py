"""`kpis`: print a quarter's KPIs as JSON (the stable contract of docs/kpi-json.md), CSV or a table."""

from __future__ import annotations

import argparse

from aiorg_metrics.cli import (
    EXIT_OK,
    add_db_option,
    add_settings_option,
    busy,
    db_path,
    existing_store,
    fail,
    printable_stdout,
)
from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.display.writers import WRITERS
from aiorg_metrics.kpi import BREAKDOWNS, compute
from aiorg_metrics.kpi.settings import SettingsError, settings_for_db
from aiorg_metrics.store.connection import StoreBusyError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `kpis` sub-command."""
    parser = subparsers.add_parser(
        "kpis",
        help="print a quarter's KPIs against their targets",
        description="Every KPI of the quarter with its target, status, previous-quarter and year-ago values; "
        "with --by, also one row per business unit, team, champion or AI team.",
    )
    add_db_option(parser)
    parser.add_argument("--quarter", required=True, help="reporting quarter, e.g. 2026-Q2")
    parser.add_argument("--by", choices=[s.value for s in BREAKDOWNS], help="add one row per value of this scope")
    parser.add_argument("--format", choices=tuple(WRITERS), default="json", help="output format (default: json)")
    add_settings_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """The `kpis` command: exit 0, 3 on a usage error (bad quarter, settings, store), 4 when busy."""
    try:
        quarter = Quarter.parse(args.quarter)
    except QuarterError as exc:
        return fail(exc)
    db = db_path(args)
    store = existing_store(db)  # none: UsageError, exit 3, nothing created
    try:
        settings = settings_for_db(db, args.settings)
        results = compute(store, quarter, by=args.by, settings=settings)
    except (QuarterError, SettingsError) as exc:
        return fail(exc)
    except StoreBusyError:
        return busy(db)
    WRITERS[args.format](results, printable_stdout())
    return EXIT_OK
