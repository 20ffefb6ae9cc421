"""The review pack as a PDF: the HTML pack printed by the system Chromium through Playwright.

Chromium is an optional system package (`apt-get install chromium` plus fonts, see INSTALL_LINE); it is
never downloaded at run time (`playwright install` is not used). The page is printed offline: every request
that is not `file:`, `data:` or `about:` is aborted, so a pack can never call out to the network.

One PDF at a time in the process (a lock), each printed on a fresh worker thread: Playwright's sync API
refuses to run on a thread with a running asyncio loop, and a fresh thread has none, whoever calls.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Route

DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
INSTALL_LINE = "apt-get install chromium fonts-liberation fonts-dejavu-core fonts-noto-color-emoji"
TIME_LIMIT_SECONDS = 60.0
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ALLOWED_SCHEMES = ("file:", "data:", "about:", "blob:")
FOOTER = ('<div style="width:100%;font-family:Liberation Sans,Arial,sans-serif;font-size:8px;color:#666;'
          'text-align:center;">page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
MARGINS = {"top": "10mm", "bottom": "14mm", "left": "10mm", "right": "10mm"}  # the bottom one holds the footer

_one_at_a_time = threading.Lock()


class PdfError(Exception):
    """The PDF could not be printed; the message says why in words an analyst understands."""


class ChromiumMissing(PdfError):  # noqa: N818 - the name the faces catch
    """No Chromium where the PDF printer looks for it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The PDF needs the Chromium browser, which is not installed at {path}. Install it with "
            f"`{INSTALL_LINE}` (or set $AIORG_CHROMIUM to a Chromium executable). The HTML and XLSX packs "
            "work without it."
        )
        self.path = path


class PdfTimeoutError(PdfError):
    """Printing took longer than the time limit."""


@dataclass
class PrintJob:
    """One printing: its input, and what the worker thread hands back."""

    html: str
    chromium: Path
    seconds: float
    pdf: bytes | None = None
    error: BaseException | None = None
    blocked: list[str] = field(default_factory=list)


def chromium_path() -> Path:
    """The Chromium executable the PDF printer uses: $AIORG_CHROMIUM, else /usr/bin/chromium."""
    given = os.environ.get("AIORG_CHROMIUM", "").strip()
    return Path(given) if given else DEFAULT_CHROMIUM


def html_to_pdf(html: str, seconds: float = TIME_LIMIT_SECONDS) -> bytes:
    """`html` printed to PDF by the system Chromium: A4 landscape, backgrounds printed, "page X of Y" in the
    footer, no header. Requests outside the document are blocked. ChromiumMissing when there is no Chromium;
    PdfTimeoutError past `seconds`; PdfError for any other failure."""
    return print_job(html, seconds).pdf or b""


def print_job(html: str, seconds: float = TIME_LIMIT_SECONDS) -> PrintJob:
    """The printing of `html`, with the URLs it tried to reach and was refused (`blocked`); html_to_pdf's work."""
    chromium = chromium_path()
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        raise ChromiumMissing(chromium)
    job = PrintJob(html, chromium, seconds)
    if not _one_at_a_time.acquire(timeout=seconds):
        raise PdfTimeoutError(f"Another PDF was still being printed after {seconds:.0f} seconds; "
                              "try again in a moment.")
    try:
        worker = threading.Thread(target=_run, args=(job,), name="aiorg-pdf", daemon=True)
        worker.start()
        worker.join(seconds + 15)  # Playwright's own time limits fire first; this catches a hung browser
        if worker.is_alive():
            raise PdfTimeoutError(f"Printing the PDF took more than {seconds:.0f} seconds and was given up.")
    finally:
        _one_at_a_time.release()
    if isinstance(job.error, PdfError):
        raise job.error
    if job.error is not None:
        raise PdfError(f"Chromium could not print the PDF: {_first_line(job.error)}") from job.error
    return job


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _run(job: PrintJob) -> None:
    """The worker thread: launch Chromium, load the HTML offline, print."""
    # Imported here, not at the top: Playwright costs about 0.15 s to import, and the review page that offers
    # the PDF is the app's first page, which must not wait for it (issue 13, item 3).
    from playwright.sync_api import Error as PlaywrightError

    try:
        job.pdf = _print(job)
    except PlaywrightError as exc:
        timed_out = "Timeout" in type(exc).__name__ or "timeout" in str(exc).lower()
        job.error = PdfTimeoutError(f"Printing the PDF took more than {job.seconds:.0f} seconds and was given up.") \
            if timed_out else exc
    except BaseException as exc:  # handed to the caller's thread, which raises it
        job.error = exc


def _print(job: PrintJob) -> bytes:
    from playwright.sync_api import sync_playwright  # see _run: only a print needs Playwright

    limit_ms = job.seconds * 1000

    def offline(route: Route) -> None:
        url = route.request.url
        if url.startswith(ALLOWED_SCHEMES):
            route.continue_()
        else:
            job.blocked.append(url)
            route.abort("blockedbyclient")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(job.chromium), args=CHROMIUM_ARGS, timeout=limit_ms)
        try:
            page = browser.new_page()
            page.set_default_timeout(limit_ms)
            page.route("**/*", offline)
            page.set_content(job.html, wait_until="load")
            page.evaluate("document.fonts.ready.then(() => true)")
            return page.pdf(format="A4", landscape=True, print_background=True, display_header_footer=True,
                            header_template="<span></span>", footer_template=FOOTER, margin=MARGINS,
                            prefer_css_page_size=False)
        finally:
            browser.close()
