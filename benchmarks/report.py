"""The benchmark's results as markdown: the machine, then one table per section, goals met or missed.

The goals are those of issue 13, item 2: ingest within 1 s at 10^4 and within 3x the plain
read from 10^5 up, peak memory within 1.5 GB (at 10^7: bounded, the same figure); at 10^6
`kpis` within 2 s (organization) and 3 s (by business unit) as fresh processes, the scorecard
within 0.5 s warm, every page within 2 s by navigation and 3 s from a fresh link or right
after start-up. The 10^6 goals are checked at every size up to 10^6; at 10^7 the figures are
reported without a verdict, as the goal there is to complete.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from importlib.metadata import version

from benchmarks.concurrency import ConcurrencyFigures
from benchmarks.ingest import IngestFigures
from benchmarks.kpis import KpiFigures
from benchmarks.measure import Stats
from benchmarks.pages import PageFigures

MILLION = 10**6
PEAK_MB = 1536
GOALS = """\
| goal (issue 13, item 2) | applies |
|---|---|
| ingest ≤ 1 s wall | 10^4 |
| ingest ≤ 3× the plain DuckDB read of the same content, both dialects | 10^5 and up |
| peak memory of the ingest ≤ 1.5 GB (bounded, not linear, beyond 10^6) | every size |
| `kpis` org ≤ 2 s, `kpis --by business_unit` ≤ 3 s, fresh processes | up to 10^6 |
| scorecard ≤ 0.5 s warm | up to 10^6 |
| every page ≤ 2 s by navigation, ≤ 3 s from a fresh link or right after start-up | up to 10^6 |
| completes, with figures | 10^7 |
"""


@dataclass
class SizeResult:
    """Everything measured at one size."""

    rows: int
    files_mb: float
    generate_s: float
    load_s: float
    ingest: list[IngestFigures] = field(default_factory=list)
    kpis: KpiFigures | None = None
    pages: PageFigures | None = None
    concurrency: ConcurrencyFigures | None = None


def machine() -> dict[str, str]:
    """CPU, memory and versions of this machine."""
    model = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor() or "unknown")
    mem_kb = next((int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    return {
        "CPU": f"{os.cpu_count()} × {model}",
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GB",
        "Python": platform.python_version(),
        "DuckDB": version("duckdb"),
        "Streamlit": version("streamlit"),
    }


def _lines(path: str) -> list[str]:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().splitlines()
    except OSError:
        return []


def load() -> str:
    """The load average (1, 5, 15 min)."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def _s(stats: Stats) -> str:
    return f"{stats.median:.2f} ({stats.low:.2f}–{stats.high:.2f})"


def _rows(n: int) -> str:
    exponent = len(str(n)) - 1
    return f"10^{exponent}" if n == 10**exponent else f"{n:,}"


def _verdict(value: float, goal: float | None) -> str:
    if goal is None:
        return "—"
    return "met" if value <= goal else "**missed**"


