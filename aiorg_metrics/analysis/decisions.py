"""The quarterly review's decisions: rules, storage and follow-up (issue 11).

A decision is taken in a quarter on one KPI at one of its scopes (`org`, `business_unit:NAME`,
`team:ID`, `ai_team:ID`; no champion scope), with a text, an owner, a due quarter and a status.
Its fixed facts are one row of `decisions`; every change appends a revision to
`decision_history` with its author and time, so nothing is overwritten (the latest revision is
the decision as it stands).

Writes are serialized in the process (one lock for every store: the app's sessions share one
connection per store, where two transactions taking `max(id) + 1` at once would conflict) and a
transaction conflict left over is retried a few times, then reported as StoreBusyError; no
database exception leaves this module. A decision is marked sample (and goes with the sample)
only when the store holds nothing but the sample organization.

The review of quarter Q shows the decisions taken in Q and those taken earlier that were not
closed when Q began; each with the KPI's value for its quarter and scope (`value_then`) and for
Q (`value_now`), both recomputed from today's data by the KPI engine. A decision is overdue when
open and due before Q. Decisions taken while the store held the sample organization are shown
only while it does (they go with it, and come back with its undo).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

import duckdb
import pandas as pd

from aiorg_metrics.access.actor import Actor
from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.common.clock import today
from aiorg_metrics.common.periods import Quarter, QuarterError
from aiorg_metrics.ingestion.import_log import holds_only_sample, holds_sample
from aiorg_metrics.kpi import BY_ID, Kpi, Scope, compute, coverage
from aiorg_metrics.kpi.relations import UNASSIGNED
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store, StoreBusyError

MAX_TEXT = 2000
MAX_OWNER = 200
EDITABLE = ("text", "owner", "due", "status")
DECISION_SCOPES = (Scope.ORG, Scope.BUSINESS_UNIT, Scope.TEAM, Scope.AI_TEAM)
SCOPE_HINTS = {Scope.BUSINESS_UNIT: "business_unit:NAME", Scope.TEAM: "team:ID", Scope.AI_TEAM: "ai_team:ID"}
# Characters that show nothing: a text made only of them is empty.
INVISIBLE = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff"}
CONFLICT_RETRIES = 4
_WRITER = threading.RLock()  # one decision written at a time in this process, whatever the store
_STORED_TOKENS: dict[str, int] = {}  # a submission's token → the decision it stored (this process)
T = TypeVar("T")


def scope_choices(kpi_id: str, directory: pd.DataFrame) -> list[str]:
    """The scopes a decision on the KPI may take (canonical strings), from the team directory: the
    organization, then its business units, teams and AI teams, for the kinds of scope the KPI has."""
    kinds = [s for s in DECISION_SCOPES if s in BY_ID[kpi_id].scopes]
    choices = ["org"] if Scope.ORG in kinds else []
    if Scope.BUSINESS_UNIT in kinds:
        choices += [f"business_unit:{u}" for u in sorted(set(directory["business_unit"]))]
    if Scope.TEAM in kinds:
        choices += [f"team:{t}" for t in directory.sort_values("team_name")["team_id"]]
    if Scope.AI_TEAM in kinds:
        ai = directory[directory["team_kind"].isin(["ai_hub", "ai_spoke"])].sort_values("team_name")
        choices += [f"ai_team:{t}" for t in ai["team_id"]] + [f"ai_team:{UNASSIGNED}"]
    return choices


class DecisionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


CLOSED = (DecisionStatus.DONE, DecisionStatus.DROPPED)


class DecisionError(ValueError):
    """A decision refused: the message names the problem; nothing was stored."""


@dataclass(frozen=True)
class Revision:
    """One state of a decision's editable fields, who wrote it and when, and which fields it changed."""

    revision: int
    changed_by: str
    changed_at: datetime
    text: str
    owner: str
    due: str
    status: str
    changed: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: the revision number, author, ISO time, the fields changed and the state after it."""
        return {
            "revision": self.revision, "by": self.changed_by, "at": self.changed_at.isoformat(timespec="seconds"),
            "changed": list(self.changed), "text": self.text, "owner": self.owner, "due": self.due,
            "status": self.status,
        }


@dataclass(frozen=True)
class Decision:
    """A decision as it stands, with its history (oldest first) and, in a listing, its follow-up."""

    id: int
    quarter: str
    kpi: str
    scope: str
    created_by: str
    created_at: datetime
    history: tuple[Revision, ...]
    overdue: bool = False
    scope_exists: bool = True
    value_then: float | None = None
    value_now: float | None = None

    @property
    def current(self) -> Revision:
        return self.history[-1]

    @property
    def kpi_label(self) -> str:
        known = BY_ID.get(self.kpi)
        return known.label if known else self.kpi

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of `decisions list --format json`."""
        now = self.current
        return {
            "id": self.id, "quarter": self.quarter, "kpi": self.kpi, "kpi_label": self.kpi_label,
            "scope": self.scope, "text": now.text, "owner": now.owner, "due": now.due, "status": now.status,
            "overdue": self.overdue, "created_by": self.created_by,
            "created_at": self.created_at.isoformat(timespec="seconds"), "updated_by": now.changed_by,
            "updated_at": now.changed_at.isoformat(timespec="seconds"),
            "history": [r.as_dict() for r in self.history], "value_then": _rounded(self.value_then),
            "value_now": _rounded(self.value_now),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 10)


