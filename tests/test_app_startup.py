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
import tomllib
import types
from pathlib import Path

import pytest
from app_support import ROOT, cards, open_app, use_sample_store

from aiorg_metrics import kpi
from aiorg_metrics.analysis import advisor, skills
from aiorg_metrics.analysis import directory as lookups
from aiorg_metrics.ingestion.import_log import data_version
from aiorg_metrics.ingestion.ingest import import_bytes
from aiorg_metrics.kpi import KPIS
from aiorg_metrics.store import connection, snapshot
from aiorg_metrics.store.connection import Store
from dashboard import cached, state
from tests.actors import ADMIN
from tests.conftest import SAMPLE_DIR

FIRST_PAGE_SCRIPTS = ("app.py", "pages/review.py")
TEAMS = SAMPLE_DIR / "teams.csv"


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


def test_the_warm_up_starts_no_step_while_a_page_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    steps: list[str] = []
    monkeypatch.setattr(cached, "IDLE_SECONDS", 0.05)
    monkeypatch.setattr(cached, "_steps", lambda db, version, quarter: [lambda: steps.append(quarter)])
    data = state.data_state()
    with cached.page_run():  # a page of another session is running
        cached.warm_up(data, data.default_quarter)
        threading.Event().wait(0.4)
        assert steps == []  # the warm-up waits for it
    _join_warm_up()
    assert steps == [str(data.default_quarter)]


def test_waiting_for_idle_gives_up_after_its_limit_under_constant_traffic() -> None:
    with cached.page_run():
        started = threading.Event()
        waiter = threading.Thread(target=lambda: (started.set(), cached._wait_for_idle(0.05, at_most=0.3)))
        waiter.start()
        started.wait(5)
        waiter.join(0.1)
        assert waiter.is_alive()  # still waiting while the page runs
        waiter.join(5)
        assert not waiter.is_alive()  # gone on after its limit though the page still runs


def test_a_second_session_reuses_what_the_first_computed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIORG_NO_WARM_UP", "1")  # only the pages' own reads
    reads: list[str] = []

    def counted(name: str, real):
        def call(*args: object, **kwargs: object):
            reads.append(name)
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(kpi, "compute", counted("compute", kpi.compute))
    monkeypatch.setattr(kpi, "trend", counted("trend", kpi.trend))
    monkeypatch.setattr(cached, "_read", counted("read", cached._read))
    first = open_app()
    assert not first.exception and "compute" in reads and "read" in reads
    reads.clear()
    second = open_app()  # a new session (a fresh link) on the same data version
    assert not second.exception, [e.value for e in second.exception]
    assert list(cards(second)) == [k.label for k in KPIS]
    assert reads == []  # nothing computed again: every engine read is cached on the data version


def test_a_review_run_reads_the_team_directory_a_few_times_not_once_per_label(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIORG_NO_WARM_UP", "1")
    at = open_app()  # fills the caches
    reads: list[str] = []
    real = cached.teams
    monkeypatch.setattr(cached, "teams", lambda *args: reads.append("teams") or real(*args))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # The drill-down's scope labels and each card's decision form read cached lookups; the directory's frame,
    # read from the cache at about 2 ms a time, is read by the sidebar, header and drill-down, not per label.
    assert 0 < len(reads) <= 6, len(reads)


def test_the_server_watches_no_source_files() -> None:
    # Watching makes Streamlit scan every loaded module on the server's event loop after each new session's
    # first run: about a second of a fresh link at 10^6 rows, during which no session's page is sent.
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"


def test_reads_of_one_data_version_open_its_snapshot_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Path] = []
    real = connection._connect
    monkeypatch.setattr(connection, "_connect", lambda path, *args: opened.append(path) or real(path, *args))
    store = Store(tmp_path / "other" / "aiorg.duckdb", mode="snapshot")
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)
    opened.clear()
    for _ in range(3):  # a page's reads, and the next session's
        with store.reading() as cur:
            assert data_version(cur) == 1
    first = snapshot.latest(store.path)
    assert opened == [first]  # opened (and its schema checked) once, kept open between reads
    import_bytes(store, TEAMS, TEAMS.name, actor=ADMIN)  # a new data version: a new snapshot
    with store.reading() as cur:
        assert data_version(cur) == 2
    assert connection._GATES.get(first) is None  # the older snapshot's connection is closed
    assert opened[-1] == snapshot.latest(store.path) != first
