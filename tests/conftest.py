"""Shared test setup: no sample seeding, a fresh store per test, the golden-file flag."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aiorg_metrics.store.connection import Store

os.environ.setdefault("AIORG_NO_SAMPLE", "1")
os.environ.setdefault("AIORG_NO_WARM_UP", "1")  # the app's background warm-up (the browser tests' server keeps it)
# The suite runs in the product's default store mode (snapshot) unless $AIORG_STORE_MODE says otherwise:
# `AIORG_STORE_MODE=direct python -m pytest ...` runs it again with pages reading the store itself.
# "Today" is pinned so plausible-date checks (SPEC §1) give the same answers on any day; subprocesses inherit it.
TODAY = "2026-11-29"
os.environ["AIORG_TODAY"] = TODAY

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "sample_data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current code")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.duckdb")


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The sample organization for the whole test session (read it, never change it): a copy of the store
    tests/app_support.py loads once per test process, so the process imports the sample only once."""
    from app_support import copy_sample_store

    return Store(copy_sample_store(tmp_path_factory.mktemp("sample-org")))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session (tests/browser_support.py)."""
    from tests.browser_support import launch_chromium

    yield from launch_chromium()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies, no storage) and its page, 1440 × 900."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def sample_server(tmp_path_factory: pytest.TempPathFactory):
    """The app served on a free localhost port on a private copy of the sample store, shared by the
    browser tests that read it or add to it without depending on a fresh server."""
    from app_support import copy_sample_store

    from tests.browser_support import serve

    folder = tmp_path_factory.mktemp("browser")
    yield from serve(copy_sample_store(folder), folder)
