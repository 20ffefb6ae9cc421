"""The command line: each command module registers its own sub-command.

Exit codes (SPEC §4): 0 all stored / success; 1 a file rejected; 2 stored with rows
skipped; 3 usage error (also: a store that is read-only, for a change); 4 store busy,
nothing stored; 141 the output was cut by its reader (`... | head -1`).
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from pathlib import Path
from typing import TextIO

import duckdb

from aiorg_metrics.access.actor import Actor, trusted
from aiorg_metrics.common.spreadsheet import CSV_DIALECTS
from aiorg_metrics.common.textchars import terminal_safe
from aiorg_metrics.ingestion.import_log import current_user
from aiorg_metrics.store.connection import BUSY_SECONDS, Store, StoreReadOnlyError, StoreVersionError
from aiorg_metrics.store.location import default_db
from aiorg_metrics.store.snapshot import StoreModeError

EXIT_OK, EXIT_REJECTED, EXIT_SKIPPED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3, 4
EXIT_BROKEN_PIPE = 141  # the reader of the output stopped reading (128 + SIGPIPE, as a shell reports it)

# Which module owns each command, so that a run imports only what it needs (start-up time).
# Each module defines `register(subparsers)`; each sub-command sets `func(args) -> int`.
OWNER = {
    "ingest": "aiorg_metrics.cli.data",
    "history": "aiorg_metrics.cli.data",
    "undo": "aiorg_metrics.cli.data",
    "docs": "aiorg_metrics.cli.docs",
    "kpis": "aiorg_metrics.cli.kpis",
    "funnel": "aiorg_metrics.cli.org",
    "advisor": "aiorg_metrics.cli.org",
    "skills": "aiorg_metrics.cli.org",
    "decisions": "aiorg_metrics.cli.decisions",
    "report": "aiorg_metrics.cli.report",
}
COMMAND_MODULES = tuple(dict.fromkeys(OWNER.values()))


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """The `--db` option every command that reads or writes the store takes."""
    parser.add_argument("--db", type=Path, default=None, help="store file (default: $AIORG_DB or data/aiorg.duckdb)")


def add_settings_option(parser: argparse.ArgumentParser, what: str = "") -> None:
    """The `--settings` option; `what` says what the command reads from the file."""
    read = f" ({what})" if what else ""
    default = "default: $AIORG_SETTINGS, else aiorg.toml next to the store"
    parser.add_argument("--settings", type=Path, default=None, help=f"settings file{read}; {default}")


def add_csv_dialect_option(parser: argparse.ArgumentParser) -> None:
    """The `--csv-dialect` option of the commands that write tables as CSV for a spreadsheet."""
    parser.add_argument("--csv-dialect", choices=tuple(CSV_DIALECTS), default=None,
                        help="excel-fr: for a French Excel (BOM, ';', decimal comma); standard: ',' and decimal "
                             "point; default: the setting csv_dialect")


def db_path(args: argparse.Namespace) -> Path:
    """The store file of the command: --db, else the default location."""
    return args.db or default_db()


def cli_actor() -> Actor:
    """Who the command line acts as: the OS user, with full rights (it runs on the server)."""
    return trusted(current_user())


class UsageError(Exception):
    """A problem with the command's input: reported in one line, exit code 3."""


def existing_store(path: Path) -> Store:
    """The store at `path`; UsageError when there is none (a mistyped --db must not create one)."""
    if not path.is_file():
        raise UsageError(
            f"no store at {path}: check --db (or $AIORG_DB), or import data first "
            f"(python -m aiorg_metrics ingest --db {path} FILE...). Nothing was created."
        )
    return Store(path)


# --- printing: values from the files never reach the terminal raw ------------------------

def printable(value: object) -> str:
    """`value` as text with control characters escaped (ESC shows as \\u001b), newlines and tabs kept."""
    return terminal_safe(str(value))


def echo(value: object = "", *, err: bool = False) -> None:
    """Print a line (to stderr with `err`), control characters escaped."""
    stream = sys.stderr if err else sys.stdout
    print(printable(value), file=stream, flush=True)


def fail(message: object, code: int = EXIT_USAGE) -> int:
    """Print `error: message` to stderr; the exit code (3, a usage error, unless told)."""
    echo(f"error: {message}", err=True)
    return code


def busy(path: Path, stored: int = 0) -> int:
    """Print that the store is busy, and what was stored before (`stored` files); exit code 4."""
    kept = f"the {stored} file(s) imported before stay stored, the others were not imported" if stored else (
        "nothing was changed"
    )
    return fail(
        f"the store {path} is busy (another process held it for more than {BUSY_SECONDS:g} s): {kept}. "
        "Try again in a moment.",
        EXIT_BUSY,
    )


class _PrintableWriter(io.TextIOBase):
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def write(self, text: str) -> int:
        self._out.write(printable(text))
        return len(text)

    def flush(self) -> None:
        self._out.flush()


def printable_stdout() -> TextIO:
    """Standard output for writers (JSON, CSV, tables) with control characters escaped."""
    return _PrintableWriter(sys.stdout)  # type: ignore[return-value]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit with 3, not argparse's 2
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; given a known `command`, only its module is imported."""
    parser = _Parser(prog="python -m aiorg_metrics", description="AI organization KPI dashboard: data and KPIs.")
    subs = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    modules = (OWNER[command],) if command in OWNER else COMMAND_MODULES
    for name in modules:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subs)
    return parser


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit code. Output cut by the reader (`... | head -1`) ends it quietly
    with 141 (128 + SIGPIPE), the status a shell reports for any tool stopped that way."""
    try:
        code = _run(sys.argv[1:] if argv is None else argv)
        sys.stdout.flush()  # inside the try: a reader gone shows here, not as a traceback at exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE


OUT_OF_MEMORY_MESSAGE = ("there is not enough memory for this command on this machine (DuckDB ran out). Nothing was "
                         "changed. Close other programs, or run it where more memory is available.")


def _run(argv: list[str]) -> int:
    args = build_parser(argv[0] if argv else None).parse_args(argv)

    try:
        return int(args.func(args))
    except (StoreVersionError, StoreReadOnlyError, StoreModeError) as exc:  # cannot be upgraded, changed, or set
        return fail(exc)
    except UsageError as exc:
        return fail(" ".join(str(exc).split()))
    except duckdb.OutOfMemoryException:
        return fail(OUT_OF_MEMORY_MESSAGE)
    except duckdb.Error as exc:  # never a traceback; DuckDB's first line only (its full text can echo data)
        return fail(f"the store could not be read: {str(exc).splitlines()[0]}. Nothing was changed.")
