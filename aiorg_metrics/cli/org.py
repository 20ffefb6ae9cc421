"""CLI commands for the organization views: `funnel`, `advisor`, `skills`.

Each prints a readable table (default) or JSON (`--format json`). Exit codes: 0 done;
3 usage error (bad quarter, period, settings, or no store); 4 store busy.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from aiorg_metrics.analysis.advisor import Advice, Signal, advise_for_quarter
from aiorg_metrics.analysis.diagnostics import Diagnostic, Guidance
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters, compute_funnel, identification_period
from aiorg_metrics.analysis.skills import (
    SkillsFilters,
    as_matrix,
    coverage_vs_spend,
    gap_matrix,
    latest_training_quarter,
    path_pairs,
    single_points_of_failure,
)
from aiorg_metrics.cli import (
    EXIT_OK,
    UsageError,
    add_db_option,
    add_settings_option,
    busy,
    db_path,
    echo,
    existing_store,
    fail,
)
from aiorg_metrics.common.jsonout import strict_json
from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.datasets.registry import Role, Seniority
from aiorg_metrics.display.tables import percent_text
from aiorg_metrics.display.wording import model_name
from aiorg_metrics.kpi.engine import check_covered, coverage
from aiorg_metrics.kpi.settings import Settings, SettingsError, settings_for_db
from aiorg_metrics.store.connection import StoreBusyError


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except QuarterError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(parser: argparse.ArgumentParser, quarter_required: bool) -> None:
    add_db_option(parser)
    parser.add_argument("--quarter", type=_quarter, required=quarter_required, help="reporting quarter, e.g. 2026-Q2")
    parser.add_argument("--format", choices=("table", "json"), default="table")


def register(subs: argparse._SubParsersAction) -> None:
    """Add the `funnel`, `advisor` and `skills` sub-commands."""
    f = subs.add_parser("funnel", help="use-case funnel of a cohort, as of the end of a quarter")
    _common(f, quarter_required=True)
    f.add_argument("--from", dest="from_quarter", type=_quarter,
                   help="first quarter of the identification period (default: 3 quarters before --quarter)")
    f.add_argument("--business-unit", help="only use cases of this business unit's teams")
    f.add_argument("--team", help="only use cases of this team")
    f.add_argument("--champion", help="only use cases identified by this champion")
    f.add_argument("--waiting", type=int, default=5, help="use cases listed per stage as waiting longest")
    f.set_defaults(func=run_funnel)
    a = subs.add_parser("advisor", help="org-model advisor: recommended, current, transition indicators")
    _common(a, quarter_required=True)
    add_settings_option(a, "maturity, declared model, self-service platform")
    a.set_defaults(func=run_advisor)
    s = subs.add_parser("skills", help="skills gaps, single points of failure, coverage vs spend, paths")
    _common(s, quarter_required=False)
    add_settings_option(s, "thresholds of the 'large gap, low spend' flag")
    s.add_argument("--business-unit", help="gap matrices: only employees of this business unit's teams")
    s.add_argument("--team", help="gap matrices: only employees of this team")
    s.add_argument("--role", choices=[r.value for r in Role], help="gap matrices: only employees with this role")
    s.add_argument("--seniority", choices=[v.value for v in Seniority], help="gap matrices: only this seniority")
    s.set_defaults(func=run_skills)


def _run(args: argparse.Namespace, read: Callable[[duckdb.DuckDBPyConnection], Any], show: Callable[[Any], str]) -> int:
    """Open the store for reading, compute, print; map problems to exit codes."""
    try:
        with existing_store(db_path(args)).reading() as cur:
            result = read(cur)
    except (UsageError, QuarterError) as exc:
        return fail(" ".join(str(exc).split()))
    except StoreBusyError:
        return busy(db_path(args))
    echo(show(result))
    return EXIT_OK


# --- JSON and table helpers ---------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records: dates as ISO days, NaN/NaT as null, arrays as lists."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return json.loads(out.to_json(orient="records"))


def _dumps(data: Any) -> str:
    return strict_json(data)


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or value != value else f"{value:.{digits}f}"


def _table(frame: pd.DataFrame, empty: str) -> str:
    return empty if frame.empty else frame.to_string(index=False, na_rep="–")


# --- funnel -------------------------------------------------------------------------


def run_funnel(args: argparse.Namespace) -> int:
    """`funnel`: the cohort identified from --from (default: 4 quarters) to --quarter."""
    filters = FunnelFilters(business_unit=args.business_unit, team_id=args.team, champion_id=args.champion)
    first_day = args.from_quarter.first_day if args.from_quarter else None

    def read(cur: duckdb.DuckDBPyConnection) -> Funnel:
        check_covered(args.quarter, coverage(cur))
        try:
            period = identification_period(args.quarter, first_day, None)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        return compute_funnel(cur, args.quarter, identified_from=period[0], identified_to=period[1],
                              filters=filters, waiting_limit=args.waiting)

    return _run(args, read, _funnel_json if args.format == "json" else _funnel_text)


def _funnel_json(funnel: Funnel) -> str:
    return _dumps(funnel.to_dict() | {"waiting": _records(funnel.waiting)})


def _funnel_text(funnel: Funnel) -> str:
    chosen = {k: v for k, v in vars(funnel.filters).items() if v is not None}
    scope = ", ".join(f"{k}={v}" for k, v in chosen.items()) or "whole organization"
    stages = pd.DataFrame({
        "stage": [s.stage for s in funnel.stages],
        "reached": [s.reached for s in funnel.stages],
        "% of previous": [percent_text(s.share_of_previous) for s in funnel.stages],
        "% of first": [percent_text(s.share_of_first) for s in funnel.stages],
        "median days": [_number(s.median_days) for s in funnel.stages],
        "p90 days": [_number(s.p90_days) for s in funnel.stages],
    })
    waiting = funnel.waiting.assign(
        entered_date=funnel.waiting["entered_date"].dt.strftime("%Y-%m-%d"),
        over_3_months=funnel.waiting["over_3_months"].map({True: "yes", False: ""}),
    ).drop(columns=["age_months"])
    return "\n".join([
        f"Funnel {funnel.quarter}: use cases identified {funnel.identified_from} to {funnel.identified_to}, "
        f"state at {funnel.as_of} ({scope})",
        _table(stages, ""),
        "",
        "Waiting longest (not rejected; days in the current stage at the end of the quarter):",
        _table(waiting, "  nobody is waiting"),
    ])


# --- advisor ------------------------------------------------------------------------


def _settings(args: argparse.Namespace) -> Settings:
    try:
        return settings_for_db(db_path(args), args.settings)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None


def run_advisor(args: argparse.Namespace) -> int:
    """`advisor`: the org-model advisor for --quarter with the organization's settings."""
    def read(cur: duckdb.DuckDBPyConnection) -> Advice:
        return advise_for_quarter(cur, args.quarter, _settings(args))

    if args.format == "json":
        return _run(args, read, lambda advice: _dumps({"quarter": str(args.quarter)} | advice.to_dict()))
    return _run(args, read, lambda advice: _advice_text(advice, args.quarter))


