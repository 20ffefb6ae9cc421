"""Ingestion speed, measured: 10^6 champion_activity rows.

Prints, for the same file:
- in-process: our validated import vs DuckDB's plain `read_csv` into a table (seconds, rows/s);
- as a user meets it: `python -m aiorg_metrics ingest` into a store holding the teams vs
  `python -c` running the plain `read_csv` load, both fresh processes, median of 3, with
  peak memory (max RSS) of each process.
Goal: user-facing ratio ≤ 3× and peak memory ≤ 1.5 GB.

usage: python benchmarks/bench_ingest.py [--rows 1000000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing
TYPES = ["identification", "qualification", "evangelization", "facilitation", "adoption_support", "meetup",
         "quarterly_review", "summit", "training_day"]
TEAMS = "team_id,team_name,business_unit,team_kind,headcount,ai_staff\n" + "".join(
    f"B{i},Team {i},BU{i % 5},business,100,0\n" for i in range(25)
)
MEASURE = """
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, code)
"""
PLAIN = (
    "import duckdb, sys; "
    "duckdb.connect(sys.argv[1]).execute(\"CREATE TABLE t AS SELECT * FROM read_csv(?)\", [sys.argv[2]])"
)


def write_activity(path: Path, rows: int) -> None:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as f:
        f.write("activity_id,date,champion_id,champion_name,team_id,activity_type,hours,satisfaction\n")
        for i in range(rows):
            day = f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}"
            champion = rng.randint(1, 400)
            if i % 50 == 0:
                f.write(f"A{i},{day},C{champion},Name {champion},B{champion % 25},survey,,{rng.randint(1, 5)}\n")
            else:
                f.write(f"A{i},{day},C{champion},Name {champion},B{champion % 25},{rng.choice(TYPES)},"
                        f"{rng.randint(1, 16) / 2},\n")


def store_with_teams(path: Path, teams_csv: Path) -> None:
    from aiorg_metrics.access.actor import trusted
    from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
    from aiorg_metrics.store.connection import Store

    import_bytes(Store(path), teams_csv.read_bytes(), "teams.csv", ImportOptions(), actor=trusted("benchmark"))


def in_process(work: Path, activity: Path, teams_csv: Path) -> tuple[float, float]:
    from aiorg_metrics.access.actor import trusted
    from aiorg_metrics.ingestion.ingest import ImportOptions, import_bytes
    from aiorg_metrics.store.connection import Store

    db = work / "inproc.duckdb"
    store_with_teams(db, teams_csv)
    data = activity.read_bytes()
    started = time.perf_counter()
    report = import_bytes(Store(db), data, activity.name, ImportOptions(), actor=trusted("benchmark"))
    ours = time.perf_counter() - started
    assert report.inserted > 0, report.summary()
    con = duckdb.connect(str(work / "plain.duckdb"))
    started = time.perf_counter()
    con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [str(activity)])
    plain = time.perf_counter() - started
    con.close()
    return ours, plain


def fresh_process(command: list[str]) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, cwd=ROOT)
    seconds, rss_mb, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"command failed ({code}): {' '.join(command)}")
    return float(seconds), float(rss_mb)


def user_facing(work: Path, activity: Path, teams_csv: Path, runs: int = 3) -> dict[str, tuple[float, float]]:
    template = work / "teams-only.duckdb"
    store_with_teams(template, teams_csv)
    ours, plain = [], []
    for i in range(runs):
        db = work / f"cli-{i}.duckdb"
        shutil.copy(template, db)
        ours.append(fresh_process([sys.executable, "-m", "aiorg_metrics", "ingest", "--db", str(db), str(activity)]))
        plain.append(fresh_process([sys.executable, "-c", PLAIN, str(work / f"plain-{i}.duckdb"), str(activity)]))
    return {
        "ours": (statistics.median(t for t, _ in ours), max(m for _, m in ours)),
        "plain": (statistics.median(t for t, _ in plain), max(m for _, m in plain)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="aiorg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    activity, teams_csv = work / "champion_activity.csv", work / "teams.csv"
    teams_csv.write_text(TEAMS)
    write_activity(activity, args.rows)
    size_mb = activity.stat().st_size / 1024 / 1024
    print(f"file: {args.rows:,} champion_activity rows, {size_mb:.0f} MB")
    ours, plain = in_process(work, activity, teams_csv)
    print("\nin-process (warm interpreter)      seconds    rows/s")
    print(f"  our validated import           {ours:8.2f} {args.rows / ours:10,.0f}")
    print(f"  DuckDB plain read_csv          {plain:8.2f} {args.rows / plain:10,.0f}")
    print(f"  ratio                          {ours / plain:8.2f}x")
    figures = user_facing(work, activity, teams_csv)
    (t_ours, m_ours), (t_plain, m_plain) = figures["ours"], figures["plain"]
    print("\nas a user meets it (fresh process, median of 3)   seconds   peak MB")
    print(f"  python -m aiorg_metrics ingest                 {t_ours:8.2f} {m_ours:9.0f}")
    print(f"  python -c plain read_csv load                  {t_plain:8.2f} {m_plain:9.0f}")
    verdict = "met" if t_ours / t_plain <= 3 and m_ours <= 1536 else "MISSED"
    print(f"  ratio {t_ours / t_plain:.2f}x (goal ≤ 3x), peak {m_ours:.0f} MB (goal ≤ 1536 MB): {verdict}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
