"""Diagnostics of the model in place (SPEC §3.4): each rule lit and not lit on hand-built figures, where its
threshold comes from, the guidance when one is lit, the JSON keys, and the sample organization's reading."""

from __future__ import annotations

import json
from datetime import date

import pytest
from orgrows import make_store, team

from aiorg_metrics.analysis import diagnostics as dg
from aiorg_metrics.analysis.advisor import TransitionFigures, advise
from aiorg_metrics.analysis.diagnostics import (
    AiTeam,
    DiagnosticFigures,
    TeamQueue,
    UnitAdoption,
    UseCaseTitle,
)
from aiorg_metrics.cli import main
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.datasets.organization import OrgModel, TeamStructure
from aiorg_metrics.kpi.settings import Settings
from tests.conftest import SAMPLE_DIR

C, H, F, E = OrgModel.CENTRALIZED, OrgModel.HUB_SPOKE, OrgModel.FEDERATED, OrgModel.EMBEDDED
HUB = AiTeam("HUB", "AI Centre", "Group", "ai_hub", 12)


def spoke(team_id: str, staff: int, unit: str = "BU1") -> AiTeam:
    return AiTeam(team_id, f"{team_id} spoke", unit, "ai_spoke", staff)


def by_id(found) -> dict[str, dg.Diagnostic]:
    return {d.id: d for d in found}


# --- hub & spoke -----------------------------------------------------------------------------


@pytest.mark.parametrize(("wait", "lit"), [(3.0, False), (3.2, True)])
def test_hub_bottleneck_on_the_hubs_own_queue(wait, lit):
    figures = DiagnosticFigures(ai_teams=(HUB, spoke("S1", 3)), waiting_total=20,
                                queues=(TeamQueue("HUB", wait, 15), TeamQueue("S1", 9.0, 5)))
    d = dg.hub_bottleneck(figures)
    assert (d.lit, d.source, d.model) == (lit, "guide", H)
    assert d.figure == f"AI Centre: median wait {wait:.1f} months, 15 of the 20 waiting items (75%)"
    assert d.guide_text.startswith("Bottleneck : toutes les demandes passent par un point unique")
    assert "File d'attente de demandes > 3 mois." in d.guide_text


def test_a_spokes_long_queue_does_not_light_the_hub_bottleneck():
    figures = DiagnosticFigures(ai_teams=(HUB, spoke("S1", 3)), waiting_total=5,
                                queues=(TeamQueue("S1", 9.0, 5),))  # nothing assigned to the hub
    d = dg.hub_bottleneck(figures)
    assert d.lit is False and d.figure == "AI Centre: nobody waiting (5 waiting in all)"


def test_hub_bottleneck_without_hub_or_use_cases_has_no_figure():
    assert dg.hub_bottleneck(DiagnosticFigures(ai_teams=(spoke("S1", 3),))).lit is None
    no_use_case = dg.hub_bottleneck(DiagnosticFigures(ai_teams=(HUB,)))
    assert (no_use_case.lit, no_use_case.figure) == (None, "no use case by the quarter's end")


@pytest.mark.parametrize(("staff", "lit"), [((2, 5), False), ((1, 4), True), ((3, 6), True)])
def test_spoke_inequality_band_2_to_5(staff, lit):
    d = dg.spoke_inequality(DiagnosticFigures(ai_teams=(HUB, spoke("A", staff[0]), spoke("B", staff[1]))))
    assert (d.lit, d.source) == (lit, "guide")
    assert d.figure.startswith(f"A spoke {staff[0]}, B spoke {staff[1]}")
    assert ("outside 2–5" in d.figure) is lit
    assert d.guide_text.startswith("Inegalite entre spokes : certaines BU attirent plus de talents que d'autres.")


def test_low_adoption_per_unit_below_half():
    units = (UnitAdoption("Retail", 0.83, 16), UnitAdoption("Insurance", 0.42, 17), UnitAdoption("Ops", 0.5, 5))
    d = dg.low_adoption(DiagnosticFigures(unit_adoption=units))
    assert d.lit is True and d.figure == "below 50%: Insurance 42% (n = 17)"  # 50% exactly is not below
    assert "deconnexion metier" in d.guide_text
    calm = dg.low_adoption(DiagnosticFigures(unit_adoption=units[:1] + units[2:]))
    assert (calm.lit, calm.figure) == (False, "lowest: Ops 50%")
    assert dg.low_adoption(DiagnosticFigures()).lit is None


# --- federated and embedded ------------------------------------------------------------------


TITLES = (
    UseCaseTitle("U1", "Churn prediction for savings", "Retail"),
    UseCaseTitle("U2", "Churn prediction for savings.", "Insurance"),  # same work, another unit
    UseCaseTitle("U3", "Churn prediction for savings", "Retail"),  # same unit: not a duplication
    UseCaseTitle("U4", "Summarisation of motor claims", "Insurance"),
    UseCaseTitle("U5", "Summarisation of medical reports", "Retail"),  # templated, different work
)


