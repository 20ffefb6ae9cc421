"""Display tables for the app: engine frames renamed, ordered and worded for readers.
Pure pandas, no Streamlit; numbers stay numbers (the app formats them per column).
"""

from __future__ import annotations

import pandas as pd

from aiorg_metrics.analysis.funnel import Funnel

STAGE_NAMES = {
    "identified": "Identified", "qualified": "Qualified", "poc": "PoC started",
    "production": "In production", "adopted": "Adopted",
}
OVER_3_MONTHS = "⚠ over 3 months"


def percent_text(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:.0%}"


def _days(value: float | None) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:,.0f} days"


def _date(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{pd.Timestamp(value):%Y-%m-%d}"


def funnel_stages(funnel: Funnel) -> pd.DataFrame:
    """One row per stage: Stage, Use cases, % of previous, % of identified, median and p90 days from
    the previous stage (as text; "–" where a stage has none)."""
    frame = funnel.stages_frame()
    return pd.DataFrame({
        "Stage": frame["stage"].map(STAGE_NAMES),
        "Use cases": frame["reached"],
        "% of previous": frame["share_of_previous"].map(percent_text),
        "% of identified": frame["share_of_first"].map(percent_text),
        "Median days": frame["median_days"].map(_days),
        "p90 days": frame["p90_days"].map(_days),
    })


def waiting_longest(funnel: Funnel, team_names: dict[str, str]) -> pd.DataFrame:
    """The use cases waiting longest in each stage (not rejected), with a worded flag past 3 months."""
    w = funnel.waiting
    return pd.DataFrame({
        "Waiting in": w["stage"].map(STAGE_NAMES),
        "Use case": w["use_case_id"],
        "Title": w["title"].fillna("–"),
        "Team": w["team_id"].map(lambda t: team_names.get(t, t)).fillna("–"),
        "Champion": w["champion_id"].fillna("–"),
        "Since": w["entered_date"].map(_date),
        "Months waiting": w["age_months"],
        "Flag": w["over_3_months"].map({True: OVER_3_MONTHS, False: ""}),
    })


def champion_use_cases(frame: pd.DataFrame) -> pd.DataFrame:
    """A champion's use cases as a reader sees them."""
    return pd.DataFrame({
        "Use case": frame["use_case_id"],
        "Title": frame["title"].fillna("–"),
        "Team": frame["team_name"].fillna(frame["team_id"]).fillna("–"),
        "Where it stands": frame["stage"].map(lambda s: STAGE_NAMES.get(s.lower(), s.capitalize())),
        "Identified": frame["identified_date"].map(_date),
        "Qualified": frame["qualified_date"].map(_date),
        "PoC started": frame["poc_started"].map(_date),
        "In production": frame["in_production"].map(_date),
        "Rejected": frame["rejected_date"].map(_date),
    })


def single_points_of_failure(frame: pd.DataFrame) -> pd.DataFrame:
    """Skills held at expert level by fewer than two people."""
    return pd.DataFrame({
        "Skill": frame["skill"].str.replace("_", " "),
        "Experts (level ≥ 3)": frame["experts"],
        "Who": frame["expert_ids"].map(lambda ids: ", ".join(ids) if len(ids) else "nobody"),
        "Roles that need it": frame["roles"].map(lambda rs: ", ".join(r.replace("_", " ") for r in rs)),
        "People whose role needs it": frame["employees_requiring"],
    })


def reconversion_paths(frame: pd.DataFrame, team_names: dict[str, str]) -> pd.DataFrame:
    """Reconversion paths with the guide's duration and whether each is on track."""
    return pd.DataFrame({
        "Employee": frame["employee_id"],
        "Path": frame["path"].str.replace("_", " "),
        "Team": frame["team_id"].map(lambda t: team_names.get(t, t)),
        "Started": frame["start_date"].map(_date),
        "Completed": frame["completed_date"].map(_date),
        "Months": frame["elapsed_months"],
        "Guide (months)": [f"{lo}–{hi}" for lo, hi in zip(frame["guide_min_months"], frame["guide_max_months"],
                                                          strict=True)],
        "On track": frame["on_track"].map({True: "✓ on track", False: "✕ beyond the guide's max"}).fillna("–"),
    })
