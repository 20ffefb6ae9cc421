"""Data: the analysts' page sections: upload (mapping, report, KPI impact, commit), import history
with undo, templates and the column reference.

The engine does the work (`aiorg_metrics.ingestion.ingest`, `analysis.impact`, `ingestion.mappings`,
`ingestion.uploads`, `ingestion.import_log`, `display.dataset_docs`); this module lays it out and
keeps the page's state.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from aiorg_metrics.access.actor import AccessDenied
from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.analysis.impact import BatchFile, Preview, preview_batch
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.common.spreadsheet import DEFAULT_CSV_DIALECT
from aiorg_metrics.datasets.registry import DATASETS, dataset
from aiorg_metrics.display import dataset_docs as datadocs
from aiorg_metrics.display import wording
from aiorg_metrics.display.wording import change_text
from aiorg_metrics.ingestion import import_log, mappings, uploads
from aiorg_metrics.ingestion.import_report import ImportReport, Outcome
from aiorg_metrics.ingestion.ingest import EmptyReplaceError, ImportOptions, import_bytes, undo_latest
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store import implausible
from aiorg_metrics.store.connection import Store, StoreReadOnlyError
from dashboard import access
from dashboard.filters import Filters
from dashboard.state import DataState, Version, upload_cap_mb
from dashboard.widgets import md

NOT_STORED = "(not stored)"
EMPTY_CELL = "–"  # an empty cell of a table, never "None"
# The import log's columns as the history table heads them (the others read as they are).
HISTORY_HEADERS = {"import_id": "#", "started_at": "when", "user_name": "who", "file_name": "file",
                   "rows_in_file": "rows in file", "undone_by": "undone by", "undoes": "undoes"}
MODES = {"Add and update rows": "upsert", "Replace: also delete stored rows missing from the file": "replace"}


@dataclass(frozen=True)
class Upload:
    """One uploaded file and the analyst's choices for it."""

    name: str
    data: bytes
    guess: uploads.FileGuess
    dataset: str | None
    mapping: dict[str, str] | None

    @property
    def ready(self) -> bool:
        return self.dataset is not None and not self.guess.needs_mapping and self.guess.problem is None


def upload_limit_mb(settings: Settings) -> int:
    """The settings' file-size limit, never above the server's hard cap."""
    return max(1, min(int(settings.max_file_mb), upload_cap_mb()))


# --- mapping --------------------------------------------------------------------------------------------


def _saved_choice(upload_key: str, dataset_name: str, db: str) -> dict[str, str] | None:
    found = mappings.read_saved(db)
    for problem in found.problems.values():
        st.warning(f"{md(access.server_text(problem))}  \nMap the columns below; saving the mapping replaces a "
                   "broken entry of the same name.", icon=":material/rule:")
    saved = [m for m in found.mappings if m.dataset == dataset_name]
    if not saved:
        return None
    names = ["(suggestions)", *[m.name for m in saved]]
    choice = st.selectbox("Apply a saved mapping", names, key=f"saved-{upload_key}",
                          help="Mappings saved for this dataset on earlier uploads.")
    return next((m.columns for m in saved if m.name == choice), None)


def mapping_editor(upload_key: str, header: tuple[str, ...], dataset_name: str, db: str) -> dict[str, str] | None:
    """Let the analyst map the file's columns; returns a valid mapping, or None while incomplete."""
    ds = dataset(dataset_name)
    st.markdown(f"**Map the file's columns to `{dataset_name}`.** Suggestions come from the column names; "
                "required columns are marked *.")
    saved = _saved_choice(upload_key, dataset_name, db)
    suggested = saved if saved is not None else mappings.suggest(header, ds)
    options = [NOT_STORED, *[c.name + (" *" if c.required else "") for c in ds.columns]]
    chosen: dict[str, str | None] = {}
    columns = st.columns(3)
    for i, name in enumerate(header):
        default = suggested.get(name)
        labels = [o for o in options if o.split(" ")[0] == default]
        index = options.index(labels[0]) if labels else 0
        with columns[i % 3]:
            picked = st.selectbox(f"File column “{md(name)}”", options, index=index, key=f"map-{upload_key}-{i}")
        chosen[name] = None if picked == NOT_STORED else picked.split(" ")[0]
    problems = mappings.validate(chosen, ds)
    for problem in problems:
        st.error(problem, icon=":material/rule:")
    if problems:
        return None
    _save_mapping_form(upload_key, dataset_name, chosen, db)
    return {k: v for k, v in chosen.items() if v}


