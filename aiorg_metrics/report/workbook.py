"""The review pack as an XLSX workbook: one sheet per table, written with xlsxwriter.

A `Sheet` is a title, columns (`common.spreadsheet.Column`: the same columns as the CSV downloads, so a
table has one home) and rows. Numbers get real number formats from their column's kind (percent, euros,
months, counts, dates); a cell of a column whose values have mixed units (the scorecard's value) says its
own kind with `Typed`. Text is always written as text: a title like `=cmd|' /C calc'!A0` stays a string
(xlsxwriter's `strings_to_formulas` is off and every text goes through `write_string`).

`pack_sheets` builds the pack's tables for a quarter and a scope (the organization, a business unit or a
team): scorecard, breakdowns by business unit and by team, funnel stages and the use cases waiting, skills
gaps, decisions. Under a unit only that unit and its teams appear (the scorecard keeps the organization's
rows, as the review's CSV download does); under a team, that team.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from aiorg_metrics.access.disclosure import NOTHING, Disclosure
from aiorg_metrics.analysis import decisions as decision_log
from aiorg_metrics.analysis.directory import champions
from aiorg_metrics.analysis.directory import teams as team_directory
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters, compute_funnel
from aiorg_metrics.analysis.skills import SkillsFilters, gap_matrix
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.common.spreadsheet import Column, Kind
from aiorg_metrics.display import decision_text
from aiorg_metrics.display.scorecard import empty_unknown_team, export_rows
from aiorg_metrics.display.tables import OVER_3_MONTHS, STAGE_NAMES, champion_labels
from aiorg_metrics.display.wording import format_target, status_word, unit_name
from aiorg_metrics.display.writers import SCORECARD_COLUMNS, scope_label, scorecard_table_rows
from aiorg_metrics.kpi import BY_ID, KpiResult, Scope, Unit, compute, kpi
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.store.connection import Store

SHEET_NAME_MAX = 31
FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
WIDTH_MIN, WIDTH_MAX = 6, 60
WAITING_PER_STAGE = 100
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


@dataclass(frozen=True)
class Sheet:
    """One table of the workbook: its title (made a safe sheet name when written), columns and rows."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]


@dataclass(frozen=True)
class Typed:
    """A cell that carries its own kind, for a column whose rows have different units."""

    value: object
    kind: Kind
    decimals: int | None = None


# --- writing ---------------------------------------------------------------------------------


def number_format(kind: Kind, decimals: int | None = None) -> str | None:
    """The Excel number format of a kind: `0.0%`, `#,##0 "€"`, `0.0 "months"`, `#,##0`, `yyyy-mm-dd`;
    None for text."""
    formats = {
        Kind.SHARE: f"0{_places(decimals, 1)}%",
        Kind.MONEY: f'#,##0{_places(decimals, 0)} "€"',
        Kind.MONTHS: f'0{_places(decimals, 1)} "months"',
        Kind.COUNT: "#,##0",
        Kind.NUMBER: "General" if decimals is None else f"0{_places(decimals, 0)}",
        Kind.DATE: "yyyy-mm-dd",
        Kind.DATETIME: "yyyy-mm-dd hh:mm",
    }
    return formats.get(kind)


def _places(decimals: int | None, default: int) -> str:
    places = default if decimals is None else decimals
    return "." + "0" * places if places else ""


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Safe, unique sheet names for `titles`: none of []:*?/\\, no quote at either end, at most 31
    characters, unique ignoring case ("Scorecard (2)")."""
    taken: set[str] = set()
    out = []
    for title in titles:
        base = FORBIDDEN_IN_SHEET_NAMES.sub("-", " ".join(title.split())).strip("'") or "Sheet"
        if base.lower() == "history":  # a name Excel keeps for itself
            base = "History table"
        name, n = base[:SHEET_NAME_MAX], 1
        while name.lower() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.lower())
        out.append(name)
    return out


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as the bytes of an XLSX file: header row bold and frozen, an autofilter, columns as wide
    as their content, real number formats, text always text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    styles = _Styles(book)
    for name, sheet in zip(sheet_names(s.title for s in sheets), sheets, strict=True):
        _write_sheet(book.add_worksheet(name), sheet, styles)
    book.close()
    return buffer.getvalue()


class _Styles:
    """The workbook's formats, one per (kind, decimals), made once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": "#E8EEF4", "bottom": 1})
        self.text = book.add_format({"valign": "top"})
        self._made: dict[tuple[Kind, int | None], Any] = {}

    def of(self, kind: Kind, decimals: int | None) -> Any:
        key = (kind, decimals)
        if key not in self._made:
            self._made[key] = self.book.add_format({"num_format": number_format(kind, decimals), "valign": "top"})
        return self._made[key]


