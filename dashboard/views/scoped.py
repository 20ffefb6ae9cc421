"""What several pages share: the review's source read through the app's cache, the KPI results and cards
at the sidebar's scope (`aiorg_metrics.display.review` builds them), and team names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from aiorg_metrics import kpi
from aiorg_metrics.analysis import advisor, skills
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display import review
from aiorg_metrics.display.scorecard import Card, Selection
from aiorg_metrics.kpi import Kpi, KpiResult
from aiorg_metrics.kpi.settings import Settings
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState


@dataclass(frozen=True)
class CachedSource:
    """The review's `ReviewSource` in the app: every read cached on (store path, data version)."""

    state: DataState

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def empty_datasets(self) -> Sequence[str]:
        return self.state.empty_datasets

    def results(self, quarter: str, by: str) -> list[KpiResult]:
        return cached.kpi_results(self.state.db, self.state.version, quarter, by)

    def trend(self, by: str) -> list[KpiResult]:
        return cached.kpi_trend(self.state.db, self.state.version, by)

    def teams(self) -> pd.DataFrame:
        return cached.teams(self.state.db, self.state.version)

    def rows_behind(self, kpi_id: str, quarter: str, scope: str, value: str | None) -> pd.DataFrame:
        return cached.rows_behind(self.state.db, self.state.version, kpi_id, quarter, scope, value)

    def current_model(self) -> OrgModel:
        return cached.current_model(self.state.db, self.state.version)

    def part_quarter_to(self, quarter: Quarter) -> date | None:
        return cached.part_quarter_to(self.state.db, self.state.version, quarter)

    def advice(self, quarter: str) -> advisor.Advice:
        return cached.advice(self.state.db, self.state.version, quarter)

    def single_points_of_failure(self) -> pd.DataFrame:
        return cached.single_points_of_failure(self.state.db, self.state.version)

    def skill_gaps(self, filters: skills.SkillsFilters) -> pd.DataFrame:
        return cached.skill_gaps(self.state.db, self.state.version, filters)


def team_names(state: DataState) -> dict[str, str]:
    """Team id → team name, read from the cache of this data version (`cached.team_names`)."""
    return cached.team_names(state.db, state.version)


def unit_teams(state: DataState, business_unit: str) -> pd.DataFrame:
    """The teams (directory rows) of one business unit."""
    return review.unit_teams(CachedSource(state), business_unit)


def scoped_results(state: DataState, filters: Filters, extra: tuple[str, ...] = ()) -> tuple[list[KpiResult], list]:
    """This quarter's results and the trend at the scopes the filters need (`review.scoped_results`)."""
    return review.scoped_results(CachedSource(state), filters, extra)


def cards(state: DataState, filters: Filters, results, trend, kpis: Sequence[Kpi] = kpi.KPIS,
          selection: Selection | None = None) -> list[Card]:
    """The cards of `kpis` for the selection (the sidebar's by default), as `review.cards` builds them."""
    return review.cards(CachedSource(state), filters, results, trend, kpis, selection)


def not_loaded(state: DataState, dataset: str, what: str) -> str | None:
    """The empty state when `dataset` holds no row yet ("No skills assessment is loaded yet — import
    `skills.csv`"), so that a page never blames a selection for missing data; None when it holds rows."""
    if dataset not in state.empty_datasets:
        return None
    return f"No {what} is loaded yet — import `{dataset}.csv` on the Data page."