def _save_mapping_form(upload_key: str, dataset_name: str, chosen: dict[str, str | None], db: str) -> None:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.text_input("Save this mapping as (e.g. the source tool)", key=f"save-name-{upload_key}",
                           placeholder="HR export, Jira, LMS…")
    if right.button("Save mapping", key=f"save-{upload_key}", disabled=not name.strip()):
        if not access.change_allowed(Permission.DATA_PAGE):
            return
        try:
            mappings.save_mapping(db, mappings.SavedMapping(name.strip(), dataset_name, chosen), actor=access.actor())
            st.success(f"Saved as “{md(name.strip())}”: it will be offered for the next {dataset_name} upload, "
                       f"and the CLI accepts --mapping “{md(name.strip())}”.", icon=":material/bookmark:")
        except mappings.MappingError as exc:
            st.error(md(access.server_text(exc)))
        except AccessDenied:
            access.refused()


# --- one file -------------------------------------------------------------------------------------------


def describe_file(key: str, name: str, data: bytes, first: uploads.FileGuess, db: str) -> Upload:
    """Dataset (detected or chosen), mapping when needed, and what stops the file if anything.

    `key` names this upload slot's widgets: unique whatever the file's name or content."""
    if first.problem and not first.header:
        st.error(md(first.problem), icon=":material/block:")
        return Upload(name, data, first, None, None)
    names = [d.name for d in DATASETS]
    detected = first.dataset
    label = "Dataset" + (" (detected from the header)" if detected else " (not recognised: choose it)")
    chosen = st.selectbox(label, names, index=names.index(detected) if detected else None, key=f"ds-{key}",
                          placeholder="Choose the dataset this file holds")
    if chosen is None:
        st.warning(md(first.problem or "Choose the dataset."), icon=":material/help:")
        return Upload(name, data, first, None, None)
    guess = uploads.guess(data, name, chosen=chosen)
    if not guess.needs_mapping:
        return Upload(name, data, guess, chosen, None)
    mapping = mapping_editor(key, guess.header, chosen, db)
    mapped = uploads.guess(data, name, chosen=chosen, mapping=mapping) if mapping else guess
    return Upload(name, data, mapped, chosen, mapping)


@st.cache_data(show_spinner="Checking the files…", max_entries=16)
def cached_previews(db: str, version: Version, files: tuple[BatchFile, ...], quarter: str | None,
                    _settings: Settings) -> list[Preview]:
    """The batch preview; cached on the data version and settings so nothing recomputes between reruns."""
    return preview_batch(Store(db), list(files), Quarter.parse(quarter) if quarter else None, _settings)


def batch_files(ready: list[Upload], options: ImportOptions) -> tuple[BatchFile, ...]:
    return tuple(BatchFile(u.name, u.data, replace(options, dataset=u.dataset, mapping=u.mapping)) for u in ready)


