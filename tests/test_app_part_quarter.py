"""The review of a quarter whose data covers only part of it (issue 10, item 6), today pinned: 2026-Q4 on
the sample (data up to 13 Nov 2026) in progress on 13 Nov 2026, and finished on 1 Jan 2027 with its last
seven weeks missing. Either way nothing is compared with 2026-Q3, and the KPIs that add up over the
quarter read "Provisional" and stay out of "needs attention" and the summary's shortfalls."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import cards, open_app, use_sample_store

from dashboard.widgets import md

LEFT_OUT = ("Not judged until the quarter's data is complete: Business teams with 1-2 active champions, Use cases "
            "identified per active champion and Champion time allocation — they add up over the quarter, so part "
            "of it is not held to a full quarter's target")


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


def _attention(at) -> str:
    return "\n".join(e.value for e in at.markdown if e.value.startswith("- :"))


def _summary(at) -> str:
    return next(e.value for e in at.markdown if e.value.startswith("- **Furthest from target**"))


@pytest.mark.parametrize("today", ["2026-11-13", "2027-01-01"])
def test_accumulating_kpis_are_provisional_and_left_out_of_the_shortfalls(
        monkeypatch: pytest.MonkeyPatch, today: str) -> None:
    monkeypatch.setenv("AIORG_TODAY", today)
    at = open_app({"quarter": "2026-Q4"})
    assert not at.exception
    time = cards(at)["Champion time allocation"]
    assert "i Provisional" in time and ("Provisional: adds up over the quarter; against the full quarter&#x27;s "
                                       "target it reads off target so far") in time
    assert "vs 2026-Q3" not in time
    assert "Champion time allocation" not in _attention(at)
    assert "Champion time allocation" not in _summary(at).split("Not judged")[0]
    assert md(LEFT_OUT) in _summary(at)
    assert any(c.value == f":material/schedule: {md(LEFT_OUT)}." for c in at.caption)


def test_a_finished_quarter_with_data_stopping_early_says_so_and_compares_nothing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIORG_TODAY", "2027-01-01")
    at = open_app({"quarter": "2026-Q4"})
    banners = [i.value for i in at.info if "2026-Q4" in i.value]
    assert banners == ["**2026-Q4: data stops on 13 Nov, before the quarter's end — values cover part of it; "
                       "changes against the previous quarter are left out.**"]
    assert not any("▼ worse" in c or "▲ better" in c for c in cards(at).values())
    summary = "\n".join(e.value for e in at.markdown if e.value.startswith("- **"))
    assert "Turned off target" not in summary and "Largest moves" not in summary and "to date" not in summary
    assert any("this quarter's data stops on 13 Nov" in c.value for c in at.caption)


def test_a_whole_quarter_keeps_its_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIORG_TODAY", "2027-01-01")
    at = open_app({"quarter": "2026-Q3"})
    assert "✕ Off target" in cards(at)["Use cases identified per active champion"]
    assert "Use cases identified per active champion" in _attention(at)
    assert not any("Not judged" in c.value for c in at.caption)
