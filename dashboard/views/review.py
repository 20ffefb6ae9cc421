"""Quarterly review: the executive summary, the status summary, what needs attention (off target, and
hidden by a green total), the CAIO's scorecard (one card per KPI grouped by theme), and the scorecard's
CSV download."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

import streamlit as st

from aiorg_metrics.access.permissions import Permission
from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.review import Review, build_review, export_results
from aiorg_metrics.display.scorecard import Attention, Card, Contributor, HiddenItem
from aiorg_metrics.display.summary import Sentence
from aiorg_metrics.display.wording import PROVISIONAL, STATUS_STYLES, day_month
from aiorg_metrics.display.writers import scorecard_table_csv
from aiorg_metrics.kpi.status import Status
from dashboard import access
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import CachedSource
from dashboard.widgets import badge, h, md, render_card

ATTENTION_SHOWN = 4
CardEntry = Callable[[Card, str], None]  # draws a card's decision entry; str: where ("card", "attention")
HIDDEN_SHOWN = 5
CONTRIBUTORS_SHOWN = 4


def review(state: DataState, filters: Filters) -> Review:
    """The review at the sidebar's scope (`aiorg_metrics.display.review.build_review`, read through the cache)."""
    return build_review(CachedSource(state), filters)


def _sentence(s: Sentence) -> str:
    """A summary sentence as markdown: its lead and the KPIs it names in bold."""
    if not s.points:
        return md(s.lead)
    points = "; ".join(f"**{md(p.label)}** {md(p.text)}" for p in s.shown)
    return f"**{md(s.lead)}**: {points}" + (f"; and {s.more} more" if s.more else "") + "."


def summary_box(sentences: Sequence[Sentence]) -> None:
    """The executive summary: a few generated sentences, most telling first."""
    with st.container(border=True, key="executive-summary"):
        st.markdown("##### :material/summarize: Summary",
                    help="Generated from the KPIs below: what crossed its target since the previous quarter "
                         "(the previous value graded against the same target), what is furthest from target "
                         "with who owns it, the units a green total hides, and the largest moves.")
        st.markdown("\n".join(f"- {_sentence(s)}" for s in sentences))


def status_summary(cards: Sequence[Card]) -> None:
    """One line counting the cards of each status, most urgent first."""
    counts = scorecard.status_summary(cards)
    parts = [badge(status, text=f"{n} {STATUS_STYLES[status].word.lower()}") for status, n in counts.items() if n]
    if provisional := sum(c.provisional for c in cards):
        parts.append(badge(Status.INFO, text=f"{provisional} {PROVISIONAL.lower()}"))
    st.markdown(" ".join(parts) + f" — {len(cards)} KPIs")


def _units(units: Sequence[Contributor], shares: bool = True) -> str:
    """Units one level down as "Insurance ✕ 42% (31%)" (share of the shortfall) or with their detail."""
    def one(u: Contributor) -> str:
        extra = f"{u.share:.0%}" if shares and u.share is not None else u.detail
        return f"{md(u.name)} {STATUS_STYLES[u.status].symbol} {md(u.value)}" + (f" ({md(extra)})" if extra else "")
    more = len(units) - CONTRIBUTORS_SHOWN
    return " · ".join(one(u) for u in units[:CONTRIBUTORS_SHOWN]) + (f" · {more} more" if more > 0 else "")


def _headline(c: Card, gap: str = "") -> str:
    to_date = " to date" if c.in_progress else ""
    gap = f" · {md(gap)}" if gap else ""
    return f"{badge(c.status)} **{md(c.kpi.label)}** {md(c.value)}{to_date} :gray[(target {md(c.target)}{gap})]"


def _attention_line(item: Attention, level: str) -> str:
    line = _headline(item.card, item.distance_text)
    if item.serving:
        line += f"  \nServing AI team: {_units(item.serving, shares=False)}"
        level = f"requesting {level}"
    if item.contributors:
        line += f"  \n:gray[{level.capitalize()} short of target (share of the shortfall): {_units(item.contributors)}]"
    return line


def _hidden_line(item: HiddenItem, level: str) -> str:
    return f"{_headline(item.card)}  \n:gray[Off target among its {level}:] {_units(item.below, shares=False)}"


def _listing(lines: Sequence[str], shown: int, cards: Sequence[Card] = (), entry: CardEntry | None = None) -> None:
    """Bullets: the first `shown`, the others in an expander ("N more"); with `entry`, each line followed by
    what it draws for the line's card (the "Record a decision" entry)."""
    def bullets(part: slice) -> None:
        if entry is None:
            st.markdown("\n".join(f"- {line}" for line in lines[part]))
            return
        for line, card in zip(lines[part], cards[part], strict=True):
            text, action = st.columns([5, 1], vertical_alignment="center")
            text.markdown(f"- {line}")
            with action:
                entry(card, "attention")
    bullets(slice(0, shown))
    if len(lines) > shown:
        with st.expander(f"{len(lines) - shown} more"):
            bullets(slice(shown, None))