def test_duplication_pairs_near_identical_titles_across_units_only():
    count, pairs = dg.similar_title_pairs(TITLES)
    assert count == 2
    assert {(a.use_case_id, b.use_case_id) for a, b, _ in pairs} == {("U1", "U2"), ("U2", "U3")}
    d = dg.duplication(DiagnosticFigures(titles=TITLES))
    assert (d.lit, d.source, d.model) == (True, "product default", F)
    assert d.figure.startswith('2 pairs: "Churn prediction for savings" (Retail) ≈ "Churn prediction for savings."')
    assert str(dg.DUPLICATE_TITLE_SIMILARITY) in d.rule
    assert d.guide_text == "Duplication : memes problemes resolus differemment dans chaque BU."


def test_no_duplication_and_no_titles():
    assert dg.duplication(DiagnosticFigures(titles=TITLES[2:])).lit is False
    assert dg.duplication(DiagnosticFigures()).lit is None


def test_duplication_compares_across_blocks(monkeypatch):
    monkeypatch.setattr(dg, "_CHUNK", 2)  # U1 and U2 fall into different blocks
    assert dg.similar_title_pairs(TITLES)[0] == 2


@pytest.mark.parametrize(("staff", "lit"), [((5, 15), False), ((4, 9), True), ((9, 16), True)])
def test_coherence_band_5_to_15(staff, lit):
    d = dg.coherence(DiagnosticFigures(ai_teams=(spoke("A", staff[0]), spoke("B", staff[1]))))
    assert (d.lit, d.source, d.model) == (lit, "guide", F)
    assert d.guide_text.startswith("Incoherence de gouvernance : difficulte a assurer une gouvernance uniforme.")


@pytest.mark.parametrize(("platform", "lit"), [(False, True), (True, False)])
def test_prerequisite_is_the_self_service_platform(platform, lit):
    d = dg.prerequisite(platform)
    assert (d.lit, d.source, d.model) == (lit, "guide", E)
    assert d.guide_text == "Prerequis eleve : necessite une plateforme IA mature en self-service."


# --- through the advisor ---------------------------------------------------------------------


def structure(total=1000, hub=12, staffed_hubs=1, spokes=0, shadow=0):
    return TeamStructure(teams=5, total_headcount=total, hub_headcount=hub, staffed_hubs=staffed_hubs, spokes=spokes,
                         staffed_spokes=spokes, business_ai_staff=0, shadow_ai_teams=shadow, total_ai_staff=12)


SAMPLE_LIKE = DiagnosticFigures(
    ai_teams=(HUB, spoke("S1", 4), spoke("S2", 1)), waiting_total=61,
    queues=(TeamQueue("HUB", 3.96, 54), TeamQueue("S1", 0.6, 7)),
    unit_adoption=(UnitAdoption("Insurance", 0.42, 16), UnitAdoption("Retail", 0.83, 16)),
    titles=TITLES,
)


def test_each_model_gets_its_own_diagnostics():
    ids = {model: [d.id for d in advise(structure(spokes=2), TransitionFigures(4.0, 0.6), declared_model=model.value,
                                         diagnostic_figures=SAMPLE_LIKE).diagnostics]
           for model in (C, H, F, E)}
    assert ids == {C: ["demand_queue", "shadow_ai", "low_adoption", "hub_size"],
                   H: ["hub_bottleneck", "spoke_inequality", "low_adoption"],
                   F: ["duplication", "coherence"], E: ["prerequisite"]}


def test_centralized_diagnostics_are_the_transition_indicators_and_hub_size():
    advice = advise(structure(hub=21, shadow=1), TransitionFigures(3.5, 0.6))
    found = by_id(advice.diagnostics)
    assert {k: d.lit for k, d in found.items()} == {
        "demand_queue": True, "shadow_ai": True, "low_adoption": False, "hub_size": True}
    assert found["hub_size"].guide_text.startswith("Scalabilite limitee : difficulte a scaler au-dela de 15-20")
    assert found["demand_queue"].figure == "3.5 months" and all(d.source == "guide" for d in found.values())


def test_lit_diagnostics_bring_the_recommended_model_and_the_guides_good_practices():
    advice = advise(structure(total=3000, spokes=2), TransitionFigures(), declared_model="federated",
                    diagnostic_figures=SAMPLE_LIKE)
    assert advice.guidance.move_to is H  # 3,000 people: the size points to hub & spoke
    assert advice.guidance.practices_source == "Modele 3 — Federe: Mecanismes de coherence dans un modele federe"
    assert advice.guidance.practices[0].startswith("Guildes IA")
    same = advise(structure(total=3000, spokes=2), TransitionFigures(), diagnostic_figures=SAMPLE_LIKE).guidance
    assert same.move_to is None and same.move_reason == "The recommended model is the one in place (hub & spoke)."
    assert same.practices[0] == "Definir clairement les responsabilites hub vs spoke (RACI matrix)."


