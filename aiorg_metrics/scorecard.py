"""The quarterly review, as plain data: one card per KPI at the scope the filters ask for,
the "needs attention" list, the business-unit status matrix and the org picture.

Pure functions over KPI results (`aiorg_metrics.kpi`); the app only renders them.

Filters: a KPI is shown at the finest scope it has among those selected (team, else
business unit, else organization). When that is broader than the selection, the card
says so ("organization-wide", "business-unit-wide").

Needs attention: the red cards first, then amber, each group by relative distance to
the bound it violates. For each, the units one level down (business units under the
organization, teams under a business unit) whose own status is red or amber, ordered
by their share of the shortfall. A unit's shortfall is its distance outside its own
target times its weight in the KPI (the denominator of a share or ratio, the
population `n` of a mean or median, 1 for a count of teams or people).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .kpi import KPIS, Kpi, KpiResult, Scope, Theme, Unit
from .periods import Quarter
from .presentation import (
    STATUS_STYLES,
    Comparison,
    compare,
    format_target,
    format_value,
    relative_distance,
    source_text,
    status_word,
)
from .status import Status, distance_to_band

ATTENTION = (Status.RED, Status.AMBER)
ORG_WIDE = "organization-wide"
UNIT_WIDE = "business-unit-wide"

# What the numerator and denominator (or n) count, per KPI, for the card's population line.
POPULATION: dict[str, tuple[str, str]] = {
    "champions_per_business_team": ("active champions", "business teams"),
    "business_teams_in_champion_band": ("", "business teams"),
    "use_cases_per_champion": ("use cases", "active champions"),
    "champion_satisfaction": ("", "champions surveyed"),
    "champion_time_allocation": ("", "active champions"),
    "champion_programme_completion": ("", "champions in the programme"),
    "meetup_participation": ("", "active champions"),
    "use_case_to_poc_rate": ("", "use cases identified in 12 months"),
    "poc_to_production_rate": ("", "PoCs concluded in 12 months"),
    "demand_queue_months": ("", "use cases waiting"),
    "briefing_completeness": ("", "use cases qualified"),
    "adoption_rate": ("", "solutions with usage data"),
    "spoke_staffing": ("", "AI spokes"),
    "hub_size": ("", "hub team(s)"),
    "shadow_ai_teams": ("", "business teams"),
    "training_spend_per_learner": ("EUR", "learners in 12 months"),
    "practice_share": ("practice hours", "training hours"),
    "upskilling_on_track": ("", "reconversion paths in progress"),
    "skills_coverage": ("", "required skill pairs"),
}


@dataclass(frozen=True)
class Selection:
    """The sidebar filters: a business unit and/or a team (with the team's business unit)."""

    business_unit: str | None = None
    team: str | None = None
    team_business_unit: str | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.business_unit or self.team)

    def candidates(self, kpi: Kpi) -> list[tuple[str, str | None]]:
        """Scopes to try for `kpi`, finest first, each with the tag a card shows (None: exact)."""
        out: list[tuple[str, str | None]] = []
        if self.team and Scope.TEAM in kpi.scopes:
            out.append((f"team:{self.team}", None))
        unit = self.business_unit or self.team_business_unit
        if unit and Scope.BUSINESS_UNIT in kpi.scopes:
            out.append((f"business_unit:{unit}", UNIT_WIDE if self.team else None))
        out.append(("org", ORG_WIDE if self.filtered else None))
        return out


@dataclass(frozen=True)
class Card:
    """Everything a KPI card shows, as text and plain values."""

    kpi: Kpi
    result: KpiResult
    scope_tag: str | None
    value: str
    status: Status
    status_word: str
    population: str
    target: str
    source: str
    comparisons: tuple[Comparison, ...]
    trend_periods: tuple[str, ...]
    trend_values: tuple[float | None, ...]

    @property
    def needs_attention(self) -> bool:
        return self.status in ATTENTION


