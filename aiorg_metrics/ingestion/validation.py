"""Bulk validation: the row models' rules compiled into one set-based DuckDB pass.

Checking 10^6 rows one pydantic call at a time is too slow, so each column's type,
range and enum, and each cross-field rule, is compiled from the registry into SQL over
the raw text. `rowcheck.py` checks the same rows with the models themselves; a test
proves both give the same problems.

Tables created in the cursor's temporary schema: `_raw` (text as read), `_norm`
(trimmed and canonical text), `_checked` (typed values, problem kinds, rule flags),
`_keyed` (keys), `_dups` (in-file duplicate keys) and `_invalid` (the lines not to store).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from datetime import date

import duckdb

from aiorg_metrics.common import clock
from aiorg_metrics.common.textchars import CONTROL_PATTERN
from aiorg_metrics.datasets.fieldtypes import (
    DATE_PATTERN,
    EARLIEST_DATE,
    FLOAT_PATTERN,
    INT_PATTERN,
    NON_FINITE_PATTERN,
    ColumnType,
    ProblemKind,
    latest_date,
)
from aiorg_metrics.datasets.problems import (
    Level,
    Problem,
    ProblemCollector,
    column_problem_text,
    implausible_date_text,
    kept_sql,
    kind_summary,
)
from aiorg_metrics.datasets.registry import Column, Dataset
from aiorg_metrics.datasets.rules import sql_list
from aiorg_metrics.ingestion.columns import Layout
from aiorg_metrics.ingestion.dialect import Dialect, FileRefusedError, date_sql, month_sql, number_sql
from aiorg_metrics.ingestion.reader import (
    MAX_LINE_BYTES,
    OUT_OF_MEMORY,
    RawFile,
    UnreadableFileError,
    record_lines,
    too_many_fields,
    unclosed_quote,
)

OVERFLOW = 8  # spare fields to catch rows longer than the header
VALID = "k._line NOT IN (SELECT _line FROM _invalid)"  # the rows of `_keyed k` that will be stored


def q(name: str) -> str:
    """A quoted SQL identifier (names come from the registry only)."""
    return '"' + name.replace('"', '""') + '"'


def raw(c: str) -> str:
    return q("r:" + c)


def norm(c: str) -> str:
    return q("n:" + c)


def typed(c: str) -> str:
    return q("t:" + c)


def kind(c: str) -> str:
    return q("k:" + c)


def shown(c: str, month: bool = False) -> str:
    """A stored value as text for messages about valid rows (ISO dates, YYYY-MM months)."""
    return f"strftime({typed(c)}, '%Y-%m')" if month else f"CAST({typed(c)} AS VARCHAR)"


def load_raw(
    cur: duckdb.DuckDBPyConnection, raw_file: RawFile, n_fields: int, keep: Collection[int] | None = None
) -> int:
    """Read the UTF-8 copy as text into `_raw` (f0, f1, … and _line); returns the row count.

    `keep`: the positions of the fields to keep (default: all); the spare fields that catch
    rows longer than the header are always kept. Columns not stored are then never held.

    Files with quotes or very long lines are first read by Python's csv module, which names
    the line of a quote never closed or a value over the field limit (DuckDB's reader would
    swallow the rest of the file into an unclosed value) and maps records to physical lines.
    """
    lines = _record_lines(raw_file, n_fields) if raw_file.has_quotes or raw_file.long_lines else None
    names = [f"f{i}" for i in range(n_fields + OVERFLOW)]
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
    options = f"null_padding=true, max_line_size={MAX_LINE_BYTES}" + (", parallel=false" if lines is not None else "")
    options += f", skip={raw_file.header_line - 1}" if raw_file.header_line > 1 else ""  # Excel's "sep=;" line
    try:
        cur.execute(
            f"CREATE OR REPLACE TEMP TABLE _raw0 AS SELECT {_kept_fields(n_fields, keep)} FROM read_csv(?, delim=?, "
            "quote='\"', escape='\"', "
            f"header=true, auto_detect=false, columns={columns}, {options})",
            [str(raw_file.text_path), raw_file.delimiter],
        )
    except duckdb.Error as exc:
        raise FileRefusedError(_csv_error_text(exc, raw_file.has_quotes)) from None
    count, offset = cur.execute("SELECT count(*), coalesce(min(rowid), 0) FROM _raw0").fetchall()[0]
    # Temporary tables number their rows from an offset: rowid - offset is the 0-based record number.
    if lines is None and raw_file.physical_lines - raw_file.header_line == count:
        start = int(offset) - raw_file.header_line - 1  # the first record is the line after the header
        cur.execute(f"CREATE OR REPLACE TEMP VIEW _raw AS SELECT *, rowid - {start} AS _line FROM _raw0")
    else:
        _attach_physical_lines(cur, lines if lines is not None else _record_lines(raw_file, n_fields), int(offset))
    return int(count)


def _kept_fields(n_fields: int, keep: Collection[int] | None) -> str:
    if keep is None:
        return "*"
    return ", ".join(f"f{i}" for i in sorted({*keep, *range(n_fields, n_fields + OVERFLOW)}))


def _record_lines(raw_file: RawFile, n_fields: int) -> Sequence[int]:
    try:
        return record_lines(raw_file, n_fields + OVERFLOW)
    except UnreadableFileError as exc:
        raise FileRefusedError(str(exc)) from None


def _csv_error_text(exc: duckdb.Error, quoted: bool) -> str:
    """A plain message for DuckDB's reading error (its text echoes whole lines: never shown)."""
    message = str(exc)
    if isinstance(exc, duckdb.OutOfMemoryException) or "out of memory" in message.lower():
        return OUT_OF_MEMORY
    found = re.search(r"CSV Error on Line: (\d+)", message)
    # DuckDB counts records, not the lines of values with line breaks: only an approximation then.
    line = ("near " if quoted else "") + found.group(1) if found else "?"
    if "Maximum line size" in message:
        return (
            f"Line {line} is longer than {MAX_LINE_BYTES // (1 << 20)} MB, the limit for one row. "
            'Check for a quote (") that is never closed, or shorten the values of that row.'
        )
    if "unterminated quote" in message:
        return unclosed_quote(line)
    if "Expected Number of Columns" in message:
        return too_many_fields(line)
    where = f"line {line}" if found else "the file"
    return f"The file could not be read as CSV ({where}). Check the quotes and delimiters there, or export it again."


