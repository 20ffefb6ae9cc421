"""The review's decisions in the app: the "Record a decision" form (on the KPI cards, in "Needs
attention", in the drill-down and in review mode), the lines of earlier decisions beside a KPI, editing
with its history, the action log page, and the decisions kept while an import holds the store.

A form submission carries a token drawn with the form: sent twice (a double-click), it stores one
decision. A decision typed while the store is busy is never lost: it is kept on disk next to the store
(analysis/decision_spool), listed here as pending for the session that typed it, and stored by the
first run of any session once the store is free (dashboard/state.data_state), or by the command line.
An edit sends only the fields the user changed since the form was opened, so a colleague's change to
another field is kept. The wording lives in display/decision_text.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from aiorg_metrics.access.actor import AccessDenied
from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.analysis import decision_spool as spool
from aiorg_metrics.analysis import decisions as engine
from aiorg_metrics.analysis.decisions import DECISION_SCOPES, Decision, DecisionError, DecisionStatus
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.common.words import count_of
from aiorg_metrics.display import decision_text as words
from aiorg_metrics.display.scorecard import Card
from aiorg_metrics.kpi import BY_ID, Scope
from aiorg_metrics.store.connection import Store, StoreBusyError, StoreReadOnlyError
from dashboard import access, cached
from dashboard.state import KEPT_TEXT, PENDING_DECISIONS, DataState, kept_note
from dashboard.views.scoped import team_names
from dashboard.widgets import BUSY_RETRY_SECONDS, badge_text, md

PENDING = PENDING_DECISIONS  # token → the fields of a decision this session kept while the store was busy
NOTICES = "_decisions_notice"  # form key → (kind, message) shown in the form after its callback
SAVE_WAIT_SECONDS = 1.0  # how long a save waits for an import before keeping the decision as pending (on disk)
RETRY_WAIT_SECONDS = 0.3
DUE_CHOICES = 8  # due quarters offered: the quarter taken and the seven after it
BUSY_KEPT = f"The store is busy with an import. {KEPT_TEXT}"


# --- scopes ------------------------------------------------------------------------------------------


def scope_choices(state: DataState, kpi_id: str) -> list[str]:
    """The scopes a decision on the KPI may take (`analysis.decisions.scope_choices`), cached on the data version."""
    return cached.decision_scopes(state.db, state.version, kpi_id)


# --- storing, with the pending decisions kept while the store is busy ---------------------------------


def _pending() -> dict[str, dict[str, str]]:
    return st.session_state.setdefault(PENDING, {})


def retry_pending(db: str, wait: float = RETRY_WAIT_SECONDS) -> int:
    """Store the kept decisions if the store is free; how many of this session's are now stored (by this
    call or by another session's run). A refused one leaves with an error notice naming the reason."""
    done = spool.flush(Store(db, wait=wait))
    for token, (_entry, reason) in done.refused.items():
        if _pending().pop(token, None) is not None:
            st.session_state.setdefault(NOTICES, {})["_pending"] = ("error", reason)
    still = {entry["token"] for entry in spool.pending(db)}
    saved = [token for token in _pending() if token not in still]
    for token in saved:
        _pending().pop(token)
    return len(saved)


def pending_notice(state: DataState) -> None:
    """Store what is pending if the store is free now; say what is still waiting, with a "retry now"
    button, and try again by itself every few seconds. Call once per page that records decisions."""
    if stored := retry_pending(state.db):
        st.toast(f"Saved {count_of(stored, 'pending decision')}.", icon=":material/check_circle:")
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


def _token(key: str, fields: dict[str, str]) -> str:
    """The submission's token: the one drawn with the form, unless it was used already for other fields
    (a new decision typed in the same form), then a new one. The same fields sent again keep it."""
    token = st.session_state.setdefault(f"{key}-token", uuid.uuid4().hex)
    used = engine.was_stored(token) is not None or token in _pending()
    if used and st.session_state.get(f"{key}-sent") != fields:
        token = st.session_state[f"{key}-token"] = uuid.uuid4().hex
    st.session_state[f"{key}-sent"] = fields
    return token


