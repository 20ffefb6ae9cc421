"""How values, targets, changes, distances and model names read (aiorg_metrics.display.wording), the
one wording of the app, the CLI's table and text output and docs/kpis.md."""

from __future__ import annotations

import pytest

from aiorg_metrics.analysis.impact import KpiChange
from aiorg_metrics.datasets.organization import OrgModel
from aiorg_metrics.datasets.registry import DATASETS
from aiorg_metrics.display.glossary import entry
from aiorg_metrics.display.kpi_docs import kpi_section
from aiorg_metrics.display.wording import (
    DATASET_WORDS,
    DATE_WORDS,
    VERDICT_WORDS,
    Verdict,
    change_text,
    compare,
    dataset_name,
    dated_by_text,
    decimals_for,
    declared_model_choices,
    distance_text,
    first_sentence,
    format_delta,
    format_target,
    format_value,
    model_name,
    relative_distance,
    source_text,
    status_word,
)
from aiorg_metrics.kpi import KPIS, kpi
from aiorg_metrics.kpi.model import DatedBy
from aiorg_metrics.kpi.status import Status, Target, TargetSource
from dashboard.views.glossary import with_code

SHARE = kpi("use_case_to_poc_rate")  # percent, target > 30%
QUEUE = kpi("demand_queue_months")  # months, target ≤ 3
CHAMPIONS = kpi("champions_per_business_team")  # per team, band 1-2
SPEND = kpi("training_spend_per_learner")  # EUR, band 2,000-5,000
SHADOW = kpi("shadow_ai_teams")  # teams, max 0
STRICT_30 = Target(min=0.30, strict_min=True)


@pytest.mark.parametrize(("value", "shown"), [
    (0.42, "42%"),  # far from the bound: the unit's decimals
    (0.3046, "30.5%"),  # within half a point of 30%: one more decimal
    (0.2996, "29.96%"),  # one more decimal would still read 30.0%: another one
    (0.30, "30%"),  # on the bound exactly: nothing to disambiguate
    (0.296, "29.6%"),
])
def test_one_more_decimal_near_a_bound(value: float, shown: str) -> None:
    assert format_value(SHARE, value, STRICT_30) == shown


def test_near_bound_rule_per_unit() -> None:
    assert format_value(QUEUE, 2.957, Target(max=3)) == "2.96 months"
    assert format_value(QUEUE, 3.38, Target(max=3)) == "3.4 months"
    assert format_value(SPEND, 4999.6, Target(min=2000, max=5000)) == "4,999.6 EUR"
    assert format_value(SHADOW, 0.0, Target(max=0)) == "0 teams"  # whole counts never get decimals
    assert decimals_for(SHARE.unit, 0.42, None) == 0
    assert format_value(SHARE, None) == "–"


def test_targets_in_words() -> None:
    assert format_target(SHARE, STRICT_30) == "> 30%"
    assert format_target(SHARE, Target(min=0.8)) == "≥ 80%"
    assert format_target(QUEUE, Target(max=3)) == "≤ 3.0 months"
    assert format_target(CHAMPIONS, Target(min=1, max=2)) == "1.0–2.0 per team"
    assert format_target(SPEND, Target(min=2000, max=5000)) == "2,000–5,000 EUR"
    assert format_target(kpi("champion_time_allocation"), Target(min=0.1, max=0.2)) == "10–20%"
    assert format_target(SHARE, None) == "no target"


def test_deltas_show_small_changes_and_use_points_for_shares() -> None:
    assert format_delta(SHARE, 0.32, 0.3046) == "−1.5 pts"
    assert format_delta(SHARE, 0.30, 0.30) == "±0 pts"
    assert format_delta(CHAMPIONS, 1.56, 1.52) == "−0.04"  # 1 decimal would read ±0
    assert format_delta(SPEND, 3426, 3306) == "−120"
    assert format_delta(QUEUE, 2.957, 3.384) == "+0.4"


