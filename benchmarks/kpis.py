"""KPIs on a loaded organization: the command line as fresh processes, the scorecard in-process.

- `python -m aiorg_metrics kpis --quarter Q --format json`, with and without
  `--by business_unit`, each run a fresh process;
- the organization scorecard of the quarter (`kpi.compute`: every KPI with its previous-quarter
  and year-ago values), in a fresh process: cold is the first call after the store is opened
  (DuckDB's buffers empty), warm the median of the next calls on a held connection, as a
  long-lived app process meets it.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import QUARTER
from benchmarks.measure import ROOT, Sample, repeated

WARM_CALLS = 5


@dataclass(frozen=True)
class KpiFigures:
    """Fresh-process runs of the CLI, and the scorecard's cold and warm seconds."""

    org: list[Sample]
    by_unit: list[Sample]
    cold: list[float]
    warm: list[float]


def load_store(db: Path, folder: Path) -> None:
    """Import every dataset of `folder` into a fresh store at `db` through the CLI (not timed)."""
    db.unlink(missing_ok=True)
    files = [str(f) for f in sorted(folder.glob("*.csv"))]
    command = [sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), *files]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode:
        raise SystemExit(f"loading the organization failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")


def scorecard_seconds(db: str, quarter: str, calls: int) -> dict[str, float]:
    """Run in the child: the first compute after opening the store, then the median of `calls` more."""
    from aiorg_metrics.kpi import compute
    from aiorg_metrics.kpi.settings import Settings
    from aiorg_metrics.store.connection import Store

    store, settings = Store(Path(db)), Settings()
    with store.reading() as cur:
        started = time.perf_counter()
        compute(cur, quarter, settings=settings)
        cold = time.perf_counter() - started
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            compute(cur, quarter, settings=settings)
            times.append(time.perf_counter() - started)
    return {"cold": cold, "warm": statistics.median(times)}


def _scorecard_in_fresh_process(db: Path) -> dict[str, float]:
    code = (f"import json; from benchmarks.kpis import scorecard_seconds; "
            f"print(json.dumps(scorecard_seconds({str(db)!r}, {QUARTER!r}, {WARM_CALLS})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(db: Path, runs: int) -> KpiFigures:
    """The CLI and scorecard figures on the loaded store `db`."""
    cli = [sys.executable, "-m", "aiorg_metrics", "kpis", "--db", str(db), "--quarter", QUARTER, "--format", "json"]
    org = repeated(cli, runs)
    by_unit = repeated([*cli, "--by", "business_unit"], runs)
    scorecards = [_scorecard_in_fresh_process(db) for _ in range(runs)]
    return KpiFigures(org, by_unit, [s["cold"] for s in scorecards], [s["warm"] for s in scorecards])
