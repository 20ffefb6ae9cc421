"""Who is asking, for this run: the rights of the request (read on every run, never cached: a
rights change takes effect at the next click), the sidebar's identity line, the local-mode banner
and the refusals of a page or a change the rights do not allow.

With an `[auth]` section in the secrets, people sign in through Streamlit's OpenID Connect
support (`st.login`) and their rights come from the roles file (aiorg_metrics/access/roles.py),
read on every run: a role removed from the file takes effect at the next click, whatever the age
of the sign-in cookie. Without one the app runs in local mode (aiorg_metrics/access/local.py):
full rights on the same machine, viewer rights from another one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from aiorg_metrics.access import auth_config, local, roles
from aiorg_metrics.access.actor import Actor
from aiorg_metrics.access.disclosure import Disclosure
from aiorg_metrics.access.identity import identity_of
from aiorg_metrics.access.permissions import NOBODY, Permission, Rights, Role
from aiorg_metrics.access.server_paths import without_paths
from aiorg_metrics.ingestion.import_log import current_user, os_user

PRODUCT_NAME = "AI organization KPIs"
SIGN_IN_TEXT = "Sign in with your organization's account to open the dashboard."
MISCONFIGURED = ("Sign-in is misconfigured on this server, so nobody can open the dashboard for now. "
                 "Please tell the person who runs it.")
_log = logging.getLogger(__name__)

REMOTE_BANNER = ("You are connected from another machine to a dashboard in local mode: you can read it but not "
                 "change it. To give people their roles, configure sign-in (README, Deployment).")
UNNAMED = "an unnamed account"
UNNAMED_BANNER = ("Your sign-in did not say who you are (no email, username or subject id), so the dashboard "
                  "cannot record you as the author of a change: you can read it but not change it. Please tell "
                  "the person who runs it.")
PAGE_REFUSED = "This page is not open to you."
CHANGE_REFUSED = "You may not make this change: nothing was changed."
REMOTE_REASON = ("You are connected from another machine to a dashboard in local mode, which lets you read the "
                 "dashboards only. Choose another page in the sidebar.")


def _client_address() -> str | None:
    """The request's address; None on this machine's own runs and in tests (AppTest gives no text)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def _proxy_headers() -> dict[str, str]:
    """The request's headers a reverse proxy adds (`local.PROXY_HEADERS`), those it carries."""
    headers = st.context.headers
    found = {name: headers.get(name) for name in local.PROXY_HEADERS} if headers else {}
    return {name: value for name, value in found.items() if isinstance(value, str)}


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    """A section of the secrets; None without one (or without any secrets file: local mode)."""
    secrets = st.secrets
    if not secrets.load_if_toml_exists() and not getattr(secrets, "_secrets", None):
        return None
    section = secrets.get(name)
    return section if isinstance(section, Mapping) else None


def auth_configured() -> bool:
    """Whether sign-in is configured (an `[auth]` section in the secrets); else local mode."""
    return _secrets_section("auth") is not None


def _claims() -> dict[str, Any] | None:
    """The signed-in person's claims (`email`, groups...); None when nobody is signed in."""
    if not st.user.get("is_logged_in"):
        return None
    return st.user.to_dict()


def _roles_file() -> str | None:
    """The roles file's path: $AIORG_ROLES, else `[aiorg] roles_file` in the secrets."""
    section = _secrets_section("aiorg") or {}
    chosen = os.environ.get(roles.ROLES_ENV) or section.get("roles_file")
    return str(chosen) if chosen else None


def roles_file_in_use() -> Path | None:
    """The roles file this server reads ($AIORG_ROLES, else `[aiorg] roles_file` in the secrets); None without one."""
    return roles.roles_path(_roles_file())


def signed_in_rights() -> tuple[Rights, str | None]:
    """The signed-in person's rights from the roles file (read now), and why nobody gets in when it
    cannot be used (None when it can)."""
    claims = _claims()
    if claims is None:
        return NOBODY, None
    rights, problem = roles.rights_or_nobody(roles_file_in_use(), claims)
    if problem is not None:
        _log.error("Sign-in refused: %s", problem)
    if identity_of(claims) is None:  # no author to record: they may read, not change (UNNAMED_BANNER)
        rights = rights.without_changes()
    return rights, problem


def current_rights() -> Rights:
    """The rights of this run's request: by the roles file when sign-in is configured, else local mode
    (by its address and $AIORG_LOCAL_MODE)."""
    if auth_configured():
        return signed_in_rights()[0]
    return local.local_rights(_client_address(), os.environ.get(local.LOCAL_MODE_ENV), headers=_proxy_headers())


def author() -> str:
    """Who is recorded as the author of a change: with sign-in configured, the signed-in person's identity
    from their claims alone (`identity.identity_of`: verified email, else `preferred_username`, else `sub`),
    never the server's OS user; in local mode, the OS user."""
    if not auth_configured():
        return current_user()
    return identity_of(_claims() or {}) or UNNAMED


def actor() -> Actor:
    """Who makes this run's changes, as the engine's write functions take it: the author and this request's
    rights (the engine refuses what they do not allow, whatever the page drew)."""
    return Actor(author(), current_rights())


