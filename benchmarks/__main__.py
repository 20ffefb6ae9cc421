"""One benchmark: organizations from 10^4 to 10^7 champion-activity rows, in two dialects.

usage: python -m benchmarks [--sizes 1e4,1e5,1e6,1e7] [--dialects utf8,excel-fr]
                            [--out docs/performance.md] [--pages/--no-pages] [--runs N] [--workdir DIR]
                            [--concurrency]

Per size: the organization generated (benchmarks/generate.py); per dialect, the CLI ingest
against DuckDB's plain read (benchmarks/ingest.py); on the organization loaded, `kpis` and the
scorecard (benchmarks/kpis.py) and, at 10^4 and 10^6, every page in headless Chromium
(benchmarks/pages.py); with --concurrency, at the largest size up to 10^6, 20 tabs reloading pages
while the CLI imports (benchmarks/concurrency.py). The tables are printed and written to --out
(benchmarks/report.py).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import concurrency, ingest, kpis, pages, report
from benchmarks.generate import DIALECTS, write_organization

PAGE_SIZES = {10**4, 10**6}
PAGE_SIZE_MAX = 10**6


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(float(part)) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are numbers such as 1e4,1e5, not {text!r}") from None
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("each size is at least 100 rows")
    return sizes


def _dialects(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n not in DIALECTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"dialects are among {', '.join(DIALECTS)}; not {', '.join(unknown)}")
    return names


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_sizes, default=[10**4, 10**5, 10**6, 10**7])
    parser.add_argument("--dialects", type=_dialects, default=list(DIALECTS))
    parser.add_argument("--out", type=Path, default=Path("docs/performance.md"))
    parser.add_argument("--pages", action=argparse.BooleanOptionalAction, default=True,
                        help="time every page in headless Chromium at 10^4 and 10^6 (default: on)")
    parser.add_argument("--runs", type=int, default=5, help="fresh-process runs per figure (default: 5)")
    parser.add_argument("--concurrency", action="store_true",
                        help="20 tabs reloading pages every 5 s while a CLI import runs (largest size up to 10^6)")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here (default: a temporary folder)")
    return parser.parse_args(argv)


def run_size(rows: int, work: Path, args: argparse.Namespace) -> report.SizeResult:
    """Generate, measure and load one organization."""
    started = time.perf_counter()
    folders = write_organization(work / "data", rows, tuple(args.dialects))
    generated = time.perf_counter() - started
    files_mb = sum(f.stat().st_size for f in folders[args.dialects[0]].glob("*.csv")) / 1024 / 1024
    print(f"{rows:,} rows: generated in {generated:.1f} s ({files_mb:.1f} MB per dialect)", flush=True)
    figures = [ingest.measure(folders[d], work / "ingest" / d, d, args.runs) for d in args.dialects]
    org, source = work / "org", folders[args.dialects[0]]
    org.mkdir(exist_ok=True)
    ingest.settings_for(org, list(source.glob("*.csv")))
    started = time.perf_counter()
    kpis.load_store(org / "aiorg.duckdb", source)
    result = report.SizeResult(rows, files_mb, generated, time.perf_counter() - started, figures)
    print(f"  ingest measured; organization loaded in {result.load_s:.1f} s", flush=True)
    result.kpis = kpis.measure(org / "aiorg.duckdb", args.runs)
    if args.pages and rows in PAGE_SIZES:
        result.pages = pages.measure(org / "aiorg.duckdb", work / "pages", args.runs)
    if args.concurrency and rows == max((s for s in args.sizes if s <= PAGE_SIZE_MAX), default=None):
        result.concurrency = concurrency.measure(org / "aiorg.duckdb", source / "champion_activity.csv",
                                                 work / "concurrency")
    return result


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="aiorg-bench-"))
    load_start = report.load()
    try:
        results = [run_size(rows, work / str(rows), args) for rows in args.sizes]
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    command = "python -m benchmarks " + " ".join(sys.argv[1:] if argv is None else argv)
    text = report.document(results, args.runs, load_start, report.load(), command.strip())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
