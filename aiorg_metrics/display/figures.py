"""Plotly figures of the app, as pure functions of plain data (no Streamlit).

Conventions: every axis names its unit; a target is drawn as a line (minimum or
maximum) or a shaded band; a status is shown by colour *and* by a symbol or word in
the text, so a chart still reads in black and white.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from aiorg_metrics.common.periods import DAYS_PER_MONTH
from aiorg_metrics.display.styles import STATUS_STYLES, THEME_COLOURS
from aiorg_metrics.display.tables import STAGE_NAMES
from aiorg_metrics.display.wording import AXIS_TITLE, format_value, shown
from aiorg_metrics.kpi import Kpi, Unit
from aiorg_metrics.kpi.status import Status, Target, TargetKind

FONT = dict(family="Source Sans Pro, Helvetica, Arial, sans-serif", size=13, color=THEME_COLOURS["text"])
NEUTRAL = "#4f6d8f"
BAND_FILL = "rgba(46, 125, 50, 0.10)"
TARGET_LINE = STATUS_STYLES[Status.GREEN].hex
GUIDE_LINE = THEME_COLOURS["gray"]  # dotted reference lines (as-of date, thresholds)
GRID = "#e6eaef"
NONE_COLOUR = "#d5dae0"


# A small template of our own: plotly's stock templates are large and copied into every figure,
# which cost ~0.1 s per chart (the review page draws fifteen trend lines).
AXIS = dict(gridcolor=GRID, zeroline=False, linecolor="#c9d1da", ticks="", automargin=True,
            title=dict(font=dict(size=13)))
TEMPLATE = go.layout.Template(layout=dict(
    font=FONT, paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", xaxis=AXIS, yaxis=AXIS,
    hoverlabel=dict(font=dict(family=FONT["family"])), separators=".,",
))


def _layout(fig: go.Figure, height: int, **extra) -> go.Figure:
    settings = dict(template=TEMPLATE, height=height, margin=dict(l=10, r=10, t=30, b=10))
    fig.update_layout(**(settings | extra))
    return fig


def _draw_target(fig: go.Figure, target: Target | None, unit: Unit, axis: str = "y", label: bool = True) -> None:
    """The target as a shaded band or a line, on the value axis `axis` ("x" or "y")."""
    if target is None:
        return
    lo = shown(unit, target.min) if target.min is not None else None
    hi = shown(unit, target.max) if target.max is not None else None
    common = dict(annotation_text=f"target {_target_words(target, unit)}",
                  annotation_font=dict(size=11, color=TARGET_LINE)) if label else {}
    if target.kind is TargetKind.BAND:
        add = fig.add_hrect if axis == "y" else fig.add_vrect
        coords = dict(y0=lo, y1=hi) if axis == "y" else dict(x0=lo, x1=hi)
        if common:
            common["annotation_position"] = "top left"
        add(**coords, fillcolor=BAND_FILL, line_width=0, layer="below", **common)
        return
    line = fig.add_hline if axis == "y" else fig.add_vline
    value = lo if target.kind is TargetKind.MIN else hi
    coord = dict(y=value) if axis == "y" else dict(x=value)
    if common:
        common["annotation_position"] = "top left" if axis == "y" else "top right"
    line(**coord, line=dict(color=TARGET_LINE, dash="dash", width=1.5), layer="below", **common)


def _target_words(target: Target, unit: Unit) -> str:
    lo = f"{shown(unit, target.min):,.4g}" if target.min is not None else ""
    hi = f"{shown(unit, target.max):,.4g}" if target.max is not None else ""
    suffix = "%" if unit is Unit.PERCENT else (" " + AXIS_TITLE[unit] if unit in (Unit.MONTHS, Unit.EUR) else "")
    if target.kind is TargetKind.BAND:
        return f"{lo}–{hi}{suffix}"
    if target.kind is TargetKind.MIN:
        return f"{'>' if target.strict_min else '≥'} {lo}{suffix}"
    return f"≤ {hi}{suffix}"


# --- KPI cards ---------------------------------------------------------------------------


def _trend(kpi: Kpi, periods: Sequence[str], values: Sequence[float | None], target: Target | None,
           label: bool, width: int, marker: int) -> go.Figure:
    """A KPI's line over quarters with its target band or line, the value axis framing both."""
    ys = [None if v is None else shown(kpi.unit, v) for v in values]
    hover = [format_value(kpi, v, target) for v in values]
    fig = go.Figure(go.Scatter(
        x=list(periods), y=ys, mode="lines+markers", line=dict(color=NEUTRAL, width=width),
        marker=dict(size=marker, color=NEUTRAL), customdata=hover, connectgaps=False,
        hovertemplate="%{x}: %{customdata}<extra></extra>",
    ))
    _draw_target(fig, target, kpi.unit, label=label)
    known = [y for y in ys if y is not None]
    bounds = [shown(kpi.unit, b) for b in (target.min, target.max) if b is not None] if target else []
    span = known + bounds
    if span:
        lo, hi = min(span), max(span)
        pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1
        fig.update_yaxes(range=[lo - pad, hi + pad])
    fig.update_xaxes(type="category", fixedrange=True)
    fig.update_yaxes(fixedrange=True)
    return fig