def _missing(value: object) -> bool:
    return value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _write_cell(ws: Worksheet, row: int, col: int, value: object, column: Column, styles: _Styles) -> str:
    """Write one cell; return roughly how it reads (for the column's width)."""
    kind, decimals = column.kind, column.decimals
    if isinstance(value, Typed):
        value, kind, decimals = value.value, value.kind, value.decimals
    if _missing(value) or value == "":
        return ""
    if isinstance(value, bool):
        value = "yes" if value else "no"
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, date) and kind is not Kind.TEXT:
        moment = kind is Kind.DATETIME
        ws.write_datetime(row, col, value, styles.of(Kind.DATETIME if moment else Kind.DATE, None))
        return "2026-01-01 00:00" if moment else "2026-01-01"
    if isinstance(value, int | float) and kind is not Kind.TEXT:
        ws.write_number(row, col, value, styles.of(kind, decimals))
        return f"{value:,.{decimals or 1}f}" + {Kind.MONEY: " €", Kind.MONTHS: " months"}.get(kind, "")
    text = value.isoformat() if isinstance(value, date) else str(value)
    ws.write_string(row, col, text, styles.text)
    return text


def _write_sheet(ws: Worksheet, sheet: Sheet, styles: _Styles) -> None:
    widths = [len(c.title) for c in sheet.columns]
    for col, column in enumerate(sheet.columns):
        ws.write_string(0, col, column.title, styles.header)  # a share's cells say % themselves
    for r, row in enumerate(sheet.rows, start=1):
        for col, (value, column) in enumerate(zip(row, sheet.columns, strict=True)):
            widths[col] = max(widths[col], len(_write_cell(ws, r, col, value, column, styles)))
    for col, width in enumerate(widths):
        ws.set_column(col, col, min(max(width + 2, WIDTH_MIN), WIDTH_MAX))
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(sheet.rows), 1), len(sheet.columns) - 1)


# --- the pack's tables -----------------------------------------------------------------------


UNIT_KINDS: dict[Unit, tuple[Kind, int | None]] = {
    Unit.PERCENT: (Kind.SHARE, 1), Unit.EUR: (Kind.MONEY, 0), Unit.MONTHS: (Kind.MONTHS, 1),
    Unit.PEOPLE: (Kind.COUNT, None), Unit.TEAMS: (Kind.COUNT, None), Unit.SCORE: (Kind.NUMBER, 1),
    Unit.PER_TEAM: (Kind.NUMBER, 1), Unit.PER_CHAMPION: (Kind.NUMBER, 1),
}


def kpi_value(kpi_id: str, value: float | None) -> Typed | None:
    """A KPI's value as a cell in its unit's format (a share as a percent, euros, months)."""
    known = BY_ID.get(kpi_id)
    if value is None or known is None:
        return None if value is None else Typed(value, Kind.NUMBER)
    kind, decimals = UNIT_KINDS[known.unit]
    return Typed(value, kind, decimals)


@dataclass(frozen=True)
class PackScope:
    """Where the pack looks: the organization, a business unit, or a team (with its business unit)."""

    business_unit: str | None = None
    team_id: str | None = None

    def unit_of(self, directory: pd.DataFrame) -> str | None:
        """The business unit the scope lies in (the selected one, or the team's)."""
        if self.team_id:
            found = directory.loc[directory["team_id"] == self.team_id, "business_unit"]
            return str(found.iloc[0]) if len(found) else None
        return self.business_unit

    def team_ids(self, directory: pd.DataFrame) -> set[str]:
        """The teams in scope: every team, the unit's, or the one team."""
        if self.team_id:
            return {self.team_id}
        unit = self.business_unit
        return set(directory["team_id"] if unit is None else directory.loc[directory["business_unit"] == unit,
                                                                                   "team_id"])


