"""Who is asking, for this run: the rights of the request (read on every run, never cached: a
rights change takes effect at the next click), the sidebar's identity line, the local-mode banner
and the refusals of a page or a change the rights do not allow.

Without a sign-in configuration (the only mode so far) the app runs in local mode
(aiorg_metrics/access/local.py): full rights on the same machine, viewer rights from another one.
"""

from __future__ import annotations

import os

import streamlit as st

from aiorg_metrics.access import local
from aiorg_metrics.access.permissions import Permission, Rights
from aiorg_metrics.ingestion.import_log import os_user

REMOTE_BANNER = ("You are connected from another machine to a dashboard in local mode: you can read it but not "
                 "change it. To give people their roles, configure sign-in (README, Deployment).")
PAGE_REFUSED = "This page is not open to you."
CHANGE_REFUSED = "You may not make this change: nothing was changed."
REMOTE_REASON = ("You are connected from another machine to a dashboard in local mode, which lets you read the "
                 "dashboards only. Choose another page in the sidebar.")


def _client_address() -> str | None:
    """The request's address; None on this machine's own runs and in tests (AppTest gives no text)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def _forwarded_for() -> str | None:
    """The request's X-Forwarded-For header, when a proxy sent one."""
    headers = st.context.headers
    value = headers.get("X-Forwarded-For") if headers else None
    return value if isinstance(value, str) else None


def current_rights() -> Rights:
    """The rights of this run's request (local mode: by its address and $AIORG_LOCAL_MODE)."""
    return local.local_rights(_client_address(), os.environ.get(local.LOCAL_MODE_ENV), forwarded_for=_forwarded_for())


def remote_in_local_mode() -> bool:
    """Whether this request reaches the local-mode app from another machine (and so only reads)."""
    return current_rights() != local.local_rights(None, None)


def identity_text() -> str:
    """The sidebar's identity line: local mode, and who acts."""
    if remote_in_local_mode():
        return "Local mode · viewer (this address is not this machine)"
    return f"Local mode · {os_user()}"


def allows(permission: Permission) -> bool:
    """Whether this request may see or do `permission`."""
    return current_rights().can(permission)


def change_allowed(permission: Permission) -> bool:
    """Whether this request may make a change needing `permission`; when not, the page says so. Called
    where the change is made, not only where its button is drawn: a forged click changes nothing."""
    if allows(permission):
        return True
    st.error(CHANGE_REFUSED, icon=":material/lock:")
    return False


def remote_banner() -> None:
    """The banner of a request from another machine in local mode (nothing otherwise)."""
    if remote_in_local_mode():
        st.warning(REMOTE_BANNER, icon=":material/visibility:")


def refuse_page() -> None:
    """The polite refusal of a page this request may not open; nothing after it runs."""
    reason = REMOTE_REASON if remote_in_local_mode() else "Choose another page in the sidebar."
    st.error(f"**{PAGE_REFUSED}** {reason}", icon=":material/lock:")
    st.stop()
