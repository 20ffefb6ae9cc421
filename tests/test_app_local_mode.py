"""Local mode (issue 12, item 2): on this machine the app runs as before with a "Local mode" marker; a
request from another machine reads only (no Data or Settings page, no decision recorded, a banner),
refused on the server and not only in the menu; AIORG_LOCAL_MODE=trusted gives it full rights."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from app_support import APP, TIMEOUT, all_text, cards, open_app, popover_labels, use_sample_store
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from aiorg_metrics.access.permissions import LOCAL_TRUSTED, VIEWER
from aiorg_metrics.analysis import decisions as engine
from aiorg_metrics.store.connection import Store
from dashboard import access, routing, state
from dashboard.views import decisions as view

REMOTE = "192.0.2.7"  # an address of another machine (TEST-NET-1)
VIEWER_MARKER = "Local mode · viewer (this address is not this machine)"


@pytest.fixture(autouse=True)
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("AIORG_LOCAL_MODE", raising=False)
    return use_sample_store(tmp_path, monkeypatch)


def _from(monkeypatch: pytest.MonkeyPatch, address: str | None) -> None:
    monkeypatch.setattr(access, "_client_address", lambda: address)


def _sidebar_captions(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", str(c.value)) for c in at.sidebar.caption]  # markdown escapes undone


def test_only_the_pages_a_viewer_may_use_are_in_the_navigation() -> None:
    assert [p.url_path for p in routing.allowed_pages(VIEWER)] == [
        "review", "hub_spoke", "funnel", "skills", "decisions", "glossary"]  # review mode: analyst, lead, admin
    assert [p.url_path for p in routing.allowed_pages(LOCAL_TRUSTED)][-2:] == ["data", "settings"]


def test_this_machine_keeps_every_page_and_button_with_the_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    _from(monkeypatch, None)
    at = open_app({"quarter": "2026-Q3"})
    assert not at.exception
    assert f":material/computer: Local mode · {access.os_user()}" in _sidebar_captions(at)
    assert access.REMOTE_BANNER not in all_text(at)
    assert "Record a decision" in popover_labels(at)
    at.switch_page("pages/data.py").run()
    assert at.title[0].value == "Data"


def test_another_machine_reads_the_review_without_changing_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    _from(monkeypatch, REMOTE)
    at = open_app({"quarter": "2026-Q3"})
    assert not at.exception
    assert at.title[0].value == "Quarterly review"
    assert at.warning[0].value == access.REMOTE_BANNER
    assert f":material/computer: {VIEWER_MARKER}" in _sidebar_captions(at)
    assert "Record a decision" not in popover_labels(at)
    assert "Active champions per business team" in cards(at)  # the scorecard is read as on this machine
    assert "You are looking at sample data" in at.info[0].value
    assert "Data** page" not in at.info[0].value  # the sample note points only to what this request may open
    for absent in ("pages/data.py", "pages/settings.py"):  # not in this request's navigation
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(absent)


@pytest.mark.parametrize("header", ["X-Forwarded-For", "X-Real-IP", "Forwarded", "X-Forwarded-Host"])
def test_a_proxied_request_from_this_machine_is_another_machine(monkeypatch: pytest.MonkeyPatch, header: str) -> None:
    sent = {"Host": "localhost", header: "for=203.0.113.9"}
    monkeypatch.setattr(type(access.st.context), "headers", property(lambda _context: sent))
    assert access.current_rights() == VIEWER
    assert access.identity_text() == VIEWER_MARKER


def test_a_first_deep_link_from_another_machine_is_refused_before_reading_data(
        monkeypatch: pytest.MonkeyPatch) -> None:
    _from(monkeypatch, REMOTE)
    monkeypatch.setattr(app_test_module, "PagesManager", PagesManager)  # a fresh server: the page runs alone

    def no_reading(*args, **kwargs):
        raise AssertionError("the store was read")

    monkeypatch.setattr(state, "store", no_reading)
    monkeypatch.setattr(state, "data_state", no_reading)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert [e.value for e in at.error] == [f"**{access.PAGE_REFUSED}** {access.REMOTE_REASON}"]
    assert list(at.title) == []
    assert PagesManager.uses_pages_directory is False  # the next click runs app.py, whose navigation leaves it out


def test_a_forged_decision_from_another_machine_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _from(monkeypatch, None)
    at = open_app({"quarter": "2026-Q3"})
    key = "attention-shadow_ai_teams"
    at.text_area(key=f"{key}-text").input("Freeze AI hiring in business teams")
    at.text_input(key=f"{key}-owner").input("COO")
    _from(monkeypatch, REMOTE)  # the form drawn for this machine, sent from another one
    next(b for b in at.button if b.key and b.key.startswith(f"FormSubmitter:{key}-form")).click()
    at.run()
    assert not at.exception
    assert engine.every(Store(db), "2026-Q3", None) == []
    assert at.session_state[view.NOTICES][key] == ("error", access.CHANGE_REFUSED)
    assert "Record a decision" not in popover_labels(at)


def test_trusted_local_mode_gives_another_machine_full_rights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIORG_LOCAL_MODE", "trusted")
    _from(monkeypatch, REMOTE)
    at = open_app({"quarter": "2026-Q3"}, page="pages/settings.py")
    assert not at.exception
    assert at.title[0].value == "Settings"
    assert access.REMOTE_BANNER not in all_text(at)
    assert f":material/computer: Local mode · {access.os_user()}" in _sidebar_captions(at)


def _commit_a_teams_file() -> None:  # an AppTest script: the Data page's commit, called directly
    import os
    from pathlib import Path

    from aiorg_metrics.analysis.impact import BatchFile
    from aiorg_metrics.ingestion.ingest import ImportOptions
    from aiorg_metrics.store.connection import Store
    from dashboard.views import data

    teams = Path("sample_data/teams.csv").read_bytes()
    options = ImportOptions(mode="upsert", valid_only=False, max_file_mb=50, dataset="teams")
    data.commit(Store(os.environ["AIORG_DB"]), (BatchFile("teams.csv", teams, options),))


@pytest.mark.parametrize(("address", "imports"), [(REMOTE, 0), (None, 2)], ids=["another machine", "this machine"])
def test_an_import_from_another_machine_is_refused_where_it_is_made(
        db: Path, monkeypatch: pytest.MonkeyPatch, address: str | None, imports: int) -> None:
    _from(monkeypatch, address)
    count = "SELECT count(*) FROM import_log"
    with Store(db).reading() as cur:
        before = cur.execute(count).fetchall()[0][0]
    at = AppTest.from_function(_commit_a_teams_file, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == ([access.CHANGE_REFUSED] if imports == 0 else [])
    with Store(db).reading() as cur:
        assert cur.execute(count).fetchall()[0][0] == before + imports  # on this machine: the sample removed, teams