def pack_sheets(store: Store, quarter: Quarter | str, settings: Settings | None = None,
                business_unit: str | None = None, team_id: str | None = None, *,
                disclosure: Disclosure = NOTHING) -> list[Sheet]:
    """The workbook's tables for `quarter` and a scope (the organization; a business unit; a team):
    Scorecard, By business unit, By team, Funnel, Waiting use cases, Skills gaps, Decisions; champions
    named as `disclosure` allows (their id only, unless told otherwise). ValueError for a
    business unit or team the store does not know (naming the known ones); QuarterError for a quarter
    outside the data."""
    quarter = quarter if isinstance(quarter, Quarter) else Quarter.parse(str(quarter))
    settings = settings or Settings()
    scope = PackScope(business_unit, team_id)
    with store.reading() as cur:
        directory = team_directory(cur)
        _check_scope(scope, directory)
        unit = scope.unit_of(directory)
        funnel = compute_funnel(cur, quarter, filters=FunnelFilters(business_unit=unit if not team_id else None,
                                                                    team_id=team_id),
                                waiting_limit=WAITING_PER_STAGE)
        champion_names = champion_labels(champions(cur, quarter), disclosure)
        gaps = gap_matrix(cur, "team", SkillsFilters(team_id=team_id, business_unit=unit if not team_id else None))
    names = dict(zip(directory["team_id"], directory["team_name"], strict=True))
    teams = scope.team_ids(directory)
    by_unit = compute(store, quarter, by=Scope.BUSINESS_UNIT, settings=settings)
    by_team = compute(store, quarter, by=Scope.TEAM, settings=settings)
    units = [r for r in by_unit if r.scope_type is Scope.BUSINESS_UNIT and unit in (None, r.scope_value)
             and not empty_unknown_team(r)]
    team_results = [r for r in by_team if r.scope_type is Scope.TEAM and r.scope_value in teams]
    shown = export_rows(by_unit + (team_results if unit else []), unit, teams)
    decisions = [d for d in decision_log.for_quarter(store, str(quarter), settings)
                 if decision_text.in_selection(d.scope, unit, teams)]
    return [
        scorecard_sheet(shown, names),
        breakdown_sheet("By business unit", units, {}),
        breakdown_sheet("By team", team_results, names, directory),
        funnel_sheet(funnel),
        waiting_sheet(funnel, names, champion_names),
        skills_sheet(gaps, names),
        decisions_sheet(decisions, names),
    ]


def _check_scope(scope: PackScope, directory: pd.DataFrame) -> None:
    """ValueError naming the known ones when the business unit or team is not in the store's teams."""
    if scope.team_id and scope.team_id not in set(directory["team_id"]):
        raise ValueError(f"unknown team {scope.team_id!r}; known: {', '.join(sorted(directory['team_id']))}")
    units = sorted(set(directory["business_unit"]))
    if scope.business_unit and scope.business_unit not in units:
        raise ValueError(f"unknown business unit {scope.business_unit!r}; known: {', '.join(units)}")


SCORECARD_VALUES = ("Value", "Previous quarter", "Year ago")


def scorecard_sheet(results: Sequence[KpiResult], names: Mapping[str, str]) -> Sheet:
    """The scorecard: the columns and rows of the review's CSV download, values formatted in their unit."""
    rows = scorecard_table_rows(results, names)
    where = {c.title: i for i, c in enumerate(SCORECARD_COLUMNS)}
    for row, r in zip(rows, results, strict=True):
        for title, value in zip(SCORECARD_VALUES, (r.value, r.previous, r.year_ago), strict=True):
            row[where[title]] = kpi_value(r.kpi, value)
    return Sheet("Scorecard", SCORECARD_COLUMNS, rows)


# A column of values of several KPIs mixes units: a Unit column beside it names each row's (the CSVs write
# a share as percent points, the workbook formats it).
BREAKDOWN_COLUMNS = (Column("KPI"), Column("Business unit"), Column("Value", Kind.NUMBER), Column("Unit"),
                     Column("Target"), Column("Status"), Column("n", Kind.COUNT))
TEAM_BREAKDOWN_COLUMNS = (Column("KPI"), Column("Business unit"), Column("Team"), Column("Value", Kind.NUMBER),
                          Column("Unit"), Column("Target"), Column("Status"), Column("n", Kind.COUNT))


def breakdown_sheet(title: str, results: Sequence[KpiResult], names: Mapping[str, str],
                    directory: pd.DataFrame | None = None) -> Sheet:
    """One row per (KPI, business unit or team): label, name, value, target, status word, population."""
    units = {} if directory is None else dict(zip(directory["team_id"], directory["business_unit"], strict=True))
    rows = []
    for r in results:
        k = kpi(r.kpi)
        where = [unit_name(r.scope_value or "")] if directory is None else [units.get(r.scope_value, ""),
                                                           names.get(r.scope_value or "", r.scope_value)]
        rows.append([k.label, *where, kpi_value(r.kpi, r.value), k.unit.value, format_target(k, r.target),
                     status_word(r.status, r.partial_window), r.n])
    return Sheet(title, BREAKDOWN_COLUMNS if directory is None else TEAM_BREAKDOWN_COLUMNS, rows)


