"""Exports opened in a spreadsheet: one CSV writer for the app's tables, in the dialect a setting picks,
and text that would run as a formula neutralized.

Dialects (setting `csv_dialect`):

- `excel-fr` (default): UTF-8 with a byte-order mark (so Excel reads accents right), `;` between cells,
  decimal comma; what a French Excel opens in columns with a double click.
- `standard`: UTF-8, `,` between cells, decimal point.

In both, a share is written as a percent number (0.42 → 42.0) in a column whose title carries "(%)",
numbers are never grouped by thousands, and records end with CRLF (RFC 4180).

Use-case titles (and any free text from the exports) may start with =, +, - or @ (or their fullwidth
forms, which spreadsheets also read as formulas); every CSV we write prefixes such a cell with a single
quote.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # ＝ ＋ － ＠

CsvDialectName = Literal["excel-fr", "standard"]
DEFAULT_CSV_DIALECT: CsvDialectName = "excel-fr"


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV writes its cells apart and its numbers."""

    delimiter: str
    decimal: str
    bom: bool


CSV_DIALECTS: dict[str, CsvDialect] = {
    "excel-fr": CsvDialect(delimiter=";", decimal=",", bom=True),
    "standard": CsvDialect(delimiter=",", decimal=".", bom=False),
}


class Kind(StrEnum):
    """What a column holds, which decides how its cells are written."""

    TEXT = "text"
    NUMBER = "number"  # written with `decimals` decimals, or as few as it needs when None
    SHARE = "share"  # a fraction, written as a percent number in a "(%)" column
    COUNT = "count"  # a whole number
    MONEY = "money"  # an amount in euros (a workbook shows it with €; a CSV writes the number)
    MONTHS = "months"  # a duration in months
    DATE = "date"  # a day, written ISO in a CSV
    DATETIME = "datetime"  # a moment to the minute, "2026-11-30 05:46" in a CSV


@dataclass(frozen=True)
class Column:
    """A column of an exported table: its title (as a reader sees it), its kind, its decimals."""

    title: str
    kind: Kind = Kind.TEXT
    decimals: int | None = None

    @property
    def heading(self) -> str:
        """The title written in the header; a share's says it is in percent."""
        return f"{self.title} (%)" if self.kind is Kind.SHARE and "%" not in self.title else self.title


def neutralize(value: object) -> object:
    """`value`, with a quote in front when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _number(value: float, decimals: int | None, dialect: CsvDialect) -> str:
    text = f"{value:.{decimals}f}" if decimals is not None else f"{round(value, 6):.6f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace(".", dialect.decimal)


def cell_text(value: object, column: Column, dialect: CsvDialect) -> str:
    """A cell as written: numbers in the dialect, empty for none, yes/no, dates ISO, text neutralized."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime) and column.kind is Kind.DATETIME:
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and column.kind is not Kind.TEXT:
        if column.kind is Kind.COUNT:
            return str(round(value))
        if column.kind is Kind.SHARE:
            return _number(value * 100, 1 if column.decimals is None else column.decimals, dialect)
        return _number(float(value), column.decimals, dialect)
    text = value if isinstance(value, str) else str(value)
    return str(neutralize(text))


def dialect_of(name: str) -> CsvDialect:
    """The dialect named `name` (`excel-fr` or `standard`); ValueError names the known ones."""
    try:
        return CSV_DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown CSV dialect {name!r}; known: {', '.join(CSV_DIALECTS)}") from None


def table_csv(columns: Sequence[Column], rows: Iterable[Sequence[object]], dialect: str = DEFAULT_CSV_DIALECT) -> bytes:
    """A table as the bytes of a CSV file in `dialect`: the header of column headings, then a record a row."""
    how = dialect_of(dialect)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=how.delimiter, lineterminator="\r\n")
    writer.writerow([str(neutralize(c.heading)) for c in columns])
    for row in rows:
        writer.writerow([cell_text(v, c, how) for v, c in zip(row, columns, strict=True)])
    return out.getvalue().encode("utf-8-sig" if how.bom else "utf-8")