def _attach_physical_lines(cur: duckdb.DuckDBPyConnection, lines: Sequence[int], offset: int) -> None:
    """Record numbers → first physical line, for files with quoted newlines or blank lines.

    Only the records where the gap between record number and line changes are kept, and
    an ASOF join spreads them: few rows in the usual case, and no Arrow or numpy (whose late
    import fails in a process whose address space DuckDB has already reserved).
    """
    starts, shifts, previous = [], [], None
    for idx, line in enumerate(lines):
        if line - idx != previous:
            previous = line - idx
            starts.append(idx)
            shifts.append(previous)
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _shifts AS SELECT unnest(?::BIGINT[]) AS _idx, unnest(?::BIGINT[]) AS _shift",
        [starts or [0], shifts or [2]],
    )
    cur.execute(
        "CREATE OR REPLACE TEMP VIEW _raw AS SELECT r.* EXCLUDE (_idx), r._idx + s._shift AS _line FROM "
        f"(SELECT *, rowid - {offset} AS _idx FROM _raw0) r ASOF LEFT JOIN _shifts s ON r._idx >= s._idx"
    )


def _canonical(col: Column, expr: str, dialect: Dialect) -> str:
    if col.type in (ColumnType.INT, ColumnType.FLOAT):
        return number_sql(expr, dialect)
    if col.type is ColumnType.DATE:
        return date_sql(expr, dialect)
    if col.type is ColumnType.MONTH:
        return month_sql(expr, dialect)
    if col.type is ColumnType.ENUM:  # lower-casing is costly: only for values not already canonical
        return (
            f"CASE WHEN {expr} IN ({sql_list(col.rule.allowed)}) THEN {expr} ELSE nullif(lower(trim({expr})), '') END"
        )
    return f"nullif(trim({expr}), '')"


