"""Diagnostics of the AI organization model in place (SPEC §3.4): the guide's drawbacks of that
model, each turned into a rule on the data, with its figure and the guide's own words.

hub & spoke: the hub still a bottleneck (its own median wait > 3 months), spokes outside the
2-5 AI staff the guide draws, business units whose adoption is below 50%. Federated: the same
work in two units (near-identical use-case titles), BU AI teams outside 5-15. Embedded: no
self-service AI platform. The centralized model's diagnostics are its transition indicators,
which the advisor evaluates (`advisor.py`).

Every threshold comes from the guide except the title similarity, a product default, and each
diagnostic says which. `figures_for_quarter` reads the inputs from the store and the KPI
engine; `diagnose` takes them as plain data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import duckdb
import numpy as np
from rapidfuzz import fuzz, process, utils

from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.common.words import count_of
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.datasets.registry import TeamKind
from aiorg_metrics.kpi.engine import SPOKE_BANDS, compute
from aiorg_metrics.kpi.model import Scope
from aiorg_metrics.kpi.settings import Settings

QUEUE_MONTHS_LIMIT = 3.0  # guide: "File d'attente de demandes > 3 mois"
ADOPTION_FLOOR = 0.50  # guide: "Taux d'adoption des modeles < 50%"
# Product default: two titles this similar (rapidfuzz ratio after lower-casing and stripping
# punctuation, 0-100) name the same work. On the sample, templated titles that differ by one
# word ("... renewal churn" / "... credit card churn") score at most 86.
DUPLICATE_TITLE_SIMILARITY = 90
PAIRS_SHOWN = 5
_PAIRS_KEPT = 100
_CHUNK = 1000  # titles compared per block, so memory stays flat on large exports

CENTRALIZED_DRAWBACKS = "Modele 1 — Centralise: Inconvenients"
CENTRALIZED_TRANSITION = "Modele 1 — Centralise: Indicateurs de transition vers le modele suivant"
HUB_SPOKE_DRAWBACKS = "Modele 2 — Hub & Spoke: Inconvenients"
FEDERATED_DRAWBACKS = "Modele 3 — Federe: Inconvenients"
EMBEDDED_DRAWBACKS = "Modele 4 — Embedded: Inconvenients"

BOTTLENECK = "Bottleneck : toutes les demandes passent par un point unique, creant des files d'attente."
QUEUE_LINE = "File d'attente de demandes > 3 mois."
DISCONNECT = "Taux d'adoption des modeles < 50% (signe de deconnexion metier)."


class Source(StrEnum):
    GUIDE = "guide"
    PRODUCT_DEFAULT = "product default"


@dataclass(frozen=True)
class Diagnostic:
    """One rule on the model in place: lit or not (None: no figure this quarter), and why."""

    id: str
    model: OrgModel
    label: str
    lit: bool | None
    figure: str
    rule: str
    guide_text: str
    guide_section: str
    source: Source
    explanation: str
    data: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


@dataclass(frozen=True)
class AiTeam:
    """An AI hub or spoke of teams.csv."""

    team_id: str
    name: str
    business_unit: str
    kind: str  # ai_hub or ai_spoke
    ai_staff: int


@dataclass(frozen=True)
class TeamQueue:
    """One AI team's demand queue at the quarter's end (demand_queue_months at ai_team scope)."""

    team_id: str
    median_months: float | None
    waiting: int


@dataclass(frozen=True)
class UnitAdoption:
    """adoption_rate of one business unit (n: its solution-months)."""

    business_unit: str
    rate: float
    n: int


@dataclass(frozen=True)
class UseCaseTitle:
    use_case_id: str
    title: str
    business_unit: str


@dataclass(frozen=True)
class DiagnosticFigures:
    """The plain inputs of the diagnostics for one quarter."""

    ai_teams: tuple[AiTeam, ...] = ()
    queues: tuple[TeamQueue, ...] = ()
    waiting_total: int = 0
    unit_adoption: tuple[UnitAdoption, ...] = ()
    titles: tuple[UseCaseTitle, ...] = ()


@dataclass(frozen=True)
class Guidance:
    """What the guide says to do when a diagnostic is lit."""

    lit: tuple[str, ...]  # the lit diagnostics' labels
    move_to: OrgModel | None  # the recommended model, when it differs from the current one
    move_reason: str
    practices: tuple[str, ...]
    practices_source: str


GOOD_PRACTICES: dict[OrgModel, tuple[str, tuple[str, ...]]] = {
    OrgModel.HUB_SPOKE: ("Modele 2 — Hub & Spoke: Bonnes pratiques", (
        "Definir clairement les responsabilites hub vs spoke (RACI matrix).",
        "Mettre en place des rituels de synchronisation (weekly sync, monthly review, quarterly planning).",
        "Creer une communaute de pratique regroupant hub et spokes (partage d'experience, pair programming, "
        "code reviews croisees).",
        "Utiliser les memes outils et pipelines (impose par le hub) pour faciliter la mobilite et la collaboration.",
    )),
    OrgModel.FEDERATED: ("Modele 3 — Federe: Mecanismes de coherence dans un modele federe", (
        "Guildes IA : communautes de pratique transverses par specialite (ML Engineering guild, LLM guild, "
        "MLOps guild). Rencontres mensuelles, partage de code et de patterns.",
        "Architecture de reference : templates, blueprints et patterns valides par le central, adoptes "
        "volontairement par les BU.",
        "Inner source : bibliotheques internes et outils partages en open source interne, avec contribution "
        "de toutes les BU.",
        "KPIs IA centralises : tableaux de bord consolides pour la direction, alimentes par les BU.",
        "AI Council : comite trimestriel reunissant les Heads of AI des BU et le CAIO pour l'alignement "
        "strategique.",
    )),
}


def _band_text(band: tuple[float, float]) -> str:
    return f"{band[0]:g}–{band[1]:g}"


def _names(teams: Sequence[AiTeam]) -> dict[str, str]:
    return {t.team_id: t.name for t in teams}


# --- hub & spoke -------------------------------------------------------------------


def _hub_queue_text(name: str, queue: TeamQueue, total: int) -> str:
    if queue.median_months is None or not total:
        return f"{name}: nobody waiting ({total} waiting in all)"
    return (f"{name}: median wait {queue.median_months:.1f} months, {queue.waiting} of the {total} waiting items "
            f"({queue.waiting / total:.0%})")


def hub_bottleneck(figures: DiagnosticFigures) -> Diagnostic:
    """The hub still behaving like the centralized model's bottleneck: its own median wait > 3 months."""
    hubs = [t for t in figures.ai_teams if t.kind == TeamKind.AI_HUB.value]
    by_team = {q.team_id: q for q in figures.queues}
    queues = [by_team.get(t.team_id, TeamQueue(t.team_id, None, 0)) for t in hubs]
    names, total = _names(figures.ai_teams), figures.waiting_total
    lit: bool | None = None
    if hubs and figures.queues:
        lit = any(q.median_months is not None and q.median_months > QUEUE_MONTHS_LIMIT for q in queues)
    figure = "; ".join(_hub_queue_text(names[q.team_id], q, total) for q in queues) if lit is not None else (
        "no AI hub in teams.csv" if not hubs else "no use case by the quarter's end")
    if lit is None:
        explanation = "No figure: " + figure + "."
    elif lit:
        explanation = ("The hub's own queue is longer than the guide's 3 months: the hub still works as the single "
                       "entry point of the centralized model, and the spokes do not relieve it.")
    else:
        explanation = "The hub's own queue stays within the guide's 3 months."
    return Diagnostic(
        id="hub_bottleneck", model=OrgModel.HUB_SPOKE, label="Hub bottleneck", lit=lit, figure=figure,
        rule="the AI hub's own median wait is longer than 3 months", guide_text=f"{BOTTLENECK} {QUEUE_LINE}",
        guide_section=f"{CENTRALIZED_DRAWBACKS}; {CENTRALIZED_TRANSITION}", source=Source.GUIDE,
        explanation=explanation,
        data={"hubs": [{"team_id": q.team_id, "median_months": q.median_months, "waiting": q.waiting}
                       for q in queues], "waiting_total": total},
    )


