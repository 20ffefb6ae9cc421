"""The review pack's HTML: every section, every KPI, the scope in words, the selection's own facts, no
request outside the file, every data text escaped; and, in headless Chromium with the network cut, the
file opened from disk requests nothing and its charts draw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aiorg_metrics.access.disclosure import FULL
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display.review import ReviewScope, StoreSource
from aiorg_metrics.kpi import KPIS
from aiorg_metrics.kpi.settings import Settings
from aiorg_metrics.report.html import pack_html
from aiorg_metrics.report.pack import Pack, build_pack
from aiorg_metrics.store.connection import Store
from tests import kpi_fixtures
from tests.actors import trusted

Q3 = Quarter.parse("2026-Q3")
SECTIONS = ("Executive summary", "Scorecard", "Needs attention", "Use-case funnel",
            "Hub &amp; spoke health and the org-model advisor", "Skills and training",
            "Decisions taken and their follow-up", "Data freshness", "The imports behind it")
HOSTILE = "<script>alert(1)</script>"


def _pack(store: Store, view: ReviewScope) -> Pack:
    return build_pack(StoreSource(store, Settings()), store, view, disclosure=FULL)  # as the command line


@pytest.fixture(scope="module")
def org_html(sample_store: Store) -> str:
    return pack_html(_pack(sample_store, ReviewScope(Q3)))


@pytest.fixture(scope="module")
def insurance_html(sample_store: Store) -> str:
    return pack_html(_pack(sample_store, ReviewScope(Q3, business_unit="Insurance")))


def _text(html: str) -> str:
    """The document without its scripts (plotly.js and the figures' data)."""
    return re.sub(r"<script>.*?</script>", "", html, flags=re.S)


@pytest.mark.parametrize("which", ["org_html", "insurance_html"])
def test_every_section_and_every_kpi_is_in_the_pack(which: str, request: pytest.FixtureRequest) -> None:
    text = _text(request.getfixturevalue(which))
    assert "<h1>Quarterly AI review — 2026-Q3</h1>" in text
    for heading in SECTIONS:
        assert heading in text, heading
    for kpi in KPIS:
        assert kpi.label.replace("&", "&amp;") in text, kpi.label
    assert text.count('class="card"') >= len(KPIS)  # the scorecard has a card per KPI
    assert "13 Nov 2026" in text  # the data's last day on the cover
    assert "teams.csv" in text and "use_cases.csv" in text  # the imports behind it


def test_the_scope_is_named_and_followed(org_html: str, insurance_html: str) -> None:
    org, insurance = _text(org_html), _text(insurance_html)
    assert '<p class="scope">Whole organization</p>' in org
    assert '<p class="scope">Business unit Insurance</p>' in insurance
    # The shadow-AI teams are in Corporate & Investment Banking: in the organization's pack, not Insurance's.
    assert "Markets Analytics" in org and "Markets Analytics" not in insurance
    # Under the unit the funnel and needs attention follow its teams; the AI teams' queue and the advisor
    # read the whole organization and say so.
    assert "of the business unit Insurance" in insurance
    assert "Teams short of target" in insurance and "Business units short of target" in org
    assert insurance.count('<span class="tag">organization-wide</span>') >= 3
    assert '<span class="tag">organization-wide</span>' not in org


def test_the_file_asks_for_nothing_outside_itself(org_html: str) -> None:
    assert org_html.count("<script") == 1 + org_html.count('class="plotly-graph-div"')  # plotly.js once
    text = _text(org_html)
    for outside in ("<script src", "<link", "<img", "@import", "url(", 'src="http', 'href="http'):
        assert outside not in text, outside
    assert "mathjax" not in text.lower()
    assert '<meta charset="utf-8">' in org_html
    assert '"displayModeBar": false' in org_html


def test_the_waiting_use_cases_name_their_champions(org_html: str) -> None:
    assert "<td>Nina Keller (CH-033)</td>" in org_html  # UC-0119, identified 2025-10-16 and waiting since
    assert "<td>Felix Dubois (CH-007)</td>" in org_html
    assert re.search(r"<td>CH-\d+</td>", org_html) is None  # every sample champion has a name


def test_print_styles(org_html: str) -> None:
    assert "@page { size: A4 landscape;" in org_html
    assert "break-before: page" in org_html and "break-inside: avoid" in org_html


def test_data_texts_are_escaped_and_written_as_characters(tmp_path: Path) -> None:
    teams = [
        {"team_id": "T1", "team_name": HOSTILE, "business_unit": "Opérations", "team_kind": "business",
         "headcount": 20, "ai_staff": 2},
        {"team_id": "T2", "team_name": 'Claims "North"', "business_unit": "Opérations", "team_kind": "business",
         "headcount": 10, "ai_staff": 0},
        {"team_id": "HUB", "team_name": "AI Hub", "business_unit": "Group", "team_kind": "ai_hub",
         "headcount": 6, "ai_staff": 6},
    ]
    store = kpi_fixtures.make_store(tmp_path, teams=teams, use_cases=[
        kpi_fixtures.use_case("UC1", "2026-08-03", team="T1", title=HOSTILE),  # waiting longest names it
        kpi_fixtures.use_case("UC2", "2026-09-01", team="T2", champion="CH1"),
    ])
    for view in (ReviewScope(Q3), ReviewScope(Q3, business_unit="Opérations")):
        html = pack_html(_pack(store, view))
        assert HOSTILE not in html  # nowhere, not even in a figure's data
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the shadow-AI table names the team
        assert "Opérations" in html and "Op&#" not in html
    assert '<p class="scope">Business unit Opérations</p>' in html
    assert "No decision was taken in 2026-Q3 for the business unit Opérations" in html


@pytest.mark.browser
def test_opened_from_disk_with_the_network_cut_it_requests_nothing_and_draws(org_html: str, tmp_path: Path,
                                                                             page) -> None:
    path = tmp_path / "pack.html"
    path.write_text(org_html, encoding="utf-8")
    own = path.as_uri()
    outside: list[str] = []

    def offline(route) -> None:
        if route.request.url == own:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.goto(own, wait_until="load")
    charts = org_html.count('class="plotly-graph-div"')
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {charts}",
                           timeout=10_000)
    assert outside == []
    drawn = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')]"
                          ".filter(p => p.querySelector('.main-svg g.trace, .main-svg g.hm')).length")
    assert drawn == charts >= 20  # the sparklines, funnel, grid, queue, gaps and training bars


