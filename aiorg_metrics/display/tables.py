"""Display tables for the app: engine frames renamed, ordered and worded for readers.
Pure pandas, no Streamlit; numbers stay numbers (the app formats them per column).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from aiorg_metrics.access.disclosure import Disclosure
from aiorg_metrics.analysis.funnel import ADOPTED_RATIO, Funnel
from aiorg_metrics.display.scorecard import population_text
from aiorg_metrics.display.wording import STATUS_STYLES, format_target, format_value, status_word
from aiorg_metrics.kpi import Kpi, KpiResult

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


def champion_labels(champions: pd.DataFrame, disclosure: Disclosure) -> dict[str, str]:
    """Champion id → label as `disclosure` names them ("Chloé Weber (CH-013)", or the bare id for a reader
    who may not see that name), from `analysis.directory.champions`' frame."""
    return {row.champion_id: disclosure.champion_label(row.champion_id, row.champion_name)
            for row in champions.itertuples(index=False)}


def waiting_longest(funnel: Funnel, team_names: Mapping[str, str],
                    champion_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The use cases waiting longest in each stage (not rejected), with a worded flag past 3 months; a
    champion by their label from `champion_names` (id → label) when known."""
    w = funnel.waiting
    champions = champion_names or {}
    return pd.DataFrame({
        "Waiting in": w["stage"].map(STAGE_NAMES),
        "Use case": w["use_case_id"],
        "Title": w["title"].fillna("–"),
        "Team": w["team_id"].map(lambda t: team_names.get(t, t)).fillna("–"),
        "Champion": w["champion_id"].map(lambda c: champions.get(c, c)).fillna("–"),
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


def single_points_of_failure(frame: pd.DataFrame, disclosure: Disclosure) -> pd.DataFrame:
    """Skills held at expert level by fewer than two people; the "Who" column (employee ids) only for a
    reader whose `disclosure` shows employee ids — the others are never sent it."""
    shown = {
        "Skill": frame["skill"].str.replace("_", " "),
        "Experts (level ≥ 3)": frame["experts"],
        "Who": frame["expert_ids"].map(lambda ids: ", ".join(ids) if len(ids) else "nobody"),
        "Roles that need it": frame["roles"].map(lambda rs: ", ".join(r.replace("_", " ") for r in rs)),
        "People whose role needs it": frame["employees_requiring"],
    }
    if not disclosure.shows_employee_ids:
        del shown["Who"]
    return pd.DataFrame(shown)


def reconversion_paths(frame: pd.DataFrame, team_names: dict[str, str]) -> pd.DataFrame:
    """Reconversion paths with the guide's duration and whether each is on track."""
    return pd.DataFrame({
        "Employee": frame["employee_id"],
        "Path": frame["path"].str.replace("_", " "),
        "Team": frame["team_id"].map(lambda t: team_names.get(t, t)).fillna("–"),
        "Started": frame["start_date"].map(_date),
        "Completed": frame["completed_date"].map(_date),
        "Months": frame["elapsed_months"],
        "Guide (months)": [f"{lo}–{hi}" for lo, hi in zip(frame["guide_min_months"], frame["guide_max_months"],
                                                          strict=True)],
        "On track": frame["on_track"].map({True: "✓ on track", False: "✕ beyond the guide's max"}).fillna("–"),
    })


def reconversion_path_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Reconversion paths without the people (what a reader without individual skills assessments sees):
    per path (not per team, where one person would stand out), how many people follow it, how many
    completed it by the end of the quarter, how many are beyond the guide's maximum duration."""
    columns = ["Path", "People", "Completed", "Beyond the guide's max"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    counted = frame.assign(completed=frame["status"].eq("completed"), beyond=frame["on_track"].eq(False)).groupby(
        "path", sort=True).agg(people=("employee_id", "size"), completed=("completed", "sum"),
                               beyond=("beyond", "sum")).reset_index()
    return pd.DataFrame({
        "Path": counted["path"].str.replace("_", " "), "People": counted["people"],
        "Completed": counted["completed"].astype(int), "Beyond the guide's max": counted["beyond"].astype(int),
    })


# --- drill-down: a KPI's values one level down, and the rows behind a value ---------------------------


def _text(values: pd.Series, missing: str = "–") -> pd.Series:
    return values.astype(object).where(values.notna(), missing)


def kpi_breakdown(kpi: Kpi, named: Iterable[tuple[str, KpiResult]], heading: str) -> pd.DataFrame:
    """One row per (name, result): the name under `heading`, value, status (symbol and word), population,
    target and the result's note ("fewer than 3 answers", "no qualified use case waiting"; blank when none)."""
    rows = [
        {heading: name, "Value": format_value(kpi, r.value, r.target),
         "Status": f"{STATUS_STYLES[r.status].symbol} {status_word(r.status, r.partial_window)}",
         "Population": population_text(kpi, r), "Target": format_target(kpi, r.target), "Note": r.note or ""}
        for name, r in named
    ]
    return pd.DataFrame(rows, columns=[heading, "Value", "Status", "Population", "Target", "Note"])


def queue_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The use cases waiting in the queue, with the team that asks and the AI team that serves."""
    return pd.DataFrame({
        "Use case": frame["use_case_id"],
        "Title": _text(frame["title"]),
        "Requesting team": _text(frame["team_name"].fillna(frame["team"]), "unknown team"),
        "Business unit": _text(frame["business_unit"]),
        "Serving AI team": _text(frame["ai_team"], "unknown AI team"),
        "Qualified": frame["qualified_date"].map(_date),
        "Months waiting": frame["months_waiting"],
        "Flag": frame["off_target"].map({True: OVER_3_MONTHS, False: ""}),
    })


def adoption_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The solutions with usage data: their latest month of the quarter and its users (usage capped at 100%)."""
    return pd.DataFrame({
        "PoC": frame["poc_id"],
        "Use case": _text(frame["use_case_id"]),
        "Title": _text(frame["title"]),
        "Team": _text(frame["team_name"].fillna(frame["team"]), "unknown team"),
        "Business unit": _text(frame["business_unit"]),
        "Latest month": frame["month"].map(lambda m: f"{pd.Timestamp(m):%b %Y}"),
        "Active users": frame["active_users"],
        "Target users": frame["target_users"],
        "Usage": frame["ratio"] * 100,
        f"≥ {ADOPTED_RATIO:.0%} of target": frame["off_target"].map({True: "✕ below", False: "✓ adopted"}),
    })


def _band_word(champions: int, outside: bool) -> str:
    return "✓ in the band" if not outside else "✕ none" if champions == 0 else "✕ more than 2"


def champion_team_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The business teams with their active champions and where they stand against the guide's 1–2."""
    return pd.DataFrame({
        "Team": _text(frame["team_name"].fillna(frame["team"])),
        "Business unit": _text(frame["business_unit"]),
        "Active champions": frame["champions"],
        "1–2 per team": [_band_word(c, o) for c, o in zip(frame["champions"], frame["off_target"], strict=True)],
    })