def spoke_inequality(figures: DiagnosticFigures) -> Diagnostic:
    """Spokes outside the 2-5 AI staff of the guide's hub & spoke schema."""
    band = SPOKE_BANDS[OrgModel.HUB_SPOKE]
    spokes = [t for t in figures.ai_teams if t.kind == TeamKind.AI_SPOKE.value]
    outside = [t for t in spokes if not band[0] <= t.ai_staff <= band[1]]
    lit = bool(outside) if spokes else None
    staff = ", ".join(f"{t.name} {t.ai_staff}" for t in spokes)
    figure = (f"{staff}; outside {_band_text(band)}: {', '.join(f'{t.name} ({t.ai_staff})' for t in outside)}"
              if outside else staff or "no AI spoke in teams.csv")
    explanation = (
        "No figure: no AI spoke in teams.csv." if lit is None
        else f"{len(outside)} of the {len(spokes)} spokes outside the {_band_text(band)} AI staff the guide draws "
             "per spoke: some units attract more AI talent than others." if lit
        else f"Every spoke has {_band_text(band)} AI staff."
    )
    return Diagnostic(
        id="spoke_inequality", model=OrgModel.HUB_SPOKE, label="Spoke inequality", lit=lit, figure=figure,
        rule=f"any AI spoke outside {_band_text(band)} AI staff",
        guide_text="Inegalite entre spokes : certaines BU attirent plus de talents que d'autres. "
                   "(Schema: Spoke BU DS+MLE (2-5).)",
        guide_section=HUB_SPOKE_DRAWBACKS, source=Source.GUIDE, explanation=explanation,
        data={"spokes": {t.team_id: t.ai_staff for t in spokes}, "outside": [t.team_id for t in outside]},
    )