def test_better_and_worse_follow_the_target_kind() -> None:
    assert compare(QUEUE, "vs Q", 2.9, 3.4, Target(max=3)).verdict is Verdict.WORSE  # lower is better
    assert compare(SHARE, "vs Q", 0.32, 0.30, STRICT_30).verdict is Verdict.WORSE
    band = Target(min=1, max=2)
    assert compare(CHAMPIONS, "vs Q", 0.5, 0.9, band).verdict is Verdict.BETTER  # closer to the band
    assert compare(CHAMPIONS, "vs Q", 1.2, 1.8, band).verdict is Verdict.HIGHER  # inside both times, +50%
    assert compare(SHARE, "vs Q", 0.5, 0.6, None).verdict is None
    missing = compare(SHARE, "vs Q", None, 0.6, STRICT_30)
    assert missing.before == "–" and missing.verdict is None


def test_distance_to_the_violated_bound() -> None:
    assert relative_distance(0.67, Target(min=0.8)) == pytest.approx(0.1625)
    assert distance_text(SHARE, 0.67, Target(min=0.8)) == "16% below the minimum"
    assert distance_text(QUEUE, 3.384, Target(max=3)) == "13% above the maximum"
    assert distance_text(CHAMPIONS, 0.5, Target(min=1, max=2)) == "50% below the band"
    assert distance_text(SHADOW, 2, Target(max=0)) == "2 teams above the maximum of 0"
    assert relative_distance(2, Target(max=0)) == 2
    assert distance_text(SHARE, 0.30, STRICT_30) == "at the bound"


def test_words_for_statuses_and_sources() -> None:
    assert status_word(Status.AMBER) == "Watch"
    assert status_word(Status.INFO, partial_window=True) == "Partial year"
    assert source_text(SHARE, TargetSource.GUIDE).startswith('guide: "Taux de conversion')
    assert source_text(SHARE, TargetSource.GUIDE, full=True).startswith("guide, AI Champions Network")
    assert source_text(kpi("champion_programme_completion"), TargetSource.DEFAULT).startswith("product default")
    assert source_text(SHARE, TargetSource.OVERRIDE) == "your organization's setting"
    assert first_sentence("One thing. Another.") == "One thing."


def test_a_target_that_depends_on_the_model_quotes_only_the_model_in_force() -> None:
    spokes = kpi("spoke_staffing")
    assert source_text(spokes, TargetSource.GUIDE, model=OrgModel.HUB_SPOKE) == 'guide: "DS+MLE (2-5)"'
    assert source_text(spokes, TargetSource.GUIDE, model=OrgModel.FEDERATED) == 'guide: "AI Team (5-15)"'
    hub_spoke = entry(spokes, OrgModel.HUB_SPOKE)
    assert "DS+MLE (2-5)" in hub_spoke.source and "5-15" not in hub_spoke.source
    assert "5-15" in source_text(spokes, TargetSource.GUIDE, full=True)  # no model (the docs): both bands


def test_the_docs_and_the_glossary_page_word_a_target_as_the_cards_do() -> None:
    assert "| Target | 1.0–2.0 per team |" in kpi_section(CHAMPIONS)
    assert entry(CHAMPIONS, OrgModel.HUB_SPOKE).target == format_target(CHAMPIONS, CHAMPIONS.target)
    assert "| Target | no target |" in kpi_section(kpi("meetup_participation"))


def test_one_table_of_model_names_for_the_pages_the_settings_and_the_cli() -> None:
    assert model_name(OrgModel.HUB_SPOKE) == model_name("hub_spoke") == "Hub & spoke"
    assert model_name("unknown") == "unknown"
    assert declared_model_choices() == {
        "Inferred from the teams": None,
        "Centralized (one AI centre of excellence)": "centralized",
        "Hub & spoke": "hub_spoke",
        "Federated": "federated",
        "Embedded (AI in every product team)": "embedded",
    }


SPEND_BAND = Target(min=2000, max=5000)


