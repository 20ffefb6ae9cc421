"""`decisions add|update|list`: the quarterly review's decisions on KPIs, from the command line.

Exit codes: 0 done; 3 bad input (unknown KPI, a scope the KPI lacks, unknown unit or team, a due
quarter before the quarter taken, an empty text, no such store or decision), with a message naming
the problem and nothing stored; 4 store busy, nothing stored.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import pandas as pd

from aiorg_metrics.analysis import decision_spool as spool
from aiorg_metrics.analysis import decisions as engine
from aiorg_metrics.analysis.decisions import Decision, DecisionError, DecisionStatus
from aiorg_metrics.analysis.directory import teams as team_directory
from aiorg_metrics.cli import (
    EXIT_OK,
    add_csv_dialect_option,
    add_db_option,
    add_settings_option,
    busy,
    cli_actor,
    db_path,
    echo,
    existing_store,
    fail,
    printable,
)
from aiorg_metrics.common.jsonout import strict_json
from aiorg_metrics.common.words import count_of
from aiorg_metrics.display.wording import format_value
from aiorg_metrics.kpi import BY_ID
from aiorg_metrics.kpi.settings import SettingsError, settings_for_db
from aiorg_metrics.report.outputs import sheet_csv
from aiorg_metrics.report.workbook import decisions_sheet
from aiorg_metrics.store.connection import Store, StoreBusyError

FORMATS = ("table", "json")
KEPT_WAIT_SECONDS = 0.3  # how long the kept decisions wait for the store before the command's own work


def register(subs: argparse._SubParsersAction) -> None:
    """Add the `decisions` sub-command and its `add`, `update` and `list` actions."""
    parser = subs.add_parser("decisions", help="decisions taken in the quarterly review, and their follow-up",
                             description="Record, change and list the review's decisions on KPIs.")
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    add = actions.add_parser("add", help="record a decision (prints its id)")
    add_db_option(add)
    add.add_argument("--quarter", required=True, help="quarter the decision is taken in, e.g. 2026-Q2")
    add.add_argument("--kpi", required=True, help="KPI id, as in the `kpis` output (e.g. adoption_rate)")
    add.add_argument("--scope", required=True,
                     help="org, business_unit:NAME, team:ID or ai_team:ID (as in the `kpis` output)")
    add.add_argument("--owner", required=True, help="who must act")
    add.add_argument("--due", required=True, help="quarter it is due, not before --quarter")
    add.add_argument("--text", required=True, help="what was decided (1 to 2,000 characters)")
    add.add_argument("--format", choices=FORMATS, default="table", help="json: the whole decision")
    add.set_defaults(func=run_add)
    update = actions.add_parser("update", help="change a decision's status, owner, due quarter or text")
    add_db_option(update)
    update.add_argument("--id", required=True, type=int, help="the decision's id")
    update.add_argument("--status", choices=[s.value for s in DecisionStatus])
    update.add_argument("--owner")
    update.add_argument("--due", help="quarter it is due, not before the quarter taken")
    update.add_argument("--text")
    update.add_argument("--format", choices=FORMATS, default="table", help="json: the whole decision")
    update.set_defaults(func=run_update)
    listing = actions.add_parser("list", help="the decisions a quarter's review shows, with their follow-up")
    add_db_option(listing)
    listing.add_argument("--quarter", required=True, help="the review's quarter, e.g. 2026-Q3")
    listing.add_argument("--format", choices=(*FORMATS, "csv"), default="table",
                         help="csv: the action log for a spreadsheet (labels, words; see --csv-dialect)")
    add_csv_dialect_option(listing)
    add_settings_option(listing, "targets, CSV dialect")
    listing.set_defaults(func=run_list)


def _guarded(args: argparse.Namespace, act: Callable[[], int]) -> int:
    """Run `act` on the store, mapping bad input to exit 3 and a busy store to exit 4."""
    try:
        return act()
    except (DecisionError, SettingsError) as exc:
        return fail(exc)
    except StoreBusyError:
        return busy(db_path(args))


def _stored_kept(store: Store) -> Store:
    """Store the decisions the app kept while the store was busy (see decision_spool), saying so on
    stderr; `store` back, for the command's own work."""
    done = spool.flush(Store(store.path, wait=KEPT_WAIT_SECONDS))
    if done.stored:
        ids = ", ".join(f"#{d.id}" for d in done.stored.values())
        echo(f"Saved {count_of(len(done.stored), 'decision')} kept while the store was busy: {ids}.", err=True)
    for entry, reason in done.refused.values():
        echo(f"warning: a decision kept while the store was busy could not be saved ({reason}): "
             f"{entry.get('text', '')}", err=True)
    return store


