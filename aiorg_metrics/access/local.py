"""Local mode (no sign-in configured): full rights on the same machine, viewer rights from elsewhere.

A deployment that lost its sign-in configuration thus fails closed: people reaching it over
the network can read, not change. `AIORG_LOCAL_MODE=trusted` gives every request full rights,
for a server whose network access is already restricted.
"""

from __future__ import annotations

import ipaddress

from aiorg_metrics.access.permissions import LOCAL_TRUSTED, VIEWER, Rights

LOCAL_MODE_ENV = "AIORG_LOCAL_MODE"
TRUSTED = "trusted"


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


def local_rights(ip_address: str | None, trusted_env: str | None, *, forwarded_for: str | None = None) -> Rights:
    """The rights of a request in local mode; `trusted_env` is the value of $AIORG_LOCAL_MODE.

    `forwarded_for` is the request's X-Forwarded-For header: a reverse proxy on this machine
    makes every request look local, so a forwarded request is treated as coming from elsewhere.
    """
    if (trusted_env or "").strip().lower() == TRUSTED:
        return LOCAL_TRUSTED
    if is_loopback(ip_address) and not (forwarded_for or "").strip():
        return LOCAL_TRUSTED
    return VIEWER
