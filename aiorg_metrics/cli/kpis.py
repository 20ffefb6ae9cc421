"""`kpis`: print a quarter's KPIs as JSON (the stable contract of docs/kpi-json.md), CSV or a table."""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from aiorg_metrics.cli import (
    EXIT_BUSY,
    EXIT_OK,
    EXIT_USAGE,
    add_db_option,
    db_path,
    existing_store,
    fail,
    printable_stdout,
)
from aiorg_metrics.common.jsonout import strict_json
from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.common.spreadsheet import neutralize
from aiorg_metrics.display.wording import format_target, format_value
from aiorg_metrics.kpi import BREAKDOWNS, CSV_COLUMNS, KpiResult, compute, kpi
from aiorg_metrics.kpi.settings import SettingsError, settings_for_db
from aiorg_metrics.store.connection import StoreBusyError

FORMATS = ("json", "csv", "table")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "kpis",
        help="print a quarter's KPIs against their targets",
        description="Every KPI of the quarter with its target, status, previous-quarter and year-ago values; "
        "with --by, also one row per business unit, team, champion or AI team.",
    )
    add_db_option(parser)
    parser.add_argument("--quarter", required=True, help="reporting quarter, e.g. 2026-Q2")
    parser.add_argument("--by", choices=[s.value for s in BREAKDOWNS], help="add one row per value of this scope")
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default: json)")
    parser.add_argument(
        "--settings", type=Path, default=None,
        help="settings file (default: $AIORG_SETTINGS, else aiorg.toml next to the database)",
    )
    parser.set_defaults(func=run)


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    return fail(message, code)


def run(args: argparse.Namespace) -> int:
    """The `kpis` command: exit 0, 3 on a usage error (bad quarter, settings, store), 4 when busy."""
    try:
        quarter = Quarter.parse(args.quarter)
    except QuarterError as exc:
        return _fail(str(exc))
    db = db_path(args)
    store = existing_store(db)  # none: UsageError, exit 3, nothing created
    try:
        settings = settings_for_db(db, args.settings)
        results = compute(store, quarter, by=args.by, settings=settings)
    except (QuarterError, SettingsError) as exc:
        return _fail(str(exc))
    except StoreBusyError:
        return _fail(f"the store {db} is busy (another process holds it); try again in a moment", EXIT_BUSY)
    WRITERS[args.format](results, printable_stdout())
    return EXIT_OK


def write_json(results: Sequence[KpiResult], out: TextIO) -> None:
    out.write(strict_json([r.as_dict() for r in results]))
    out.write("\n")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else neutralize(value)  # team or unit names are free text


def write_csv(results: Sequence[KpiResult], out: TextIO) -> None:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        writer.writerow({k: _csv_cell(v) for k, v in result.csv_row().items()})


def table_rows(results: Sequence[KpiResult]) -> list[list[str]]:
    """The rows of `--format table`, header first, worded as the app words them (display.wording)."""
    header = ["kpi", "scope", "value", "target", "status", "previous", "year ago", "n", "note"]
    rows = [header]
    for r in results:
        k = kpi(r.kpi)
        rows.append([
            r.kpi, r.scope, format_value(k, r.value, r.target), format_target(k, r.target), r.status.value,
            format_value(k, r.previous, r.target), format_value(k, r.year_ago, r.target), str(r.n), r.note or "",
        ])
    return rows


def write_table(results: Sequence[KpiResult], out: TextIO) -> None:
    rows = table_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


WRITERS = {"json": write_json, "csv": write_csv, "table": write_table}
