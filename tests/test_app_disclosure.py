"""Person-level data never sent to roles that may not see it (issue 12, item 5), in the app: signed in as each
role, what the review (with its drill-down), the Skills page and the funnel's champion view send — every
element of the page, data frames and charts included, searched as the bytes the browser receives."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from app_support import cards, open_signed_in, sign_in_as, use_sample_store, write_roles
from streamlit.testing.v1 import AppTest

from aiorg_metrics.display.disclosed import NOT_SHOWN

ROLES = """contact = "caio-office@bank.example"
[[assign]]
email = "viewer@bank.example"
role = "viewer"
[[assign]]
email = "chloe.weber@bank.example"
role = "champion"
champion_id = "CH-013"
[[assign]]
email = "analyst@bank.example"
role = "analyst"
[[assign]]
email = "lead@bank.example"
role = "lead"
[[assign]]
email = "admin@bank.example"
role = "admin"
"""
EMAILS = {"viewer": "viewer@bank.example", "champion": "chloe.weber@bank.example", "analyst": "analyst@bank.example",
          "lead": "lead@bank.example", "admin": "admin@bank.example"}
EMPLOYEE = "E20008"  # sample_data/skills.csv: the only expert of ai ethics (a single point of failure)
ON_A_PATH = "E40015"  # sample_data/training_spend.csv: a reconversion path (pm to ai pm)
OWN, OTHER = "Chloé Weber", "Nina Roux"  # CH-013 and CH-034, both of INS-UW
SATISFACTION = "Champion satisfaction (survey)"


def _sent(at: AppTest) -> bytes:
    """Every element of the page as sent to the browser (its protobuf bytes), joined."""
    found: list[bytes] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(proto.SerializeToString())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return b"\n".join(found)


def _open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, role: str, page: str | None = None,
          query: dict[str, str] | None = None) -> AppTest:
    sign_in_as(monkeypatch, EMAILS[role])
    at = open_signed_in(write_roles(tmp_path / "roles.toml", ROLES, monkeypatch), query, page)
    assert not at.exception
    return at


@pytest.fixture(autouse=True)
def _sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_sample_store(tmp_path, monkeypatch)


@pytest.mark.parametrize("role", ["viewer", "champion", "analyst", "lead", "admin"])
def test_the_skills_page_sends_employee_ids_only_to_the_caios_office(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, role: str) -> None:
    at = _open(tmp_path, monkeypatch, role, "pages/skills.py")
    sent = _sent(at)
    assert at.subheader[0].value == "Skill gaps by role"
    if role in ("lead", "admin"):
        assert EMPLOYEE.encode() in sent and ON_A_PATH.encode() in sent
        assert "Who" in at.dataframe[0].value.columns
    else:
        assert EMPLOYEE.encode() not in sent and ON_A_PATH.encode() not in sent
        assert b"E2000" not in sent and b"E4000" not in sent  # no employee id at all
        assert "Who holds each skill is shown to the CAIO's office." in [c.value for c in at.caption]
        counted = at.dataframe[-1].value
        assert list(counted.columns) == ["Path", "People", "Completed", "Beyond the guide's max"]
        # the sample's 21 reconversion paths, counted; a champion's page is locked to their team (INS-UW: 1)
        assert int(counted["People"].sum()) == (1 if role == "champion" else 21)


def _review_then_funnel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, role: str) -> tuple[bytes, AppTest]:
    """What the review of team INS-UW sends (its drill-down included), then its funnel page with the champion
    view of CH-013 opened by its id."""
    at = _open(tmp_path, monkeypatch, role, query={"champion": "CH-013", "team": "INS-UW"})
    assert at.title[0].value == "Quarterly review"
    review = _sent(at)
    assert b"drill-down" in review
    assert EMPLOYEE.encode() not in review and OWN.encode() not in review and OTHER.encode() not in review
    return review, at.switch_page("pages/funnel.py").run()


def test_a_viewer_gets_champion_ids_and_no_survey_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, at = _review_then_funnel(tmp_path, monkeypatch, "viewer")  # an analyst's Disclosure is a viewer's
    sent = _sent(at)
    assert OWN.encode() not in sent and OTHER.encode() not in sent
    assert at.selectbox(key="champion").value == "CH-013"
    assert "CH-034" in at.selectbox(key="champion").options
    assert html.escape(NOT_SHOWN) in cards(at)[SATISFACTION]


def test_a_champion_gets_their_own_name_and_answer_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, at = _review_then_funnel(tmp_path, monkeypatch, "champion")
    sent = _sent(at)
    assert OWN.encode() in sent and OTHER.encode() not in sent
    assert at.selectbox(key="champion").value == "Chloé Weber (CH-013)"
    assert "CH-034" in at.selectbox(key="champion").options
    card = cards(at)[SATISFACTION]
    assert "4.0" in card  # one answer in the quarter, below the floor: shown, as it is their own
    assert html.escape(NOT_SHOWN) not in card and "fewer than 3 answers" not in card


def test_a_lead_gets_every_name_and_answers_above_the_floor_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, at = _review_then_funnel(tmp_path, monkeypatch, "lead")  # an admin's Disclosure is a lead's
    sent = _sent(at)
    assert OWN.encode() in sent and OTHER.encode() in sent
    assert at.selectbox(key="champion").value == "Chloé Weber (CH-013)"
    assert "fewer than 3 answers" in cards(at)[SATISFACTION]  # one answer in the quarter: below the floor
