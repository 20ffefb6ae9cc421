"""Decisions typed while an import held the store, kept on disk until it is free (issue 11).

A decision that cannot be stored because the store is busy is appended to a spool file next to
the store, `<db>.pending-decisions.jsonl` (one JSON object a line: the fields, the submission's
token, the author and the time it was typed), so that it survives a closed tab or a restarted
server. `flush` stores the spooled decisions as soon as the store is free; the app calls it on
every run and the command line before `decisions list|add|update`.

Never stored twice: a flush runs alone (this process's decision lock, and an exclusive lock on
`<spool>.lock` against other processes), stores each decision with its typed time as its time of
record — the engine then returns an identical decision (same author, time, quarter, KPI, scope and
text) instead of storing it again — and rewrites the spool without it (temporary file, fsync,
os.replace). A process killed between the store and the rewrite leaves the entry in the spool, and
the next flush finds it stored already. A decision the store refuses on replay (its team was
removed by the import meanwhile, say) leaves the spool and is reported to the caller with the reason.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from aiorg_metrics.access.actor import Actor
from aiorg_metrics.access.permissions import Permission, Rights, Role
from aiorg_metrics.analysis import decisions as engine
from aiorg_metrics.analysis.decisions import Decision, DecisionError
from aiorg_metrics.store.connection import Store, StoreBusyError, StoreReadOnlyError

SUFFIX = ".pending-decisions.jsonl"
FIELDS = ("quarter", "kpi", "scope", "owner", "due", "text")
# A kept decision's author was allowed to add it when it was kept (`keep` checks): its replay adds it as them.
_KEPT_BY = Rights(frozenset({Role.LEAD}))


def spool_path(db: str | Path) -> Path:
    """The spool file of the store at `db`."""
    path = Path(db).resolve()
    return path.with_name(path.name + SUFFIX)


@dataclass(frozen=True)
class Flushed:
    """What a flush did: the decisions stored (with the tokens they were kept under) and the ones refused."""

    stored: dict[str, Decision] = field(default_factory=dict)
    refused: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)  # token → (entry, reason)


@contextmanager
def _locked(db: str | Path) -> Iterator[Path]:
    """The spool, held exclusively by this process (other processes wait for the lock)."""
    spool = spool_path(db)
    with open(spool.with_name(spool.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield spool
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read(spool: Path) -> list[dict[str, Any]]:
    if not spool.exists():
        return []
    entries = []
    for line in spool.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut by a crash mid-write: the rest of the spool still counts
    return entries


def _write(spool: Path, entries: list[dict[str, Any]]) -> None:
    """Replace the spool with `entries` atomically (removed when there is none)."""
    if not entries:
        spool.unlink(missing_ok=True)
        return
    temporary = spool.with_name(spool.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as out:
        out.write("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries))
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, spool)


def keep(db: str | Path, fields: Mapping[str, str], token: str, *, actor: Actor,
         typed_at: datetime | None = None) -> None:
    """Keep a decision the store could not take now, by `actor` (the token identifies it; kept once).

    An actor who may not add decisions raises `AccessDenied`: nothing is kept."""
    actor.require(Permission.DECISIONS_ADD)
    entry = {name: fields[name] for name in FIELDS} | {
        "token": token, "author": actor.name,
        "typed_at": (typed_at or datetime.now()).replace(microsecond=0).isoformat(),
    }
    with _locked(db) as spool:
        entries = _read(spool)
        if all(e.get("token") != token for e in entries):
            _write(spool, [*entries, entry])


def pending(db: str | Path) -> list[dict[str, Any]]:
    """The decisions kept in the spool, oldest first (none when there is no spool)."""
    spool = spool_path(db)
    if not spool.exists():
        return []
    with _locked(db):
        return _read(spool)


def flush(store: Store) -> Flushed:
    """Store every kept decision the store takes now, oldest first; stop at the first busy one
    or a read-only store (the rest stay kept). Each leaves the spool once stored, or refused (with the reason)."""
    done = Flushed()
    spool = spool_path(store.path)
    if not spool.exists() or not os.access(spool.parent, os.W_OK):
        return done  # nothing kept, or a folder this process cannot write (nor, then, store into)
    with _locked(store.path) as spool:
        entries = _read(spool)
        while entries:
            entry = entries[0]
            try:
                done.stored[entry["token"]] = engine.add(
                    store, **{name: entry[name] for name in FIELDS}, actor=Actor(entry["author"], _KEPT_BY),
                    token=entry["token"],
                    typed_at=datetime.fromisoformat(entry["typed_at"]))
            except (StoreBusyError, StoreReadOnlyError):
                break
            except (DecisionError, KeyError, ValueError) as exc:
                done.refused[str(entry.get("token"))] = (entry, str(exc))
            entries = entries[1:]
            _write(spool, entries)
    return done
