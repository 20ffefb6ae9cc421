"""Re-save a CSV as French Excel would: cp1252, ';', decimal comma, day-first dates, CRLF."""

from __future__ import annotations

import csv
import io
import re

from aiorg_metrics.datasets.fieldtypes import ColumnType
from aiorg_metrics.datasets.registry import Dataset

ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _french(value: str, kind: ColumnType) -> str:
    if kind is ColumnType.DATE and ISO.match(value):
        y, m, d = ISO.match(value).groups()
        return f"{d}/{m}/{y}"
    if kind is ColumnType.MONTH and MONTH.match(value):
        y, m = MONTH.match(value).groups()
        return f"{m}/{y}"
    if kind is ColumnType.FLOAT and value:
        whole, _, decimals = value.partition(".")
        grouped = f"{int(whole):,}".replace(",", "\u00a0") if whole.lstrip("-").isdigit() else whole
        return grouped + ("," + decimals if decimals else "")
    if kind is ColumnType.ENUM:
        return value.upper()
    return value


def as_french_excel(text: str, ds: Dataset) -> bytes:
    rows = list(csv.reader(io.StringIO(text)))
    kinds = {c.name: c.type for c in ds.columns}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([" " + h.upper() + " " for h in rows[0]])
    for row in rows[1:]:
        writer.writerow([_french(v, kinds.get(h, ColumnType.TEXT)) for h, v in zip(rows[0], row, strict=True)])
    return out.getvalue().encode("cp1252")