def show_preview(preview: Preview, key: str, csv_dialect: str = DEFAULT_CSV_DIALECT) -> None:
    """Counts, how the file was read, every problem (downloadable in `csv_dialect`), first rows, KPI impact;
    `key`: the slot's."""
    report = preview.report
    _headline(preview)
    counts = uploads.counts(report)
    main = ["rows in file", "valid", "invalid", "new", "updated", "unchanged", "to delete"]
    for column, label in zip(st.columns(len(main)), main, strict=True):
        column.metric(label, f"{counts[label]:,}")
    st.caption(f"Read as: **{md(report.read_as or 'not read')}** · rows in file = valid + invalid "
               f"({report.rows_in_file:,} = {report.valid:,} + {report.invalid:,}) · {counts['warnings']:,} "
               f"warning(s) · {counts['unresolved references']:,} row(s) with unresolved references")
    if report.extra_columns:
        st.caption("Extra columns, not stored: " + report.extra_columns_text(lambda c: f"“{md(c)}”"))
    for note in report.notes:
        st.caption(f":material/lightbulb: {md(note)}")
    _problems(report, key, csv_dialect)
    _changed_rows(report)
    if not preview.first_rows.empty:
        with st.expander(f"First {len(preview.first_rows)} rows as they will be stored"):
            st.dataframe(preview.first_rows, hide_index=True)
    _impact(preview)


def _headline(preview: Preview) -> None:
    report = preview.report
    if report.outcome is Outcome.REJECTED:
        st.error(f"**This file cannot be imported.** {md(report.errors[0].reason)}", icon=":material/block:")
    elif preview.would_reject:
        st.error(f"**{report.invalid:,} row(s) have problems.** As it is, the file would be rejected and nothing "
                 "stored. Fix the rows listed below and upload the file again — or tick *Store the valid rows "
                 "only* to import the other rows now.", icon=":material/error:")
    elif report.invalid:
        st.warning(f"{report.invalid:,} invalid row(s) will be skipped; {report.valid:,} valid rows will be "
                   "stored.", icon=":material/warning:")
    elif report.rows_in_file == 0 and report.deleted == 0:
        st.info("The file has no data rows: nothing to import.", icon=":material/info:")
    elif report.inserted + report.updated + report.deleted == 0:
        st.info("Nothing would change: the store already holds these rows.", icon=":material/check_circle:")
    else:
        st.success("Ready to import.", icon=":material/check_circle:")


def _problems(report: ImportReport, key: str, csv_dialect: str) -> None:
    frame = uploads.problems_frame(report)
    if frame.empty:
        return
    errors, warnings = report.error_count, report.warning_count
    st.markdown(f"**Problems:** {errors:,} error(s) (the row is not stored), {warnings:,} warning(s) "
                "(reported, the row is stored)")
    if report.more_problems:
        st.caption(md(report.more_text()))
    st.dataframe(frame, hide_index=True, height=min(420, 40 + 35 * (len(frame) + 1)),
                 column_config={"line": st.column_config.NumberColumn(format="%d")})
    st.download_button("Download the problems (CSV)", uploads.problems_csv(report, csv_dialect),
                       file_name=f"problems-{report.file_name}", mime="text/csv",
                       key=f"dl-{key}", icon=":material/download:")


def _changed_rows(report: ImportReport) -> None:
    if not report.changed_columns:
        return
    rows = [{"key": k, "columns that change": ", ".join(v)} for k, v in report.changed_columns.items()]
    with st.expander(f"{report.updated:,} updated row(s): which columns change"):
        st.dataframe(pd.DataFrame(rows), hide_index=True)


def _impact(preview: Preview) -> None:
    if not preview.quarter and not preview.changes:
        return
    where = f"in {preview.quarter}" if preview.quarter else "after this import"
    if not preview.changes:
        st.caption(f":material/query_stats: No KPI of the organization changes {where}.")
        return
    st.markdown(f"**What this import changes {where}** (organization KPIs):")
    lines = [f"- {md(change_text(c))}" + (" — **status changes**" if c.status_changed else "") for c in preview.changes]
    st.markdown("\n".join(lines))


# --- commit ---------------------------------------------------------------------------------------------