def _submit(db: str, kpi_id: str, quarter: str, key: str) -> None:
    """The form's callback: store the typed decision once (whatever the number of clicks); while the store
    is busy, keep it on disk and as this session's pending decision."""
    get = st.session_state.get
    fields = {"quarter": quarter, "kpi": kpi_id, "scope": get(f"{key}-scope"), "owner": get(f"{key}-owner", ""),
              "due": get(f"{key}-due"), "text": get(f"{key}-text", "")}
    notices = st.session_state.setdefault(NOTICES, {})
    if not access.allows(Permission.DECISIONS_ADD):  # the button is not drawn then: this is a forged call
        notices[key] = ("error", access.CHANGE_REFUSED)
        return
    try:
        engine.check_text(fields["text"])
        engine.check_owner(fields["owner"])
    except DecisionError as exc:
        notices[key] = ("error", str(exc))
        return
    token = _token(key, fields)
    if token in _pending():
        notices[key] = ("warning", BUSY_KEPT)
        return
    try:
        stored = engine.add(Store(db, wait=SAVE_WAIT_SECONDS), **fields, actor=access.actor(), token=token)
    except AccessDenied:
        notices[key] = ("error", access.CHANGE_REFUSED)
        return
    except StoreBusyError:
        spool.keep(db, fields, token, actor=access.actor())
        _pending()[token] = fields | {"key": key}
        notices[key] = ("warning", BUSY_KEPT)
        return
    except (DecisionError, StoreReadOnlyError) as exc:
        notices[key] = ("error", access.server_text(exc))
        return
    for name in ("owner", "text"):
        st.session_state[f"{key}-{name}"] = ""
    notices[key] = ("success", f"Decision #{stored.id} recorded.")


def _notice(key: str) -> None:
    kind, message = st.session_state.get(NOTICES, {}).pop(key, (None, ""))
    if kind:
        getattr(st, kind)(md(message))


def record_decision(state: DataState, kpi_id: str, scope: str, quarter: Quarter, key: str,
                    compact: bool = False) -> None:
    """A "Record a decision" button opening a form: the scope (prefilled with `scope`, among the KPI's
    scopes), an owner, a due quarter (the next one by default) and the text, taken in `quarter`. `key` must
    be unique on the page; `compact` draws the button as a small link-like one (on KPI cards). Nothing for a
    person who may not record decisions."""
    if not access.allows(Permission.DECISIONS_ADD):
        return
    known = BY_ID[kpi_id]
    names = team_names(state)
    choices = scope_choices(state, kpi_id)
    if scope not in choices:
        choices.insert(0, scope)
    with st.popover("Record a decision", icon=":material/edit_note:", key=f"{key}-popover",
                    type="tertiary" if compact else "secondary"):
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


# --- reading ------------------------------------------------------------------------------------------


def for_review(state: DataState, quarter: Quarter) -> list[Decision]:
    """The decisions the review of `quarter` shows (taken in it, and earlier ones not closed when it began),
    with their follow-up; none while an import holds the store (the page says so elsewhere)."""
    try:
        return engine.for_quarter(Store(state.db, wait=RETRY_WAIT_SECONDS), str(quarter), state.settings)
    except StoreBusyError:
        return []


def scope_of(scope_type: Scope, scope_value: str | None) -> str:
    """A result's scope written as a decision's (`org`, `business_unit:Insurance`, …)."""
    return "org" if scope_type is Scope.ORG else f"{scope_type.value}:{scope_value}"


def takes_decisions(kpi_id: str, scope: str) -> bool:
    """Whether a decision may be taken on the KPI at that scope (a kind of scope it has, not a champion)."""
    kind = Scope(scope.partition(":")[0])
    return kind in DECISION_SCOPES and kind in BY_ID[kpi_id].scopes


# --- the lines of earlier decisions, editing, history ------------------------------------------------


def _status_badge(decision: Decision) -> str:
    status = decision.current.status
    colour, icon = (("red", ":material/alarm:") if decision.overdue else
                    ("blue", ":material/pending_actions:") if status == DecisionStatus.OPEN else
                    ("green", ":material/check:") if status == DecisionStatus.DONE else ("gray", ":material/block:"))
    return badge_text(colour, icon, words.status_text(decision))


def decision_line(decision: Decision, shown: str, names: dict[str, str]) -> str:
    """One decision as markdown: status badge, text, owner and due, and how the KPI moved since."""
    gone = (f" {badge_text('gray', ':material/location_off:', 'Scope ' + words.SCOPE_GONE)}"
            if not decision.scope_exists else "")
    return (f"{_status_badge(decision)}{gone} {md(decision.current.text)}  \n"
            f":gray[Owner {md(decision.current.owner)} · due {md(decision.current.due)} · taken in "
            f"{md(decision.quarter)} · {md(words.follow_up(decision, shown, names))}]")


def _opened(decision: Decision, key: str) -> tuple[int, dict[str, str]]:
    """The revision and values the edit form was opened with (kept in the session until a save); the
    form's fields hold them the first time it is drawn."""
    opened = st.session_state.get(f"{key}-opened")
    if opened is None or any(f"{key}-{name}" not in st.session_state for name in engine.EDITABLE):
        opened = _reopen(decision, key)  # never opened, or its fields were not drawn last run (Streamlit forgot them)
    return opened


