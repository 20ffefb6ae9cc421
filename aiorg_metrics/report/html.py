"""The review pack as one self-contained HTML file: the document a CAIO sends to the executive committee.

- Self-contained: plotly.js is embedded once, inline; no font, stylesheet, image or script is fetched,
  so the file opened from disk with the network cut makes no request and its charts draw.
- Print-styled: A4 landscape pages, each major section on a new page, cards, items and charts never
  split across pages, charts sized to the printable width (277 mm ≈ 1,040 px), no widget chrome.
- Every text from the data is escaped (`html.escape`); non-ASCII is written as characters (UTF-8).
The PDF pack is this file printed by Chromium (`report.pdf.html_to_pdf`).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from aiorg_metrics.analysis import advisor
from aiorg_metrics.analysis.diagnostics import Diagnostic, Source
from aiorg_metrics.display import figures, scorecard
from aiorg_metrics.display.scorecard import Attention, Card, Contributor, HiddenItem
from aiorg_metrics.display.styles import STATUS_STYLES, THEME_COLOURS, VERDICT_CLASSES
from aiorg_metrics.display.summary import Sentence
from aiorg_metrics.display.tables import funnel_stages
from aiorg_metrics.display.wording import PROVISIONAL, day_month, model_name, provisional_text
from aiorg_metrics.kpi import BY_ID
from aiorg_metrics.kpi.status import Status
from aiorg_metrics.report.pack import DecisionLine, HubSection, Pack, SkillsSection

FULL_WIDTH = 1000  # px: a chart across the printable width of an A4 landscape page
HALF_WIDTH = 490
SPARK_SIZE = (214, 44)
MAX_HEIGHT = 650  # px: a chart with its heading fits on one A4 landscape page (≈ 700 px printable)
CARDS_PER_ROW = 4
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": False, "scrollZoom": False}
CODE = re.compile(r"`([^`<>]+)`")
FONTS = '"Liberation Sans", "DejaVu Sans", Arial, Helvetica, sans-serif'
SOURCE_WORDS = {Source.GUIDE: "threshold from the guide", Source.PRODUCT_DEFAULT: "threshold: product default"}
LIT_WORDS = {True: ("Lit", Status.RED), False: ("Not lit", Status.GREEN), None: ("No data", Status.NO_DATA)}
SIGNAL_WORDS = {"lit": ("Lit", Status.RED), "not_lit": ("Not lit", Status.GREEN),
                "greyed": ("For information", Status.NO_DATA), "no_data": ("No data", Status.NO_DATA)}


def esc(text: object) -> str:
    """Data text made safe for HTML (quotes included)."""
    return html.escape(str(text), quote=True)


def _code(text: str) -> str:
    """An engine sentence escaped, its `setting` names (in backticks, as the app shows them) in code type."""
    return CODE.sub(r"<code>\1</code>", esc(text))


class _Charts:
    """Plotly figures as `<div>`s with unique ids, white and at explicit sizes (plotly.js comes once, in the head)."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def html(self, fig: go.Figure, width: int, css: str = "chart") -> str:
        height = min(fig.layout.height or MAX_HEIGHT, MAX_HEIGHT)
        fig.update_layout(width=width, height=height, paper_bgcolor="white", plot_bgcolor="white", autosize=False)
        div = fig.to_html(full_html=False, include_plotlyjs=False, include_mathjax=False, config=CHART_CONFIG,
                          div_id=f"chart-{next(self._ids)}")
        return f'<div class="{css}">{div}</div>'


def pack_html(pack: Pack) -> str:
    """The pack as one HTML document (UTF-8, self-contained, print-ready), sections in the order of the pack."""
    charts = _Charts()
    body = "".join((
        _cover(pack),
        _summary(pack),
        _scorecard(pack, charts),
        _attention(pack),
        _funnel(pack, charts),
        _hub(pack, charts),
        _skills(pack, charts),
        _decisions(pack),
    ))
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(pack.title)} · {esc(pack.scope_words)}</title>"
            f"<style>{_css()}</style><script>{_plotly_js()}</script></head>"
            f'<body><main class="sheet">{body}</main></body></html>\n')


