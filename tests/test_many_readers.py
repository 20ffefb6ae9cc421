"""Many readers, one writer (issue 13, item 4), small: 4 tabs of headless Chromium reloading pages every
second while the command line imports 10^4 champion-activity rows. Nothing may fail: no tab shows an
error, the import exits 0, and the new data version is what pages read afterwards. The timings at
10^6 rows are the benchmark's (`python -m benchmarks --concurrency`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import concurrency

pytestmark = pytest.mark.browser


def test_pages_keep_loading_while_the_command_line_imports(tmp_path: Path, browser) -> None:
    template, activity = concurrency.prepare(10**4, tmp_path / "org")
    figures = concurrency.measure(template, activity, tmp_path / "run", tabs=4, interval=1.0, alone=False,
                                  browser=browser)
    assert figures.errors == []
    assert figures.exit_with_readers == 0
    assert figures.loads_during, "no page was loaded while the import ran"
    assert len(figures.loads_after) >= 4
    assert figures.version_after > figures.version_before
