"""The `[auth]` section's keys: which of those sign-in needs are missing or blank."""

from __future__ import annotations

from aiorg_metrics.access.auth_config import REQUIRED_AUTH_KEYS, missing_auth_keys

COMPLETE = {"redirect_uri": "https://kpi.bank.example/oauth2callback", "cookie_secret": "s3cret",
            "client_id": "dashboard", "client_secret": "s3cret",
            "server_metadata_url": "https://login.bank.example/.well-known/openid-configuration"}


def test_a_complete_section_misses_nothing() -> None:
    assert missing_auth_keys(COMPLETE) == ()
    assert missing_auth_keys({**COMPLETE, "expose_tokens": ["id"]}) == ()


def test_an_empty_section_misses_every_key_in_order() -> None:
    assert missing_auth_keys({}) == ("redirect_uri", "cookie_secret", "client_id", "client_secret",
                                     "server_metadata_url")
    assert missing_auth_keys({}) == REQUIRED_AUTH_KEYS


def test_a_blank_or_non_text_value_is_missing() -> None:
    assert missing_auth_keys({**COMPLETE, "cookie_secret": "  ", "client_id": 42}) == ("cookie_secret", "client_id")


def test_keys_only_under_a_named_provider_are_missing_for_the_default_sign_in() -> None:
    section = {"redirect_uri": COMPLETE["redirect_uri"], "cookie_secret": "s3cret",
               "microsoft": {"client_id": "x", "client_secret": "y", "server_metadata_url": "z"}}
    assert missing_auth_keys(section) == ("client_id", "client_secret", "server_metadata_url")
