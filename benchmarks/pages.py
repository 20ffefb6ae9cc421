"""Each page's render time in headless Chromium, on a store already loaded (seeding excluded).

The server is `streamlit run app.py` as the browser tests serve it (tests/browser_support.py),
timed only once it answers its health check. A page counts as rendered when, continuously for
`STABLE_MS`, the app's script state is "notRunning", no spinner and no running-status widget
shows, and the page's own heading is on screen; its time is the first moment of that stretch,
measured in the browser's clock from navigation start (a fresh document's time origin, or the
instant of the sidebar click). Three ways of arriving:
- by navigation: clicking the page's entry in the sidebar of a page already shown;
- from a fresh link: a new tab opened on the page's address;
- first page after start-up: the default page, opened first on a server just started.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.pages import PAGES, PageRecord
from tests.browser_support import launch_chromium, serve

STABLE_MS = 300
TIMEOUT_MS = 120_000
RENDERED = """([title, since, stable]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const ok = !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stSpinner"]')
    && !document.querySelector('[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]')
    && [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === title);
  const now = performance.now();
  if (!ok || now < since) { window.__renderedAt = null; return false; }
  if (window.__renderedAt == null) window.__renderedAt = now;
  return now - window.__renderedAt >= stable;
}"""


class PageErrorError(Exception):
    """A page showed an exception box while measured."""


@dataclass
class PageFigures:
    """Seconds per page title for each way of arriving."""

    navigation: dict[str, list[float]] = field(default_factory=dict)
    fresh_link: dict[str, list[float]] = field(default_factory=dict)
    first_after_start: list[float] = field(default_factory=list)


def _rendered_at(tab, record: PageRecord, since: float) -> float:
    """Seconds from `since` (browser clock, ms) until the page settled showing `record`'s heading."""
    tab.evaluate("window.__renderedAt = null")
    tab.wait_for_function(RENDERED, arg=[record.title, since, STABLE_MS], polling=20, timeout=TIMEOUT_MS)
    if tab.query_selector('[data-testid="stException"]'):  # an error page's time would mean nothing
        raise PageErrorError(f"{record.title} shows an exception")
    return (tab.evaluate("window.__renderedAt") - since) / 1000


def _open(context, url: str, record: PageRecord) -> float:
    """A new tab on `url`: seconds from its navigation start until rendered."""
    tab = context.new_page()
    try:
        tab.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        return _rendered_at(tab, record, 0.0)
    finally:
        tab.close()


def _navigate(tab, record: PageRecord) -> float:
    """Click `record`'s sidebar entry: seconds from the click until rendered."""
    link = tab.locator('[data-testid="stSidebarNav"] a', has_text=record.title).first
    since = tab.evaluate("performance.now()")
    link.click()
    return _rendered_at(tab, record, since)


def _url(base: str, record: PageRecord) -> str:
    return f"{base}/" if record.default else f"{base}/{record.url_path}"


@contextmanager
def _server(db: Path, folder: Path):
    yield from serve(db, folder)


def measure(db: Path, work: Path, runs: int) -> PageFigures:
    """Every page of the app, `runs` times each way, on the loaded store `db`."""
    work.mkdir(parents=True, exist_ok=True)
    figures = PageFigures()
    default = next(r for r in PAGES if r.default)
    for browser in launch_chromium():
        for _ in range(runs):
            with _server(db, work) as base:
                context = browser.new_context(viewport={"width": 1440, "height": 900})
                figures.first_after_start.append(_open(context, _url(base, default), default))
                for record in PAGES:
                    figures.fresh_link.setdefault(record.title, []).append(_open(context, _url(base, record), record))
                tab = context.new_page()
                tab.goto(_url(base, default), wait_until="commit")
                _rendered_at(tab, default, 0.0)
                for record in (*[r for r in PAGES if not r.default], default):
                    figures.navigation.setdefault(record.title, []).append(_navigate(tab, record))
                context.close()
    return figures
