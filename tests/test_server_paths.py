"""Server paths are for admins only (issue 12's table: "settings, roles, server paths"): the engine's messages
worded without their paths for everyone else, and the Settings page's read-only Roles section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_support import APP, TIMEOUT, all_text, dataframes, open_signed_in, sign_in_as, use_sample_store, write_roles
from streamlit.testing.v1 import AppTest

from aiorg_metrics.access.roles import load_roles
from aiorg_metrics.access.server_paths import without_paths
from aiorg_metrics.display.roles_view import assignments_frame
from aiorg_metrics.ingestion.mappings import read_saved
from aiorg_metrics.report.pdf import INSTALL_LINE, ChromiumMissing
from aiorg_metrics.store.connection import read_only_message
from tests.conftest import ROOT

ROLES = """contact = "caio-office@bank.example"
[[assign]]
email = "vera@bank.example"
role = "viewer"
[[assign]]
group = "dashboard-admins"
role = "admin"
[[assign]]
email = "nina@bank.example"
role = "champion"
team_id = "RB-DIG"
"""


def test_the_stores_messages_lose_their_path():
    assert without_paths(read_only_message(Path("/srv/aiorg/data/aiorg.duckdb"))) == (
        "The store is read-only (this user cannot write the file or its folder): nothing was changed. To import, "
        "undo or save, make the file and its folder writable, or ask whoever manages them.")
    assert without_paths("There is no store at /srv/x/aiorg.duckdb, and its folder is read-only") == (
        "There is no store on the server, and its folder is read-only")
    assert without_paths("The store /srv/x/a.duckdb needs an upgrade, but its backup /srv/x/a.duckdb.bak could not "
                         "be written") == "The store needs an upgrade, but its backup could not be written"


def test_chromiums_install_message_loses_its_path_and_keeps_its_sentences():
    assert without_paths(str(ChromiumMissing(Path("/usr/bin/chromium")))) == (
        f"The PDF needs the Chromium browser, which is not installed on the server. Install it with `{INSTALL_LINE}` "
        "(or set $AIORG_CHROMIUM to a Chromium executable). The HTML and XLSX packs work without it.")


def test_a_broken_mappings_file_is_named_without_its_path(tmp_path: Path):
    (tmp_path / "mappings.toml").write_text("[mappings\n", encoding="utf-8")
    problem = read_saved(tmp_path / "aiorg.duckdb").problems[""]
    assert str(tmp_path) in problem
    assert str(tmp_path) not in without_paths(problem)
    assert without_paths(problem).startswith("The saved column mappings cannot be used: not valid TOML")


def test_paths_with_spaces_given_explicitly_and_text_without_paths_are_kept():
    assert without_paths("The store /home/me/My Data/a.duckdb is read-only", "/home/me/My Data/a.duckdb") == (
        "The store is read-only")
    assert without_paths("see https://example.com/a/b, and/or a 1 / 2 ratio") == (
        "see https://example.com/a/b, and/or a 1 / 2 ratio")


def test_the_assignments_table_of_the_example_roles_file():
    frame = assignments_frame(load_roles(ROOT / "docs" / "roles.example.toml"))
    assert frame.to_dict("split")["data"] == [
        ["group: aiorg-readers", "viewer", ""],
        ["nina.keller@bank.example", "champion", "champion CH-033"],
        ["marc.weber@bank.example", "champion", "team RB-DIG"],
        ["data.office@bank.example", "analyst", ""],
        ["group: caio-office", "lead", ""],
        ["it.admin@bank.example", "admin", ""],
    ]


# --- in the app -----------------------------------------------------------------------------------------


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = use_sample_store(tmp_path, monkeypatch)
    (db.parent / "aiorg.toml").write_text("maturity = 9\n", encoding="utf-8")  # out of bounds: the header warns
    write_roles(tmp_path / "roles.toml", ROLES, monkeypatch)
    return db.parent


def _signed_in(monkeypatch: pytest.MonkeyPatch, store_dir: Path, claims: dict[str, Any]) -> AppTest:
    sign_in_as(monkeypatch, claims)
    return open_signed_in(store_dir / "roles.toml")


def test_a_viewer_sees_no_server_path(store_dir: Path, monkeypatch: pytest.MonkeyPatch):
    at = _signed_in(monkeypatch, store_dir, {"is_logged_in": True, "email": "vera@bank.example"})
    assert not at.exception
    text = all_text(at)
    assert "The settings file could not be used, so the guide's targets and the default settings apply. An admin " \
           "can see why on the Settings page." in text
    assert "loaded by an analyst or an admin" in text  # the sample note: no command, no --db <path>
    assert "--db" not in text
    assert str(store_dir) not in text


def test_an_admin_sees_the_paths_and_the_roles_in_use(store_dir: Path, monkeypatch: pytest.MonkeyPatch):
    at = _signed_in(monkeypatch, store_dir,
                    {"is_logged_in": True, "email": "ada@bank.example", "groups": ["dashboard-admins"]})
    assert f"--db {store_dir / 'aiorg.duckdb'}" in all_text(at)
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    text = all_text(at)
    assert str(store_dir / "aiorg.toml") in text  # the settings problem, then the file's line
    assert [s.value for s in at.subheader][-1] == "Roles"
    assert f"Roles file {store_dir / 'roles.toml'} · valid · contact: caio-office@bank.example" in text
    assert dataframes(at)[-1].to_dict("split")["data"] == [
        ["vera@bank.example", "viewer", ""], ["group: dashboard-admins", "admin", ""],
        ["nina@bank.example", "champion", "team RB-DIG"]]
    assert "Roles are given in the roles file on the server, not on this page" in text


def test_local_mode_names_each_faulty_entry_of_the_roles_file(store_dir: Path, monkeypatch: pytest.MonkeyPatch):
    (store_dir / "roles.toml").write_text(ROLES.replace('role = "viewer"', 'role = "boss"'), encoding="utf-8")
    monkeypatch.setenv("AIORG_ROLES", str(store_dir / "roles.toml"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception
    refusal = at.error[-1].value.replace("\\", "").replace("\u2060", "")  # md()'s escapes and word joiners
    assert f"The roles file {store_dir / 'roles.toml'} is not valid" in refusal
    assert "assign #1 (email vera@bank.example): role 'boss' is not one of viewer, champion, analyst, lead, " \
           "admin" in refusal
    assert "Sign-in is not configured: the dashboard runs in local mode" in all_text(at)