def _signal_lines(signal: Signal) -> list[str]:
    return [
        f"  [{signal.state.value.upper():^7}] {signal.label}: {signal.figure_text()} (rule {signal.rule})",
        f"            {signal.explanation}",
        f"            Why: {signal.reasoning}",
    ]


_LIT_WORDS = {True: "LIT", False: "NOT LIT", None: "NO DATA"}


def _diagnostic_lines(diagnostic: Diagnostic) -> list[str]:
    return [
        f"  [{_LIT_WORDS[diagnostic.lit]:^7}] {diagnostic.label}: {diagnostic.figure}",
        f"            Rule: {diagnostic.rule} ({diagnostic.source}). {diagnostic.explanation}",
        f"            Guide ({diagnostic.guide_section}): {diagnostic.guide_text}",
    ]


def _guidance_lines(guidance: Guidance | None) -> list[str]:
    if guidance is None:
        return []
    lines = ["", f"Lit: {', '.join(guidance.lit)}."]
    if guidance.move_to is not None:
        lines.append(f"Recommended model: {model_name(guidance.move_to)}. {guidance.move_reason}")
    if guidance.practices:
        lines.append(f"The guide's good practices ({guidance.practices_source}):")
        lines += [f"  - {practice}" for practice in guidance.practices]
    else:
        lines.append(guidance.practices_source)
    return lines


