"""Status against targets: min (strict or not), max, band, amber tolerance, hub_size's fixed
amber zone, precedence of no_data and info, and the direction of change (SPEC §3.2)."""

import pytest

from aiorg_metrics.kpi.status import Change, Status, Target, TargetKind, change, grade, status_of

GREEN, AMBER, RED = Status.GREEN, Status.AMBER, Status.RED
STRICT_30 = Target(min=0.30, strict_min=True)
MIN_70 = Target(min=0.70)
MAX_3 = Target(max=3)
MAX_0 = Target(max=0)
BAND_1_2 = Target(min=1, max=2)
BAND_EUR = Target(min=2000, max=5000)
HUB = Target(max=15, amber_max=20)


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [
        (STRICT_30, 0.30, AMBER),  # exactly on a strict minimum is not yet green
        (STRICT_30, 0.3001, GREEN),
        (STRICT_30, 0.27, AMBER),  # 0.30 × (1 − 0.10)
        (STRICT_30, 0.2699, RED),
        (MIN_70, 0.70, GREEN),  # exactly on a non-strict minimum
        (MIN_70, 0.6999, AMBER),
        (MIN_70, 0.63, AMBER),
        (MIN_70, 0.6299, RED),
        (MAX_3, 3, GREEN),
        (MAX_3, 3.0001, AMBER),
        (MAX_3, 3.3, AMBER),  # 3 × (1 + 0.10)
        (MAX_3, 3.3001, RED),
        (MAX_0, 0, GREEN),
        (MAX_0, 0.0001, RED),  # a max of 0 has no amber zone
        (MAX_0, 1, RED),
        (BAND_1_2, 1, GREEN),
        (BAND_1_2, 2, GREEN),
        (BAND_1_2, 1.5, GREEN),
        (BAND_1_2, 0.9, AMBER),
        (BAND_1_2, 0.8999, RED),
        (BAND_1_2, 2.2, AMBER),
        (BAND_1_2, 2.2001, RED),
        (BAND_EUR, 1800, AMBER),
        (BAND_EUR, 1799.99, RED),
        (BAND_EUR, 5500, AMBER),
        (BAND_EUR, 5500.01, RED),
        (HUB, 15, GREEN),
        (HUB, 16, AMBER),
        (HUB, 20, AMBER),
        (HUB, 20.5, RED),
        (HUB, 21, RED),
    ],
)
def test_grade_with_ten_percent_tolerance(target, value, expected):
    assert grade(value, target, 0.10) is expected


def test_floating_point_noise_is_on_the_bound():
    assert grade((0.1 + 0.2 + 0) / 3, Target(min=0.10, max=0.20), 0.1) is GREEN
    assert grade((0.2 + 0.4 + 0) / 3, Target(min=0.10, max=0.20), 0.1) is GREEN  # 0.20000000000000004
    assert grade(0.1 + 0.2, Target(min=0.30, strict_min=True), 0.1) is AMBER  # 0.30000000000000004
    assert grade(0.3 * 0.9, STRICT_30, 0.1) is AMBER


def test_hub_size_amber_zone_ignores_the_tolerance():
    assert grade(21, HUB, 0.50) is RED
    assert grade(16, HUB, 0.0) is AMBER


def test_zero_tolerance_has_no_amber():
    assert grade(0.69, MIN_70, 0.0) is RED
    assert grade(0.2999, STRICT_30, 0.0) is RED
    # m·(1−t) ≤ value ≤ m is amber for a strict min, even with t = 0 (SPEC §3.2's formula).
    assert grade(0.30, STRICT_30, 0.0) is AMBER
    assert grade(3.01, MAX_3, 0.0) is RED


def test_wider_tolerance():
    assert grade(0.56, MIN_70, 0.20) is AMBER
    assert grade(0.55, MIN_70, 0.20) is RED


def test_no_data_takes_precedence_over_info():
    assert status_of(None, MIN_70, 0.1, empty=True, partial_window=True) is Status.NO_DATA
    assert status_of(None, None, 0.1, empty=True) is Status.NO_DATA


def test_info_without_target_or_for_partial_window():
    assert status_of(0.1, None, 0.1, empty=False) is Status.INFO
    assert status_of(0.9, MIN_70, 0.1, empty=False, partial_window=True) is Status.INFO
    assert status_of(None, MIN_70, 0.1, empty=False) is Status.INFO


def test_forced_status_wins():
    assert status_of(None, MAX_3, 0.1, empty=False, forced=GREEN) is GREEN


def test_status_grades_the_value():
    assert status_of(0.65, MIN_70, 0.1, empty=False) is AMBER


def test_target_kinds_and_dict():
    assert STRICT_30.kind is TargetKind.MIN
    assert MAX_3.kind is TargetKind.MAX
    assert BAND_1_2.kind is TargetKind.BAND
    assert STRICT_30.as_dict() == {"min": 0.30, "max": None, "strict_min": True}
    assert HUB.as_dict() == {"min": None, "max": 15, "strict_min": False}


@pytest.mark.parametrize(
    "kwargs", [{}, {"min": 3, "max": 2}, {"max": 3, "strict_min": True}],
)
def test_incoherent_targets_are_refused(kwargs):
    with pytest.raises(ValueError):
        Target(**kwargs)


@pytest.mark.parametrize(
    ("target", "before", "after", "expected"),
    [
        (MIN_70, 0.5, 0.6, Change.BETTER),
        (MIN_70, 0.6, 0.5, Change.WORSE),
        (MIN_70, 0.6, 0.6, Change.SAME),
        (MAX_3, 4.0, 2.0, Change.BETTER),
        (MAX_3, 2.0, 2.5, Change.WORSE),
        (BAND_1_2, 0.5, 0.8, Change.BETTER),  # closer to the band
        (BAND_1_2, 2.5, 1.5, Change.BETTER),  # into the band
        (BAND_1_2, 1.2, 1.8, Change.SAME),  # inside both times
        (BAND_1_2, 2.5, 0.4, Change.WORSE),  # 0.5 above, then 0.6 below
        (BAND_1_2, 1.5, 2.1, Change.WORSE),
    ],
)
def test_change_direction(target, before, after, expected):
    assert change(target, before, after) is expected


def test_no_change_without_target_or_values():
    assert change(None, 1, 2) is None
    assert change(MIN_70, None, 0.5) is None
    assert change(MIN_70, 0.5, None) is None
