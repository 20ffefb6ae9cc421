"""The org-model advisor (SPEC §3.4) and the inferred model (SPEC §2.9)."""

from __future__ import annotations

import pytest
from orgrows import make_store, team

from aiorg_metrics.analysis.advisor import SignalState, TransitionFigures, advise, advise_from_store
from aiorg_metrics.datasets.organization import OrgModel, TeamStructure, fetch_team_structure, infer_model

C, H, F, E, N = (OrgModel.CENTRALIZED, OrgModel.HUB_SPOKE, OrgModel.FEDERATED, OrgModel.EMBEDDED, OrgModel.NONE)


def structure(total=1000, hub=10, staffed_hubs=1, spokes=0, staffed_spokes=0, business_ai=0, shadow=0, teams=5):
    return TeamStructure(teams=teams, total_headcount=total, hub_headcount=hub, staffed_hubs=staffed_hubs,
                         spokes=spokes, staffed_spokes=staffed_spokes, business_ai_staff=business_ai,
                         shadow_ai_teams=shadow, total_ai_staff=10 + business_ai)


def run(s=None, figures=None, **settings):
    return advise(s or structure(), figures or TransitionFigures(), **settings)


@pytest.mark.parametrize(("headcount", "model"), [(499, C), (500, H), (5000, H), (5001, F)])
def test_recommended_by_headcount(headcount, model):
    assert run(structure(total=headcount)).recommended is model


@pytest.mark.parametrize(("maturity", "self_service", "model"), [
    (4, True, E), (5, True, E), (3, True, C), (5, False, C), (None, True, C),
])
def test_embedded_needs_maturity_4_and_self_service(maturity, self_service, model):
    advice = run(structure(total=120), maturity=maturity, self_service_platform=self_service)
    assert advice.recommended is model
    if maturity and maturity >= 4 and not self_service:
        assert "self-service" in advice.recommended_reason


def test_no_teams_no_recommendation():
    advice = run(structure(total=0, teams=0, staffed_hubs=0))
    assert advice.recommended is None and "No teams loaded" in advice.recommended_reason
    assert advice.current is N


@pytest.mark.parametrize(("maturity", "reading"), [
    (1, (C,)), (2, (C, H)), (3, (H, F)), (4, (F, E)), (5, (E,)),
])
def test_maturity_reading(maturity, reading):
    assert run(maturity=maturity).maturity_reading == reading


@pytest.mark.parametrize(("headcount", "maturity", "agree"), [
    (1000, 2, True), (1000, 3, True), (1000, 4, False), (300, 2, True), (300, 3, False), (6000, 4, True),
    (1000, None, None),
])
def test_agree(headcount, maturity, agree):
    assert run(structure(total=headcount), maturity=maturity).agree is agree


def test_unset_maturity_is_said():
    advice = run(maturity=None)
    assert advice.maturity_reading == ()
    assert "not set" in advice.maturity_reason


def test_maturity_out_of_range_is_refused():
    with pytest.raises(ValueError, match="1-5"):
        run(maturity=6)


TEAM_SETS = {
    "hub_and_unstaffed_spoke": ([team("H", "ai_hub", 6, 5), team("S", "ai_spoke", 2, 0)], H),
    "hub_and_spoke": ([team("H", "ai_hub", 6, 5), team("S", "ai_spoke", 4, 3), team("B", ai_staff=1)], H),
    "hub_only": ([team("H", "ai_hub", 6, 5), team("B", ai_staff=2)], C),
    "spokes_unstaffed_hub": ([team("H", "ai_hub", 1, 0), team("S", "ai_spoke", 9, 8)], F),
    "spokes_no_hub": ([team("S1", "ai_spoke", 9, 8), team("S2", "ai_spoke", 6, 5)], F),
    "business_only": ([team("B1", ai_staff=2), team("B2", ai_staff=0), team("S", "ai_spoke", 3, 0)], E),
    "no_ai_staff": ([team("B1"), team("H", "ai_hub", 2, 0)], N),
    "no_teams": ([], N),
}


@pytest.mark.parametrize("case", list(TEAM_SETS))
def test_inferred_model_rules(tmp_path, case):
    teams, model = TEAM_SETS[case]
    store = make_store(tmp_path, {"teams": teams})
    with store.reading() as cur:
        assert infer_model(fetch_team_structure(cur))[0] is model


def test_team_structure_figures(tmp_path):
    store = make_store(tmp_path, {"teams": [
        team("H", "ai_hub", 22, 12), team("S1", "ai_spoke", 4, 3), team("S2", "ai_spoke", 2, 0),
        team("B1", headcount=300, ai_staff=2), team("B2", headcount=200, ai_staff=1), team("B3", headcount=90),
    ]})
    with store.reading() as cur:
        assert fetch_team_structure(cur) == TeamStructure(
            teams=6, total_headcount=618, hub_headcount=22, staffed_hubs=1, spokes=2, staffed_spokes=1,
            business_ai_staff=3, shadow_ai_teams=2, total_ai_staff=18)


