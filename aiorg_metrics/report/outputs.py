"""The review pack's files, one per format, for a quarter and a scope: what the `report` command writes and
the review page's download buttons offer.

- `html`: the self-contained HTML pack (`report.html.pack_html`);
- `pdf`: that HTML printed by the system Chromium (`report.pdf.html_to_pdf`; ChromiumMissing when absent);
- `xlsx`: the workbook of the pack's tables (`report.workbook`);
- `csv`: a zip holding the same tables, one CSV each, in a CSV dialect (`common.spreadsheet.table_csv`).
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from aiorg_metrics.access.disclosure import NOTHING, Disclosure
from aiorg_metrics.common.spreadsheet import Column, Kind, table_csv
from aiorg_metrics.common.words import count_of
from aiorg_metrics.display.review import ReviewScope, ReviewSource
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.report.html import pack_html
from aiorg_metrics.report.pack import build_pack
from aiorg_metrics.report.pdf import ChromiumMissing, chromium_path, html_to_pdf
from aiorg_metrics.report.workbook import Sheet, Typed, pack_sheets, sheet_names, workbook_bytes
from aiorg_metrics.store.connection import Store

FORMATS = ("html", "pdf", "xlsx", "csv")
MIME = {"html": "text/html", "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "application/zip"}
EXTENSIONS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "csv": "zip"}
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@dataclass(frozen=True)
class PackFile:
    """One format of the pack: its bytes and how it reads in a sentence ("PDF, 12 pages")."""

    format: str
    data: bytes
    detail: str = ""

    @property
    def description(self) -> str:
        """"PDF, 12 pages, 340 KB"."""
        parts = [self.format.upper() if self.format != "csv" else "CSV zip", self.detail, size_text(len(self.data))]
        return ", ".join(p for p in parts if p)


def size_text(size: int) -> str:
    """A file size as a reader says it: "820 bytes", "340 KB", "2.1 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def slug(text: str) -> str:
    """`text` as a file-name part: ASCII letters and digits, lower case, dashes between words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "scope"


def file_name(view: ReviewScope, fmt: str) -> str:
    """The pack's file name: `review-2026-Q3-insurance.pdf`, `review-2026-Q3-organization.xlsx`."""
    where = (view.team_name or view.team_id) if view.team_id else (view.business_unit or "organization")
    return f"review-{view.quarter}-{slug(str(where))}.{EXTENSIONS[fmt]}"


# --- the tables as CSVs ----------------------------------------------------------------------


def _csv_value(value: object, column: Column) -> object:
    """A workbook cell as a CSV writes it: a day without its midnight; a cell typed in its own unit gives its
    number, a share as percent points (the CSVs' convention), with one decimal more than shown."""
    if isinstance(value, datetime) and column.kind is Kind.DATE:
        return value.date()
    if not isinstance(value, Typed) or not isinstance(value.value, int | float):
        return value.value if isinstance(value, Typed) else value
    number = value.value * 100 if value.kind is Kind.SHARE else value.value
    return number if value.decimals is None else round(number, value.decimals + 1)


def sheet_csv(sheet: Sheet, dialect: str) -> bytes:
    """One table of the workbook as a CSV file in `dialect` (same columns, same rows)."""
    rows = [[_csv_value(v, c) for v, c in zip(row, sheet.columns, strict=True)] for row in sheet.rows]
    return table_csv(sheet.columns, rows, dialect)


def csv_zip(sheets: Sequence[Sheet], dialect: str) -> bytes:
    """The tables as a zip of CSV files, one per workbook sheet, named after it (`scorecard.csv`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, sheet in zip(sheet_names(s.title for s in sheets), sheets, strict=True):
            archive.writestr(f"{slug(name)}.csv", sheet_csv(sheet, dialect))
    return buffer.getvalue()


# --- the files -------------------------------------------------------------------------------


def tables(store: Store, view: ReviewScope, settings: Settings, *, disclosure: Disclosure = NOTHING) -> list[Sheet]:
    """The pack's tables for the view's quarter and scope, with the person-level details `disclosure` allows."""
    team = view.team_id
    return pack_sheets(store, view.quarter, settings, business_unit=None if team else view.business_unit,
                       team_id=team, disclosure=disclosure)


def pdf_pages(data: bytes) -> int:
    """How many pages a PDF printed by Chromium has (its page objects)."""
    return len(PDF_PAGE.findall(data))


def require_chromium() -> None:
    """ChromiumMissing when the PDF printer has no Chromium, checked before the pack is built."""
    chromium = chromium_path()
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        raise ChromiumMissing(chromium)


def html_file(source: ReviewSource, store: Store, view: ReviewScope, *,
              disclosure: Disclosure = NOTHING) -> PackFile:
    """The HTML pack, with the person-level details `disclosure` allows."""
    return PackFile("html", pack_html(build_pack(source, store, view, disclosure=disclosure)).encode("utf-8"))


def pdf_file(html: bytes) -> PackFile:
    """The HTML pack printed to PDF (ChromiumMissing, PdfError from `report.pdf`)."""
    data = html_to_pdf(html.decode("utf-8"))
    return PackFile("pdf", data, count_of(pdf_pages(data), "page"))


def xlsx_file(store: Store, view: ReviewScope, settings: Settings, *, disclosure: Disclosure = NOTHING) -> PackFile:
    """The workbook of the pack's tables, with the person-level details `disclosure` allows."""
    sheets = tables(store, view, settings, disclosure=disclosure)
    return PackFile("xlsx", workbook_bytes(sheets), count_of(len(sheets), "sheet"))


def csv_file(store: Store, view: ReviewScope, settings: Settings, dialect: str | None = None, *,
             disclosure: Disclosure = NOTHING) -> PackFile:
    """The zip of the pack's tables as CSVs, in `dialect` (default: the setting `csv_dialect`), with the
    person-level details `disclosure` allows."""
    sheets = tables(store, view, settings, disclosure=disclosure)
    chosen = dialect or settings.csv_dialect
    return PackFile("csv", csv_zip(sheets, chosen), f"{count_of(len(sheets), 'table')}, {chosen}")


def pack_file(source: ReviewSource, store: Store, view: ReviewScope, fmt: str,
              csv_dialect: str | None = None, *, disclosure: Disclosure = NOTHING) -> PackFile:
    """The pack in format `fmt` (one of FORMATS) for the view's quarter and scope, with the person-level
    details `disclosure` allows (the command line passes `disclosure.FULL`: it runs with full rights)."""
    if fmt == "xlsx":
        return xlsx_file(store, view, source.settings, disclosure=disclosure)
    if fmt == "csv":
        return csv_file(store, view, source.settings, csv_dialect, disclosure=disclosure)
    if fmt == "pdf":
        require_chromium()
    html = html_file(source, store, view, disclosure=disclosure)
    return pdf_file(html.data) if fmt == "pdf" else html
