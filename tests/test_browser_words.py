"""Words, not identifiers (issue 10): the review, hub & spoke, funnel, skills, glossary and settings pages,
rendered on the sample organization in headless Chromium, show no snake_case token outside code formatting.

Identifiers a user must type (CSV columns, KPI ids for the CLI) are allowed inside `<code>`/`<pre>`; tooltips
(shown on hover) are not scanned. The Data page and user data are exempt (the sample's names hold none).
Same browser set-up as tests/test_browser.py.
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import SETTLED

pytestmark = pytest.mark.browser

SCOPED = ("", "hub_spoke", "funnel", "skills")  # "" is the review, the default page
UNSCOPED = ("glossary", "settings")
# The whole organization, a business unit, a team (its words differ: exceptions, tags, empty states).
SCOPES = ("", "business_unit=Insurance", "business_unit=Insurance&team=Claims+Management")
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
# Every text node of the app except inside code formatting, tooltips, scripts, styles and Material icons (their
# names are ligatures drawn as glyphs); hidden tabs, collapsed expanders and the tables' accessible copies included.
VISIBLE_TEXT = """() => {
  const skip = 'code, pre, script, style, [data-testid="stTooltipContent"], [role="tooltip"], '
             + '[data-testid="stIconMaterial"], [data-testid$="Icon"], [role="img"]';
  const root = document.querySelector('[data-testid="stApp"]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.parentElement.closest(skip)) out.push(n.textContent);
  }
  return out.join('\\n');
}"""


@pytest.fixture
def server(sample_server: str) -> str:
    return sample_server


def _open(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(SETTLED, timeout=30000)
    page.wait_for_timeout(500)
    page.wait_for_selector(SETTLED, timeout=30000)


def snake_tokens(text: str) -> list[str]:
    """The snake_case tokens in `text`, each once, in order of appearance."""
    return list(dict.fromkeys(SNAKE.findall(text)))


def test_snake_tokens_finds_identifiers_only() -> None:
    assert snake_tokens("hub_spoke, then hub & spoke; use_cases.identified_date and rows_in_file") == [
        "hub_spoke", "use_cases", "identified_date", "rows_in_file"]
    assert snake_tokens("30/70 rule, AI_Team, x-ray") == []


def test_no_identifier_on_the_reading_pages(server: str, page) -> None:
    opened = [f"{path}?{scope}" for scope in SCOPES for path in SCOPED] + list(UNSCOPED)
    offenders = []
    for address in opened:
        _open(page, f"{server}/{address}")
        found = snake_tokens(page.evaluate(VISIBLE_TEXT))
        offenders += [f"/{address.removeprefix('?') or 'review'}: {token}" for token in found]
    assert offenders == [], "snake_case tokens on screen:\n" + "\n".join(offenders)
