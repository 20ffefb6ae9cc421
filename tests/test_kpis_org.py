"""Organization KPIs (teams data, undated) on tiny hand-built stores; expected values by hand.

A dated row is added to each store so that the quarter is covered by data.
"""

import pytest
from kpi_fixtures import TEAMS, activity, make_store, result, results

from aiorg_metrics.kpi.settings import Settings, parse_settings
from aiorg_metrics.kpi.status import Status

Q = "2026-Q1"
DATED = [activity("2025-12-01", "C1", "T1"), activity("2026-02-01", "C1", "T1")]


def team(team_id: str, bu: str, kind: str, headcount: int, ai_staff: int) -> dict:
    return {"team_id": team_id, "team_name": team_id, "business_unit": bu, "team_kind": kind,
            "headcount": headcount, "ai_staff": ai_staff}


SPOKES = [
    team("SP2", "Insurance", "ai_spoke", 3, 1),  # below 2-5
    team("SP3", "Insurance", "ai_spoke", 5, 5),  # band's upper edge
    team("SP4", "Insurance", "ai_spoke", 2, 2),  # band's lower edge
]


@pytest.fixture(scope="module")
def spokes(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("spokes"), teams=TEAMS + SPOKES, champion_activity=DATED)


def test_spoke_staffing_under_hub_and_spoke(spokes):
    rows = results(spokes, Q, by="business_unit", kpi="spoke_staffing")
    org = rows[("spoke_staffing", "org")]
    assert (org.value, org.n, org.numerator, org.denominator) == (0.75, 4, 3, 4)  # SP1 (3), SP3, SP4 in 2-5
    assert (org.status, org.previous, org.year_ago) == (Status.RED, None, None)  # teams are undated
    assert rows[("spoke_staffing", "business_unit:Retail")].value == 1.0
    insurance = rows[("spoke_staffing", "business_unit:Insurance")]
    assert (insurance.value, insurance.status) == (pytest.approx(2 / 3), Status.RED)
    assert rows[("spoke_staffing", "business_unit:Group")].status is Status.NO_DATA


def test_spoke_staffing_under_the_federated_model(spokes):
    r = result(spokes, "spoke_staffing", Q, settings=Settings(declared_model="federated"))
    assert (r.value, r.numerator) == (0.25, 1)  # only SP3 has 5-15


def test_spoke_staffing_without_a_band_is_info(spokes):
    r = result(spokes, "spoke_staffing", Q, settings=Settings(declared_model="centralized"))
    assert (r.value, r.n, r.target, r.status) == (None, 4, None, Status.INFO)
    assert r.note == "the guide gives no spoke size for the centralized model"


def test_hub_size_has_no_target_under_hub_and_spoke(tmp_path):
    store = make_store(tmp_path, champion_activity=DATED)
    r = result(store, "hub_size", Q)
    assert (r.value, r.n, r.target, r.target_source, r.status) == (12, 1, None, None, Status.INFO)
    assert r.note == "no target under the hub & spoke model"


@pytest.mark.parametrize(
    ("headcounts", "value", "status"),
    [((15,), 15, Status.GREEN), ((12, 4), 16, Status.AMBER), ((20,), 20, Status.AMBER), ((12, 9), 21, Status.RED)],
)
def test_hub_size_under_the_centralized_model(tmp_path, headcounts, value, status):
    hubs = [team(f"HUB{i}", "Group", "ai_hub", h, 1) for i, h in enumerate(headcounts)]
    store = make_store(tmp_path, teams=[*TEAMS[:3], *hubs], champion_activity=DATED)
    r = result(store, "hub_size", Q)  # a staffed hub and no spoke: inferred centralized
    assert (r.value, r.status) == (value, status)
    assert r.target.as_dict() == {"min": None, "max": 15, "strict_min": False}


def test_hub_size_zero_without_hub_and_no_data_without_teams(tmp_path):
    store = make_store(tmp_path, teams=TEAMS[:3], champion_activity=DATED)
    r = result(store, "hub_size", Q, settings=Settings(declared_model="centralized"))
    assert (r.value, r.n, r.status) == (0, 0, Status.GREEN)
    empty = make_store(tmp_path / "b", teams=[], champion_activity=DATED)
    assert result(empty, "hub_size", Q).status is Status.NO_DATA


def test_hub_size_override_keeps_the_fixed_amber_zone(tmp_path):
    store = make_store(tmp_path, champion_activity=DATED)
    settings = parse_settings({"declared_model": "centralized", "targets": {"hub_size": {"max": 10}}})
    r = result(store, "hub_size", Q, settings=settings)
    assert (r.value, r.status, r.target_source.value) == (12, Status.AMBER, "override")


def test_shadow_ai_teams(tmp_path):
    teams = [dict(TEAMS[0], ai_staff=2), *TEAMS[1:]]
    store = make_store(tmp_path, teams=teams, champion_activity=DATED)
    rows = results(store, Q, by="business_unit", kpi="shadow_ai_teams")
    org = rows[("shadow_ai_teams", "org")]
    assert (org.value, org.n, org.numerator, org.status) == (1, 3, None, Status.RED)  # max 0: no amber
    assert org.target.as_dict() == {"min": None, "max": 0, "strict_min": False}
    assert rows[("shadow_ai_teams", "business_unit:Retail")].value == 1
    insurance = rows[("shadow_ai_teams", "business_unit:Insurance")]
    assert (insurance.value, insurance.status) == (0, Status.GREEN)


def test_shadow_ai_teams_has_no_target_under_the_federated_model(tmp_path):
    store = make_store(tmp_path, champion_activity=DATED)
    r = result(store, "shadow_ai_teams", Q, settings=Settings(declared_model="federated"))
    assert (r.value, r.target, r.status, r.note) == (0, None, Status.INFO, "no target under the federated model")


def test_shadow_ai_teams_no_data_without_teams(tmp_path):
    store = make_store(tmp_path, teams=[], champion_activity=DATED)
    r = result(store, "shadow_ai_teams", Q)
    assert (r.value, r.status) == (None, Status.NO_DATA)
