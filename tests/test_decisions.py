"""The review's decisions (issue 11): rules, carry-over to the next quarter, overdue, history, the
follow-up values from the KPI engine, the sample's decisions, and the `decisions` command's exit codes.

Stores are copies of the sample organization (its adoption rate in Insurance: 55.90674603% in
2026-Q2, 41.90625% in 2026-Q3, as in tests/golden/) or of the schema-1 fixture store.
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from aiorg_metrics import cli
from aiorg_metrics.analysis import decision_spool as spool
from aiorg_metrics.analysis import decisions
from aiorg_metrics.analysis.decisions import DecisionError
from aiorg_metrics.cli import main
from aiorg_metrics.ingestion.ingest import remove_sample_in, undo_latest
from aiorg_metrics.store.connection import Store, StoreBusyError
from tests.actors import trusted
from tests.conftest import ROOT

INSURANCE_Q2, INSURANCE_Q3 = 0.5590674603, 0.4190625
ANA = trusted("ana (local mode)")
KEYS = ["id", "quarter", "kpi", "kpi_label", "scope", "text", "owner", "due", "status", "overdue", "created_by",
        "created_at", "updated_by", "updated_at", "history", "value_then", "value_now"]


class Clock:
    """Pinned times for the changes, one minute apart from 2026-11-29 09:00."""

    def __init__(self) -> None:
        self.minute = 0

    def __call__(self) -> datetime:
        self.minute += 1
        return datetime(2026, 11, 29, 9, self.minute)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    pinned = Clock()
    monkeypatch.setattr(decisions, "_now", pinned)
    monkeypatch.setattr(cli, "current_user", lambda: "ana (local mode)")  # the command line acts as the OS user
    return pinned


@pytest.fixture
def sample_copy(sample_store: Store, tmp_path: Path) -> Store:
    target = tmp_path / "aiorg.duckdb"
    shutil.copyfile(sample_store.path, target)
    return Store(target)


def _add(store: Store, **fields: str) -> decisions.Decision:
    given = {"quarter": "2026-Q2", "kpi": "adoption_rate", "scope": "business_unit:Insurance",
             "owner": "Head of Insurance", "due": "2026-Q3", "text": "Train the claims teams"} | fields
    return decisions.add(store, **given, actor=ANA)


def _listed(store: Store, quarter: str) -> list[tuple[int, str, bool]]:
    return [(d.id, d.current.status, d.overdue) for d in decisions.for_quarter(store, quarter)]


def _stored(store: Store) -> tuple[int, int]:
    with store.reading() as cur:
        return (cur.execute("SELECT count(*) FROM decisions").fetchall()[0][0],
                cur.execute("SELECT count(*) FROM decision_history").fetchall()[0][0])


def test_a_decision_of_2026_q2_shows_in_the_2026_q3_review_with_its_follow_up(sample_copy, clock):
    _add(sample_copy)
    [shown] = decisions.for_quarter(sample_copy, "2026-Q3")
    assert list(shown.as_dict()) == KEYS
    assert shown.as_dict() == {
        "id": 1, "quarter": "2026-Q2", "kpi": "adoption_rate", "kpi_label": "Adoption of deployed solutions",
        "scope": "business_unit:Insurance", "text": "Train the claims teams", "owner": "Head of Insurance",
        "due": "2026-Q3", "status": "open", "overdue": False,
        "created_by": "ana (local mode)", "created_at": "2026-11-29T09:01:00",
        "updated_by": "ana (local mode)", "updated_at": "2026-11-29T09:01:00",
        "history": [{"revision": 1, "by": "ana (local mode)", "at": "2026-11-29T09:01:00",
                     "changed": ["text", "owner", "due", "status"], "text": "Train the claims teams",
                     "owner": "Head of Insurance", "due": "2026-Q3", "status": "open"}],
        "value_then": INSURANCE_Q2, "value_now": INSURANCE_Q3,
    }
    assert shown.scope_exists


def test_the_list_holds_the_quarters_decisions_and_the_earlier_ones_still_open_when_it_began(sample_copy, clock):
    open_q1 = _add(sample_copy, quarter="2026-Q1", due="2026-Q1").id
    taken_q2 = _add(sample_copy).id
    closed_before_q3 = _add(sample_copy, quarter="2026-Q1", due="2026-Q2").id
    closed_in_q4 = _add(sample_copy, quarter="2026-Q2", due="2026-Q4").id
    taken_q4 = _add(sample_copy, quarter="2026-Q4", due="2026-Q4").id
    # Closed on 30 June 2026, before 2026-Q3 began; the other one today, during 2026-Q4.
    with pytest.MonkeyPatch.context() as june:
        june.setattr(decisions, "_now", lambda: datetime(2026, 6, 30, 17, 0))
        decisions.update(sample_copy, closed_before_q3, {"status": "done"}, actor=ANA)
    decisions.update(sample_copy, closed_in_q4, {"status": "dropped"}, actor=ANA)
    assert _listed(sample_copy, "2026-Q2") == [
        (open_q1, "open", True), (taken_q2, "open", False), (closed_before_q3, "done", False),
        (closed_in_q4, "dropped", False),
    ]
    assert _listed(sample_copy, "2026-Q3") == [
        (open_q1, "open", True), (taken_q2, "open", False), (closed_in_q4, "dropped", False),
    ]
    # Dropped on 29 November, after 2026-Q4 began: its review still shows it.
    assert _listed(sample_copy, "2026-Q4") == [
        (open_q1, "open", True), (taken_q2, "open", True), (closed_in_q4, "dropped", False), (taken_q4, "open", False),
    ]
    assert _listed(sample_copy, "2027-Q1") == [
        (open_q1, "open", True), (taken_q2, "open", True), (taken_q4, "open", True),
    ]
    assert _listed(sample_copy, "2025-Q4") == []


def test_an_update_changes_only_the_given_fields_and_appends_to_the_history(sample_copy, clock):
    first = _add(sample_copy)
    decisions.update(sample_copy, first.id, {"owner": "COO", "status": None, "text": None, "due": None}, actor=ANA)
    now = decisions.update(sample_copy, first.id, {"status": "done", "due": "2026-Q4"}, actor=ANA)
    assert [(r.revision, r.changed_by, r.changed_at.minute, r.changed, r.owner, r.due, r.status)
            for r in now.history] == [
        (1, "ana (local mode)", 1, ("text", "owner", "due", "status"), "Head of Insurance", "2026-Q3", "open"),
        (2, "ana (local mode)", 2, ("owner",), "COO", "2026-Q3", "open"),
        (3, "ana (local mode)", 3, ("due", "status"), "COO", "2026-Q4", "done"),
    ]
    row = now.as_dict()
    assert (row["created_at"], row["updated_at"], row["text"]) == (
        "2026-11-29T09:01:00", "2026-11-29T09:03:00", "Train the claims teams")
    assert _stored(sample_copy) == (1, 3)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kpi": "adoption"}, "unknown KPI 'adoption'; known: champions_per_business_team,"),
        ({"kpi": "hub_size"}, "KPI 'hub_size' has no business_unit scope; its scopes: org"),
        ({"scope": "business_unit:Insurances"},
         "unknown business unit 'Insurances' in scope 'business_unit:Insurances'; known: Corporate & Investment "
         "Banking, Group, Insurance, Operations, Retail Banking, Wealth Management"),
        ({"scope": "team:NOPE"}, "unknown team 'NOPE' in scope 'team:NOPE'; known: AI-CIB,"),
        ({"kpi": "demand_queue_months", "scope": "ai_team:AI-XX"}, "unknown AI team 'AI-XX' in scope"),
        ({"scope": "champion:C01"}, "scope 'champion:C01': a decision cannot be taken on a champion"),
        ({"scope": "region:EU"}, "scope 'region:EU' is not one of org, business_unit:NAME, team:ID, ai_team:ID"),
        ({"scope": "team:"}, "scope 'team:' names no team: write team:ID"),
        ({"kpi": "demand_queue_months", "scope": "ai_team: "}, "scope 'ai_team: ' names no ai team: write ai_team:ID"),
        ({"quarter": "2027-Q1", "due": "2027-Q1"},
         "the quarter 2027-Q1 is outside the quarters a decision may be taken in: 2025-Q1 to 2026-Q4"),
        ({"quarter": "2024-Q4"},
         "the quarter 2024-Q4 is outside the quarters a decision may be taken in: 2025-Q1 to 2026-Q4"),
        ({"due": "2026-Q1"}, "the due quarter 2026-Q1 is before the quarter the decision was taken in (2026-Q2)"),
        ({"due": "Q3"}, "the due quarter: 'Q3' is not a quarter"),
        ({"text": " \n "}, "the text is empty: say what was decided (1 to 2,000 characters)"),
        ({"text": "x" * 2001}, "the text has 2,001 characters; at most 2,000 are allowed"),
        ({"owner": ""}, "the owner is empty: name who must act"),
        ({"text": "\u200b\u200c \u200d\u2060\ufeff"}, "the text is empty: say what was decided"),
        ({"owner": "\ufeff\u200b"}, "the owner is empty: name who must act"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_problem_and_nothing_is_stored(sample_copy, fields, message):
    with pytest.raises(DecisionError) as refused:
        _add(sample_copy, **fields)
    assert str(refused.value).startswith(message)
    assert _stored(sample_copy) == (0, 0)


def test_an_ai_team_scope_may_be_unassigned_and_a_text_of_2000_characters_is_kept(sample_copy, clock):
    kept = _add(sample_copy, kpi="demand_queue_months", scope="ai_team:unassigned", text="y" * 2000)
    assert (kept.scope, len(kept.current.text)) == ("ai_team:unassigned", 2000)
    assert _add(sample_copy, scope=" org ").scope == "org"


def test_updates_are_checked_too(sample_copy, clock):
    first = _add(sample_copy).id
    for changes, message in [
        ({"due": "2026-Q1"}, "the due quarter 2026-Q1 is before the quarter the decision was taken in (2026-Q2)"),
        ({"status": "closed"}, "unknown status 'closed'; use one of open, done, dropped"),
        ({}, "nothing to change: give a new status, owner, due quarter or text"),
    ]:
        with pytest.raises(DecisionError, match=message.replace("(", r"\(").replace(")", r"\)")):
            decisions.update(sample_copy, first, changes, actor=ANA)
    with pytest.raises(DecisionError, match="no decision #7 in this store"):
        decisions.update(sample_copy, 7, {"status": "done"}, actor=ANA)
    assert _stored(sample_copy) == (1, 1)


def test_a_scope_that_no_longer_exists_is_kept_and_marked(sample_copy, clock, capsys):
    _add(sample_copy, scope="team:RB-BRN")
    with sample_copy.writing() as cur:
        cur.execute("DELETE FROM teams WHERE team_id = 'RB-BRN'")
    [kept] = decisions.for_quarter(sample_copy, "2026-Q3")
    assert (kept.scope, kept.scope_exists, kept.value_now) == ("team:RB-BRN", False, None)
    assert main(["decisions", "list", "--db", str(sample_copy.path), "--quarter", "2026-Q3"]) == 0
    assert "team:RB-BRN (no longer exists)" in capsys.readouterr().out


def test_the_sample_organizations_decisions_go_with_it_and_come_back_with_its_undo(sample_copy, clock):
    _add(sample_copy)
    with sample_copy.writing() as cur:
        assert remove_sample_in(cur, "ana") is not None
    assert decisions.for_quarter(sample_copy, "2026-Q3") == []
    with pytest.raises(DecisionError, match="no decision #1 in this store"):
        decisions.update(sample_copy, 1, {"status": "done"}, actor=ANA)
    undo_latest(sample_copy, actor=ANA)
    assert _listed(sample_copy, "2026-Q3") == [(1, "open", False)]


# --- the command line --------------------------------------------------------------------------


def _cli(*args: str) -> int:
    return main(["decisions", *args])


def test_the_command_adds_updates_and_lists(sample_copy, clock, capsys):
    db = str(sample_copy.path)
    assert _cli("add", "--db", db, "--quarter", "2026-Q2", "--kpi", "adoption_rate", "--scope",
                "business_unit:Insurance", "--owner", "Head of Insurance", "--due", "2026-Q3",
                "--text", "Train the claims teams") == 0
    assert capsys.readouterr().out == "1\n"
    assert _cli("add", "--db", db, "--quarter", "2026-Q3", "--kpi", "hub_size", "--scope", "org", "--owner", "CAIO",
                "--due", "2026-Q4", "--text", "Hire two data engineers", "--format", "json") == 0
    added = json.loads(capsys.readouterr().out)
    assert (added["id"], added["scope"], added["status"], added["due"]) == (2, "org", "open", "2026-Q4")
    assert _cli("update", "--db", db, "--id", "1", "--status", "done") == 0
    assert capsys.readouterr().out == "Decision #1 updated (status): done, owner Head of Insurance, due 2026-Q3.\n"
    assert _cli("list", "--db", db, "--quarter", "2026-Q3", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(d["id"], d["status"], d["value_then"], d["value_now"]) for d in listed] == [
        (1, "done", INSURANCE_Q2, INSURANCE_Q3), (2, "open", 14.0, 14.0),  # the hub's size: current data
    ]
    assert all(list(d) == KEYS for d in listed)
    assert _cli("list", "--db", db, "--quarter", "2026-Q3") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "taken", "KPI", "scope", "status", "owner", "due", "then", "→", "now", "text"]
    assert "56% → 42%" in table[1]


def test_bad_input_exits_3_with_the_message_and_stores_nothing(sample_copy, tmp_path, capsys):
    db = str(sample_copy.path)
    base = ["add", "--db", db, "--quarter", "2026-Q2", "--kpi", "adoption_rate", "--owner", "x", "--due", "2026-Q3",
            "--text", "y"]
    assert _cli(*base, "--scope", "business_unit:Nowhere") == 3
    assert "error: unknown business unit 'Nowhere' in scope 'business_unit:Nowhere'; known:" in capsys.readouterr().err
    assert _cli("update", "--db", db, "--id", "4", "--owner", "z") == 3
    assert capsys.readouterr().err == "error: no decision #4 in this store\n"
    missing = tmp_path / "nowhere.duckdb"
    assert _cli("list", "--db", str(missing), "--quarter", "2026-Q3") == 3
    assert "error: no store at" in capsys.readouterr().err
    assert not missing.exists()
    assert _cli("list", "--db", db, "--quarter", "Q3") == 3
    assert "error: the quarter: 'Q3' is not a quarter" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # required flags missing: argparse's usage error, exit 3
        _cli("add", "--db", db, "--quarter", "2026-Q2")
    assert usage.value.code == 3
    assert _stored(sample_copy) == (0, 0)


def test_a_busy_store_exits_4(sample_copy, monkeypatch, capsys):
    def held(*_args, **_kwargs):
        raise StoreBusyError("Could not set lock on file")

    monkeypatch.setattr(decisions, "add", held)
    assert _cli("add", "--db", str(sample_copy.path), "--quarter", "2026-Q2", "--kpi", "adoption_rate", "--scope",
                "org", "--owner", "x", "--due", "2026-Q3", "--text", "y") == 4
    assert "is busy (another process held it for more than" in capsys.readouterr().err


def test_a_store_of_the_previous_release_is_upgraded_and_takes_decisions(tmp_path, capsys):
    db = tmp_path / "aiorg.duckdb"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "store_v1" / "aiorg.duckdb", db)
    assert _cli("add", "--db", str(db), "--quarter", "2026-Q3", "--kpi", "adoption_rate", "--scope", "org",
                "--owner", "CAIO", "--due", "2026-Q4", "--text", "Review adoption") == 0
    assert capsys.readouterr().out == "1\n"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT value FROM store_meta WHERE name = 'schema_version'").fetchone() == ("3",)
        assert con.execute("SELECT decision_id, quarter, kpi, scope FROM decisions").fetchall() == [
            (1, "2026-Q3", "adoption_rate", "org")
        ]


def test_a_quarter_after_todays_exits_3_naming_the_range(sample_copy, capsys):
    assert _cli("add", "--db", str(sample_copy.path), "--quarter", "2027-Q1", "--kpi", "adoption_rate", "--scope",
                "org", "--owner", "x", "--due", "2027-Q2", "--text", "y") == 3
    assert capsys.readouterr().err == (
        "error: the quarter 2027-Q1 is outside the quarters a decision may be taken in: 2025-Q1 to 2026-Q4\n")
    assert _stored(sample_copy) == (0, 0)


# --- concurrent writers, idempotent submissions, sample rule -------------------------------------


def _together(count: int, work) -> list:
    """`work(i)` for i in 0..count-1, in as many threads started at once; their results (or exceptions)."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = work(i)
        except Exception as exc:  # the test asserts there is none
            results[i] = exc
    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_eight_decisions_recorded_at_once_are_all_stored_with_ids_1_to_8(sample_copy, clock):
    added = _together(8, lambda i: _add(sample_copy, text=f"decision {i}"))
    assert [type(d).__name__ for d in added] == ["Decision"] * 8
    assert sorted(d.id for d in added) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert _stored(sample_copy) == (8, 8)
    by_id = {d.id: d.current.text for d in decisions.every(sample_copy, "2026-Q3")}
    assert sorted(by_id.values()) == [f"decision {i}" for i in range(8)]


