"""Every KPI on the sample organization, compared with a committed golden file.

Rewrite the files only on purpose: `python -m pytest tests/test_golden.py --update-golden`.
"""

from __future__ import annotations

import json

import pytest

from aiorg_metrics.kpi import scorecard_rows
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"


@pytest.mark.parametrize(("quarter", "by"), [("2026-Q2", None), ("2026-Q2", "business_unit"), ("2025-Q4", "team")])
def test_kpis_on_the_sample_match_the_golden_file(sample_store, update_golden, quarter, by):
    path = GOLDEN / f"kpis_{quarter}_{by or 'org'}.json"
    rows = scorecard_rows(sample_store, quarter, by=by)
    text = json.dumps(rows, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file yet: run with --update-golden ({path.name})"
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)
