"""Person-level data by role (issue 12, items 4 and 5): the `Disclosure` each role gets, the tables and
results filtered with it, and the review pack (HTML and XLSX) built for a viewer, which names no employee
and no champion."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd
import pytest

from aiorg_metrics.access.disclosure import FULL, NOTHING, Disclosure
from aiorg_metrics.access.permissions import Rights, Role
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display import disclosed, tables
from aiorg_metrics.display.review import ReviewScope, StoreSource
from aiorg_metrics.kpi import KpiResult, Scope
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Status
from aiorg_metrics.report import outputs
from aiorg_metrics.store.connection import Store


def _of(*roles: Role, champion: str | None = None) -> Disclosure:
    return Disclosure.of(Rights(frozenset(roles), frozenset({champion} if champion else ())))


VIEWER, ANALYST, LEAD, ADMIN = (_of(Role.VIEWER), _of(Role.ANALYST), _of(Role.LEAD), _of(Role.ADMIN))
CHAMPION = _of(Role.CHAMPION, champion="CH-013")


def test_each_role_gets_the_permissions_table_rows() -> None:
    assert VIEWER == NOTHING and ANALYST == NOTHING
    assert Disclosure(own_champion_names=frozenset({"CH-013"}), own_champion_surveys=frozenset({"CH-013"})) == CHAMPION
    assert Disclosure(individual_skills=True, employee_ids=True, every_champion_name=True,
                      every_champion_survey=True) == LEAD
    assert ADMIN == LEAD == FULL
    assert _of(Role.VIEWER, champion="CH-013") == NOTHING  # a champion id without the champion role: nothing
    assert hash(CHAMPION) != hash(VIEWER)  # cache keys tell them apart


def test_champions_are_named_by_id_unless_the_reader_may_see_the_name() -> None:
    assert LEAD.champion_label("CH-013", "Chloé Weber") == "Chloé Weber (CH-013)"
    assert LEAD.champion_label("CH-013", None) == "CH-013"
    assert VIEWER.champion_label("CH-013", "Chloé Weber") == "CH-013"
    assert ANALYST.champion_label("CH-013", "Chloé Weber") == "CH-013"
    assert CHAMPION.champion_label("CH-013", "Chloé Weber") == "Chloé Weber (CH-013)"
    assert CHAMPION.champion_label("CH-034", "Nina Roux") == "CH-034"


def test_individual_survey_answers_by_role() -> None:
    assert [d.shows_survey_of("CH-013") for d in (VIEWER, ANALYST, CHAMPION, LEAD, ADMIN)] == [
        False, False, True, True, True]
    assert CHAMPION.shows_survey_of("CH-034") is False
    assert [d.waives_floor_for("CH-013") for d in (VIEWER, ANALYST, CHAMPION, LEAD, ADMIN)] == [
        False, False, True, False, False]  # the floor applies to the CAIO's office and admins too
    assert (VIEWER.shows_employee_ids, VIEWER.shows_individual_skills) == (False, False)
    assert (LEAD.shows_employee_ids, LEAD.shows_individual_skills) == (True, True)


def _result(kpi: str, champion: str | None, value: float | None, note: str | None = None) -> KpiResult:
    scope = Scope.CHAMPION if champion else Scope.ORG
    return KpiResult(kpi, "2026-Q3", scope, champion, value, 1, 4.0, 1.0, None, None,
                     Status.NO_DATA if value is None else Status.AMBER, 3.0, 5.0, False, note)


def test_survey_results_withhold_others_answers_and_show_a_champions_own_below_the_floor() -> None:
    floored = [_result("champion_satisfaction", None, 3.6), _result("champion_satisfaction", "CH-013", None,
                                                                      "fewer than 3 answers"),
               _result("champion_satisfaction", "CH-034", 4.5), _result("use_cases_per_champion", "CH-034", 2.0)]
    unfloored = [_result("champion_satisfaction", "CH-013", 4.0), _result("champion_satisfaction", "CH-034", 4.5)]

    viewer = disclosed.survey_results(floored, VIEWER, unfloored)
    assert [(r.value, r.previous, r.year_ago, r.numerator, r.status) for r in viewer] == [
        (3.6, 3.0, 5.0, 4.0, Status.AMBER),  # the organization's value: not an individual answer
        (None, None, None, None, Status.NO_DATA), (None, None, None, None, Status.NO_DATA),
        (2.0, 3.0, 5.0, 4.0, Status.AMBER)]  # not survey-based
    assert viewer[2].note == disclosed.NOT_SHOWN

    assert [r.value for r in disclosed.survey_results(floored, CHAMPION, unfloored)] == [3.6, 4.0, None, 2.0]
    assert [r.value for r in disclosed.survey_results(floored, LEAD, unfloored)] == [3.6, None, 4.5, 2.0]
    assert disclosed.survey_results(floored, LEAD, unfloored)[1].note == "fewer than 3 answers"


SPOF = pd.DataFrame({"skill": ["ai_ethics", "software_architecture"], "experts": [1, 0],
                     "expert_ids": [["E20008"], []], "roles": [["ml_engineer"], ["ai_architect"]],
                     "employees_requiring": [4, 2]})


def test_single_points_of_failure_name_employees_only_for_the_caios_office() -> None:
    lead = tables.single_points_of_failure(SPOF, LEAD)
    assert list(lead["Who"]) == ["E20008", "nobody"]
    viewer = tables.single_points_of_failure(SPOF, VIEWER)
    assert list(viewer.columns) == ["Skill", "Experts (level ≥ 3)", "Roles that need it", "People whose role needs it"]
    assert viewer.values.tolist() == [["ai ethics", 1, "ml engineer", 4],
                                      ["software architecture", 0, "ai architect", 2]]


def test_reconversion_paths_counted_without_the_people() -> None:
    paths = pd.DataFrame({
        "employee_id": ["E1", "E2", "E3"], "path": ["analyst_to_ds"] * 2 + ["pm_to_ai_pm"],
        "team_id": ["T1", "T1", "T2"], "status": ["completed", "in_progress", "in_progress"],
        "on_track": [True, False, True], "start_date": [date(2026, 1, 1)] * 3,
    })
    counted = tables.reconversion_path_counts(paths)
    assert counted.values.tolist() == [["analyst to ds", 2, 1, 1], ["pm to ai pm", 1, 0, 0]]
    assert "E1" not in counted.to_csv()


Q3 = Quarter.parse("2026-Q3")
EMPLOYEE = "E20008"  # sample_data/skills.csv: the only expert of ai ethics, a single point of failure
NAMES = ("Nina Keller", "Chloé Weber")  # champions of the sample's waiting use cases and of INS-UW


@pytest.fixture(scope="module")
def packs(sample_store: Store) -> dict[str, tuple[str, str]]:
    """The organization's pack (HTML text, XLSX cells as text) built for a viewer and for a lead."""
    source, view = StoreSource(sample_store, Settings()), ReviewScope(Q3)
    built = {}
    for name, disclosure in (("viewer", VIEWER), ("lead", LEAD)):
        html = outputs.html_file(source, sample_store, view, disclosure=disclosure).data.decode("utf-8")
        xlsx = outputs.xlsx_file(sample_store, view, Settings(), disclosure=disclosure).data
        book = openpyxl.load_workbook(io.BytesIO(xlsx))
        cells = "\n".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
        built[name] = (html, cells)
    return built


def test_a_viewers_pack_names_no_employee_and_no_champion(packs) -> None:
    html, cells = packs["viewer"]
    assert EMPLOYEE not in html and EMPLOYEE not in cells
    assert not any(name in html or name in cells for name in NAMES)
    assert "<td>CH-033</td>" in html and "CH-033" in cells  # the waiting use case still says whose it is
    assert "Who holds each skill is shown to the CAIO&#x27;s office." in html


def test_a_leads_pack_names_them(packs) -> None:
    html, cells = packs["lead"]
    assert f"<td>{EMPLOYEE}</td>" in html
    assert "<td>Nina Keller (CH-033)</td>" in html and "Nina Keller (CH-033)" in cells