def _reopen(decision: Decision, key: str) -> tuple[int, dict[str, str]]:
    """Open (or reopen, after a save) the edit form on the decision as it stands."""
    values = {name: getattr(decision.current, name) for name in engine.EDITABLE}
    opened = st.session_state[f"{key}-opened"] = (decision.current.revision, values)
    for name, value in values.items():
        st.session_state[f"{key}-{name}"] = value
    return opened


def _edit(state: DataState, decision: Decision, key: str) -> None:
    """The edit form (status, owner, due, text); saving appends a revision with the fields changed."""
    revision, values = _opened(decision, key)
    if decision.current.revision > revision:
        st.caption(f":material/info: {md(words.changed_since_opened(decision.id, decision.current))}; only the "
                   "fields you change are saved.")
    statuses = [s.value for s in DecisionStatus]
    with st.form(f"{key}-edit", border=False):
        status, owner, due = st.columns([2, 3, 2])
        status.selectbox("Status", statuses, key=f"{key}-status", format_func=lambda s: words.STATUS_WORDS[s])
        owner.text_input("Owner", key=f"{key}-owner", max_chars=engine.MAX_OWNER)
        dues = _due_choices(Quarter.parse(decision.quarter))
        dues += [d for d in (values["due"], decision.current.due) if d not in dues]
        due.selectbox("Due", dues, key=f"{key}-due")
        st.text_area("Decision", key=f"{key}-text", max_chars=engine.MAX_TEXT, height=80)
        st.form_submit_button("Save changes", icon=":material/save:", on_click=_save_edit,
                              args=(state.db, decision.id, key))


def _save_edit(db: str, decision_id: int, key: str) -> None:
    """Send only the fields changed since the form was opened: a field left alone keeps whatever a
    colleague saved meanwhile."""
    revision, opened = st.session_state[f"{key}-opened"]
    typed = {name: st.session_state.get(f"{key}-{name}") for name in engine.EDITABLE}
    changes = {name: value for name, value in typed.items() if value is not None and value != opened[name]}
    notices = st.session_state.setdefault(NOTICES, {})
    if not changes:
        notices[key] = ("info", "Nothing changed.")
        return
    try:
        decision = engine.get(Store(db, wait=SAVE_WAIT_SECONDS), decision_id)
        if not may_edit(decision):  # the form is not drawn then: this is a forged call
            notices[key] = ("error", access.CHANGE_REFUSED)
            return
        before = decision.current
        saved = engine.update(Store(db, wait=SAVE_WAIT_SECONDS), decision_id, changes, actor=access.actor())
    except AccessDenied:
        notices[key] = ("error", access.CHANGE_REFUSED)
        return
    except StoreBusyError:
        notices[key] = ("warning", "The store is busy with an import; your change is still in the form: save "
                                   "it again when the import finishes.")
        return
    except (DecisionError, StoreReadOnlyError) as exc:
        notices[key] = ("error", access.server_text(exc))
        return
    _reopen(saved, key)
    if before.revision > revision:
        notices[key] = ("success", words.saved_on_top(decision_id, before, changes))
    else:
        notices[key] = ("success", f"Decision #{decision_id} saved.")


def may_edit(decision: Decision) -> bool:
    """Whether this request may change the decision: any of them, or the ones the person recorded."""
    return access.actor().may_edit(decision.created_by)


def _history(decision: Decision) -> None:
    st.markdown("\n".join(f"- {md(line)}" for line in words.history_lines(decision)))


def decision_lines(state: DataState, decisions: Sequence[Decision], shown: Quarter, key: str,
                   editable: bool = True) -> None:
    """Earlier decisions as lines (overdue first), each with its edit form and its history in an expander."""
    names = team_names(state)
    for d in words.ordered(decisions):
        st.markdown(decision_line(d, str(shown), names))
        if editable and may_edit(d):
            with st.expander(f"Edit or see the history of decision #{d.id}"):
                _notice(f"{key}-{d.id}")
                _edit(state, d, f"{key}-{d.id}")
                st.caption("History (nothing is overwritten)")
                _history(d)
        elif editable:
            with st.expander(f"History of decision #{d.id}"):
                _history(d)


# --- hooks: KPI cards, "Needs attention", drill-down ------------------------------------------------------


def card_entry(state: DataState, kpi_id: str, scope: str, quarter: Quarter, listed: Sequence[Decision],
               key: str) -> None:
    """Under a KPI card: how many decisions it has (overdue marked) and the record entry."""
    mine = words.gathered(listed, kpi_id, scope, cached.teams(state.db, state.version)) if listed else []
    n = words.count(mine)
    if n.total:
        # The count opens the decisions themselves, so they are read and edited from the card.
        overdue = f" · :red[**{n.overdue_text}**]" if n.overdue else ""
        with st.popover(f"{n.text}{overdue}", icon=":material/task_alt:", type="tertiary", key=f"{key}-decisions"):
            decision_lines(state, mine, quarter, key=f"{key}-lines")
    if takes_decisions(kpi_id, scope):
        record_decision(state, kpi_id, scope, quarter, key, compact=True)