def _now() -> datetime:
    """The time a change is recorded at (a function, so that tests can pin it)."""
    return datetime.now().replace(microsecond=0)


# --- validation -------------------------------------------------------------------------------


def parse_quarter(text: str, what: str) -> Quarter:
    """`text` as a quarter; DecisionError naming `what` (e.g. 'the due quarter') otherwise."""
    try:
        return Quarter.parse(text)
    except QuarterError as exc:
        raise DecisionError(f"{what}: {exc}") from None


def check_kpi(kpi_id: str) -> Kpi:
    """The KPI called `kpi_id`; DecisionError listing the known ones."""
    known = BY_ID.get(kpi_id)
    if known is None:
        raise DecisionError(f"unknown KPI '{kpi_id}'; known: {', '.join(BY_ID)}")
    return known


def split_scope(scope: str) -> tuple[Scope, str | None]:
    """`org` or `<kind>:<value>` split at the first colon; DecisionError for anything else."""
    kind, colon, value = scope.strip().partition(":")
    allowed = ", ".join(SCOPE_HINTS.get(s, s.value) for s in DECISION_SCOPES)
    try:
        scope_type = Scope(kind)
    except ValueError:
        raise DecisionError(f"scope '{scope}' is not one of {allowed}") from None
    if scope_type is Scope.CHAMPION:
        raise DecisionError(f"scope '{scope}': a decision cannot be taken on a champion; use {allowed}")
    if scope_type is Scope.ORG:
        if colon:
            raise DecisionError(f"scope '{scope}': write the organization as plain `org`")
        return scope_type, None
    if not value.strip():
        raise DecisionError(f"scope '{scope}' names no {scope_type.value.replace('_', ' ')}: write "
                            f"{SCOPE_HINTS[scope_type]}")
    return scope_type, value.strip()


def scope_exists(cur: duckdb.DuckDBPyConnection, scope_type: Scope, value: str | None) -> bool:
    """Whether the unit, team or AI team the scope names is in the teams table (or `unassigned`)."""
    if scope_type is Scope.ORG:
        return True
    if scope_type is Scope.BUSINESS_UNIT:
        sql = "SELECT count(*) FROM teams WHERE business_unit = ?"
    elif scope_type is Scope.TEAM:
        sql = "SELECT count(*) FROM teams WHERE team_id = ?"
    else:
        if value == UNASSIGNED:
            return True
        sql = "SELECT count(*) FROM teams WHERE team_id = ? AND team_kind IN ('ai_hub', 'ai_spoke')"
    return bool(cur.execute(sql, [value]).fetchall()[0][0])


def known_values(cur: duckdb.DuckDBPyConnection, scope_type: Scope) -> list[str]:
    """The business units, team ids or AI team ids (with `unassigned`) a scope of that kind may name."""
    if scope_type is Scope.BUSINESS_UNIT:
        sql = "SELECT DISTINCT business_unit FROM teams ORDER BY 1"
    elif scope_type is Scope.TEAM:
        sql = "SELECT team_id FROM teams ORDER BY 1"
    else:
        sql = "SELECT team_id FROM teams WHERE team_kind IN ('ai_hub', 'ai_spoke') ORDER BY 1"
    names = [row[0] for row in cur.execute(sql).fetchall()]
    return [*names, UNASSIGNED] if scope_type is Scope.AI_TEAM else names


def check_scope(cur: duckdb.DuckDBPyConnection, known: Kpi, scope: str) -> str:
    """The scope written canonically, checked against the KPI's scopes and the teams table."""
    scope_type, value = split_scope(scope)
    if scope_type not in known.scopes:
        has = ", ".join(s.value for s in known.scopes if s in DECISION_SCOPES)
        raise DecisionError(f"KPI '{known.id}' has no {scope_type.value} scope; its scopes: {has}")
    if not scope_exists(cur, scope_type, value):
        noun = {Scope.BUSINESS_UNIT: "business unit", Scope.TEAM: "team", Scope.AI_TEAM: "AI team"}[scope_type]
        known_ones = ", ".join(known_values(cur, scope_type))
        raise DecisionError(f"unknown {noun} '{value}' in scope '{scope}'; known: {known_ones}")
    return "org" if scope_type is Scope.ORG else f"{scope_type.value}:{value}"


