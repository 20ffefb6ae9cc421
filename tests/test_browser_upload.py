"""An analyst's month in headless Chromium: a French Excel export with a few bad rows, uploaded
through the real Data page, checked, committed with the valid rows, seen on the dashboards, undone.

The server is fresh and the first request is a deep link to /data (the page must still run
through the router). Same browser set-up and failure rules as tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from app_support import copy_sample_store
from playwright.sync_api import expect

from aiorg_metrics.datasets.registry import dataset
from tests.browser_support import SETTLED, serve
from tests.conftest import SAMPLE_DIR
from tests.french_excel import as_french_excel

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh server of its own (its first request is the deep link), on a private copy of the sample store."""
    folder = tmp_path_factory.mktemp("browser-upload")
    yield from serve(copy_sample_store(folder), folder)


def _french_files(tmp_path) -> list[str]:
    teams = tmp_path / "equipes.csv"
    teams.write_bytes(as_french_excel((SAMPLE_DIR / "teams.csv").read_text(encoding="utf-8"), dataset("teams")))
    lines = (SAMPLE_DIR / "use_cases.csv").read_text(encoding="utf-8").splitlines()[:31]
    lines[3] = lines[3].replace(",2025-01-", ",2025-13-", 1)  # an impossible date
    lines[7] = lines[7].replace("service_request", "servce_request")  # a misspelt collaboration pattern
    use_cases = tmp_path / "cas_usage.csv"
    use_cases.write_bytes(as_french_excel("\n".join(lines) + "\n", dataset("use_cases")))
    return [str(teams), str(use_cases)]


def _settle(page) -> None:
    page.wait_for_timeout(400)
    page.wait_for_selector(SETTLED, timeout=30000)


def test_a_french_excel_export_with_bad_rows_through_the_data_page(server: str, page, tmp_path) -> None:
    page.goto(f"{server}/data", wait_until="networkidle")
    _settle(page)
    assert page.locator("h1").first.inner_text() == "Data"
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.set_input_files("input[type=file]", _french_files(tmp_path))
    _settle(page)
    page.get_by_role("button", name="Check my files without the sample data").click()
    _settle(page)
    expect(page.get_by_text("cp1252 (Windows/Excel), ';'-separated, dates day-first")).to_have_count(1)
    expect(page.get_by_text("row(s) have problems.")).to_have_count(1)
    expect(page.get_by_role("button", name="Download the problems (CSV)")).to_have_count(1)
    page.get_by_text("Store the valid rows only (skip invalid rows)").click()
    _settle(page)
    expect(page.get_by_text("invalid row(s) will be skipped")).to_have_count(1)
    page.get_by_role("button", name="Import 2 file(s)").click()
    _settle(page)
    expect(page.get_by_text("Imported.")).to_have_count(2)
    assert page.query_selector_all('[data-testid="stException"]') == []
    page.goto(f"{server}/review", wait_until="networkidle")
    _settle(page)
    expect(page.get_by_text("You are looking at sample data")).to_have_count(0)
    assert page.query_selector_all('[data-testid="stException"]') == []
    page.goto(f"{server}/data?tab=Import+history", wait_until="networkidle")
    _settle(page)
    page.get_by_role("button", name="Undo the latest change").click()
    _settle(page)
    page.get_by_role("button", name="Yes, undo it").click()
    _settle(page)
    expect(page.get_by_text("Undid import")).to_have_count(1)
