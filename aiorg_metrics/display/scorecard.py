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

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

import pandas as pd

from aiorg_metrics.analysis.drilldown import ServingPart
from aiorg_metrics.analysis.exceptions import Hidden
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display.styles import VERDICT_CLASSES
from aiorg_metrics.display.wording import (
    PROVISIONAL,
    STATUS_STYLES,
    VERDICT_WORDS,
    Comparison,
    compare,
    distance_text,
    format_target,
    format_value,
    relative_distance,
    short_value,
    source_text,
    status_word,
    unit_name,
    value_parts,
)
from aiorg_metrics.kpi import BY_ID, KPIS, Kpi, KpiResult, Scope, Theme, Unit
from aiorg_metrics.kpi.relations import UNASSIGNED, UNKNOWN_TEAM
from aiorg_metrics.kpi.status import Status, distance_to_band, grade

ATTENTION = (Status.RED, Status.AMBER)
ORG_WIDE = "organization-wide"
UNIT_WIDE = "business-unit-wide"

def _noun(noun: str, count: float | None) -> str:
    return noun.format(s="" if count == 1 else "s")


@dataclass(frozen=True)
class Selection:
    """The filters: a business unit and/or a team (with the team's business unit), or a champion."""

    business_unit: str | None = None
    team: str | None = None
    team_business_unit: str | None = None
    champion: str | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.business_unit or self.team or self.champion)

    def candidates(self, kpi: Kpi) -> list[tuple[str, str | None]]:
        """Scopes to try for `kpi`, finest first, each with the tag a card shows (None: exact)."""
        out: list[tuple[str, str | None]] = []
        if self.champion and Scope.CHAMPION in kpi.scopes:
            out.append((f"champion:{self.champion}", None))
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
    value: str  # number and unit, "1.1 per champion"
    value_number: str  # "1.1"
    value_suffix: str  # " per champion"
    status: Status
    status_word: str
    population: str
    target: str
    source: str
    comparisons: tuple[Comparison, ...]
    trend_periods: tuple[str, ...]
    trend_values: tuple[float | None, ...]
    missing: tuple[str, ...] = ()  # datasets the KPI reads that are not loaded yet
    detail: str | None = None  # one more small line, e.g. a second reading of the value
    exception: str | None = None  # "On target overall; off target in Insurance 42% (n = 16)"
    exception_status: Status | None = None  # the worst status the exception names
    # The quarter's data stops before its end (in progress, or a finished quarter missing its last weeks):
    # nothing is compared with earlier quarters.
    partial: bool = False
    # Partial, and the KPI adds up over the quarter: shown "Provisional", not judged (result.status kept).
    provisional: bool = False

    @property
    def needs_attention(self) -> bool:
        return self.status in ATTENTION

    @property
    def in_progress(self) -> bool:
        """True when the card's quarter has not ended and its value reads dated rows: a value to date, not
        final (a KPI of current data, such as the hub's size, reads the same whenever it is computed)."""
        return self.kpi.dated and self.result.as_of is not None


def comparisons_html(card: Card) -> str:
    """The card's changes against earlier quarters as HTML lines, each with its verdict coloured (the
    classes of `styles.VERDICT_CLASSES`): the app's cards and the review pack's print the same."""
    if not card.kpi.dated:
        return "No comparison: current data, the same every quarter."
    if card.partial:  # the page's or pack's banner says once why a part quarter has no comparison
        return ""
    parts = []
    for c in card.comparisons:
        if c.before == "–":
            parts.append(f"{html.escape(c.label)}: no value")
            continue
        text = f"{html.escape(c.label)} {html.escape(c.before)} · {html.escape(c.delta)}"
        if c.verdict is not None:
            word, colour = VERDICT_WORDS[c.verdict]
            text += f' <span class="{VERDICT_CLASSES.get(colour, "kpi-same")}">{html.escape(word)}</span>'
        parts.append(text)
    return "<br>".join(parts)