def check_text(text: str) -> str:
    """The text without surrounding blanks; DecisionError when empty or over MAX_TEXT characters."""
    cleaned = (text or "").strip()
    if not cleaned.translate(INVISIBLE).strip():
        raise DecisionError("the text is empty: say what was decided (1 to 2,000 characters)")
    if len(cleaned) > MAX_TEXT:
        raise DecisionError(f"the text has {len(cleaned):,} characters; at most {MAX_TEXT:,} are allowed")
    return cleaned


def check_owner(owner: str) -> str:
    """The owner without surrounding blanks; DecisionError when empty or too long."""
    cleaned = (owner or "").strip()
    if not cleaned.translate(INVISIBLE).strip():
        raise DecisionError("the owner is empty: name who must act")
    if len(cleaned) > MAX_OWNER:
        raise DecisionError(f"the owner has {len(cleaned):,} characters; at most {MAX_OWNER} are allowed")
    return cleaned


def check_due(due: str, taken: Quarter) -> str:
    """The due quarter written canonically; DecisionError when unreadable or before the quarter taken."""
    quarter = parse_quarter(due, "the due quarter")
    if quarter < taken:
        raise DecisionError(f"the due quarter {quarter} is before the quarter the decision was taken in ({taken})")
    return str(quarter)


def check_taken(cur: duckdb.DuckDBPyConnection, taken: Quarter) -> None:
    """DecisionError when the quarter taken is after today's quarter, or before the data's first quarter
    (when the store holds dated data); the message names the quarters allowed."""
    latest = Quarter.containing(today())
    span = coverage(cur)
    first = min(span.first, latest) if span else None
    if taken > latest or (first is not None and taken < first):
        allowed = f"{first} to {latest}" if first is not None else f"{latest} or before"
        raise DecisionError(f"the quarter {taken} is outside the quarters a decision may be taken in: {allowed}")


def check_status(status: str) -> str:
    """The status; DecisionError naming the allowed ones."""
    try:
        return DecisionStatus(status).value
    except ValueError:
        raise DecisionError(
            f"unknown status '{status}'; use one of {', '.join(s.value for s in DecisionStatus)}"
        ) from None


# --- storing ----------------------------------------------------------------------------------


