"""The review page's "Review pack" area (AppTest): HTML, XLSX and CSV downloads named after the quarter and
the sidebar's scope, built only when clicked; the PDF prepared off the page's thread, or a clear note when
Chromium is missing."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
import pytest
from app_support import all_text, open_app, use_sample_store
from streamlit.runtime.media_file_manager import MediaFileManager

from aiorg_metrics.report.pdf import INSTALL_LINE
from dashboard.views import pack
from tests.actors import trusted


@pytest.fixture(autouse=True)
def sample_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_sample_store(tmp_path, monkeypatch)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """File name → what a download button serves (the bytes, or the callable run on click)."""
    files: dict[str, object] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record(self, data, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name] = data
        return add(self, data, mimetype, coordinates, file_name=file_name, **kwargs)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return files


def _pack_buttons(at) -> dict[str, str]:
    return {b.proto.id.rsplit("-", 1)[-1]: b.label for b in at.get("download_button") if "-pack-" in b.proto.id}


def test_the_organizations_pack_downloads_are_named_after_the_quarter(served) -> None:
    at = open_app({"quarter": "2026-Q3"})
    assert _pack_buttons(at) == {"html": "HTML", "xlsx": "XLSX", "csv": "CSV tables (zip)"}
    assert {"review-2026-Q3-organization.html", "review-2026-Q3-organization.xlsx",
            "review-2026-Q3-organization.zip"} <= set(served)
    assert callable(served["review-2026-Q3-organization.xlsx"])  # built on click, not on every run
    assert "The 2026-Q3 review for the whole organization" in all_text(at)
    assert [b.label for b in at.button if b.key == "pack-pdf-prepare"] == ["Prepare PDF"]


def test_a_units_pack_follows_the_filter_and_its_workbook_holds_only_the_unit(served) -> None:
    at = open_app({"quarter": "2026-Q3", "business_unit": "Insurance"})
    assert "The 2026-Q3 review for the business unit Insurance" in all_text(at)
    assert {"review-2026-Q3-insurance.html", "review-2026-Q3-insurance.xlsx", "review-2026-Q3-insurance.zip"} <= \
        set(served)
    book = openpyxl.load_workbook(io.BytesIO(served["review-2026-Q3-insurance.xlsx"]()))
    assert book.sheetnames[:3] == ["Scorecard", "By business unit", "By team"]
    assert {row[1] for row in book["By business unit"].iter_rows(min_row=2, values_only=True)} == {"Insurance"}


def test_the_pdf_is_prepared_in_the_background_then_offered(served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pack, "_print_pdf", lambda *_args: b"%PDF-1.7 printed")
    at = open_app({"quarter": "2026-Q3", "business_unit": "Insurance"})
    next(b for b in at.button if b.key == "pack-pdf-prepare").click().run()
    for _ in range(50):
        if "review-2026-Q3-insurance.pdf" in served:
            break
        time.sleep(0.1)
        at.run()
    assert served["review-2026-Q3-insurance.pdf"] == b"%PDF-1.7 printed"
    assert _pack_buttons(at)["pdf"] == "PDF"


def test_without_chromium_the_page_says_how_to_install_it_and_keeps_html_and_xlsx(served, monkeypatch) -> None:
    monkeypatch.setenv("AIORG_CHROMIUM", "/nonexistent/chromium")
    at = open_app({"quarter": "2026-Q3"})
    text = " ".join(all_text(at).split())
    assert "No PDF on this server" in text and INSTALL_LINE in text
    assert not [b for b in at.button if b.key == "pack-pdf-prepare"]
    assert set(_pack_buttons(at)) == {"html", "xlsx", "csv"}


def test_a_decision_recorded_after_a_download_is_in_the_next_pack(served, sample_db: Path) -> None:
    from aiorg_metrics.analysis import decisions
    from aiorg_metrics.store.connection import Store

    at = open_app({"quarter": "2026-Q3"})
    before = served["review-2026-Q3-organization.html"]()
    decisions.add(Store(sample_db), quarter="2026-Q3", kpi="adoption_rate", scope="business_unit:Insurance",
                  owner="Insurance COO", due="2026-Q4", text="Adoption clinics in every Insurance team",
                  actor=trusted("alice"))
    at.run()  # the same data version: only the decisions changed
    after = served["review-2026-Q3-organization.html"]()
    assert b"Adoption clinics in every Insurance team" not in before
    assert b"Adoption clinics in every Insurance team" in after