def _count(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def population_text(kpi: Kpi, result: KpiResult) -> str:
    """"53 of 174 use cases…", "38 active champions / 25 business teams", "n = 38 active champions"."""
    top, bottom = POPULATION.get(kpi.id, ("", ""))
    if result.numerator is not None and result.denominator is not None:
        if kpi.unit is Unit.PERCENT:
            return f"{_count(result.numerator)} of {_count(result.denominator)} {bottom}".strip()
        left = f"{_count(result.numerator)} {top}".strip()
        return f"{left} / {_count(result.denominator)} {bottom}".strip()
    return f"n = {result.n:,} {bottom}".strip()


def index_results(results: Iterable[KpiResult]) -> dict[tuple[str, str], KpiResult]:
    """Results by (KPI id, scope string)."""
    return {(r.kpi, r.scope): r for r in results}


def _series(trend: Sequence[KpiResult], kpi_id: str, scope: str, quarter: Quarter) -> list[KpiResult]:
    last = str(quarter)
    rows = [r for r in trend if r.kpi == kpi_id and r.scope == scope and r.period <= last]
    return sorted(rows, key=lambda r: r.period)


def card(kpi: Kpi, result: KpiResult, tag: str | None, trend: Sequence[KpiResult], quarter: Quarter) -> Card:
    """One card from a result and its trend at the same scope."""
    comparisons: tuple[Comparison, ...] = ()
    if kpi.dated:
        comparisons = (
            compare(kpi, f"vs {quarter.previous()}", result.previous, result.value, result.target),
            compare(kpi, f"vs {quarter.year_ago()}", result.year_ago, result.value, result.target),
        )
    series = _series(trend, kpi.id, result.scope, quarter) if kpi.dated else []
    return Card(
        kpi=kpi, result=result, scope_tag=tag,
        value=format_value(kpi, result.value, result.target),
        status=result.status, status_word=status_word(result.status, result.partial_window),
        population=population_text(kpi, result),
        target=format_target(kpi, result.target), source=source_text(kpi, result.target_source),
        comparisons=comparisons,
        trend_periods=tuple(r.period for r in series), trend_values=tuple(r.value for r in series),
    )


def build_cards(
    results: Iterable[KpiResult],
    trend: Sequence[KpiResult],
    quarter: Quarter,
    selection: Selection = Selection(),
    kpis: Sequence[Kpi] = KPIS,
) -> list[Card]:
    """A card per KPI (registry order) at the finest selected scope that has a result."""
    by_scope = index_results(results)
    cards = []
    for kpi in kpis:
        for scope, tag in selection.candidates(kpi):
            result = by_scope.get((kpi.id, scope))
            if result is not None:
                cards.append(card(kpi, result, tag, trend, quarter))
                break
    return cards


def by_theme(cards: Iterable[Card]) -> dict[Theme, list[Card]]:
    """Cards grouped by theme, themes in the registry's order."""
    grouped: dict[Theme, list[Card]] = {}
    for c in cards:
        grouped.setdefault(c.kpi.theme, []).append(c)
    return grouped


def status_summary(cards: Iterable[Card]) -> dict[Status, int]:
    """How many cards have each status, most urgent first."""
    counts = dict.fromkeys(sorted(Status, key=lambda s: -STATUS_STYLES[s].rank), 0)
    for c in cards:
        counts[c.status] += 1
    return counts


# --- needs attention ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contributor:
    """A unit one level down that falls short too, with its share of the total shortfall."""

    name: str
    status: Status
    value: str
    share: float | None


@dataclass(frozen=True)
class Attention:
    card: Card
    distance: float
    contributors: tuple[Contributor, ...]


def _weight(kpi: Kpi, result: KpiResult) -> float:
    if result.denominator:
        return float(result.denominator)
    if kpi.unit in (Unit.TEAMS, Unit.PEOPLE):
        return 1.0
    return float(result.n or 0)


def shortfall(kpi: Kpi, result: KpiResult) -> float:
    """The unit's distance outside its own target times its weight in the KPI (0 when inside)."""
    if result.value is None or result.target is None:
        return 0.0
    return distance_to_band(result.value, result.target) * _weight(kpi, result)


def contributors(
    kpi: Kpi, rows: Iterable[KpiResult], labels: Mapping[str, str] | None = None
) -> tuple[Contributor, ...]:
    """The red or amber units among `rows`, largest share of the shortfall first."""
    short = [r for r in rows if r.kpi == kpi.id and r.status in ATTENTION]
    amounts = {r.scope: shortfall(kpi, r) for r in short}
    total = sum(amounts.values())
    listed = [
        Contributor(
            name=(labels or {}).get(r.scope_value or "", r.scope_value or ""),
            status=r.status,
            value=format_value(kpi, r.value, r.target),
            share=amounts[r.scope] / total if total else None,
        )
        for r in short
    ]
    return tuple(sorted(listed, key=lambda c: (-(c.share or 0), -STATUS_STYLES[c.status].rank, c.name)))


def needs_attention(
    cards: Iterable[Card], below: Iterable[KpiResult], labels: Mapping[str, str] | None = None
) -> list[Attention]:
    """Red cards, then amber, each by relative distance to the violated bound (furthest first).

    `below` holds the results one level under each card's scope (the business units, or
    the teams of the selected business unit); `labels` names their scope values.
    """
    rows = list(below)
    items = []
    for c in cards:
        if not c.needs_attention or c.scope_tag is not None:
            continue
        distance = relative_distance(c.result.value, c.result.target) if c.result.value is not None and \
            c.result.target is not None else 0.0
        items.append(Attention(c, distance, contributors(c.kpi, rows, labels)))
    return sorted(items, key=lambda a: (-STATUS_STYLES[a.card.status].rank, -a.distance, a.card.kpi.label))


# --- business units × KPIs, and the org picture ---------------------------------------------


def status_matrix(results: Iterable[KpiResult], scope: Scope = Scope.BUSINESS_UNIT,
                  kpis: Sequence[Kpi] = KPIS) -> pd.DataFrame:
    """One row per (unit, KPI having that scope): unit, kpi, label, status, word, symbol, value."""
    by_id = {k.id: k for k in kpis}
    rows = [
        {
            "unit": r.scope_value, "kpi": r.kpi, "label": by_id[r.kpi].label, "status": r.status.value,
            "word": status_word(r.status, r.partial_window), "symbol": STATUS_STYLES[r.status].symbol,
            "value": format_value(by_id[r.kpi], r.value, r.target),
            "order": list(by_id).index(r.kpi),
        }
        for r in results
        if r.scope_type is scope and r.kpi in by_id
    ]
    columns = ["unit", "kpi", "label", "status", "word", "symbol", "value", "order"]
    return pd.DataFrame(rows, columns=columns).sort_values(["order", "unit"]).drop(columns="order")


GRADED = (Status.RED, Status.AMBER, Status.GREEN)


def worst_status(statuses: Iterable[Status]) -> Status | None:
    """The most urgent of the graded statuses (red, amber, green); None when none is graded."""
    graded = [s for s in statuses if s in GRADED]
    return max(graded, key=lambda s: STATUS_STYLES[s].rank) if graded else None


def org_picture(teams: pd.DataFrame, team_results: Iterable[KpiResult]) -> pd.DataFrame:
    """Teams with their worst status among their team-scope KPIs ("not graded" when none is).

    Columns: business_unit, team_id, team_name, team_kind, headcount, status, word,
    red, amber, green (how many team KPIs have each status).
    """
    per_team: dict[str, list[Status]] = {}
    for r in team_results:
        if r.scope_type is Scope.TEAM and r.scope_value:
            per_team.setdefault(r.scope_value, []).append(r.status)
    rows = []
    for team in teams.itertuples(index=False):
        statuses = per_team.get(team.team_id, [])
        worst = worst_status(statuses)
        rows.append({
            "business_unit": team.business_unit, "team_id": team.team_id, "team_name": team.team_name,
            "team_kind": team.team_kind, "headcount": int(team.headcount),
            "status": worst.value if worst else "none",
            "word": STATUS_STYLES[worst].word if worst else "Not graded",
            **{s.value: statuses.count(s) for s in GRADED},
        })
    columns = ["business_unit", "team_id", "team_name", "team_kind", "headcount", "status", "word",
               "red", "amber", "green"]
    return pd.DataFrame(rows, columns=columns)


def default_quarter(quarters: Sequence[Quarter], last_day) -> Quarter | None:
    """The latest quarter whose last day is on or before the latest date in the data
    (never the clock); the earliest covered quarter when none has ended yet."""
    if not quarters:
        return None
    ended = [q for q in quarters if q.last_day <= last_day]
    return ended[-1] if ended else quarters[0]