def sparkline(kpi: Kpi, periods: Sequence[str], values: Sequence[float | None], target: Target | None) -> go.Figure:
    """A small trend line of a KPI over quarters, with its target band or line shaded."""
    fig = _trend(kpi, periods, values, target, label=False, width=2, marker=5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, 64, margin=dict(l=2, r=2, t=4, b=2), showlegend=False)


def trend_chart(kpi: Kpi, periods: Sequence[str], values: Sequence[float | None], target: Target | None,
                height: int = 280) -> go.Figure:
    """A KPI card's trend at the size of a slide: the same line and target as its sparkline, with the
    quarters, the values (axis named by the unit) and the target's words in large type."""
    fig = _trend(kpi, periods, values, target, label=True, width=4, marker=11)
    fig.update_layout(font=dict(size=16))
    fig.update_annotations(font_size=17)
    fig.update_yaxes(title=dict(text=AXIS_TITLE[kpi.unit], font=dict(size=17)))
    return _layout(fig, height, margin=dict(l=10, r=20, t=30, b=10), showlegend=False)


# --- hub & spoke -----------------------------------------------------------------------------

STATUS_ORDER = (Status.NO_DATA, Status.INFO, Status.GREEN, Status.AMBER, Status.RED)


def _wrap(text: str, width: int = 18) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


HEATMAP_LABEL_CHARS = 30  # a KPI's row label wraps past this many characters
HEATMAP_LABEL_PX = 230  # the width the wrapped row labels take
HEATMAP_COLUMN_PX = 84  # the narrowest a unit's column reads at (a symbol and a value)


def status_heatmap_width(matrix: pd.DataFrame) -> int:
    """The narrowest width (px) at which the grid of `matrix` reads: a narrower screen scrolls it."""
    return HEATMAP_LABEL_PX + HEATMAP_COLUMN_PX * max(matrix["unit"].nunique(), 1) + 20


def status_heatmap(matrix: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """KPIs (rows) × units (columns) coloured by status, each cell also showing its symbol and value;
    the column `highlight` (a selected team) is named in bold with a marker.

    `matrix`: long rows of unit, label, status, word, symbol, value, cell (see scorecard.status_matrix).
    """
    labels = list(dict.fromkeys(matrix["label"]))
    units = sorted(matrix["unit"].unique())
    rank = {s.value: i for i, s in enumerate(STATUS_ORDER)}
    cells = {(row["unit"], row["label"]): row for row in matrix.to_dict("records")}

    def grid(make, empty):
        return [[make(cells[(u, lab)]) if (u, lab) in cells else empty for u in units] for lab in labels]

    z = grid(lambda c: rank[c["status"]], None)
    text = grid(lambda c: c["cell"], "")
    hover = [[f"{lab}<br>{u}: {cells[(u, lab)]['value']} ({cells[(u, lab)]['word']})"
              if (u, lab) in cells else f"{lab}<br>{u}: not measured" for u in units] for lab in labels]
    n = len(STATUS_ORDER)
    scale = []
    for i, status in enumerate(STATUS_ORDER):
        colour = STATUS_STYLES[status].hex
        scale += [(i / n, colour), ((i + 1) / n, colour)]
    columns = [f"<b>▼ {_wrap(u, 14)}</b>" if u == highlight else _wrap(u, 16) for u in units]
    fig = go.Figure(go.Heatmap(
        z=z, x=columns, y=[_wrap(lab, HEATMAP_LABEL_CHARS) for lab in labels], text=text,
        texttemplate="%{text}", textfont=dict(size=13, color="white"), customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        colorscale=scale, zmin=-0.5, zmax=n - 0.5, showscale=False, xgap=3, ygap=3,
    ))
    fig.update_xaxes(side="top", tickangle=0, tickfont=dict(size=12), fixedrange=True)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=12), fixedrange=True)
    return _layout(fig, 90 + 38 * len(labels), margin=dict(l=10, r=10, t=60, b=10))


