"""KPI results written out: JSON and CSV (the contract of docs/kpi-json.md), a text table, and the
scorecard as a table a reader opens in a spreadsheet.

The `kpis` command prints the first three; the dashboard's scorecard download is the last (labels,
words and percents, in the dialect of the setting `csv_dialect`: common.spreadsheet).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from aiorg_metrics.common.jsonout import strict_json
from aiorg_metrics.common.spreadsheet import DEFAULT_CSV_DIALECT, Column, Kind, neutralize, table_csv
from aiorg_metrics.display.wording import (
    DECIMALS,
    format_target,
    format_value,
    in_progress_text,
    shown,
    status_word,
    unit_name,
)
from aiorg_metrics.kpi import CSV_COLUMNS, KpiResult, Scope, kpi


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


SCORECARD_COLUMNS = (
    Column("Quarter"), Column("KPI"), Column("Scope"), Column("Value", Kind.NUMBER), Column("Unit"),
    Column("Target"), Column("Status"), Column("Previous quarter", Kind.NUMBER), Column("Year ago", Kind.NUMBER),
    Column("n", Kind.COUNT), Column("Note"),
)
SCOPE_WORDS = {Scope.BUSINESS_UNIT: "Business unit", Scope.TEAM: "Team", Scope.AI_TEAM: "AI team",
               Scope.CHAMPION: "Champion"}


def scope_words(result: KpiResult, names: Mapping[str, str] | None = None) -> str:
    """A row's scope as a reader names it: "Organization", "Business unit: Insurance", "Team: Claims
    Management" (a team or AI team by its name from `names`, id → name, when known)."""
    return scope_label(result.scope_type, result.scope_value, names)


def scope_label(scope_type: Scope, value: str | None, names: Mapping[str, str] | None = None) -> str:
    """A scope as a reader names it (see `scope_words`), from its kind and its unit name or team id."""
    if scope_type is Scope.ORG:
        return "Organization"
    if value and unit_name(value) != value:
        return unit_name(value)  # teams not in teams.csv: neither a unit nor a team
    value = value or ""
    name = (names or {}).get(value, value) if scope_type in (Scope.TEAM, Scope.AI_TEAM) else value
    return f"{SCOPE_WORDS.get(scope_type, scope_type.value)}: {name}"


def _in_unit(result: KpiResult, value: float | None) -> float | None:
    """A value in the unit the Unit column names (percent points for a share), one decimal more than shown."""
    unit = kpi(result.kpi).unit
    return None if value is None else round(shown(unit, value), DECIMALS[unit] + 1)


def scorecard_table_rows(results: Sequence[KpiResult], names: Mapping[str, str] | None = None) -> list[list[object]]:
    """The rows of the scorecard's download: labels, words and values in the unit named beside them."""
    rows: list[list[object]] = []
    for r in results:
        k = kpi(r.kpi)
        rows.append([
            r.period, k.label, scope_words(r, names), _in_unit(r, r.value), k.unit.value, format_target(k, r.target),
            status_word(r.status, r.partial_window), _in_unit(r, r.previous), _in_unit(r, r.year_ago), r.n,
            r.note or "",
        ])
    return rows


def scorecard_table_csv(results: Sequence[KpiResult], names: Mapping[str, str] | None = None,
                        dialect: str = DEFAULT_CSV_DIALECT) -> bytes:
    """The scorecard as a CSV file a spreadsheet opens, in `dialect` (the setting `csv_dialect`)."""
    return table_csv(SCORECARD_COLUMNS, scorecard_table_rows(results, names), dialect)
