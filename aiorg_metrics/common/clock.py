"""Today's date for the product: the system date, or `$AIORG_TODAY` (ISO) for tests and demos.

Everything that depends on "today" (plausible dates at import, quarters in progress)
asks here, so a test or a demo can pin the day without touching the system clock.
"""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """`$AIORG_TODAY` when set to an ISO date, else the system date."""
    pinned = os.environ.get("AIORG_TODAY", "").strip()
    if pinned:
        try:
            return date.fromisoformat(pinned)
        except ValueError:
            pass  # a malformed pin is ignored rather than taking the product down
    return date.today()