def _empty_words(status: str) -> str:
    return "nobody waiting" if status == Status.GREEN.value else "no use case"


def ai_team_queue(rows: pd.DataFrame, kpi: Kpi, target: Target | None) -> go.Figure:
    """Demand queue (median months waiting) by AI team, hub and spokes, against the maximum.

    `rows`: name, value (months or None), status, value_text, and optionally waiting (the queue's
    size, written beside the wait), in the order to show from the top.
    """
    data = rows.iloc[::-1] if "waiting" in rows else rows.sort_values("name", ascending=False)
    colours = [STATUS_STYLES[Status(s)].hex for s in data["status"]]
    text = [f"{STATUS_STYLES[Status(s)].symbol} {t if v is not None and not pd.isna(v) else _empty_words(s)}"
            for s, t, v in zip(data["status"], data["value_text"], data["value"], strict=True)]
    if "waiting" in data:
        text = [f"{t}<br>{n:,} waiting" if n else t for t, n in zip(text, data["waiting"], strict=True)]
    top = max([*data["value"].dropna().tolist(), target.max if target and target.max else 0, 1])
    # A bar longer than half the scale carries its words inside, so that they fit on a phone too.
    inside = ["inside" if v >= top / 2 else "outside" for v in data["value"].fillna(0)]
    fig = go.Figure(go.Bar(
        x=data["value"].fillna(0), y=data["name"], orientation="h", marker_color=colours, text=text,
        textposition=inside, insidetextanchor="end", insidetextfont=dict(color="white"), cliponaxis=False,
        outsidetextfont=dict(color=THEME_COLOURS["text"]), hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    if target is not None and target.max is not None:
        fig.add_vline(x=target.max, line=dict(color=TARGET_LINE, dash="dash", width=1.5),
                      annotation_text=f"target ≤ {target.max:g} months", annotation_position="bottom right",
                      annotation_font=dict(size=11, color=TARGET_LINE))
    room = 1.6 if "waiting" in data else 1.35  # the words of the bars outside fit beside them
    fig.update_xaxes(title_text="median wait of the queue (months)", range=[0, top * room], gridcolor=GRID)
    return _layout(fig, 110 + 44 * len(data), margin=dict(l=10, r=20, t=20, b=10), showlegend=False)


TEAM_COLOURS = ("#1f4e79", "#7b5ea7", "#2a9d8f", "#d17a22", "#8c564b", "#c2549d", "#5b8c2a", "#6b7785")


def _period_label(period: str, as_of: date | None) -> str:
    """ "Q3<br>2026": two short lines read without turning, even on a phone."""
    year, quarter = period.split("-")
    label = f"{quarter}<br>{year}"
    return f"{label}<br>data to {as_of:%d %b}" if as_of is not None and not pd.isna(as_of) else label


def ai_team_queue_trend(queue: pd.DataFrame, target: Target | None) -> go.Figure:
    """Per AI team, quarter by quarter: the median wait of its queue (top, against the maximum) and
    how many use cases wait in it (bottom). One colour per team, named in the legend.

    `queue`: period, name, waiting, value (months or None), status, value_text, as_of
    (see scorecard.ai_team_queue), in the order the legend lists them.
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.55, 0.45])
    periods = list(dict.fromkeys(queue["period"]))
    as_of = queue.groupby("period")["as_of"].first()
    ticks = [_period_label(p, as_of.get(p)) for p in periods]
    for i, (name, team) in enumerate(queue.groupby("name", sort=False)):
        colour = TEAM_COLOURS[i % len(TEAM_COLOURS)]
        words = [f"{STATUS_STYLES[Status(s)].symbol} {t if n else _empty_words(s)}"
                 for s, t, n in zip(team["status"], team["value_text"], team["waiting"], strict=True)]
        common = dict(x=[_period_label(p, a) for p, a in zip(team["period"], team["as_of"], strict=True)],
                      name=name, legendgroup=name, line=dict(color=colour, width=2.5 if i == 0 else 1.8),
                      marker=dict(color=colour, size=6), mode="lines+markers")
        fig.add_trace(go.Scatter(y=team["value"].tolist(), customdata=words, connectgaps=False,
                                 hovertemplate=f"{name}, %{{x}}: %{{customdata}}<extra></extra>", **common),
                      row=1, col=1)
        fig.add_trace(go.Scatter(y=team["waiting"].tolist(), showlegend=False,
                                 hovertemplate=f"{name}, %{{x}}: %{{y:,}} waiting<extra></extra>", **common),
                      row=2, col=1)
    if target is not None and target.max is not None:
        fig.add_hline(y=target.max, line=dict(color=STATUS_STYLES[Status.RED].hex, dash="dash", width=1.5),
                      annotation_text=f"{target.max:g} months: the guide's alert", annotation_position="top left",
                      annotation_font=dict(size=11, color=STATUS_STYLES[Status.RED].hex), row=1, col=1)
    top = max([*queue["value"].dropna().tolist(), target.max if target and target.max else 0, 1])
    fig.update_yaxes(title_text="median wait (months)", range=[0, top * 1.15], row=1, col=1)
    fig.update_yaxes(title_text="use cases waiting", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=ticks, fixedrange=True, tickangle=0)
    fig.update_yaxes(fixedrange=True)
    return _layout(fig, 560, margin=dict(l=10, r=10, t=20, b=10),
                   legend=dict(orientation="h", yanchor="top", y=-0.14, x=0, font=dict(size=12)))


def spoke_staffing(spokes: pd.DataFrame, band: tuple[float, float] | None) -> go.Figure:
    """AI staff of each AI spoke against the model's band (shaded)."""
    data = spokes.sort_values("team_name", ascending=False)
    inside = [band is not None and band[0] <= v <= band[1] for v in data["ai_staff"]]
    if band is None:
        colours, words = [NEUTRAL] * len(data), [""] * len(data)
    else:
        colours = [STATUS_STYLES[Status.GREEN if ok else Status.RED].hex for ok in inside]
        words = [" · ✓ in band" if ok else " · ✕ outside band" for ok in inside]
    fig = go.Figure(go.Bar(
        y=data["team_name"], x=data["ai_staff"], orientation="h", marker_color=colours,
        text=[f"{v}{w}" for v, w in zip(data["ai_staff"], words, strict=True)], textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{x} AI staff<extra></extra>",
    ))
    if band:
        fig.add_vrect(x0=band[0], x1=band[1], fillcolor=BAND_FILL, line_width=0, layer="below",
                      annotation_text=f"band {band[0]:g}–{band[1]:g} per spoke", annotation_position="bottom left",
                      annotation_font=dict(size=11, color=TARGET_LINE))
    top = max([*data["ai_staff"].tolist(), band[1] if band else 0, 1])
    fig.update_xaxes(title_text="AI staff in the spoke (people)", range=[0, top * 1.45], gridcolor=GRID, dtick=1)
    return _layout(fig, max(110 + 36 * len(data), 200), margin=dict(l=10, r=20, t=20, b=10), showlegend=False)


def org_treemap(picture: pd.DataFrame, highlight: str | None = None) -> go.Figure:
    """Business units → teams, sized by headcount, coloured by each team's status (see
    scorecard.org_picture), each tile naming its status and value; the team `highlight` (a team id)
    is named in bold with a marker."""
    colour = {s.value: STATUS_STYLES[s].hex for s in Status} | {"none": NONE_COLOUR}
    symbol = {s.value: STATUS_STYLES[s].symbol for s in Status} | {"none": "·"}
    ids, labels, parents, values, hover = ["org"], ["Organization"], [""], [0], [""]
    colours = [THEME_COLOURS["background"]]
    for unit, group in picture.groupby("business_unit", sort=True):
        ids.append(f"bu:{unit}")
        labels.append(str(unit))
        parents.append("org")
        values.append(0)
        colours.append(THEME_COLOURS["secondaryBackground"])
        hover.append(f"{unit}: {int(group['headcount'].sum()):,} people")
        for team in group.itertuples(index=False):
            reading = f"{symbol[team.status]} {team.value or team.word}"
            name = f"<b>▶ {team.team_name}</b>" if team.team_id == highlight else team.team_name
            ids.append(f"team:{team.team_id}")
            labels.append(f"{name}<br>{reading}")
            parents.append(f"bu:{unit}")
            values.append(max(int(team.headcount), 1))
            colours.append(colour[team.status])
            hover.append(f"{team.team_name} ({team.team_id}), {int(team.headcount):,} people<br>"
                         f"{team.word}{f': {team.value}' if team.value else ''}"
                         f" · {team.red} red, {team.amber} amber, {team.green} green team KPIs")
    fig = go.Figure(go.Treemap(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="remainder",
        marker=dict(colors=colours, line=dict(color="white", width=2)), customdata=hover,
        hovertemplate="%{customdata}<extra></extra>", textfont=dict(size=12), root_color="white",
        tiling=dict(pad=3), pathbar=dict(visible=False),
    ))
    return _layout(fig, 520, margin=dict(l=0, r=0, t=0, b=0))


# --- funnel ----------------------------------------------------------------------------------


def funnel(stages: pd.DataFrame) -> go.Figure:
    """The five stages as bars with their counts; under each stage's name, its % of the previous
    stage and % of the first (one neutral colour: the steps carry no status)."""
    labels = []
    for row in stages.itertuples(index=False):
        parts = []
        if not pd.isna(row.share_of_previous):
            parts.append(f"{row.share_of_previous:.0%} of previous")
        if row.stage != "identified" and not pd.isna(row.share_of_first):
            parts.append(f"{row.share_of_first:.0%} of identified")
        detail = f"<br><span style='font-size:11px;color:#4a5562'>{' · '.join(parts)}</span>" if parts else ""
        labels.append(f"<b>{STAGE_NAMES.get(row.stage, row.stage)}</b>{detail}")
    fig = go.Figure(go.Bar(
        y=labels, x=stages["reached"], orientation="h", text=[f"{n:,}" for n in stages["reached"]],
        textposition="outside", cliponaxis=False, textfont=dict(size=14),
        marker=dict(color=[NEUTRAL, "#5f83a9", "#7b9cc0", "#97b4d3", "#b3cbe4"]),
        hovertemplate="%{x} use cases<extra></extra>",
    ))
    top = max(int(stages["reached"].max()), 1)
    fig.update_yaxes(autorange="reversed", tickfont=dict(size=13))
    fig.update_xaxes(title_text="use cases (count)", range=[0, top * 1.15], gridcolor=GRID)
    return _layout(fig, 340, margin=dict(l=10, r=10, t=10, b=10), showlegend=False)


# --- skills & training ------------------------------------------------------------------------


def gap_heatmap(cells: pd.DataFrame) -> go.Figure:
    """Mean skill gap (required − assessed level) per skill × role; blank where the role needs no such skill."""
    matrix = cells.pivot(index="skill", columns="group", values="gap_mean")
    below = cells.pivot(index="skill", columns="group", values="below_required")
    people = cells.pivot(index="skill", columns="group", values="employees")
    matrix = matrix.loc[matrix.max(axis=1).sort_values().index]
    below, people = below.loc[matrix.index], people.loc[matrix.index]
    text = [[("" if pd.isna(v) else f"{v:+.1f}") for v in row] for row in matrix.to_numpy()]
    hover = [[("" if pd.isna(v) else f"{s} · {g}: mean gap {v:+.1f} levels; {int(b)} of {int(p)} below required")
              for g, v, b, p in zip(matrix.columns, row, brow, prow, strict=True)]
             for s, row, brow, prow in zip(matrix.index, matrix.to_numpy(), below.to_numpy(), people.to_numpy(),
                                           strict=True)]
    fig = go.Figure(go.Heatmap(
        z=matrix.to_numpy(), x=[str(c).replace("_", " ") for c in matrix.columns],
        y=[str(i).replace("_", " ") for i in matrix.index], text=text, texttemplate="%{text}",
        customdata=hover, hovertemplate="%{customdata}<extra></extra>",
        colorscale=[(0, "#2c6fb0"), (0.5, "#f7f7f7"), (1, "#c62828")], zmid=0, zmin=-2, zmax=2, xgap=2, ygap=1,
        colorbar=dict(title=dict(text="gap<br>(levels)"), tickvals=[-2, -1, 0, 1, 2],
                      ticktext=["-2 above", "-1", "0 at level", "+1", "+2 below"]),
    ))
    fig.update_xaxes(side="top")
    return _layout(fig, 120 + 20 * len(matrix), margin=dict(l=10, r=10, t=60, b=10))


def unit_bars(rows: pd.DataFrame, kpi: Kpi, target: Target | None, axis_title: str) -> go.Figure:
    """One KPI by business unit (or team) against its target, each bar with its status symbol and value.

    `rows`: name, value, status, value_text (no value: the bar is empty and says "no data").
    """
    data = rows.sort_values("name", ascending=False)
    xs = [None if pd.isna(v) else shown(kpi.unit, v) for v in data["value"]]
    colours = [STATUS_STYLES[Status(s)].hex for s in data["status"]]
    text = [f"{STATUS_STYLES[Status(s)].symbol} {t if x is not None else 'no data'}"
            for s, t, x in zip(data["status"], data["value_text"], xs, strict=True)]
    fig = go.Figure(go.Bar(
        y=[str(n) for n in data["name"]], x=[x or 0 for x in xs], orientation="h", marker_color=colours,
        text=text, textposition="auto", insidetextanchor="end", insidetextfont=dict(color="white"),
        outsidetextfont=dict(color=FONT["color"]), cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    _draw_target(fig, target, kpi.unit, axis="x", label=False)
    bounds = [shown(kpi.unit, b) for b in ((target.min, target.max) if target else ()) if b is not None]
    top = max([x for x in xs if x is not None] + bounds + [1])
    legend = ""
    if target is not None:
        drawn = "shaded band" if target.kind is TargetKind.BAND else "dashed line"
        legend = f"<br><span style='color:{TARGET_LINE}'>{drawn}: target {_target_words(target, kpi.unit)}</span>"
    fig.update_xaxes(title_text=axis_title + legend, range=[0, top * 1.3], gridcolor=GRID)
    return _layout(fig, 120 + 34 * len(data), margin=dict(l=10, r=20, t=40, b=10), showlegend=False)


def paths_timeline(paths: pd.DataFrame, as_of: date) -> go.Figure:
    """Reconversion paths as bars from start to completion (or to the quarter's end when ongoing),
    over the guide's duration window (light band from min to max months after the start)."""
    data = paths.sort_values(["start_date", "employee_id"], ascending=False).reset_index(drop=True)
    names = [f"{r.employee_id} · {str(r.path).replace('_', ' ')}" for r in data.itertuples(index=False)]
    fig = go.Figure()
    starts = pd.to_datetime(data["start_date"])
    guide_from = [s + timedelta(days=m * DAYS_PER_MONTH) for s, m in zip(starts, data["guide_min_months"], strict=True)]
    guide_to = [s + timedelta(days=m * DAYS_PER_MONTH) for s, m in zip(starts, data["guide_max_months"], strict=True)]
    fig.add_trace(go.Bar(
        y=names, x=[(b - a).total_seconds() * 1000 for a, b in zip(guide_from, guide_to, strict=True)],
        base=guide_from, orientation="h", marker=dict(color="rgba(46,125,50,0.15)",
                                                       line=dict(color=TARGET_LINE, width=1)),
        name="guide's duration (min–max)", hovertemplate="guide window %{base|%b %Y} → %{x}<extra></extra>",
        width=0.8,
    ))
    ends = [pd.Timestamp(c) if pd.notna(c) and pd.Timestamp(c).date() <= as_of else pd.Timestamp(as_of)
            for c in data["completed_date"]]
    on_track = data["on_track"].fillna(True).astype(bool)
    done = data["status"] == "completed"
    colours = [STATUS_STYLES[Status.GREEN].hex if ok else STATUS_STYLES[Status.RED].hex for ok in on_track]
    words = [("✓ " if ok else "✕ ") + ("completed" if d else "in progress") + f", {m:.1f} months"
             for ok, d, m in zip(on_track, done, data["elapsed_months"].fillna(0), strict=True)]
    fig.add_trace(go.Bar(
        y=names, x=[(e - s).total_seconds() * 1000 for s, e in zip(starts, ends, strict=True)], base=starts,
        orientation="h", marker=dict(color=colours), width=0.38, name="actual (✓ within, ✕ beyond the guide's max)",
        text=words, textposition="outside", cliponaxis=False, textfont=dict(size=11),
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line=dict(color=GUIDE_LINE, dash="dot"),
                  annotation_text=f"end of quarter ({as_of:%d %b %Y})", annotation_position="top")
    fig.update_layout(barmode="overlay", legend=dict(orientation="h", y=-0.08))
    fig.update_xaxes(type="date", title_text="date", gridcolor=GRID)
    return _layout(fig, 140 + 26 * len(data), margin=dict(l=10, r=170, t=40, b=10))


def coverage_vs_spend(teams: pd.DataFrame, spend_target: Target | None, coverage_below: float,
                      spend_below: float) -> go.Figure:
    """Per team: skills coverage against training spend per learner (12 months).

    Teams below both thresholds ("large gap, low spend") are red with a ✕ and named.
    """
    data = teams.dropna(subset=["coverage"]).copy()
    data["spend"] = data["spend_per_learner"].fillna(0)
    flagged = data["large_gap_low_spend"].astype(bool)
    fig = go.Figure()
    if spend_target is not None and spend_target.kind is TargetKind.BAND:
        fig.add_vrect(x0=spend_target.min, x1=spend_target.max, fillcolor=BAND_FILL, line_width=0, layer="below",
                      annotation_text=f"spend band {spend_target.min:,.0f}–{spend_target.max:,.0f} EUR",
                      annotation_position="top left", annotation_font=dict(size=11, color=TARGET_LINE))
    fig.add_hline(y=coverage_below * 100, line=dict(color=GUIDE_LINE, dash="dot"),
                  annotation_text=f"coverage {coverage_below:.0%}", annotation_position="bottom right")
    fig.add_vline(x=spend_below, line=dict(color=GUIDE_LINE, dash="dot"))
    for mask, name, colour, symbol in ((~flagged, "other teams", NEUTRAL, "circle"),
                                       (flagged, "✕ large gap, low spend", STATUS_STYLES[Status.RED].hex, "x")):
        part = data[mask]
        fig.add_trace(go.Scatter(
            x=part["spend"], y=part["coverage"] * 100, mode="markers+text" if colour != NEUTRAL else "markers",
            name=name,
            marker=dict(size=[8 + 2 * min(e, 12) for e in part["employees"]], color=colour, symbol=symbol,
                        line=dict(color="white", width=1)),
            text=part["team_name"].fillna(part["team_id"]), textposition="top center", textfont=dict(size=11),
            customdata=list(zip(part["employees"], part["learners"], strict=True)),
            hovertemplate="%{text}: coverage %{y:.0f}%, %{x:,.0f} EUR per learner<br>"
                          "%{customdata[0]} assessed, %{customdata[1]} learners<extra></extra>",
        ))
    fig.update_xaxes(title_text="training spend per learner, last 12 months (EUR)", rangemode="tozero",
                     gridcolor=GRID)
    fig.update_yaxes(title_text="skills coverage (%)", range=[0, 105], gridcolor=GRID)
    fig.update_layout(legend=dict(orientation="h", y=-0.2))
    return _layout(fig, 420)