def test_nothing_lit_no_guidance():
    calm = DiagnosticFigures(ai_teams=(HUB, spoke("S1", 3)), waiting_total=2, queues=(TeamQueue("HUB", 1.0, 2),),
                             unit_adoption=(UnitAdoption("Retail", 0.8, 4),))
    assert advise(structure(spokes=1), TransitionFigures(), diagnostic_figures=calm).guidance is None


def test_json_guidance_keeps_one_shape_when_nothing_is_lit():
    calm = DiagnosticFigures(ai_teams=(HUB, spoke("S1", 3)), waiting_total=2, queues=(TeamQueue("HUB", 1.0, 2),),
                             unit_adoption=(UnitAdoption("Retail", 0.8, 4),))
    quiet = json.loads(json.dumps(advise(structure(spokes=1), TransitionFigures(), diagnostic_figures=calm).to_dict()))
    lit = advise(structure(spokes=1), TransitionFigures(), diagnostic_figures=SAMPLE_LIKE).to_dict()
    assert quiet["guidance"] == {"lit": [], "move_to": None, "move_reason": "", "practices": [],
                                 "practices_source": ""}
    assert set(quiet["guidance"]) == set(lit["guidance"]) and lit["guidance"]["lit"]


def test_unset_maturity_prompts_with_the_guides_scale():
    reason = advise(structure(), TransitionFigures()).maturity_reason
    assert reason.startswith("Maturity is not set: set `maturity` (1-5) in the settings")
    assert '1-2: "debut de parcours IA" (centralized)' in reason and '"digital-native" (embedded)' in reason


def test_diagnostics_json_keys():
    data = json.loads(json.dumps(advise(structure(spokes=2), TransitionFigures(),
                                        diagnostic_figures=SAMPLE_LIKE).to_dict()))
    assert {"id", "model", "lit", "figure", "guide_text", "source"} <= set(data["diagnostics"][0])
    assert [(d["id"], d["model"], d["lit"], d["source"]) for d in data["diagnostics"]] == [
        ("hub_bottleneck", "hub_spoke", True, "guide"), ("spoke_inequality", "hub_spoke", True, "guide"),
        ("low_adoption", "hub_spoke", True, "guide")]


def test_figures_from_the_store(tmp_path):
    d = date
    store = make_store(tmp_path, {
        "teams": [team("H", "ai_hub", 8, 6, bu="Group"), team("S", "ai_spoke", 3, 1, bu="Retail"),
                  team("B1", bu="Retail"), team("B2", bu="Insurance")],
        "use_cases": [
            {"use_case_id": "U1", "title": "Churn model", "team_id": "B1", "ai_team_id": "H",
             "identified_date": d(2026, 1, 5), "qualified_date": d(2026, 1, 10)},
            {"use_case_id": "U2", "title": "Churn model", "team_id": "B2", "ai_team_id": "S",
             "identified_date": d(2026, 2, 5), "qualified_date": d(2026, 3, 1)},
            {"use_case_id": "U3", "title": "Later", "team_id": "B2", "identified_date": d(2026, 4, 5)},
        ],
    })
    with store.reading() as cur:
        figures = dg.figures_for_quarter(cur, Quarter.parse("2026-Q1"), Settings())
    assert [t.team_id for t in figures.ai_teams] == ["H", "S"]
    queues = {q.team_id: (round(q.median_months, 2), q.waiting) for q in figures.queues if q.waiting}
    assert queues == {"H": (round(80 / 30.44, 2), 1), "S": (round(30 / 30.44, 2), 1)}  # days to 31 Mar / 30.44
    assert figures.waiting_total == 2
    assert [t.use_case_id for t in figures.titles] == ["U1", "U2"]  # U3 identified after the quarter


def test_cli_on_the_sample_lights_the_hub_bottleneck_and_spoke_inequality(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("AIORG_SETTINGS", raising=False)
    db = str(tmp_path / "sample.duckdb")
    assert main(["ingest", "--db", db, *map(str, sorted(SAMPLE_DIR.glob("*.csv")))]) == 0
    capsys.readouterr()
    assert main(["advisor", "--db", db, "--quarter", "2026-Q3", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    found = {d["id"]: d for d in data["diagnostics"]}
    assert all(set(d) >= {"id", "model", "lit", "figure", "guide_text", "source"} for d in data["diagnostics"])
    bottleneck, inequality = found["hub_bottleneck"], found["spoke_inequality"]
    assert bottleneck["lit"] and bottleneck["figure"] == (
        "AI Centre of Excellence: median wait 4.0 months, 54 of the 61 waiting items (89%)")
    assert inequality["lit"] and inequality["figure"].endswith("outside 2–5: Operations AI Spoke (1)")
    assert found["low_adoption"]["figure"] == "below 50%: Insurance 42% (n = 16)"
    assert data["guidance"]["practices_source"] == "Modele 2 — Hub & Spoke: Bonnes pratiques"
    assert main(["advisor", "--db", db, "--quarter", "2026-Q3"]) == 0
    table = capsys.readouterr().out
    assert "Diagnostics of the model in place (Hub & spoke):" in table
    assert "[  LIT  ] Hub bottleneck" in table and "hub_spoke" not in table
