"""Who a signed-in person is, from the claims of their sign-in only (never the server's OS user).

The identity is what the dashboard records as the author of their changes and shows in the sidebar,
and what "edit own" compares. The rule (`identity_of`):

1. their `email`, in lower case, when it is usable: a non-blank text whose `email_verified` claim is
   not present-and-false (`verified_email`). Microsoft Entra sends no `email_verified` at all, so its
   email counts: the README tells Entra deployments to assign roles by group or app role instead;
2. else their `preferred_username` (e.g. Entra's user principal name), as sent, marked "(not a verified
   email)" when it looks like one;
3. else their `sub` (the provider's stable subject id, always present in OpenID Connect), as sent;
4. else none: such a sign-in gets no change rights (`Rights.read_only`).

The same unverified email is not used to match the roles file's email entries either (roles.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EMAIL, EMAIL_VERIFIED, PREFERRED_USERNAME, SUBJECT = "email", "email_verified", "preferred_username", "sub"


def normalize_email(email: str | None) -> str | None:
    """An email as compared and recorded: no surrounding spaces, lower case (None or blank: None)."""
    if email is None:
        return None
    return email.strip().lower() or None


def email_unverified(claims: Mapping[str, Any]) -> bool:
    """Whether the provider says the email is not verified: `email_verified` present and false (some
    providers send the text "false")."""
    flag = claims.get(EMAIL_VERIFIED)
    return flag is False or (isinstance(flag, str) and flag.strip().lower() == "false")


def verified_email(claims: Mapping[str, Any]) -> str | None:
    """The sign-in's email in lower case, or None when it has none or the provider says it is not verified."""
    email = claims.get(EMAIL)
    if not isinstance(email, str) or email_unverified(claims):
        return None
    return normalize_email(email)


def _text_claim(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return value.strip() or None if isinstance(value, str) else None


NOT_VERIFIED = " (not a verified email)"


def identity_of(claims: Mapping[str, Any]) -> str | None:
    """Who the signed-in person is: their verified email (lower case), else `preferred_username`, else
    `sub`; None when the claims hold none of them. The module's docstring says why.

    A username that looks like an email (Entra's user principal name, or any text a provider lets its
    users set) is marked as `NOT_VERIFIED`, so it never equals someone's verified email identity: "edit
    own" cannot be won by naming oneself after a colleague."""
    email = verified_email(claims)
    if email:
        return email
    other = _text_claim(claims, PREFERRED_USERNAME) or _text_claim(claims, SUBJECT)
    return f"{other}{NOT_VERIFIED}" if other and "@" in other else other


def same_author(recorded_by: str, name: str) -> bool:
    """Whether a change recorded by `recorded_by` was made by `name`: the same text, an email in any case
    (changes recorded before emails were kept in lower case still count as the person's own)."""
    if recorded_by == name:
        return True
    return "@" in name and normalize_email(recorded_by) == normalize_email(name)
