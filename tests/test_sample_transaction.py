"""The sample organization is removed in the first real file's own transaction (SPEC §4, issue 8 class 8):
a rejected file leaves the sample in place; an accepted one logs two undoable steps."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import copy_sample_store

from aiorg_metrics.analysis.impact import BatchFile, preview_batch
from aiorg_metrics.ingestion.import_log import holds_sample
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes, undo_latest
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
from tests.ingest_helpers import TEAMS, table

SAMPLE_TEAMS = 31


@pytest.fixture
def sample_store(tmp_path: Path) -> Store:
    return Store(copy_sample_store(tmp_path))


def _log(store: Store) -> list[tuple]:
    with store.reading() as cur:
        return cur.execute(
            "SELECT import_id, dataset, file_name, outcome, deleted FROM import_log WHERE NOT is_sample "
            "ORDER BY import_id"
        ).fetchall()


def _sample_imports(store: Store) -> int:
    with store.reading() as cur:
        return int(cur.execute("SELECT count(*) FROM import_log WHERE is_sample").fetchall()[0][0])


def test_a_file_with_invalid_rows_leaves_the_sample_in_place(sample_store):
    bad = TEAMS.replace("ai_hub", "hubbub")
    report = import_bytes(sample_store, bad.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    assert report.outcome is Outcome.REJECTED
    assert report.notes == []  # no "sample removed" note: it was not
    assert len(table(sample_store, "teams")) == SAMPLE_TEAMS
    with sample_store.reading() as cur:
        assert holds_sample(cur)
    n = _sample_imports(sample_store)
    assert _log(sample_store) == [(n + 1, "teams", "teams.csv", "rejected", 0)]  # the rejection only


def test_a_file_refused_while_it_is_read_leaves_the_sample_in_place(sample_store):
    report = import_bytes(sample_store, b"colour,shape\nred,round\n", "odd.csv", ImportOptions(), actor=ADMIN)
    assert report.outcome is Outcome.REJECTED
    assert len(table(sample_store, "teams")) == SAMPLE_TEAMS
    assert [row[3] for row in _log(sample_store)] == ["rejected"]


def test_an_accepted_file_removes_the_sample_in_its_transaction_as_two_undo_steps(sample_store):
    n = _sample_imports(sample_store)
    report = import_bytes(sample_store, TEAMS.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    assert report.outcome is Outcome.STORED
    assert report.notes[0].startswith("The sample organization was removed first (")
    assert [r[0] for r in table(sample_store, "teams")] == ["B1", "B2", "HUB", "SP1"]
    log = _log(sample_store)
    assert [(r[0], r[1], r[2], r[3]) for r in log] == [
        (n + 1, "all", "(sample data)", "sample_removed"),
        (n + 2, "teams", "teams.csv", "stored"),
    ]
    assert undo_latest(sample_store, actor=ADMIN) == f"Undid import #{n + 2} (teams, teams.csv)."
    assert table(sample_store, "teams") == []
    assert undo_latest(sample_store, actor=ADMIN) == f"Undid import #{n + 1} (all, (sample data))."
    assert len(table(sample_store, "teams")) == SAMPLE_TEAMS


def test_keep_sample_imports_beside_the_sample(sample_store):
    extra = TEAMS.replace("B1,", "X1,").replace("B2,", "X2,").replace("HUB,", "XH,").replace("SP1,", "XS,")
    report = import_bytes(sample_store, extra.encode(), "teams.csv", ImportOptions(keep_sample=True), actor=ADMIN)
    assert report.outcome is Outcome.STORED
    assert len(table(sample_store, "teams")) == SAMPLE_TEAMS + 4


def test_the_preview_checks_the_file_without_the_sample_and_changes_nothing(sample_store):
    [preview] = preview_batch(sample_store, [BatchFile("teams.csv", TEAMS.encode(), ImportOptions())], None,
                              Settings())
    report = preview.report
    assert (report.inserted, report.updated, report.deleted) == (4, 0, 0)  # against an empty store, not the sample
    assert len(table(sample_store, "teams")) == SAMPLE_TEAMS
    assert _log(sample_store) == []
