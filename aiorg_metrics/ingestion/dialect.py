"""How a file writes its numbers and dates, decided once per file (SPEC §1).

The decision is made from the values of the dataset's number, date and month columns,
read as text: a decimal comma or point (never both), slash dates day-first (refused as
month-first when the numbers prove it), timestamps reduced to their date.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from aiorg_metrics.datasets.fieldtypes import ColumnType
from aiorg_metrics.datasets.registry import Dataset

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
    """Number text without spaces, no-break and narrow no-break spaces, and the euro sign."""
    return f"translate({expr}, ' ' || chr(160) || chr(8239) || '€', '')"


# A column's value as read (`raw`: f0, f1, ...) and as detection reads it (`value`: cleaned or trimmed).
# Each condition first looks for its mark in the raw text: cleaning removes only spaces and '€', so
# the mark is in the one exactly when it is in the other, and the test is 4 times cheaper.
Value = tuple[str, str]


def _condition(condition: str, value: Value) -> str:
    return condition.format(raw=value[0], v=value[1])


def _exists(cur: duckdb.DuckDBPyConnection, values: list[Value], condition: str, params: list[str]) -> bool:
    """Whether any value matches; stops at the first match (a full scan only when none does)."""
    if not values:
        return False
    checks = " OR ".join(f"EXISTS (SELECT 1 FROM _raw WHERE {_condition(condition, v)})" for v in values)
    return bool(cur.execute(f"SELECT {checks}", params * len(values)).fetchall()[0][0])


def _first(cur: duckdb.DuckDBPyConnection, values: list[Value], condition: str, params: list[str]) -> tuple:
    """(line, value) of the first value that matches."""
    union = " UNION ALL ".join(
        f"SELECT _line, {v[1]} AS v FROM _raw WHERE {_condition(condition, v)}" for v in values
    )
    return tuple(
        cur.execute(f"SELECT _line, v FROM ({union}) ORDER BY _line LIMIT 1", params * len(values)).fetchall()[0]
    )


COMMA = "{raw} LIKE '%,%' AND regexp_matches({v}, ?)"
POINT = "{raw} LIKE '%.%' AND regexp_matches({v}, ?)"
SLASH = "{raw} LIKE '%/%' AND regexp_matches({v}, ?)"


def _number_marks(cur: duckdb.DuckDBPyConnection, numbers: list[Value]) -> tuple[tuple | None, tuple | None]:
    """(line, value) of the first number written with a decimal comma, and with a decimal point."""
    comma = _exists(cur, numbers, COMMA, [COMMA_NUMBER])
    point = _exists(cur, numbers, POINT, [POINT_NUMBER])
    if comma and point:  # the refusal quotes an example of each
        return _first(cur, numbers, COMMA, [COMMA_NUMBER]), _first(cur, numbers, POINT, [POINT_NUMBER])
    return ((0, "") if comma else None), ((0, "") if point else None)


def _date_forms(cur: duckdb.DuckDBPyConnection, dates: list[Value]) -> dict[str, object]:
    """Which date forms appear, and the evidence for month-first slash dates."""
    forms: dict[str, object] = {
        "slash": _exists(cur, dates, SLASH, [SLASH_DATE]),
        "iso": _exists(cur, dates, "{raw} LIKE '%-%' AND regexp_matches({v}, ?)", [ISO_DATE]),
        "timestamps": _exists(cur, dates, "{raw} LIKE '%:%' AND regexp_matches({v}, ?)", [TIMESTAMP]),
        "max_first": None,
        "max_second": None,
    }
    if forms["slash"]:
        forms.update(_slash_evidence(cur, dates))
    return forms


def _slash_evidence(cur: duckdb.DuckDBPyConnection, dates: list[Value]) -> dict[str, object]:
    """The largest first and second numbers of the slash dates, and the first date whose second is above 12.

    One pattern match per value: both numbers are read from the match at once, and a value that does
    not match gives empty numbers, which count for nothing (as when the match was tested first).
    """
    union = " UNION ALL ".join(
        f"SELECT _line, {value} AS v, regexp_extract({value}, '{SLASH_DATE}', ['first', 'second']) AS d FROM _raw "
        f"WHERE {raw} LIKE '%/%'"
        for raw, value in dates
    )
    first, second = "TRY_CAST(d.first AS INTEGER)", "TRY_CAST(d.second AS INTEGER)"
    row = cur.execute(
        f"SELECT max({first}), max({second}), min(_line) FILTER ({second} > 12), "
        f"arg_min(v, _line) FILTER ({second} > 12) FROM ({union})"
    ).fetchall()[0]
    return dict(zip(("max_first", "max_second", "line", "example"), row, strict=True))


def detect(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, columns: dict[str, str], encoding: str, delimiter_label: str
) -> Dialect:
    """The file's dialect, from the raw text columns of `_raw` (`columns`: dataset column → SQL expr)."""
    numbers = [
        (columns[c.name], _clean_number(columns[c.name]))
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
        (columns[c.name], f"trim({columns[c.name]})")
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


# A day-first date in its usual form (31/03/2026): read by position, one pattern instead of four.
SLASH_DATE_2 = r"[0-9]{2}/[0-9]{2}/[0-9]{4}"


def date_sql(expr: str, dialect: Dialect | None = None) -> str:
    """Canonical YYYY-MM-DD text of an ISO, day-first or timestamp value; other text unchanged.

    With the file's `dialect`, only the forms `detect` found in the file's date columns are tried
    (a branch for a form found nowhere would never be taken), and a day-first date in its usual
    form takes one pattern match instead of five (the ISO one, the day-first one and its three parts).
    """
    v = f"nullif(trim({expr}), '')"
    slash = (
        f"regexp_extract({v}, '{SLASH_DATE}', 3) || '-' || lpad(regexp_extract({v}, '{SLASH_DATE}', 2), 2, '0')"
        f" || '-' || lpad(regexp_extract({v}, '{SLASH_DATE}', 1), 2, '0')"
    )
    branches = []
    if dialect is None or dialect.iso_dates:
        branches.append(f"WHEN regexp_matches({v}, '{ISO_DATE}') THEN left({v}, 10)")
    if dialect is None or dialect.slash_dates:
        branches += [
            f"WHEN regexp_full_match({v}, '{SLASH_DATE_2}') THEN substr({v}, 7, 4) || '-' || substr({v}, 4, 2) || '-' "
            f"|| substr({v}, 1, 2)",
            f"WHEN regexp_matches({v}, '{SLASH_DATE}') THEN {slash}",
        ]
    return f"CASE {' '.join(branches)} ELSE {v} END" if branches else v


MONTH_ISO = r"^([0-9]{4})-([0-9]{1,2})$"
MONTH_SLASH = r"^([0-9]{1,2})/([0-9]{4})$"


def month_sql(expr: str, dialect: Dialect | None = None) -> str:
    """Canonical YYYY-MM-DD text for a month: 2026-03 and 03/2026 give the 1st; a full date stays (`date_sql`)."""
    v = f"nullif(trim({expr}), '')"
    return (
        f"CASE WHEN regexp_matches({v}, '{MONTH_ISO}') THEN regexp_extract({v}, '{MONTH_ISO}', 1) || '-' || "
        f"lpad(regexp_extract({v}, '{MONTH_ISO}', 2), 2, '0') || '-01' "
        f"WHEN regexp_matches({v}, '{MONTH_SLASH}') THEN regexp_extract({v}, '{MONTH_SLASH}', 2) || '-' || "
        f"lpad(regexp_extract({v}, '{MONTH_SLASH}', 1), 2, '0') || '-01' "
        f"ELSE {date_sql(expr, dialect)} END"
    )