def test_a_36_percent_rise_inside_the_band_is_not_the_same() -> None:
    # The "+883 = same": 2,450 → 3,333 EUR is +36%, inside the 2,000–5,000 band both times.
    rise = compare(SPEND, "vs 2026-Q2", 2450, 3333, SPEND_BAND)
    assert (rise.before, rise.delta, rise.verdict) == ("2,450", "+883 (+36%)", Verdict.HIGHER)
    assert VERDICT_WORDS[rise.verdict] == ("↑ higher, still in the band", "gray")
    fall = compare(SPEND, "vs 2026-Q2", 3333, 2450, SPEND_BAND)
    assert (fall.delta, fall.verdict) == ("−883 (−26%)", Verdict.LOWER)


def test_same_means_a_small_relative_move_that_crosses_no_bound() -> None:
    # +10 EUR on 2,450 is +0.4%: under the 2% of STEADY_WITHIN.
    steady = compare(SPEND, "vs Q", 2450, 2460, SPEND_BAND)
    assert (steady.delta, steady.verdict) == ("+10 (+0.4%)", Verdict.SAME)
    assert VERDICT_WORDS[Verdict.SAME] == ("= same", "gray")
    # 50% → 50.5% of a "> 30%" target: +0.5 pts is 1% of 50%, no bound crossed.
    assert compare(SHARE, "vs Q", 0.50, 0.505, STRICT_30).verdict is Verdict.SAME
    # 2.0 → 2.03 months against "≤ 3": +1.5%, the same; 2.0 → 2.1 months is +5%, worse.
    assert compare(QUEUE, "vs Q", 2.0, 2.03, Target(max=3)).verdict is Verdict.SAME
    assert compare(QUEUE, "vs Q", 2.0, 2.1, Target(max=3)).verdict is Verdict.WORSE
    assert compare(SHARE, "vs Q", 0.4, 0.4, STRICT_30).verdict is Verdict.SAME


def test_a_small_move_across_a_bound_keeps_better_or_worse() -> None:
    # 30% → 30.1% of "> 30%": a 0.3% move, but it passes the target.
    up = compare(SHARE, "vs Q", 0.30, 0.301, STRICT_30)
    assert (up.delta, up.verdict) == ("+0.1 pts", Verdict.BETTER)  # points only for a share
    assert compare(SPEND, "vs Q", 4990, 5010, SPEND_BAND).verdict is Verdict.WORSE  # +0.4%, out of the band
    # From 0 there is no relative size: any move is judged against the target.
    zero = compare(SHADOW, "vs Q", 0, 2, Target(max=0))
    assert (zero.delta, zero.verdict) == ("+2", Verdict.WORSE)


def test_an_import_s_effect_names_points_or_the_relative_size() -> None:
    spend = KpiChange(kpi="training_spend_per_learner", before=2450.0, after=3333.0, before_status=Status.GREEN,
                      after_status=Status.GREEN, before_target=SPEND_BAND, after_target=SPEND_BAND)
    assert change_text(spend) == ("Training spend per learner (12 months): 2,450 EUR green → 3,333 EUR green, "
                                  "+883 (+36%)")
    share = KpiChange(kpi="use_case_to_poc_rate", before=0.48, after=0.53, before_status=Status.AMBER,
                      after_status=Status.GREEN, before_target=STRICT_30, after_target=STRICT_30)
    assert change_text(share).endswith(": 48% amber → 53% green, +5.0 pts")


def test_dated_columns_and_datasets_read_as_words() -> None:
    assert dated_by_text(DatedBy("use_cases", "identified_date")) == "identification date (use cases)"
    assert dated_by_text(DatedBy("poc_conversions", "start_date")) == "start date (PoC conversions)"
    assert dataset_name("champion_activity") == "champion activity"
    assert {d.name for d in DATASETS} <= set(DATASET_WORDS)  # every dataset has its words
    assert {d.column for k in KPIS for d in k.dated_by} <= set(DATE_WORDS)


def test_the_glossary_page_shows_identifiers_as_code_and_the_rest_as_typed() -> None:
    assert with_code("the setting `min_survey_answers` (3) and hours_per_quarter.") == (
        "the setting `min_survey_answers` \\(3\\) and `hours_per_quarter`\\.")
    assert entry(kpi("meetup_participation"), OrgModel.HUB_SPOKE).source.startswith("context from the guide: ")