def commit(store: Store, files: tuple[BatchFile, ...]) -> list[ImportReport]:
    """Import the files one by one (batch order), each its own undoable import; stop at a rejection.
    Nothing is imported for a request that may not use the Data page."""
    if not access.change_allowed(Permission.DATA_PAGE):
        return []
    reports = []
    progress = st.progress(0.0, text="Importing…")
    for i, file in enumerate(files):
        progress.progress(i / len(files), text=f"Importing {file.name} ({len(file.data) / 1e6:.1f} MB)…")
        try:
            report = import_bytes(store, file.data, file.name, file.options, actor=access.actor())
        except (EmptyReplaceError, StoreReadOnlyError) as exc:  # the page checks first; a guard for a late change
            st.error(md(access.server_text(exc)), icon=":material/block:")
            break
        except AccessDenied:  # rights taken away since the check above
            access.refused()
            break
        reports.append(report)
        if report.outcome is Outcome.REJECTED:
            break
    progress.empty()
    return reports


def _done_text(report: ImportReport) -> str:
    return (f"**{md(report.file_name)}** → {wording.dataset_name(report.dataset)}: {report.inserted:,} new, "
            f"{report.updated:,} updated, {report.unchanged:,} unchanged, {report.deleted:,} deleted, "
            f"{report.invalid:,} skipped.")


def success_lines(reports: list[ImportReport]) -> list[str]:
    """What the page says after a successful commit (shown after the rerun that refreshes the app)."""
    notes = [n for r in reports for n in r.notes if "sample" in n]
    return [f"Imported. {_done_text(r)}" for r in reports] + notes


def commit_messages(reports: list[ImportReport], planned: int) -> None:
    for report in reports:
        text = _done_text(report)
        if report.outcome is Outcome.REJECTED:
            st.error(f"{text} Rejected: nothing stored from this file.", icon=":material/block:")
        else:
            st.success(text, icon=":material/task_alt:")
    if reports and reports[-1].outcome is Outcome.REJECTED and len(reports) < planned:
        st.warning(f"Stopped at {md(reports[-1].file_name)}: the files before it stay stored; "
                   f"{planned - len(reports)} file(s) after it were not imported.")


def upload_section(state: DataState, filters: Filters | None, store: Store) -> None:
    """The upload tab: files, options, one report per file in import order, and the commit button
    (no upload at all on a read-only store: the page says why above its tabs)."""
    if store.read_only:
        st.caption("Uploads are off while the store is read-only.")
        return
    limit = upload_limit_mb(state.settings)
    files = st.file_uploader(
        "Drop one or several CSV exports", accept_multiple_files=True, max_upload_size=limit,
        key=f"uploader-{st.session_state.get('uploads-done', 0)}",
        help=f"Up to {limit} MB per file (the settings' file-size limit). Files are imported one after another "
             "(teams, use cases, PoCs, adoption, then the rest; by file name within a dataset), each its own "
             "undoable import.",
    )
    left, right = st.columns(2)
    mode = MODES[left.radio("Mode", list(MODES), key="mode")]
    valid_only = right.checkbox("Store the valid rows only (skip invalid rows)", key="valid-only",
                                help="By default a file with any invalid row is rejected and nothing is stored.")
    if not files:
        st.caption("Exports from HR, learning or ticketing tools with their own column names are fine: you map "
                   "their columns once and save the mapping for next month.")
        return
    if not sample_gate(state.holds_sample):
        return
    options = ImportOptions(mode=mode, valid_only=valid_only, max_file_mb=limit)
    checked = _check_files(state, filters, files, options)
    importable = checked.importable
    waiting = len(files) - len(importable) - checked.duplicates
    label = (f"Import {len(importable)} file(s)" + (f" · {waiting} not ready" if waiting else "")
             + (f" · {checked.duplicates} duplicate(s) imported once" if checked.duplicates else ""))
    disabled = not importable or checked.unconfirmed
    if st.button(label, type="primary", disabled=disabled, key="commit", icon=":material/upload:"):
        reports = commit(store, importable)
        commit_messages(reports, len(importable))
        if reports and reports[-1].outcome is not Outcome.REJECTED:
            st.session_state["uploads-done"] = st.session_state.get("uploads-done", 0) + 1
            st.session_state["commit-messages"] = success_lines(reports)
            st.rerun()


