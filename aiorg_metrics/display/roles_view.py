"""The Settings page's Roles section (admin only): the roles file's assignments as a table, read-only."""

from __future__ import annotations

import pandas as pd

from aiorg_metrics.access.roles import Roles

COLUMNS = ("Email or group", "Role", "Champion or team")


def assignments_frame(roles: Roles) -> pd.DataFrame:
    """One row per `[[assign]]` entry, in the file's order: who (an email, or "group: <id>"), the role, and a
    champion's scope ("champion CH-001" or "team CARDS"; blank for other roles)."""
    rows = [
        (entry.email or f"group: {entry.group}", entry.role.value,
         f"champion {entry.champion_id}" if entry.champion_id else f"team {entry.team_id}" if entry.team_id else "")
        for entry in roles.assign
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))