def drill_entry(state: DataState, kpi_id: str, scope: str, quarter: Quarter) -> None:
    """In the drill-down: the decisions on the KPI at the scope drilled, and the record entry."""
    listed = words.gathered(for_review(state, quarter), kpi_id, scope, cached.teams(state.db, state.version))
    st.markdown(f"**Decisions on this KPI** ({len(listed)})",
                help="Taken in this quarter, and earlier ones still open when it began, with how the KPI moved "
                     "since. Every decision is on the Decisions page.")
    if listed:
        decision_lines(state, listed, quarter, key=f"drill-{kpi_id}")
    if takes_decisions(kpi_id, scope):
        record_decision(state, kpi_id, scope, quarter, key=f"drill-record-{kpi_id}")
    else:
        st.caption("Decisions are taken on the organization, a business unit, a team or an AI team, among the "
                   "scopes this KPI has.")


def review_entry(state: DataState, quarter: Quarter, listed: Sequence[Decision]) -> Callable[[Card, str], None]:
    """What the review page draws for a card, on the card ("card") or in "Needs attention" ("attention"):
    its decisions' count and the record entry, at the card's scope."""
    def entry(card: Card, where: str) -> None:
        scope = scope_of(card.result.scope_type, card.result.scope_value)
        if where == "card":
            card_entry(state, card.kpi.id, scope, quarter, listed, key=f"{where}-{card.kpi.id}")
        elif takes_decisions(card.kpi.id, scope):
            record_decision(state, card.kpi.id, scope, quarter, key=f"{where}-{card.kpi.id}", compact=True)
    return entry


# --- the action log page -------------------------------------------------------------------------------


def _every(state: DataState, shown: Quarter) -> list[Decision] | None:
    try:
        return engine.every(Store(state.db, wait=RETRY_WAIT_SECONDS), str(shown), state.settings)
    except StoreBusyError:
        return None


def _log_filters(listed: Sequence[Decision]) -> list[Decision]:
    """The filters above the action log (owner, status, overdue, quarter taken); the decisions they keep."""
    owner, status, quarter, overdue = st.columns([3, 2, 2, 1.4], vertical_alignment="bottom")
    owners = owner.multiselect("Owner", sorted({d.current.owner for d in listed}), key="log-owner",
                               placeholder="Every owner")
    statuses = status.multiselect("Status", list(words.STATUS_WORDS), key="log-status",
                                  format_func=lambda s: words.STATUS_WORDS[s], placeholder="Every status")
    quarters = quarter.multiselect("Taken in", sorted({d.quarter for d in listed}, reverse=True), key="log-quarter",
                                   placeholder="Every quarter")
    late = overdue.toggle("Overdue only", key="log-overdue")
    return words.filtered(listed, owners, statuses, late, quarters)


def action_log(state: DataState, shown: Quarter) -> None:
    """The Decisions page: every decision (all quarters) with filters, as a table in words, then one
    decision to edit with its history. Overdue and "now" are read for the sidebar's quarter `shown`."""
    pending_notice(state)
    listed = _every(state, shown)
    if listed is None:
        st.warning("An import is in progress: the decisions show as soon as it is finished." + kept_note(),
                   icon=":material/hourglass_top:")
        return
    if not listed:
        st.info("No decision recorded yet. Record one from a KPI card, the \"Needs attention\" list or the "
                "drill-down on the Quarterly review page.", icon=":material/edit_note:")
        return
    st.caption(f"Every decision taken in the quarterly reviews, overdue first. Overdue: open and due before "
               f"{shown} (the sidebar's quarter); \"Then → now\": the KPI at the decision's scope in the quarter "
               f"it was taken, and in {shown}, both from today's data.")
    kept = _log_filters(listed)
    names = team_names(state)
    rows = [{name: md(value) for name, value in row.items()} for row in words.log_rows(kept, names)]
    st.table(pd.DataFrame(rows, columns=list(words.LOG_COLUMNS)), hide_index=True)
    st.caption(f"{count_of(len(kept), 'decision')} of {len(listed)} shown.")
    if kept:
        _edit_one(state, kept, shown)


def _edit_one(state: DataState, kept: Sequence[Decision], shown: Quarter) -> None:
    by_id = {d.id: d for d in kept}
    with st.container(border=True, key="log-edit"):
        st.markdown("##### :material/edit: Change a decision")
        chosen = st.selectbox("Decision", list(by_id), key="log-pick",
                              format_func=lambda i: f"#{i} · {by_id[i].kpi_label} · {by_id[i].current.text[:60]}")
        decision_lines(state, [by_id[chosen]], shown, key="log")
