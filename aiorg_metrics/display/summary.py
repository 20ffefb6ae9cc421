"""The review's executive summary: a few plain sentences a CAIO reads first, built from the cards at the
selection's own scope, the needs-attention list and the exceptions under totals.

- What turned off target or back on target since the previous quarter: the previous value graded
  against the same target with the same rules (kpi.status.grade), beside the current status.
- What is furthest from target now, and the green totals that hide units off target.
- The largest moves, by relative size (a share also by points).
Each off-target item names its owner: the serving AI team of a queue, else the units one level down
with the largest share of the shortfall. When the quarter's data stops before its end (in progress, or
finished with its last weeks missing) the changes are left out (a part quarter against full ones would
mislead), values in progress read "to date", and KPIs that add up over the quarter are not judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiorg_metrics.display.scorecard import ATTENTION, Attention, Card, HiddenItem, left_out_text
from aiorg_metrics.display.wording import (
    format_delta,
    format_target,
    format_value,
    relative_change,
    relative_text,
    short_value,
)
from aiorg_metrics.kpi import Unit
from aiorg_metrics.kpi.status import Change, Status, change, grade

NAMED = 3  # items a sentence names before it counts the rest
OWNERS = 2  # units named as a shortfall's owners


def previous_status(card: Card, tolerance: float) -> Status | None:
    """The status the previous quarter's value has against the card's target (None: not comparable)."""
    r = card.result
    if r.previous is None or r.target is None or r.partial_window or not card.kpi.dated:
        return None
    return grade(r.previous, r.target, tolerance)


def turned(cards: Sequence[Card], tolerance: float) -> tuple[list[Card], list[Card]]:
    """The cards that left the target since the previous quarter, and those back on it."""
    off, back = [], []
    for c in cards:
        before = previous_status(c, tolerance)
        if before is Status.GREEN and c.status in ATTENTION:
            off.append(c)
        elif before in ATTENTION and c.status is Status.GREEN:
            back.append(c)
    return off, back


def relative_move(card: Card) -> float | None:
    """The change since the previous quarter relative to the previous value (None: no comparison)."""
    before, after = card.result.previous, card.result.value
    if before is None or after is None or not card.kpi.dated:
        return None
    return relative_change(before, after)


def largest_moves(cards: Sequence[Card], leave_out: set[str], limit: int = NAMED) -> list[Card]:
    """The cards that moved most since the previous quarter, relative to their previous value."""
    moved = [c for c in cards if c.kpi.id not in leave_out and relative_move(c)]
    return sorted(moved, key=lambda c: -abs(relative_move(c) or 0))[:limit]


def move_text(card: Card) -> str:
    """"92% → 61% (−31 pts, −34%)": before, after and the relative size (a share's points too)."""
    r, k = card.result, card.kpi
    assert r.previous is not None
    if r.value is None:  # e.g. a queue with nothing waiting: green, with its note in place of a value
        return f"{format_value(k, r.previous, r.target)} → {r.note or card.value}"
    points = format_delta(k, r.previous, r.value) if k.unit is Unit.PERCENT else ""
    size = relative_text(r.previous, r.value)  # "" from 0: no relative size to give
    sizes = ", ".join(part for part in (points, size) if part)
    return f"{short_value(k, r.previous, r.target)} → {card.value}" + (f" ({sizes})" if sizes else "")


def owner_text(item: Attention | None) -> str:
    """Who owns a shortfall: the serving AI team of a queue, else the units with the largest share."""
    if item is None:
        return ""
    if len(item.serving) == 1:
        team = item.serving[0]
        return f", owned by {team.name}, the serving AI team ({team.value}, {team.detail})"
    if item.serving:
        teams = " and ".join(f"{t.name} ({t.value}, {t.detail})" for t in item.serving[:OWNERS])
        more = f" and {len(item.serving) - OWNERS} more" if len(item.serving) > OWNERS else ""
        return f", owned by the serving AI teams {teams}{more}"
    if item.contributors:
        named = item.contributors[:OWNERS]
        lead = ", in " if len(item.contributors) == 1 else ", mostly "
        return lead + " and ".join(f"{c.name} ({c.value})" for c in named)
    return ""


@dataclass(frozen=True)
class Point:
    """One KPI in a sentence: its name, and what the sentence says of it."""

    label: str
    text: str


@dataclass(frozen=True)
class Sentence:
    """A lead ("Turned off target since 2026-Q2") and the KPIs it names, the first few of them."""

    lead: str
    points: tuple[Point, ...] = ()

    @property
    def shown(self) -> tuple[Point, ...]:
        return self.points[:NAMED]

    @property
    def more(self) -> int:
        """How many points the sentence counts without naming them."""
        return max(len(self.points) - NAMED, 0)

    def plain(self) -> str:
        """The sentence as plain text."""
        if not self.points:
            return self.lead
        body = "; ".join(f"{p.label} {p.text}" for p in self.shown) + (f"; and {self.more} more" if self.more else "")
        return f"{self.lead}: {body}."


def _turned_sentences(cards: Sequence[Card], owners: dict[str, Attention], tolerance: float,
                      since: str) -> tuple[list[Sentence], set[str]]:
    off, back = turned(cards, tolerance)
    sentences = []
    for status, lead in ((Status.RED, "Turned off target"), (Status.AMBER, "Slipped to watch")):
        points = tuple(Point(c.kpi.label, f"{move_text(c)}{owner_text(owners.get(c.kpi.id))}")
                       for c in off if c.status is status)
        if points:
            sentences.append(Sentence(f"{lead} since {since}", points))
    if back:
        points = tuple(Point(c.kpi.label, move_text(c)) for c in back)
        sentences.append(Sentence(f"Back on target since {since}", points))
    if not off and not back and any(previous_status(c, tolerance) for c in cards):
        sentences.append(Sentence(f"No KPI crossed its target since {since}."))
    return sentences, {c.kpi.id for c in off + back}


def _furthest_sentence(attention: Sequence[Attention], leave_out: set[str]) -> Sentence | None:
    items = [a for a in attention if a.card.kpi.id not in leave_out and a.card.status is Status.RED]
    if not items:
        return None
    return Sentence("Furthest from target", tuple(
        Point(a.card.kpi.label, f"{a.card.value}{' to date' if a.card.in_progress else ''} "
                                f"(target {format_target(a.card.kpi, a.card.result.target)}){owner_text(a)}")
        for a in items
    ))


def _hidden_point(item: HiddenItem) -> Point:
    units = " and ".join(f"{b.value} in {b.name}" for b in item.below[:OWNERS])
    more = f" (and {len(item.below) - OWNERS} more)" if len(item.below) > OWNERS else ""
    return Point(item.card.kpi.label, f"is on target overall ({item.card.value}) but at {units}{more}")


def _moves_sentence(cards: Sequence[Card], leave_out: set[str], since: str) -> Sentence | None:
    moves = largest_moves(cards, leave_out)
    if not moves:
        return None
    return Sentence(f"Largest moves since {since}", tuple(Point(c.kpi.label, f"{move_text(c)}{_verdict(c)}")
                                                           for c in moves))


def _verdict(card: Card) -> str:
    r = card.result
    verdict = change(r.target, r.previous, r.value)
    return {Change.BETTER: ", better", Change.WORSE: ", worse"}.get(verdict, "") if verdict else ", no target"


def executive_summary(cards: Sequence[Card], attention: Sequence[Attention], hidden: Sequence[HiddenItem],
                      tolerance: float, previous: str, partial: bool = False,
                      level: str = "units") -> list[Sentence]:
    """The summary's sentences, most telling first. When the quarter's data stops before its end (`partial`:
    in progress, or finished with its last weeks missing; the page's banner says so) nothing is compared
    with `previous`, values in progress read "to date", and the KPIs that add up over the quarter are not
    judged: one sentence names those it leaves out. `level` names what lies one level down ("teams" under a
    business unit; "units" under the organization: business units, and AI teams for the queue)."""
    own = [c for c in cards if c.scope_tag is None]
    owners = {a.card.kpi.id: a for a in attention}
    sentences: list[Sentence | None] = []
    named: set[str] = set()
    if not partial:
        turned_now, named = _turned_sentences(own, owners, tolerance, previous)
        sentences += turned_now
    sentences.append(_furthest_sentence(attention, named))
    if hidden:
        sentences.append(Sentence(f"Green totals hide {level} off target", tuple(_hidden_point(i) for i in hidden)))
    if (left_out := left_out_text(own)) is not None:
        sentences.append(Sentence(left_out + "."))
    if not partial:
        sentences.append(_moves_sentence(own, named, previous))
    return [s for s in sentences if s is not None]
