"""The benchmark's organizations are valid for our importer in both dialects, and the benchmark
command writes its tables (issue 13, item 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.ingestion.ingest import import_files
from aiorg_metrics.store.connection import Store
from benchmarks.generate import write_organization
from tests.actors import ADMIN
from tests.conftest import ROOT


def _load(folder: Path, db: Path) -> dict[str, object]:
    reports = import_files(Store(db), sorted(folder.glob("*.csv")), actor=ADMIN)
    return {r.dataset: r for r in reports}


def _rows(db: Path, dataset: str) -> list[tuple]:
    with Store(db).reading() as cur:
        return cur.execute(f"SELECT * EXCLUDE (_import_id) FROM {dataset} ORDER BY _key").fetchall()


def test_the_generated_organization_imports_cleanly_and_alike_in_both_dialects(tmp_path: Path) -> None:
    folders = write_organization(tmp_path / "org", 200)
    loaded = {name: _load(folder, tmp_path / f"{name}.duckdb") for name, folder in folders.items()}
    for name, reports in loaded.items():
        assert sorted(reports) == sorted(ds.name for ds in DATASETS), name
        for dataset, report in reports.items():
            assert report.outcome is Outcome.STORED, f"{name} {dataset}: {report.summary()}"
            assert (report.invalid, report.warnings) == (0, []), f"{name} {dataset}: {report.problems[:3]}"
            assert report.inserted == report.rows_in_file > 0, f"{name} {dataset}"
    assert loaded["utf8"]["champion_activity"].rows_in_file == 200
    activity = loaded["excel-fr"]["champion_activity"].read_as
    assert activity.startswith("cp1252") and "';'-separated" in activity and "decimal comma" in activity
    assert "day-first" in activity
    for ds in DATASETS:  # the same content, whatever the dialect
        assert _rows(tmp_path / "utf8.duckdb", ds.name) == _rows(tmp_path / "excel-fr.duckdb", ds.name), ds.name


def test_the_generator_is_deterministic_and_writes_real_exports(tmp_path: Path) -> None:
    first, second = write_organization(tmp_path / "a", 300), write_organization(tmp_path / "b", 300)
    for name in first:
        for path in first[name].glob("*.csv"):
            assert path.read_bytes() == (second[name] / path.name).read_bytes(), f"{name}/{path.name}"
    excel = (first["excel-fr"] / "champion_activity.csv").read_bytes()
    assert b"\r\n" in excel and "é".encode("cp1252") in excel and "é".encode() not in excel
    survey = next(line for line in excel.decode("cp1252").splitlines() if ";survey;" in line)
    assert survey.split(";")[1][2] == "/" and survey.split(";")[-2] == ""  # dd/mm/yyyy, no hours on a survey


def test_the_benchmark_command_writes_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--sizes", "1e3", "--dialects", "utf8", "--no-pages", "--runs", "1",
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    for heading in ("# Performance", "## Machine", "## Goals", "## Organizations generated",
                    "## Ingest: `python -m aiorg_metrics ingest` against DuckDB's plain `read_csv`", "## KPIs",
                    "## Pages in headless Chromium"):
        assert f"\n{heading}\n" in f"\n{text}", heading
    assert "| rows | dialect | file MB | ingest s | plain read s | ratio |" in text
    assert "| 10^3 | utf8 |" in text
    assert "| 10^3 | `kpis` org, fresh process |" in text and "| 10^3 | scorecard, warm (connection held) |" in text
    assert "| CPU |" in text and "| DuckDB |" in text and "| load average at end |" in text
    assert "Not measured in this run (`--no-pages`)." in text
    assert text in done.stdout  # printed too
