"""A store whose file or folder cannot be written: read commands and pages work, changes are refused.

As root, file permissions are ignored by the kernel, so the CLI runs in a subprocess without the
capabilities that bypass them (setpriv; where it is missing, the same prctl call from Python).
In-process (AppTest, the store API) the store's own rule applies: a file or folder without write
bits is read-only even for root.
"""

from __future__ import annotations

import ctypes
import hashlib
import html
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from app_support import all_text, copy_sample_store, open_app, use_store

from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes, undo_latest
from aiorg_metrics.kpi.settings import Settings, SettingsError, save_settings
from aiorg_metrics.store.connection import Store, StoreReadOnlyError
from tests.actors import ADMIN, trusted
from tests.conftest import ROOT
from tests.ingest_helpers import TEAMS

DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
PR_CAPBSET_DROP = 24
DAC_CAPABILITIES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
READ_ONLY_FILE = 0o444
READ_ONLY_FOLDER = 0o555
PAGES = ["pages/review.py", "pages/hub_spoke.py", "pages/funnel.py", "pages/skills.py", "pages/glossary.py",
         "pages/data.py", "pages/settings.py"]


def _drop_capabilities() -> None:
    """What setpriv does: drop from the bounding set the capabilities that bypass file permissions, so
    that root's next program runs without them (prctl PR_CAPBSET_DROP)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in DAC_CAPABILITIES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _as_unprivileged() -> tuple[list[str], Callable[[], None] | None]:
    """A command prefix and a pre-exec hook that run a subprocess without the right to ignore permissions."""
    if os.geteuid() != 0:
        return [], None
    if shutil.which("setpriv"):
        return DROP, None
    return [], _drop_capabilities  # no setpriv (a slim image): the same system call from Python


def cli(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m aiorg_metrics ARGS` (or `python -c CODE`) run unprivileged."""
    prefix, hook = _as_unprivileged()
    python = [sys.executable, "-c", code] if code else [sys.executable, "-m", "aiorg_metrics"]
    return subprocess.run([*prefix, *python, *args], capture_output=True, text=True, cwd=ROOT, preexec_fn=hook,
                          timeout=60)