def _typed(col: Column) -> str:
    n = norm(col.name)
    if col.type is ColumnType.INT:
        return f"CASE WHEN regexp_full_match({n}, '{INT_PATTERN}') THEN TRY_CAST({n} AS BIGINT) END"
    if col.type is ColumnType.FLOAT:
        # + 0.0: "-0" is stored as 0.0, not -0.0 (as in fieldtypes)
        return f"CASE WHEN regexp_full_match({n}, '{FLOAT_PATTERN}') THEN TRY_CAST({n} AS DOUBLE) + 0.0 END"
    if col.type in (ColumnType.DATE, ColumnType.MONTH):
        cast = f"TRY_CAST({n} AS DATE)"
        cast = f"CAST(date_trunc('month', {cast}) AS DATE)" if col.type is ColumnType.MONTH else cast
        return f"CASE WHEN regexp_full_match({n}, '{DATE_PATTERN}') THEN {cast} END"
    if col.type is ColumnType.ENUM:
        return f"CASE WHEN {n} IN ({sql_list(col.rule.allowed)}) THEN {n} END"
    return n


NOT_PARSED = {
    ColumnType.INT: ProblemKind.NOT_INT,
    ColumnType.FLOAT: ProblemKind.NOT_NUMBER,
    ColumnType.DATE: ProblemKind.NOT_DATE,
    ColumnType.MONTH: ProblemKind.NOT_MONTH,
    ColumnType.ENUM: ProblemKind.NOT_IN_ENUM,
}
NUMBER_PATTERNS = {ColumnType.INT: INT_PATTERN, ColumnType.FLOAT: FLOAT_PATTERN}


def _kind(col: Column, has_control: bool = True) -> str:
    """The first problem of a column's value, as its kind; `has_control`: whether the file holds a control
    character anywhere (when it does not, the check of each value for one is left out: it would find none)."""
    n, t = norm(col.name), typed(col.name)
    branches = []
    if col.required:
        branches.append(f"WHEN {n} IS NULL THEN '{ProblemKind.REQUIRED.value}'")
    else:
        branches.append(f"WHEN {n} IS NULL THEN NULL")
    if has_control:
        branches.append(f"WHEN regexp_matches({n}, '{CONTROL_PATTERN}') THEN '{ProblemKind.CONTROL_CHAR.value}'")
    if col.type in NUMBER_PATTERNS:  # inf, nan, or too many digits for BIGINT: out of range, as in Python
        branches.append(
            f"WHEN {t} IS NULL AND (regexp_full_match({n}, '{NUMBER_PATTERNS[col.type]}') OR "
            f"regexp_full_match({n}, '{NON_FINITE_PATTERN}')) THEN '{ProblemKind.RANGE.value}'"
        )
    if col.type in NOT_PARSED:
        branches.append(f"WHEN {t} IS NULL THEN '{NOT_PARSED[col.type].value}'")
    if col.type in (ColumnType.DATE, ColumnType.MONTH):
        branches += [
            f"WHEN {t} < DATE '{EARLIEST_DATE.isoformat()}' THEN '{ProblemKind.DATE_TOO_EARLY.value}'",
            f"WHEN {t} > DATE '{latest_date(clock.today()).isoformat()}' THEN '{ProblemKind.DATE_TOO_LATE.value}'",
        ]
    out_of_range = _range_violation(col, t)
    if out_of_range:
        branches.append(f"WHEN {out_of_range} THEN '{ProblemKind.RANGE.value}'")
    return "CASE " + " ".join(branches) + " END"


