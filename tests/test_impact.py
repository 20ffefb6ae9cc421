"""The impact preview: KPI changes computed inside a rolled-back transaction."""

from __future__ import annotations

from aiorg_metrics.analysis.impact import preview_import
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display.wording import change_text
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Status
from tests.ingest_helpers import TEAMS, load, table

USE_CASES = (
    "use_case_id,title,team_id,identified_date\n"
    "U1,a,B1,2026-01-10\nU2,b,B1,2026-01-11\nU3,c,B1,2026-01-12\nU4,d,B1,2026-01-13\n"
)
POCS = "poc_id,use_case_id,start_date,outcome,end_date,production_date\nP1,U1,2026-02-01,production,,2026-03-01\n"


def test_preview_shows_kpi_changes_and_stores_nothing(store):
    load(store, TEAMS, "teams.csv")
    load(store, USE_CASES, "uc.csv")
    preview = preview_import(store, POCS.encode(), "pocs.csv", ImportOptions(), Quarter.parse("2026-Q1"), Settings())
    assert preview.report.outcome is Outcome.PREVIEW
    assert preview.report.inserted == 1
    changes = {c.kpi: c for c in preview.changes}
    # 1 of the 4 use cases identified in the window now has a PoC: 0% → 25% (a partial year: no status).
    assert (changes["use_case_to_poc_rate"].before, changes["use_case_to_poc_rate"].after) == (0.0, 0.25)
    assert change_text(changes["use_case_to_poc_rate"]) == (
        "Use case → PoC conversion: 0% (no target) → 25% (no target), +25.0 pts")
    # The only concluded PoC went to production: no_data → 100%.
    assert changes["poc_to_production_rate"].after == 1.0
    assert changes["poc_to_production_rate"].before_status is Status.NO_DATA
    assert change_text(changes["poc_to_production_rate"]) == "PoC → production conversion: no data → 100% (no target)"
    assert table(store, "poc_conversions") == []
    assert not preview.would_reject
    assert preview.first_rows[["poc_id", "outcome"]].values.tolist() == [["P1", "production"]]


def test_preview_of_a_rejected_file_lists_problems_and_no_changes(store):
    load(store, TEAMS, "teams.csv")
    load(store, USE_CASES, "uc.csv")
    bad = POCS.replace("2026-03-01", "2026-01-01")
    preview = preview_import(store, bad.encode(), "pocs.csv", ImportOptions(), Quarter.parse("2026-Q1"), Settings())
    assert preview.would_reject
    assert (preview.report.valid, preview.report.invalid) == (0, 1)
    assert preview.changes == ()
    assert preview.report.errors[0].reason == "production_date is before start_date."


def test_a_batch_is_previewed_in_order_each_file_seeing_the_earlier_ones(store):
    from aiorg_metrics.analysis.impact import BatchFile, preview_batch

    files = [
        BatchFile("teams.csv", TEAMS.encode(), ImportOptions(dataset="teams")),
        BatchFile("uc.csv", (USE_CASES + "U5,e,B1,2026-02-30\n").encode(), ImportOptions(dataset="use_cases")),
        BatchFile("pocs.csv", POCS.encode(), ImportOptions(dataset="poc_conversions")),
    ]
    teams, use_cases, pocs = preview_batch(store, files, None, Settings())
    assert (teams.report.inserted, teams.would_reject) == (4, False)
    assert (use_cases.report.valid, use_cases.report.invalid, use_cases.would_reject) == (4, 1, True)
    assert use_cases.report.unresolved == 0  # its teams come from the first file of the batch
    # The use cases file would be rejected, so use_cases stays empty: the PoC is stored unresolved, as at commit.
    assert (pocs.report.errors, pocs.report.unresolved) == ([], 1)
    assert table(store, "teams") == []
