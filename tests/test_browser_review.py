"""The quarterly review session in headless Chromium, on the session's sample server: review mode's
slides with next and previous, a decision recorded on a slide without leaving it, then found in the
action log and beside its KPI in the next quarter's review."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import SETTLED

pytestmark = pytest.mark.browser

TEXT = "Staff two Insurance champions per team before the next review"


def _open(page, url: str) -> None:
    page.goto(url, wait_until="networkidle")
    page.wait_for_selector(SETTLED, timeout=30000)


def _settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(SETTLED, timeout=30000)


def _no_exception(page) -> None:
    assert page.query_selector_all('[data-testid="stException"]') == []


def test_review_mode_moves_through_the_slides_and_records_a_decision(sample_server: str, page) -> None:
    _open(page, f"{sample_server}/present?quarter=2026-Q3&slide=2")
    expect(page.get_by_text("Slide 2 of 15")).to_have_count(1)
    expect(page.locator(".slide-title")).to_have_text("Business teams with their own AI staff")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url("**slide=3**")
    _settle(page)
    expect(page.locator(".slide-title")).to_have_text("Use cases identified per active champion")

    page.get_by_role("button", name="Record a decision").click()
    page.get_by_label("Decision", exact=True).fill(TEXT)
    page.get_by_label("Owner").fill("Léa Dubois, champions lead")
    page.get_by_role("button", name="Record", exact=True).click()
    _settle(page)
    _no_exception(page)
    assert "slide=3" in page.url  # recorded without leaving the slide
    expect(page.get_by_text(TEXT).first).to_be_visible()

    page.get_by_role("button", name="Previous").click()
    page.wait_for_url("**slide=2**")
    _settle(page)
    _no_exception(page)

    _open(page, f"{sample_server}/decisions?quarter=2026-Q3")
    expect(page.get_by_text(TEXT).first).to_be_visible()
    expect(page.get_by_text("Léa Dubois, champions lead").first).to_be_visible()
    _no_exception(page)

    # Due the next quarter by default: the 2026-Q4 review shows it beside its KPI, on the KPI's card.
    _open(page, f"{sample_server}/?quarter=2026-Q4")
    card = page.locator('[data-testid="stVerticalBlock"]', has_text="Use cases identified per active champion")
    expect(card.get_by_text("Decisions (1)").first).to_be_visible()
    _no_exception(page)
