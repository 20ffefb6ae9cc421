"""The sample organization: loads cleanly, and loads identically from French Excel re-saves."""

from __future__ import annotations

import pytest

from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes, load_sample
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.conftest import SAMPLE_DIR
from tests.french_excel import as_french_excel


def _contents(store: Store) -> dict[str, list[tuple]]:
    with store.reading() as cur:
        return {ds.name: cur.execute(f"SELECT * EXCLUDE (_import_id) FROM {ds.table} ORDER BY _key").fetchall()
                for ds in DATASETS}


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Store:
    store = Store(tmp_path_factory.mktemp("sample") / "sample.duckdb")
    reports = load_sample(store, SAMPLE_DIR, actor=ADMIN)
    assert [r.outcome for r in reports] == [Outcome.STORED] * 7, [r.summary() for r in reports]
    assert all(not r.problems for r in reports), [p.as_text() for r in reports for p in r.problems][:5]
    return store


def test_sample_loads_every_dataset_without_a_problem(sample_store):
    counts = {name: len(rows) for name, rows in _contents(sample_store).items()}
    assert counts["teams"] == 31
    assert 250 <= counts["use_cases"] <= 350
    assert counts["champion_activity"] > 3000


def test_french_excel_resaves_load_to_identical_contents(sample_store, tmp_path):
    french = Store(tmp_path / "fr.duckdb")
    for ds in DATASETS:
        data = as_french_excel((SAMPLE_DIR / f"{ds.name}.csv").read_text(encoding="utf-8"), ds)
        report = import_bytes(french, data, f"{ds.name}.csv", ImportOptions(sample=True), actor=ADMIN)
        assert report.outcome is Outcome.STORED, report.summary()
        assert "';'-separated" in report.read_as
        if not data.isascii():
            assert report.read_as.startswith("cp1252 (Windows/Excel)")
    assert _contents(french) == _contents(sample_store)


def test_sample_imports_are_marked_as_sample(sample_store):
    with sample_store.reading() as cur:
        flags = cur.execute("SELECT DISTINCT is_sample FROM import_log").fetchall()
    assert flags == [(True,)]
