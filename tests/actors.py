"""Actors for tests that call the engine's write functions (each takes a required `actor=`)."""

from __future__ import annotations

from aiorg_metrics.access.actor import Actor, trusted
from aiorg_metrics.access.permissions import Rights, Role
from aiorg_metrics.ingestion.import_log import current_user

ADMIN = trusted(current_user())  # as the command line acts: the OS user, full rights


def holding(name: str, *roles: Role) -> Actor:
    """An actor called `name` holding `roles`."""
    return Actor(name, Rights(frozenset(roles)))


__all__ = ["ADMIN", "holding", "trusted"]
