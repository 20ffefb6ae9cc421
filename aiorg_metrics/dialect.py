"""How a file writes its numbers and dates, decided once per file (SPEC §1).

The decision is made from the values of the dataset's number, date and month columns,
read as text: a decimal comma or point (never both), slash dates day-first (refused as
month-first when the numbers prove it), timestamps reduced to their date.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .datasets import Dataset
from .fieldtypes import ColumnType

SPACES = "' ', chr(160), chr(8239)"
COMMA_NUMBER = r"^[+-]?[0-9 \x{00A0}\x{202F}]*,[0-9]+$"
POINT_NUMBER = r"^[+-]?[0-9 \x{00A0}\x{202F}]*\.[0-9]+$"
SLASH_DATE = r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})([ T].*)?$"
ISO_DATE = r"^([0-9]{4})-([0-9]{2})-([0-9]{2})([ T].*)?$"
TIMESTAMP = r"^[0-9/-]+[ T][0-9]{1,2}:[0-9]{2}.*$"


class FileRefusedError(Exception):
    """The whole file is refused (its message explains why and how to fix it)."""


@dataclass(frozen=True)
class Dialect:
    encoding: str
    delimiter_label: str
    decimal_comma: bool
    saw_decimals: bool
    slash_dates: bool
    iso_dates: bool
    timestamps: bool

    def describe(self) -> str:
        parts = [self.encoding, self.delimiter_label]
        if self.saw_decimals:
            parts.append("decimal comma" if self.decimal_comma else "decimal point")
        dates = [name for name, seen in (("ISO", self.iso_dates), ("day-first", self.slash_dates)) if seen]
        if dates:
            parts.append("dates " + " and ".join(dates))
        if self.timestamps:
            parts.append("timestamps (date part used)")
        return ", ".join(parts)


def _clean_number(expr: str) -> str:
    """Number text without spaces, thin spaces and the euro sign."""
    out = f"trim({expr})"
    for ch in ("' '", "chr(160)", "chr(8239)", "'€'"):
        out = f"replace({out}, {ch}, '')"
    return out


def _union(exprs: list[str]) -> str:
    return " UNION ALL ".join(f"SELECT _line, {e} AS v FROM _raw" for e in exprs)


def _number_marks(cur: duckdb.DuckDBPyConnection, numbers: list[str]) -> tuple[tuple | None, tuple | None]:
    """(line, value) of the first number written with a decimal comma, and with a decimal point."""
    if not numbers:
        return None, None
    comma = "v LIKE '%,%' AND regexp_matches(v, ?)"
    point = "v LIKE '%.%' AND regexp_matches(v, ?)"
    row = cur.execute(
        f"SELECT min(_line) FILTER ({comma}), arg_min(v, _line) FILTER ({comma}), "
        f"min(_line) FILTER ({point}), arg_min(v, _line) FILTER ({point}) FROM ({_union(numbers)})",
        [COMMA_NUMBER, COMMA_NUMBER, POINT_NUMBER, POINT_NUMBER],
    ).fetchall()[0]
    return (row[0], row[1]) if row[0] is not None else None, (row[2], row[3]) if row[2] is not None else None


def _date_forms(cur: duckdb.DuckDBPyConnection, dates: list[str]) -> dict[str, object]:
    """Which date forms appear, and the evidence for month-first slash dates."""
    if not dates:
        return {"slash": False, "iso": False, "timestamps": False, "max_first": None, "max_second": None}
    slash = "v LIKE '%/%' AND regexp_matches(v, ?)"
    first = f"TRY_CAST(regexp_extract(v, '{SLASH_DATE}', 1) AS INTEGER)"
    second = f"TRY_CAST(regexp_extract(v, '{SLASH_DATE}', 2) AS INTEGER)"
    row = cur.execute(
        f"SELECT bool_or({slash}), bool_or(v LIKE '%-%' AND regexp_matches(v, ?)), "
        f"bool_or(v LIKE '%:%' AND regexp_matches(v, ?)), max({first}) FILTER ({slash}), "
        f"max({second}) FILTER ({slash}), min(_line) FILTER ({slash} AND {second} > 12), "
        f"arg_min(v, _line) FILTER ({slash} AND {second} > 12) FROM ({_union(dates)})",
        [SLASH_DATE, ISO_DATE, TIMESTAMP, SLASH_DATE, SLASH_DATE, SLASH_DATE, SLASH_DATE],
    ).fetchall()[0]
    keys = ("slash", "iso", "timestamps", "max_first", "max_second", "line", "example")
    return dict(zip(keys, row, strict=True))


def detect(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, columns: dict[str, str], encoding: str, delimiter_label: str
) -> Dialect:
    """The file's dialect, from the raw text columns of `_raw` (`columns`: dataset column → SQL expr)."""
    numbers = [
        _clean_number(columns[c.name])
        for c in ds.columns
        if c.name in columns and c.type in (ColumnType.INT, ColumnType.FLOAT)
    ]
    comma, point = _number_marks(cur, numbers)
    if comma and point:
        raise FileRefusedError(
            f"The numbers in this file use both a decimal comma (e.g. '{comma[1]}' on line {comma[0]}) and a "
            f"decimal point (e.g. '{point[1]}' on line {point[0]}). Use one decimal mark throughout the file."
        )
    dates = [
        f"trim({columns[c.name]})"
        for c in ds.columns
        if c.name in columns and c.type in (ColumnType.DATE, ColumnType.MONTH)
    ]
    forms = _date_forms(cur, dates)
    _refuse_month_first(forms)
    return Dialect(
        encoding=encoding,
        delimiter_label=delimiter_label,
        decimal_comma=comma is not None,
        saw_decimals=bool(comma or point),
        slash_dates=bool(forms["slash"]),
        iso_dates=bool(forms["iso"]),
        timestamps=bool(forms["timestamps"]),
    )


