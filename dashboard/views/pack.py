"""The review page's "Review pack" area: the quarter's pack for the sidebar's scope as HTML, XLSX and a zip
of CSVs (built when a button is clicked, then cached per store, data version, quarter and scope), and the
PDF, printed off the page's thread.

The PDF is printed by one worker shared by every session of the server (one PDF at a time; the printer
itself also serializes). A session asks for it with "Prepare PDF"; the area then polls every second (a
fragment with `run_every`) until the PDF is ready and offers it. Two sessions asking the same PDF share
the one printing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import streamlit as st

from aiorg_metrics.access.disclosure import Disclosure
from aiorg_metrics.analysis import decisions
from aiorg_metrics.display import team_scope
from aiorg_metrics.report import outputs
from aiorg_metrics.report.pdf import INSTALL_LINE, ChromiumMissing, PdfError
from aiorg_metrics.store.connection import Store
from dashboard import access
from dashboard.filters import Filters, own_teams
from dashboard.state import DataState, Version
from dashboard.views.scoped import CachedSource
from dashboard.widgets import md

POLL_SECONDS = 1.0
PDFS_KEPT = 4  # finished PDFs kept in memory for the sessions that asked for them
LABELS = {"html": "HTML", "xlsx": "XLSX", "csv": "CSV tables (zip)"}
HELP = {
    "html": "One file to open in any browser, even offline: the charts are interactive and the browser's "
            "print gives a clean A4 landscape document.",
    "xlsx": "One workbook: scorecard, breakdowns by business unit and team, funnel, waiting use cases, skills "
            "gaps and decisions, with real number formats.",
    "csv": "The workbook's tables as CSV files in a zip, written for the spreadsheet chosen on the Settings "
           "page (CSV downloads).",
}

_printer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aiorg-pack-pdf")
_jobs: OrderedDict[tuple, Future[bytes]] = OrderedDict()
_jobs_lock = threading.Lock()


@dataclass(frozen=True)
class PackKey:
    """What a pack depends on: the store, its data version and its decisions' changes, the quarter, the
    scope, and the person-level details the request may see (so that a pack built for a lead, naming
    employees and champions, is never served from the cache to a viewer)."""

    db: str
    version: Version
    decision_changes: int
    quarter: str
    business_unit: str | None
    team_id: str | None
    team_name: str | None
    team_business_unit: str | None
    disclosure: Disclosure

    @staticmethod
    def of(state: DataState, filters: Filters) -> PackKey:
        return PackKey(state.db, state.version, decisions.changes(Store(state.db)), str(filters.quarter),
                       filters.business_unit, filters.team_id, filters.team_name, filters.team_business_unit,
                       access.disclosure())


@st.cache_data(show_spinner=False, max_entries=12)
def pack_bytes(key: PackKey, fmt: str, _state: DataState, _filters: Filters) -> bytes:
    """The pack in `fmt` (html, xlsx or csv) for `key`; the HTML read through the page's cache."""
    source = CachedSource(_state)
    store = Store(_state.db)
    if fmt == "xlsx":
        return outputs.xlsx_file(store, _filters, _state.settings, disclosure=key.disclosure).data
    if fmt == "csv":
        return outputs.csv_file(store, _filters, _state.settings, disclosure=key.disclosure).data
    return outputs.html_file(source, store, _filters, disclosure=key.disclosure).data


def _print_pdf(key: PackKey, state: DataState, filters: Filters) -> bytes:
    """The worker's job: the HTML pack (from the cache when the page already built it), printed."""
    return outputs.pdf_file(pack_bytes(key, "html", state, filters)).data


def _pdf_job(key: PackKey, start: tuple[DataState, Filters] | None = None) -> Future[bytes] | None:
    """The printing of `key`'s PDF: the one under way or done, else (with `start`) a new one."""
    with _jobs_lock:
        job = _jobs.get(key)
        if job is not None and not (job.done() and job.exception() is not None and start):
            return job
        if start is None:
            return None
        job = _printer.submit(_print_pdf, key, *start)
        _jobs[key] = job
        while len(_jobs) > PDFS_KEPT:
            _jobs.popitem(last=False)
        return job