@pytest.mark.browser
def test_a_long_unbroken_decision_wraps_inside_the_page(tmp_path: Path, page) -> None:
    from aiorg_metrics.analysis import decisions

    store = kpi_fixtures.make_store(tmp_path, use_cases=[kpi_fixtures.use_case("UC1", "2026-08-03")])
    decisions.add(store, quarter="2026-Q3", kpi="use_case_to_poc_rate", scope="org", owner="CAIO", due="2026-Q4",
                  text="x" * 2000, actor=trusted("caio"))
    html = pack_html(_pack(store, ReviewScope(Q3)))
    assert "td, th, li.item { overflow-wrap: anywhere; word-break: break-word; }" in html
    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    page.set_content(html, wait_until="load")
    page.emulate_media(media="print")
    widths = page.evaluate("""() => {
        const cells = [...document.querySelectorAll('table.decisions tbody tr:first-child td')];
        return {page: document.documentElement.clientWidth, table: document.querySelector('table.decisions')
                .getBoundingClientRect().right, cells: cells.map(c => Math.round(c.getBoundingClientRect().width))};
    }""")
    assert widths["table"] <= widths["page"]
    kpi_and_scope, owner, follow_up = widths["cells"][1], widths["cells"][3], widths["cells"][5]
    # the columns beside it keep their widths (170, 100 and 220 px, zoomed to 0.88 on paper)
    assert (kpi_and_scope, owner, follow_up) == (150, 88, 194)
