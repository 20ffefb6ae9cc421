"""Local mode (no sign-in configured): full rights on the same machine, viewer rights from elsewhere.

A deployment that lost its sign-in configuration thus fails closed: people reaching it over
the network can read, not change. `AIORG_LOCAL_MODE=trusted` gives every request full rights,
for a server whose network access is already restricted.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from aiorg_metrics.access.permissions import LOCAL_TRUSTED, VIEWER, Rights

LOCAL_MODE_ENV = "AIORG_LOCAL_MODE"
TRUSTED = "trusted"
# The headers a reverse proxy adds (nginx sends none unless told to, or only one of these): any of them
# on a request from this machine means the request came through a proxy, from anywhere.
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Forwarded-Host")


def is_loopback(ip_address: str | None) -> bool:
    """Whether a request comes from this machine: None (Streamlit's answer for localhost), 127.0.0.0/8 or ::1.

    An address that cannot be read is not loopback.
    """
    if ip_address is None:
        return True
    try:
        address = ipaddress.ip_address(ip_address.strip())
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1 is IPv4's loopback seen over IPv6
    return (mapped or address).is_loopback


def through_proxy(headers: Mapping[str, str] | None) -> bool:
    """Whether a request came through a reverse proxy: it carries one of `PROXY_HEADERS` (any case, any value)."""
    names = {name.lower() for name in PROXY_HEADERS}
    return any(name.lower() in names for name in (headers or {}))


def local_rights(ip_address: str | None, trusted_env: str | None, *,
                 headers: Mapping[str, str] | None = None) -> Rights:
    """The rights of a request in local mode; `trusted_env` is the value of $AIORG_LOCAL_MODE.

    `headers` are the request's headers: a reverse proxy on this machine makes every request look
    local, so a request that came through one (`through_proxy`) is treated as coming from elsewhere.
    """
    if (trusted_env or "").strip().lower() == TRUSTED:
        return LOCAL_TRUSTED
    if is_loopback(ip_address) and not through_proxy(headers):
        return LOCAL_TRUSTED
    return VIEWER
