"""Reference rules checked against the store as it will be after the import (SPEC §2.1),
and what an import leaves unresolved in, or deletes from under, other datasets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import duckdb

from aiorg_metrics.datasets.problems import Level, Problem, ProblemCollector, kept_sql
from aiorg_metrics.datasets.registry import DATASETS, Dataset
from aiorg_metrics.datasets.rules import Reference, sql_list
from aiorg_metrics.ingestion.validation import VALID, q, shown, typed


def _table_has_rows(cur: duckdb.DuckDBPyConnection, table: str) -> bool:
    return cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchall()[0][0]


def check_references(
    cur: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str], found: ProblemCollector
) -> int:
    """Problems from `ds`'s references for the valid rows of `_keyed` (into `found`); the count of
    unresolved rows. The lines of reference errors are kept in `_ref_errors` (see `drop_reference_errors`)."""
    cur.execute("CREATE OR REPLACE TEMP TABLE _ref_errors (_line BIGINT)")
    cur.execute("CREATE OR REPLACE TEMP TABLE _unresolved (_line BIGINT)")
    for ref in ds.references:
        if ref.column not in present:
            continue
        if not _table_has_rows(cur, ref.target):
            where = f"{VALID} AND {typed(ref.column)} IS NOT NULL"
            problem = partial(_empty_target_problem, ref)
            _hits(cur, found, ref, where, (Level.WARNING, f"{ref.target} has no rows yet"), problem, unresolved=True)
            continue
        where = (
            f"{VALID} AND {typed(ref.column)} IS NOT NULL "
            f"AND {typed(ref.column)} NOT IN (SELECT {q(ref.target_column)} FROM {ref.target})"
        )
        what = (ref.missing, f"no {ref.target} row has this {ref.target_column}")
        _hits(cur, found, ref, where, what, partial(_missing_problem, ref), unresolved=ref.missing is Level.WARNING)
        if ref.kinds:
            wanted = " or ".join(ref.kinds)
            where = f"{VALID} AND NOT list_contains([{sql_list(ref.kinds)}], t.team_kind)"
            what = (ref.kind_level, f"not a {wanted} team")
            join = f"JOIN teams t ON t.team_id = k.{typed(ref.column)}"
            _hits(cur, found, ref, where, what, partial(_wrong_kind_problem, ref), join=join, extra=", t.team_kind")
    return int(cur.execute("SELECT count(DISTINCT _line) FROM _unresolved").fetchall()[0][0])


def _hits(
    cur: duckdb.DuckDBPyConnection,
    found: ProblemCollector,
    ref: Reference,
    where: str,
    what: tuple[Level, str],
    problem: Callable[..., Problem],
    unresolved: bool = False,
    join: str = "",
    extra: str = "",
) -> None:
    """The rows of `_keyed` matching `where`: counted and kept in SQL, the first ones as problems."""
    level, reason = what
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _ref_hits AS SELECT k._line, {kept_sql(shown(ref.column))} AS v{extra} "
        f"FROM _keyed k {join} WHERE {where}"
    )
    total = int(cur.execute("SELECT count(*) FROM _ref_hits").fetchall()[0][0])
    if not total:
        return
    limit = "" if found.limit is None else f" LIMIT {found.limit}"
    rows = cur.execute(f"SELECT * FROM _ref_hits ORDER BY _line{limit}").fetchall()
    found.add((level, ref.column, reason), (problem(*row) for row in rows), total)
    if unresolved:
        cur.execute("INSERT INTO _unresolved SELECT _line FROM _ref_hits")
    if level is Level.ERROR:
        cur.execute("INSERT INTO _ref_errors SELECT _line FROM _ref_hits")


def drop_reference_errors(cur: duckdb.DuckDBPyConnection) -> None:
    """Add the lines of reference errors (`check_references`) to the invalid lines."""
    cur.execute("INSERT INTO _invalid SELECT DISTINCT _line FROM _ref_errors EXCEPT SELECT _line FROM _invalid")


def _empty_target_problem(ref: Reference, line: int, value: str) -> Problem:
    return Problem(
        line,
        ref.column,
        value,
        f"{ref.target} has no rows yet, so this reference cannot be checked; the row is stored as unresolved.",
        f"Import {ref.target} too; its import will report references still unresolved.",
        Level.WARNING,
    )


def _ref_problem(ref: Reference, line: int, value: str, level: Level, reason: str, fixes: tuple[str, str]) -> Problem:
    """A reference problem; `fixes` is (fix when the row is stored with a warning, fix when it is refused)."""
    stored_fix, refused_fix = fixes
    return Problem(line, ref.column, value, reason, stored_fix if level is Level.WARNING else refused_fix, level)


def _missing_problem(ref: Reference, line: int, value: str) -> Problem:
    return _ref_problem(
        ref, line, value, ref.missing, f"No {ref.target} row has {ref.target_column} '{value}'.",
        ("The row is stored; add the team to teams.csv to include it in breakdowns.",
         f"Correct the value, or import the missing {ref.target} row first."),
    )


def _wrong_kind_problem(ref: Reference, line: int, value: str, kind: str) -> Problem:
    wanted = " or ".join(ref.kinds)
    return _ref_problem(
        ref, line, value, ref.kind_level,
        f"Team '{value}' is of kind {kind}; {ref.column} should point to a {wanted} team.",
        ("Check the team; the row is stored.", f"Point {ref.column} to a team of kind {wanted}."),
    )


def referencing(ds: Dataset) -> list[tuple[Dataset, Reference]]:
    """(dataset, reference) pairs of the other datasets that point into `ds`."""
    return [(other, ref) for other in DATASETS for ref in other.references if ref.target == ds.name]


def still_unresolved(cur: duckdb.DuckDBPyConnection, ds: Dataset) -> list[Problem]:
    """After importing `ds`: one warning per other dataset whose rows still point at missing `ds` rows."""
    problems = []
    for other, ref in referencing(ds):
        n, example = cur.execute(
            f"SELECT count(*), min({q(ref.column)}) FROM {other.table} WHERE {q(ref.column)} IS NOT NULL "
            f"AND {q(ref.column)} NOT IN (SELECT {q(ref.target_column)} FROM {ds.table})"
        ).fetchall()[0]
        if n:
            problems.append(
                Problem(
                    None,
                    ref.column,
                    str(example),
                    f"{n} stored {other.name} row(s) still refer to {ds.name} rows that do not exist "
                    f"(e.g. '{example}'); they stay unresolved.",
                    f"Add the missing {ds.name} rows, or correct {other.name}.",
                    Level.WARNING,
                )
            )
    return problems


def deletion_impact(cur: duckdb.DuckDBPyConnection, ds: Dataset, deleted_keys_sql: str) -> list[Problem]:
    """Warnings for stored rows of other datasets that rely on rows this import deletes."""
    problems = []
    for other, ref in referencing(ds):
        rows = cur.execute(
            f"SELECT _key, {q(ref.column)} FROM {other.table} WHERE {q(ref.column)} IN "
            f"(SELECT {q(ref.target_column)} FROM {ds.table} WHERE _key IN ({deleted_keys_sql}))"
        ).fetchall()
        problems += [
            Problem(
                None,
                ref.column,
                str(v),
                f"Stored {other.name} row {key} refers to {ds.name} '{v}', which this import deletes; "
                "it will become unresolved.",
                "Keep that row in the file if it is still needed.",
                Level.WARNING,
            )
            for key, v in rows
        ]
    return problems