def _count(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def population_text(kpi: Kpi, result: KpiResult) -> str:
    """"53 of 174 use cases…", "38 active champions / 25 business teams", "n = 38 active champions"."""
    top, bottom = kpi.population.numerator, kpi.population.noun
    num, den = result.numerator, result.denominator
    if num is not None and den is not None:
        if kpi.unit is Unit.PERCENT:
            return f"{_count(num)} of {_count(den)} {_noun(bottom, den)}".strip()
        left = f"{_count(num)} {_noun(top, num)}".strip()
        return f"{left} / {_count(den)} {_noun(bottom, den)}".strip()
    return f"n = {result.n:,} {_noun(bottom, result.n)}".strip()


def index_results(results: Iterable[KpiResult]) -> dict[tuple[str, str], KpiResult]:
    """Results by (KPI id, scope string)."""
    return {(r.kpi, r.scope): r for r in results}


def _series(trend: Sequence[KpiResult], kpi_id: str, scope: str, quarter: Quarter) -> list[KpiResult]:
    last = str(quarter)
    rows = [r for r in trend if r.kpi == kpi_id and r.scope == scope and r.period <= last]
    return sorted(rows, key=lambda r: r.period)


INCOMPLETE = "Incomplete data"


def missing_inputs(kpi: Kpi, empty_datasets: Iterable[str]) -> tuple[str, ...]:
    """The datasets `kpi` reads by date that hold no row yet (its value would mislead without them)."""
    empty = set(empty_datasets)
    return tuple(dict.fromkeys(d.dataset for d in kpi.dated_by if d.dataset in empty))


def card(kpi: Kpi, result: KpiResult, tag: str | None, trend: Sequence[KpiResult], quarter: Quarter,
         missing: tuple[str, ...] = (), part_quarter: bool = False) -> Card:
    """One card from a result and its trend at the same scope.

    With `missing` (datasets the KPI reads that are not loaded), the card is graded as no data
    and says "Incomplete data": a 0% conversion computed without the PoC file is not a finding.
    In a quarter in progress, or one whose data stops before its end (`part_quarter`), it carries no
    comparison: a part quarter against full ones misleads; and a KPI that adds up over the quarter
    reads "Provisional" rather than red or amber against a full quarter's target.
    """
    partial = kpi.dated and (part_quarter or result.as_of is not None)
    provisional = partial and kpi.accumulates_in_quarter and not missing
    comparisons: tuple[Comparison, ...] = ()
    if kpi.dated and not partial:
        comparisons = (
            compare(kpi, f"vs {quarter.previous()}", result.previous, result.value, result.target),
            compare(kpi, f"vs {quarter.year_ago()}", result.year_ago, result.value, result.target),
        )
    series = _series(trend, kpi.id, result.scope, quarter) if kpi.dated else []
    number, suffix = value_parts(kpi, result.value, result.target)
    status = Status.NO_DATA if missing else Status.INFO if provisional else result.status
    word = INCOMPLETE if missing else PROVISIONAL if provisional else status_word(status, result.partial_window)
    return Card(
        kpi=kpi, result=result, scope_tag=tag,
        value=number + suffix, value_number=number, value_suffix=suffix,
        status=status, status_word=word,
        population=population_text(kpi, result),
        target=format_target(kpi, result.target), source=source_text(kpi, result.target_source),
        comparisons=comparisons,
        trend_periods=tuple(r.period for r in series), trend_values=tuple(r.value for r in series),
        missing=missing, partial=partial, provisional=provisional,
    )


def build_cards(
    results: Iterable[KpiResult],
    trend: Sequence[KpiResult],
    quarter: Quarter,
    selection: Selection = Selection(),
    kpis: Sequence[Kpi] = KPIS,
    empty_datasets: Iterable[str] = (),
    part_quarter: bool = False,
) -> list[Card]:
    """A card per KPI (registry order) at the finest selected scope that has a result; KPIs reading
    a dataset in `empty_datasets` are marked incomplete; `part_quarter`: the quarter's data stops
    before its end (see `card`)."""
    by_scope = index_results(results)
    empty = tuple(empty_datasets)
    cards = []
    for kpi in kpis:
        for scope, tag in selection.candidates(kpi):
            result = by_scope.get((kpi.id, scope))
            if result is not None:
                cards.append(card(kpi, result, tag, trend, quarter, missing_inputs(kpi, empty), part_quarter))
                break
    return cards


class _HasKpi(Protocol):
    @property
    def kpi(self) -> Kpi: ...


T = TypeVar("T", bound=_HasKpi)


def by_theme(items: Iterable[T]) -> dict[Theme, list[T]]:
    """Cards (or anything with a `kpi`) grouped by theme, themes in the order met."""
    grouped: dict[Theme, list[T]] = {}
    for item in items:
        grouped.setdefault(item.kpi.theme, []).append(item)
    return grouped


def theme_rows(cards: Sequence[Card], per_row: int) -> list[list[tuple[str, Card]]]:
    """Cards laid out in rows of `per_row`, a theme starting a new row unless it fits in what is left;
    each slot carries the theme heading to show above it ("" under a theme already headed in that row)."""
    rows: list[list[tuple[str, Card]]] = []
    for theme, group in by_theme(cards).items():
        if not rows or len(rows[-1]) + len(group) > per_row:
            rows.append([])
        for i, c in enumerate(group):
            if len(rows[-1]) == per_row:
                rows.append([])
            rows[-1].append((theme.value if i == 0 or not rows[-1] else "", c))
    return rows


def status_summary(cards: Iterable[Card]) -> dict[Status, int]:
    """How many cards have each status, most urgent first (provisional cards are not graded: left out)."""
    counts = dict.fromkeys(sorted(Status, key=lambda s: -STATUS_STYLES[s].rank), 0)
    for c in cards:
        if not c.provisional:
            counts[c.status] += 1
    return counts


def left_out_provisional(cards: Iterable[Card]) -> list[Card]:
    """The cards at the selection's own scope that would need attention but read "Provisional" (they add up
    over a quarter the data covers only part of): what "needs attention" and the summary leave out."""
    return [c for c in cards if c.provisional and c.scope_tag is None and c.result.status in ATTENTION]


def left_out_text(cards: Iterable[Card]) -> str | None:
    """The line naming the provisional KPIs left out of the shortfalls, and why (None: none left out)."""
    labels = [c.kpi.label for c in left_out_provisional(cards)]
    if not labels:
        return None
    names = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return (f"Not judged until the quarter's data is complete: {names} — they add up over the quarter, so part "
            "of it is not held to a full quarter's target")


# --- needs attention ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contributor:
    """A unit one level down that falls short too, with its share of the total shortfall."""

    name: str
    status: Status
    value: str
    share: float | None
    detail: str = ""  # "54 of the 61 use cases waiting", "n = 16 · 40% below the minimum"


@dataclass(frozen=True)
class Attention:
    card: Card
    distance: float  # relative to the violated bound (the distance itself when the bound is 0)
    distance_text: str
    contributors: tuple[Contributor, ...]
    serving: tuple[Contributor, ...] = ()  # the AI teams serving a queue, when it is the queue


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


def serving_teams(
    kpi: Kpi, total: KpiResult, rows: Iterable[KpiResult], labels: Mapping[str, str] | None = None
) -> tuple[Contributor, ...]:
    """The red or amber AI teams among `rows` serving the queue `total`, each with its share of the
    waiting items ("54 of the 61 use cases waiting"), the largest share first."""
    short = [r for r in rows if r.kpi == kpi.id and r.scope_type is Scope.AI_TEAM and r.status in ATTENTION]
    short.sort(key=lambda r: (-r.n, r.scope_value or ""))
    return tuple(
        Contributor(
            name=(labels or {}).get(r.scope_value or "", r.scope_value or ""), status=r.status,
            value=format_value(kpi, r.value, r.target), share=r.n / total.n if total.n else None,
            detail=f"{r.n:,} of the {total.n:,} {_noun(kpi.population.noun, total.n)}",
        )
        for r in short
    )


def serving_from_parts(
    kpi: Kpi, total: KpiResult, parts: Iterable[ServingPart], tolerance: float,
    labels: Mapping[str, str] | None = None,
) -> tuple[Contributor, ...]:
    """The red or amber AI teams serving the queue `total` of a business unit or a team (an AI team's
    own row spans every unit it serves, so its part is read from the waiting use cases:
    `analysis.drilldown.serving_parts`), each graded on its part's median wait, most waiting first."""
    if total.target is None:
        return ()
    graded = [(p, grade(p.median_months, total.target, tolerance)) for p in parts]
    return tuple(
        Contributor(
            name=(labels or {}).get(p.ai_team, p.ai_team), status=status,
            value=format_value(kpi, p.median_months, total.target),
            share=p.waiting / total.n if total.n else None,
            detail=f"{p.waiting:,} of the {total.n:,} {_noun(kpi.population.noun, total.n)}",
        )
        for p, status in graded if status in ATTENTION
    )


def needs_attention(
    cards: Iterable[Card], below: Iterable[KpiResult], labels: Mapping[str, str] | None = None,
    serving: Iterable[KpiResult] = (), serving_owners: Mapping[str, tuple[Contributor, ...]] | None = None,
) -> list[Attention]:
    """Red cards, then amber, each by relative distance to the violated bound (furthest first).

    `below` holds the results one level under each card's scope (the business units, or
    the teams of the selected business unit); `serving` the AI-team rows of the demand queue,
    which owns a queue before the units that request the work; `serving_owners` the serving AI teams
    already worked out per KPI id (under a unit or team filter: `serving_from_parts`), used instead;
    `labels` names their scope values.
    """
    rows, ai_rows = list(below), list(serving)
    items = []
    for c in cards:
        if not c.needs_attention or c.scope_tag is not None:
            continue
        value, target = c.result.value, c.result.target
        if value is None or target is None:
            continue
        owners = (serving_owners or {}).get(c.kpi.id) or serving_teams(c.kpi, c.result, ai_rows, labels)
        items.append(Attention(c, relative_distance(value, target), distance_text(c.kpi, value, target),
                               contributors(c.kpi, rows, labels), owners))
    return sorted(items, key=lambda a: (-STATUS_STYLES[a.card.status].rank, -a.distance, a.card.kpi.label))


# --- exceptions under totals ----------------------------------------------------------------

EXCEPTIONS_NAMED = 3  # units named on a card's exception line; the others are counted


@dataclass(frozen=True)
class HiddenItem:
    """A green card whose total hides units off target: the card and those units, largest gap first."""

    card: Card
    hidden: Hidden
    below: tuple[Contributor, ...]


def _gap_text(kpi: Kpi, result: KpiResult) -> str:
    if result.value is None or result.target is None:
        return ""
    return distance_text(kpi, result.value, result.target)


def _below(kpi: Kpi, hidden: Hidden, labels: Mapping[str, str] | None) -> tuple[Contributor, ...]:
    return tuple(
        Contributor(
            name=(labels or {}).get(r.scope_value or "", r.scope_value or ""), status=r.status,
            value=format_value(kpi, r.value, r.target), share=None,
            detail=" · ".join(filter(None, (f"n = {r.n:,}", _gap_text(kpi, r)))),
        )
        for r in hidden.below
    )


def exception_line(item: HiddenItem) -> str:
    """The card's line: "On target overall; off target in Insurance 42% (n = 16)"."""
    named = [f"{c.name} {c.value} (n = {r.n:,})"
             for c, r in zip(item.below[:EXCEPTIONS_NAMED], item.hidden.below, strict=False)]
    more = len(item.below) - EXCEPTIONS_NAMED
    return "On target overall; off target in " + ", ".join(named) + (f" and {more} more" if more > 0 else "")


def hidden_items(
    cards: Iterable[Card], hidden: Iterable[Hidden], labels: Mapping[str, str] | None = None
) -> list[HiddenItem]:
    """The exceptions matched to their cards, largest gap first: cards at the selection's own scope whose
    shown status is green (not a card marked incomplete because a dataset it reads is not loaded)."""
    by_kpi = {h.kpi: h for h in hidden}
    return [
        HiddenItem(c, h, _below(c.kpi, h, labels))
        for h in by_kpi.values()
        for c in cards
        if c.kpi.id == h.kpi and c.scope_tag is None and c.result.scope == h.total.scope
        and c.status is Status.GREEN
    ]


def with_exceptions(cards: Sequence[Card], items: Iterable[HiddenItem]) -> list[Card]:
    """The cards, those hiding units off target carrying their exception line."""
    lines = {i.card.kpi.id: i for i in items}
    return [
        replace(c, exception=exception_line(i), exception_status=worst_status(b.status for b in i.below))
        if (i := lines.get(c.kpi.id)) else c
        for c in cards
    ]


# --- business units × KPIs, and the org picture ---------------------------------------------


def _cell(kpi: Kpi, result: KpiResult) -> str:
    """A heat-map cell: the status symbol and the bare number (a % for shares)."""
    symbol = STATUS_STYLES[result.status].symbol
    if result.value is None:
        return symbol
    return f"{symbol} {short_value(kpi, result.value, result.target)}"


def status_matrix(results: Iterable[KpiResult], scope: Scope = Scope.BUSINESS_UNIT,
                  kpis: Sequence[Kpi] = KPIS) -> pd.DataFrame:
    """One row per (unit, KPI having that scope): unit, kpi, label (with its unit), status, word,
    symbol, value, cell. Units with no data in any KPI (such as an empty "unknown team") are left out."""
    by_id = {k.id: k for k in kpis}
    order = {k.id: i for i, k in enumerate(kpis)}
    rows = [
        {
            "unit": unit_name(r.scope_value or ""), "kpi": r.kpi, "label": _row_label(by_id[r.kpi]),
            "status": r.status.value,
            "word": status_word(r.status, r.partial_window), "symbol": STATUS_STYLES[r.status].symbol,
            "value": format_value(by_id[r.kpi], r.value, r.target), "cell": _cell(by_id[r.kpi], r),
            "order": order[r.kpi],
        }
        for r in results
        if r.scope_type is scope and r.kpi in by_id
    ]
    columns = ["unit", "kpi", "label", "status", "word", "symbol", "value", "cell", "order"]
    frame = pd.DataFrame(rows, columns=columns)
    graded = frame.groupby("unit")["status"].transform(lambda s: (s != Status.NO_DATA.value).any())
    return frame[graded.astype(bool)].sort_values(["order", "unit"]).drop(columns="order").reset_index(drop=True)


def _row_label(kpi: Kpi) -> str:
    unit = {Unit.PERCENT: "", Unit.EUR: " (EUR)", Unit.MONTHS: " (months)", Unit.SCORE: " (out of 5)",
            Unit.PER_TEAM: " (per team)", Unit.PER_CHAMPION: " (per champion)", Unit.PEOPLE: " (people)",
            Unit.TEAMS: " (teams)"}[kpi.unit]
    return kpi.label + unit


GRADED = (Status.RED, Status.AMBER, Status.GREEN)


def worst_status(statuses: Iterable[Status]) -> Status | None:
    """The most urgent of the graded statuses (red, amber, green); None when none is graded."""
    graded = [s for s in statuses if s in GRADED]
    return max(graded, key=lambda s: STATUS_STYLES[s].rank) if graded else None


NOT_MEASURED = "none"  # the org picture's status of a team the chosen KPI has no row for


def org_picture(teams: pd.DataFrame, team_results: Iterable[KpiResult], kpi_id: str | None = None) -> pd.DataFrame:
    """Teams coloured by their status on `kpi_id`, or by their worst status among their team-scope
    KPIs when `kpi_id` is None ("not graded" when none is).

    Columns: business_unit, team_id, team_name, team_kind, headcount, status (a Status value, or
    "none": no row for the team), word, value (the KPI's value as text; "" for the worst status),
    red, amber, green (how many team KPIs have each status).
    """
    per_team: dict[str, list[KpiResult]] = {}
    for r in team_results:
        if r.scope_type is Scope.TEAM and r.scope_value:
            per_team.setdefault(r.scope_value, []).append(r)
    rows = []
    for team in teams.itertuples(index=False):
        results = per_team.get(team.team_id, [])
        statuses = [r.status for r in results]
        rows.append({
            "business_unit": team.business_unit, "team_id": team.team_id, "team_name": team.team_name,
            "team_kind": team.team_kind, "headcount": int(team.headcount),
            **(_worst_colour(statuses) if kpi_id is None else _kpi_colour(kpi_id, results)),
            **{s.value: statuses.count(s) for s in GRADED},
        })
    columns = ["business_unit", "team_id", "team_name", "team_kind", "headcount", "status", "word", "value",
               "red", "amber", "green"]
    return pd.DataFrame(rows, columns=columns)


def _worst_colour(statuses: list[Status]) -> dict[str, str]:
    worst = worst_status(statuses)
    if worst is None:
        return {"status": NOT_MEASURED, "word": "Not graded", "value": ""}
    return {"status": worst.value, "word": STATUS_STYLES[worst].word, "value": ""}


def _kpi_colour(kpi_id: str, results: list[KpiResult]) -> dict[str, str]:
    found = next((r for r in results if r.kpi == kpi_id), None)
    if found is None:
        return {"status": NOT_MEASURED, "word": "Not measured", "value": ""}
    value = "" if found.value is None else short_value(BY_ID[kpi_id], found.value, found.target)
    return {"status": found.status.value, "word": status_word(found.status, found.partial_window), "value": value}


def picture_kpis(kpis: Sequence[Kpi] = KPIS) -> list[Kpi]:
    """The KPIs the org picture can colour teams by: those with a team view, in registry order."""
    return [k for k in kpis if Scope.TEAM in k.scopes]


def unit_rows(results: Iterable[KpiResult], kpi_id: str, scope: Scope,
              names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One KPI's breakdown rows as name, value, status, value_text (for the bar figures). An empty
    "unknown team" group is left out: it only says that every training record has a known team."""
    spec = BY_ID[kpi_id]
    rows = [
        {"name": unit_name((names or {}).get(r.scope_value or "", r.scope_value or "")), "value": r.value,
         "status": r.status.value,
         "value_text": format_value(spec, r.value, r.target)}
        for r in results if r.kpi == kpi_id and r.scope_type is scope
        and not (r.scope_value == UNKNOWN_TEAM and r.value is None)
    ]
    return pd.DataFrame(rows, columns=["name", "value", "status", "value_text"])


def spokes(directory: pd.DataFrame, business_unit: str | None = None) -> pd.DataFrame:
    """The AI spoke teams (team_name, business_unit, ai_staff, headcount), of `business_unit` when given."""
    found = directory["team_kind"] == "ai_spoke"
    if business_unit is not None:
        found &= directory["business_unit"] == business_unit
    return directory[found].reset_index(drop=True)


NO_AI_TEAM = "No AI team given"  # the queue of use cases that name no AI team


def ai_team_queue(trend: Iterable[KpiResult], directory: pd.DataFrame, last_period: str) -> pd.DataFrame:
    """The demand queue of each AI team, quarter by quarter up to `last_period`: its waiting count
    (the KPI's n) and median wait. The hub first, then the spokes by name, then the use cases naming
    no AI team (kept only when some ever waited there).

    Columns: period, team_id, name, waiting, value (months, None for an empty queue), status,
    value_text, as_of (the data's last day in a quarter in progress, else None).
    """
    spec = BY_ID["demand_queue_months"]
    ai = directory[directory["team_kind"].isin(["ai_hub", "ai_spoke"])]
    order = {tid: i for i, tid in enumerate(ai.sort_values(["team_kind", "team_name"])["team_id"])}
    names = dict(zip(ai["team_id"], ai["team_name"], strict=True)) | {UNASSIGNED: NO_AI_TEAM}
    rows = [
        {"period": r.period, "team_id": r.scope_value, "name": names.get(r.scope_value or "", r.scope_value),
         "waiting": r.n, "value": r.value, "status": r.status.value,
         "value_text": format_value(spec, r.value, r.target), "as_of": r.as_of}
        for r in trend
        if r.kpi == spec.id and r.scope_type is Scope.AI_TEAM and r.period <= last_period
    ]
    columns = ["period", "team_id", "name", "waiting", "value", "status", "value_text", "as_of"]
    frame = pd.DataFrame(rows, columns=columns)
    unassigned = frame["team_id"] == UNASSIGNED
    if not frame.loc[unassigned, "waiting"].any():
        frame = frame[~unassigned]
    rank = frame["team_id"].map(lambda t: order.get(t, len(order)))
    return frame.assign(_rank=rank).sort_values(["_rank", "period"]).drop(columns="_rank").reset_index(drop=True)


def shadow_ai_teams(directory: pd.DataFrame) -> pd.DataFrame:
    """Business teams that employ AI staff of their own (the guide's "shadow AI" signal)."""
    found = directory[(directory["team_kind"] == "business") & (directory["ai_staff"] > 0)]
    return found[["team_name", "team_id", "business_unit", "ai_staff", "headcount"]].reset_index(drop=True)


def default_quarter(quarters: Sequence[Quarter], last_day) -> Quarter | None:
    """The latest quarter whose last day is on or before the latest date in the data
    (never the clock); the earliest covered quarter when none has ended yet."""
    if not quarters:
        return None
    ended = [q for q in quarters if q.last_day <= last_day]
    return ended[-1] if ended else quarters[0]


# --- the scorecard's CSV ---------------------------------------------------------------------


def empty_unknown_team(result: KpiResult) -> bool:
    """Whether `result` is the engine's bucket of rows whose team is not in teams.csv, holding nothing (no
    data, n 0 or none): a row that only says every record has a known team."""
    return result.scope_value == UNKNOWN_TEAM and (result.status is Status.NO_DATA or not result.n)


def export_rows(results: Iterable[KpiResult], business_unit: str | None = None,
                team_ids: Iterable[str] = ()) -> list[KpiResult]:
    """The rows of the scorecard's CSV for a selection, each (KPI, scope) once in the order met: the
    organization's, then every business unit's when no unit is selected; else the unit's own and those
    of `team_ids` (its teams, or the one team selected). An empty bucket of teams not in teams.csv is
    left out (`empty_unknown_team`)."""
    teams = set(team_ids)

    def kept(r: KpiResult) -> bool:
        if empty_unknown_team(r):
            return False
        if r.scope_type is Scope.ORG:
            return True
        if r.scope_type is Scope.BUSINESS_UNIT:
            return business_unit is None or r.scope_value == business_unit
        return business_unit is not None and r.scope_type is Scope.TEAM and r.scope_value in teams

    return list({(r.kpi, r.scope): r for r in results if kept(r)}.values())


def export_scope(business_unit: str | None = None, team_name: str | None = None) -> str:
    """What the scorecard's CSV holds, in words: "organization and business units", "organization,
    Insurance and its teams", "organization, Insurance and its team Claims Management"."""
    if business_unit is None:
        return "organization and business units"
    return f"organization, {business_unit} and its " + (f"team {team_name}" if team_name else "teams")
