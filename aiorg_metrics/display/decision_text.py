"""How the review's decisions read: scope in words, status, the KPI's move since the decision, the
history of changes, and the order they are listed in. Shared by the app and the review pack.

Example follow-up: "Adoption of deployed solutions in Insurance: 42% → 55% since the decision of 2026-Q2".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from aiorg_metrics.analysis.decisions import Decision, DecisionStatus, Revision, split_scope
from aiorg_metrics.display.wording import format_value
from aiorg_metrics.display.writers import SCOPE_WORDS
from aiorg_metrics.kpi import BY_ID, Scope
from aiorg_metrics.kpi.relations import UNASSIGNED

STATUS_WORDS = {DecisionStatus.OPEN.value: "Open", DecisionStatus.DONE.value: "Done",
                DecisionStatus.DROPPED.value: "Dropped"}
FIELD_WORDS = {"text": "text", "owner": "owner", "due": "due quarter", "status": "status"}
NO_AI_TEAM = "No AI team given"
NO_AI_TEAM_IN_A_SENTENCE = "for the use cases that name no AI team"
NOT_MEASURED = "not measured"  # no value for the quarter and scope: nothing to count, or withheld
SCOPE_GONE = "no longer in the teams directory"


def scope_name(scope: str, names: Mapping[str, str] | None = None) -> str:
    """The scope's own name: "the organization", "Insurance", a team or AI team by its name."""
    scope_type, value = split_scope(scope)
    if scope_type is Scope.ORG:
        return "the organization"
    if value == UNASSIGNED and scope_type is Scope.AI_TEAM:
        return NO_AI_TEAM
    return (names or {}).get(value or "", value or "") if scope_type in (Scope.TEAM, Scope.AI_TEAM) else value or ""


def scope_text(scope: str, names: Mapping[str, str] | None = None) -> str:
    """A scope as a reader names it: "Organization", "Business unit: Insurance", "Team: Claims Management"."""
    scope_type, _ = split_scope(scope)
    if scope_type is Scope.ORG:
        return "Organization"
    return f"{SCOPE_WORDS[scope_type]}: {scope_name(scope, names)}"


def status_text(decision: Decision) -> str:
    """ "Open", "Done", "Dropped", or "Overdue, due 2026-Q2" for an open decision past its due quarter."""
    if decision.overdue:
        return f"Overdue, due {decision.current.due}"
    return STATUS_WORDS.get(decision.current.status, decision.current.status)


def _value(decision: Decision, value: float | None) -> str:
    known = BY_ID.get(decision.kpi)
    if known is None or value is None:
        return NOT_MEASURED
    # As the card shows it: a value near its target's bound keeps the decimal that tells the side (70.4%).
    return format_value(known, value, known.target)


def _where(scope: str, names: Mapping[str, str] | None) -> str:
    """" in Insurance", " for the use cases that name no AI team", "" for the organization."""
    if scope == "org":
        return ""
    if split_scope(scope) == (Scope.AI_TEAM, UNASSIGNED):
        return f" {NO_AI_TEAM_IN_A_SENTENCE}"
    return f" in {scope_name(scope, names)}"


def follow_up(decision: Decision, shown: str, names: Mapping[str, str] | None = None) -> str:
    """How the KPI moved since the decision, for the review of quarter `shown`: "Adoption of deployed
    solutions in Insurance: 42% → 55% since the decision of 2026-Q2" (both values from today's data)."""
    where = _where(decision.scope, names)
    subject = f"{decision.kpi_label}{where}"
    if decision.quarter == shown:
        return f"{subject}: {_value(decision, decision.value_then)} when decided ({decision.quarter})"
    return (f"{subject}: {_value(decision, decision.value_then)} → {_value(decision, decision.value_now)} "
            f"since the decision of {decision.quarter}")


def then_now(decision: Decision) -> str:
    """The KPI's value for the decision's quarter and now, e.g. "42% → 55%"."""
    return f"{_value(decision, decision.value_then)} → {_value(decision, decision.value_now)}"


def _rank(decision: Decision) -> int:
    return 0 if decision.overdue else 1 if decision.current.status == DecisionStatus.OPEN else 2


def ordered(decisions: Iterable[Decision]) -> list[Decision]:
    """Overdue first, then open, then done or dropped; the latest quarter first; then by id."""
    by_quarter = sorted(sorted(decisions, key=lambda d: d.id), key=lambda d: d.quarter, reverse=True)
    return sorted(by_quarter, key=_rank)


def on_scope(decisions: Iterable[Decision], kpi: str, scope: str) -> list[Decision]:
    """The decisions on one KPI at one scope, in listing order."""
    return ordered(d for d in decisions if d.kpi == kpi and d.scope == scope)


def scopes_within(scope: str, directory: pd.DataFrame) -> set[str] | None:
    """The decision scopes a card at `scope` gathers, its own and those below it: every scope (None) under
    the organization, a business unit and its teams, a team (or AI team) alone. `directory`: the teams
    (`team_id`, `business_unit`)."""
    kind, _, value = scope.partition(":")  # not split_scope: a card may sit at a champion's scope
    if kind == Scope.ORG.value:
        return None
    if kind == Scope.BUSINESS_UNIT.value:
        return {scope} | {f"team:{t}" for t in directory.loc[directory["business_unit"] == value, "team_id"]}
    return {scope}


