"""KPI results as a reader may be sent them: individual survey answers (a survey-based KPI's value at a
champion's scope) follow the reader's `Disclosure` (see `aiorg_metrics.access.disclosure`).

Applied to the results and the trend before cards are built, so a withheld value never reaches a page:
a reader who may not see a champion's answer gets the result without its value, comparisons or
population sums, and a note saying to whom it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from aiorg_metrics.access.disclosure import Disclosure
from aiorg_metrics.kpi import BY_ID, KpiResult, Scope
from aiorg_metrics.kpi.status import Status

NOT_SHOWN = "an individual survey answer, shown only to that champion and to the CAIO's office"


def individual_answer(result: KpiResult) -> bool:
    """Whether `result` is an individual survey answer: a survey-based KPI at a champion's scope."""
    known = BY_ID.get(result.kpi)
    return result.scope_type is Scope.CHAMPION and known is not None and known.survey_based


def withheld(result: KpiResult) -> KpiResult:
    """The result with nothing of the answer left in it (value, comparisons, sums), and why in its note."""
    return replace(result, value=None, numerator=None, denominator=None, previous=None, year_ago=None,
                   status=Status.NO_DATA, note=NOT_SHOWN)


def _key(result: KpiResult) -> tuple[str, str, str]:
    return result.kpi, result.period, result.scope


def survey_results(results: Iterable[KpiResult], disclosure: Disclosure,
                   unfloored: Iterable[KpiResult] = ()) -> list[KpiResult]:
    """`results` with each individual survey answer as `disclosure` allows: the reader's own (a champion's)
    from `unfloored` (the same results computed without the survey floor) when given there; others'
    kept, the floor applied, for a reader who sees them; withheld for everyone else. Other results as
    they are."""
    own = {_key(r): r for r in unfloored if individual_answer(r)}
    shown = []
    for r in results:
        if not individual_answer(r):
            shown.append(r)
        elif disclosure.waives_floor_for(r.scope_value or ""):
            shown.append(own.get(_key(r), r))
        elif disclosure.shows_survey_of(r.scope_value or ""):
            shown.append(r)
        else:
            shown.append(withheld(r))
    return shown
