"""The hostile-input corpus through the Data page (AppTest), as an analyst would upload it.

Each case is uploaded on a store prepared as for the CLI run; the page must show the case's
message (or check the file as ready), raise nothing, leave a rejected file's store unchanged and
keep the sample when a rejected first real file is committed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import all_text, dataframes, open_app

from aiorg_metrics.store.connection import Store
from tests.hostile_corpus import Case, cases, write_case
from tests.test_hostile_cli import fingerprint, prepared_store

DATA = "pages/data.py"
PAGE_CASES = [c for c in cases() if c.page]


def _upload(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = prepared_store(case, tmp_path)
    monkeypatch.setenv("AIORG_DB", str(db))
    files = write_case(case, tmp_path / "files")
    at = open_app(page=DATA)
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "text/csv") for p in files]).run()
    return db, at


def _page_text(at) -> str:
    """What the analyst reads: the page's text and the problem tables."""
    return "\n".join([all_text(at), *(frame.to_csv(index=False) for frame in dataframes(at))])


def _commit_button(at):
    return next(b for b in at.button if b.label.startswith("Import "))


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", PAGE_CASES, ids=lambda c: c.name)
def test_each_hostile_upload_is_answered_on_the_data_page(case: Case, tmp_path, monkeypatch) -> None:
    before = fingerprint(prepared_store(case, tmp_path / "before"))
    db, at = _upload(case, tmp_path, monkeypatch)
    if case.extra.get("sample"):
        at.button(key="remove-sample").click().run()
    assert not at.exception
    text = _page_text(at)
    if case.exit_code == 0:
        assert "Ready to import." in text or "Nothing would change" in text
        _commit_button(at).click().run()
        assert not at.exception
        assert "Imported." in all_text(at)
        return
    assert case.message.lower() in text.lower(), text[-3000:]
    assert _commit_button(at).disabled
    assert fingerprint(db) == before


def test_the_same_file_twice_and_two_files_with_one_name(tmp_path, monkeypatch) -> None:
    db = prepared_store(cases()[0], tmp_path)
    monkeypatch.setenv("AIORG_DB", str(db))
    one = b"use_case_id,title,team_id,identified_date\nU1,a,B1,2026-01-10\n"
    other = b"use_case_id,title,team_id,identified_date\nU2,b,B1,2026-01-11\n"
    at = open_app(page=DATA)
    at.file_uploader[0].set_value([("uc.csv", one, "text/csv"), ("uc.csv", one, "text/csv"),
                                   ("uc.csv", other, "text/csv")]).run()
    assert not at.exception
    assert "Same content as file 1" in all_text(at)
    _commit_button(at).click().run()
    assert not at.exception
    with Store(db).reading() as cur:
        assert cur.execute("SELECT use_case_id FROM use_cases ORDER BY 1").fetchall() == [("U1",), ("U2",)]
