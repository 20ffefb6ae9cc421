"""A quarter whose data covers only part of it (issue 10, item 6): in progress, or finished with its last
weeks missing. Nothing is compared with earlier quarters, and the KPIs that add up over the quarter read
"Provisional": not judged, left out of "needs attention" and of the summary's shortfalls, named once.
Hand-built results; the engine's status stays on the result."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from test_scorecard import Q, result

from aiorg_metrics.display.scorecard import build_cards, left_out_text, needs_attention, status_summary
from aiorg_metrics.display.summary import executive_summary
from aiorg_metrics.display.wording import provisional_text
from aiorg_metrics.kpi import KPIS
from aiorg_metrics.kpi.status import Status, Target

BAND = Target(min=0.10, max=0.20)
MIN80 = Target(min=0.8)


def rows() -> list:
    return [
        # adds up over the quarter: 7% after six weeks, 14% (green) the quarter before
        result("champion_time_allocation", 0.07, Status.RED, target=BAND, n=38, previous=0.14),
        # adds up too, no target: provisional, never listed as left out
        result("meetup_participation", 0.30, Status.INFO, previous=0.66),
        # does not add up: judged as usual, green before
        result("upskilling_on_track", 0.67, Status.RED, target=MIN80, num=6, den=9, previous=0.82),
    ]


def test_the_accumulating_kpis_are_declared_on_their_records() -> None:
    assert [k.id for k in KPIS if k.accumulates_in_quarter] == [
        "champions_per_business_team", "business_teams_in_champion_band", "use_cases_per_champion",
        "champion_time_allocation", "meetup_participation"]


def test_a_finished_part_quarter_compares_nothing_and_shows_accumulating_kpis_provisional() -> None:
    time, meetups, paths = build_cards(rows(), [], Q, kpis=KPIS, part_quarter=True)
    assert [c.comparisons for c in (time, meetups, paths)] == [(), (), ()]
    assert (time.partial, time.in_progress) == (True, False)  # finished: values are not "to date"
    assert (time.provisional, time.status, time.status_word, time.result.status) == (
        True, Status.INFO, "Provisional", Status.RED)
    assert (meetups.provisional, paths.provisional, paths.status) == (True, False, Status.RED)


def test_a_whole_quarter_keeps_its_comparisons_and_verdicts() -> None:
    time = build_cards(rows(), [], Q, kpis=KPIS)[0]
    assert (time.partial, time.provisional, time.status, time.status_word) == (False, False, Status.RED,
                                                                                  "Off target")
    assert len(time.comparisons) == 2


def test_a_quarter_in_progress_is_partial_without_being_told() -> None:
    in_progress = [replace(r, as_of=date(2026, 11, 13), period="2026-Q4") for r in rows()]
    time = build_cards(in_progress, [], Q.next(), kpis=KPIS)[0]
    assert (time.partial, time.in_progress, time.provisional, time.status) == (True, True, True, Status.INFO)


def test_provisional_kpis_leave_needs_attention_and_the_status_counts_and_are_named_once() -> None:
    cards = build_cards(rows(), [], Q, kpis=KPIS, part_quarter=True)
    assert [a.card.kpi.id for a in needs_attention(cards, [])] == ["upskilling_on_track"]
    counts = status_summary(cards)
    assert (counts[Status.RED], counts[Status.INFO]) == (1, 0)
    assert left_out_text(cards) == (
        "Not judged until the quarter's data is complete: Champion time allocation — they add up over the "
        "quarter, so part of it is not held to a full quarter's target")


def test_the_summary_of_a_part_quarter_turns_nothing_and_names_what_it_leaves_out() -> None:
    cards = build_cards(rows(), [], Q, kpis=KPIS, part_quarter=True)
    sentences = executive_summary(cards, needs_attention(cards, []), [], 0.10, "2026-Q2", partial=True)
    assert [s.plain() for s in sentences] == [
        "Furthest from target: Reconversion paths on track 67% (target ≥ 80%).",
        "Not judged until the quarter's data is complete: Champion time allocation — they add up over the "
        "quarter, so part of it is not held to a full quarter's target.",
    ]


def test_the_cards_line_keeps_the_engines_verdict_only_when_there_is_a_target() -> None:
    assert provisional_text(Status.RED) == (
        "Provisional: adds up over the quarter; against the full quarter's target it reads off target so far")
    assert provisional_text(Status.INFO) == "Provisional: adds up over the quarter"
