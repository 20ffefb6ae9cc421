"""Hostile input in headless Chromium (issue 8): a 100,000-column file and a year-9999 typo uploaded
through the real Data page are refused with a message and store nothing, and a store from an earlier
version that already holds implausible dates renders every page.

Same browser set-up and failure rules as tests/test_browser.py; one server for the module, on a copy
of the sample store with implausible dates planted as an earlier version could have stored them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from app_support import copy_sample_store
from playwright.sync_api import expect

from tests.browser_support import SETTLED, serve
from tests.hostile_corpus import by_name, write_case
from tests.test_browser import PAGES
from tests.test_hostile_cli import fingerprint
from tests.test_legacy_dates import plant

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    folder = tmp_path_factory.mktemp("browser-hostile")
    db = copy_sample_store(folder)
    plant(db)
    for base in serve(db, folder):
        yield base, db


def _settle(page) -> None:
    page.wait_for_timeout(400)
    page.wait_for_selector(SETTLED, timeout=30000)


def _no_exception(page) -> None:
    assert page.query_selector_all('[data-testid="stException"]') == []
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_every_page_renders_on_a_store_holding_implausible_dates(legacy, page) -> None:
    base, _ = legacy
    for path, title in PAGES.items():
        page.goto(f"{base}/{path}", wait_until="networkidle")
        _settle(page)
        _no_exception(page)
        assert page.locator("h1").first.inner_text() == title
    page.goto(f"{base}/data?tab=Import+history", wait_until="networkidle")
    _settle(page)
    _no_exception(page)
    listed = page.get_by_text("6 stored value(s) hold an implausible date")  # the rows are listed below it
    expect(listed).to_be_visible(timeout=20000)


@pytest.mark.parametrize("name", ["wide_100k_columns", "date_9999"])
def test_a_hostile_upload_is_refused_on_the_data_page(legacy, page, tmp_path, name) -> None:
    base, db = legacy
    before = fingerprint(db)
    files = write_case(by_name(name), tmp_path)
    page.goto(f"{base}/data", wait_until="networkidle")
    _settle(page)
    page.set_input_files("input[type=file]", [str(p) for p in files])
    _settle(page)
    if page.get_by_role("button", name="Check my files without the sample data").count():
        page.get_by_role("button", name="Check my files without the sample data").click()
        _settle(page)
    _no_exception(page)
    if name == "wide_100k_columns":
        expect(page.get_by_text("at most 1,000 are allowed", exact=False).first).to_be_visible(timeout=20000)
    else:
        expect(page.get_by_text("1 row(s) have problems.")).to_have_count(1, timeout=20000)
    expect(page.get_by_role("button", name="Import 0 file(s)")).to_be_disabled(timeout=20000)
    assert fingerprint(db) == before
