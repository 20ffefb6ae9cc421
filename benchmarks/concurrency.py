"""Many readers, one writer: browser tabs loading pages while the command line imports.

On an organization already loaded, `python -m aiorg_metrics ingest --mode replace` of its
champion_activity.csv runs twice from fresh stores copied from one template: alone, then while
`tabs` tabs of one headless Chromium each reload a page (the app's pages in turn) every
`interval` seconds, from before the import starts until each tab has loaded once after it ended.
A load is timed as benchmarks/pages.py times a fresh link (navigation start until rendered);
a tab showing an exception, an error box or the "import in progress" notice counts as an error.
The app and the import run with `AIORG_STORE_MODE=mode`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from aiorg_metrics.ingestion.import_log import data_version
from aiorg_metrics.store.connection import Store
from benchmarks import ingest, kpis
from benchmarks.generate import write_organization
from benchmarks.measure import ROOT
from benchmarks.pages import RENDERED, STABLE_MS
from dashboard.pages import PAGES
from tests.browser_support import launch_chromium, serve

LOAD_TIMEOUT_S = 60.0
ERRORS = """() => {
  const shown = (sel) => !!document.querySelector(sel);
  if (shown('[data-testid="stException"]')) return 'exception';
  if (shown('[data-testid="stAlertContentError"]')) return 'error box';
  if ((document.body?.innerText ?? '').includes('An import is in progress')) return 'import in progress notice';
  return null;
}"""


@dataclass
class ConcurrencyFigures:
    """One measurement: the import alone and with readers, and every page load during it."""

    rows: int
    tabs: int
    interval: float
    mode: str
    import_alone_s: float = 0.0
    import_with_readers_s: float = 0.0
    exit_alone: int = 0
    exit_with_readers: int = 0
    loads_during: list[float] = field(default_factory=list)  # seconds, loads started while the import ran
    loads_after: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    version_before: int = 0
    version_after: int = 0


@dataclass
class _Tab:
    page: object
    url: str
    title: str
    started: float = 0.0  # monotonic time of the last navigation; 0: not loading
    during: bool = False
    after_seen: bool = False


def _env(mode: str) -> dict[str, str]:
    return {**os.environ, "AIORG_STORE_MODE": mode}


def _import_command(db: Path, activity: Path) -> list[str]:
    return [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), "--mode", "replace", str(activity)]


def _timed_import(db: Path, activity: Path, mode: str) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(_import_command(db, activity), cwd=ROOT, env=_env(mode), capture_output=True, check=False)
    return time.perf_counter() - started, done.returncode


def _version(db: Path, mode: str) -> int:
    with Store(db, mode=mode).reading() as cur:
        return data_version(cur)


def prepare(rows: int, work: Path) -> tuple[Path, Path]:
    """Generate the organization and load it into a template store; the template and champion_activity.csv."""
    data = write_organization(work / "data", rows, ("utf8",))["utf8"]
    org = work / "template"
    org.mkdir(parents=True, exist_ok=True)
    ingest.settings_for(org, list(data.glob("*.csv")))
    kpis.load_store(org / "aiorg.duckdb", data)
    return org / "aiorg.duckdb", data / "champion_activity.csv"


def _fresh_store(template: Path, folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for settings in template.parent.glob("aiorg.toml"):
        shutil.copy(settings, folder / settings.name)
    shutil.copy(template, folder / template.name)
    return folder / template.name


def _poll(tab: _Tab, figures: ConcurrencyFigures, importing: bool) -> None:
    """Record `tab`'s load when it has rendered (or shows an error, or timed out)."""
    try:
        problem = tab.page.evaluate(ERRORS)
    except PlaywrightError as error:  # the document was being replaced: look again on the next round
        if "context was destroyed" not in str(error):
            raise
        return
    if problem:
        figures.errors.append(f"{tab.title}: {problem}")
    elif tab.page.evaluate(RENDERED, [tab.title, 0, STABLE_MS]):
        seconds = tab.page.evaluate("window.__renderedAt") / 1000
        (figures.loads_during if tab.during else figures.loads_after).append(seconds)
        tab.after_seen = tab.after_seen or (not importing and not tab.during)
    elif time.monotonic() - tab.started > LOAD_TIMEOUT_S:
        figures.errors.append(f"{tab.title}: not rendered within {LOAD_TIMEOUT_S:g} s")
    else:
        return
    tab.started = 0.0