def _written(store: Store, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """`work` in one write transaction, alone among this process's decision writes; a transaction
    conflict (another process's change, a connection shared with an import) retried a few times.

    StoreBusyError when the lock or the store stays taken; DecisionError for any other refusal by the
    database. Either way nothing was stored."""
    with _alone(store):
        for attempt in range(CONFLICT_RETRIES):
            try:
                with store.writing() as cur:
                    return work(cur)
            except (duckdb.TransactionException, duckdb.ConstraintException) as exc:
                conflict = exc
                time.sleep(0.05 * (attempt + 1))
            except duckdb.Error as exc:
                raise DecisionError(f"the store refused the change ({exc}); nothing was stored") from None
        raise StoreBusyError(f"the store kept refusing the change as conflicting with another one ({conflict}); "
                             "nothing was stored, try again in a moment")


@contextmanager
def _alone(store: Store) -> Iterator[None]:
    """Hold this process's decision-writing lock (re-entrant), waiting at most the store's wait."""
    if not _WRITER.acquire(timeout=max(store.wait, 0.1)):
        raise StoreBusyError("another decision is being saved; nothing was stored, try again in a moment")
    try:
        yield
    finally:
        _WRITER.release()


def add(
    store: Store, *, quarter: str, kpi: str, scope: str, owner: str, due: str, text: str, actor: Actor,
    token: str | None = None, typed_at: datetime | None = None,
) -> Decision:
    """Record a new open decision by `actor` (all fields checked first: DecisionError, or AccessDenied for an
    actor who may not add decisions, stores nothing); it, as stored.

    `token` makes a submission idempotent in this process: a token already stored returns its decision
    and stores nothing. `typed_at` (a decision kept while the store was busy) is its time of record;
    a decision with the same author, time, quarter, KPI, scope and text is then returned instead of
    being stored a second time."""
    actor.require(Permission.DECISIONS_ADD)
    taken = parse_quarter(quarter, "the quarter")
    known = check_kpi(kpi)
    state = {"text": check_text(text), "owner": check_owner(owner), "due": check_due(due, taken),
             "status": DecisionStatus.OPEN.value}
    author, at = actor.name, (typed_at.replace(microsecond=0) if typed_at else _now())

    def insert(cur: duckdb.DuckDBPyConnection) -> Decision:
        if token in _STORED_TOKENS:
            return _load(cur, _STORED_TOKENS[token])
        check_taken(cur, taken)
        canonical = check_scope(cur, known, scope)
        same = _same(cur, author, at, str(taken), known.id, canonical, state["text"]) if typed_at else None
        if same is not None:
            return _load(cur, same)
        new_id = int(cur.execute("SELECT coalesce(max(decision_id), 0) + 1 FROM decisions").fetchall()[0][0])
        cur.execute(
            "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [new_id, str(taken), known.id, canonical, holds_only_sample(cur), author, at],
        )
        _append(cur, new_id, 1, author, at, state, EDITABLE)
        return _load(cur, new_id)

    with _alone(store):  # the token is marked stored before another submission may look at it
        stored = _written(store, insert)
        if token:
            _STORED_TOKENS[token] = stored.id
    return stored


def was_stored(token: str) -> int | None:
    """The id of the decision this process stored for the submission `token`, if any."""
    return _STORED_TOKENS.get(token)


def _same(
    cur: duckdb.DuckDBPyConnection, author: str, at: datetime, quarter: str, kpi: str, scope: str, text: str
) -> int | None:
    """The decision recorded by `author` at `at` with these facts and first text, if there is one."""
    rows = cur.execute(
        "SELECT d.decision_id FROM decisions d JOIN decision_history h USING (decision_id) WHERE h.revision = 1 "
        "AND d.created_by = ? AND d.created_at = ? AND d.quarter = ? AND d.kpi = ? AND d.scope = ? AND h.text = ?",
        [author, at, quarter, kpi, scope, text],
    ).fetchall()
    return int(rows[0][0]) if rows else None


def update(store: Store, decision_id: int, changes: Mapping[str, str | None], *, actor: Actor) -> Decision:
    """Change the given fields (None: left as is) by `actor`, appending a revision; the decision as it now stands.

    DecisionError for no such decision, a bad value or nothing to change, AccessDenied for an actor who may
    not edit it (their own with "edit own", any with "edit any"): nothing stored.
    """
    actor.require(Permission.DECISIONS_EDIT_OWN)
    given = {name: value for name, value in changes.items() if value is not None}
    unknown = set(given) - set(EDITABLE)
    if unknown:
        raise DecisionError(f"cannot change {', '.join(sorted(unknown))}; only {', '.join(EDITABLE)}")
    if not given:
        raise DecisionError("nothing to change: give a new status, owner, due quarter or text")
    author, at = actor.name, _now()

    def append(cur: duckdb.DuckDBPyConnection) -> Decision:
        decision = _load(cur, decision_id)
        actor.require_edit(decision.created_by)
        state = _checked(decision, given)
        changed = tuple(name for name in EDITABLE if state[name] != getattr(decision.current, name))
        _append(cur, decision_id, decision.current.revision + 1, author, at, state, changed)
        return _load(cur, decision_id)

    return _written(store, append)


def _checked(decision: Decision, given: Mapping[str, str]) -> dict[str, str]:
    """The decision's editable fields after `given`, each checked."""
    checks = {
        "text": check_text, "owner": check_owner, "status": check_status,
        "due": lambda due: check_due(due, Quarter.parse(decision.quarter)),
    }
    state = {name: getattr(decision.current, name) for name in EDITABLE}
    state.update({name: checks[name](value) for name, value in given.items()})
    return state


def _append(
    cur: duckdb.DuckDBPyConnection, decision_id: int, revision: int, author: str, at: datetime,
    state: Mapping[str, str], changed: Iterable[str],
) -> None:
    cur.execute(
        "INSERT INTO decision_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [decision_id, revision, author, at, state["text"], state["owner"], state["due"], state["status"],
         ",".join(changed)],
    )


# --- reading ----------------------------------------------------------------------------------

_VISIBLE = "(NOT d.is_sample OR ?)"


def _load(cur: duckdb.DuckDBPyConnection, decision_id: int) -> Decision:
    """One visible decision; DecisionError when there is none with that id."""
    found = _query(cur, f"d.decision_id = ? AND {_VISIBLE}", [decision_id, holds_sample(cur)])
    if not found:
        raise DecisionError(f"no decision #{decision_id} in this store")
    return found[0]


