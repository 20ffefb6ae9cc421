"""The README's deployment section (issue 12, item 7) holds what the code holds: the permissions table as
`permissions.markdown_table()` writes it, a roles example the roles file's reader accepts, and the secrets
keys of `.streamlit/secrets.toml.example`, which itself is complete for Streamlit's sign-in."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from aiorg_metrics.access.permissions import markdown_table
from aiorg_metrics.access.roles import load_roles
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECRETS_EXAMPLE = ROOT / ".streamlit" / "secrets.toml.example"


def _section(heading: str) -> str:
    """The text under `heading` up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = README.index(f"\n{heading}\n") + len(heading) + 2
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", README[start:], flags=re.MULTILINE)]
    return README[start:start + ends[0]] if ends else README[start:]


def _uncommented_example() -> dict:
    """The secrets example with its commented key lines and sections turned on."""
    lines = [re.sub(r"^# (?=\[|\w+ = )", "", line) for line in SECRETS_EXAMPLE.read_text(encoding="utf-8").splitlines()]
    return tomllib.loads("\n".join(lines))


def test_the_readme_holds_exactly_the_permissions_table():
    table_lines = [line for line in _section("### Permissions").splitlines() if line.startswith("|")]
    assert "\n".join(table_lines) == markdown_table()
    assert README.count(markdown_table()) == 1


def test_the_readmes_roles_example_is_a_valid_roles_file(tmp_path: Path):
    block = re.search(r"```toml\n(.*?)```", _section("### The roles file"), flags=re.DOTALL)
    assert block is not None
    (tmp_path / "roles.toml").write_text(block.group(1), encoding="utf-8")
    roles = load_roles(tmp_path / "roles.toml")
    assert [(a.email, a.group, a.role.value, a.champion_id) for a in roles.assign] == [
        (None, "aiorg-readers", "viewer", None), ("nina.keller@bank.example", None, "champion", "CH-033"),
        (None, "caio-office", "lead", None)]
    assert len(load_roles(ROOT / "docs" / "roles.example.toml").assign) == 6  # the file the README points to


def test_the_secrets_example_has_every_key_streamlits_sign_in_and_the_app_read():
    example = _uncommented_example()
    assert set(example["auth"]) == {"redirect_uri", "cookie_secret", "client_id", "client_secret",
                                    "server_metadata_url", "client_kwargs"}
    assert example["auth"]["redirect_uri"].endswith("/oauth2callback")
    assert example["auth"]["client_kwargs"] == {"scope": "openid email profile groups"}
    assert set(example["aiorg"]) == {"roles_file"}


def test_the_readmes_secrets_keys_are_the_examples():
    keys = set(re.findall(r"^\| `\[(\w+)\] (\w+)`(?:, `(\w+)`)?", _section("### Sign-in"), flags=re.MULTILINE))
    named = {(section, key) for section, first, second in keys for key in (first, second) if key}
    example = _uncommented_example()
    assert named == {(section, key) for section, values in example.items() for key in values}


def test_each_provider_has_its_discovery_address_and_its_groups_caveat():
    sign_in = _section("### Sign-in")
    assert "https://login.microsoftonline.com/<tenant id>/v2.0/.well-known/openid-configuration" in sign_in
    assert "https://accounts.google.com/.well-known/openid-configuration" in sign_in
    assert "Google sends no group claim: assign people by email" in sign_in
    assert "more than 200 groups" in sign_in and "object ids" in sign_in
    assert "AIORG_LOCAL_MODE=trusted" in _section("### Local mode (no sign-in configured)")
