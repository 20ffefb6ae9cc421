"""The review's decisions in the app: the "Record a decision" form (on the KPI cards, in "Needs
attention", in the drill-down and in review mode), the lines of earlier decisions beside a KPI, editing
with its history, the action log page, and the decisions kept while an import holds the store.

A decision typed while the store is busy is never lost: it waits in the session as pending (with a
token, removed in the same step that stores it, so a retry never stores it twice) and is retried on
every run and every few seconds until it is stored. The wording lives in display/decision_text.py.
"""

from __future__ import annotations

import uuid

import streamlit as st

from aiorg_metrics.analysis import decisions as engine
from aiorg_metrics.analysis.decisions import DECISION_SCOPES, Decision, DecisionError
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.common.words import count_of
from aiorg_metrics.display import decision_text as words
from aiorg_metrics.kpi import BY_ID, Scope
from aiorg_metrics.kpi.relations import UNASSIGNED
from aiorg_metrics.store.connection import Store, StoreBusyError, StoreReadOnlyError
from dashboard import cached
from dashboard.state import DataState
from dashboard.widgets import BUSY_RETRY_SECONDS, badge_text, md

PENDING = "_decisions_pending"  # token → the fields of a decision typed but not stored yet
NOTICES = "_decisions_notice"  # form key → (kind, message) shown in the form after its callback
SAVE_WAIT_SECONDS = 3.0  # how long a save waits for an import before keeping the decision as pending
RETRY_WAIT_SECONDS = 0.3
DUE_CHOICES = 8  # due quarters offered: the quarter taken and the seven after it
BUSY_KEPT = ("The store is busy with an import; your decision is kept and will be saved when it finishes.")


# --- scopes ------------------------------------------------------------------------------------------


def _names(state: DataState) -> dict[str, str]:
    directory = cached.teams(state.db, state.version)
    return dict(zip(directory["team_id"], directory["team_name"], strict=True))


def scope_choices(state: DataState, kpi_id: str) -> list[str]:
    """The scopes a decision on the KPI may take (canonical strings): the organization, then its business
    units, teams and AI teams, for the kinds of scope the KPI has."""
    directory = cached.teams(state.db, state.version)
    kinds = [s for s in DECISION_SCOPES if s in BY_ID[kpi_id].scopes]
    choices = ["org"] if Scope.ORG in kinds else []
    if Scope.BUSINESS_UNIT in kinds:
        choices += [f"business_unit:{u}" for u in sorted(set(directory["business_unit"]))]
    if Scope.TEAM in kinds:
        teams = directory.sort_values("team_name")
        choices += [f"team:{t}" for t in teams["team_id"]]
    if Scope.AI_TEAM in kinds:
        ai = directory[directory["team_kind"].isin(["ai_hub", "ai_spoke"])].sort_values("team_name")
        choices += [f"ai_team:{t}" for t in ai["team_id"]] + [f"ai_team:{UNASSIGNED}"]
    return choices


# --- storing, with the pending decisions kept while the store is busy ---------------------------------


def _pending() -> dict[str, dict[str, str]]:
    return st.session_state.setdefault(PENDING, {})


def _store_pending(db: str, token: str, wait: float) -> Decision | None:
    """Store the pending decision `token` (None when the store is still busy). The token leaves the
    pending list in the same step that the decision is stored, so no retry can store it twice."""
    fields = _pending().get(token)
    if fields is None:
        return None
    try:
        stored = engine.add(Store(db, wait=wait), **{k: v for k, v in fields.items() if k != "key"})
    except StoreBusyError:
        return None
    except (DecisionError, StoreReadOnlyError):
        _pending().pop(token, None)
        raise
    _pending().pop(token, None)
    return stored


def retry_pending(db: str, wait: float = RETRY_WAIT_SECONDS) -> list[Decision]:
    """Try to store every pending decision once; the ones stored (the others stay pending)."""
    stored = []
    for token in list(_pending()):
        try:
            done = _store_pending(db, token, wait)
        except (DecisionError, StoreReadOnlyError) as exc:
            st.session_state.setdefault(NOTICES, {})["_pending"] = ("error", str(exc))
            continue
        if done is not None:
            stored.append(done)
    return stored


