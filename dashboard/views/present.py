"""Review mode: the quarterly review as slides for a projector.

Slide 1 holds the quarter, the scope, the data's freshness and the executive summary; then one slide per
KPI needing attention (off target or to watch, worst first; then the green totals hiding units off
target), each with its value, target, status, change, trend, the units or AI teams behind it and the
decisions taken on it; the last slide holds the rest of the scorecard. Everything comes from the review
page's own assembly (`dashboard.views.review.review`). The slide shown is in the URL (`slide=3`), so a
reload or a shared link keeps the place; the sidebar's quarter and filters stay in the URL too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.display import decision_text, figures
from aiorg_metrics.display.review import Review
from aiorg_metrics.display.scorecard import Attention, Card, Contributor, HiddenItem
from aiorg_metrics.display.styles import STATUS_STYLES, VERDICT_CLASSES
from aiorg_metrics.display.wording import VERDICT_WORDS, first_sentence, in_progress_text, part_quarter_text
from dashboard import access, cached, header
from dashboard.filters import Filters, freshness_line, quarter_notice
from dashboard.routing import View
from dashboard.views import decisions
from dashboard.views import review as review_view
from dashboard.widgets import card_css, card_grid, chart, h, md, status_pill

SLIDE = "slide"  # the URL query parameter naming the slide shown, from 1
LINK_DROPS = ("kpi", SLIDE)  # query parameters of the review page that mean nothing here
ATTENTION = "Needs attention"
HIDDEN = "Hidden by a green total"

# Large type for a projector at the back of a room, scoped to this page's container.
CSS = """
<style>
.st-key-present p, .st-key-present li {font-size:1.35rem; line-height:1.4;}
.st-key-present [data-testid="stCaptionContainer"] p {font-size:1.1rem;}
.st-key-present h5 {font-size:1.6rem;}
.st-key-present .slide-kicker {font-size:1.05rem; font-weight:700; letter-spacing:0.06em; text-transform:uppercase;
    color:#4a5562; margin:0;}
.st-key-present .slide-title {font-size:2.5rem; font-weight:750; line-height:1.15; margin:0.1rem 0 0.2rem 0;}
.st-key-present .slide-lede {font-size:1.05rem; color:#4a5562; margin:0 0 0.4rem 0;}
.st-key-present .slide-value {font-size:5rem; font-weight:750; line-height:1.0; margin:0.4rem 0 0.3rem 0;}
.st-key-present .slide-unit {font-size:1.8rem; font-weight:650; color:#4a5562; margin-left:0.4rem;}
.st-key-present .slide-line {font-size:1.35rem; line-height:1.45; margin:0.15rem 0;}
.st-key-present .slide-muted {color:#4a5562;}
.st-key-present .slide-source {font-size:1rem; color:#4a5562; margin:0 0 0.3rem 0;}
.st-key-present .slide-pill .kpi-pill {font-size:1.25rem; padding:3px 14px; border-radius:16px;}
.st-key-present .slide-heading {font-size:1.5rem; font-weight:700; margin:0.4rem 0 0.2rem 0;}
.st-key-present .kpi-label {font-size:1.05rem;}
.st-key-present .kpi-meta {font-size:0.92rem;}
.st-key-present .kpi-value {font-size:2.1rem;}
.st-key-present [data-testid="stButton"] button p {font-size:1.2rem;}
</style>
"""


@dataclass(frozen=True)
class Slide:
    """One screen: the summary, a KPI needing attention (`attention` or `hidden`), or the rest."""

    title: str
    attention: Attention | None = None
    hidden: HiddenItem | None = None
    rest: tuple[Card, ...] = ()

    @property
    def card(self) -> Card | None:
        item = self.attention or self.hidden
        return item.card if item else None


def slides(page: Review) -> list[Slide]:
    """The summary, each KPI needing attention in the review's order (off target first, then hidden by a
    green total), then the other cards (when any is left)."""
    shown = [Slide(a.card.kpi.label, attention=a) for a in page.attention]
    shown += [Slide(i.card.kpi.label, hidden=i) for i in page.hidden]
    on_slides = {s.card.kpi.id for s in shown if s.card}
    rest = tuple(c for c in page.cards if c.kpi.id not in on_slides)
    return [Slide("Summary"), *shown, *([Slide("The rest of the scorecard", rest=rest)] if rest else [])]


def slide_number(count: int) -> int:
    """The slide the URL names, within 1…`count` (a missing or malformed value opens the first; one out
    of range opens the nearest end); the URL is corrected to say it."""
    asked = st.query_params.get(SLIDE)
    try:
        number = int(asked) if asked is not None else 1
    except ValueError:
        number = 1
    number = min(max(number, 1), count)
    if asked is not None and asked != str(number):
        st.query_params[SLIDE] = str(number)
    return number


def _go(number: int) -> None:
    st.query_params[SLIDE] = str(number)


def start_link() -> None:
    """The link from the review page into review mode, keeping the sidebar's quarter and filters (none for a
    person without review mode)."""
    if not access.allows(Permission.REVIEW_MODE_PACKS_AND_EXPORTS):
        return
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in LINK_DROPS}
    st.page_link("pages/present.py", label="Start review mode", icon=":material/slideshow:", query_params=params,
                 help="The review as full-screen slides for a projector: the summary, each KPI needing "
                      "attention on its own screen, then the rest of the scorecard.")


# --- the page ------------------------------------------------------------------------------------


def present(view: View) -> None:
    """Review mode: the slide the URL names, with next and previous."""
    if view.filters is None:  # no dated data yet: the header's empty state, and nothing else
        header.page_header(view)
        return
    page = review_view.review(view.state, view.filters)
    shown = slides(page)
    number = slide_number(len(shown))
    if number == 1:
        header.page_header(view)
    else:  # a compact top: the navigation line names the quarter, the scope and a part quarter
        quarter_notice(view.state)
    st.html(CSS)
    card_css()
    with st.container(key="present"):
        _navigation(view.filters, page, shown, number)
        slide = shown[number - 1]
        if number == 1:
            _summary_slide(view, page, shown)
        elif slide.rest:
            _rest_slide(slide, page)
        else:
            _kpi_slide(view, page, slide)


def _part_text(filters: Filters, page: Review) -> str:
    if page.as_of:
        return in_progress_text(filters.quarter, page.as_of)
    return part_quarter_text(filters.quarter, page.part_to) if page.part_to else ""


def _navigation(filters: Filters, page: Review, shown: Sequence[Slide], number: int) -> None:
    """Previous, where we are ("Slide 2 of 9 · quarter · scope"), next."""
    back, where, forward = st.columns([3, 10, 3], vertical_alignment="center")
    back.button("Previous", icon=":material/arrow_back:", key="present-previous", disabled=number == 1,
                on_click=_go, args=(number - 1,), use_container_width=True)
    forward.button("Next", icon=":material/arrow_forward:", key="present-next", disabled=number == len(shown),
                   on_click=_go, args=(number + 1,), use_container_width=True, type="primary")
    part = _part_text(filters, page)
    where.markdown(f"**Slide {number} of {len(shown)}** · {filters.quarter} · {md(filters.scope_text)}"
                   + (f" · :gray[{md(part)}]" if part else ""))


# --- slide 1: the summary ------------------------------------------------------------------------


def _summary_slide(view: View, page: Review, shown: Sequence[Slide]) -> None:
    filters = view.filters
    scope = filters.scope_text[:1].upper() + filters.scope_text[1:]  # "Business unit Insurance", name kept
    st.html(f'<p class="slide-kicker">Quarterly review</p>'
            f'<p class="slide-title">{h(filters.quarter)} · {h(scope)}</p>')
    freshness_line(view.state)
    review_view.status_summary(page.cards)
    review_view.summary_box(page.summary)
    if page.left_out:
        st.caption(f":material/schedule: {md(page.left_out)}.")
    agenda = [f"{i}. {md(s.title)} — {_agenda_word(s)}" for i, s in enumerate(shown, start=1) if i > 1]
    if agenda:
        st.markdown('<p class="slide-heading">Coming up</p>', unsafe_allow_html=True)
        st.markdown("\n".join(agenda))


def _agenda_word(slide: Slide) -> str:
    if slide.attention:
        return STATUS_STYLES[slide.attention.card.status].word.lower()
    if slide.hidden:
        return HIDDEN.lower()
    return f"{len(slide.rest)} KPIs"


# --- a KPI's slide -------------------------------------------------------------------------------


def _kpi_slide(view: View, page: Review, slide: Slide) -> None:
    card = _with_exception(page, slide)
    kind = ATTENTION if slide.attention else HIDDEN
    position = _position(page, slide)
    st.html(f'<p class="slide-kicker">{h(kind)} · {position}</p>'
            f'<p class="slide-title">{h(card.kpi.label)}</p>'
            f'<p class="slide-lede">{h(first_sentence(card.kpi.description))}</p>')
    figure, trend = st.columns([4, 5], gap="large")
    with figure:
        st.html(_figure_html(card, slide))
    with trend:
        if not card.kpi.dated:
            st.caption("Current data, the same every quarter: no trend over quarters.")
        elif len([v for v in card.trend_values if v is not None]) >= 2:
            chart(figures.trend_chart(card.kpi, card.trend_periods, card.trend_values, card.result.target),
                  key=f"present-trend-{card.kpi.id}")
        else:
            st.caption("Too few quarters with a value to draw a trend.")
    behind, decided = st.columns(2, gap="large")
    with behind:
        _behind(slide, page.level)
    with decided:
        _decisions(view, card)


def _with_exception(page: Review, slide: Slide) -> Card:
    """The slide's card as the scorecard shows it (with the line naming the units a green total hides)."""
    card = slide.card
    assert card is not None
    return next((c for c in page.cards if c.kpi.id == card.kpi.id), card)


def _position(page: Review, slide: Slide) -> str:
    if slide.attention:
        return f"{page.attention.index(slide.attention) + 1} of {len(page.attention)}"
    return f"{page.hidden.index(slide.hidden) + 1} of {len(page.hidden)}"


def _figure_html(card: Card, slide: Slide) -> str:
    """Status, the value in large type, target, distance, change against earlier quarters, population."""
    to_date = ' <span class="slide-unit">to date</span>' if card.in_progress else ""
    lines = [f'<span class="slide-pill">{status_pill(card.status, card.status_word)}</span>',
             f'<div class="slide-value">{h(card.value_number)}<span class="slide-unit">{h(card.value_suffix)}</span>'
             f"{to_date}</div>"]
    if card.result.target is None:
        lines.append('<p class="slide-line">No target: read it for information</p>')
    else:
        lines.append(f'<p class="slide-line">Target <b>{h(card.target)}</b></p>'
                     f'<p class="slide-source">{h(card.source)}</p>')
    if slide.attention and slide.attention.distance_text:
        lines.append(f'<p class="slide-line"><b>{h(slide.attention.distance_text)}</b></p>')
    if slide.hidden and card.exception:
        style = STATUS_STYLES[card.exception_status or card.status]
        lines.append(f'<p class="slide-line" style="color:{style.hex}; font-weight:650">{style.symbol} '
                     f"{h(card.exception)}</p>")
    lines += [f'<p class="slide-line">{change}</p>' for change in _changes(card)]
    lines.append(f'<p class="slide-line slide-muted">{h(card.population)}</p>')
    return "".join(lines)


def _changes(card: Card) -> list[str]:
    """The changes against the previous quarter and a year ago, as the review's cards read them."""
    if not card.kpi.dated:
        return ["No comparison: current data, the same every quarter"]
    if card.partial:
        return ['<span class="slide-muted">No change shown: this quarter\'s data covers part of it</span>']
    out = []
    for c in card.comparisons:
        if c.before == "–":
            out.append(f"{h(c.label)}: no value")
            continue
        word = ""
        if c.verdict is not None:
            text, colour = VERDICT_WORDS[c.verdict]
            word = f' <span class="{VERDICT_CLASSES.get(colour, "kpi-same")}">{h(text)}</span>'
        out.append(f"{h(c.label)} {h(c.before)} · <b>{h(c.delta)}</b>{word}")
    return out


def _contributor(u: Contributor, extra: str) -> str:
    return f"- {STATUS_STYLES[u.status].symbol} **{md(u.name)}** {md(u.value)}" + (f" — {md(extra)}" if extra else "")


def _behind(slide: Slide, level: str) -> None:
    """The units or AI teams behind the KPI: serving AI teams, units short of target, or hidden units."""
    if slide.hidden:
        _listing(f"Off target among its {level}", [_contributor(u, u.detail) for u in slide.hidden.below])
        return
    item = slide.attention
    assert item is not None
    if item.serving:
        _listing("Serving AI teams", [_contributor(u, u.detail) for u in item.serving])
    if item.contributors:
        shares = [_contributor(u, f"{u.share:.0%} of the shortfall" if u.share is not None else u.detail)
                  for u in item.contributors]
        _listing(f"{level.capitalize()} short of target", shares)
    if not item.serving and not item.contributors:
        _listing(f"{level.capitalize()} short of target", [f"No single {level[:-1]} below its own target: "
                                                           "the shortfall is spread"])


def _listing(heading: str, lines: Sequence[str]) -> None:
    st.markdown(f'<p class="slide-heading">{h(heading)}</p>', unsafe_allow_html=True)
    st.markdown("\n".join(lines) if lines else "None.")


# --- decisions -----------------------------------------------------------------------------------


def _decisions(view: View, card: Card) -> None:
    """The earlier decisions on the KPI within the slide's scope (status, owner, due, how the KPI moved
    since; overdue first), and the form to record one without leaving review mode."""
    st.markdown('<p class="slide-heading">Decisions</p>', unsafe_allow_html=True)
    quarter, scope = view.filters.quarter, card.result.scope
    listed = decision_text.gathered(decisions.for_review(view.state, quarter), card.kpi.id, scope,
                                    cached.teams(view.state.db, view.state.version))
    if listed:
        decisions.decision_lines(view.state, listed, quarter, key=f"present-{card.kpi.id}", editable=False)
    else:
        st.markdown(":gray[None recorded on this KPI yet.]")
    if decisions.takes_decisions(card.kpi.id, scope):
        decisions.record_decision(view.state, card.kpi.id, scope, quarter, key=f"present-record-{card.kpi.id}")


# --- the last slide ------------------------------------------------------------------------------


def _rest_slide(slide: Slide, page: Review) -> None:
    st.html(f'<p class="slide-kicker">Scorecard</p><p class="slide-title">{h(slide.title)}</p>')
    review_view.status_summary(list(slide.rest))
    card_grid(list(slide.rest), per_row=3, key="present-card")
    if page.left_out:
        st.caption(f":material/schedule: {md(page.left_out)}.")
