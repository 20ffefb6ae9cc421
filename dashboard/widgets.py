"""Page furniture every page uses: escaping, badges, KPI cards, charts, shaded tables, and the
messages for a store that is busy or refused.

`md` is the one escaping helper for text from users or files shown as markdown; `h` is its twin
inside HTML. The card styles take their status colours from the display's table of status styles.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from aiorg_metrics.common.words import count_of
from aiorg_metrics.display import figures, scorecard
from aiorg_metrics.display.scorecard import Card
from aiorg_metrics.display.styles import STATUS_STYLES, THEME_COLOURS, status_css
from aiorg_metrics.display.wording import provisional_text, status_word
from aiorg_metrics.kpi.status import Status
from dashboard import access
from dashboard.state import kept_note, store, store_is_free

BUSY_TEXT = "An import is in progress: this page opens as soon as it is finished."
BUSY_RETRY_SECONDS = 3

_SHORTCODE_OR_AUTOLINK = re.compile(r"(?<=:)(?=\S)|(?<=@)(?=\S)|(?i:(?<=ww)(?=w\\\.))")


def md(text: object) -> str:
    """Text from users or files, shown as typed wherever Streamlit renders markdown: st.markdown, captions,
    alerts, subheaders, toasts, widget and expander labels. The one escaping helper of the app: no
    formatting, links, HTML, headings, LaTeX (`$`), emoji or icon shortcodes, or colours (`:red[...]`)."""
    value = html.escape(str(text), quote=False)
    for ch in "\\`*_{}[]()#+-=.!|~>$:":
        value = value.replace(ch, "\\" + ch)
    # Links (http://, www., e-mail addresses), icons (:material/x:) and emoji (:smile:) are found in the
    # text after the escapes are undone: an invisible word joiner breaks their patterns.
    return _SHORTCODE_OR_AUTOLINK.sub("\u2060", value)


def h(text: object) -> str:
    """Text from the data, safe inside HTML."""
    return html.escape(str(text))


# --- badges --------------------------------------------------------------------------------------------


def badge_text(colour: str, icon: str, text: str) -> str:
    """A Streamlit markdown badge: colour name, Material icon and (escaped) text."""
    return f":{colour}-badge[{icon} {md(text)}]"


def scope_badge(tag: str | None) -> str:
    """A section heading's scope tag ("organization-wide") as a grey badge, or "" at the selection's scope."""
    return f" {badge_text('gray', ':material/public:', tag)}" if tag else ""


def badge(status: Status, partial: bool = False, text: str | None = None) -> str:
    """A coloured badge with the status symbol and word (markdown)."""
    style = STATUS_STYLES[status]
    return badge_text(style.colour, style.icon, text or status_word(status, partial))


def status_pill(status: Status, word: str) -> str:
    """The status of a card as an HTML pill: its colour, symbol and word."""
    style = STATUS_STYLES[status]
    return f'<span class="kpi-pill" style="background:{style.hex}">{style.symbol} {h(word)}</span>'


# --- cards ---------------------------------------------------------------------------------------------


def _card_css() -> str:
    return f"""