def pending_notice(state: DataState) -> None:
    """Store what is pending if the store is free now; say what is still waiting, with a "retry now"
    button, and try again by itself every few seconds. Call once per page that records decisions."""
    if stored := retry_pending(state.db):
        st.toast(f"Saved {count_of(len(stored), 'pending decision')}.", icon=":material/check_circle:")
    if failed := st.session_state.get(NOTICES, {}).pop("_pending", None):
        st.error(md(failed[1]), icon=":material/error:")
    if _pending():
        _pending_box(state.db)


@st.fragment(run_every=BUSY_RETRY_SECONDS)
def _pending_box(db: str) -> None:
    if not _pending():
        return
    if retry_pending(db):
        st.rerun(scope="app")
    with st.container(border=True, key="decisions-pending"):
        st.warning(BUSY_KEPT, icon=":material/hourglass_top:")
        for fields in _pending().values():
            st.markdown(f"{badge_text('orange', ':material/schedule:', 'Pending')} "
                        f"**{md(BY_ID[fields['kpi']].label)}** · {md(fields['text'])} "
                        f":gray[(owner {md(fields['owner'])}, due {md(fields['due'])})]")
        st.button("Retry now", icon=":material/refresh:", key="decisions-retry")
        st.caption(f":material/autorenew: Tried again by itself every {BUSY_RETRY_SECONDS} s.")


# --- the "Record a decision" form ---------------------------------------------------------------------


def _due_choices(quarter: Quarter) -> list[str]:
    return [str(quarter.shift(n)) for n in range(DUE_CHOICES)]


def _submit(db: str, kpi_id: str, quarter: str, key: str) -> None:
    """The form's callback: keep the typed decision as pending, then try to store it."""
    get = st.session_state.get
    fields = {"quarter": quarter, "kpi": kpi_id, "scope": get(f"{key}-scope"), "owner": get(f"{key}-owner", ""),
              "due": get(f"{key}-due"), "text": get(f"{key}-text", ""), "key": key}
    notices = st.session_state.setdefault(NOTICES, {})
    try:
        engine.check_text(fields["text"])
        engine.check_owner(fields["owner"])
    except DecisionError as exc:
        notices[key] = ("error", str(exc))
        return
    token = uuid.uuid4().hex
    _pending()[token] = fields
    try:
        stored = _store_pending(db, token, SAVE_WAIT_SECONDS)
    except (DecisionError, StoreReadOnlyError) as exc:
        _pending().pop(token, None)
        notices[key] = ("error", str(exc))
        return
    if stored is None:
        notices[key] = ("warning", BUSY_KEPT)
        return
    for name in ("owner", "text"):
        st.session_state[f"{key}-{name}"] = ""
    notices[key] = ("success", f"Decision #{stored.id} recorded.")


def _notice(key: str) -> None:
    kind, message = st.session_state.get(NOTICES, {}).pop(key, (None, ""))
    if kind:
        getattr(st, kind)(md(message))


def record_decision(state: DataState, kpi_id: str, scope: str, quarter: Quarter, key: str) -> None:
    """A compact "Record a decision" button opening a form: the scope (prefilled with `scope`, among the
    KPI's scopes), an owner, a due quarter (the next one by default) and the text, taken in `quarter`.
    `key` must be unique on the page."""
    known = BY_ID[kpi_id]
    names = _names(state)
    choices = scope_choices(state, kpi_id)
    if scope not in choices:
        choices.insert(0, scope)
    with st.popover("Record a decision", icon=":material/edit_note:", key=f"{key}-popover"):
        st.markdown(f"**{md(known.label)}** · decision taken in {quarter}")
        _notice(key)
        with st.form(f"{key}-form", border=False):
            st.selectbox("Scope", choices, index=choices.index(scope), key=f"{key}-scope",
                         format_func=lambda s: words.scope_text(s, names))
            st.text_area("Decision", key=f"{key}-text", max_chars=engine.MAX_TEXT, height=100,
                         placeholder="What was decided, and what should change")
            owner, due = st.columns([3, 2])
            owner.text_input("Owner", key=f"{key}-owner", max_chars=engine.MAX_OWNER, placeholder="Who must act")
            dues = _due_choices(quarter)
            due.selectbox("Due", dues, index=1, key=f"{key}-due")
            st.form_submit_button("Record", icon=":material/save:", type="primary", on_click=_submit,
                                  args=(state.db, kpi_id, str(quarter), key))
        if mine := [f for f in _pending().values() if f.get("key") == key]:
            st.caption(f":material/schedule: {count_of(len(mine), 'decision')} pending: {BUSY_KEPT}")