@dataclass(frozen=True)
class _Slot:
    """One file of the uploader; `key` (the uploader's id) is unique per slot whatever the names."""

    key: str
    name: str
    data: bytes


@dataclass
class Checked:
    """What the checks allow: the files to import, duplicates skipped, an empty replace not yet confirmed."""

    importable: tuple[BatchFile, ...] = ()
    duplicates: int = 0
    unconfirmed: bool = False


def _check_files(state: DataState, filters: Filters | None, files: list, options: ImportOptions) -> Checked:
    """One numbered box per file in import order (dataset, mapping, report); what may be imported.

    The same content uploaded twice (under any name) is imported once: importing it again would
    change nothing, so the second box says which file it repeats instead of checking it again."""
    slots = [_Slot(f.file_id, f.name, f.getvalue()) for f in files]
    guesses = {s.key: uploads.guess(s.data, s.name) for s in slots}
    ordered = sorted(slots, key=lambda s: uploads.batch_rank(guesses[s.key].dataset, s.name))
    checked, first_of, described = Checked(), {}, []
    for number, slot in enumerate(ordered, start=1):
        box = st.container(border=True)
        with box:
            st.subheader(f":material/description: {number}. {md(slot.name)}", anchor=False)
            digest = hashlib.sha256(slot.data).hexdigest()
            if digest in first_of:
                st.info(f"Same content as file {first_of[digest]}: it is imported once, as file "
                        f"{first_of[digest]}.", icon=":material/content_copy:")
                checked.duplicates += 1
                continue
            first_of[digest] = number
            described.append((box, slot.key, describe_file(slot.key, slot.name, slot.data, guesses[slot.key],
                                                           state.db)))
    ready = [(box, key, u) for box, key, u in described if u.ready]
    batch = batch_files([u for _, _, u in ready], options)
    quarter = str(filters.quarter) if filters else None
    previews = cached_previews(state.db, state.version, batch, quarter, state.settings) if ready else []
    importable = []
    for (box, key, _), file, preview in zip(ready, batch, previews, strict=True):
        with box:
            show_preview(preview, key, state.settings.csv_dialect)
            if preview.would_reject:
                continue
            if _empties_dataset(preview, file.options):
                if not _confirm_empty(preview.report, key):
                    checked.unconfirmed = True
                    continue
                file = replace(file, options=replace(file.options, allow_empty=True))
        importable.append(file)
    checked.importable = tuple(importable)
    return checked


def _empties_dataset(preview: Preview, options: ImportOptions) -> bool:
    """A replace with no row to store: it would delete every stored row of the dataset."""
    report = preview.report
    return options.mode == "replace" and report.valid == 0 and report.deleted > 0


def _confirm_empty(report: ImportReport, key: str) -> bool:
    st.warning(f"**This file has no data rows.** In replace mode, importing it deletes all {report.deleted:,} "
               f"stored {wording.dataset_name(report.dataset)} rows and stores none.", icon=":material/delete_forever:")
    return st.checkbox(f"Yes, delete all {report.deleted:,} stored {wording.dataset_name(report.dataset)} rows",
                       key=f"empty-{key}")


def sample_gate(holds_sample: bool) -> bool:
    """True when files may be checked: no sample data, or the analyst agreed that the import removes it.

    The sample is removed in the first file's own transaction (SPEC §4): if that file is rejected,
    the sample stays. The files are checked as they would be stored, without the sample rows."""
    if not holds_sample:
        return True
    if st.session_state.get("sample-confirmed"):
        st.info("The sample organization is removed together with the first file's import: one transaction, "
                "its own step in the import history (*Undo* brings it back). If that file is rejected, the "
                "sample stays.", icon=":material/science:")
        return True
    st.warning("**The store holds the sample organization.** Real files are never checked against, or mixed "
               "with, sample rows: the first import removes the sample data. It is one step in the import "
               "history, and *Undo* brings it back.", icon=":material/science:")
    if st.button("Check my files without the sample data", type="primary", key="remove-sample"):
        st.session_state["sample-confirmed"] = True
        st.rerun()
    return False


