"""The review pack's content for a quarter and a scope, Streamlit-free: what the HTML (and so the PDF)
pack shows, in the order a CAIO sends it to the executive committee — cover (scope, data freshness and
the imports behind it), executive summary, scorecard, needs attention with owners, funnel, hub & spoke
health and the advisor, skills and training, decisions and their follow-up.

The review's own content (cards, needs attention, hidden-by-green-total items, summary) comes from
`display.review.build_review`, never recomputed; hub & spoke health and skills and training are
assembled for the app's pages and the pack alike (`display.hub_spoke`, `display.skills_view`), at the
same scope (organization-wide parts carry the app's "organization-wide" tag).

Person-level details follow the reader's `Disclosure` (champion names in the waiting list, employee ids in
the single points of failure): a pack built for a viewer holds none. It discloses nothing unless told.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from aiorg_metrics.access.disclosure import NOTHING, Disclosure
from aiorg_metrics.analysis import advisor
from aiorg_metrics.analysis import decisions as decision_log
from aiorg_metrics.analysis.decisions import Decision
from aiorg_metrics.analysis.directory import champions, freshness
from aiorg_metrics.analysis.funnel import Funnel, FunnelFilters, compute_funnel
from aiorg_metrics.common.clock import today
from aiorg_metrics.display import decision_text, tables
from aiorg_metrics.display.hub_spoke import hub_parts, queue_now
from aiorg_metrics.display.review import (
    Review,
    ReviewScope,
    ReviewSource,
    build_review,
    members,
    team_names,
)
from aiorg_metrics.display.scorecard import ORG_WIDE, Card
from aiorg_metrics.display.skills_view import gap_filters, training_parts
from aiorg_metrics.display.wording import IN_PROGRESS_MEANING, dataset_name, in_progress_text, part_quarter_text
from aiorg_metrics.ingestion.import_log import history, holds_sample
from aiorg_metrics.ingestion.import_report import Outcome
from aiorg_metrics.kpi import BY_ID, Page, kpis_on
from aiorg_metrics.kpi.relations import UNASSIGNED
from aiorg_metrics.kpi.status import Target
from aiorg_metrics.store.connection import Store

WAITING_SHOWN = 5  # use cases listed per funnel stage, as on the funnel page
STORED = {Outcome.STORED.value, Outcome.STORED_WITH_SKIPS.value, Outcome.UNCHANGED.value}  # as directory.freshness


@dataclass(frozen=True)
class ImportLine:
    """The latest import that stored a dataset: what, from which file, how many rows, when and by whom."""

    dataset: str  # in words
    file_name: str
    rows: int | None
    at: datetime
    by: str


@dataclass(frozen=True)
class Freshness:
    """How current the pack's data is: the days it spans, the quarter's banner (in progress or part
    quarter, the app's wording; None for a whole quarter) and the imports behind it."""

    first_day: date | None
    last_day: date | None
    banner: str | None
    imports: tuple[ImportLine, ...]


@dataclass(frozen=True)
class HubSection:
    """Hub & spoke health at the pack's scope: statuses by unit (teams under a unit or team filter), the
    shape KPIs, the AI teams' queues, shadow AI, and the advisor (always organization-wide)."""

    matrix: pd.DataFrame
    matrix_level: str  # "business unit" or "team"
    structure_cards: list[Card]
    queue: pd.DataFrame  # per AI team in the quarter: name, waiting, value, status, value_text
    queue_target: Target | None
    shadow_teams: pd.DataFrame  # Team, Business unit, AI staff, Headcount
    advice: advisor.Advice
    org_tag: str | None  # on the parts that read the whole organization under a filter
    unit_tag: str | None  # on the parts that read the unit while a team is selected


@dataclass(frozen=True)
class SkillsSection:
    """Skills and training at the pack's scope: the KPIs, gaps by role, single points of failure
    (organization-wide) and spend and practice by unit (by team under a filter)."""

    cards: list[Card]
    gaps: pd.DataFrame  # skills.gap_matrix by role
    single_points: pd.DataFrame  # tables.single_points_of_failure
    level: str  # "business unit" or "team"
    spend: pd.DataFrame  # unit_rows of training spend per learner
    spend_target: Target | None
    practice: pd.DataFrame  # unit_rows of the practice share
    practice_target: Target | None
    org_tag: str | None


@dataclass(frozen=True)
class DecisionLine:
    """A decision as the pack lists it, in words."""

    decision: Decision
    kpi_label: str
    scope: str  # "Business unit: Insurance"
    status: str  # "Open", "Overdue, due 2026-Q2"…
    follow_up: str  # "Adoption of deployed solutions in Insurance: 42% → 55% since the decision of 2026-Q2"
    tag: str | None  # "organization-wide" for an organization decision under a filter

    @property
    def overdue(self) -> bool:
        return self.decision.overdue


@dataclass(frozen=True)
class Pack:
    """Everything the review pack shows for one quarter and scope."""

    view: ReviewScope
    made_on: date
    review: Review
    sample: bool  # the store holds the sample organization
    freshness: Freshness
    funnel: Funnel
    conversion_cards: list[Card]  # the funnel page's conversion KPIs, from the review's cards
    waiting: pd.DataFrame  # tables.waiting_longest, in words
    hub: HubSection
    skills: SkillsSection
    decisions: list[DecisionLine]

    @property
    def title(self) -> str:
        return f"Quarterly AI review — {self.view.quarter}"

    @property
    def scope_words(self) -> str:
        """The scope as the cover names it: "Whole organization", "Business unit Insurance"."""
        text = self.view.scope_text
        return text[0].upper() + text[1:]


def build_pack(source: ReviewSource, store: Store, view: ReviewScope, *, disclosure: Disclosure = NOTHING) -> Pack:
    """The review pack's content for `view`'s quarter and scope (the review read through `source`, the
    funnel, advisor, skills and decisions from `store`), with the person-level details `disclosure` allows."""
    review = build_review(source, view)
    names = team_names(source)
    with store.reading() as cur:
        span = freshness(cur)
        imports = latest_imports(history(cur))
        sample = holds_sample(cur)
        funnel = compute_funnel(cur, view.quarter, filters=FunnelFilters(view.business_unit, view.team_id),
                                waiting_limit=WAITING_SHOWN)
        champion_names = tables.champion_labels(champions(cur, view.quarter), disclosure)
    return Pack(
        view=view, made_on=today(), review=review, sample=sample,
        freshness=Freshness(span.first_day, span.last_day, banner_text(review, view), imports),
        funnel=funnel, conversion_cards=_in_scope(review.cards, Page.FUNNEL),
        waiting=tables.waiting_longest(funnel, names, champion_names),
        hub=hub_section(source, view, review.cards),
        skills=skills_section(source, view, review.cards, disclosure),
        decisions=decision_lines(store, source, view, names),
    )


def banner_text(review: Review, view: ReviewScope) -> str | None:
    """The app's banner for a quarter in progress or a part quarter (None for a whole quarter)."""
    if review.as_of is not None:
        return f"{in_progress_text(view.quarter, review.as_of)}. {IN_PROGRESS_MEANING}"
    if review.part_to is not None:
        return f"{part_quarter_text(view.quarter, review.part_to)}."
    return None


def latest_imports(log: pd.DataFrame) -> tuple[ImportLine, ...]:
    """Per dataset, the latest import that stored it (newest first): file, rows in the file, when, who."""
    if log.empty:
        return ()
    stored = log[log["outcome"].isin(STORED) & log["undone_by"].isna()]
    latest = stored.drop_duplicates("dataset", keep="first")
    return tuple(
        ImportLine(dataset_name(row.dataset) if row.dataset != "all" else "all datasets",
                   str(row.file_name) if isinstance(row.file_name, str) else "–",
                   None if pd.isna(row.rows_in_file) else int(row.rows_in_file),
                   pd.Timestamp(row.started_at).to_pydatetime(), str(row.user_name))
        for row in latest.itertuples(index=False)
    )


def _in_scope(cards: Sequence[Card], page: Page) -> list[Card]:
    """The review's cards of the KPIs a page shows (the same cards, at the same scope)."""
    shown = {k.id for k in kpis_on(page)}
    return [c for c in cards if c.kpi.id in shown]


def hub_section(source: ReviewSource, view: ReviewScope, cards: Sequence[Card]) -> HubSection:
    """Hub & spoke health as the hub & spoke page shows it for the selection (`display.hub_spoke`)."""
    parts = hub_parts(source, view)
    return HubSection(
        matrix=parts.matrix, matrix_level=parts.matrix_level, structure_cards=_in_scope(cards, Page.HUB_SPOKE),
        queue=queue_now(parts, view.quarter).reset_index(drop=True), queue_target=parts.queue_target,
        shadow_teams=parts.shadow_teams.drop(columns="team_id").rename(columns={
            "team_name": "Team", "business_unit": "Business unit", "ai_staff": "AI staff", "headcount": "Headcount"}),
        advice=parts.advice, org_tag=parts.org_tag, unit_tag=parts.unit_tag,
    )


def skills_section(source: ReviewSource, view: ReviewScope, cards: Sequence[Card],
                   disclosure: Disclosure = NOTHING) -> SkillsSection:
    """Skills and training as the skills page shows them for the selection (`display.skills_view`), the
    gaps of every role; the single points of failure name employees only when `disclosure` shows their ids."""
    training = training_parts(source, view)
    raw = training.single_points
    single_points = tables.single_points_of_failure(raw, disclosure) if not raw.empty else raw.iloc[0:0, 0:0]
    return SkillsSection(
        cards=_in_scope(cards, Page.SKILLS), gaps=source.skill_gaps(gap_filters(view)),
        single_points=single_points,
        level=training.level, spend=training.spend, spend_target=training.spend_target,
        practice=training.practice, practice_target=training.practice_target, org_tag=training.org_tag,
    )


def decision_lines(store: Store, source: ReviewSource, view: ReviewScope,
                   names: dict[str, str]) -> list[DecisionLine]:
    """The decisions the review of the quarter shows (taken in it, or earlier and still open), those of
    the selection, overdue first, each with its follow-up in words."""
    quarter, teams = str(view.quarter), members(source, view)
    labels = names | {UNASSIGNED: decision_text.NO_AI_TEAM}
    listed = [d for d in decision_log.for_quarter(store, quarter, source.settings)
              if decision_text.in_selection(d.scope, view.unit, teams)]
    return [
        DecisionLine(
            d, BY_ID[d.kpi].label if d.kpi in BY_ID else d.kpi_label,
            decision_text.scope_text(d.scope, labels) + ("" if d.scope_exists else f" ({decision_text.SCOPE_GONE})"),
            decision_text.status_text(d), decision_text.follow_up(d, quarter, labels),
            ORG_WIDE if view.unit and d.scope == "org" else None,
        )
        for d in decision_text.ordered(listed)
    ]
