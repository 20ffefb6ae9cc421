"""The review pack's PDF printer (aiorg_metrics/report/pdf.py): Debian's Chromium through Playwright,
offline, A4 landscape with "page X of Y" footers; a clear message when Chromium is missing."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path

import pypdf
import pytest

from aiorg_metrics.report import pdf

TWO_PAGES = """<!doctype html><html><head><meta charset="utf-8"><title>pack</title></head><body>
<h1>Scorecard Zanzibar</h1><div style="break-after: page"></div><h1>Decisions Quokka</h1></body></html>"""
REMOTE_IMAGE = '<html><body><p>Offline</p><img src="https://example.com/x.png"></body></html>'


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.mark.browser
def test_two_forced_pages_print_as_two_a4_landscape_pages_with_their_text_and_page_numbers() -> None:
    data = pdf.html_to_pdf(TWO_PAGES)
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (843, 596)  # A4 landscape in points
    texts = _pages(data)
    assert "Scorecard Zanzibar" in texts[0] and "page 1 of 2" in texts[0]
    assert "Decisions Quokka" in texts[1] and "page 2 of 2" in texts[1]


@pytest.mark.browser
def test_a_remote_image_is_blocked_not_fetched() -> None:
    job = pdf.print_job(REMOTE_IMAGE, seconds=20)
    assert job.blocked == ["https://example.com/x.png"]
    assert "Offline" in _pages(job.pdf or b"")[0]


@pytest.mark.browser
def test_printing_works_from_a_thread_with_a_running_asyncio_loop() -> None:
    # A thread of its own: the session's browser fixture may already run a loop in the main thread.
    printed: list[bytes] = []

    async def inside_a_loop() -> None:
        printed.append(pdf.html_to_pdf(TWO_PAGES))

    worker = threading.Thread(target=lambda: asyncio.run(inside_a_loop()))
    worker.start()
    worker.join(120)
    assert len(printed) == 1 and len(_pages(printed[0])) == 2


def test_a_missing_chromium_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = tmp_path / "no-chromium"
    monkeypatch.setenv("AIORG_CHROMIUM", str(missing))
    assert pdf.chromium_path() == missing
    with pytest.raises(pdf.ChromiumMissing) as caught:
        pdf.html_to_pdf(TWO_PAGES)
    message = str(caught.value)
    assert str(missing) in message
    assert "apt-get install chromium fonts-liberation" in message


def test_the_default_chromium_is_debians(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIORG_CHROMIUM", raising=False)
    assert pdf.chromium_path() == Path("/usr/bin/chromium")