def low_adoption(figures: DiagnosticFigures) -> Diagnostic:
    """Business units whose adoption of deployed solutions is below 50%."""
    units = sorted(figures.unit_adoption, key=lambda u: u.rate)
    below = [u for u in units if u.rate < ADOPTION_FLOOR]
    lit = bool(below) if units else None
    shown = ", ".join(f"{u.business_unit} {u.rate:.0%} (n = {u.n})" for u in below)
    figure = (f"below 50%: {shown}" if below
              else f"lowest: {units[0].business_unit} {units[0].rate:.0%}" if units
              else "no business unit with a deployed solution")
    explanation = (
        "No figure: no business unit has an adoption rate this quarter." if lit is None
        else f"{count_of(len(below), 'business unit')} below the guide's 50%: solutions built there are little used, "
             "the sign of an AI team far from the business." if lit
        else "Every business unit adopts at least half of its deployed solutions."
    )
    return Diagnostic(
        id="low_adoption", model=OrgModel.HUB_SPOKE, label="Low adoption in a business unit", lit=lit, figure=figure,
        rule="a business unit's adoption rate below 50%",
        guide_text=f"{DISCONNECT} Deconnexion metier : risque de developper des modeles techniquement bons mais "
                   "peu adoptes.",
        guide_section=f"{CENTRALIZED_TRANSITION}; {CENTRALIZED_DRAWBACKS}", source=Source.GUIDE,
        explanation=explanation, data={"units": {u.business_unit: u.rate for u in units}},
    )


# --- federated ---------------------------------------------------------------------


def similar_title_pairs(titles: Sequence[UseCaseTitle], threshold: int = DUPLICATE_TITLE_SIMILARITY
                        ) -> tuple[int, list[tuple[UseCaseTitle, UseCaseTitle, float]]]:
    """Pairs of use cases of two different business units whose titles score >= threshold.

    Returns the number of pairs and the most similar of them (at most 100).
    """
    texts = [utils.default_process(t.title) for t in titles]
    units = np.array([t.business_unit for t in titles], dtype=object)
    count, kept = 0, []
    for start, block in _blocks(texts):
        scores = process.cdist(block, texts, scorer=fuzz.ratio, score_cutoff=threshold, dtype=np.uint8, workers=1)
        rows, cols = np.nonzero(scores)
        rows = rows + start
        keep = (cols > rows) & (units[rows] != units[cols])
        count += int(keep.sum())
        kept += [(titles[i], titles[j], float(scores[i - start, j]))
                 for i, j in zip(rows[keep], cols[keep], strict=True)]
        kept = sorted(kept, key=lambda p: -p[2])[:_PAIRS_KEPT]
    return count, kept


