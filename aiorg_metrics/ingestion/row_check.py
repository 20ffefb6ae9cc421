"""The reference validation path: each row checked by its pydantic row model.

Slow (one model call per row) but written directly against the models; the bulk path
in `validation.py` must give exactly the same problems, which a test checks on every
fixture. Both start from the same canonical text (`_norm`).
"""

from __future__ import annotations

import duckdb
from pydantic import ValidationError

from aiorg_metrics.datasets.fieldtypes import ProblemKind
from aiorg_metrics.datasets.problems import Level, Problem
from aiorg_metrics.datasets.registry import Dataset
from aiorg_metrics.ingestion.columns import Layout
from aiorg_metrics.ingestion.validation import column_problem, norm, overflow_problem, raw, rule_problem, sort_problems

RANGE_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def _kind_of(error_type: str) -> ProblemKind:
    if error_type == "missing":
        return ProblemKind.REQUIRED
    if error_type in RANGE_ERRORS:
        return ProblemKind.RANGE
    return ProblemKind(error_type)


def check_row(ds: Dataset, line: int, values: dict[str, str | None], raws: dict[str, str]) -> list[Problem]:
    """Problems of one row, given its canonical text and its raw text per column."""
    given = {k: v for k, v in values.items() if v is not None}
    try:
        parsed = ds.model.model_validate(given).model_dump()
    except ValidationError as exc:
        return _from_validation_error(ds, line, exc, raws)
    return [
        rule_problem(ds, line, i, raws.get(rule.column, ""))
        for i, rule in enumerate(ds.rules)
        if rule.level is Level.WARNING and rule.violated(parsed)
    ]


def _from_validation_error(
    ds: Dataset, line: int, exc: ValidationError, raws: dict[str, str]
) -> list[Problem]:
    problems = []
    for error in exc.errors():
        if error["type"] == ProblemKind.RULE.value:
            problems += _rule_problems(ds, line, error["ctx"]["rules"], raws)
            continue
        column = str(error["loc"][0])
        parsed = error.get("ctx", {}).get("parsed")
        problems.append(column_problem(ds, line, column, raws.get(column, ""), _kind_of(error["type"]), parsed))
    return problems


def _rule_problems(ds: Dataset, line: int, rules: list[int], raws: dict[str, str]) -> list[Problem]:
    return [rule_problem(ds, line, i, raws.get(ds.rules[i].column, "")) for i in rules]


def check_rows(cur: duckdb.DuckDBPyConnection, layout: Layout) -> list[Problem]:
    """Problems of every row of `_norm`, model by model (for the parity test)."""
    ds = layout.dataset
    present = [c.name for c in layout.present]
    select = ", ".join(["_line", "_overflow"] + [f"{raw(c)}, {norm(c)}" for c in present])
    problems: list[Problem] = []
    for row in cur.execute(f"SELECT {select} FROM _norm ORDER BY _line").fetchall():
        line, overflow = row[0], row[1]
        raws = {c: row[2 + 2 * i] for i, c in enumerate(present)}
        values = {c: row[3 + 2 * i] for i, c in enumerate(present)}
        problems += check_row(ds, line, values, raws)
        if overflow:
            problems.append(overflow_problem(line, layout.n_fields))
    return sort_problems(problems, ds)
