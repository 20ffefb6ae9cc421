"""The org-model advisor (SPEC §3.4): which AI organization model fits, and whether it is time to move.

Five inputs, all plain data: the team structure (read from `teams` by
`fetch_team_structure`), the organization settings (maturity, declared model,
self-service platform), three KPI figures for the quarter (demand_queue_months,
shadow_ai_teams, adoption_rate at org scope), and the inputs of the diagnostics of the model
in place (`diagnostics.py`). `advise` takes them as plain data; `advise_for_quarter` reads
them from the store and the KPI engine and is the one call the CLI and the dashboard make.

Sources in the guide: "Quand l'adopter" of each model (size and maturity ranges, and the
criteria the data cannot see), "Indicateurs de transition vers le modele suivant" of the
centralized model, and its "Inconvenients" (the 15-20 people scaling limit).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

import duckdb

from aiorg_metrics.analysis import diagnostics
from aiorg_metrics.analysis.diagnostics import (
    ADOPTION_FLOOR,
    BOTTLENECK,
    CENTRALIZED_DRAWBACKS,
    CENTRALIZED_TRANSITION,
    DISCONNECT,
    QUEUE_LINE,
    QUEUE_MONTHS_LIMIT,
    Diagnostic,
    DiagnosticFigures,
    Guidance,
    Source,
)
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.common.words import count_of
from aiorg_metrics.datasets.organization import OrgModel, TeamStructure, fetch_team_structure, infer_model
from aiorg_metrics.kpi.engine import compute
from aiorg_metrics.kpi.model import Scope
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.kpi.status import Status


class SignalState(StrEnum):
    LIT = "lit"
    NOT_LIT = "not_lit"
    GREYED = "greyed"  # shown for information: the guide's rule does not apply to the current model
    NO_DATA = "no_data"


MATURITY_RANGES: dict[OrgModel, tuple[int, int]] = {
    OrgModel.CENTRALIZED: (1, 2),
    OrgModel.HUB_SPOKE: (2, 3),
    OrgModel.FEDERATED: (3, 4),
    OrgModel.EMBEDDED: (4, 5),
}
CENTRALIZED_BELOW = 500  # employees ("Moins de 500 employes")
FEDERATED_ABOVE = 5000  # employees ("Plus de 5000 employes")
EMBEDDED_MIN_MATURITY = 4
HUB_SIZE_LIMIT = 20  # the top of the guide's "15-20 personnes"
TRANSITION_SECTION = CENTRALIZED_TRANSITION
DRAWBACK_SECTION = f"{CENTRALIZED_DRAWBACKS} (Scalabilite limitee)"
# The guide's maturity scale, in its words ("Quand l'adopter" of each model).
MATURITY_SCALE = (
    '1-2: "debut de parcours IA" (centralized); 2-3: hub & spoke; 3-4: federated; '
    '4-5: "maturite IA tres elevee" or "digital-native" (embedded)'
)


@dataclass(frozen=True)
class TransitionFigures:
    """Org-scope KPI values for the quarter; None when the KPI has no value.

    `demand_queue_empty` is True when demand_queue_months is null because nobody waits
    (the KPI's green empty-queue case), so the indicator reads "not lit", not "no data".
    `shadow_ai_teams` None means: take the count from the team structure.
    """

    demand_queue_months: float | None = None
    adoption_rate: float | None = None
    shadow_ai_teams: int | None = None
    demand_queue_empty: bool = False


@dataclass(frozen=True)
class Signal:
    """A transition indicator or the hub-size signal, with its figure and reading."""

    id: str
    label: str
    kpi: str
    figure: float | None
    rule: str
    state: SignalState
    explanation: str
    reasoning: str
    source: str
    guide_text: str = ""

    def figure_text(self) -> str:
        """The figure as a reader sees it ("4.0 months", "42%", "2 teams", "14 people")."""
        if self.figure is None:
            return "no figure"
        return {
            "demand_queue_months": f"{self.figure:.1f} months",
            "adoption_rate": f"{self.figure:.0%}",
            "shadow_ai_teams": count_of(self.figure, "team"),
            "hub_size": f"{self.figure:.0f} people",
        }.get(self.kpi, f"{self.figure:g}")


@dataclass(frozen=True)
class Criterion:
    """A "Quand l'adopter" criterion of the guide that the data does not capture."""

    model: OrgModel
    criterion: str
    reasoning: str


@dataclass(frozen=True)
class Advice:
    """The advisor's reading; every verdict comes with the sentence that explains it."""

    recommended: OrgModel | None
    recommended_reason: str
    maturity: int | None
    maturity_reading: tuple[OrgModel, ...]
    maturity_reason: str
    agree: bool | None
    agree_reason: str
    current: OrgModel
    current_source: str  # "declared" or "inferred"
    current_reason: str
    inferred: OrgModel
    inferred_reason: str
    transition_indicators: tuple[Signal, ...]
    hub_size_signal: Signal
    uncaptured_criteria: tuple[Criterion, ...]
    structure: TeamStructure
    diagnostics: tuple[Diagnostic, ...] = ()  # of the model in place (SPEC §3.4)
    guidance: Guidance | None = None  # when a diagnostic is lit

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (enums become their string values); `guidance` keeps one shape, its
        fields empty when nothing is lit, so a reader never meets null in its place."""
        data = asdict(self)
        data["guidance"] = asdict(self.guidance or NO_GUIDANCE)
        return data


NO_GUIDANCE = Guidance(lit=(), move_to=None, move_reason="", practices=(), practices_source="")


UNCAPTURED_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        OrgModel.CENTRALIZED, "Limited AI budget that must be pooled",
        "A small budget goes further in one shared team and toolset than split across business units.",
    ),
    Criterion(
        OrgModel.CENTRALIZED, "Need for consistency and control while the organization learns",
        "Early on, one team is the easiest place to set standards and build skills together.",
    ),
    Criterion(
        OrgModel.HUB_SPOKE, "Several business units with different AI needs",
        "Spokes pay for their coordination cost only when the units really need different things.",
    ),
    Criterion(
        OrgModel.HUB_SPOKE, "Will to keep consistency while bringing AI closer to the business",
        "The double reporting line is the price of keeping common standards and business proximity at once.",
    ),
    Criterion(
        OrgModel.FEDERATED, "Very autonomous business units with their own P&L",
        "AI teams can report to the units when the units already own their results and budgets.",
    ),
    Criterion(
        OrgModel.FEDERATED, "Decentralized organizational culture",
        "Without a decentralized culture, unit-owned AI teams drift apart instead of moving faster.",
    ),
    Criterion(
        OrgModel.EMBEDDED, "Culture of autonomous product teams (squad model)",
        "Embedding AI in every team only works where teams already own their product end to end.",
    ),
    Criterion(
        OrgModel.EMBEDDED, "Enough AI talent to staff every team",
        "One ML or AI engineer per product team takes a talent pool most organizations do not have.",
    ),
)


def recommend(
    total_headcount: int, teams: int, maturity: int | None, self_service: bool
) -> tuple[OrgModel | None, str]:
    """The one model the guide's size and maturity criteria point to, with the reason."""
    if maturity is not None and maturity >= EMBEDDED_MIN_MATURITY and self_service:
        return OrgModel.EMBEDDED, (
            f"Maturity {maturity} with a self-service AI platform: the guide keeps the embedded model for "
            "AI-native organizations whose product teams can build on such a platform."
        )
    if maturity is not None and maturity >= EMBEDDED_MIN_MATURITY:
        model, reason = recommend(total_headcount, teams, None, False)
        return model, f"{reason} (Embedded would also need a self-service AI platform; the settings say there is none.)"
    if not teams:
        return None, "No teams loaded: the organization's size, which decides the recommendation, is unknown."
    size = f"Total headcount {total_headcount:,}"
    if total_headcount < CENTRALIZED_BELOW:
        return OrgModel.CENTRALIZED, (
            f"{size} is below 500: at this size the guide pools scarce AI people in one centre of excellence."
        )
    if total_headcount <= FEDERATED_ABOVE:
        return OrgModel.HUB_SPOKE, (
            f"{size} is between 500 and 5,000: a central hub keeps standards and tools while small spokes "
            "work close to each business unit."
        )
    return OrgModel.FEDERATED, (
        f"{size} is above 5,000: units this large can afford AI teams of critical mass of their own, "
        "coordinated by a light central office."
    )


def read_maturity(maturity: int | None) -> tuple[tuple[OrgModel, ...], str]:
    """The models whose "Quand l'adopter" maturity range contains `maturity`."""
    if maturity is None:
        return (), ("Maturity is not set: set `maturity` (1-5) in the settings to compare it with the "
                    f"recommendation. The guide's scale: {MATURITY_SCALE}.")
    if not 1 <= maturity <= 5:
        raise ValueError(f"maturity must be 1-5, got {maturity}")
    models = tuple(m for m, (lo, hi) in MATURITY_RANGES.items() if lo <= maturity <= hi)
    ranges = ", ".join(f"{m.phrase} ({MATURITY_RANGES[m][0]}-{MATURITY_RANGES[m][1]})" for m in models)
    return models, f"Maturity {maturity} lies in the guide's range for {ranges}."


def _agreement(
    recommended: OrgModel | None, reading: tuple[OrgModel, ...], maturity: int | None
) -> tuple[bool | None, str]:
    if recommended is None or maturity is None:
        return None, "Agreement cannot be judged without both a recommendation and a maturity."
    if recommended in reading:
        return True, f"Size and maturity agree: {recommended.phrase} fits a maturity of {maturity}."
    return False, (
        f"Size points to {recommended.phrase} but maturity {maturity} points to "
        f"{' or '.join(m.phrase for m in reading)}: weigh the criteria the data does not capture."
    )


def _current(declared_model: str | None, inferred: tuple[OrgModel, str]) -> tuple[OrgModel, str, str]:
    model, reason = inferred
    if declared_model is None:
        return model, "inferred", f"Inferred from the teams: {reason}."
    declared = OrgModel(declared_model)
    if declared is OrgModel.NONE:
        raise ValueError("declared_model must be centralized, hub_spoke, federated or embedded")
    agreement = "which the teams data also shows" if declared is model else f"while the teams data shows {model.phrase}"
    return declared, "declared", f"Declared in the settings ({agreement}: {reason})."


_QUEUE = {
    "id": "demand_queue", "label": "Demand queue longer than 3 months", "kpi": "demand_queue_months",
    "rule": "> 3 months", "source": TRANSITION_SECTION, "guide_text": f"{QUEUE_LINE} {BOTTLENECK}",
    "reasoning": "Qualified requests waiting more than a quarter show that one central team has become "
                 "the bottleneck for the whole organization.",
}
_SHADOW = {
    "id": "shadow_ai", "label": "Business units hiring their own AI staff", "kpi": "shadow_ai_teams",
    "rule": "> 0 teams", "source": TRANSITION_SECTION,
    "guide_text": "BU commencant a recruter leurs propres data scientists (Shadow AI organisationnel).",
    "reasoning": "When business teams hire data scientists themselves, the centre no longer meets their needs "
                 "and AI is organizing itself outside it.",
}
_ADOPTION = {
    "id": "low_adoption", "label": "Adoption of delivered solutions below 50%", "kpi": "adoption_rate",
    "rule": "< 50%", "source": TRANSITION_SECTION, "guide_text": DISCONNECT,
    "reasoning": "Solutions that users do not adopt signal a centre building too far from the business.",
}
_HUB_SIZE = {
    "id": "hub_size", "label": "AI hub larger than 20 people (a drawback, not a transition indicator)",
    "kpi": "hub_size", "rule": "> 20 people", "source": DRAWBACK_SECTION,
    "guide_text": "Scalabilite limitee : difficulte a scaler au-dela de 15-20 personnes sans fragmentation.",
    "reasoning": "The guide lists among the centralized model's drawbacks that one centre struggles to grow "
                 "beyond 15-20 people without fragmenting.",
}


def _grey_reason(spec: dict[str, str], current: OrgModel) -> str:
    what = "lists this drawback of" if spec["source"] == DRAWBACK_SECTION else "gives this as a sign for leaving"
    in_place = "there are no AI staff yet" if current is OrgModel.NONE else f"the model in place is {current.phrase}"
    return f"For information only: the guide {what} the centralized model, and {in_place}."


def _signal(spec: dict[str, str], figure: float | None, lit: bool | None, current: OrgModel, shown: str) -> Signal:
    if current is not OrgModel.CENTRALIZED:
        state, explanation = SignalState.GREYED, _grey_reason(spec, current)
    elif lit is None:
        state, explanation = SignalState.NO_DATA, "No figure for this quarter."
    else:
        state = SignalState.LIT if lit else SignalState.NOT_LIT
        explanation = f"{shown} {'meets' if lit else 'does not meet'} the rule {spec['rule']}."
    return Signal(figure=figure, state=state, explanation=explanation, **spec)


def transition_indicators(figures: TransitionFigures, shadow_from_teams: int, current: OrgModel) -> tuple[Signal, ...]:
    """The guide's three signs that a centralized organization should move on."""
    queue, adoption = figures.demand_queue_months, figures.adoption_rate
    shadow = figures.shadow_ai_teams if figures.shadow_ai_teams is not None else shadow_from_teams
    queue_lit = (queue > QUEUE_MONTHS_LIMIT) if queue is not None else (False if figures.demand_queue_empty else None)
    queue_shown = f"{queue:.1f} months" if queue is not None else "An empty queue"
    return (
        _signal(_QUEUE, queue, queue_lit, current, queue_shown),
        _signal(_SHADOW, shadow, shadow > 0, current, f"{count_of(shadow, 'business team')} with AI staff"),
        _signal(
            _ADOPTION, adoption, None if adoption is None else adoption < ADOPTION_FLOOR, current,
            f"An adoption rate of {adoption:.0%}" if adoption is not None else "",
        ),
    )


def hub_size_signal(hub_headcount: int, current: OrgModel) -> Signal:
    """The centralized model's scaling drawback: a hub beyond 20 people."""
    lit = hub_headcount > HUB_SIZE_LIMIT
    return _signal(_HUB_SIZE, hub_headcount, lit, current, f"A hub of {hub_headcount} people")


_LIT = {SignalState.LIT: True, SignalState.NOT_LIT: False, SignalState.NO_DATA: None}


def centralized_diagnostics(signals: tuple[Signal, ...]) -> tuple[Diagnostic, ...]:
    """The centralized model's diagnostics: its transition indicators and the hub-size drawback."""
    return tuple(
        Diagnostic(
            id=s.id, model=OrgModel.CENTRALIZED, label=s.label, lit=_LIT[s.state], figure=s.figure_text(),
            rule=s.rule, guide_text=s.guide_text, guide_section=s.source, source=Source.GUIDE,
            explanation=f"{s.explanation} {s.reasoning}", data={s.kpi: s.figure},
        )
        for s in signals if s.state is not SignalState.GREYED
    )


def advise(
    structure: TeamStructure,
    figures: TransitionFigures,
    *,
    maturity: int | None = None,
    declared_model: str | None = None,
    self_service_platform: bool = False,
    diagnostic_figures: DiagnosticFigures | None = None,
) -> Advice:
    """The advisor's full reading from plain inputs (SPEC §3.4).

    Transition indicators and the hub-size signal are evaluated only when the current
    model is centralized (the guide writes them for that model); otherwise they keep
    their figures and are greyed with that explanation. The diagnostics are those of the
    current model: for centralized, the evaluated indicators and hub-size signal.
    """
    recommended, recommended_reason = recommend(
        structure.total_headcount, structure.teams, maturity, self_service_platform
    )
    reading, maturity_reason = read_maturity(maturity)
    agree, agree_reason = _agreement(recommended, reading, maturity)
    inferred = infer_model(structure)
    current, source, current_reason = _current(declared_model, inferred)
    indicators = transition_indicators(figures, structure.shadow_ai_teams, current)
    hub_signal = hub_size_signal(structure.hub_headcount, current)
    found = centralized_diagnostics((*indicators, hub_signal)) if current is OrgModel.CENTRALIZED else (
        diagnostics.diagnose(current, diagnostic_figures or DiagnosticFigures(),
                             self_service_platform=self_service_platform))
    return Advice(
        recommended=recommended, recommended_reason=recommended_reason,
        maturity=maturity, maturity_reading=reading, maturity_reason=maturity_reason,
        agree=agree, agree_reason=agree_reason,
        current=current, current_source=source, current_reason=current_reason,
        inferred=inferred[0], inferred_reason=inferred[1],
        transition_indicators=indicators, hub_size_signal=hub_signal,
        uncaptured_criteria=UNCAPTURED_CRITERIA,
        structure=structure,
        diagnostics=found,
        guidance=diagnostics.guidance(found, current, recommended, recommended_reason),
    )


def advise_from_store(
    cur: duckdb.DuckDBPyConnection,
    figures: TransitionFigures,
    *,
    maturity: int | None = None,
    declared_model: str | None = None,
    self_service_platform: bool = False,
    diagnostic_figures: DiagnosticFigures | None = None,
) -> Advice:
    """`advise` with the team structure read from the store through `cur`."""
    return advise(
        fetch_team_structure(cur), figures,
        maturity=maturity, declared_model=declared_model, self_service_platform=self_service_platform,
        diagnostic_figures=diagnostic_figures,
    )


TRANSITION_KPIS = tuple(spec["kpi"] for spec in (_QUEUE, _SHADOW, _ADOPTION))


def transition_figures(cur: duckdb.DuckDBPyConnection, quarter: Quarter, settings: Settings) -> TransitionFigures:
    """The org-scope values of the transition indicators' KPIs for `quarter`, from the KPI engine.

    An empty demand queue (value null, status green) reads as "not lit", not "no data".
    Raises QuarterError for a quarter outside the data, as `kpis` does.
    """
    results = {r.kpi: r for r in compute(cur, quarter, settings=settings, kpi_ids=TRANSITION_KPIS)
               if r.scope_type is Scope.ORG}
    queue, shadow = results["demand_queue_months"], results["shadow_ai_teams"].value
    return TransitionFigures(
        demand_queue_months=queue.value,
        adoption_rate=results["adoption_rate"].value,
        shadow_ai_teams=None if shadow is None else int(shadow),
        demand_queue_empty=queue.value is None and queue.status is Status.GREEN,
    )


def advise_for_quarter(cur: duckdb.DuckDBPyConnection, quarter: Quarter, settings: Settings) -> Advice:
    """The advisor's reading for `quarter`: the store's teams and KPIs with the organization's settings."""
    return advise_from_store(
        cur, transition_figures(cur, quarter, settings), maturity=settings.maturity,
        declared_model=settings.declared_model, self_service_platform=settings.self_service_platform,
        diagnostic_figures=diagnostics.figures_for_quarter(cur, quarter, settings),
    )
