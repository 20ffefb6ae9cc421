"""The dataset registry matches SPEC §2, and what is generated from it is current."""

from __future__ import annotations

from aiorg_metrics.datasets.registry import DATASETS, dataset
from aiorg_metrics.display.dataset_docs import datasets_markdown, template_csv
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
from tests.actors import ADMIN
from tests.conftest import ROOT

SPEC_COLUMNS = {
    "teams": "team_id* team_name* business_unit* team_kind* headcount* ai_staff*",
    "champion_activity": "activity_id date* champion_id* champion_name team_id* activity_type* hours satisfaction",
    "use_cases": "use_case_id* title* team_id* champion_id ai_team_id identified_date* qualified_date rejected_date "
                 "tier collaboration_pattern problem expected_kpis data_sources constraints sponsor expected_value_eur",
    "poc_conversions": "poc_id* use_case_id* start_date* outcome* end_date production_date cost_eur",
    "adoption": "poc_id* month* target_users* active_users*",
    "training_spend": "record_id date* employee_id* team_id* program* format* hours* cost_eur* path path_start_date "
                      "path_completed_date",
    "skills": "employee_id* team_id* role* seniority* skill* level* assessed_date",
}


def test_every_dataset_has_the_spec_columns_in_order_with_their_required_flag():
    assert {ds.name for ds in DATASETS} == set(SPEC_COLUMNS)
    for ds in DATASETS:
        got = " ".join(c.name + ("*" if c.required else "") for c in ds.columns)
        assert got == SPEC_COLUMNS[ds.name]


def test_keys_and_import_order():
    assert [ds.name for ds in DATASETS][:4] == ["teams", "use_cases", "poc_conversions", "adoption"]
    assert dataset("adoption").key == ("poc_id", "month")
    assert dataset("skills").key == ("employee_id", "skill")
    assert dataset("champion_activity").id_column == "activity_id"
    assert dataset("training_spend").id_column == "record_id"


def test_enum_values_follow_the_spec():
    assert dataset("champion_activity").column("activity_type").rule.allowed == (
        "identification", "qualification", "evangelization", "facilitation", "adoption_support", "meetup",
        "quarterly_review", "summit", "training_day", "survey",
    )
    assert dataset("skills").column("seniority").rule.allowed == ("junior", "mid", "senior", "staff", "principal")


def test_data_format_reference_is_current():
    committed = (ROOT / "docs" / "datasets.md").read_text(encoding="utf-8")
    assert committed == datasets_markdown(), "run: python -m aiorg_metrics docs"


def test_each_template_has_the_header_and_one_example_row_that_imports(store):
    hub = "team_id,team_name,business_unit,team_kind,headcount,ai_staff\nAI-HUB,AI Hub,Group,ai_hub,12,10\n"
    import_bytes(store, hub.encode(), "hub.csv", ImportOptions(), actor=ADMIN)
    for ds in DATASETS:
        lines = template_csv(ds).splitlines()
        assert lines[0] == ",".join(c.name for c in ds.columns)
        assert len(lines) == 2
        report = import_bytes(store, template_csv(ds).encode(), f"{ds.name}.csv", ImportOptions(), actor=ADMIN)
        assert report.outcome is Outcome.STORED, (ds.name, [p.as_text() for p in report.problems])
