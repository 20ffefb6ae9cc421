"""The store, the settings and the data version every page reads, once per run.

`data_state()` seeds the sample on first start, reads the data version (waiting while another
process imports) and returns the cached facts for that version. The version pairs the store's
data version with the settings file's modification time, so an import or a settings change
shows at once and nothing recomputes otherwise (`dashboard.cached` keys every engine call on it).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from aiorg_metrics import kpi
from aiorg_metrics.access.actor import trusted
from aiorg_metrics.analysis import decision_spool
from aiorg_metrics.analysis import directory as lookups
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display import scorecard
from aiorg_metrics.ingestion.import_log import current_user, data_version, holds_sample
from aiorg_metrics.ingestion.ingest import load_sample
from aiorg_metrics.kpi.settings import Settings, SettingsError, load_settings, locate_settings
from aiorg_metrics.store import implausible
from aiorg_metrics.store.connection import Store, StoreBusyError
from aiorg_metrics.store.location import default_db

ROOT = Path(__file__).resolve().parents[1]  # the repository: dashboard/ is one level down
SAMPLE_DIR = ROOT / "sample_data"
_SEED_LOCK = threading.Lock()

Version = tuple[int, float]  # (store data version, settings file modification time)
PENDING_DECISIONS = "_decisions_pending"  # token → the fields of a decision this session kept while busy
KEPT_TEXT = "Your decision is kept and will be saved when the import finishes."


def upload_cap_mb() -> int:
    """The server's hard limit for one uploaded file (server.maxUploadSize, in MB)."""
    return int(st.get_option("server.maxUploadSize"))


def store() -> Store:
    """The store of this app: $AIORG_DB, else data/aiorg.duckdb."""
    return Store(default_db())


def seed_sample_if_new(target: Store) -> bool:
    """Create the store from sample_data/ on first start (unless AIORG_NO_SAMPLE is set).

    Returns True when it seeded. Imports are marked as sample in the import log.
    """
    if os.environ.get("AIORG_NO_SAMPLE"):
        return False
    if _SEED_LOCK.locked():
        # Another session of this server is seeding: its first imports are already visible, so
        # reading now would show a half-loaded organization. Wait for the whole sample.
        with st.spinner("First start: loading the sample organization…"), _SEED_LOCK:
            return False
    if target.exists():
        return False
    with _SEED_LOCK:
        if target.exists():
            return False
        with st.spinner("First start: loading the sample organization…"):
            # The app's own seeding of a store that does not exist yet, whoever's visit starts it: not a
            # person's change, so it acts as the server's OS user with full rights, as the command line does.
            load_sample(target, SAMPLE_DIR, actor=trusted(current_user()))
    return True


def _settings_mtime(db: str) -> float:
    path = locate_settings(db).path
    return path.stat().st_mtime if path.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=8)
def settings_of(db: str, settings_mtime: float) -> tuple[Settings, str | None]:
    """The store's settings (the defaults when the file cannot be used) and the file's problem, if any."""
    try:
        return load_settings(locate_settings(db)), None
    except SettingsError as exc:
        return Settings(), str(exc)


@dataclass(frozen=True)
class DataState:
    """What every page needs to know about the store, read once per run."""

    db: str
    version: Version
    holds_sample: bool
    freshness: lookups.Freshness
    quarters: tuple[Quarter, ...]
    default_quarter: Quarter | None
    empty_datasets: tuple[str, ...]
    settings: Settings
    settings_error: str | None
    implausible_dates: int = 0  # stored values with a date before 2000 or over a year ahead

    @property
    def covered_text(self) -> str:
        """The quarters the data covers, e.g. "2025-Q1 to 2026-Q4"."""
        return f"{self.quarters[0]} to {self.quarters[-1]}" if self.quarters else "no quarter yet"

    @property
    def has_data(self) -> bool:
        return bool(self.quarters)


@st.cache_data(show_spinner=False, max_entries=8)
def _facts(db: str, version: Version) -> tuple[bool, lookups.Freshness, tuple[Quarter, ...], tuple[str, ...], int]:
    with Store(db).reading() as cur:
        quarters = tuple(kpi.covered_quarters(cur))
        odd = implausible.count_implausible(cur)
        return holds_sample(cur), lookups.freshness(cur), quarters, tuple(lookups.empty_datasets(cur)), odd


def kept_note() -> str:
    """" Your decision is kept …" when this session has a decision waiting for the store, else ""."""
    return f" {KEPT_TEXT}" if st.session_state.get(PENDING_DECISIONS) else ""


def _data_version_waiting(target: Store) -> int:
    """The data version; while another process imports, say so and wait (StoreBusyError after ~10 s)."""
    try:
        with Store(target.path, wait=0.3).reading() as cur:
            return data_version(cur)
    except StoreBusyError:
        waiting = st.spinner("An import is in progress: the page opens as soon as it is finished…" + kept_note())
        with waiting, target.reading() as cur:
            return data_version(cur)


def data_state() -> DataState:
    """Seed on first start, read the data version, and the cached facts for that version."""
    target = store()
    seed_sample_if_new(target)
    db = str(target.path)
    current = _data_version_waiting(target)
    if not target.read_only:  # the store is free: decisions kept while it was busy (any session's) go in now
        decision_spool.flush(Store(db, wait=0.3))
    mtime = _settings_mtime(db)
    sample, fresh, quarters, empty, odd = _facts(db, (current, mtime))
    settings, error = settings_of(db, mtime)
    default = scorecard.default_quarter(quarters, fresh.last_day) if fresh.last_day else None
    return DataState(db, (current, mtime), sample, fresh, quarters, default, empty, settings, error, odd)


def store_is_free(target: Store) -> bool:
    """Whether the store can be read now (a short try; never creates a store)."""
    if not target.exists():
        return True  # nothing to wait for: the app's run creates it
    try:
        with Store(target.path, wait=0.3).reading() as cur:
            data_version(cur)
        return True
    except StoreBusyError:
        return False