def pack_area(state: DataState, sidebar: Filters) -> None:
    """The "Review pack" box: HTML, XLSX and CSV downloads, and the PDF prepared in the background, of the
    one scope this request may build (`team_scope.pack_scope`: the sidebar's, or the organization's for a
    viewer, or the champion's own team's); every file below is built for that scope only."""
    rights = access.current_rights()
    filters = team_scope.pack_scope(rights, sidebar, own_teams(state, sidebar.quarter, rights))
    if filters is None:
        return
    key = PackKey.of(state, filters)
    with st.container(border=True, key="review-pack"):
        st.markdown("##### :material/description: Review pack",
                    help="The quarter's review as a document to send: cover (quarter, scope, data freshness, "
                         "imports), executive summary, scorecard, needs attention with owners, funnel, hub & "
                         "spoke health and the advisor, skills and training, decisions and their follow-up.")
        follows = ("following the sidebar's business unit and team" if filters == sidebar else
                   "the pack open to you, whatever the sidebar shows")
        st.caption(f"The {filters.quarter} review for the {md(filters.scope_text)}, {follows}.")
        columns = st.columns(4)
        for column, fmt in zip(columns, ("html", "xlsx", "csv"), strict=False):
            with column:
                _download(key, fmt, state, filters)
        with columns[3]:
            _pdf_area(key, state, filters)


def _download(key: PackKey, fmt: str, state: DataState, filters: Filters) -> None:
    st.download_button(
        LABELS[fmt], lambda: pack_bytes(key, fmt, state, filters), file_name=outputs.file_name(filters, fmt),
        mime=outputs.MIME[fmt], icon=":material/download:", on_click="ignore", key=f"pack-{fmt}",
        help=HELP[fmt], width="stretch",
    )


def _pdf_area(key: PackKey, state: DataState, filters: Filters) -> None:
    """The PDF: a clear note when Chromium is missing; else "Prepare PDF", the wait, then the download."""
    try:
        outputs.require_chromium()
    except ChromiumMissing as exc:
        fix = (f"at {md(exc.path)}. Install it with `{INSTALL_LINE}` (or set `AIORG_CHROMIUM` to a Chromium "
               "executable)." if access.may_see_server_paths()  # an admin: server paths and the fix
               else "on the server: the person who runs the dashboard can install it.")
        st.warning(f"**No PDF on this server**: it needs the Chromium browser, which is not installed {fix} "
                   "The HTML and XLSX packs work without it.", icon=":material/picture_as_pdf:")
        return
    job = _pdf_job(key)
    pending = job is not None and not job.done()
    st.fragment(run_every=POLL_SECONDS if pending else None)(_pdf_state)(key, state, filters, pending)


def _pdf_state(key: PackKey, state: DataState, filters: Filters, was_pending: bool) -> None:
    job = _pdf_job(key)
    if job is None:
        if st.button("Prepare PDF", icon=":material/picture_as_pdf:", key="pack-pdf-prepare", width="stretch",
                     help="Prints the HTML pack to an A4 landscape PDF on the server (about half a minute); "
                          "you can keep reading the page meanwhile."):
            _pdf_job(key, (state, filters))
            st.rerun()  # the whole page: the area polls until the PDF is ready
        return
    if not job.done():
        st.button("Preparing the PDF…", icon=":material/hourglass_top:", disabled=True, key="pack-pdf-wait",
                  width="stretch")
        return
    if was_pending:
        st.rerun()  # stop polling
    if (error := job.exception()) is not None:
        why = access.server_text(error) if isinstance(error, PdfError) else "the pack could not be built"
        st.error(f"The PDF could not be prepared: {md(why)}", icon=":material/error:")
        if st.button("Try the PDF again", key="pack-pdf-retry", width="stretch"):
            _pdf_job(key, (state, filters))
            st.rerun()
        return
    st.download_button("PDF", job.result(), file_name=outputs.file_name(filters, "pdf"), mime=outputs.MIME["pdf"],
                       icon=":material/download:", on_click="ignore", key="pack-pdf", width="stretch",
                       help="The pack printed to A4 landscape with page numbers.")
