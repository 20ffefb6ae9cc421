"""Sign-in (issue 12, items 1 and 3) in the app: with an [auth] section in the secrets, nobody sees data
before signing in; a signed-in person's rights come from the roles file, read on every run; someone
without a role sees the contact; an invalid roles file lets nobody in."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit.testing.v1.app_test as app_test_module
from app_support import (
    APP,
    AUTH,
    TIMEOUT,
    all_text,
    open_signed_in,
    popover_labels,
    sign_in_as,
    use_sample_store,
    with_sign_in,
    write_roles,
)
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from dashboard import access, routing, state

ROLES = """contact = "caio-office@bank.example"
[[assign]]
email = "Vera@Bank.example"
role = "viewer"
[[assign]]
group = "dashboard-admins"
role = "admin"
"""


@pytest.fixture(autouse=True)
def roles_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    use_sample_store(tmp_path, monkeypatch)
    return write_roles(tmp_path / "roles.toml", ROLES, monkeypatch)


def test_not_signed_in_shows_only_the_sign_in_page_and_reads_no_data(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, None)
    monkeypatch.setattr(state, "data_state", lambda: pytest.fail("data read before sign-in"))
    at = open_signed_in(roles_file)
    assert not at.exception
    assert [t.value for t in at.title] == [access.PRODUCT_NAME]
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Quarterly review" not in all_text(at)


def test_a_viewer_reads_without_data_settings_or_record_buttons(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "email": "vera@bank.example"})
    at = open_signed_in(roles_file)
    assert not at.exception
    assert at.title[0].value == "Quarterly review"
    captions = [re.sub(r"\\(.)", r"\1", str(c.value)).replace("\u2060", "") for c in at.sidebar.caption]
    assert ":material/computer: Signed in as vera@bank.example · viewer" in captions
    assert "Sign out" in [b.label for b in at.sidebar.button]
    assert "Record a decision" not in popover_labels(at)
    sample_note = next(i.value for i in at.info if "sample data" in i.value)
    assert "loaded by an analyst or an admin" in sample_note  # not a command they cannot run
    assert "python -m aiorg_metrics" not in sample_note
    for absent in ("pages/data.py", "pages/settings.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(absent)


def test_an_admin_by_group_has_every_page_and_is_the_author(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "email": "ada@bank.example", "groups": ["dashboard-admins"]})
    at = open_signed_in(roles_file)
    assert not at.exception
    assert "Record a decision" in popover_labels(at)
    monkeypatch.setattr(access, "auth_configured", lambda: True)
    assert access.author() == "ada@bank.example"  # what imports, undo, settings and decisions record
    at.switch_page("pages/settings.py").run()
    assert at.title[0].value == "Settings"


def test_a_role_removed_from_the_file_takes_effect_at_the_next_run(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "email": "vera@bank.example"})
    at = open_signed_in(roles_file)
    assert at.title[0].value == "Quarterly review"
    roles_file.write_text('contact = "caio-office@bank.example"\n', encoding="utf-8")
    at.run()
    assert [t.value for t in at.title] == [access.PRODUCT_NAME]
    assert "caio-office@bank.example" in at.info[0].value


def test_someone_without_a_role_sees_the_contact_and_can_sign_out(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "email": "nobody@bank.example"})
    monkeypatch.setattr(state, "data_state", lambda: pytest.fail("data read without a role"))
    at = open_signed_in(roles_file)
    assert not at.exception
    assert "no role on this dashboard" in at.info[0].value
    assert "contact caio-office@bank.example" in at.info[0].value
    assert [b.label for b in at.button] == ["Sign out"]


def test_an_invalid_roles_file_lets_nobody_in(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    roles_file.write_text(ROLES.replace('role = "viewer"', 'role = "boss"'), encoding="utf-8")
    sign_in_as(monkeypatch, {"is_logged_in": True, "email": "ada@bank.example", "groups": ["dashboard-admins"]})
    monkeypatch.setattr(state, "data_state", lambda: pytest.fail("data read with an invalid roles file"))
    at = open_signed_in(roles_file)
    assert not at.exception
    assert at.error[0].value == access.MISCONFIGURED
    assert "role 'boss' is not one of" in caplog.text


def test_local_mode_without_secrets_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not access.auth_configured()
    assert access.author() == access.current_user()


def _deep_link_on_a_fresh_server(roles_path: Path, page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """`page` opened by URL as a fresh server's first request: the page script runs without app.py."""
    monkeypatch.setattr(app_test_module, "PagesManager", PagesManager)  # each run as a fresh server's first
    at = with_sign_in(AppTest.from_file(str(APP), default_timeout=TIMEOUT), roles_path)
    at.switch_page(page).run()
    return at


