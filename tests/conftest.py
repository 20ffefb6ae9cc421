"""Shared test setup: no sample seeding, a fresh store per test, the golden-file flag."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aiorg_metrics.store.connection import Store

os.environ.setdefault("AIORG_NO_SAMPLE", "1")
os.environ.setdefault("AIORG_NO_WARM_UP", "1")  # the app's background warm-up (the browser tests' server keeps it)
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
    """The sample organization, loaded once per test session (read it, never change it)."""
    from aiorg_metrics.ingestion.ingest import load_sample

    store = Store(tmp_path_factory.mktemp("sample-org") / "sample.duckdb")
    load_sample(store, SAMPLE_DIR)
    return store