def test_four_updates_at_once_append_four_revisions(sample_copy, clock):
    first = _add(sample_copy).id
    owners = ["COO", "CFO", "CIO", "CAIO"]
    _together(4, lambda i: decisions.update(sample_copy, first, {"owner": owners[i]}, actor=ANA))
    history = decisions.get(sample_copy, first).history
    assert [r.revision for r in history] == [1, 2, 3, 4, 5]
    assert sorted(r.owner for r in history[1:]) == ["CAIO", "CFO", "CIO", "COO"]
    assert _stored(sample_copy) == (1, 5)


def test_a_conflict_that_persists_is_a_busy_store_and_no_database_error_escapes(sample_copy, clock, monkeypatch):
    def conflicting(*_args, **_kwargs):
        raise duckdb.TransactionException("TransactionContext Error: Conflict on tuple deletion")
    monkeypatch.setattr(decisions, "check_taken", conflicting)
    with pytest.raises(StoreBusyError, match="kept refusing the change as conflicting"):
        _add(sample_copy)
    monkeypatch.setattr(decisions, "check_taken", lambda *_: (_ for _ in ()).throw(duckdb.IOException("disk full")))
    with pytest.raises(DecisionError, match=r"the store refused the change \(disk full\); nothing was stored"):
        _add(sample_copy)
    assert _stored(sample_copy) == (0, 0)