def gathered(decisions: Iterable[Decision], kpi: str, scope: str, directory: pd.DataFrame) -> list[Decision]:
    """The decisions on one KPI that a card at `scope` gathers (at its scope and below), in listing order."""
    within = scopes_within(scope, directory)
    return ordered(d for d in decisions if d.kpi == kpi and (within is None or d.scope in within))


def in_selection(scope: str, unit: str | None, teams: set[str]) -> bool:
    """Whether a decision's scope belongs to a review pack of a selection: every one for the organization
    (`unit` None); under a business unit or team, the organization's, the unit's and those of the teams
    (and AI teams) `teams` of the selection."""
    if unit is None:
        return True
    kind, value = split_scope(scope)
    return (kind is Scope.ORG or (kind is Scope.BUSINESS_UNIT and value == unit)
            or (kind in (Scope.TEAM, Scope.AI_TEAM) and value in teams))


@dataclass(frozen=True)
class Count:
    """What a KPI card says about its decisions: how many, and how many are overdue."""

    total: int
    overdue: int

    @property
    def text(self) -> str:
        """ "Decisions (2)", or "" when there is none."""
        return f"Decisions ({self.total})" if self.total else ""

    @property
    def overdue_text(self) -> str:
        """ "1 overdue", or "" when none is."""
        return f"{self.overdue} overdue" if self.overdue else ""


def count(decisions: Sequence[Decision]) -> Count:
    """The count a card shows for its decisions."""
    return Count(len(decisions), sum(d.overdue for d in decisions))


def _change(before: Revision | None, after: Revision) -> str:
    """What one revision did, in words."""
    if before is None:
        return (f"recorded it: {STATUS_WORDS.get(after.status, after.status).lower()}, owner {after.owner}, "
                f"due {after.due}")
    parts = []
    for name in after.changed:
        old, new = getattr(before, name), getattr(after, name)
        if name == "status":
            old, new = STATUS_WORDS.get(old, old).lower(), STATUS_WORDS.get(new, new).lower()
        parts.append("changed the text" if name == "text" else f"{FIELD_WORDS[name]} {old} → {new}")
    return "; ".join(parts) or "saved it unchanged"


def history_lines(decision: Decision) -> list[str]:
    """Every change, oldest first: "2026-11-29 10:02 · alice · status open → done"."""
    lines, before = [], None
    for revision in decision.history:
        lines.append(f"{revision.changed_at:%Y-%m-%d %H:%M} · {revision.changed_by} · {_change(before, revision)}")
        before = revision
    return lines


def last_change(decision: Decision) -> str:
    """Who changed the decision last, and when: "alice, 2026-11-29 10:02"."""
    now = decision.current
    return f"{now.changed_by}, {now.changed_at:%Y-%m-%d %H:%M}"


def _fields(names: Iterable[str]) -> str:
    said = [FIELD_WORDS.get(name, name) for name in names]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]


def changed_since_opened(decision_id: int, later: Revision) -> str:
    """ "Decision #8 was changed by bob at 2026-11-29 10:02 since you opened it" (an edit form gone stale)."""
    return f"Decision #{decision_id} was changed by {later.changed_by} at {later.changed_at:%Y-%m-%d %H:%M} " \
        "since you opened it"


def saved_on_top(decision_id: int, later: Revision, changed: Iterable[str]) -> str:
    """What a save on a stale edit form did: "Decision #8 was changed by bob at … since you opened it; your
    change to status was saved on top (the other fields keep bob's values)."""
    return f"{changed_since_opened(decision_id, later)}; your change to {_fields(changed)} was saved on top " \
        f"(the other fields keep {later.changed_by}'s values)."


LOG_COLUMNS = ("No.", "KPI", "Scope", "Taken in", "Due", "Status", "Owner", "Decision", "Then → now", "Last change")


def filtered(decisions: Iterable[Decision], owners: Iterable[str] = (), statuses: Iterable[str] = (),
             overdue_only: bool = False, quarters: Iterable[str] = ()) -> list[Decision]:
    """The decisions of the given owners, statuses (open, done, dropped) and quarters taken (each: any when
    empty), only the overdue ones with `overdue_only`; in listing order."""
    owners, statuses, quarters = set(owners), set(statuses), set(quarters)
    return ordered(
        d for d in decisions
        if (not owners or d.current.owner in owners) and (not statuses or d.current.status in statuses)
        and (not quarters or d.quarter in quarters) and (d.overdue or not overdue_only)
    )


def log_rows(decisions: Iterable[Decision], names: Mapping[str, str] | None = None) -> list[dict[str, object]]:
    """The action log's table in words, one row per decision, columns LOG_COLUMNS."""
    return [
        dict(zip(LOG_COLUMNS, (
            d.id, d.kpi_label,
            scope_text(d.scope, names) + ("" if d.scope_exists else f" ({SCOPE_GONE})"),
            d.quarter, d.current.due, status_text(d), d.current.owner, d.current.text, then_now(d), last_change(d),
        ), strict=True))
        for d in decisions
    ]