def _range_violation(col: Column, t: str) -> str:
    rule, parts = col.rule, []
    if col.type is ColumnType.FLOAT:
        parts.append(f"NOT isfinite({t})")
    if rule.minimum is not None:
        parts.append(f"{t} {'<=' if rule.exclusive_minimum else '<'} {rule.minimum!r}")
    if rule.maximum is not None:
        parts.append(f"{t} > {rule.maximum!r}")
    return " OR ".join(parts)


def _null_of(col: Column) -> str:
    return f"CAST(NULL AS {col.sql_type})"


def build_checked(cur: duckdb.DuckDBPyConnection, layout: Layout, dialect: Dialect, has_control: bool = True) -> None:
    """Create the view `_norm` and the table `_checked` from `_raw`; `has_control`: whether the file holds a
    control character anywhere (`RawFile.has_control`)."""
    ds, present = layout.dataset, layout.present
    overflow_from = layout.n_fields
    overflow = " OR ".join(f"f{i} IS NOT NULL" for i in range(overflow_from, overflow_from + OVERFLOW))
    select = ["_line", f"({overflow}) AS _overflow"]
    for c in present:
        expr = f"f{layout.positions[c.name]}"
        select += [f"coalesce(trim({expr}), '') AS {raw(c.name)}", f"{_canonical(c, expr, dialect)} AS {norm(c.name)}"]
    cur.execute(f"CREATE OR REPLACE TEMP VIEW _norm AS SELECT {', '.join(select)} FROM _raw")
    typed_cols = [
        f"{_typed(c)} AS {typed(c.name)}" if c in present else f"{_null_of(c)} AS {typed(c.name)}" for c in ds.columns
    ]
    kinds = [f"{_kind(c, has_control)} AS {kind(c.name)}" for c in present]
    any_error = " OR ".join(f"{kind(c.name)} IS NOT NULL" for c in present) or "false"
    rules = [
        f"(NOT _column_error AND coalesce({rule.sql(typed)}, false)) AS {q(f'rule:{i}')}"
        for i, rule in enumerate(ds.rules)
    ]
    rule_select = (", " + ", ".join(rules)) if rules else ""
    # Only typed values, problem kinds and rule flags are kept: raw text is re-read for problem rows.
    kept = ", ".join(["_line", "_overflow"] + [typed(c.name) for c in ds.columns] + [kind(c.name) for c in present])
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _checked AS SELECT *{rule_select} FROM (SELECT *, ({any_error}) AS "
        f"_column_error FROM (SELECT {kept} FROM (SELECT *, {', '.join(kinds)} FROM (SELECT *, "
        f"{', '.join(typed_cols)} FROM _norm))))"
    )


IMPLAUSIBLE = (ProblemKind.DATE_TOO_EARLY, ProblemKind.DATE_TOO_LATE)


def column_problem(
    ds: Dataset, line: int, column: str, value: str, problem_kind: ProblemKind, parsed: object = None
) -> Problem:
    """A value that breaks its column's own rule; `parsed` is the read value, named by date messages."""
    col = ds.column(column)
    if problem_kind in IMPLAUSIBLE and isinstance(parsed, date):
        month = col.type is ColumnType.MONTH
        reason, fix = implausible_date_text(problem_kind, parsed, clock.today(), month)
    else:
        reason, fix = column_problem_text(problem_kind, col.rule, value)
    return Problem(line, column, value, reason, fix)


def rule_problem(ds: Dataset, line: int, index: int, value: str) -> Problem:
    rule = ds.rules[index]
    reason, fix = rule.reason()
    return Problem(line, rule.column, value, reason, fix, rule.level)


def overflow_problem(line: int, n_fields: int) -> Problem:
    return Problem(
        line,
        "",
        "",
        f"This row has more fields than the header's {n_fields} columns.",
        "Check for an unquoted delimiter inside a value, or a stray delimiter at the end of the row.",
    )