def _plain(shown: str) -> str:
    """Text as a reader sees it (ui.md's escapes and word joiners undone)."""
    return html.unescape(re.sub(r"\\(.)", r"\1", shown)).replace("\u2060", "")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder for the store, removed afterwards (its mode is changed by the tests)."""
    path = Path(tempfile.mkdtemp(prefix="aiorg-ro-"))
    path.chmod(0o755)
    yield path
    path.chmod(0o755)
    shutil.rmtree(path)


@pytest.fixture(params=["file", "folder"])
def read_only_store(request: pytest.FixtureRequest, folder: Path) -> Path:
    """The sample store, with its file (or its folder) made read-only."""
    db = copy_sample_store(folder)
    db.chmod(0o644)
    if request.param == "file":
        db.chmod(READ_ONLY_FILE)
    else:
        folder.chmod(READ_ONLY_FOLDER)
    return db


def test_read_commands_work_on_a_read_only_store(read_only_store):
    before = _digest(read_only_store)
    kpis = cli("kpis", "--db", str(read_only_store), "--quarter", "2026-Q2", "--format", "json")
    assert (kpis.returncode, kpis.stderr) == (0, "")
    assert '"kpi": "champions_per_business_team"' in kpis.stdout
    history = cli("history", "--db", str(read_only_store))
    assert (history.returncode, history.stderr) == (0, "")
    assert "teams.csv" in history.stdout
    for command in (["funnel", "--quarter", "2026-Q2"], ["advisor", "--quarter", "2026-Q2"], ["skills"]):
        result = cli(*command, "--db", str(read_only_store))
        assert (command[0], result.returncode, result.stderr) == (command[0], 0, "")
    assert _digest(read_only_store) == before
    assert sorted(p.name for p in read_only_store.parent.iterdir()) == ["aiorg.duckdb"]  # no upload folder, no WAL


def test_changes_to_a_read_only_store_are_refused_with_a_message(read_only_store, folder):
    before = _digest(read_only_store)
    teams = ROOT / "sample_data" / "teams.csv"
    refusal = (f"error: The store {read_only_store} is read-only (this user cannot write the file or its folder): "
               "nothing was changed.")
    for command in (["ingest", str(teams)], ["undo"]):
        result = cli(*command, "--db", str(read_only_store))
        assert result.returncode == 3, result.stderr
        assert result.stderr.startswith(refusal)
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert _digest(read_only_store) == before
    assert sorted(p.name for p in folder.iterdir()) == ["aiorg.duckdb"]


def test_a_writer_refused_by_the_system_falls_back_to_reading(folder):
    """Where the permission bits look writable but the system refuses (ACLs, a read-only mount)."""
    db = copy_sample_store(folder)
    db.chmod(READ_ONLY_FILE)
    code = ("import sys; import aiorg_metrics.store.connection as s; s.can_write = lambda path: True; "
            "from aiorg_metrics.cli import main; sys.exit(main(sys.argv[1:]))")
    result = cli("history", "--db", str(db), code=code)
    assert (result.returncode, result.stderr) == (0, "")
    assert "teams.csv" in result.stdout


def test_the_store_api_reads_a_read_only_store_and_refuses_changes(folder):
    db = copy_sample_store(folder)
    db.chmod(READ_ONLY_FILE)
    store = Store(db)
    assert store.read_only is True
    with store.reading() as cur:
        assert cur.execute("SELECT count(*) FROM teams").fetchall() == [(31,)]
    with pytest.raises(StoreReadOnlyError, match=r"is read-only .*: nothing was changed"):
        import_bytes(store, TEAMS.encode(), "teams.csv", ImportOptions(), actor=ADMIN)
    with pytest.raises(StoreReadOnlyError, match="nothing was changed"):
        undo_latest(store, actor=ADMIN)
    with pytest.raises(StoreReadOnlyError), store.writing():
        pass
    with store.reading() as cur:
        assert cur.execute("SELECT count(*) FROM import_log").fetchall() == [(7,)]
    assert sorted(p.name for p in folder.iterdir()) == ["aiorg.duckdb"]


def test_no_store_is_created_in_a_read_only_folder(folder):
    folder.chmod(READ_ONLY_FOLDER)
    with pytest.raises(StoreReadOnlyError, match=r"There is no store at .*its folder is read-only"), \
            Store(folder / "new.duckdb").reading():
        pass
    assert list(folder.iterdir()) == []


def test_settings_in_a_read_only_folder_are_not_saved(folder):
    folder.chmod(READ_ONLY_FOLDER)
    with pytest.raises(SettingsError, match=r"The settings file .*aiorg.toml is read-only .*: nothing was changed"):
        save_settings(folder / "aiorg.toml", Settings(), actor=trusted("tester"))
    assert list(folder.iterdir()) == []


@pytest.fixture
def app_on_read_only_store(read_only_store: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_store(read_only_store, monkeypatch)


def test_every_page_renders_on_a_read_only_store(app_on_read_only_store):
    for page in PAGES:
        at = open_app(page=page)
        assert (page, [e.value for e in at.exception]) == (page, [])
    assert sorted(p.name for p in app_on_read_only_store.parent.iterdir()) == ["aiorg.duckdb"]


def test_the_data_page_says_the_store_is_read_only_and_offers_no_change(app_on_read_only_store):
    at = open_app(page="pages/data.py")
    assert not at.exception
    assert [_plain(e.value) for e in at.error] == [
        f"The store {app_on_read_only_store} is read-only (this user cannot write the file or its folder): nothing "
        "was changed. To import, undo or save, make the file and its folder writable, or ask whoever manages them."
    ]
    assert len(at.get("file_uploader")) == 0
    assert "Uploads are off while the store is read-only." in all_text(at)
    at = open_app(query={"tab": "Import history"}, page="pages/data.py")
    assert not at.exception
    assert "Undo is off while the store is read-only." in all_text(at)
    assert not [b for b in at.button if b.label.startswith("Undo")]


def test_saving_settings_next_to_a_read_only_folder_shows_why(folder, monkeypatch):
    db = copy_sample_store(folder)
    folder.chmod(READ_ONLY_FOLDER)
    monkeypatch.setenv("AIORG_DB", str(db))
    at = open_app(page="pages/settings.py")
    next(b for b in at.button if b.label == "Save settings").click().run()
    assert not at.exception
    assert [_plain(e.value) for e in at.error] == [
        f"The settings were not saved:\n\n- The settings file {folder / 'aiorg.toml'} is read-only (this user cannot "
        "write the file or its folder): nothing was changed. Make them writable to save settings, or ask whoever "
        "manages them."
    ]
    assert not (folder / "aiorg.toml").exists()
    assert stat.S_IMODE(folder.stat().st_mode) == READ_ONLY_FOLDER
