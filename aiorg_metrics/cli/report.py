"""`report`: the quarterly review pack for a quarter and a scope, written to a file.

Formats: `html` (one self-contained file), `pdf` (the HTML printed by the system Chromium), `xlsx` (one
sheet per table), `csv` (a zip of the same tables as CSVs, in `--csv-dialect`, default the setting
`csv_dialect`). The file is written atomically (a temporary file in the same folder, then renamed over
`--out`), so a reader never sees half a pack and an existing file is replaced whole.

Exit codes: 0 written; 1 Chromium failed to print the PDF; 3 bad input (no store, a quarter outside the
data, an unknown business unit or team, a missing output folder, an `--out` whose extension is not the
format's — .html or .htm, .pdf, .xlsx, .zip for csv —, Chromium not installed); 4 store busy.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import tempfile
from pathlib import Path

from aiorg_metrics.access.disclosure import FULL
from aiorg_metrics.analysis.decisions import known_values
from aiorg_metrics.analysis.directory import teams as team_directory
from aiorg_metrics.cli import (
    EXIT_OK,
    EXIT_REJECTED,
    UsageError,
    add_csv_dialect_option,
    add_db_option,
    add_settings_option,
    busy,
    db_path,
    echo,
    existing_store,
    fail,
)
from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.display.review import ReviewScope, StoreSource
from aiorg_metrics.kpi import Scope
from aiorg_metrics.kpi.engine import check_covered, coverage
from aiorg_metrics.kpi.settings import SettingsError, settings_for_db
from aiorg_metrics.report.outputs import FORMATS, pack_file
from aiorg_metrics.report.pdf import ChromiumMissing, PdfError
from aiorg_metrics.store.connection import Store, StoreBusyError


def register(subs: argparse._SubParsersAction) -> None:
    """Add the `report` sub-command."""
    parser = subs.add_parser(
        "report", help="write the quarterly review pack (HTML, PDF, XLSX or a zip of CSVs)",
        description="The review pack for a quarter, for the whole organization, a business unit or a team.",
    )
    add_db_option(parser)
    add_settings_option(parser, "targets, CSV dialect")
    parser.add_argument("--quarter", required=True, help="the review's quarter, e.g. 2026-Q3")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--business-unit", help="only this business unit (its name, as in the teams file)")
    scope.add_argument("--team", help="only this team (its id, as in the teams file)")
    parser.add_argument("--format", choices=FORMATS, required=True,
                        help="html, pdf (needs Chromium), xlsx, or csv (a zip of the tables)")
    parser.add_argument("--out", type=Path, required=True, help="the file to write (replaced if it exists)")
    add_csv_dialect_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """The `report` command: write the pack, then say what was written."""
    try:
        quarter = Quarter.parse(args.quarter)
        out = _checked_out(args.out, args.format)
        db = db_path(args)
        store = existing_store(db)
        settings = settings_for_db(db, args.settings)
        view = review_scope(store, quarter, args.business_unit, args.team)
        written = pack_file(StoreSource(store, settings), store, view, args.format, args.csv_dialect,
                            disclosure=FULL)  # the command line runs on the server with full rights
    except (QuarterError, SettingsError, ChromiumMissing) as exc:
        return fail(exc)
    except PdfError as exc:
        return fail(exc, EXIT_REJECTED)
    except StoreBusyError:
        return busy(db_path(args))
    write_atomically(out, written.data)
    echo(f"Wrote the {quarter} review pack for {_scope_words(view)} ({written.description}) to {out}")
    return EXIT_OK


def _scope_words(view: ReviewScope) -> str:
    return "the whole organization" if view.scope_text == "whole organization" else view.scope_text


OUT_EXTENSIONS = {"html": (".html", ".htm"), "pdf": (".pdf",), "xlsx": (".xlsx",), "csv": (".zip",)}
WHAT_IT_IS = {"html": "an HTML pack is a web page", "pdf": "a PDF pack is a PDF document",
              "xlsx": "an xlsx pack is an Excel workbook", "csv": "a csv pack is a zip of CSV files"}


def _checked_extension(out: Path, fmt: str) -> None:
    """UsageError when `--out`'s extension is not the format's, naming the one expected: a zip named
    `.csv` or HTML named `.pdf` would open wrong (or not at all) on a double click."""
    expected = OUT_EXTENSIONS[fmt]
    if out.suffix.lower() not in expected:
        raise UsageError(f"--out {out}: {WHAT_IT_IS[fmt]}; name it …{' or …'.join(expected)}, e.g. "
                         f"{out.with_suffix(expected[0])}. Nothing was written.")


def _checked_out(out: Path, fmt: str) -> Path:
    """`--out`, refused when its extension is not the format's, its folder does not exist or it names a
    folder."""
    _checked_extension(out, fmt)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"the folder {folder} does not exist: create it first, or choose another --out. "
                         "Nothing was written.")
    if out.is_dir():
        example = out / f"review{OUT_EXTENSIONS[fmt][0]}"
        raise UsageError(f"{out} is a folder: give --out a file name, e.g. {example}. Nothing was written.")
    return out


def review_scope(store: Store, quarter: Quarter, business_unit: str | None, team_id: str | None) -> ReviewScope:
    """The review's scope, checked: the quarter within the data, the unit or team known (UsageError listing
    the known ones)."""
    with store.reading() as cur:
        check_covered(quarter, coverage(cur))
        if business_unit is not None:
            units = known_values(cur, Scope.BUSINESS_UNIT)
            if business_unit not in units:
                raise UsageError(f"unknown business unit '{business_unit}'; known: {', '.join(units)}")
            return ReviewScope(quarter, business_unit)
        if team_id is None:
            return ReviewScope(quarter)
        directory = team_directory(cur)
    found = directory[directory["team_id"] == team_id]
    if found.empty:
        raise UsageError(f"unknown team '{team_id}'; known: {', '.join(sorted(directory['team_id']))}")
    row = found.iloc[0]
    return ReviewScope(quarter, None, team_id, str(row["team_name"]), str(row["business_unit"]))


def _new_file_mode(path: Path) -> int:
    """The mode the file would have had if written directly: the existing file's, else 0o666 less the umask."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: a temporary file in the same folder, then renamed over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, _new_file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