def ingest_table(results: list[SizeResult]) -> str:
    """Ingest against the plain read, per size and dialect."""
    out = ["| rows | dialect | file MB | ingest s | plain read s | ratio | peak MB ingest | peak MB plain "
           "| time goal | memory goal |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        for f in r.ingest:
            ours, ratio, peak = f.runs.seconds("a"), f.runs.ratio, f.runs.peak_mb("a")
            time_goal = (f"≤ 1 s: {_verdict(ours.median, 1.0)}" if r.rows < 10**5
                         else f"≤ 3×: {_verdict(ratio.median, 3.0)}")
            out.append(f"| {_rows(r.rows)} | {f.dialect} | {f.file_mb:.1f} | {_s(ours)} | {_s(f.runs.seconds('b'))} "
                       f"| {ratio.median:.2f}× ({ratio.low:.2f}–{ratio.high:.2f}) | {peak:.0f} "
                       f"| {f.runs.peak_mb('b'):.0f} | {time_goal} | ≤ {PEAK_MB}: {_verdict(peak, PEAK_MB)} |")
    return "\n".join(out)


def kpi_table(results: list[SizeResult]) -> str:
    """The CLI and the scorecard, per size."""
    out = ["| rows | measure | seconds | goal | verdict |", "|---|---|---|---|---|"]
    for r in results:
        if r.kpis is None:
            continue
        k, checked = r.kpis, r.rows <= MILLION
        lines = [
            ("`kpis` org, fresh process", Stats.of([s.seconds for s in k.org]), 2.0),
            ("`kpis --by business_unit`, fresh process", Stats.of([s.seconds for s in k.by_unit]), 3.0),
            ("scorecard, cold (first call in a fresh process)", Stats.of(k.cold), None),
            ("scorecard, warm (connection held)", Stats.of(k.warm), 0.5),
        ]
        for label, stats, goal in lines:
            goal = goal if checked else None
            shown = "—" if goal is None else f"≤ {goal:g} s"
            out.append(f"| {_rows(r.rows)} | {label} | {_s(stats)} | {shown} | {_verdict(stats.median, goal)} |")
    return "\n".join(out)


def page_table(results: list[SizeResult]) -> str:
    """Each page by navigation and from a fresh link, and the first page after start-up."""
    out = ["| rows | page | by navigation s (goal ≤ 2) | from a fresh link s (goal ≤ 3) | verdict |",
           "|---|---|---|---|---|"]
    for r in results:
        p, checked = r.pages, r.rows <= MILLION
        if p is None:
            continue
        for title, link in p.fresh_link.items():
            nav, fresh = Stats.of(p.navigation[title]), Stats.of(link)
            verdict = "—" if not checked else ("met" if nav.median <= 2 and fresh.median <= 3 else "**missed**")
            out.append(f"| {_rows(r.rows)} | {title} | {_s(nav)} | {_s(fresh)} | {verdict} |")
        first = Stats.of(p.first_after_start)
        out.append(f"| {_rows(r.rows)} | first page after start-up (goal ≤ 3) | — | {_s(first)} "
                   f"| {_verdict(first.median, 3.0 if checked else None)} |")
    return "\n".join(out)


def concurrency_table(results: list[SizeResult]) -> str:
    """The import alone and with readers, the page loads during it, the errors seen."""
    out = ["| rows | store mode | tabs, reload every | import alone s (exit) | import with readers s (exit) "
           "| page loads during the import: n, median (min–max) s | loads after | errors | data version |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        c = r.concurrency
        if c is None:
            continue
        during = f"{len(c.loads_during)}, {_s(Stats.of(c.loads_during))}" if c.loads_during else "0"
        errors = f"{len(c.errors)}: {'; '.join(sorted(set(c.errors))[:3])}" if c.errors else "0"
        out.append(f"| {_rows(c.rows)} | {c.mode} | {c.tabs}, {c.interval:g} s | {c.import_alone_s:.2f} "
                   f"({c.exit_alone}) | {c.import_with_readers_s:.2f} ({c.exit_with_readers}) | {during} "
                   f"| {len(c.loads_after)} | {errors} | {c.version_before} → {c.version_after} |")
    return "\n".join(out)


def document(results: list[SizeResult], runs: int, load_start: str, load_end: str, command: str) -> str:
    """The whole report."""
    facts = machine() | {"load average at start (1/5/15 min)": load_start, "load average at end": load_end}
    machine_rows = "\n".join(f"| {k} | {v} |" for k, v in facts.items())
    sizes = "\n".join(f"| {_rows(r.rows)} | {r.files_mb:.1f} | {r.generate_s:.1f} | {r.load_s:.1f} |" for r in results)
    return f"""# Performance

Measured with `{command}`. Figures are medians of {runs} fresh-process run(s), with (min–max).
The machine is shared with other work: with a load average above its CPU count, the figures are
pessimistic.

## Machine

| | |
|---|---|
{machine_rows}

## Goals

{GOALS}
## Organizations generated

Seven datasets per size (benchmarks/generate.py): teams, champions, use cases, PoCs, adoption,
training and skills scaled with the champion-activity rows. Loading (all datasets through the CLI,
UTF-8) is the store the KPIs and pages read; it is not part of any figure below.

| rows | files MB (per dialect) | generated s | loaded s |
|---|---|---|---|
{sizes}

## Ingest: `python -m aiorg_metrics ingest` against DuckDB's plain `read_csv`

champion_activity.csv into a fresh store holding the teams, against a fresh `python -c` that creates
a table from `read_csv` of the same content (excel-fr: the same content transcoded to UTF-8
beforehand, `delim=';'`, `decimal_separator=','`, `dateformat='%d/%m/%Y'`). Paired runs, the first
of each pair alternating; ratio = ingest / plain read of each pair. Peak = max resident memory.

{ingest_table(results)}

## KPIs

{kpi_table(results)}

## Pages in headless Chromium

Rendered = the script is not running, no spinner shows and the page's heading is on screen, steadily
for 300 ms; timed from navigation start (a new tab's) or from the sidebar click. The server is timed
only once healthy, on a store already loaded: seeding excluded.

{page_table(results) if any(r.pages for r in results) else "Not measured in this run (`--no-pages`)."}

## Many readers, one writer

`python -m aiorg_metrics ingest --mode replace` of champion_activity.csv into the loaded organization,
alone and while tabs of one headless Chromium each reload a page every few seconds, until each tab
has loaded once after the import (benchmarks/concurrency.py). An error is an exception, an error box
or the "import in progress" notice on any tab.

{concurrency_table(results) if any(r.concurrency for r in results) else "Not measured in this run (`--concurrency`)."}
"""
