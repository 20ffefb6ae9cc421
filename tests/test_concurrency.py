"""Another process importing while we read or import: wait, retry, then a clear 'busy'."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from aiorg_metrics.store.connection import Store
from tests.conftest import ROOT
from tests.ingest_helpers import TEAMS, load

HOLD = """
import sys, time
from aiorg_metrics.store.connection import Store
with Store(sys.argv[1]).writing() as cur:
    cur.execute("INSERT INTO store_meta VALUES ('held', 'yes')")
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _hold(db: Path, seconds: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


def test_an_importer_waits_for_another_process_then_stores(tmp_path):
    db = tmp_path / "s.duckdb"
    Store(db)  # the file is created by the other process
    holder = _hold(db, 1.5)
    started = time.monotonic()
    report = load(Store(db), TEAMS, "teams.csv")
    waited = time.monotonic() - started
    holder.wait(timeout=30)
    assert report.inserted == 4
    assert waited >= 1.0


def test_an_importer_gives_up_with_exit_4_and_stores_nothing(tmp_path):
    db = tmp_path / "s.duckdb"
    teams = tmp_path / "teams.csv"
    teams.write_text(TEAMS)
    holder = _hold(db, 6)
    env = {**os.environ, "AIORG_BUSY_SECONDS": "1"}
    result = subprocess.run([sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), str(teams)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    holder.wait(timeout=30)
    assert result.returncode == 4
    assert f"error: the store {db} is busy (another process held it for more than 1 s): nothing was changed." \
        in result.stderr
    with Store(db).reading() as cur:
        assert cur.execute("SELECT count(*) FROM teams").fetchall()[0][0] == 0


IMPORT_LOOP = """
import sys
from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes, undo_latest
from aiorg_metrics.store.connection import Store
from tests.actors import ADMIN
store = Store(sys.argv[1])
data = open(sys.argv[2], 'rb').read()
for _ in range(3):
    import_bytes(store, data, 'activity.csv', ImportOptions(), actor=ADMIN)
    undo_latest(store, actor=ADMIN)
"""


def test_readers_see_all_or_nothing_of_an_import_in_another_process(tmp_path):
    db = tmp_path / "s.duckdb"
    load(Store(db), TEAMS, "teams.csv")
    rows = "".join(f"A{i},2026-03-01,C{i % 40},B1,meetup,1\n" for i in range(20000))
    activity = tmp_path / "activity.csv"
    activity.write_text("activity_id,date,champion_id,team_id,activity_type,hours\n" + rows)
    writer = subprocess.Popen([sys.executable, "-c", IMPORT_LOOP, str(db), str(activity)], cwd=ROOT)
    seen = set()
    while writer.poll() is None:
        with Store(db).reading() as cur:
            seen.add(cur.execute("SELECT count(*) FROM champion_activity").fetchall()[0][0])
        time.sleep(0.01)
    assert writer.returncode == 0
    assert seen <= {0, 20000}
