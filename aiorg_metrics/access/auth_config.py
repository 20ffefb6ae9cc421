"""The `[auth]` section of the secrets: which of the keys sign-in needs it lacks.

The dashboard's Sign in button uses Streamlit's default provider, which needs every key of
`REQUIRED_AUTH_KEYS` at the top of `[auth]`. Without one of them Streamlit fails only when someone
clicks Sign in, with a generic error; checked first, a faulty section fails closed with the app's
own "misconfigured" notice and a log line naming the missing keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REQUIRED_AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


def missing_auth_keys(section: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys of `REQUIRED_AUTH_KEYS` that `section` lacks or leaves blank, in that order."""
    return tuple(key for key in REQUIRED_AUTH_KEYS if not _given(section.get(key)))


def _given(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