<style>
.kpi-head {{display:flex; justify-content:space-between; align-items:flex-start; gap:6px;}}
.kpi-label {{font-weight:650; font-size:0.95rem; line-height:1.2; min-height:2.4em; cursor:help;}}
.kpi-pill {{white-space:nowrap; padding:1px 8px; border-radius:10px; font-size:0.78rem; font-weight:700;
           color:#fff;}}
.kpi-value {{font-size:1.8rem; font-weight:700; line-height:1.15; margin:2px 0 2px 0;}}
.kpi-unit {{font-size:0.95rem; font-weight:600; color:#4a5562;}}
.kpi-meta {{font-size:0.8rem; color:#4a5562; line-height:1.4;}}
.kpi-tag {{font-size:0.72rem; background:#eef1f5; color:#4a5562; border-radius:4px; padding:1px 5px;
          margin-left:6px; font-weight:600; vertical-align:middle;}}
.kpi-theme {{font-size:0.78rem; font-weight:700; letter-spacing:0.06em; text-transform:uppercase;
            color:{THEME_COLOURS['primary']}; min-height:1.3em; margin-top:0.6rem;}}
{status_css()}
.kpi-end {{height:0.6rem;}}
/* cards of one row share a height; the trend line sits at the bottom of each */
div[data-testid="stColumn"] > div[data-testid="stVerticalBlock"]:has([class*="-card-"]) {{height:100%;}}
div[data-testid="stLayoutWrapper"]:has(> [class*="-card-"]) {{flex:1 1 auto; display:flex; flex-direction:column;}}
[class*="-card-"][data-testid="stVerticalBlock"] {{flex:1 1 auto;}}
[class*="st-key-spark-"] {{margin-top:auto;}}
</style>
"""


CARD_CSS = _card_css()


def card_css() -> None:
    """The styles of the KPI cards (once per page that shows cards)."""
    st.html(CARD_CSS)


def _target_html(card: Card) -> str:
    if card.result.target is None:
        return "No target: read it for information"
    return f"Target <b>{h(card.target)}</b> · {h(card.source)}"


def _exception_html(card: Card) -> str:
    """The line of a green total hiding units off target, in the colour and symbol of the worst of them."""
    if not card.exception or card.exception_status is None:
        return ""
    style = STATUS_STYLES[card.exception_status]
    return (f'<div class="kpi-meta kpi-exception" style="color:{style.hex}; font-weight:650">'
            f"{style.symbol} {h(card.exception)}</div>")


def drill_href(kpi_id: str) -> str:
    """A link to this page with the same filters that opens the drill-down on `kpi_id`."""
    params = {**st.query_params.to_dict(), "kpi": kpi_id}
    return "?" + urlencode(params) + "#drill-down"


def render_card(card: Card, trend: bool = True, key: str = "card", drill: bool = False,
                footer: Callable[[Card], None] | None = None) -> None:
    """A KPI card: label, status (colour, symbol and word), value, population, its detail line, the units
    a green total hides, target and source, changes against the previous quarter and a year ago, and a
    small trend line; with `drill`, a link to the page's drill-down on this KPI; `footer` draws the card's
    last line (its decisions on the review)."""
    r = card.result
    detail = f'<div class="kpi-meta">{h(card.detail)}</div>' if card.detail else ""
    tag = f'<span class="kpi-tag">{h(card.scope_tag)}</span>' if card.scope_tag else ""
    notes = [f"Reads {', '.join(f'{d}.csv' for d in card.missing)}, not loaded yet: the value is not a finding"
             ] if card.missing else []
    notes += [provisional_text(r.status)] if card.provisional else []
    notes += [r.note] if r.note else []
    note = "".join(f'<div class="kpi-meta"><i>{h(n)}</i></div>' for n in notes)
    with st.container(border=True, key=f"{key}-{card.kpi.id}"):
        st.markdown(
            f'<div class="kpi-head"><div class="kpi-label" title="{h(card.kpi.description)}">'
            f"{h(card.kpi.label)}</div>{status_pill(card.status, card.status_word)}</div>"
            f'<div class="kpi-value">{h(card.value_number)}<span class="kpi-unit">{h(card.value_suffix)}</span>'
            f"{tag}</div>"
            f'<div class="kpi-meta">{h(card.population)}</div>{detail}{_exception_html(card)}'
            f'<div class="kpi-meta">{_target_html(card)}</div>'
            f'<div class="kpi-meta">{scorecard.comparisons_html(card)}</div>{note}{_drill_link(card) if drill else ""}'
            '<div class="kpi-end"></div>',
            unsafe_allow_html=True,
        )
        if trend and len([v for v in card.trend_values if v is not None]) >= 2:
            chart(figures.sparkline(card.kpi, card.trend_periods, card.trend_values, r.target),
                  f"spark-{key}-{card.kpi.id}")
            st.caption(f"{card.trend_periods[0]} – {card.trend_periods[-1]}")
        if footer is not None:
            footer(card)


def _drill_link(card: Card) -> str:
    return (f'<div class="kpi-meta"><a href="{h(drill_href(card.kpi.id))}" target="_self" '
            f'title="By business unit or team, then the rows behind the value">Drill down ↓</a></div>')


def card_grid(cards: Sequence[Card], per_row: int = 4, trend: bool = True, key: str = "card") -> None:
    """Cards in rows of `per_row`; `key` keeps the cards of two grids on one page apart."""
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, c in zip(columns, cards[start:start + per_row], strict=False):
            with column:
                render_card(c, trend, key)


# --- charts and tables ---------------------------------------------------------------------------------


def notice_or_caption(empty: bool, notice: str, caption: str, icon: str | None = None, good: bool = False) -> bool:
    """Say why a section has nothing to show (as good news when `good`), or caption what it shows.

    Returns True when the section's content should follow the caption.
    """
    if empty:
        (st.success if good else st.info)(notice, icon=icon)
        return False
    st.caption(caption)
    return True


def chart(fig, key: str) -> None:
    """A Plotly figure without the mode bar, in the figure's own colours."""
    st.plotly_chart(fig, config={"displayModeBar": False}, key=key, theme=None)


def flag_rows(frame: pd.DataFrame, column: str):
    """The table with rows whose `column` is filled shaded light red (the flag text says why)."""
    def shade(row: pd.Series) -> list[str]:
        return ["background-color: #fdecea" if row[column] else "" for _ in row]
    return frame.style.apply(shade, axis=1)


# --- a store that cannot be read now -------------------------------------------------------------------


def busy() -> None:
    """The friendly message for a store held by an import in another process; the page tries
    again by itself every few seconds and renders normally as soon as the store is free."""
    st.warning(BUSY_TEXT + kept_note(), icon=":material/hourglass_top:")
    st.session_state["_busy_shown"] = True  # the retry's first run is this run: no check yet
    _retry_when_free()


@st.fragment(run_every=BUSY_RETRY_SECONDS)
def _retry_when_free() -> None:
    attempts = st.session_state.get("_busy_attempts", 0)
    if not st.session_state.pop("_busy_shown", False):
        attempts += 1
        if store_is_free(store()):
            st.session_state["_busy_attempts"] = 0
            st.rerun(scope="app")
    st.session_state["_busy_attempts"] = attempts
    tried = f" (tried {count_of(attempts, 'time')} so far)" if attempts else ""
    st.caption(f":material/autorenew: This page tries again by itself every {BUSY_RETRY_SECONDS} s{tried}; "
               "no need to reload.")


def store_refused(exc: Exception) -> None:
    """The message for a store this version cannot open (newer, or older and read-only), as plain text
    (its path for an admin only)."""
    st.error(md(access.server_text(exc)), icon=":material/block:")