def row_problems(cur: duckdb.DuckDBPyConnection, layout: Layout) -> list[Problem]:
    """Every column, rule and row-length problem of `_checked`, in line order."""
    found = ProblemCollector(limit=None)
    collect_row_problems(cur, layout, found)
    return found.finish(problem_order(layout.dataset))[0]


def collect_row_problems(cur: duckdb.DuckDBPyConnection, layout: Layout, found: ProblemCollector) -> None:
    """Column, rule and row-length problems of `_checked`: the first `found.limit` of each group
    by line, and the count of each group (counted in SQL, never materialized in Python)."""
    ds, present = layout.dataset, layout.present
    flags = ["_column_error", "_overflow"] + [q(f"rule:{i}") for i in range(len(ds.rules))]
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _problem_rows AS SELECT c.*, n.* EXCLUDE (_line, _overflow) FROM "
        f"(SELECT * FROM _checked WHERE {' OR '.join(flags)}) c JOIN _norm n USING (_line)"
    )
    limit = "" if found.limit is None else f" ORDER BY _line LIMIT {found.limit}"
    for c in present:
        counts = cur.execute(
            f"SELECT {kind(c.name)}, count(*) FROM _problem_rows WHERE {kind(c.name)} IS NOT NULL GROUP BY ALL"
        ).fetchall()
        for k, total in counts:
            rows = cur.execute(
                f"SELECT _line, {kept_sql(raw(c.name))}, {typed(c.name)} FROM _problem_rows "
                f"WHERE {kind(c.name)} = ?{limit}",
                [k],
            ).fetchall()
            problem_kind = ProblemKind(k)
            key = (Level.ERROR, c.name, kind_summary(problem_kind, c.rule))
            found.add(key, (column_problem(ds, line, c.name, v, problem_kind, t) for line, v, t in rows), total)
    for i, rule in enumerate(ds.rules):
        value = kept_sql(raw(rule.column)) if rule.column in layout.positions else "''"
        flag = q(f"rule:{i}")
        total = cur.execute(f"SELECT count(*) FROM _problem_rows WHERE {flag}").fetchall()[0][0]
        rows = cur.execute(f"SELECT _line, {value} FROM _problem_rows WHERE {flag}{limit}").fetchall() if total else []
        problems = (rule_problem(ds, line, i, v) for line, v in rows)
        found.add((rule.level, rule.column, rule.reason()[0]), problems, total)
    total = cur.execute("SELECT count(*) FROM _problem_rows WHERE _overflow").fetchall()[0][0]
    lines = cur.execute(f"SELECT _line FROM _problem_rows WHERE _overflow{limit}").fetchall() if total else []
    reason = f"more fields than the header's {layout.n_fields} columns"
    found.add((Level.ERROR, "", reason), (overflow_problem(line, layout.n_fields) for (line,) in lines), total)


def problem_order(ds: Dataset) -> Callable[[Problem], tuple]:
    """Problems sort by line, then by the dataset's column order, then by reason."""
    order = {c.name: i for i, c in enumerate(ds.columns)}
    return lambda p: (p.line or 0, order.get(p.column, -1), p.reason)


def sort_problems(problems: list[Problem], ds: Dataset) -> list[Problem]:
    return sorted(problems, key=problem_order(ds))


def _hash_sql(ds: Dataset) -> str:
    parts = [f"coalesce(CAST({typed(c)} AS VARCHAR), '')" for c in ds.required_columns]
    return f"md5(concat_ws(chr(31), {', '.join(parts)}))"


def _key_sql(ds: Dataset) -> str:
    if ds.id_column:
        return f"coalesce({typed(ds.id_column)}, _hash)"
    return "concat_ws('|', " + ", ".join(f"CAST({typed(c)} AS VARCHAR)" for c in ds.key) + ")"


