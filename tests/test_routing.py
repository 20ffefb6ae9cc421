"""The router (dashboard/routing.py): the deep-link workaround still needed and still working on this
Streamlit, the guard every page starts with, and the default page reachable at /<its url_path>.

The first three tests hold what the workaround assumes about Streamlit's private internals; when one
fails after a Streamlit upgrade, read the module docstring of dashboard/routing.py: either the
workaround broke (fix it) or Streamlit no longer needs it (remove it, with its guard's retry).
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import streamlit.commands.navigation as navigation_module
import streamlit.runtime.scriptrunner.script_runner as script_runner_module
import streamlit.testing.v1.app_test as app_test_module
from app_support import APP, ROOT, TIMEOUT, all_text, open_app, use_sample_store
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from dashboard import routing
from dashboard.pages import PAGES


@pytest.fixture
def legacy_flag():
    """Streamlit's class-level flag, restored after the test."""
    before = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = before


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


def test_streamlit_still_guesses_the_legacy_mode_from_the_pages_folder(legacy_flag) -> None:
    PagesManager.uses_pages_directory = None  # a fresh server
    PagesManager(str(APP))
    assert PagesManager.uses_pages_directory is True, (
        "Streamlit no longer runs pages/ alone on a fresh server: remove the workaround of dashboard/routing.py")


def test_the_script_runner_still_reads_that_flag_and_navigation_still_clears_it() -> None:
    runner = inspect.getsource(script_runner_module.ScriptRunner)
    assert re.search(r"if PagesManager\.uses_pages_directory:\s+_mpa_v1\(", runner)
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation_module.navigation)


def test_leaving_the_legacy_mode_clears_the_flag(legacy_flag) -> None:
    PagesManager.uses_pages_directory = True
    routing.leave_legacy_mode()
    assert PagesManager.uses_pages_directory is False


def test_a_deep_link_opened_first_runs_the_page_through_the_router(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test_module, "PagesManager", PagesManager)  # each run as a fresh server's first
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert at.title[0].value == "Data"
    assert [s.key for s in at.sidebar.selectbox] == ["quarter", "business_unit", "team"]  # app.py ran


@pytest.mark.parametrize("record", PAGES, ids=[r.url_path for r in PAGES])
def test_a_page_run_without_the_router_refuses_to_render(record) -> None:
    at = AppTest.from_file(str(ROOT / record.script), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert [e.value for e in at.error] == [routing.NOT_ROUTED_TEXT]
    assert list(at.title) == [] and list(at.sidebar.selectbox) == []


def test_every_page_script_starts_with_the_guard() -> None:
    for record in PAGES:
        code = (ROOT / record.script).read_text(encoding="utf-8")
        after_docstring = code.split('"""', 2)[2].splitlines()
        body = [line for line in after_docstring if line and not line.startswith(("from", "import"))]
        assert body[0] == "view = routing.guard()", record.script


def test_app_test_runs_like_a_server_once_told(legacy_flag) -> None:
    assert app_test_module.PagesManager is not PagesManager  # app_support told it
    PagesManager.uses_pages_directory = None
    app_test_module.PagesManager(str(APP))
    assert PagesManager.uses_pages_directory is False


def test_the_default_page_also_opens_at_its_url_path_with_the_link_s_filters() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params["quarter"] = "2026-Q2"
    at.switch_page("pages/review.py").run()  # before any run: /review, as a bookmark opens it
    assert not at.exception
    assert at.title[0].value == "Quarterly review"
    assert at.sidebar.selectbox(key="quarter").value == "2026-Q2"
    assert "Page not found" not in all_text(at)


def test_the_default_page_after_a_first_run_also_opens_at_its_url_path() -> None:
    at = open_app({"quarter": "2026-Q2"}, page="pages/review.py")
    assert not at.exception
    assert at.title[0].value == "Quarterly review"
    assert at.sidebar.selectbox(key="quarter").value == "2026-Q2"
