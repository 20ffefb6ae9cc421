"""Decisions in the app (issue 11, item 1): recorded from the review's "Needs attention" entry, edited
with an appended revision, filtered on the Decisions page, kept and retried while an import holds the
store (stored exactly once), and followed up in the next quarter's review."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from app_support import all_text, open_app, popover_labels, use_sample_store

from aiorg_metrics.analysis import decision_spool as spool
from aiorg_metrics.analysis import decisions as engine
from aiorg_metrics.display import decision_text as words
from aiorg_metrics.ingestion.import_log import current_user
from aiorg_metrics.store.connection import Store, StoreBusyError
from dashboard import state
from dashboard.views import decisions as view
from tests.actors import trusted

REVIEW, LOG = "pages/review.py", "pages/decisions.py"


@pytest.fixture()
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(engine, "_now", lambda: datetime(2026, 11, 29, 10, 0))
    return use_sample_store(tmp_path, monkeypatch)


def _add(db: Path, kpi: str, scope: str, owner: str, due: str, text: str, quarter: str = "2026-Q2") -> int:
    return engine.add(Store(db), quarter=quarter, kpi=kpi, scope=scope, owner=owner, due=due, text=text,
                      actor=trusted("alice")).id


def _fill(at, key: str, text: str, owner: str) -> None:
    at.text_area(key=f"{key}-text").input(text)
    at.text_input(key=f"{key}-owner").input(owner)
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{key}-form")).click()
    at.run()


def test_record_from_needs_attention_then_listed_in_the_action_log(db: Path) -> None:
    at = open_app({"quarter": "2026-Q3"})
    # the first item off target at 2026-Q3 on the sample: business teams with their own AI staff
    _fill(at, "attention-shadow_ai_teams", "Freeze AI hiring in business teams", "COO")
    assert not at.exception
    assert [s.value for s in at.success] == ["Decision \\#1 recorded\\."]
    stored = engine.get(Store(db), 1)
    assert (stored.quarter, stored.kpi, stored.scope, stored.current.owner, stored.current.due,
            stored.current.status) == ("2026-Q3", "shadow_ai_teams", "org", "COO", "2026-Q4", "open")
    at.switch_page(LOG).run()
    table = at.table[0].value
    assert list(table.iloc[0][["KPI", "Scope", "Taken in", "Due", "Status", "Owner", "Decision", "Then → now"]]) == [
        "Business teams with their own AI staff", "Organization", "2026\\-Q3", "2026\\-Q4", "Open", "COO",
        "Freeze AI hiring in business teams", "2 teams → 2 teams"]


def test_a_green_total_hiding_a_unit_takes_its_decision_on_that_unit(db: Path) -> None:
    at = open_app({"quarter": "2026-Q3"})
    # adoption is green overall (70.4%) but 42% in Insurance: the entry opens on Insurance
    assert at.selectbox(key="attention-adoption_rate-scope").value == "business_unit:Insurance"
    _fill(at, "attention-adoption_rate", "Adoption clinics in Insurance", "Insurance COO")
    stored = engine.get(Store(db), 1)
    assert (stored.kpi, stored.scope, stored.quarter) == ("adoption_rate", "business_unit:Insurance", "2026-Q3")


def test_busy_store_keeps_the_decision_pending_and_stores_it_once(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_add = engine.add
    def busy(*args, **kwargs):
        raise StoreBusyError("held by an import")
    monkeypatch.setattr(engine, "add", busy)
    monkeypatch.setattr(view, "SAVE_WAIT_SECONDS", 0.1)
    at = open_app({"quarter": "2026-Q3"})
    _fill(at, "attention-shadow_ai_teams", "Freeze AI hiring in business teams", "COO")
    assert view.BUSY_KEPT in all_text(at)
    assert len(at.session_state[view.PENDING]) == 1
    assert engine.every(Store(db), "2026-Q3") == []
    monkeypatch.setattr(engine, "add", real_add)
    at.run()  # the next run stores it
    at.run()  # and a further run stores nothing more
    assert at.session_state[view.PENDING] == {}
    assert [d.current.text for d in engine.every(Store(db), "2026-Q3")] == ["Freeze AI hiring in business teams"]


def test_next_quarter_review_shows_the_follow_up_and_edit_appends_history(db: Path) -> None:
    _add(db, "adoption_rate", "business_unit:Insurance", "Head of Insurance", "2026-Q3", "Coach Insurance users")
    _add(db, "demand_queue_months", "org", "Head of AI CoE", "2026-Q2", "Two more data scientists in the hub")
    at = open_app({"quarter": "2026-Q3", "kpi": "adoption_rate"})
    text = all_text(at)
    assert "Adoption of deployed solutions in Insurance: 56% → 42% since the decision of 2026-Q2" in text
    # the queue's card: its decision is overdue; the count opens the decisions (read and edited from the card)
    assert "Decisions (1) · :red[**1 overdue**]" in popover_labels(at)
    assert "Two more data scientists in the hub" in text
    at.switch_page(LOG).run()
    at.selectbox(key="log-pick").set_value(1).run()
    at.selectbox(key="log-1-status").set_value("done")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:log-1-edit")).click()
    at.run()
    assert not at.exception
    history = engine.get(Store(db), 1).history
    assert [(r.revision, r.status, r.changed) for r in history] == [(1, "open", tuple(engine.EDITABLE)),
                                                                    (2, "done", ("status",))]
    assert f"2026-11-29 10:00 · {current_user()} · status open → done" in all_text(at)  # the OS user


def test_action_log_filters_by_owner_status_and_overdue(db: Path) -> None:
    a = _add(db, "adoption_rate", "business_unit:Insurance", "Head of Insurance", "2026-Q3", "Coach Insurance users")
    b = _add(db, "demand_queue_months", "org", "Head of AI CoE", "2026-Q2", "Two more data scientists")
    c = _add(db, "hub_size", "org", "Head of AI CoE", "2026-Q4", "Hire a hub lead", quarter="2026-Q3")
    engine.update(Store(db), a, {"status": "done"}, actor=trusted("bob"))
    listed = engine.every(Store(db), "2026-Q3")
    ids = lambda found: [d.id for d in found]  # noqa: E731
    assert ids(words.filtered(listed)) == [b, c, a]  # overdue, then open, then done
    assert ids(words.filtered(listed, owners=["Head of AI CoE"])) == [b, c]
    assert ids(words.filtered(listed, statuses=["done"])) == [a]
    assert ids(words.filtered(listed, overdue_only=True)) == [b]
    assert ids(words.filtered(listed, quarters=["2026-Q3"])) == [c]
    assert words.log_rows(words.filtered(listed, overdue_only=True)) == [{
        "No.": b, "KPI": "Demand queue (median wait)", "Scope": "Organization", "Taken in": "2026-Q2",
        "Due": "2026-Q2", "Status": "Overdue, due 2026-Q2", "Owner": "Head of AI CoE",
        "Decision": "Two more data scientists", "Then → now": "2.96 months → 3.4 months",
        "Last change": "alice, 2026-11-29 10:00"}]
    assert words.log_rows(words.filtered(listed, statuses=["done"]))[0]["Last change"] == "bob, 2026-11-29 10:00"


def test_the_same_form_sent_twice_records_one_decision(db: Path) -> None:
    at = open_app({"quarter": "2026-Q3"})
    _fill(at, "attention-shadow_ai_teams", "Freeze AI hiring in business teams", "COO")
    _fill(at, "attention-shadow_ai_teams", "Freeze AI hiring in business teams", "COO")  # the double-click's second
    assert not at.exception
    assert [s.value for s in at.success] == ["Decision \\#1 recorded\\."]
    assert [d.id for d in engine.every(Store(db), "2026-Q3")] == [1]
    _fill(at, "attention-shadow_ai_teams", "Report AI hiring monthly", "COO")  # a new decision in the same form
    assert [d.current.text for d in engine.every(Store(db), "2026-Q3")] == [
        "Freeze AI hiring in business teams", "Report AI hiring monthly"]


def test_a_stale_edit_form_saves_only_the_users_change_on_top_of_a_colleagues(db: Path) -> None:
    _add(db, "adoption_rate", "business_unit:Insurance", "Head of Insurance", "2026-Q3", "Coach Insurance users")
    at = open_app({"quarter": "2026-Q3"})
    at.switch_page(LOG).run()
    at.selectbox(key="log-pick").set_value(1).run()
    assert at.text_input(key="log-1-owner").value == "Head of Insurance"
    engine.update(Store(db), 1, {"owner": "COO of Insurance"}, actor=trusted("bob"))  # a colleague, meanwhile
    at.run()
    assert at.text_input(key="log-1-owner").value == "Head of Insurance"  # the form as it was opened
    at.selectbox(key="log-1-status").set_value("done")
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:log-1-edit")).click()
    at.run()
    assert not at.exception
    now = engine.get(Store(db), 1).current
    assert (now.owner, now.status, now.changed) == ("COO of Insurance", "done", ("status",))
    assert [s.value for s in at.success] == [
        "Decision \\#1 was changed by bob at 2026\\-11\\-29 10\\:\u206000 since you opened it; "
        "your change to status was "
        "saved on top \\(the other fields keep bob's values\\)\\."]
    assert at.text_input(key="log-1-owner").value == "COO of Insurance"  # reopened on the decision as saved


def test_a_decision_kept_while_busy_survives_the_session_and_is_stored_once(db: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real_add = engine.add
    monkeypatch.setattr(engine, "add", lambda *a, **k: (_ for _ in ()).throw(StoreBusyError("held")))
    monkeypatch.setattr(view, "SAVE_WAIT_SECONDS", 0.1)
    at = open_app({"quarter": "2026-Q3"})
    _fill(at, "attention-shadow_ai_teams", "Freeze AI hiring in business teams", "COO")
    assert [(e["kpi"], e["text"], e["owner"], e["author"]) for e in spool.pending(db)] == [
        ("shadow_ai_teams", "Freeze AI hiring in business teams", "COO", current_user())]
    # the import still holds the store when the page reruns: the waiting notice says the decision is kept
    monkeypatch.setattr(state, "_data_version_waiting", lambda _t: (_ for _ in ()).throw(StoreBusyError("held")))
    at.run()
    assert next(w.value for w in at.warning) == (
        "An import is in progress: this page opens as soon as it is finished. Your decision is kept and will be "
        "saved when the import finishes.")
    monkeypatch.undo()  # the import is over; the tab was closed: a new session opens the app
    monkeypatch.setenv("AIORG_DB", str(db))
    monkeypatch.setenv("AIORG_NO_SAMPLE", "1")
    assert engine.add is real_add
    open_app({"quarter": "2026-Q3"})
    open_app({"quarter": "2026-Q3"})
    assert [(d.id, d.current.text) for d in engine.every(Store(db), "2026-Q3")] == [
        (1, "Freeze AI hiring in business teams")]
    assert spool.pending(db) == [] and not spool.spool_path(db).exists()
