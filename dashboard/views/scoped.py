"""What several pages share: the KPI results and cards at the sidebar's scope, and team names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from aiorg_metrics import kpi
from aiorg_metrics.analysis import drilldown
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.display.wording import source_text
from aiorg_metrics.kpi import Kpi, KpiResult, Scope
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState


def team_names(state: DataState) -> dict[str, str]:
    """Team id → team name."""
    directory = cached.teams(state.db, state.version)
    return dict(zip(directory["team_id"], directory["team_name"], strict=True))


def unit_teams(state: DataState, business_unit: str) -> pd.DataFrame:
    """The teams (directory rows) of one business unit."""
    directory = cached.teams(state.db, state.version)
    return directory[directory["business_unit"] == business_unit]


def team_rows(results: list[KpiResult], team_ids: set[str]) -> list[KpiResult]:
    """The team-scope results of the teams `team_ids`."""
    return [r for r in results if r.scope_type is Scope.TEAM and r.scope_value in team_ids]


def scoped_results(state: DataState, filters: Filters, extra: tuple[str, ...] = ()) -> tuple[list[KpiResult], list]:
    """This quarter's results and the trend at the scopes the filters need (org and business units
    always; teams under a unit or team filter; `extra` breakdowns such as champions)."""
    db, version, quarter = state.db, state.version, str(filters.quarter)
    results = list(cached.kpi_results(db, version, quarter, "business_unit"))
    trend = list(cached.kpi_trend(db, version, "business_unit"))
    if filters.team_id or filters.business_unit:
        results += cached.kpi_results(db, version, quarter, "team")
    for by in (("team",) if filters.team_id else ()) + extra:
        trend += cached.kpi_trend(db, version, by)
        if by != "team":
            results += cached.kpi_results(db, version, quarter, by)
    return results, trend


def cards(state: DataState, filters: Filters, results, trend, kpis: Sequence[Kpi] = kpi.KPIS,
          selection: Selection | None = None) -> list[Card]:
    """The cards of `kpis` (every KPI by default) for the selection (the sidebar's by default); the
    adoption card also says how many solutions reach 70% of their target users."""
    part = cached.part_quarter_to(state.db, state.version, filters.quarter) is not None
    built = scorecard.build_cards(results, trend, filters.quarter, selection or filters.selection, kpis,
                                  state.empty_datasets, part)
    model = cached.current_model(state.db, state.version)
    return [_with_adopted_count(state, c) if c.kpi.id == drilldown.ADOPTION else _quoting(c, model) for c in built]


def _quoting(card: Card, model: OrgModel) -> Card:
    """The card quoting the guide for the model in force only, where its words differ by model."""
    if not card.kpi.guide_sections_by_model:
        return card
    return replace(card, source=source_text(card.kpi, card.result.target_source, model=model))


def _with_adopted_count(state: DataState, card: Card) -> Card:
    """The card with its second reading as detail (issue 10, item 9), from the same solutions as its value."""
    r = card.result
    if r.value is None or card.missing:
        return card
    rows = cached.rows_behind(state.db, state.version, r.kpi, r.period, r.scope_type.value, r.scope_value)
    return replace(card, detail=drilldown.adopted_count(rows).card_detail)


def not_loaded(state: DataState, dataset: str, what: str) -> str | None:
    """The empty state when `dataset` holds no row yet ("No skills assessment is loaded yet — import
    `skills.csv`"), so that a page never blames a selection for missing data; None when it holds rows."""
    if dataset not in state.empty_datasets:
        return None
    return f"No {what} is loaded yet — import `{dataset}.csv` on the Data page."
