"""The router's side of every page: the navigation built from the page records, the run of the
chosen page with this run's view, the guard each page script starts with, and the one workaround
for Streamlit's legacy "pages directory" mode.

Why the workaround: Streamlit 1.67 decides from the mere presence of `pages/` next to app.py that
the app uses multipage apps v1 (`PagesManager.uses_pages_directory`, a private class attribute set
by the first session), until some session calls `st.navigation`. A deep link such as /data opened
first on a fresh server then runs pages/data.py alone, without app.py (no sidebar, no state, no
sign-in). No public option changes that, so `guard()` switches the legacy mode off and reruns,
which runs app.py. AppTest resets that flag before every run; `keep_navigation_mode_in_app_test`
makes its runs behave like a server's. tests/test_routing.py fails the day a Streamlit upgrade
breaks this or makes it unnecessary.
"""

from __future__ import annotations

import sys
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.pages_manager import PagesManager

from aiorg_metrics.access.permissions import Rights
from dashboard import access
from dashboard.filters import Filters
from dashboard.pages import PAGES, PageRecord
from dashboard.state import ROOT, DataState

NOT_ROUTED_TEXT = ("This page opens through the app's navigation, which did not run. Open the app's home "
                   "page and choose the page in the sidebar.")
_TRIED = "_routing_retried"


@dataclass(frozen=True)
class View:
    """What a page renders for this run: the store's state, the sidebar's filters (None while the
    store holds no dated data) and the page's own record."""

    state: DataState
    filters: Filters | None
    page: PageRecord


_CURRENT: ContextVar[View | None] = ContextVar("dashboard_view", default=None)


def _st_page(record: PageRecord, **where) -> st.Page:
    return st.Page(str(ROOT / record.script), title=record.title, icon=record.icon, **where)


def navigation() -> st.Page:
    """The navigation over the page records (in the sidebar); the page this run shows.

    The default page opens at / and, like every page, at /<its url_path>: a bookmark of /review
    is sent to / with its query (filters) kept, or shown where it is when the session's filters
    are bound already (Streamlit then refuses to change the query)."""
    pages, alias, default = _pages(allowed_pages(access.current_rights()))
    chosen = st.navigation(pages)
    if alias is not None and chosen.url_path == alias.url_path:
        with suppress(StreamlitAPIException):  # bound filters: the alias shows the page where it is
            st.switch_page(default, query_params=st.query_params.to_dict())
    return chosen


def _pages(records: tuple[PageRecord, ...]) -> tuple[list[st.Page], st.Page | None, st.Page | None]:
    """The navigation's pages of `records` (the default page's hidden alias last), the alias and the default page."""
    shown, alias, default = [], None, None
    for record in records:
        if record.default:
            default = _st_page(record, url_path="", default=True)
            alias = _st_page(record, url_path=record.url_path, visibility="hidden")
            shown.append(default)
        else:
            shown.append(_st_page(record, url_path=record.url_path))
    return [*shown, *([alias] if alias else [])], alias, default


def sign_in_gate() -> None:
    """app.py's first step (and a first deep link's): `access.sign_in_gate`, whose pages (sign-in, no access,
    misconfigured) list no pages."""
    access.sign_in_gate(hide_navigation)


def hide_navigation() -> None:
    """A navigation that shows nothing: without it a gate page would show Streamlit's list of pages/ (the legacy
    mode of a fresh server) or, mid-session, the links of the person's former role. It holds every page, so the
    address asked for stays valid (no "page not found") though nothing runs it; it also ends the legacy mode."""
    st.navigation(_pages(PAGES)[0], position="hidden")


def allowed_pages(rights: Rights) -> tuple[PageRecord, ...]:
    """The pages these rights may open, in the navigation's order (the others are left out of it)."""
    return tuple(record for record in PAGES if rights.can(record.permission))


def _record_of(chosen: st.Page) -> PageRecord:
    return next(r for r in PAGES if chosen.url_path in (r.url_path, "" if r.default else r.url_path))


def run(chosen: st.Page, state: DataState, filters: Filters | None) -> None:
    """Run the chosen page with this run's view (what `guard()` hands it)."""
    st.session_state.pop(_TRIED, None)
    token = _CURRENT.set(View(state, filters, _record_of(chosen)))
    try:
        chosen.run()
    finally:
        _CURRENT.reset(token)


def guard() -> View:
    """The first call of every page script: this run's view when app.py runs the page.

    A page the request's rights do not allow is refused first, before anything is read, even when
    the page runs without app.py (a first deep link on a fresh server); there, with sign-in
    configured, someone not signed in (or without a role) gets the sign-in (or no-access) page
    first, as app.py would show them.

    When Streamlit ran the page without app.py (legacy mode, see the module's docstring), it
    switches that mode off and reruns once, which runs app.py; if the page still runs alone, it
    says so and stops: a page never renders without the router."""
    view = _CURRENT.get()
    record = view.page if view is not None else _script_record(sys._getframe(1).f_code.co_filename)
    if view is None:
        sign_in_gate()  # app.py's first step, skipped by a first deep link: sign in before rights
    if record is not None and not access.current_rights().can(record.permission):
        if view is None:
            leave_legacy_mode()  # the next click goes through app.py's navigation, which leaves this page out
        access.refuse_page()  # before the page reads anything, with or without the router
    if view is not None:
        return view
    if not st.session_state.get(_TRIED):
        st.session_state[_TRIED] = True
        leave_legacy_mode()
        st.rerun()
    st.error(NOT_ROUTED_TEXT, icon=":material/block:")
    st.stop()


def _script_record(filename: str) -> PageRecord | None:
    """The record of the page script `filename` (the guard's caller when a page runs without the router)."""
    path = Path(filename).resolve()
    return next((r for r in PAGES if (ROOT / r.script).resolve() == path), None)


def leave_legacy_mode() -> None:
    """Streamlit's private switch between multipage apps v1 (`pages/` run alone) and `st.navigation`;
    `st.navigation` sets it the same way, but only once a session has run app.py."""
    PagesManager.uses_pages_directory = False


class _NavigationPagesManager(PagesManager):
    """A pages manager that leaves the legacy mode as soon as it exists."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        leave_legacy_mode()


def keep_navigation_mode_in_app_test() -> None:
    """For the tests: AppTest resets the legacy-mode flag before every run, as if each run were a
    fresh server's first, so every run of a page would go through the guard's rerun, which drops the
    click that started it. A server sets the flag once. After this call, AppTest's runs behave like
    a server's (tests/test_routing.py undoes it to open a deep link on a "fresh server")."""
    import streamlit.testing.v1.app_test as app_test_module  # the testing framework: only for the tests

    app_test_module.PagesManager = _NavigationPagesManager