def _blocks(texts: list[str]) -> Iterator[tuple[int, list[str]]]:
    for start in range(0, len(texts), _CHUNK):
        yield start, texts[start:start + _CHUNK]


def duplication(figures: DiagnosticFigures) -> Diagnostic:
    """The same work started in two units: use cases with near-identical titles in different business units."""
    count, pairs = similar_title_pairs(figures.titles)
    lit = bool(count) if figures.titles else None
    shown = "; ".join(f'"{a.title}" ({a.business_unit}) ≈ "{b.title}" ({b.business_unit})'
                      for a, b, _ in pairs[:PAIRS_SHOWN])
    more = f"; {count - PAIRS_SHOWN} more" if count > PAIRS_SHOWN else ""
    figure = (f"{count_of(count, 'pair')}: {shown}{more}" if count
              else f"no near-identical titles across units ({len(figures.titles)} use cases)" if figures.titles
              else "no use case")
    explanation = (
        "No figure: no use case identified by the quarter's end." if lit is None
        else "Units work on the same problem separately: share the work through the central office." if lit
        else "No two units have a use case with a near-identical title."
    )
    return Diagnostic(
        id="duplication", model=OrgModel.FEDERATED, label="Duplication across units", lit=lit, figure=figure,
        rule=f"use cases of two or more units with titles at least {DUPLICATE_TITLE_SIMILARITY}% similar",
        guide_text="Duplication : memes problemes resolus differemment dans chaque BU.",
        guide_section=FEDERATED_DRAWBACKS, source=Source.PRODUCT_DEFAULT, explanation=explanation,
        data={"pairs": count, "threshold": DUPLICATE_TITLE_SIMILARITY,
              "shown": [[a.use_case_id, b.use_case_id, score] for a, b, score in pairs[:PAIRS_SHOWN]]},
    )


def coherence(figures: DiagnosticFigures) -> Diagnostic:
    """Business-unit AI teams outside the guide's 5-15 (the central office is sized apart, 2-3 people)."""
    band = SPOKE_BANDS[OrgModel.FEDERATED]
    teams = [t for t in figures.ai_teams if t.kind == TeamKind.AI_SPOKE.value]
    outside = [t for t in teams if not band[0] <= t.ai_staff <= band[1]]
    lit = bool(outside) if teams else None
    figure = (", ".join(f"{t.name} {t.ai_staff}" for t in outside) + f" outside {_band_text(band)} "
              f"(of {len(teams)} unit AI teams)" if outside
              else ", ".join(f"{t.name} {t.ai_staff}" for t in teams) or "no unit AI team in teams.csv")
    explanation = (
        "No figure: no AI spoke (unit AI team) in teams.csv." if lit is None
        else "Unit AI teams below or above the guide's size differ in what they can govern alike." if lit
        else f"Every unit AI team has {_band_text(band)} AI staff."
    )
    return Diagnostic(
        id="coherence", model=OrgModel.FEDERATED, label="Governance coherence", lit=lit, figure=figure,
        rule=f"any unit AI team outside {_band_text(band)} AI staff",
        guide_text="Incoherence de gouvernance : difficulte a assurer une gouvernance uniforme. "
                   "(Schema: AI Team (5-15) par BU.)",
        guide_section=FEDERATED_DRAWBACKS, source=Source.GUIDE, explanation=explanation,
        data={"teams": {t.team_id: t.ai_staff for t in teams}, "outside": [t.team_id for t in outside]},
    )


# --- embedded ----------------------------------------------------------------------


