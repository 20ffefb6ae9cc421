"""Start-up and first paint (issue 13, item 3): the first page does only its own work.

The background warm-up (`dashboard.cached.warm_up`) computes what the other pages read after the
first page has run, on its own thread, and nothing it does (or fails to do) reaches a page; the
first page does not read what only other pages need, and its modules do not import Playwright,
which only a PDF print needs.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest
from app_support import ROOT, cards, open_app, use_sample_store

from aiorg_metrics.analysis import advisor, skills
from aiorg_metrics.analysis import directory as lookups
from aiorg_metrics.kpi import KPIS
from dashboard import cached, state

FIRST_PAGE_SCRIPTS = ("app.py", "pages/review.py")


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("AIORG_NO_WARM_UP", raising=False)  # the warm-up runs as on a server
    return use_sample_store(tmp_path, monkeypatch)


def _join_warm_up() -> None:
    for thread in threading.enumerate():
        if thread.name == cached.WARM_UP_THREAD:
            thread.join(30)


def test_the_first_page_reads_only_what_it_shows_and_the_warm_up_failing_never_reaches_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[tuple[str, str]] = []

    def failing(name: str):
        def refuse(*args: object, **kwargs: object) -> None:
            called.append((name, threading.current_thread().name))
            raise RuntimeError(f"{name} failed")

        return refuse

    # What only the other pages read: the advisor, the funnel, skills, the quarter's champions.
    monkeypatch.setattr(advisor, "advise_for_quarter", failing("the advisor"))
    monkeypatch.setattr(cached, "compute_funnel", failing("the funnel"))
    monkeypatch.setattr(skills, "gap_matrix", failing("the skills gaps"))
    monkeypatch.setattr(lookups, "champions", failing("the champions directory"))
    at = open_app()
    _join_warm_up()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title][:1] == ["Quarterly review"]
    assert list(cards(at)) == [k.label for k in KPIS]
    # Only the warm-up asked, after the page and on its own thread; it stopped at that failure, quietly.
    assert called == [("the advisor", cached.WARM_UP_THREAD)]


def test_a_warm_up_that_cannot_start_leaves_the_page_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_thread(*args: object, **kwargs: object) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(cached, "threading", types.SimpleNamespace(Thread=no_thread))
    at = open_app()
    assert not at.exception, [e.value for e in at.exception]
    assert list(cards(at)) == [k.label for k in KPIS]
    data = state.data_state()
    assert not any(key[0] == data.db for key in cached._WARMED)  # a later run tries again


def test_what_the_warm_up_computes_on_its_thread_serves_the_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = advisor.advise_for_quarter

    def counted(*args: object, **kwargs: object) -> advisor.Advice:
        calls.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(advisor, "advise_for_quarter", counted)
    open_app()  # the first page, then the warm-up of its quarter
    _join_warm_up()
    assert calls == [cached.WARM_UP_THREAD]
    at = open_app(page="pages/hub_spoke.py")  # the page showing the advisor: read from the cache
    assert not at.exception, [e.value for e in at.exception]
    assert calls == [cached.WARM_UP_THREAD]


def _imported_modules(script: Path) -> list[str]:
    tree = ast.parse(script.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found += [f"{node.module}.{alias.name}" if node.module == "dashboard" or node.module == "dashboard.views"
                      else node.module for alias in node.names]
    return found


def test_the_first_page_does_not_import_playwright() -> None:
    modules = sorted({m for script in FIRST_PAGE_SCRIPTS for m in _imported_modules(ROOT / script)})
    assert "dashboard.views.pack" in modules  # the review page offers the PDF, yet does not import Playwright
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            "print(sorted(m for m in ('playwright', 'greenlet') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