FUNNEL_COLUMNS = (Column("Stage"), Column("Use cases", Kind.COUNT), Column("Share of previous stage", Kind.SHARE, 0),
                  Column("Share of identified", Kind.SHARE, 0), Column("Median days", Kind.NUMBER, 0),
                  Column("p90 days", Kind.NUMBER, 0))


def funnel_sheet(funnel: Funnel) -> Sheet:
    """The funnel's stages: use cases reaching each, conversion shares, days from the previous stage."""
    rows = [[STAGE_NAMES.get(s.stage, s.stage), s.reached, s.share_of_previous, s.share_of_first, s.median_days,
             s.p90_days] for s in funnel.stages]
    return Sheet("Funnel", FUNNEL_COLUMNS, rows)


WAITING_COLUMNS = (Column("Waiting in"), Column("Use case"), Column("Title"), Column("Team"), Column("Champion"),
                   Column("Since", Kind.DATE), Column("Months waiting", Kind.MONTHS, 1),
                   Column("Flag"))


def waiting_sheet(funnel: Funnel, names: Mapping[str, str], champion_names: Mapping[str, str] | None = None) -> Sheet:
    """The funnel's items: the use cases waiting longest in each stage before adoption (a champion by their
    label, "Chloé Weber (CH-013)", from `champion_names` when known)."""
    w, champions_named = funnel.waiting, champion_names or {}
    rows = [[STAGE_NAMES.get(stage, stage), uc, title, names.get(team, team), champions_named.get(champion, champion),
             since, months, OVER_3_MONTHS if late else ""]
            for stage, uc, title, team, champion, since, months, late in zip(
                w["stage"], w["use_case_id"], w["title"], w["team_id"], w["champion_id"], w["entered_date"],
                w["age_months"], w["over_3_months"], strict=True)]
    return Sheet("Waiting use cases", WAITING_COLUMNS, rows)


SKILLS_COLUMNS = (Column("Team"), Column("Skill"), Column("Employees", Kind.COUNT),
                  Column("Required level", Kind.NUMBER, 2), Column("Assessed level", Kind.NUMBER, 2),
                  Column("Gap", Kind.NUMBER, 2), Column("Below required", Kind.COUNT))


def skills_sheet(gaps: pd.DataFrame, names: Mapping[str, str]) -> Sheet:
    """Skills gaps per team and skill (mean required and assessed levels, 1–5; employees below)."""
    rows = [[names.get(team, team), str(skill).replace("_", " "), employees, required, assessed, gap, below]
            for team, skill, employees, required, assessed, gap, below in zip(
                gaps["group"], gaps["skill"], gaps["employees"], gaps["required_mean"], gaps["assessed_mean"],
                gaps["gap_mean"], gaps["below_required"], strict=True)]
    return Sheet("Skills gaps", SKILLS_COLUMNS, rows)


DECISION_COLUMNS = (Column("Id", Kind.COUNT), Column("Taken in"), Column("KPI"), Column("Scope"),
                    Column("Decision"), Column("Owner"), Column("Due"), Column("Status"), Column("Overdue"),
                    Column("Value then", Kind.NUMBER), Column("Value now", Kind.NUMBER), Column("Unit"),
                    Column("Scope still exists"), Column("Last changed by"), Column("Last changed", Kind.DATETIME))


def decisions_sheet(decisions: Sequence[decision_log.Decision], names: Mapping[str, str]) -> Sheet:
    """The decisions the review shows (taken this quarter, or earlier and still open), with their follow-up."""
    rows = []
    for d in decisions:
        now = d.current
        kind, value = decision_log.split_scope(d.scope)
        rows.append([d.id, d.quarter, d.kpi_label, scope_label(kind, value, names), now.text, now.owner, now.due,
                     now.status.capitalize(), d.overdue, kpi_value(d.kpi, d.value_then), kpi_value(d.kpi, d.value_now),
                     unit_words(d.kpi), d.scope_exists, now.changed_by,
                     now.changed_at.replace(second=0, microsecond=0)])
    return Sheet("Decisions", DECISION_COLUMNS, rows)


def unit_words(kpi_id: str) -> str:
    """The unit a KPI's values are in, as the Unit columns say it ("percent", "EUR"); empty for a KPI no
    longer known."""
    known = BY_ID.get(kpi_id)
    return known.unit.value if known else ""

