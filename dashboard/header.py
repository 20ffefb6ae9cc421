"""The top of every page: its title (from its record), the view it shows, and the notes that apply
to every page (local mode reached from another machine, sample data, a settings file that cannot be
used, a refused quarter, a quarter in progress, implausible dates,
datasets not loaded yet); and the empty state of a page that needs dated data.
"""

from __future__ import annotations

import os

import streamlit as st

from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.common.words import count_of
from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.display.wording import IN_PROGRESS_MEANING, in_progress_text, part_quarter_text
from dashboard import access, cached
from dashboard.filters import quarter_notice, scope_notice
from dashboard.pages import has_page
from dashboard.routing import View
from dashboard.state import DataState
from dashboard.widgets import md


def _data_page_open() -> bool:
    """Whether this deployment has the Data page and this request may open it."""
    return has_page("data") and access.allows(Permission.DATA_PAGE)


def ingest_hint(state: DataState) -> str:
    """How to load data: the CLI command (naming the store when $AIORG_DB chose it, to an admin: a server
    path) and the Data page."""
    named = os.environ.get("AIORG_DB") and access.may_see_server_paths()  # a shell may not have $AIORG_DB
    where = f" --db {state.db}" if named else ""
    command = f"`python -m aiorg_metrics ingest{where} exports/*.csv`"
    page = " or use the **Data** page" if _data_page_open() else ""
    return f"run {command} on the server{page}"


def sample_note(state: DataState) -> str:
    """The sample-data note: how to load the organization's own data, told to those who may load it;
    the others learn who does (a viewer cannot run a command on the server)."""
    if access.allows(Permission.DATA_PAGE):
        how = f"To see your own organization, {ingest_hint(state)}. "
    else:
        how = "Your organization's own data is loaded by an analyst or an admin of the dashboard. "
    return ("**You are looking at sample data**: a fictitious banking group of 31 teams, loaded on first start "
            f"so every page has something to show. {how}The first real import removes the sample data as one "
            "undoable step: real and sample rows are never mixed.")


def page_header(view: View, subtitle: str = "", scoped: bool = True) -> None:
    """Title, the view it shows (`scoped`: the quarter and the filters' scope), and the notes that
    apply to every page; for a page that needs dated data, the empty state (and nothing else) while
    the store holds none."""
    state, filters = view.state, view.filters
    st.title(view.page.title)
    access.remote_banner()
    access.unnamed_banner()
    if scoped and filters is not None:
        st.caption(f"**{filters.quarter}** · {md(filters.scope_text)}" + (f" · {subtitle}" if subtitle else ""))
    if state.holds_sample:
        st.info(sample_note(state), icon=":material/science:")
    if state.settings_error:
        why = (f":\n\n```\n{state.settings_error}\n```" if access.may_see_server_paths()
               else ". An admin can see why on the Settings page.")
        st.warning("The settings file could not be used, so the guide's targets and the default settings "
                   f"apply{why}", icon=":material/settings_alert:")
    quarter_notice(state)
    scope_notice()
    if scoped and filters is not None:
        in_progress_banner(view)
    _data_notes(state)
    if view.page.needs_data:
        require_data(state)


def in_progress_banner(view: View) -> None:
    """While the selected quarter is in progress: "2026-Q4 in progress: data up to 13 Nov", and what that means;
    for a finished quarter whose data stops before its end, that its values cover part of it."""
    quarter, db, version = view.filters.quarter, view.state.db, view.state.version
    day = cached.part_quarter_to(db, version, quarter)
    if day is None:
        return
    if cached.quarter_as_of(db, version, quarter) is not None:
        st.info(f"**{in_progress_text(quarter, day)}.** {IN_PROGRESS_MEANING}", icon=":material/schedule:")
    else:
        st.info(f"**{part_quarter_text(quarter, day)}.**", icon=":material/schedule:")


def _data_notes(state: DataState) -> None:
    if state.implausible_dates:
        where = "the **Data** page (Import history) lists them" if _data_page_open() else "fix them in the exports"
        dates = count_of(state.implausible_dates, "stored date")
        verb = "is" if state.implausible_dates == 1 else "are"
        st.warning(f"{dates} {verb} implausible (before 2000 or more than a year after today), most likely typos "
                   "from an earlier version. The quarters shown leave them out, but "
                   f"KPIs that read those rows may be off: {where}.", icon=":material/event_busy:")
    if state.has_data and state.empty_datasets:
        names = ", ".join(f"`{n}.csv`" for n in state.empty_datasets)
        st.caption(f":material/info: Not loaded yet: {names}. KPIs that read them say *Incomplete data* or "
                   f"*No data*; to add them, {ingest_hint(state)}.")


def require_data(state: DataState) -> None:
    """The empty state of a page when the store holds no dated data: what is loaded, what to import
    next and why, how to load it."""
    if state.has_data:
        return
    loaded = [ds.name for ds in DATASETS if ds.name not in state.empty_datasets]
    # teams.csv first if missing (the others refer to it), then the dated files
    dated = [ds.name for ds in DATASETS if (ds.dated_by or ds.name == "teams") and ds.name in state.empty_datasets]
    if not loaded or not dated:
        missing = ", ".join(f"`{n}.csv`" for n in state.empty_datasets) or "dated rows"
        st.info(
            f"**No data to show yet.** The store at `{state.db}` holds no dated rows (missing: {missing}).\n\n"
            f"To load your organization's CSV exports, {ingest_hint(state)}. "
            "Start with `teams.csv`; the format of each file is described in `docs/datasets.md`.",
            icon=":material/database:",
        )
    else:
        st.info(_next_import_text(state, loaded, dated), icon=":material/database:")
    st.stop()


def _loaded_text(state: DataState, loaded: list[str]) -> str:
    """ "`teams.csv` is loaded: 31 teams", or the list of loaded files."""
    teams = f"{len(cached.teams(state.db, state.version))} teams" if "teams" in loaded else ""
    if loaded == ["teams"]:
        return f"`teams.csv` is loaded: {teams}"
    names = ", ".join(f"`{n}.csv`" + (f" ({teams})" if n == "teams" else "") for n in loaded)
    return f"Loaded so far: {names}"


def _next_import_text(state: DataState, loaded: list[str], dated: list[str]) -> str:
    """The empty state when only undated files are loaded: what is there, why pages need dated rows,
    and the next of the `dated` files in the import order (SPEC §4: teams → use cases → PoCs →
    adoption → the rest)."""
    after = ", ".join(f"`{n}.csv`" for n in dated[1:])
    then = f", then {after}" if after else ""
    return (
        f"**{_loaded_text(state, loaded)}, but no dated rows yet.** Every page reports on a quarter: use cases "
        "identified, proofs of concept started, monthly adoption, champion activity and training hours in it. "
        "The quarters come from the dates of those rows, so the pages open once one dated file is imported.\n\n"
        f"Import `{dated[0]}.csv` next{then} (files that refer to others come after them). "
        f"To load them, {ingest_hint(state)}; the format of each file is described in `docs/datasets.md`."
    )