# --- history and templates ---------------------------------------------------------------------------


def history_section(store: Store) -> None:
    with store.reading() as cur:
        status = pd.DataFrame(import_log.dataset_status(cur))
        log = import_log.history(cur)
        target = import_log.latest_undoable(cur)
        odd_dates = implausible.find_implausible(cur)
    st.markdown("**Datasets in the store**")
    status["dataset"] = status["dataset"].map(wording.dataset_name)
    st.dataframe(status, hide_index=True, placeholder=EMPTY_CELL, column_config={
        "last import": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")})
    implausible_dates(odd_dates)
    _undo(store, target)
    st.markdown("**Every import, newest first**")
    if log.empty:
        st.caption("No import yet.")
        return
    log["data"] = log["is_sample"].map({True: "sample", False: "real"})
    log["dataset"] = log["dataset"].map(wording.dataset_name)
    for column in ("undone_by", "undoes"):  # another import's number
        log[column] = log[column].map(lambda n: None if pd.isna(n) else f"#{int(n)}")
    shown = log.drop(columns=["is_sample"]).rename(columns=HISTORY_HEADERS)
    st.dataframe(shown, hide_index=True, placeholder=EMPTY_CELL, column_config={
        "when": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")})


def implausible_dates(found: implausible.ImplausibleDates) -> None:
    """The stored rows whose dates are implausible (from an earlier version), with what to do."""
    if not found.any:
        return
    st.warning(implausible.explanation(found), icon=":material/event_busy:")
    st.dataframe(found.rows, hide_index=True, key="implausible-dates")


def _undo(store: Store, target: tuple[int, str, str] | None) -> None:
    if target is None:
        st.caption("Nothing to undo.")
        return
    if store.read_only:
        st.caption("Undo is off while the store is read-only.")
        return
    import_id, name, file_name = target
    what = f"import #{import_id} ({wording.dataset_name(name)}, {md(file_name) if file_name else 'no file'})"
    if not st.session_state.get("confirm-undo"):
        if st.button(f"Undo the latest change: {what}", icon=":material/undo:", key="undo"):
            st.session_state["confirm-undo"] = import_id
            st.rerun()
        return
    st.warning(f"Undo {what}? Its new rows are removed and the rows it changed or deleted are restored exactly.",
               icon=":material/undo:")
    yes, no = st.columns([1, 4])
    if yes.button("Yes, undo it", type="primary", key="undo-yes"):
        st.session_state["confirm-undo"] = None
        if not access.change_allowed(Permission.DATA_PAGE):
            return
        try:
            st.session_state["undo-message"] = undo_latest(store, actor=access.actor())
        except StoreReadOnlyError as exc:  # made read-only since the page was shown
            st.error(md(access.server_text(exc)), icon=":material/lock:")
            return
        except AccessDenied:
            access.refused()
            return
        st.rerun()
    if no.button("Cancel", key="undo-no"):
        st.session_state["confirm-undo"] = None
        st.rerun()


def templates_section() -> None:
    st.markdown("One CSV template per dataset (the header and an example row) and the rules each column follows. "
                "Files may also be French Excel exports (`;`, decimal comma, day-first dates).")
    for ds in DATASETS:
        with st.expander(f"{ds.name}.csv — {ds.description}"):
            st.download_button(f"Download the {ds.name}.csv template", datadocs.template_csv(ds),
                               file_name=f"{ds.name}.csv", mime="text/csv", key=f"tpl-{ds.name}",
                               icon=":material/download:")
            st.dataframe(pd.DataFrame(datadocs.column_reference(ds)), hide_index=True)