def prerequisite(self_service_platform: bool) -> Diagnostic:
    """The embedded model without the self-service AI platform it needs."""
    return Diagnostic(
        id="prerequisite", model=OrgModel.EMBEDDED, label="Self-service platform prerequisite",
        lit=not self_service_platform,
        figure="the settings say there is a self-service AI platform" if self_service_platform
        else "the settings say there is no self-service AI platform",
        rule="no self-service AI platform (settings)",
        guide_text="Prerequis eleve : necessite une plateforme IA mature en self-service.",
        guide_section=EMBEDDED_DRAWBACKS, source=Source.GUIDE,
        explanation="Product teams build their AI on the platform; without it each team rebuilds the tooling."
        if not self_service_platform else "The platform the embedded model needs is in place.",
        data={"self_service_platform": self_service_platform},
    )


def diagnose(model: OrgModel, figures: DiagnosticFigures, *, self_service_platform: bool) -> tuple[Diagnostic, ...]:
    """The diagnostics of `model` (none for centralized, whose transition indicators the advisor gives)."""
    if model is OrgModel.HUB_SPOKE:
        return hub_bottleneck(figures), spoke_inequality(figures), low_adoption(figures)
    if model is OrgModel.FEDERATED:
        return duplication(figures), coherence(figures)
    if model is OrgModel.EMBEDDED:
        return (prerequisite(self_service_platform),)
    return ()


def guidance(
    diagnostics: Sequence[Diagnostic], current: OrgModel, recommended: OrgModel | None, recommended_reason: str
) -> Guidance | None:
    """When a diagnostic is lit: the recommended model if it differs, and the guide's good practices."""
    lit = tuple(d.label for d in diagnostics if d.lit)
    if not lit:
        return None
    move_to = recommended if recommended is not None and recommended is not current else None
    source, practices = GOOD_PRACTICES.get(current, ("", ()))
    return Guidance(
        lit=lit, move_to=move_to,
        move_reason=recommended_reason if move_to else f"The recommended model is the one in place ({current.phrase}).",
        practices=practices,
        practices_source=source or f"The guide lists no good practices of its own for the {current.phrase} model.",
    )


# --- reading the inputs ------------------------------------------------------------


def _ai_teams(cur: duckdb.DuckDBPyConnection) -> tuple[AiTeam, ...]:
    rows = cur.execute(
        "SELECT team_id, coalesce(team_name, team_id), coalesce(business_unit, ''), team_kind, coalesce(ai_staff, 0) "
        "FROM teams WHERE team_kind IN ($hub, $spoke) ORDER BY team_id",
        {"hub": TeamKind.AI_HUB.value, "spoke": TeamKind.AI_SPOKE.value},
    ).fetchall()
    return tuple(AiTeam(*row) for row in rows)


def _titles(cur: duckdb.DuckDBPyConnection, quarter: Quarter) -> tuple[UseCaseTitle, ...]:
    rows = cur.execute(
        "SELECT u.use_case_id, u.title, t.business_unit FROM use_cases u JOIN teams t USING (team_id) "
        "WHERE u.identified_date <= $end AND u.title IS NOT NULL AND t.business_unit IS NOT NULL "
        "ORDER BY u.use_case_id",
        {"end": quarter.last_day},
    ).fetchall()
    return tuple(UseCaseTitle(*row) for row in rows)


def figures_for_quarter(cur: duckdb.DuckDBPyConnection, quarter: Quarter, settings: Settings) -> DiagnosticFigures:
    """The diagnostics' inputs for `quarter`: AI teams, queues per AI team and adoption per unit from the
    KPI engine, and the use-case titles identified by the quarter's end."""
    queue = compute(cur, quarter, by=Scope.AI_TEAM, settings=settings, kpi_ids=["demand_queue_months"])
    adoption = compute(cur, quarter, by=Scope.BUSINESS_UNIT, settings=settings, kpi_ids=["adoption_rate"])
    return DiagnosticFigures(
        ai_teams=_ai_teams(cur),
        queues=tuple(TeamQueue(r.scope_value, r.value, r.n) for r in queue
                     if r.scope_type is Scope.AI_TEAM and r.scope_value is not None),
        waiting_total=next((r.n for r in queue if r.scope_type is Scope.ORG), 0),
        unit_adoption=tuple(UnitAdoption(r.scope_value, r.value, r.n) for r in adoption
                            if r.scope_type is Scope.BUSINESS_UNIT and r.value is not None and r.scope_value),
        titles=_titles(cur, quarter),
    )