def _needs_hash(cur: duckdb.DuckDBPyConnection, ds: Dataset) -> bool:
    """Hash keys matter for keyless rows, and for ids that may take over stored keyless rows."""
    if not ds.id_column:
        return False
    in_file = f"SELECT 1 FROM _checked WHERE {typed(ds.id_column)} IS NULL"
    in_store = f"SELECT 1 FROM {ds.table} WHERE {q(ds.id_column)} IS NULL"
    return bool(cur.execute(f"SELECT EXISTS ({in_file}) OR EXISTS ({in_store})").fetchall()[0][0])


def build_keyed(cur: duckdb.DuckDBPyConnection, ds: Dataset, found: ProblemCollector) -> None:
    """Keys for every readable row (`_keyed`), in-file duplicate keys (into `found`), and the invalid lines
    (`_invalid`)."""
    base = _hash_sql(ds)
    readable = " AND ".join(f"{typed(c)} IS NOT NULL" for c in ds.required_columns)
    occurrence = f"row_number() OVER (PARTITION BY {base} ORDER BY _line)"
    hashed = f"CASE WHEN {readable} THEN md5({base} || '#' || CAST({occurrence} AS VARCHAR)) END"
    key_parts_ok = " AND ".join(f"{typed(c)} IS NOT NULL" for c in ds.key) if not ds.id_column else "true"
    if _needs_hash(cur, ds):  # the occurrence number needs a window: computed once, kept in a table
        cur.execute(f"CREATE OR REPLACE TEMP TABLE _hashed AS SELECT *, {hashed} AS _hash FROM _checked")
        source = "_hashed"
    else:
        source = "(SELECT *, CAST(NULL AS VARCHAR) AS _hash FROM _checked)"
    cur.execute(
        f"CREATE OR REPLACE TEMP VIEW _keyed AS SELECT *, CASE WHEN {key_parts_ok} THEN {_key_sql(ds)} END AS _key "
        f"FROM {source}"
    )
    # The keys found more than once first (a count per key), then the lines of those keys only: listing
    # the lines of every key took twice as long, for files where few keys repeat.
    repeated = "SELECT _key FROM _keyed WHERE _key IS NOT NULL GROUP BY _key HAVING count(*) > 1"
    cur.execute(
        "CREATE OR REPLACE TEMP TABLE _dups AS SELECT k._line, k._key, d.lines AS _lines, d.n AS _n FROM _keyed k "
        f"JOIN (SELECT _key, list_slice(list(_line ORDER BY _line), 1, {SHOWN_LINES + 1}) AS lines, count(*) AS n "
        f"FROM _keyed WHERE _key IN ({repeated}) GROUP BY _key) d USING (_key)"
    )
    error_rules = [q(f"rule:{i}") for i, r in enumerate(ds.rules) if r.level is Level.ERROR]
    rule_error = " OR ".join(error_rules) or "false"
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _invalid AS SELECT _line FROM _keyed WHERE _column_error OR _overflow "
        f"OR {rule_error} UNION SELECT _line FROM _dups"
    )
    total = cur.execute("SELECT count(*) FROM _dups").fetchall()[0][0]
    limit = "" if found.limit is None else f" LIMIT {found.limit}"
    rows = cur.execute(f"SELECT _line, {kept_sql('_key')}, _lines, _n FROM _dups ORDER BY _line{limit}").fetchall()
    column = ds.id_column or " + ".join(ds.key)
    problems = (_duplicate_problem(column, line, key, lines, n) for line, key, lines, n in rows)
    found.add((Level.ERROR, column, "the same key on several lines"), problems, total)


SHOWN_LINES = 10  # other lines named in a duplicate-key message


def _duplicate_problem(column: str, line: int, key: str, lines: list[int], n: int) -> Problem:
    others = [x for x in lines if x != line][:SHOWN_LINES]
    more = n - 1 - len(others)
    listed = ", ".join(str(x) for x in others) + (f" (and {more:,} more)" if more > 0 else "")
    return Problem(
        line,
        column,
        key.replace("|", " + "),
        f"The same key appears on line(s) {listed} of this file.",
        "Keep one row per key: remove or correct the duplicates.",
    )