def test_declared_model_wins():
    advice = run(structure(), declared_model="federated")
    assert (advice.current, advice.current_source, advice.inferred) == (F, "declared", C)
    assert "teams data shows centralized" in advice.current_reason


def test_inferred_when_not_declared():
    advice = run(structure())
    assert (advice.current, advice.current_source) == (C, "inferred")


def test_none_cannot_be_declared():
    with pytest.raises(ValueError):
        run(declared_model="none")


def states(advice):
    return [s.state for s in advice.transition_indicators]


LIT, OFF, GREY, NODATA = SignalState.LIT, SignalState.NOT_LIT, SignalState.GREYED, SignalState.NO_DATA


@pytest.mark.parametrize(("figures", "shadow", "expected"), [
    (TransitionFigures(3.0, 0.50), 0, [OFF, OFF, OFF]),  # on the thresholds: not lit
    (TransitionFigures(3.01, 0.49), 1, [LIT, LIT, LIT]),
    (TransitionFigures(None, None, demand_queue_empty=True), 0, [OFF, OFF, NODATA]),
    (TransitionFigures(None, 0.8), 0, [NODATA, OFF, OFF]),
    (TransitionFigures(1.0, 0.8, shadow_ai_teams=2), 0, [OFF, LIT, OFF]),  # the passed KPI figure wins
])
def test_indicators_under_centralized(figures, shadow, expected):
    assert states(run(structure(shadow=shadow), figures)) == expected


def test_indicators_keep_their_figures():
    indicators = run(structure(shadow=1), TransitionFigures(4.2, 0.3)).transition_indicators
    assert [(s.kpi, s.figure) for s in indicators] == [
        ("demand_queue_months", 4.2), ("shadow_ai_teams", 1), ("adoption_rate", 0.3)]
    assert all(s.reasoning and s.source.endswith("Indicateurs de transition vers le modele suivant")
               for s in indicators)


@pytest.mark.parametrize("current", [H, F, E])
def test_indicators_greyed_outside_centralized(current):
    advice = run(structure(shadow=1), TransitionFigures(4.2, 0.3), declared_model=current.value)
    assert states(advice) == [GREY, GREY, GREY]
    assert [s.figure for s in advice.transition_indicators] == [4.2, 1, 0.3]
    assert all("sign for leaving the centralized model, and the model in place is" in s.explanation
               for s in advice.transition_indicators)


def test_indicators_greyed_when_no_ai_staff():
    advice = run(structure(staffed_hubs=0), TransitionFigures(4.2, 0.3))
    assert advice.current is N and states(advice) == [GREY, GREY, GREY]


@pytest.mark.parametrize(("hub", "state"), [(20, OFF), (21, LIT)])
def test_hub_size_signal(hub, state):
    signal = run(structure(hub=hub)).hub_size_signal
    assert (signal.state, signal.figure) == (state, hub)
    assert "Inconvenients" in signal.source and "drawback" in signal.label


def test_hub_size_signal_greyed_outside_centralized():
    signal = run(structure(hub=30, spokes=2)).hub_size_signal
    assert (signal.state, signal.figure) == (GREY, 30)
    assert signal.explanation == ("For information only: the guide lists this drawback of the centralized model, "
                                  "and the model in place is hub & spoke.")


def test_uncaptured_criteria_are_listed():
    criteria = run().uncaptured_criteria
    text = " ".join(c.criterion for c in criteria).lower()
    assert "budget" in text and "p&l" in text and "culture" in text
    assert {c.model for c in criteria} == {C, H, F, E}
    assert all(c.reasoning for c in criteria)


def test_every_verdict_has_its_sentence():
    advice = run(maturity=2)
    assert all([advice.recommended_reason, advice.maturity_reason, advice.agree_reason, advice.current_reason])


def test_advise_from_store_and_json(tmp_path):
    store = make_store(tmp_path, {"teams": [team("H", "ai_hub", 25, 20), team("B", headcount=400, ai_staff=2)]})
    with store.reading() as cur:
        advice = advise_from_store(cur, TransitionFigures(2.0, 0.6), maturity=1)
    data = advice.to_dict()
    assert (data["recommended"], data["current"], data["agree"]) == ("centralized", "centralized", True)
    assert [s["state"] for s in data["transition_indicators"]] == ["not_lit", "lit", "not_lit"]
    assert data["hub_size_signal"]["state"] == "lit"
    assert data["structure"]["total_headcount"] == 425
