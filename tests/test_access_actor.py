"""The engine's writes check the actor's role themselves (issue 12, item 5): a viewer's import, undo,
saved mapping, settings save and decision add raise AccessDenied and change nothing; a lead edits
the decisions they recorded and no other; an admin edits any; the author recorded is the actor's name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aiorg_metrics.access.actor import AccessDenied, roles_granting
from aiorg_metrics.access.permissions import Permission, Role
from aiorg_metrics.analysis import decision_spool as spool
from aiorg_metrics.analysis import decisions
from aiorg_metrics.ingestion import mappings
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes, undo_latest
from aiorg_metrics.kpi.settings import Settings, reset_settings, save_settings
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN, holding
from tests.ingest_helpers import TEAMS, load

VIEWER = holding("vera@bank.example", Role.VIEWER)
CHAMPION = holding("chad@bank.example", Role.CHAMPION)
ANALYST = holding("ana@bank.example", Role.ANALYST)
LEAD = holding("lea@bank.example", Role.LEAD)
OTHER_LEAD = holding("leo@bank.example", Role.LEAD)
BOSS = holding("ada@bank.example", Role.ADMIN)
MORE_TEAMS = TEAMS + "B3,Mortgages,Retail,business,50,1\n"
DECISION = {"quarter": "2026-Q2", "kpi": "adoption_rate", "scope": "business_unit:Insurance",
            "owner": "Head of Insurance", "due": "2026-Q3", "text": "Train the claims teams"}


def _counts(store: Store) -> tuple[int, int]:
    """(team rows, import-log rows)."""
    with store.reading() as cur:
        return (cur.execute("SELECT count(*) FROM teams").fetchall()[0][0],
                cur.execute("SELECT count(*) FROM import_log").fetchall()[0][0])


def _decision_rows(store: Store) -> tuple[int, int]:
    """(decisions, revisions)."""
    with store.reading() as cur:
        return (cur.execute("SELECT count(*) FROM decisions").fetchall()[0][0],
                cur.execute("SELECT count(*) FROM decision_history").fetchall()[0][0])


@pytest.fixture
def teams_store(store: Store) -> Store:
    load(store, TEAMS, "teams.csv")
    return store


@pytest.fixture
def sample_copy(sample_store: Store, tmp_path: Path) -> Store:
    target = tmp_path / "aiorg.duckdb"
    shutil.copyfile(sample_store.path, target)
    return Store(target)


def test_the_refusal_names_who_what_and_the_roles_that_may():
    with pytest.raises(AccessDenied) as refused:
        VIEWER.require(Permission.DATA_PAGE)
    assert str(refused.value) == ("vera@bank.example may not change the data (imports, undo, saved mappings): it "
                                  "needs the analyst or admin role. Nothing was changed.")
    assert roles_granting(Permission.SETTINGS_ROLES_AND_PATHS) == (Role.ADMIN,)
    assert roles_granting(Permission.DECISIONS_ADD) == (Role.LEAD, Role.ADMIN)


@pytest.mark.parametrize("actor", [VIEWER, CHAMPION, LEAD], ids=["viewer", "champion", "lead"])
def test_an_import_without_the_data_right_changes_nothing(teams_store, actor):
    assert _counts(teams_store) == (4, 1)
    with pytest.raises(AccessDenied):
        import_bytes(teams_store, MORE_TEAMS.encode(), "teams.csv", ImportOptions(), actor=actor)
    with pytest.raises(AccessDenied):
        import_bytes(teams_store, MORE_TEAMS.encode(), "teams.csv", ImportOptions(mode="replace"), actor=actor)
    assert _counts(teams_store) == (4, 1)  # not even a log row


def test_an_analyst_imports_and_is_recorded_as_its_author(teams_store):
    report = import_bytes(teams_store, MORE_TEAMS.encode(), "teams.csv", ImportOptions(), actor=ANALYST)
    assert (report.inserted, _counts(teams_store)) == (1, (5, 2))
    with teams_store.reading() as cur:
        assert cur.execute("SELECT user_name FROM import_log ORDER BY import_id").fetchall() == [
            (ADMIN.name,), ("ana@bank.example",)]


def test_a_viewer_cannot_undo(teams_store):
    load(teams_store, MORE_TEAMS, "teams.csv")
    assert _counts(teams_store) == (5, 2)
    with pytest.raises(AccessDenied):
        undo_latest(teams_store, actor=VIEWER)
    assert _counts(teams_store) == (5, 2)
    assert undo_latest(teams_store, actor=BOSS) == "Undid import #2 (teams, teams.csv)."
    assert _counts(teams_store) == (4, 3)


def test_a_viewer_cannot_save_a_mapping(teams_store):
    mapping = mappings.SavedMapping("Jira", "teams", {"team_id": "team_id"})
    with pytest.raises(AccessDenied):
        mappings.save_mapping(teams_store.path, mapping, actor=VIEWER)
    assert not mappings.mappings_path(teams_store.path).exists()


def test_only_an_admin_saves_or_resets_the_settings(tmp_path):
    path = tmp_path / "aiorg.toml"
    for actor in (VIEWER, ANALYST, LEAD):
        with pytest.raises(AccessDenied, match="may not change the settings: it needs the admin role"):
            save_settings(path, Settings(maturity=5), actor=actor)
        with pytest.raises(AccessDenied):
            reset_settings(path, actor=actor)
    assert not path.exists()
    saved = save_settings(path, Settings(maturity=5), actor=BOSS)
    assert (saved.maturity, saved.saved.by) == (5, "ada@bank.example")
    before = path.read_text(encoding="utf-8")
    with pytest.raises(AccessDenied):
        save_settings(path, Settings(maturity=1), actor=VIEWER)
    assert path.read_text(encoding="utf-8") == before


def test_a_viewer_or_an_analyst_cannot_add_or_keep_a_decision(sample_copy):
    assert _decision_rows(sample_copy) == (0, 0)
    for actor in (VIEWER, ANALYST, CHAMPION):
        with pytest.raises(AccessDenied, match="may not add a decision: it needs the lead or admin role"):
            decisions.add(sample_copy, **DECISION, actor=actor)
        with pytest.raises(AccessDenied):
            spool.keep(sample_copy.path, DECISION, "token-1", actor=actor)
    assert _decision_rows(sample_copy) == (0, 0)
    assert spool.pending(sample_copy.path) == []


def test_a_lead_edits_their_own_decision_not_another_leads(sample_copy):
    own = decisions.add(sample_copy, **DECISION, actor=LEAD)
    theirs = decisions.add(sample_copy, **DECISION | {"text": "Open a clinic"}, actor=OTHER_LEAD)
    assert (own.created_by, theirs.created_by) == ("lea@bank.example", "leo@bank.example")
    edited = decisions.update(sample_copy, own.id, {"owner": "COO"}, actor=LEAD)
    assert (edited.current.owner, edited.current.changed_by) == ("COO", "lea@bank.example")
    with pytest.raises(AccessDenied) as refused:
        decisions.update(sample_copy, theirs.id, {"owner": "COO"}, actor=LEAD)
    assert str(refused.value) == ("lea@bank.example may edit only the decisions they recorded; this one was "
                                  "recorded by leo@bank.example. Nothing was changed.")
    with pytest.raises(AccessDenied):
        decisions.update(sample_copy, own.id, {"status": "done"}, actor=ANALYST)
    assert _decision_rows(sample_copy) == (2, 3)
    assert decisions.get(sample_copy, theirs.id).current.owner == "Head of Insurance"


def test_an_admin_edits_any_decision(sample_copy):
    theirs = decisions.add(sample_copy, **DECISION, actor=LEAD)
    edited = decisions.update(sample_copy, theirs.id, {"status": "done"}, actor=BOSS)
    assert (edited.current.status, edited.current.changed_by, edited.created_by) == (
        "done", "ada@bank.example", "lea@bank.example")
    assert _decision_rows(sample_copy) == (1, 2)
