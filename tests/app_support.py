"""Helpers for the app tests: a sample store built once per test process, AppTest set-up, readers.

AppTest quirk (Streamlit 1.67): before each run it resets the flag that makes a fresh server run a
page of `pages/` alone, without app.py; `dashboard.routing` (the one home of that workaround) makes
AppTest's runs behave like a server's.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from aiorg_metrics.ingestion.ingest import load_sample
from aiorg_metrics.store.connection import Store
from dashboard import access, routing
from dashboard.pages import PAGES as PAGE_RECORDS
from tests.actors import ADMIN

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
SAMPLE_DIR = ROOT / "sample_data"
TIMEOUT = 60

routing.keep_navigation_mode_in_app_test()


def _scan_installed_components_once() -> None:
    """Each new AppTest scans every installed package's metadata for Streamlit components (about 0.5 s, once
    per test); the installed packages do not change during a test run, so the scan's answer is kept."""
    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = cache(manifest_scanner.scan_component_manifests)


_scan_installed_components_once()


@cache
def seeded_store_file() -> Path:
    """A store holding the sample organization, built once per test process (imports marked as sample)."""
    folder = Path(tempfile.mkdtemp(prefix="aiorg-sample-"))
    path = folder / "aiorg.duckdb"
    load_sample(Store(path), SAMPLE_DIR, actor=ADMIN)
    return path


def copy_sample_store(target_dir: Path) -> Path:
    """A private copy of the sample store in `target_dir` (copying is much faster than importing)."""
    target = target_dir / "aiorg.duckdb"
    shutil.copyfile(seeded_store_file(), target)
    return target


def use_store(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the store `db` (created on first use, never seeded with the sample); its path."""
    monkeypatch.setenv("AIORG_DB", str(db))
    monkeypatch.setenv("AIORG_NO_SAMPLE", "1")
    return db


def use_sample_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a private copy of the sample store (no seeding); its path."""
    return use_store(copy_sample_store(tmp_path), monkeypatch)


def open_app(query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    """Run app.py (optionally with URL query parameters), then switch to `page` if given."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


# Sign-in configured for AppTest: the provider is never reached, people are signed in by `sign_in_as`.
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "not-a-secret",
        "client_id": "dashboard", "client_secret": "not-a-secret",
        "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}


def write_roles(path: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write a roles file at `path` (and forget $AIORG_ROLES, so the secrets name it); its path."""
    path.write_text(text, encoding="utf-8")
    monkeypatch.delenv("AIORG_ROLES", raising=False)
    return path


def sign_in_as(monkeypatch: pytest.MonkeyPatch, claims: dict[str, Any] | str | None) -> None:
    """Pretend `claims` are the signed-in person's (an email alone, or None: nobody signed in)."""
    given = {"is_logged_in": True, "email": claims} if isinstance(claims, str) else claims
    monkeypatch.setattr(access, "_claims", lambda: given)


def with_sign_in(at: AppTest, roles_path: Path) -> AppTest:
    """`at` with sign-in configured and `roles_path` as its roles file."""
    at.secrets["auth"] = AUTH
    at.secrets["aiorg"] = {"roles_file": str(roles_path)}
    return at


def open_signed_in(roles_path: Path, query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    """Run app.py with sign-in configured at 2026-Q3 (plus `query`), then switch to `page` if given."""
    at = with_sign_in(AppTest.from_file(str(APP), default_timeout=TIMEOUT), roles_path)
    for key, value in {"quarter": "2026-Q3", **(query or {})}.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


RECORDS = {record.script: record for record in PAGE_RECORDS}  # every page of the app: script → its record
PAGES = tuple(RECORDS)


def cards(at: AppTest) -> dict[str, str]:
    """The KPI cards on the page: label → the card's HTML."""
    found = {}
    for element in at.markdown:
        text = element.value
        if 'class="kpi-label"' in text:
            label = text.split('class="kpi-label"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]
            found[label] = text
    return found


def all_text(at: AppTest) -> str:
    """Every markdown, caption, info, warning, success and title text of the page, joined, as a reader
    sees it (markdown escapes and HTML entities undone)."""
    parts = []
    for kind in ("title", "markdown", "caption", "info", "warning", "success", "subheader", "error"):
        parts += [str(e.value) for e in at.get(kind)]
    return html.unescape(re.sub(r"\\(.)", r"\1", "\n".join(parts))).replace("\u2060", "")  # widgets.md's joiners


def popover_labels(at: AppTest) -> list[str]:
    """The labels of the page's popovers (the buttons that open them), as a reader sees them."""
    return [html.unescape(re.sub(r"\\(.)", r"\1", p.proto.popover.label)) for p in at.get("popover")]


def figure(at: AppTest, key: str) -> dict:
    """The Plotly spec of the chart with widget key `key`."""
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(f"-{key}"):
            return json.loads(element.proto.spec)
    raise KeyError(f"no chart with key {key!r}")


def dataframes(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]