def attention_list(items: Sequence[Attention], hidden: Sequence[HiddenItem], level: str,
                   left_out: str | None = None, entry: CardEntry | None = None) -> None:
    """The "needs attention" lists: the KPIs off target or to watch (red before amber, then by relative
    distance to the violated bound), each with its owners; then the green totals that hide units off
    target, by the size of the largest gap; then the line naming the provisional KPIs `left_out`."""
    with st.container(border=True, key="needs-attention"):
        st.markdown(f"##### :material/priority_high: Needs attention ({len(items) + len(hidden)})")
        _off_target(items, level, entry)
        _hidden_by_totals(hidden, level, entry)
        if left_out:
            st.caption(f":material/schedule: {md(left_out)}.")


def _off_target(items: Sequence[Attention], level: str, entry: CardEntry | None = None) -> None:
    st.markdown(f"**Off target or to watch** ({len(items)})",
                help="Red before amber, then by distance beyond the target's bound relative to that bound. "
                     "For the demand queue, the AI teams serving it come first (they own the wait), with their "
                     f"share of the waiting items. Then the {level} whose own status is red or amber, by their "
                     "share of the shortfall (distance outside their own target weighted by their population: "
                     "the denominator, or n). KPIs shown organization-wide under a filter are not listed.")
    if not items:
        st.markdown("Nothing is red or amber in this view.")
        return
    _listing([_attention_line(i, level) for i in items], ATTENTION_SHOWN, [i.card for i in items], entry)


def _hidden_by_totals(hidden: Sequence[HiddenItem], level: str, entry: CardEntry | None = None) -> None:
    if not hidden:
        return
    st.markdown(f"**Hidden by a green total** ({len(hidden)})",
                help=f"KPIs on target for this view while some of its {level} (and, for the demand queue, "
                     "the AI teams serving it) are red or amber, by the size of the largest gap relative to "
                     "the target's bound.")
    # A decision on a green total is taken where it hides a shortfall: the entry opens on the worst unit.
    worst = [replace(i.card, result=i.hidden.below[0]) if i.hidden.below else i.card for i in hidden]
    _listing([_hidden_line(i, level) for i in hidden], HIDDEN_SHOWN, worst, entry)


def _grid_caption(as_of: date | None, part_to: date | None = None) -> str:
    changes = ("no change against earlier quarters while this quarter is in progress (its values are to "
               f"date, up to {as_of.day} {as_of:%b})" if as_of else
               f"no change against earlier quarters: this quarter's data stops on {day_month(part_to)}"
               if part_to else
               "change against the previous quarter and the same quarter last year (▲ better / ▼ worse "
               "against the target)")
    return (f"Each card: value, population, target and its source, {changes}, and the trend over the quarters "
            "up to this one (green dashed line or band: the target). Hover a KPI's name for its definition; "
            "the KPI glossary has them all.")


def themed_grid(cards: Sequence[Card], per_row: int = 4, as_of: date | None = None,
                part_to: date | None = None, entry: CardEntry | None = None) -> None:
    """The scorecard: cards grouped by theme, small themes sharing a row; `entry` draws the foot of each
    card (its decisions)."""
    st.caption(_grid_caption(as_of, part_to))
    for row in scorecard.theme_rows(cards, per_row):
        columns = st.columns(per_row)
        for column, (heading, c) in zip(columns, row, strict=False):
            with column:
                st.markdown(f'<div class="kpi-theme">{h(heading) or "&nbsp;"}</div>', unsafe_allow_html=True)
                render_card(c, drill=True, footer=(lambda card: entry(card, "card")) if entry else None)


def scorecard_csv(state: DataState, quarter: Quarter, filters: Filters | None = None) -> bytes:
    """The quarter's KPIs as a CSV a spreadsheet opens (labels, words, percents; the dialect of the setting
    `csv_dialect`), following the sidebar's selection (`review.export_results`)."""
    view = replace(filters, quarter=quarter) if filters else Filters(quarter)
    rows, names = export_results(CachedSource(state), view)
    return scorecard_table_csv(rows, names, state.settings.csv_dialect)


def review_download(state: DataState, filters: Filters) -> None:
    """The button that downloads the quarter's scorecard as CSV, for the selection it names; nothing (and no
    file built) for a person without exports."""
    if not access.allows(Permission.REVIEW_MODE_PACKS_AND_EXPORTS):
        return
    quarter, unit = filters.quarter, filters.unit
    what = scorecard.export_scope(unit, filters.team_name)
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"-{unit}-{filters.team_name or ''}".lower()).rstrip("-")
    st.download_button(
        f"Download the {quarter} scorecard: {what} (CSV)", scorecard_csv(state, quarter, filters),
        icon=":material/download:", file_name=f"kpis-{quarter}{slug if unit else ''}.csv", mime="text/csv",
        key="review-download",
        help=f"Every KPI with its target, status, previous and year-ago values, for the {what}, following the "
             "sidebar's business unit and team. Written for the spreadsheet chosen on the Settings page (CSV "
             "downloads); shares are percents. For the engine's own rows, use "
             "`python -m aiorg_metrics kpis --format csv`.",
    )