def run_add(args: argparse.Namespace) -> int:
    """`decisions add`: print the new decision's id (with --format json, the whole decision)."""
    def act() -> int:
        store = _stored_kept(existing_store(db_path(args)))
        decision = engine.add(store, quarter=args.quarter, kpi=args.kpi, scope=args.scope, owner=args.owner,
                              due=args.due, text=args.text, actor=cli_actor())
        echo(strict_json(decision.as_dict()) if args.format == "json" else decision.id)
        return EXIT_OK

    return _guarded(args, act)


def run_update(args: argparse.Namespace) -> int:
    """`decisions update`: change the given fields; prints the decision as it now stands."""
    def act() -> int:
        store = _stored_kept(existing_store(db_path(args)))
        changes = {"status": args.status, "owner": args.owner, "due": args.due, "text": args.text}
        decision = engine.update(store, args.id, changes, actor=cli_actor())
        echo(strict_json(decision.as_dict()) if args.format == "json" else _updated(decision))
        return EXIT_OK

    return _guarded(args, act)


def run_list(args: argparse.Namespace) -> int:
    """`decisions list`: the decisions the review of --quarter shows, as a table or JSON."""
    def act() -> int:
        db = db_path(args)
        store = _stored_kept(existing_store(db))
        settings = settings_for_db(db, args.settings)
        listed = engine.for_quarter(store, args.quarter, settings)
        if args.format == "csv":
            _write_csv(store, listed, args.csv_dialect or settings.csv_dialect)
        elif args.format == "json":
            echo(strict_json([d.as_dict() for d in listed]))
        else:
            echo(_table(listed) if listed else f"No decision for the review of {args.quarter}.")
        return EXIT_OK

    return _guarded(args, act)


def _write_csv(store: Store, listed: Sequence[Decision], dialect: str) -> None:
    """The decisions as the review pack's Decisions table in CSV (`dialect`), on standard output as bytes:
    the byte-order mark and CRLF line ends kept, any other control character escaped."""
    with store.reading() as cur:
        directory = team_directory(cur)
    names = dict(zip(directory["team_id"], directory["team_name"], strict=True))
    text = sheet_csv(decisions_sheet(listed, names), dialect).decode("utf-8")
    sys.stdout.flush()
    sys.stdout.buffer.write("\r\n".join(printable(line) for line in text.split("\r\n")).encode("utf-8"))
    sys.stdout.buffer.flush()


def _updated(decision: Decision) -> str:
    changed = ", ".join(decision.current.changed) or "nothing changed"
    return f"Decision #{decision.id} updated ({changed}): {_status(decision)}, owner {decision.current.owner}, " \
        f"due {decision.current.due}."


# --- the table -------------------------------------------------------------------------------


def _value(decision: Decision, value: float | None) -> str:
    known = BY_ID.get(decision.kpi)
    return format_value(known, value) if known else "–"


def _status(decision: Decision) -> str:
    return decision.current.status + (" (overdue)" if decision.overdue else "")


def _scope(decision: Decision) -> str:
    return decision.scope + ("" if decision.scope_exists else " (no longer exists)")


def _table(listed: Sequence[Decision]) -> str:
    """One line per decision: id, quarter, KPI, scope, status, owner, due, then → now, text."""
    frame = pd.DataFrame(
        [
            {
                "id": d.id, "taken": d.quarter, "KPI": d.kpi_label, "scope": _scope(d), "status": _status(d),
                "owner": d.current.owner, "due": d.current.due,
                "then → now": f"{_value(d, d.value_then)} → {_value(d, d.value_now)}", "text": _short(d.current.text),
            }
            for d in listed
        ]
    )
    return frame.to_string(index=False)


def _short(text: str, width: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= width else one_line[: width - 1] + "…"