def _refuse_month_first(forms: dict[str, object]) -> None:
    """Slash dates are day first; a second number above 12 with no first above 12 proves otherwise."""
    max_first, max_second = forms["max_first"], forms["max_second"]
    if max_second is not None and max_second > 12 and (max_first or 0) <= 12:
        raise FileRefusedError(
            f"The dates in this file are written month first (e.g. '{forms['example']}' on line {forms['line']}): "
            "dates with a slash must be day first (31/03/2026). Re-export with a European date format, "
            "or write dates as 2026-03-31."
        )


def number_sql(expr: str, dialect: Dialect) -> str:
    """Canonical number text ('.' decimal, no separators) of a raw value."""
    cleaned = _clean_number(expr)
    cleaned = f"nullif({cleaned}, '')"
    return f"replace({cleaned}, ',', '.')" if dialect.decimal_comma else cleaned


def date_sql(expr: str) -> str:
    """Canonical YYYY-MM-DD text of an ISO, day-first or timestamp value; other text unchanged."""
    v = f"nullif(trim({expr}), '')"
    slash = (
        f"regexp_extract({v}, '{SLASH_DATE}', 3) || '-' || lpad(regexp_extract({v}, '{SLASH_DATE}', 2), 2, '0')"
        f" || '-' || lpad(regexp_extract({v}, '{SLASH_DATE}', 1), 2, '0')"
    )
    return (
        f"CASE WHEN regexp_matches({v}, '{ISO_DATE}') THEN left({v}, 10) "
        f"WHEN regexp_matches({v}, '{SLASH_DATE}') THEN {slash} ELSE {v} END"
    )


MONTH_ISO = r"^([0-9]{4})-([0-9]{1,2})$"
MONTH_SLASH = r"^([0-9]{1,2})/([0-9]{4})$"


def month_sql(expr: str) -> str:
    """Canonical YYYY-MM-DD text for a month: 2026-03 and 03/2026 give the 1st; a full date stays."""
    v = f"nullif(trim({expr}), '')"
    return (
        f"CASE WHEN regexp_matches({v}, '{MONTH_ISO}') THEN regexp_extract({v}, '{MONTH_ISO}', 1) || '-' || "
        f"lpad(regexp_extract({v}, '{MONTH_ISO}', 2), 2, '0') || '-01' "
        f"WHEN regexp_matches({v}, '{MONTH_SLASH}') THEN regexp_extract({v}, '{MONTH_SLASH}', 2) || '-' || "
        f"lpad(regexp_extract({v}, '{MONTH_SLASH}', 1), 2, '0') || '-01' "
        f"ELSE {date_sql(expr)} END"
    )