def _advice_text(advice: Advice, quarter: Quarter) -> str:
    recommended = model_name(advice.recommended) if advice.recommended else "No recommendation"
    reading = ", ".join(model_name(m) for m in advice.maturity_reading) or "–"
    agree = {True: "yes", False: "no", None: "cannot tell"}[advice.agree]
    lines = [
        f"Org-model advisor, {quarter}",
        f"Recommended: {recommended}. {advice.recommended_reason}",
        f"Maturity reading: {reading}. {advice.maturity_reason}",
        f"Agree: {agree}. {advice.agree_reason}",
        f"Current model: {model_name(advice.current)} ({advice.current_source}). {advice.current_reason}",
        "",
        f"Diagnostics of the model in place ({model_name(advice.current)}):",
    ]
    for diagnostic in advice.diagnostics:
        lines += _diagnostic_lines(diagnostic)
    if not advice.diagnostics:
        lines.append("  none: the guide gives no rule the data can check for this model")
    lines += _guidance_lines(advice.guidance)
    lines += ["", "Transition indicators (the guide's signs for leaving the centralized model):"]
    for signal in advice.transition_indicators:
        lines += _signal_lines(signal)
    lines += ["", "Separate signal, from the centralized model's drawbacks:", *_signal_lines(advice.hub_size_signal)]
    lines += ["", "Criteria of the guide the data does not capture (judge them yourself):"]
    lines += [f"  {model_name(c.model)}: {c.criterion}. {c.reasoning}" for c in advice.uncaptured_criteria]
    return "\n".join(lines)


# --- skills -------------------------------------------------------------------------


def run_skills(args: argparse.Namespace) -> int:
    """`skills`: gap matrices, single points of failure, coverage vs spend, reconversion paths."""
    filters = SkillsFilters(team_id=args.team, business_unit=args.business_unit, role=args.role,
                            seniority=args.seniority)

    def read(cur: duckdb.DuckDBPyConnection) -> dict[str, Any]:
        thresholds = _settings(args).skills_gap
        if args.quarter:
            check_covered(args.quarter, coverage(cur))
        quarter = args.quarter or latest_training_quarter(cur)
        return {
            "quarter": quarter,
            "role_gaps": gap_matrix(cur, "role", filters),
            "team_gaps": gap_matrix(cur, "team", filters),
            "single_points_of_failure": single_points_of_failure(cur),
            "coverage_vs_spend": coverage_vs_spend(
                cur, quarter, coverage_below=thresholds.coverage_below,
                spend_below=thresholds.spend_per_learner_below,
            ),
            "paths": path_pairs(cur, quarter),
        }

    show = _skills_json if args.format == "json" else _skills_text
    return _run(args, read, show)


def _skills_json(result: dict[str, Any]) -> str:
    data = {k: (_records(v) if isinstance(v, pd.DataFrame) else str(v)) for k, v in result.items()}
    return _dumps(data)


def _gap_table(cells: pd.DataFrame) -> str:
    if cells.empty:
        return "  no assessed employee"
    # Skills as rows: 37 skills do not fit across a terminal, a handful of roles or teams do.
    return as_matrix(cells).T.round(2).rename_axis(index=None, columns=None).to_string(na_rep="")


def _skills_text(result: dict[str, Any]) -> str:
    quarter = result["quarter"]
    spof = result["single_points_of_failure"].assign(expert_ids=lambda f: f["expert_ids"].map(", ".join),
                                                     roles=lambda f: f["roles"].map(", ".join))
    return "\n".join([
        "Skill gaps by role (mean of required − assessed level; missing assessment = 0; blank = not required):",
        _gap_table(result["role_gaps"]),
        "",
        "Skill gaps by team:",
        _gap_table(result["team_gaps"]),
        "",
        "Single points of failure (framework skills with fewer than 2 employees at level 3 or more):",
        _table(spof, "  none"),
        "",
        f"Skills coverage vs training spend per learner, 12 months ending {quarter}:",
        _table(result["coverage_vs_spend"].round({"coverage": 2, "spend_per_learner": 0}), "  no data"),
        "",
        f"Reconversion paths at the end of {quarter}:",
        _table(result["paths"].round({"elapsed_months": 1}), "  no reconversion path"),
    ])