def test_a_first_deep_link_not_signed_in_shows_the_sign_in_page(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, None)
    monkeypatch.setattr(state, "data_state", lambda: pytest.fail("data read before sign-in"))
    at = _deep_link_on_a_fresh_server(roles_file, "pages/data.py", monkeypatch)
    assert not at.exception
    assert [t.value for t in at.title] == [access.PRODUCT_NAME]
    assert [b.label for b in at.button] == ["Sign in"]
    assert list(at.error) == []  # not "This page is not open to you"


def test_a_first_deep_link_signed_in_to_a_page_the_role_may_not_open_is_refused(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, {"is_logged_in": True, "email": "vera@bank.example"})
    monkeypatch.setattr(state, "data_state", lambda: pytest.fail("data read on a refused page"))
    at = _deep_link_on_a_fresh_server(roles_file, "pages/data.py", monkeypatch)
    assert not at.exception
    assert access.PAGE_REFUSED in at.error[0].value
    assert [b.label for b in at.button] == []


def _navigations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The `position` of each `st.navigation` call from now on (Streamlit's legacy list of pages/ is not one)."""
    calls: list[str] = []
    real = routing.st.navigation

    def recorded(pages, *, position="sidebar", **kwargs):
        calls.append(position)
        return real(pages, position=position, **kwargs)

    monkeypatch.setattr(routing.st, "navigation", recorded)
    return calls


def test_the_sign_in_page_lists_no_pages(roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, None)
    navigations = _navigations(monkeypatch)
    at = open_signed_in(roles_file)
    assert [b.label for b in at.button] == ["Sign in"]
    assert navigations == ["hidden"]


def test_a_first_deep_link_to_the_sign_in_page_lists_no_pages_and_leaves_the_legacy_mode(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, None)
    navigations = _navigations(monkeypatch)
    at = _deep_link_on_a_fresh_server(roles_file, "pages/settings.py", monkeypatch)
    assert [b.label for b in at.button] == ["Sign in"]
    assert navigations == ["hidden"]  # replaces Streamlit's list of every file of pages/
    assert PagesManager.uses_pages_directory is False


def test_a_roles_file_broken_mid_session_drops_the_former_navigation(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sign_in_as(monkeypatch, "vera@bank.example")
    navigations = _navigations(monkeypatch)
    at = open_signed_in(roles_file)
    assert navigations == ["sidebar"]
    roles_file.write_text("contact = ", encoding="utf-8")
    at.run()
    assert at.error[0].value == access.MISCONFIGURED
    assert navigations == ["sidebar", "hidden"]
    roles_file.write_text(ROLES, encoding="utf-8")
    sign_in_as(monkeypatch, "nobody@bank.example")  # signed in, no role: the no-access page
    at.run()
    assert "no role on this dashboard yet" in at.info[0].value
    assert navigations == ["sidebar", "hidden", "hidden"]


@pytest.mark.parametrize(
    ("auth", "missing"),
    [
        ({}, "redirect_uri, cookie_secret, client_id, client_secret, server_metadata_url"),
        ({**AUTH, "client_secret": " "}, "client_secret"),
        ({key: value for key, value in AUTH.items() if key != "server_metadata_url"}, "server_metadata_url"),
    ],
)
def test_an_incomplete_auth_section_is_misconfigured_without_a_sign_in_button(
        roles_file: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        auth: dict[str, str], missing: str) -> None:
    sign_in_as(monkeypatch, None)
    monkeypatch.setattr(state, "data_state", lambda: pytest.fail("data read with sign-in misconfigured"))
    navigations = _navigations(monkeypatch)
    at = with_sign_in(AppTest.from_file(str(APP), default_timeout=TIMEOUT), roles_file)
    at.secrets["auth"] = auth
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [access.MISCONFIGURED]
    assert [b.label for b in at.button] == []
    assert f"Sign-in refused: the [auth] section of the secrets lacks {missing}" in caplog.text
    assert navigations == ["hidden"]