def test_a_submission_token_stores_one_decision_however_often_it_is_sent(sample_copy, clock):
    token = uuid.uuid4().hex
    twice = _together(2, lambda _i: _add(sample_copy, token=token))
    assert [d.id for d in twice] == [1, 1]
    assert decisions.was_stored(token) == 1
    assert _stored(sample_copy) == (1, 1)


def test_a_decision_on_real_data_kept_beside_the_sample_is_not_marked_sample(sample_copy, clock, tmp_path):
    sample_only = _add(sample_copy).id
    teams = tmp_path / "teams.csv"
    teams.write_text("team_id,team_name,business_unit,team_kind,headcount,ai_staff\n"
                     "RB-NEW,New branch,Retail Banking,business,12,0\n")
    assert main(["ingest", "--db", str(sample_copy.path), "--keep-sample", str(teams)]) == 0
    real = _add(sample_copy, scope="team:RB-NEW").id
    with sample_copy.reading() as cur:
        assert cur.execute("SELECT decision_id, is_sample FROM decisions ORDER BY 1").fetchall() == [
            (sample_only, True), (real, False)]
    with sample_copy.writing() as cur:
        assert remove_sample_in(cur, "ana") is not None
    assert [d.id for d in decisions.every(sample_copy, "2026-Q3")] == [real]


