"""End to end in headless Chromium: `streamlit run app.py` on the sample organization, every page
opened, no exception box anywhere, and the URL keeps the view (quarter and filters) across pages.

Drives Debian's /usr/bin/chromium with Playwright (no browser download). Without it these tests
fail and say how to install it; deselect them with `-m "not browser"`.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from dashboard.pages import PAGES as PAGE_RECORDS
from tests.browser_support import SETTLED

pytestmark = pytest.mark.browser

PAGES = {"" if r.default else r.url_path: r.title for r in PAGE_RECORDS}  # URL path → heading; the root first
RENDER_TIMEOUT_MS = 60_000  # a hang, not a speed goal: the page times are benchmarks/pages.py's


@pytest.fixture
def server(sample_server: str) -> str:
    """The session's app on a private copy of the sample store (tests/conftest.py)."""
    return sample_server


def _open(page, url: str) -> None:
    page.goto(url, wait_until="networkidle", timeout=RENDER_TIMEOUT_MS)
    page.wait_for_selector(SETTLED, timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(300)
    page.wait_for_selector(SETTLED, timeout=RENDER_TIMEOUT_MS)


def _query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_every_page_renders_without_an_exception(server: str, page) -> None:
    for path, title in PAGES.items():  # the root first: the router's first run
        _open(page, f"{server}/{path}")
        assert page.query_selector_all('[data-testid="stException"]') == [], f"exception on /{path}"
        assert page.locator("h1").first.inner_text() == title
        assert _query(page).get("quarter") == "2026-Q3", f"/{path} does not name its quarter: {page.url}"


def test_filters_survive_page_switches_and_reopen_the_same_view(server: str, page) -> None:
    # an Insurance champion (the list follows the unit), named by the bare id a user copies from a CSV
    _open(page, f"{server}/funnel?quarter=2026-Q2&business_unit=Insurance&champion=CH-013")
    expect(page.get_by_text("Champion view: Chloé Weber (CH-013)")).to_have_count(1)
    assert _query(page)["champion"] == "Chloé Weber (CH-013)"  # the link now names the champion's label
    page.locator('[data-testid="stSidebarNav"] a', has_text="Skills & training").click()
    page.wait_for_url("**/skills?**")
    page.wait_for_selector(SETTLED)
    query = _query(page)
    assert query["quarter"] == "2026-Q2" and query["business_unit"] == "Insurance"
    assert "champion" not in query  # the champion belongs to the funnel page
    copied = page.url
    other = page.context.new_page()
    _open(other, copied)
    expect(other.get_by_text("2026-Q2 · business unit Insurance")).to_have_count(1)
    assert other.query_selector_all('[data-testid="stException"]') == []


def test_choosing_a_quarter_puts_it_in_the_url(server: str, page) -> None:
    _open(page, server)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Use-case funnel").click()
    page.wait_for_url("**/funnel?**")
    assert _query(page)["quarter"] == "2026-Q3"  # the default quarter is named after a page switch too
    page.locator('.st-key-quarter [data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="2025-Q4").click()
    page.wait_for_url("**quarter=2025-Q4**")
    page.wait_for_selector(SETTLED)
    expect(page.get_by_text("2025-Q4 · whole organization")).to_have_count(1)


def test_a_bookmark_of_the_default_page_s_own_path_opens_it(server: str, page) -> None:
    _open(page, f"{server}/review?quarter=2026-Q2&business_unit=Insurance")
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert page.locator("h1").first.inner_text() == "Quarterly review"
    expect(page.get_by_text("2026-Q2 · business unit Insurance")).to_have_count(1)
    assert urlparse(page.url).path == "/"  # sent to the root, where the navigation marks it
    query = _query(page)
    assert query["quarter"] == "2026-Q2" and query["business_unit"] == "Insurance"
