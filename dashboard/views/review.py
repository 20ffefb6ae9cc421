"""Quarterly review: the CAIO's scorecard (one card per KPI grouped by theme), the status summary,
what needs attention, and the scorecard's CSV download."""

from __future__ import annotations

import io
from collections.abc import Sequence

import streamlit as st

from aiorg_metrics.common.periods import Quarter
from aiorg_metrics.display import scorecard
from aiorg_metrics.display.scorecard import Card
from aiorg_metrics.display.wording import STATUS_STYLES
from aiorg_metrics.display.writers import write_csv
from aiorg_metrics.kpi import Scope
from dashboard import cached
from dashboard.filters import Filters
from dashboard.state import DataState
from dashboard.views.scoped import cards as build_cards
from dashboard.views.scoped import scoped_results, team_names, team_rows, unit_teams
from dashboard.widgets import badge, h, md, render_card

ATTENTION_SHOWN = 4


def review(state: DataState, filters: Filters) -> tuple[list[Card], list[scorecard.Attention], str]:
    """Cards at the filters' scope, the needs-attention list, and what its contributors are: the
    business units under the organization, the teams under a business unit."""
    results, trend = scoped_results(state, filters)
    cards = build_cards(state, filters, results, trend)
    if filters.team_id:
        below, level = [], "teams"
    elif filters.business_unit:
        below, level = team_rows(results, set(unit_teams(state, filters.business_unit)["team_id"])), "teams"
    else:
        below, level = [r for r in results if r.scope_type is Scope.BUSINESS_UNIT], "business units"
    return cards, scorecard.needs_attention(cards, below, team_names(state)), level


def status_summary(cards: Sequence[Card]) -> None:
    """One line counting the cards of each status, most urgent first."""
    counts = scorecard.status_summary(cards)
    parts = [badge(status, text=f"{n} {STATUS_STYLES[status].word.lower()}") for status, n in counts.items() if n]
    st.markdown(" ".join(parts) + f" — {len(cards)} KPIs")


def _attention_line(item: scorecard.Attention, level: str) -> str:
    c = item.card
    gap = f" · {item.distance_text}" if item.distance_text else ""
    line = f"{badge(c.status)} **{md(c.kpi.label)}** {md(c.value)} :gray[(target {md(c.target)}{gap})]"
    if item.contributors:
        units = " · ".join(
            f"{md(u.name)} {STATUS_STYLES[u.status].symbol} {md(u.value)}"
            + (f" ({u.share:.0%})" if u.share is not None else "")
            for u in item.contributors[:4]
        )
        more = f" · {len(item.contributors) - 4} more" if len(item.contributors) > 4 else ""
        line += f"  \n:gray[{level.capitalize()} short of target (share of the shortfall): {units}{more}]"
    return line


def attention_list(items: Sequence[scorecard.Attention], level: str) -> None:
    """The "needs attention" list: red before amber, then by relative distance to the violated bound,
    each with the units one level down that fall short, by their share of the shortfall."""
    with st.container(border=True, key="needs-attention"):
        st.markdown(f"##### :material/priority_high: Needs attention ({len(items)})",
                    help="Red before amber, then by distance beyond the target's bound relative to that bound. "
                         f"Under each: the {level} whose own status is red or amber, by their share of the "
                         "shortfall (distance outside their own target weighted by their population: the "
                         "denominator, or n). KPIs shown organization-wide under a filter are not listed.")
        if not items:
            st.markdown("Nothing is red or amber in this view.")
            return
        st.markdown("\n".join(f"- {_attention_line(i, level)}" for i in items[:ATTENTION_SHOWN]))
        if len(items) > ATTENTION_SHOWN:
            with st.expander(f"{len(items) - ATTENTION_SHOWN} more"):
                st.markdown("\n".join(f"- {_attention_line(i, level)}" for i in items[ATTENTION_SHOWN:]))


def themed_grid(cards: Sequence[Card], per_row: int = 4) -> None:
    """The scorecard: cards grouped by theme, small themes sharing a row."""
    st.caption("Each card: value, population, target and its source, change against the previous quarter and "
               "the same quarter last year (▲ better / ▼ worse against the target), and the trend over the "
               "quarters up to this one (green dashed line or band: the target). Hover a KPI's name for its "
               "definition; the KPI glossary has them all.")
    for row in scorecard.theme_rows(cards, per_row):
        columns = st.columns(per_row)
        for column, (heading, c) in zip(columns, row, strict=False):
            with column:
                st.markdown(f'<div class="kpi-theme">{h(heading) or "&nbsp;"}</div>', unsafe_allow_html=True)
                render_card(c)


def scorecard_csv(state: DataState, quarter: Quarter) -> bytes:
    """The quarter's KPIs, organization then business units, as the `kpis --format csv` file."""
    out = io.StringIO()
    write_csv(cached.kpi_results(state.db, state.version, str(quarter), "business_unit"), out)
    return out.getvalue().encode("utf-8-sig")


def review_download(state: DataState, quarter: Quarter) -> None:
    """The button that downloads the quarter's scorecard as CSV."""
    st.download_button(
        f"Download the {quarter} scorecard (CSV)", scorecard_csv(state, quarter), icon=":material/download:",
        file_name=f"kpis-{quarter}.csv", mime="text/csv", key="review-download",
        help="Every KPI with its target, status, previous and year-ago values, for the organization and each "
             "business unit: the same columns as `python -m aiorg_metrics kpis --format csv`.",
    )
