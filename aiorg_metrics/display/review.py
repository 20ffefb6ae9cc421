"""The quarterly review's content for a quarter and a scope, built once for every face that shows it.

The review page, review mode and the review pack (`report`) read the same `Review`: the cards at
the selection's scope (with the units their green totals hide), what needs attention and who owns
it, and the executive summary. What the review reads from the store goes through a `ReviewSource`:
the app's is cached per data version (`dashboard.views.scoped.CachedSource`), the command line's
is `StoreSource`, which computes each breakdown once per run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

import pandas as pd

from aiorg_metrics import kpi
from aiorg_metrics.analysis import advisor, drilldown, skills
from aiorg_metrics.analysis import directory as lookups
from aiorg_metrics.analysis.exceptions import hidden_by_totals
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.scorecard import Attention, Card, Contributor, HiddenItem, Selection
from aiorg_metrics.display.summary import Sentence, executive_summary
from aiorg_metrics.display.wording import source_text
from aiorg_metrics.kpi import Kpi, KpiResult, Scope
from aiorg_metrics.kpi.relations import UNASSIGNED
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store


@dataclass(frozen=True)
class ReviewScope:
    """What a review looks at: a quarter, and the whole organization, a business unit or a team (with
    the team's name and business unit). The app's sidebar selects one (`dashboard.filters.Filters`)."""

    quarter: Quarter
    business_unit: str | None = None
    team_id: str | None = None
    team_name: str | None = None
    team_business_unit: str | None = None

    @property
    def selection(self) -> Selection:
        return Selection(self.business_unit, self.team_id, self.team_business_unit)

    @property
    def scope_text(self) -> str:
        if self.team_id:
            return f"team {self.team_name} ({self.team_business_unit})"
        return f"business unit {self.business_unit}" if self.business_unit else "whole organization"

    @property
    def unit(self) -> str | None:
        """The business unit the selection lies in (the selected one, or the selected team's)."""
        return self.business_unit or self.team_business_unit


class ReviewSource(Protocol):
    """What the review reads from the store, at one data version and with one settings file."""

    settings: Settings
    empty_datasets: Sequence[str]

    def results(self, quarter: str, by: str) -> list[KpiResult]: ...
    def trend(self, by: str) -> list[KpiResult]: ...
    def teams(self) -> pd.DataFrame: ...
    def rows_behind(self, kpi_id: str, quarter: str, scope: str, value: str | None) -> pd.DataFrame: ...
    def current_model(self) -> OrgModel: ...
    def part_quarter_to(self, quarter: Quarter) -> date | None: ...
    def advice(self, quarter: str) -> advisor.Advice: ...
    def single_points_of_failure(self) -> pd.DataFrame: ...
    def skill_gaps(self, filters: skills.SkillsFilters) -> pd.DataFrame: ...


@dataclass
class StoreSource:
    """A `ReviewSource` straight from a store, each breakdown computed once (the command line's)."""

    store: Store
    settings: Settings
    empty_datasets: Sequence[str] = ()
    _memo: dict[tuple, object] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        with self.store.reading() as cur:
            self.empty_datasets = tuple(lookups.empty_datasets(cur))
            self._span = kpi.coverage(cur)

    def _once(self, key: tuple, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def results(self, quarter: str, by: str) -> list[KpiResult]:
        return self._once(("results", quarter, by),
                          lambda: kpi.compute(self.store, quarter, by=by, settings=self.settings))

    def trend(self, by: str) -> list[KpiResult]:
        return self._once(("trend", by), lambda: kpi.trend(self.store, by=by, settings=self.settings))

    def _read(self, query, *args):
        with self.store.reading() as cur:
            return query(cur, *args)

    def teams(self) -> pd.DataFrame:
        return self._once(("teams",), lambda: self._read(lookups.teams))

    def rows_behind(self, kpi_id: str, quarter: str, scope: str, value: str | None) -> pd.DataFrame:
        where = drilldown.Where(Scope(scope), value)
        return self._once(("rows", kpi_id, quarter, scope, value), lambda: self._read(
            drilldown.rows_behind, kpi_id, Quarter.parse(quarter), where, self.settings))

    def current_model(self) -> OrgModel:
        return self._once(("model",), lambda: self._read(kpi.current_model, self.settings))

    def part_quarter_to(self, quarter: Quarter) -> date | None:
        return part_quarter_to(self._span, quarter)

    def advice(self, quarter: str) -> advisor.Advice:
        return self._once(("advice", quarter), lambda: self._read(
            advisor.advise_for_quarter, Quarter.parse(quarter), self.settings))

    def single_points_of_failure(self) -> pd.DataFrame:
        return self._once(("single_points",), lambda: self._read(skills.single_points_of_failure))

    def skill_gaps(self, filters: skills.SkillsFilters) -> pd.DataFrame:
        return self._once(("gaps", filters), lambda: self._read(skills.gap_matrix, "role", filters))


def part_quarter_to(span: kpi.Coverage | None, quarter: Quarter) -> date | None:
    """The data's last day when `quarter`'s values cover only part of it — in progress, or its data stops
    before its end — else None: the one condition under which no face compares with earlier quarters
    or judges a KPI that adds up over the quarter."""
    if span is None:
        return None
    in_progress = kpi.as_of_day(span, quarter) if span.covers(quarter) else None
    return in_progress or span.data_to(quarter)


def team_names(source: ReviewSource) -> dict[str, str]:
    """Team id → team name."""
    return lookups.by_team(source.teams(), "team_name")


def unit_teams(source: ReviewSource, business_unit: str) -> pd.DataFrame:
    """The teams (directory rows) of one business unit."""
    directory = source.teams()
    return directory[directory["business_unit"] == business_unit]


def members(source: ReviewSource, view: ReviewScope) -> set[str]:
    """The teams in the selection: the team, or the selected business unit's teams (empty for the
    organization)."""
    if view.team_id:
        return {view.team_id}
    return set(unit_teams(source, view.business_unit)["team_id"]) if view.business_unit else set()


def team_rows(results: list[KpiResult], team_ids: set[str]) -> list[KpiResult]:
    """The team-scope results of the teams `team_ids`."""
    return [r for r in results if r.scope_type is Scope.TEAM and r.scope_value in team_ids]


def scoped_results(source: ReviewSource, view: ReviewScope,
                   extra: tuple[str, ...] = ()) -> tuple[list[KpiResult], list]:
    """This quarter's results and the trend at the scopes the view needs (org and business units
    always; teams under a unit or team; `extra` breakdowns such as champions)."""
    quarter = str(view.quarter)
    results = list(source.results(quarter, "business_unit"))
    trend = list(source.trend("business_unit"))
    if view.team_id or view.business_unit:
        results += source.results(quarter, "team")
    for by in (("team",) if view.team_id else ()) + extra:
        trend += source.trend(by)
        if by != "team":
            results += source.results(quarter, by)
    return results, trend


def cards(source: ReviewSource, view: ReviewScope, results, trend, kpis: Sequence[Kpi] = kpi.KPIS,
          selection: Selection | None = None) -> list[Card]:
    """The cards of `kpis` (every KPI by default) for the selection (the view's by default); the
    adoption card also says how many solutions reach 70% of their target users."""
    part = source.part_quarter_to(view.quarter) is not None
    built = scorecard.build_cards(results, trend, view.quarter, selection or view.selection, kpis,
                                  source.empty_datasets, part)
    model = source.current_model()
    return [_with_adopted_count(source, c) if c.kpi.id == drilldown.ADOPTION else _quoting(c, model) for c in built]


def _quoting(card: Card, model: OrgModel) -> Card:
    """The card quoting the guide for the model in force only, where its words differ by model."""
    if not card.kpi.guide_sections_by_model:
        return card
    return replace(card, source=source_text(card.kpi, card.result.target_source, model=model))


def _with_adopted_count(source: ReviewSource, card: Card) -> Card:
    """The card with its second reading as detail (issue 10, item 9), from the same solutions as its value."""
    r = card.result
    if r.value is None or card.missing:
        return card
    rows = source.rows_behind(r.kpi, r.period, r.scope_type.value, r.scope_value)
    return replace(card, detail=drilldown.adopted_count(rows).card_detail)


@dataclass(frozen=True)
class Review:
    """What the review shows for one quarter and scope."""

    cards: list[Card]
    attention: list[Attention]
    hidden: list[HiddenItem]
    level: str  # what lies one level down: "business units" or "teams"
    summary: list[Sentence]
    as_of: date | None  # the data's last day when the quarter is in progress
    part_to: date | None  # the data's last day when it stops before the quarter's end (in progress or not)
    left_out: str | None  # the provisional KPIs left out of "needs attention" and the summary, and why


def _below(source: ReviewSource, view: ReviewScope, results: list[KpiResult]) -> tuple[list[KpiResult], str]:
    """The results one level under the selection: business units under the organization, the teams of
    a selected business unit, nothing under a team."""
    if view.team_id:
        return [], "teams"
    if view.business_unit:
        return team_rows(results, set(unit_teams(source, view.business_unit)["team_id"])), "teams"
    return [r for r in results if r.scope_type is Scope.BUSINESS_UNIT], "business units"


def _serving(source: ReviewSource, view: ReviewScope) -> list[KpiResult]:
    """The AI teams' rows (the demand queue's serving teams), at organization scope only: an AI team
    serves several units, so its row would not follow a unit filter."""
    if view.team_id or view.business_unit:
        return []
    rows = source.results(str(view.quarter), "ai_team")
    return [r for r in rows if r.scope_type is Scope.AI_TEAM]


def _serving_owners(source: ReviewSource, cards: Sequence[Card],
                    names: dict[str, str]) -> dict[str, tuple[Contributor, ...]]:
    """Under a unit or team filter, the AI teams serving the queue off target at that scope, read from its
    waiting use cases (the rows the drill-down lists): an AI team's own row spans every unit it serves."""
    queue = next((c for c in cards if c.kpi.id == drilldown.QUEUE and c.scope_tag is None), None)
    if queue is None or queue.result.scope_type is Scope.ORG or not queue.needs_attention:
        return {}
    r = queue.result
    parts = drilldown.serving_parts(source.rows_behind(drilldown.QUEUE, r.period, r.scope_type.value, r.scope_value))
    return {queue.kpi.id: scorecard.serving_from_parts(queue.kpi, r, parts, source.settings.amber_tolerance, names)}


def build_review(source: ReviewSource, view: ReviewScope) -> Review:
    """Cards at the view's scope (with the units their green totals hide), the needs-attention lists,
    and the executive summary."""
    results, trend = scoped_results(source, view)
    built = cards(source, view, results, trend)
    names = team_names(source) | {UNASSIGNED: scorecard.NO_AI_TEAM}
    below, level = _below(source, view, results)
    serving = _serving(source, view)
    totals = [c.result for c in built if c.scope_tag is None]
    hidden = scorecard.hidden_items(built, hidden_by_totals(totals, below + serving), names)
    built = scorecard.with_exceptions(built, hidden)
    attention = scorecard.needs_attention(built, below, names, serving, _serving_owners(source, built, names))
    as_of = next((c.result.as_of for c in built if c.result.as_of), None)
    part_to = source.part_quarter_to(view.quarter)
    summary = executive_summary(built, attention, hidden, source.settings.amber_tolerance,
                                str(view.quarter.previous()), partial=part_to is not None,
                                level="teams" if level == "teams" else "units")
    return Review(built, attention, hidden, level, summary, as_of, part_to, scorecard.left_out_text(built))


def export_results(source: ReviewSource, view: ReviewScope) -> tuple[list[KpiResult], dict[str, str] | None]:
    """The quarter's results a scorecard export holds, following the selection: the organization and
    every business unit; under a unit, the organization, the unit and its teams; under a team, the
    organization, its unit and the team. With the team names when teams are in it."""
    quarter, unit = str(view.quarter), view.unit
    results = list(source.results(quarter, "business_unit"))
    teams: set[str] = set()
    if unit is not None:
        results += source.results(quarter, "team")
        teams = {view.team_id} if view.team_id else set(unit_teams(source, unit)["team_id"])
    return scorecard.export_rows(results, unit, teams), (team_names(source) if teams else None)