def _load(tab: _Tab, importing: bool) -> None:
    tab.page.goto(tab.url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
    tab.started, tab.during = time.monotonic(), importing


def _drive(tabs: list[_Tab], importer: subprocess.Popen, figures: ConcurrencyFigures) -> float:
    """Reload each tab every `interval` s (staggered) until the import ended and each tab loaded once
    after it; returns the import's wall seconds."""
    started = time.monotonic()
    due = [started + i * figures.interval / len(tabs) for i in range(len(tabs))]
    ended: float | None = None
    while ended is None or not all(t.after_seen for t in tabs):
        if ended is None and importer.poll() is not None:
            ended = time.monotonic()
        now = time.monotonic()
        for i, tab in enumerate(tabs):
            if tab.started:
                _poll(tab, figures, ended is None)
            elif now >= due[i]:
                _load(tab, ended is None)
                due[i] = now + figures.interval
        if ended is not None and now - ended > LOAD_TIMEOUT_S + figures.interval:
            figures.errors.append("some tab never loaded after the import")
            break
        time.sleep(0.05)
    return (ended or time.monotonic()) - started


def measure(template: Path, activity: Path, work: Path, tabs: int = 20, interval: float = 5.0,
            mode: str = "snapshot", alone: bool = True, browser: object | None = None) -> ConcurrencyFigures:
    """The import alone (with `alone`) and while `tabs` tabs read (see the module's docstring), in
    `browser` when given (a test session's Chromium: Playwright's sync API runs once per thread),
    else in a Chromium of its own."""
    rows = sum(1 for _ in activity.open(encoding="utf-8")) - 1
    figures = ConcurrencyFigures(rows, tabs, interval, mode)
    if alone:
        figures.import_alone_s, figures.exit_alone = _timed_import(_fresh_store(template, work / "alone"),
                                                                    activity, mode)
    db = _fresh_store(template, work / "readers")
    figures.version_before = _version(db, mode)
    readable = [r for r in PAGES if r.url_path not in ("data", "settings")]  # pages that read the data
    previous = os.environ.get("AIORG_STORE_MODE")
    os.environ["AIORG_STORE_MODE"] = mode  # serve() hands the app this process's environment
    try:
        for chromium in ([browser] if browser is not None else launch_chromium()):
            for base in serve(db, work / "readers"):
                context = chromium.new_context(viewport={"width": 1280, "height": 800})
                records = [readable[i % len(readable)] for i in range(tabs)]
                open_tabs = [_Tab(context.new_page(), f"{base}/" if r.default else f"{base}/{r.url_path}", r.title)
                             for r in records]
                _warm(open_tabs, figures)
                importer = subprocess.Popen(_import_command(db, activity), cwd=ROOT, env=_env(mode),
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                figures.import_with_readers_s = _drive(open_tabs, importer, figures)
                figures.exit_with_readers = importer.wait()
                context.close()
    finally:
        _restore("AIORG_STORE_MODE", previous)
    figures.version_after = _version(db, mode)
    return figures


def _warm(tabs: list[_Tab], figures: ConcurrencyFigures) -> None:
    """Every tab loaded once before the import (the server's first visits: not counted)."""
    for tab in tabs:
        _load(tab, importing=False)
        while tab.started:
            _poll(tab, figures, importing=True)
            time.sleep(0.05)
        tab.after_seen = False
    figures.loads_after.clear()


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
