"""First start: a session arriving while another seeds the sample waits for the whole sample."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from aiorg_metrics.store.connection import Store
from dashboard import state


def test_a_session_arriving_during_seeding_waits_until_it_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIORG_NO_SAMPLE", raising=False)
    target = Store(tmp_path / "aiorg.duckdb")
    target.path.touch()  # the seeding session has created the store and is importing into it
    returned = threading.Event()

    def second_session() -> None:
        state.seed_sample_if_new(target)
        returned.set()

    with state._SEED_LOCK:
        waiter = threading.Thread(target=second_session)
        waiter.start()
        assert not returned.wait(0.5), "the second session read the store while the sample was loading"
    assert returned.wait(5), "the second session kept waiting after the seeding ended"
    waiter.join()


def test_a_store_that_exists_is_not_seeded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIORG_NO_SAMPLE", raising=False)
    target = Store(tmp_path / "aiorg.duckdb")
    target.path.touch()
    assert state.seed_sample_if_new(target) is False
    assert target.path.stat().st_size == 0
