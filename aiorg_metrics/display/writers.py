"""KPI results written out: JSON (the contract of docs/kpi-json.md), CSV and a text table.

The `kpis` command prints them; the dashboard's scorecard download is the same CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from aiorg_metrics.common.jsonout import strict_json
from aiorg_metrics.common.spreadsheet import neutralize
from aiorg_metrics.display.wording import format_target, format_value, in_progress_text
from aiorg_metrics.kpi import CSV_COLUMNS, KpiResult, kpi


def write_json(results: Sequence[KpiResult], out: TextIO) -> None:
    """The results as one JSON array (docs/kpi-json.md), then a newline."""
    out.write(strict_json([r.as_dict() for r in results]))
    out.write("\n")


def csv_cell(value: Any) -> Any:
    """A CSV cell: booleans as true/false, None empty, text a spreadsheet would run neutralized."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else neutralize(value)  # team or unit names are free text


def write_csv(results: Sequence[KpiResult], out: TextIO) -> None:
    """The results as CSV, one row per KPI and scope, columns CSV_COLUMNS."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        writer.writerow({k: csv_cell(v) for k, v in result.csv_row().items()})


def table_rows(results: Sequence[KpiResult]) -> list[list[str]]:
    """The rows of the text table, header first, worded as the app words them (display.wording)."""
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
    """The results as a text table, columns padded, the note last and unpadded; then a line per
    quarter in progress (its data's last day)."""
    rows = table_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")
    for period, as_of in sorted({(r.period, r.as_of) for r in results if r.as_of}):
        out.write(f"\n{in_progress_text(period, as_of)}. Values are to date; the previous and year-ago "
                  "columns are whole quarters.\n")


WRITERS: dict[str, Callable[[Sequence[KpiResult], TextIO], None]] = {
    "json": write_json,
    "csv": write_csv,
    "table": write_table,
}