# --- decisions kept on disk while the store is busy -------------------------------------------------


def _kept_fields(**fields: str) -> dict[str, str]:
    return {"quarter": "2026-Q2", "kpi": "adoption_rate", "scope": "business_unit:Insurance",
            "owner": "Head of Insurance", "due": "2026-Q3", "text": "Train the claims teams"} | fields


def test_a_kept_decision_is_stored_once_however_often_the_spool_is_flushed(sample_copy, clock):
    spool.keep(sample_copy.path, _kept_fields(), "t1", actor=trusted("bob (local mode)"),
               typed_at=datetime(2026, 11, 28, 16, 30, 5))
    spool.keep(sample_copy.path, _kept_fields(), "t1", actor=trusted("bob (local mode)"),
               typed_at=datetime(2026, 11, 28, 16, 30, 5))
    assert [e["token"] for e in spool.pending(sample_copy.path)] == ["t1"]
    first = spool.flush(sample_copy)
    assert [(t, d.id, d.created_by, d.as_dict()["created_at"]) for t, d in first.stored.items()] == [
        ("t1", 1, "bob (local mode)", "2026-11-28T16:30:05")]
    assert not spool.spool_path(sample_copy.path).exists()
    assert spool.flush(sample_copy) == spool.Flushed()
    assert _stored(sample_copy) == (1, 1)