def may_see_server_paths() -> bool:
    """Whether this request may see the server's file paths (an admin: settings, roles, server paths)."""
    return allows(Permission.SETTINGS_ROLES_AND_PATHS)


def server_text(text: object, *paths: str | Path | None) -> str:
    """A message as this request may read it: the server's file paths in it (any absolute path, and `paths`)
    for an admin only; worded without them for anyone else."""
    message = str(text)
    return message if may_see_server_paths() else without_paths(message, *paths)


def refused() -> None:
    """The page's refusal of a change the engine refused (`AccessDenied`): the plain message, no details."""
    st.error(CHANGE_REFUSED, icon=":material/lock:")


def contact() -> str | None:
    """Whom to ask about access: the roles file's `contact` (None without a usable roles file)."""
    path = roles_file_in_use()
    try:
        return roles.load_roles(path).contact if path is not None else None
    except roles.RolesError:
        return None


def sign_in_gate(hide_navigation: Callable[[], object] = lambda: None) -> None:
    """With sign-in configured, the run stops here unless the person is signed in and holds a role:
    a sign-in page, a misconfiguration notice (an incomplete `[auth]` section or an unusable roles
    file) or a polite no-access page instead, each starting with `hide_navigation()` (routing's: such
    a page lists no pages). Local mode: nothing."""
    if not auth_configured():
        return
    missing = auth_config.missing_auth_keys(_secrets_section("auth") or {})
    if missing:  # Streamlit would fail only at the click on Sign in, with a generic error
        _log.error("Sign-in refused: the [auth] section of the secrets lacks %s", ", ".join(missing))
        _gate_title(hide_navigation)
        st.error(MISCONFIGURED, icon=":material/lock:")
        st.stop()
    if _claims() is None:
        _gate_title(hide_navigation)
        st.write(SIGN_IN_TEXT)
        st.button("Sign in", type="primary", icon=":material/login:", on_click=st.login)
        st.stop()
    rights, problem = signed_in_rights()
    if problem is not None:
        _gate_title(hide_navigation)
        st.error(MISCONFIGURED, icon=":material/lock:")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)
        st.stop()
    if not rights.roles:
        _no_access_page(hide_navigation)


def _gate_title(hide_navigation: Callable[[], object]) -> None:
    hide_navigation()
    st.title(PRODUCT_NAME)


def _no_access_page(hide_navigation: Callable[[], object]) -> None:
    _gate_title(hide_navigation)
    whom = contact()
    ask = f" To ask for access, contact {whom}." if whom else ""
    st.info(f"You are signed in, but you have no role on this dashboard yet.{ask}", icon=":material/lock:")
    st.button("Sign out", icon=":material/logout:", on_click=st.logout)
    st.stop()


def remote_in_local_mode() -> bool:
    """Whether this request reaches the local-mode app from another machine (and so only reads)."""
    return not auth_configured() and current_rights() != local.local_rights(None, None)


def identity_text() -> str:
    """The sidebar's identity line: who is signed in and their roles, or local mode and who acts."""
    if auth_configured():
        rights = current_rights()
        held = ", ".join(role.value for role in Role if role in rights.roles) or "no role"
        return f"Signed in as {author()} · {held}" + (" · read only" if rights.read_only else "")
    if remote_in_local_mode():
        return "Local mode · viewer (this address is not this machine)"
    return f"Local mode · {os_user()}"


def sign_out_button() -> None:
    """The sidebar's sign-out button, when someone is signed in (nothing in local mode)."""
    if auth_configured() and _claims() is not None:
        st.button("Sign out", icon=":material/logout:", on_click=st.logout, key="sign-out")


def disclosure() -> Disclosure:
    """The person-level details this request may be sent (employee ids, champion names, individual
    survey answers), from its rights: the views filter with it before anything is sent."""
    return Disclosure.of(current_rights())


def allows(permission: Permission) -> bool:
    """Whether this request may see or do `permission`."""
    return current_rights().can(permission)


def change_allowed(permission: Permission) -> bool:
    """Whether this request may make a change needing `permission`; when not, the page says so. Called
    where the change is made, not only where its button is drawn: a forged click changes nothing."""
    if allows(permission):
        return True
    refused()
    return False


def remote_banner() -> None:
    """The banner of a request from another machine in local mode (nothing otherwise)."""
    if remote_in_local_mode():
        st.warning(REMOTE_BANNER, icon=":material/visibility:")


def unnamed_banner() -> None:
    """Why a signed-in person whose sign-in names nobody may read but not change (nothing otherwise)."""
    if auth_configured() and _claims() is not None and current_rights().read_only:
        st.warning(UNNAMED_BANNER, icon=":material/person_off:")


def refuse_page() -> None:
    """The polite refusal of a page this request may not open; nothing after it runs."""
    reason = REMOTE_REASON if remote_in_local_mode() else "Choose another page in the sidebar."
    st.error(f"**{PAGE_REFUSED}** {reason}", icon=":material/lock:")
    st.stop()
