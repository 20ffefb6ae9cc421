"""The types of the KPI registry: closed sets as enums, each KPI as one frozen record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.kpi.status import Status, Target, TargetSource


class Theme(StrEnum):
    CHAMPIONS = "champions network"
    PIPELINE = "pipeline & conversion"
    ADOPTION = "adoption"
    ORGANIZATION = "organization"
    SKILLS = "training & skills"


class Scope(StrEnum):
    """Where a result belongs. The value doubles as the column name in the units SQL."""

    ORG = "org"
    BUSINESS_UNIT = "business_unit"
    TEAM = "team"
    CHAMPION = "champion"
    AI_TEAM = "ai_team"


BREAKDOWNS: tuple[Scope, ...] = (Scope.BUSINESS_UNIT, Scope.TEAM, Scope.CHAMPION, Scope.AI_TEAM)


class Window(StrEnum):
    """Which dates of the data a KPI reads for quarter Q."""

    QUARTER = "events dated in the quarter"
    T4Q = "the four quarters ending with the quarter (12 months)"
    END_OF_QUARTER = "the state at the end of the quarter"
    CURRENT = "the current data, the same for every quarter"


class Unit(StrEnum):
    PERCENT = "percent"
    PER_TEAM = "champions per team"
    PER_CHAMPION = "use cases per champion"
    SCORE = "score out of 5"
    MONTHS = "months"
    EUR = "EUR"
    PEOPLE = "people"
    TEAMS = "teams"  # how a value of each unit reads: display.wording


class Page(StrEnum):
    """The dashboard pages that show KPI cards (the review shows every KPI; the glossary lists them all)."""

    REVIEW = "review"
    HUB_SPOKE = "hub_spoke"
    FUNNEL = "funnel"
    SKILLS = "skills"


@dataclass(frozen=True)
class Population:
    """What a KPI's counts are, for the card's population line ("53 of 174 use cases identified in
    12 months", "38 active champions / 25 business teams", "n = 38 active champions").

    `noun` names what the denominator (or n) counts; `numerator` what the numerator counts when the
    KPI is a ratio rather than a share of the noun ("" for a share). "{s}" takes the plural's "s".
    """

    noun: str
    numerator: str = ""


@dataclass(frozen=True)
class DatedBy:
    """A dated column of a dataset (what places a row in a quarter)."""

    dataset: str
    column: str

    def __str__(self) -> str:
        return f"{self.dataset}.{self.column}"


@dataclass(frozen=True)
class Context:
    """What a KPI's note and status hooks may read besides its aggregates."""

    model: OrgModel


Aggregates = Mapping[str, Any]
NoteHook = Callable[[Aggregates, Context], "str | None"]
StatusHook = Callable[[Aggregates, Context], "Status | None"]


@dataclass(frozen=True)
class Query:
    """How a KPI is computed, set-based, for many quarters at once.

    `units` is a SELECT returning one row per member of the population per period
    (column `period`), with the scope columns the KPI has (`business_unit`, `team`,
    `champion`, `ai_team`; NULL when the row's reference is unresolved) and the measures
    the aggregates read. The aggregates are SQL expressions over those rows; `empty`
    says the population is empty; `left_out` counts rows a breakdown cannot place
    (evaluated on the NULL group). `extras` are named aggregates for notes.
    `needs` names the shared relations (see `relations.py`) the units read.
    """

    units: str
    value: str
    n: str = "count(*)"
    numerator: str | None = None
    denominator: str | None = None
    empty: str = "count(*) = 0"
    left_out: str = "count(*)"
    extras: tuple[tuple[str, str], ...] = ()
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kpi:
    """One KPI of SPEC §3.3: what it means, its target and how it is computed."""

    id: str
    label: str
    theme: Theme
    description: str
    unit: Unit
    scopes: tuple[Scope, ...]
    window: Window
    dated_by: tuple[DatedBy, ...]
    query: Query
    population: Population
    pages: tuple[Page, ...]  # where its card shows: the review, and the pages of its theme
    target: Target | None = None
    target_source: TargetSource | None = None
    guide_section: str | None = None
    targets_by_model: tuple[tuple[OrgModel, Target], ...] = ()
    # The guide's words for the target under each model, when they differ by model (spoke staffing):
    # a card quotes only the model in force.
    guide_sections_by_model: tuple[tuple[OrgModel, str], ...] = ()
    # Which dated column decides a partial twelve-month window (T4Q KPIs only).
    window_start_of: DatedBy | None = None
    # Breakdown rows: team scope limited to these team kinds; an `unknown team` group.
    team_kinds: tuple[str, ...] = ()
    unknown_team_group: bool = False
    # Who a breakdown leaves out when their reference is unresolved, singular and plural
    # ("use case whose team is unknown"); the note reads "3 use cases whose team is … left out…".
    left_out_what: tuple[str, str] = ("row whose reference is unknown", "rows whose reference is unknown")
    note: NoteHook | None = None
    forced_status: StatusHook | None = None
    # The org-model advisor reads its organization value (a transition indicator of the guide).
    advisor_input: bool = False
    # A survey's answers: below the organization, withheld with fewer than `min_survey_answers` (SPEC §2.9).
    survey_based: bool = False
    # Its measure adds up over the quarter (counts of active champions, hours, meetups, use cases):
    # six weeks of a quarter hold about half a quarter's worth, so a part quarter is not judged.
    accumulates_in_quarter: bool = False

    @property
    def dated(self) -> bool:
        """False for KPIs on undated data (teams, skills): no previous or year-ago value."""
        return self.window is not Window.CURRENT

    def default_target(self, model: OrgModel) -> Target | None:
        """The spec's target for this KPI under `model` (None: no target, status info)."""
        if self.targets_by_model:
            return dict(self.targets_by_model).get(model)
        return self.target

    def guide_section_for(self, model: OrgModel | None) -> str | None:
        """The guide's section behind the target under `model` (every model's when None or not listed)."""
        return dict(self.guide_sections_by_model).get(model, self.guide_section) if model else self.guide_section

    @property
    def fixed_amber_max(self) -> float | None:
        """The fixed amber zone's upper end (hub_size), kept when a target is overridden."""
        for _, target in self.targets_by_model:
            if target.amber_max is not None:
                return target.amber_max
        return self.target.amber_max if self.target else None
