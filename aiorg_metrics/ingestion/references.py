"""Reference rules checked against the store as it will be after the import (SPEC §2.1),
and what an import leaves unresolved in, or deletes from under, other datasets.
"""

from __future__ import annotations

import duckdb

from aiorg_metrics.datasets.problems import Level, Problem
from aiorg_metrics.datasets.registry import DATASETS, Dataset
from aiorg_metrics.datasets.rules import Reference
from aiorg_metrics.ingestion.validation import VALID, q, shown, typed


def _table_has_rows(cur: duckdb.DuckDBPyConnection, table: str) -> bool:
    return cur.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchall()[0][0]


def check_references(cur: duckdb.DuckDBPyConnection, ds: Dataset, present: set[str]) -> tuple[list[Problem], int]:
    """Problems from `ds`'s references for the valid rows of `_keyed`, and the count of unresolved rows."""
    problems: list[Problem] = []
    unresolved_lines: set[int] = set()
    for ref in ds.references:
        if ref.column not in present:
            continue
        if not _table_has_rows(cur, ref.target):
            rows = cur.execute(
                f"SELECT k._line, {shown(ref.column)} FROM _keyed k WHERE {VALID} AND {typed(ref.column)} IS NOT NULL"
            ).fetchall()
            problems += [_empty_target_problem(ref, line, value) for line, value in rows]
            unresolved_lines |= {line for line, _ in rows}
            continue
        problems += _missing_target(cur, ref, unresolved_lines)
        if ref.kinds:
            problems += _wrong_kind(cur, ref)
    return problems, len(unresolved_lines)


def _empty_target_problem(ref: Reference, line: int, value: str) -> Problem:
    return Problem(
        line,
        ref.column,
        value,
        f"{ref.target} has no rows yet, so this reference cannot be checked; the row is stored as unresolved.",
        f"Import {ref.target} too; its import will report references still unresolved.",
        Level.WARNING,
    )


def _missing_target(cur: duckdb.DuckDBPyConnection, ref: Reference, unresolved: set[int]) -> list[Problem]:
    rows = cur.execute(
        f"SELECT k._line, {shown(ref.column)} FROM _keyed k WHERE {VALID} AND {typed(ref.column)} IS NOT NULL "
        f"AND {typed(ref.column)} NOT IN (SELECT {q(ref.target_column)} FROM {ref.target})"
    ).fetchall()
    if ref.missing is Level.WARNING:
        unresolved |= {line for line, _ in rows}
        fix = "The row is stored; add the team to teams.csv to include it in breakdowns."
    else:
        fix = f"Correct the value, or import the missing {ref.target} row first."
    reason = f"No {ref.target} row has {ref.target_column} '{{v}}'."
    return [Problem(line, ref.column, v, reason.format(v=v), fix, ref.missing) for line, v in rows]


def _wrong_kind(cur: duckdb.DuckDBPyConnection, ref: Reference) -> list[Problem]:
    rows = cur.execute(
        f"SELECT k._line, {shown(ref.column)}, t.team_kind FROM _keyed k JOIN teams t "
        f"ON t.team_id = k.{typed(ref.column)} WHERE {VALID} AND NOT list_contains(?, t.team_kind)",
        [list(ref.kinds)],
    ).fetchall()
    wanted = " or ".join(ref.kinds)
    if ref.kind_level is Level.WARNING:
        fix = "Check the team; the row is stored."
    else:
        fix = f"Point {ref.column} to a team of kind {wanted}."
    return [
        Problem(
            line,
            ref.column,
            v,
            f"Team '{v}' is of kind {kind}; {ref.column} should point to a {wanted} team.",
            fix,
            ref.kind_level,
        )
        for line, v, kind in rows
    ]


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