def test_a_flush_killed_before_the_spool_was_rewritten_does_not_store_twice(sample_copy, clock, monkeypatch):
    spool.keep(sample_copy.path, _kept_fields(), "t2", actor=trusted("bob (local mode)"),
               typed_at=datetime(2026, 11, 28, 16, 31))
    monkeypatch.setattr(decisions, "_STORED_TOKENS", {})
    monkeypatch.setattr(spool, "_write", lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        spool.flush(sample_copy)
    assert _stored(sample_copy) == (1, 1)
    monkeypatch.undo()
    decisions._STORED_TOKENS.clear()  # a new process: the token is forgotten, the time of record is not
    again = spool.flush(sample_copy)
    assert [d.id for d in again.stored.values()] == [1]
    assert _stored(sample_copy) == (1, 1)
    assert spool.pending(sample_copy.path) == []


def test_a_busy_store_leaves_the_decision_kept_and_a_refused_one_leaves_the_spool(sample_copy, clock, monkeypatch):
    spool.keep(sample_copy.path, _kept_fields(scope="team:GONE"), "bad", actor=trusted("bob"),
               typed_at=datetime(2026, 11, 28, 9, 0))
    spool.keep(sample_copy.path, _kept_fields(), "good", actor=trusted("bob"), typed_at=datetime(2026, 11, 28, 9, 1))
    real_add = decisions.add
    monkeypatch.setattr(decisions, "add", lambda *a, **k: (_ for _ in ()).throw(StoreBusyError("held")))
    assert spool.flush(sample_copy) == spool.Flushed()
    assert [e["token"] for e in spool.pending(sample_copy.path)] == ["bad", "good"]
    monkeypatch.setattr(decisions, "add", real_add)
    done = spool.flush(sample_copy)
    assert list(done.stored) == ["good"]
    assert done.refused["bad"][1].startswith("unknown team 'GONE' in scope 'team:GONE'")
    assert spool.pending(sample_copy.path) == []


def test_the_command_stores_kept_decisions_before_it_lists(sample_copy, clock, capsys):
    spool.keep(sample_copy.path, _kept_fields(), "t3", actor=trusted("bob (local mode)"),
               typed_at=datetime(2026, 11, 28, 16, 32))
    assert _cli("list", "--db", str(sample_copy.path), "--quarter", "2026-Q3", "--format", "json") == 0
    captured = capsys.readouterr()
    assert [(d["id"], d["created_by"]) for d in json.loads(captured.out)] == [(1, "bob (local mode)")]
    assert captured.err == "Saved 1 decision kept while the store was busy: #1.\n"
    assert spool.pending(sample_copy.path) == []
