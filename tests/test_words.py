"""Counts read singular or plural, never "team(s)" (aiorg_metrics.common.words), and where they show."""

from __future__ import annotations

from aiorg_metrics.common.words import count_of
from aiorg_metrics.datasets.organization import OrgModel, TeamStructure, infer_model


def test_a_count_reads_singular_for_one_and_plural_otherwise() -> None:
    assert count_of(1, "team") == "1 team"
    assert count_of(2, "business team") == "2 business teams"
    assert count_of(0, "pair") == "0 pairs"
    assert count_of(1.0, "team") == "1 team"
    assert count_of(1, "person", "people") == "1 person"
    assert count_of(14, "person", "people") == "14 people"
    assert count_of(1200, "row") == "1,200 rows"


def test_the_inferred_model_counts_its_spokes_in_words() -> None:
    fields = TeamStructure.__dataclass_fields__
    base = dict.fromkeys(fields, 0)
    one = TeamStructure(**(base | {"teams": 3, "staffed_hubs": 1, "spokes": 1}))
    five = TeamStructure(**(base | {"teams": 7, "staffed_hubs": 1, "spokes": 5}))
    assert infer_model(one) == (OrgModel.HUB_SPOKE, "a staffed AI hub and 1 AI spoke team")
    assert infer_model(five) == (OrgModel.HUB_SPOKE, "a staffed AI hub and 5 AI spoke teams")
