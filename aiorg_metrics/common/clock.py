"""Today's date for the product: the system date, or `$AIORG_TODAY` (ISO) for tests and demos.

Everything that depends on "today" (plausible dates at import, quarters in progress)
asks here, so a test or a demo can pin the day without touching the system clock.
A pin that is malformed or outside `SANE_DAYS` is ignored (with one warning per value):
a pinned day must leave a plausible range (from 2000-01-01 to a year after it) that is
not empty and that the calendar can hold, so nothing downstream can overflow.
"""

from __future__ import annotations

import logging
import os
from datetime import date

PIN_VARIABLE = "AIORG_TODAY"
SANE_DAYS = (date(2000, 1, 2), date(9998, 12, 31))

_log = logging.getLogger(__name__)
_WARNED: set[str] = set()


def _warn_once(pinned: str, why: str) -> None:
    if pinned not in _WARNED:
        _WARNED.add(pinned)
        _log.warning("$%s=%r is ignored (%s); using the system date.", PIN_VARIABLE, pinned, why)


def pinned_day(pinned: str) -> date | None:
    """The day `pinned` names when it is an ISO date within `SANE_DAYS`, else None (warned once)."""
    try:
        day = date.fromisoformat(pinned)
    except ValueError:
        _warn_once(pinned, "not a date written YYYY-MM-DD")
        return None
    lowest, highest = SANE_DAYS
    if not lowest <= day <= highest:
        _warn_once(pinned, f"a pinned day must be from {lowest.isoformat()} to {highest.isoformat()}")
        return None
    return day


def today() -> date:
    """`$AIORG_TODAY` when set to a sane ISO date, else the system date."""
    pinned = os.environ.get(PIN_VARIABLE, "").strip()
    day = pinned_day(pinned) if pinned else None
    return day or date.today()