def _plotly_js() -> str:
    # "</script" cannot occur in an inline script; the bundle never holds it, but a future one must not end ours.
    return get_plotlyjs().replace("</script", "<\\/script")


# --- pieces ------------------------------------------------------------------------------------------


def _pill(status: Status, word: str | None = None) -> str:
    style = STATUS_STYLES[status]
    return (f'<span class="pill" style="background:{style.hex}">{esc(style.symbol)} '
            f"{esc(word or style.word)}</span>")


def _tag(tag: str | None) -> str:
    return f' <span class="tag">{esc(tag)}</span>' if tag else ""


def _section(key: str, title: str, body: str, tag: str | None = None, lead: str = "") -> str:
    lead_html = f'<p class="lead">{lead}</p>' if lead else ""
    return (f'<section class="major" id="{key}"><h2>{esc(title)}{_tag(tag)}</h2>{lead_html}{body}</section>')


def _table(frame: pd.DataFrame, numbers: Iterable[str] = (), formats: dict[str, str] | None = None,
           css: str = "") -> str:
    """A DataFrame as a plain table, every cell escaped; `numbers` right-aligned, `formats` per column."""
    numbers, formats = set(numbers), formats or {}

    def cell(column: str, value: object) -> str:
        text = "–" if value is None or (not isinstance(value, str) and pd.isna(value)) else (
            formats[column].format(value) if column in formats else str(value))
        return f'<td class="num">{esc(text)}</td>' if column in numbers else f"<td>{esc(text)}</td>"

    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = "".join("<tr>" + "".join(cell(c, v) for c, v in zip(frame.columns, row, strict=True)) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _figure(head: str, chart: str) -> str:
    """A heading (and its note) kept on the same printed page as its chart."""
    return f'<div class="figure">{head}{chart}</div>'


def _note(text: str) -> str:
    return f'<p class="note">{_code(text)}</p>'


def _when(moment) -> str:
    return f"{moment:%d %b %Y %H:%M}"


def _day(day: date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "–"


# --- cover ------------------------------------------------------------------------------------------


def _cover(pack: Pack) -> str:
    fresh = pack.freshness
    span = (f"The data runs from {_day(fresh.first_day)} to <b>{_day(fresh.last_day)}</b> (its last day)."
            if fresh.last_day else "No dated data is loaded yet.")
    banner = f'<p class="banner">{esc(fresh.banner)}</p>' if fresh.banner else ""
    sample = ('<p class="banner">Sample data: a fictitious banking group loaded so that every part has '
              "something to show.</p>") if pack.sample else ""
    imports = pd.DataFrame(
        [(i.dataset, i.file_name, i.rows, _when(i.at), i.by) for i in fresh.imports],
        columns=["Dataset", "File", "Rows in the file", "Imported", "By"],
    )
    table = (_table(imports, numbers=["Rows in the file"], formats={"Rows in the file": "{:,}"}, css="compact")
             if not imports.empty else _note("No import is recorded in this store."))
    return (
        '<section class="cover">'
        f'<p class="kicker">AI organization · quarterly review</p><h1>{esc(pack.title)}</h1>'
        f'<p class="scope">{esc(pack.scope_words)}</p>'
        f"<p>{_status_line(pack.review.cards)}</p>"
        f'<div class="fresh"><h3>Data freshness</h3><p>{span}</p>{banner}{sample}'
        f"<h3>The imports behind it</h3><p class=\"note\">The latest import of each dataset.</p>{table}</div>"
        f'<p class="made">Prepared on {_day(pack.made_on)} from the KPI dashboard. Every figure is recomputed '
        "from the imported data; the targets are the guide's unless the settings change them.</p>"
        "</section>"
    )


def _status_line(cards: Sequence[Card]) -> str:
    counts = scorecard.status_summary(cards)
    parts = [_pill(status, f"{n} {STATUS_STYLES[status].word.lower()}") for status, n in counts.items() if n]
    if provisional := sum(c.provisional for c in cards):
        parts.append(_pill(Status.INFO, f"{provisional} {PROVISIONAL.lower()}"))
    return " ".join(parts) + f" <span class=\"muted\">— {len(cards)} KPIs</span>"


# --- executive summary ------------------------------------------------------------------------------


def _sentence(s: Sentence) -> str:
    """A summary sentence as the review page writes it: its lead and the KPIs it names in bold."""
    if not s.points:
        return esc(s.lead)
    points = "; ".join(f"<b>{esc(p.label)}</b> {esc(p.text)}" for p in s.shown)
    return f"<b>{esc(s.lead)}</b>: {points}" + (f"; and {s.more} more" if s.more else "") + "."


def _summary(pack: Pack) -> str:
    review = pack.review
    items = "".join(f"<li>{_sentence(s)}</li>" for s in review.summary) or "<li>Nothing to report.</li>"
    lead = (f"{esc(pack.scope_words)}, {esc(pack.view.quarter)}. Generated from the KPIs of the scorecard: what "
            "crossed its target since the previous quarter, what is furthest from target and who owns it, the "
            "units a green total hides, and the largest moves.")
    # The cover counts the statuses and the summary names the provisional KPIs: neither is repeated here.
    return _section("summary", "Executive summary", f'<ul class="summary">{items}</ul>', lead=lead)


# --- scorecard --------------------------------------------------------------------------------------


def _card(card: Card, charts: _Charts, trend: bool = True) -> str:
    r = card.result
    target = (f"Target <b>{esc(card.target)}</b> · {esc(card.source)}" if r.target is not None
              else "No target: read it for information")
    notes = [f"Reads {', '.join(f'{d}.csv' for d in card.missing)}, not loaded yet: the value is not a finding"
             ] if card.missing else []
    notes += [provisional_text(r.status)] if card.provisional else []
    notes += [r.note] if r.note else []
    lines = [esc(card.population), *([esc(card.detail)] if card.detail else [])]
    if card.exception and card.exception_status is not None:
        style = STATUS_STYLES[card.exception_status]
        lines.append(f'<span style="color:{style.hex};font-weight:650">{esc(style.symbol)} '
                     f"{esc(card.exception)}</span>")
    lines += [target, scorecard.comparisons_html(card), *(f"<i>{esc(n)}</i>" for n in notes)]
    meta = "".join(f'<div class="meta">{line}</div>' for line in lines if line)
    to_date = ' <span class="muted">to date</span>' if card.in_progress else ""
    return (f'<div class="card"><div class="card-head"><span class="label">{esc(card.kpi.label)}</span>'
            f"{_pill(card.status, card.status_word)}</div>"
            f'<div class="value">{esc(card.value_number)}<span class="unit">{esc(card.value_suffix)}</span>'
            f"{to_date}{_tag(card.scope_tag)}</div>{meta}{_spark(card, charts) if trend else ''}</div>")


def _spark(card: Card, charts: _Charts) -> str:
    if len([v for v in card.trend_values if v is not None]) < 2:
        return ""
    fig = figures.sparkline(card.kpi, card.trend_periods, card.trend_values, card.result.target)
    fig.update_layout(height=SPARK_SIZE[1])
    return (charts.html(fig, SPARK_SIZE[0], "spark")
            + f'<div class="meta muted">{esc(card.trend_periods[0])} – {esc(card.trend_periods[-1])}</div>')


def _grid(cards: Sequence[Card], charts: _Charts, trend: bool = True) -> str:
    return '<div class="grid">' + "".join(_card(c, charts, trend) for c in cards) + "</div>"


def _scorecard(pack: Pack, charts: _Charts) -> str:
    review = pack.review
    if review.as_of:
        changes = (f"no change against earlier quarters while this quarter is in progress (values to date, up to "
                   f"{day_month(review.as_of)})")
    elif review.part_to:
        changes = f"no change against earlier quarters: this quarter's data stops on {day_month(review.part_to)}"
    else:
        changes = ("change against the previous quarter and the same quarter last year (▲ better / ▼ worse "
                   "against the target)")
    lead = (f"Each card: value, population, target and its source, {changes}, and the trend over the quarters up to "
            f"this one (green dashed line or band: the target). {len(review.cards)} KPIs, grouped by theme.")
    rows = "".join(
        '<div class="grid row">' + "".join(
            f'<div class="slot"><div class="theme-head">{esc(heading[:1].upper() + heading[1:]) or "&nbsp;"}</div>'
            f"{_card(c, charts)}</div>" for heading, c in row) + "</div>"
        for row in scorecard.theme_rows(review.cards, CARDS_PER_ROW)
    )
    return _section("scorecard", "Scorecard", rows, lead=esc(lead))


# --- needs attention --------------------------------------------------------------------------------


def _units(units: Sequence[Contributor], shares: bool = True) -> str:
    """Units as the review page names them: "Insurance ✕ 42% (31%)" (share of the shortfall) or with detail."""
    def one(u: Contributor) -> str:
        extra = f"{u.share:.0%}" if shares and u.share is not None else u.detail
        return (f"{esc(u.name)} {esc(STATUS_STYLES[u.status].symbol)} {esc(u.value)}"
                + (f" ({esc(extra)})" if extra else ""))
    return " · ".join(one(u) for u in units)


def _headline(c: Card, gap: str = "") -> str:
    to_date = " to date" if c.in_progress else ""
    gap = f" · {esc(gap)}" if gap else ""
    return (f"{_pill(c.status, c.status_word)} <b>{esc(c.kpi.label)}</b> {esc(c.value)}{to_date}{_tag(c.scope_tag)} "
            f'<span class="muted">(target {esc(c.target)}{gap})</span>')


def _attention_item(item: Attention, level: str) -> str:
    lines = [_headline(item.card, item.distance_text)]
    if item.serving:
        lines.append(f"Serving AI team: {_units(item.serving, shares=False)}")
        level = f"requesting {level}"
    if item.contributors:
        lines.append(f'<span class="muted">{esc(level.capitalize())} short of target (share of the shortfall):'
                     f"</span> {_units(item.contributors)}")
    return '<li class="item">' + "<br>".join(lines) + "</li>"


def _hidden_item(item: HiddenItem, level: str) -> str:
    return (f'<li class="item">{_headline(item.card)}<br><span class="muted">Off target among its {esc(level)}:'
            f"</span> {_units(item.below, shares=False)}</li>")


def _attention(pack: Pack) -> str:
    review = pack.review
    level = review.level
    off = ("".join(_attention_item(i, level) for i in review.attention)
           or '<li class="item">Nothing is red or amber in this view.</li>')
    body = (f"<h3>Off target or to watch ({len(review.attention)})</h3>"
            f'<p class="note">Red before amber, then by distance beyond the target\'s bound relative to that bound; '
            f"each with who owns it: for the demand queue the AI teams serving it, then the {esc(level)} whose own "
            f'status is red or amber, by their share of the shortfall.</p><ul class="items">{off}</ul>')
    if review.hidden:
        body += (f"<h3>Hidden by a green total ({len(review.hidden)})</h3>"
                 f'<p class="note">On target for this view while some of its {esc(level)} are red or amber.</p>'
                 f'<ul class="items">{"".join(_hidden_item(i, level) for i in review.hidden)}</ul>')
    if review.left_out:
        body += _note(f"{review.left_out}.")
    return _section("attention", f"Needs attention ({len(review.attention) + len(review.hidden)})", body)


# --- funnel -----------------------------------------------------------------------------------------


def _funnel(pack: Pack, charts: _Charts) -> str:
    funnel = pack.funnel
    lead = (f"Cohort: use cases identified from {_day(funnel.identified_from)} to {_day(funnel.identified_to)} "
            f"(the 12 months ending {pack.view.quarter}), of the {pack.view.scope_text}; state at "
            f"{_day(funnel.as_of)}. The steps carry no status: the targets belong to the conversion KPIs beside it.")
    if funnel.stages[0].reached == 0:
        chart = _note(f"No use case of the {pack.view.scope_text} was identified in this cohort.")
    else:
        chart = (charts.html(figures.funnel(funnel.stages_frame()), 620)
                 + _table(funnel_stages(funnel), numbers=["Use cases"], css="compact"))
    conversion = _grid(pack.conversion_cards, charts, trend=False)
    body = f'<div class="split figure"><div class="wide">{chart}</div><div class="side">{conversion}</div></div>'
    body += "<h3>Waiting longest</h3>" + _waiting(pack)
    return _section("funnel", "Use-case funnel", body, lead=esc(lead))


def _waiting(pack: Pack) -> str:
    waiting = pack.waiting
    if waiting.empty:
        return _note("No live use case is waiting in this cohort.")
    return (_note(f"Per stage, the live use cases that have been there longest at the end of {pack.view.quarter}; "
                  "⚠ over 3 months: qualified and still waiting for a PoC after more than three months, the guide's "
                  "alert for demand waiting.")
            + _table(waiting, numbers=["Months waiting"], formats={"Months waiting": "{:.1f}"}, css="compact"))


# --- hub & spoke and the advisor ---------------------------------------------------------------------


def _hub(pack: Pack, charts: _Charts) -> str:
    hub, quarter = pack.hub, pack.view.quarter
    head = f"<h3>Status by {esc(hub.matrix_level)}</h3>"
    if hub.matrix.empty:
        body = head + _note(f"No {hub.matrix_level} has a KPI value in {quarter}.")
    else:
        fig = figures.status_heatmap(hub.matrix, pack.view.team_name)
        body = _figure(head + _note("Each cell: status symbol (✓ on target, ! watch, ✕ off target, i no target, "
                                    "– no data) and value."),
                       charts.html(fig, min(FULL_WIDTH, figures.status_heatmap_width(hub.matrix) + 160)))
    body += "<h3>Shape of the AI organization</h3>" + _grid(hub.structure_cards, charts, trend=False)
    body += _queue(hub, quarter, charts) + _shadow(hub, pack)
    body += _advisor(hub)
    return _section("hub", "Hub & spoke health and the org-model advisor", body)


def _queue(hub: HubSection, quarter: object, charts: _Charts) -> str:
    head = f"<h3>Demand queue by AI team in {esc(quarter)}{_tag(hub.org_tag)}</h3>"
    if hub.queue.empty:
        return head + _note("No use case names the AI team serving it yet.")
    fig = figures.ai_team_queue(hub.queue, BY_ID["demand_queue_months"], hub.queue_target)
    serves = " The AI teams serve every business unit: their queues hold all units' requests." if hub.org_tag else ""
    return _figure(head, charts.html(fig, 760) + _note(
        "Median months qualified use cases wait for a PoC, and how many wait, by the AI team serving them (the hub "
        f"and each spoke). A blank bar: nobody waits.{serves}"))


def _shadow(hub: HubSection, pack: Pack) -> str:
    head = f"<h3>Shadow AI: business teams that employ AI staff of their own{_tag(hub.unit_tag)}</h3>"
    if hub.shadow_teams.empty:
        where = f" of {pack.view.unit}" if pack.view.unit else ""
        return head + _note(f"No business team{where} employs AI staff of its own.")
    return head + _table(hub.shadow_teams, numbers=["AI staff", "Headcount"], css="compact")


def _diagnostic(d: Diagnostic) -> str:
    word, status = LIT_WORDS[d.lit]
    return (f'<li class="item">{_pill(status, word)} <b>{esc(d.label)}</b>: {esc(d.figure)}<br>'
            f'{esc(d.explanation)}<br><span class="muted">Rule: {esc(d.rule)} ({esc(SOURCE_WORDS[d.source])}). '
            f"The guide: “{esc(d.guide_text)}” ({esc(d.guide_section)})</span></li>")


def _signal(s: advisor.Signal) -> str:
    word, status = SIGNAL_WORDS[s.state.value]
    return (f'<li class="item">{_pill(status, word)} <b>{esc(s.label)}</b>: {esc(s.figure_text())} '
            f'<span class="muted">(rule {esc(s.rule)})</span><br><span class="muted">{esc(s.explanation)} '
            f"Why it matters: {esc(s.reasoning)} Source: {esc(s.source)}.</span></li>")


def _advisor(hub: HubSection) -> str:
    advice = hub.advice
    recommended = model_name(advice.recommended) if advice.recommended else "No recommendation"
    body = ('<div class="split"><div class="half">'
            f"<p>Recommended: <b>{esc(recommended)}</b></p>{_note(advice.recommended_reason)}</div>"
            f'<div class="half"><p>Current: <b>{esc(model_name(advice.current))}</b> ({esc(advice.current_source)})'
            f"</p>{_note(advice.current_reason)}</div></div>")
    if advice.maturity is None:
        body += _note(advice.maturity_reason)
    else:
        reading = ", ".join(model_name(m) for m in advice.maturity_reading) or "–"
        body += (f"<p>Maturity reading: <b>{esc(reading)}</b></p>"
                 + _note(f"{advice.maturity_reason} {advice.agree_reason}"))
    body += (f"<h4>Diagnostics of the model in place ({esc(model_name(advice.current))}, "
             f"{esc(advice.current_source)})</h4>")
    ordered = sorted(advice.diagnostics, key=lambda d: {True: 0, False: 1, None: 2}[d.lit])
    body += (f'<ul class="items">{"".join(_diagnostic(d) for d in ordered)}</ul>' if ordered
             else _note("The guide gives no rule the data can check for this model."))
    if advice.guidance is not None:
        body += _guidance(advice)
    if advice.current is not advice.current.CENTRALIZED:
        signals = "".join(_signal(s) for s in (*advice.transition_indicators, advice.hub_size_signal))
        body += ("<h4>Transition indicators of the centralized model (for information)</h4>"
                 f'<ul class="items">{signals}</ul>')
    return f'<div class="block"><h3>Org-model advisor{_tag(hub.org_tag)}</h3>{body}</div>'


def _guidance(advice: advisor.Advice) -> str:
    g = advice.guidance
    if g is None:
        return ""
    move = (f"<p>Consider moving to <b>{esc(model_name(g.move_to))}</b>: {esc(g.move_reason)}</p>" if g.move_to
            else f"<p>{esc(g.move_reason)}</p>")
    practices = ""
    if g.practices:
        practices = (f"<p>Good practices of the {esc(advice.current.phrase)} model ({esc(g.practices_source)}):</p>"
                     f'<ul>{"".join(f"<li>{esc(p)}</li>" for p in g.practices)}</ul>')
    return f"<h4>What the guide suggests</h4>{move}{practices}"


# --- skills and training ----------------------------------------------------------------------------


def _skills(pack: Pack, charts: _Charts) -> str:
    s = pack.skills
    body = _grid(s.cards, charts)
    head = "<h3>Skill gaps by role</h3>"
    if s.gaps.empty:
        body += head + _note(f"Nobody of the {pack.view.scope_text} is assessed.")
    else:
        body += _figure(head + _note(
            "Mean gap between the level each person's seniority requires and their assessed level, per skill the "
            "role needs (red: below the requirement, blue: above; blank: the role does not need the skill)."),
            charts.html(_every_row_named(figures.gap_heatmap(s.gaps)), FULL_WIDTH))
    body += _training(s, charts)
    body += f"<h3>Single points of failure{_tag(s.org_tag)}</h3>"
    body += (_table(s.single_points, numbers=["Experts (level ≥ 3)", "People whose role needs it"], css="compact")
             if not s.single_points.empty else
             _note("Every skill of the framework has at least two experts (level 3 or more)."))
    if not s.single_points.empty and "Who" not in s.single_points.columns:
        body += _note("Who holds each skill is shown to the CAIO's office.")
    return _section("skills", "Skills and training", body)


def _every_row_named(fig: go.Figure) -> go.Figure:
    """A tall heatmap fitted to a page keeps every row's name (plotly would skip some), in smaller type."""
    fig.update_yaxes(dtick=1, tickfont=dict(size=10))
    fig.update_traces(textfont=dict(size=9))
    return fig


def _training(s: SkillsSection, charts: _Charts) -> str:
    parts = []
    for title, frame, kpi_id, target, axis in (
        ("Training spend per learner", s.spend, "training_spend_per_learner", s.spend_target,
         "EUR per learner (12 months)"),
        ("Practice share of training hours", s.practice, "practice_share", s.practice_target,
         "practice hours (% of training hours)"),
    ):
        head = f"<h3>{esc(title)} by {esc(s.level)}, last 12 months</h3>"
        if frame.dropna(subset=["value"]).empty:
            parts.append(f'<div class="half">{head}{_note("No training record for this selection.")}</div>')
        else:
            fig = figures.unit_bars(frame, BY_ID[kpi_id], target, axis)
            parts.append(f'<div class="half">{head}{charts.html(fig, HALF_WIDTH)}</div>')
    return '<div class="split figure">' + "".join(parts) + "</div>"


# --- decisions --------------------------------------------------------------------------------------


def _decision_row(line: DecisionLine) -> str:
    d = line.decision
    status = f'<b class="overdue">⚠ {esc(line.status)}</b>' if line.overdue else esc(line.status)
    return (f'<tr class="{"overdue-row" if line.overdue else ""}"><td>{status}</td>'
            f"<td><b>{esc(line.kpi_label)}</b><br>{esc(line.scope)}{_tag(line.tag)}</td>"
            f"<td>{esc(d.current.text)}</td><td>{esc(d.current.owner)}</td>"
            f"<td>{esc(d.quarter)} → {esc(d.current.due)}</td><td>{esc(line.follow_up)}</td></tr>")


def _decisions(pack: Pack) -> str:
    lines = pack.decisions
    lead = (f"The decisions taken in {esc(pack.view.quarter)}, and those taken earlier and still open when it began, "
            "with how each KPI moved since (both values recomputed from today's data). Overdue: open and due "
            "before this quarter.")
    if not lines:
        body = _note(f"No decision was taken in {pack.view.quarter} for the {pack.view.scope_text}, and none taken "
                     "earlier is still open.")
    else:
        overdue = sum(line.overdue for line in lines)
        counts = f"{len(lines)} decision{'s' if len(lines) != 1 else ''}" + (f", {overdue} overdue" if overdue else "")
        head = "".join(f"<th>{h}</th>" for h in ("Status", "KPI and scope", "Decision", "Owner", "Taken → due",
                                                  "Follow-up"))
        body = (f"<p><b>{esc(counts)}</b></p><table class=\"decisions\"><thead><tr>{head}</tr></thead><tbody>"
                + "".join(_decision_row(line) for line in lines) + "</tbody></table>")
    return _section("decisions", "Decisions taken and their follow-up", body, lead=lead)


# --- style ------------------------------------------------------------------------------------------


def _css() -> str:
    c = THEME_COLOURS
    verdicts = " ".join(f".{css} {{color:{c[colour]}; font-weight:650;}}" for colour, css in VERDICT_CLASSES.items())
    return f"""
@page {{ size: A4 landscape; margin: 10mm 10mm 14mm 10mm; }}
* {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{ margin: 0; background: #fff; color: {c["text"]}; font-family: {FONTS}; font-size: 13px; line-height: 1.4; }}
.sheet {{ max-width: 1040px; margin: 0 auto; padding: 16px 0 40px; }}
h1 {{ font-size: 34px; color: {c["primary"]}; margin: 4px 0 8px; }}
h2 {{ font-size: 22px; color: {c["primary"]}; border-bottom: 2px solid {c["primary"]}; padding-bottom: 4px;
      margin: 0 0 10px; break-after: avoid; }}
h3 {{ font-size: 15px; margin: 16px 0 6px; break-after: avoid; }}
h4 {{ font-size: 13px; margin: 12px 0 4px; break-after: avoid; }}
p {{ margin: 4px 0; }}
code {{ font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 90%; background: #f3f5f8;
        padding: 0 3px; }}
section.major {{ break-before: page; padding-top: 12px; }}
@media screen {{ section.major {{ border-top: 1px dashed {c["border"]}; margin-top: 36px; padding-top: 24px; }} }}
.cover {{ min-height: 170mm; display: flex; flex-direction: column; justify-content: center; gap: 6px; }}
.cover .kicker {{ text-transform: uppercase; letter-spacing: .08em; color: {c["gray"]}; font-size: 12px; }}
.cover .scope {{ font-size: 20px; font-weight: 650; }}
.cover .fresh {{ border-top: 1px solid {c["border"]}; margin-top: 14px; padding-top: 4px; max-width: 900px; }}
.cover .made {{ color: {c["gray"]}; font-size: 11px; margin-top: 12px; }}
.banner {{ background: #eef4fb; border-left: 4px solid {c["primary"]}; padding: 6px 10px; }}
.lead {{ color: #3c4653; margin-bottom: 10px; }}
.note, .muted {{ color: {c["gray"]}; }}
.note {{ font-size: 12px; }}
.pill {{ display: inline-block; color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 11px;
         font-weight: 650; white-space: nowrap; }}
.tag {{ display: inline-block; background: #eceff3; color: #4a5562; border-radius: 8px; padding: 0 6px;
        font-size: 11px; font-weight: 400; vertical-align: middle; }}
ul.summary {{ font-size: 15px; padding-left: 20px; }}
ul.summary li {{ margin: 0 0 10px; break-inside: avoid; }}
.grid {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; }}
.grid.row {{ margin-bottom: 8px; break-inside: avoid; }}
.slot {{ display: flex; flex-direction: column; }} .slot .card {{ flex: 1; }}
.theme-head {{ font-weight: 650; font-size: 13px; color: {c["primary"]}; margin: 4px 0 3px; min-height: 18px; }}
.side .grid {{ grid-template-columns: 1fr; }}
.card {{ border: 1px solid {c["border"]}; border-radius: 6px; padding: 7px 9px; break-inside: avoid;
         background: #fff; }}
.card-head {{ display: flex; justify-content: space-between; align-items: flex-start; gap: 6px; }}
.card .label {{ font-weight: 650; font-size: 12.5px; }}
.card .value {{ font-size: 20px; font-weight: 700; margin: 2px 0; }}
.card .unit {{ font-size: 13px; font-weight: 400; color: #4a5562; }}
.meta {{ font-size: 11px; color: #4a5562; margin-top: 1px; }}
.spark {{ margin-top: 4px; }}
ul.items {{ list-style: none; padding: 0; margin: 0; }}
li.item {{ border-left: 3px solid {c["border"]}; padding: 5px 10px; margin: 0 0 7px; break-inside: avoid; }}
.chart {{ break-inside: avoid; margin: 6px 0; max-width: 100%; overflow: hidden; }}
.split {{ display: flex; gap: 20px; align-items: flex-start; }}
.split .wide {{ flex: 0 0 620px; }} .split .side {{ flex: 1; }} .split .half {{ flex: 1; min-width: 0; }}
.figure {{ break-inside: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 12px; }}
th {{ text-align: left; background: #f3f5f8; border-bottom: 1px solid #c9d1da; padding: 4px 6px; }}
/* a long unbroken text (a 2,000-character decision, a URL) wraps inside its cell, not past the page */
td, th, li.item {{ overflow-wrap: anywhere; word-break: break-word; }}
td {{ border-bottom: 1px solid {c["border"]}; padding: 4px 6px; vertical-align: top; }}
td.num {{ text-align: right; white-space: nowrap; }}
tr {{ break-inside: avoid; }}
table.compact {{ font-size: 11.5px; }}
table.decisions :is(th, td):first-child {{ white-space: nowrap; }}
/* the columns beside a decision's text keep a readable width however long the text (a width is a minimum here) */
table.decisions :is(th, td):nth-child(2) {{ width: 170px; }}
table.decisions :is(th, td):nth-child(4), table.decisions :is(th, td):nth-child(5) {{ width: 100px; }}
table.decisions :is(th, td):nth-child(6) {{ width: 220px; }}
tr.overdue-row td {{ background: #fdecea; }}
.overdue {{ color: {STATUS_STYLES[Status.RED].hex}; }}
{verdicts}
@media print {{
  /* a little smaller on paper: three rows of cards, or a chart and its heading, to a page */
  .sheet {{ max-width: none; padding: 0; zoom: 0.88; }}
  .modebar-container, .modebar {{ display: none !important; }}
  .cover {{ min-height: 180mm; }}
}}
"""
