"""A quarter in progress in the app (SPEC §3.2): the banner on every page that shows a quarter, and
"data to <day>" beside a quarter whose data stops before its end (sample: data up to 13 Nov 2026;
today pinned to 29 Nov 2026, so 2026-Q4 is in progress)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import open_app, use_sample_store

BANNER = "**2026-Q4 in progress: data up to 13 Nov.**"


@pytest.fixture
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


@pytest.mark.parametrize("page", ["pages/review.py", "pages/hub_spoke.py", "pages/funnel.py", "pages/skills.py"])
def test_a_quarter_in_progress_has_its_banner(sample_db: Path, page: str) -> None:
    at = open_app({"quarter": "2026-Q4"}, page=page)
    assert not at.exception
    banners = [i.value for i in at.info if i.value.startswith(BANNER)]
    assert banners == [BANNER + " Values are to date, and changes against the previous quarter are left out: "
                                "a part quarter is not compared with whole ones."]


def test_a_finished_quarter_has_none(sample_db: Path) -> None:
    at = open_app({"quarter": "2026-Q3"}, page="pages/review.py")
    assert not any("in progress" in i.value for i in at.info)


def test_the_quarter_select_says_data_to_for_a_part_quarter(sample_db: Path) -> None:
    at = open_app({"quarter": "2026-Q3"}, page="pages/review.py")
    select = at.sidebar.selectbox(key="quarter")
    assert select.options[:2] == ["2026-Q4", "2026-Q3"]  # plain quarters: the URL holds them
    assert ":material/schedule: Part quarter: 2026-Q4 · data to 13 Nov" in [c.value for c in at.sidebar.caption]
    at.sidebar.selectbox(key="quarter").select("2026-Q4").run()
    assert any(i.value.startswith(BANNER) for i in at.info)