def _query(cur: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[Decision]:
    rows = cur.execute(
        "SELECT d.decision_id, d.quarter, d.kpi, d.scope, d.created_by, d.created_at, "
        "h.revision, h.changed_by, h.changed_at, h.text, h.owner, h.due, h.status, h.changed "
        f"FROM decisions d JOIN decision_history h USING (decision_id) WHERE {where} "
        "ORDER BY d.decision_id, h.revision",
        params,
    ).fetchall()
    grouped: dict[int, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return [_decision(group) for group in grouped.values()]


def _decision(rows: list[tuple]) -> Decision:
    first = rows[0]
    history = tuple(
        Revision(r[6], r[7], r[8], r[9], r[10], r[11], r[12], tuple(filter(None, r[13].split(",")))) for r in rows
    )
    return Decision(first[0], first[1], first[2], first[3], first[4], first[5], history)


def changes(store: Store) -> int:
    """How many changes the decisions have had (the history only grows): what a cached view of the
    decisions, such as a review pack, is keyed on beside the data version."""
    with store.reading() as cur:
        return int(cur.execute("SELECT count(*) FROM decision_history").fetchall()[0][0])


def get(store: Store, decision_id: int) -> Decision:
    """The decision `decision_id` as it stands; DecisionError when there is none."""
    with store.reading() as cur:
        return _load(cur, decision_id)


def closed_before(decision: Decision, day: datetime) -> bool:
    """Whether the decision stood done or dropped at `day` (its revision in force then)."""
    in_force = [r for r in decision.history if r.changed_at < day]
    return bool(in_force) and in_force[-1].status in CLOSED


def for_quarter(store: Store, quarter: str, settings: Settings | None = None) -> list[Decision]:
    """The decisions the review of `quarter` shows: taken in it, plus those taken earlier and not
    closed when it began; each with overdue, whether its scope still exists, value_then and value_now."""
    shown = parse_quarter(quarter, "the quarter")
    began = datetime.combine(shown.first_day, datetime.min.time())
    with store.reading() as cur:
        candidates = _query(cur, f"d.quarter <= ? AND {_VISIBLE}", [str(shown), holds_sample(cur)])
        listed = [
            d for d in candidates
            if d.quarter == str(shown) or not closed_before(d, began)
        ]
        listed = [replace(d, scope_exists=scope_exists(cur, *split_scope(d.scope))) for d in listed]
        values = _values(cur, listed, shown, settings)
    return [_followed_up(d, shown, values) for d in listed]


def every(store: Store, shown: str, settings: Settings | None = None) -> list[Decision]:
    """Every decision the store shows (all quarters, the action log's list), followed up as in the review
    of `shown`: overdue, whether its scope still exists, value_then and value_now (the value for `shown`)."""
    quarter = parse_quarter(shown, "the quarter")
    with store.reading() as cur:
        listed = _query(cur, _VISIBLE, [holds_sample(cur)])
        listed = [replace(d, scope_exists=scope_exists(cur, *split_scope(d.scope))) for d in listed]
        values = _values(cur, listed, quarter, settings)
    return [_followed_up(d, quarter, values) for d in listed]


def _followed_up(decision: Decision, shown: Quarter, values: Mapping[tuple[str, str, str], float | None]) -> Decision:
    now = decision.current
    return replace(
        decision,
        overdue=now.status == DecisionStatus.OPEN and Quarter.parse(now.due) < shown,
        value_then=values.get((decision.quarter, decision.kpi, decision.scope)),
        value_now=values.get((str(shown), decision.kpi, decision.scope)),
    )


def _values(
    cur: duckdb.DuckDBPyConnection, decisions: list[Decision], shown: Quarter, settings: Settings | None
) -> dict[tuple[str, str, str], float | None]:
    """The KPI values the decisions need, keyed by (quarter, kpi, scope): one engine call per quarter
    and scope kind; a quarter outside the data gives no values."""
    needed: dict[tuple[str, Scope], set[str]] = {}
    for d in decisions:
        kind = split_scope(d.scope)[0]
        for q in {d.quarter, str(shown)}:
            needed.setdefault((q, kind), set()).add(d.kpi)
    values: dict[tuple[str, str, str], float | None] = {}
    for (q, kind), kpi_ids in needed.items():
        kpi_ids &= set(BY_ID)  # a KPI retired since the decision has no value
        if not kpi_ids:
            continue
        try:
            results = compute(cur, q, by=None if kind is Scope.ORG else kind, settings=settings, kpi_ids=kpi_ids)
        except QuarterError:
            continue
        values.update({(q, r.kpi, r.scope): r.value for r in results})
    return values
