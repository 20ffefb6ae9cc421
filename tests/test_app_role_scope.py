"""A champion's locked scope and each role's review mode, packs and exports (issue 12, item 4): a champion
lands on their own team, a link naming another team shows their own team and says so (the other team's
name and values are never sent), a viewer gets the organization's pack only and no review mode, a champion
their own team's pack, an analyst everything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from app_support import all_text, open_signed_in, sign_in_as, use_sample_store, write_roles
from streamlit.testing.v1 import AppTest

ROLES = """contact = "caio-office@bank.example"
[[assign]]
email = "vera@bank.example"
role = "viewer"
[[assign]]
email = "julia@bank.example"
role = "champion"
champion_id = "CH-009"
[[assign]]
email = "ghost@bank.example"
role = "champion"
champion_id = "CH-999"
[[assign]]
email = "ana@bank.example"
role = "analyst"
"""


@pytest.fixture(autouse=True)
def roles_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_sample_store(tmp_path, monkeypatch)
    return write_roles(tmp_path / "roles.toml", ROLES, monkeypatch)


def _plain(markdown: str) -> str:
    """Markdown as it reads: escapes and word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def _page_links(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.get("page_link")]


def _pack_caption(at: AppTest) -> str:
    return next(str(c.value) for c in at.caption if "review for the" in str(c.value))


def test_a_champion_lands_on_their_own_team_with_the_organization_as_the_other_choice(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, "julia@bank.example")
    at = open_signed_in(roles_file)
    assert not at.exception
    assert [s.label for s in at.sidebar.selectbox] == ["Quarter", "Team"]  # no business unit to pick
    assert at.sidebar.selectbox(key="team").options == ["Claims Management", "Whole organization"]
    assert at.caption[0].value == r"**2026-Q3** · team Claims Management \(Insurance\)"
    assert not at.warning
    at.sidebar.selectbox(key="team").set_value("Whole organization").run()
    assert at.caption[0].value == "**2026-Q3** · whole organization"  # the organization scorecard


@pytest.mark.parametrize(("query", "named"), [({"team": "Underwriting"}, "another team"),
                                              ({"business_unit": "Insurance", "team": "Underwriting"},
                                               "a business unit")])
def test_a_champion_opening_another_teams_link_gets_their_own_team_and_a_sentence(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch, query: dict[str, str], named: str) -> None:
    sign_in_as(monkeypatch, "julia@bank.example")
    at = open_signed_in(roles_file, query)
    assert not at.exception
    assert at.caption[0].value == r"**2026-Q3** · team Claims Management \(Insurance\)"
    assert [w.value for w in at.warning] == [
        r"You can open your own team's views \(Claims Management\) and the organization's; the link named "
        f"{named}\\."]
    text = all_text(at)
    assert "Underwriting" not in text and "INS-UW" not in text
    assert "team" not in at.query_params and "business_unit" not in at.query_params
    at.run()  # the next click: the sentence has been said
    assert not at.warning


def test_a_champion_whose_team_is_not_in_the_data_sees_the_organization_and_whom_to_ask(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, "ghost@bank.example")
    at = open_signed_in(roles_file, {"team": "Underwriting"})
    assert not at.exception
    assert at.sidebar.selectbox(key="team").options == ["Whole organization"]
    assert at.caption[0].value == "**2026-Q3** · whole organization"
    assert "ask caio-office@bank.example." in _plain(at.warning[0].value)
    assert _downloads(at) == []  # no team of theirs: no pack


def test_a_champions_pack_is_their_own_teams_and_nothing_else_is_exported(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, "julia@bank.example")
    at = open_signed_in(roles_file, {"team": "Whole organization"})
    assert at.caption[0].value == "**2026-Q3** · whole organization"
    assert _downloads(at) == ["HTML", "XLSX", "CSV tables (zip)"]
    assert "team Claims Management (Insurance), the pack open to you" in _plain(_pack_caption(at))
    assert "Start review mode" not in _page_links(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/present.py")


def test_a_champion_picks_only_champions_of_their_own_team(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, "julia@bank.example")
    at = open_signed_in(roles_file, {"team": "Whole organization"}, page="pages/funnel.py")
    assert not at.exception
    offered = at.selectbox(key="champion").options[1:]  # CH-009, CH-010, CH-011 represent INS-CLM in 2026-Q3
    assert sorted(re.search(r"CH-\d+", o).group(0) for o in offered) == ["CH-009", "CH-010", "CH-011"]


def test_a_viewer_gets_the_organizations_pack_only_and_no_review_mode(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, "vera@bank.example")
    at = open_signed_in(roles_file, {"business_unit": "Insurance"})
    assert not at.exception
    assert at.caption[0].value == "**2026-Q3** · business unit Insurance"  # a viewer reads every team
    assert _downloads(at) == ["HTML", "XLSX", "CSV tables (zip)"]  # no scorecard CSV
    assert "whole organization, the pack open to you" in _plain(_pack_caption(at))
    assert "Start review mode" not in _page_links(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/present.py")


def test_an_analyst_has_review_mode_every_pack_and_the_exports(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, "ana@bank.example")
    at = open_signed_in(roles_file, {"business_unit": "Insurance"})
    assert not at.exception
    assert _downloads(at) == ["Download the 2026-Q3 scorecard: organization, Insurance and its teams (CSV)",
                              "HTML", "XLSX", "CSV tables (zip)"]
    assert "business unit Insurance, following the sidebar" in _plain(_pack_caption(at))
    assert "Start review mode" in _page_links(at)
    at.switch_page("pages/present.py").run()
    assert not at.exception
    assert at.title[0].value == "Review mode"
