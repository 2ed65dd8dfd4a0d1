"""Plotly figures of the dashboard. Each builder takes shaped rows and returns a figure,
so that tests can inspect exactly what will be drawn.

Plotly reads every text it draws (labels, legend, hover) as a little HTML, so text
from the data is escaped here. Approximate values (余, 以上, 左右, 近) are drawn hatched and
lighter than exact ones, and every bar's label says the value as reported.
"""

from __future__ import annotations

import html
import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from present.i18n import Lang, text
from present.quantities import display_number

# Fonts that hold Chinese characters come first; the browser takes the first it has.
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
)
EXACT_COLOR = "#1f5fa8"
APPROX_COLOR = "#7fa7d6"
STAGE_COLORS = ("#1f5fa8", "#2e9c6a", "#e0a030")
_HOVER_WIDTH = 28  # characters per line of a quote in a hover label
_BAR_HEIGHT = 34  # pixels per bar, so that long lists stay readable


def hover_safe(value: object, width: int = _HOVER_WIDTH) -> str:
    """Text for a hover label: HTML-escaped and wrapped with ``<br>``."""
    lines = textwrap.wrap(str(value), width=width) or [""]
    return "<br>".join(html.escape(line) for line in lines)


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        height=height,
        font={"family": FONT_FAMILY, "size": 13},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    return fig


def _nice_ticks(top: float, count: int = 4) -> list[float]:
    """About ``count`` round tick values from zero to past ``top``."""
    if top <= 0:
        return [0.0]
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _value_axis(top: float, lang: Lang) -> dict[str, object]:
    """Tick labels written as readers of ``lang`` write numbers (8,000万 or 80,000,000)."""
    ticks = _nice_ticks(top)
    return {"tickvals": ticks, "ticktext": [display_number(t, lang) for t in ticks]}


def _hover(rows: pd.DataFrame, lang: Lang) -> list[str]:
    source, quote = text("word.source", lang), text("word.quote", lang)
    return [
        f"<b>{html.escape(str(r.label))}</b>: {html.escape(str(r.shown))}<br>"
        f"{source}: {hover_safe(r.source)}<br>{quote}: {hover_safe(r.quote)}"
        for r in rows.itertuples()
    ]


def compare_bars(rows: pd.DataFrame, lang: Lang) -> go.Figure:
    """Horizontal bars of one indicator by region, highest on top.

    ``rows`` needs ``label``, ``value``, ``shown``, ``approximate``, ``source`` and
    ``quote``. Exact and approximate values are two traces, so the legend explains
    the hatching.
    """
    fig = go.Figure()
    groups = (
        (False, "compare.legend_exact", EXACT_COLOR, ""),
        (True, "compare.legend_approx", APPROX_COLOR, "/"),
    )
    for approximate, legend, color, pattern in groups:
        part = rows[rows["approximate"] == approximate]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                name=text(legend, lang),
                orientation="h",
                x=part["value"],
                y=part["label"].map(html.escape),
                text=part["shown"].map(html.escape),
                textposition="auto",
                marker={
                    "color": color,
                    "pattern": {"shape": pattern, "fgcolor": "#ffffff" if pattern else None},
                    "line": {"color": EXACT_COLOR, "width": 1},
                },
                hovertext=_hover(part, lang),
                hoverinfo="text",
            )
        )
    top = float(rows["value"].max()) if not rows.empty else 0.0
    labels = [html.escape(label) for label in rows["label"]]
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], title=None)
    fig.update_xaxes(**_value_axis(top, lang), title=None, range=[0, top * 1.05 or 1])
    fig.update_layout(showlegend=True, barmode="overlay")
    return _layout(fig, height=120 + _BAR_HEIGHT * max(len(rows), 1))


def problems_bars(rows: pd.DataFrame, lang: Lang) -> go.Figure:
    """Problems collected, solved on the spot and solved by a deadline, side by side
    for each region. ``rows`` is ``compare.problem_rows``."""
    fig = go.Figure()
    stages = rows.drop_duplicates("indicator_id")[["indicator_id", "indicator"]]
    for color, stage in zip(STAGE_COLORS, stages.itertuples(), strict=False):
        part = rows[rows["indicator_id"] == stage.indicator_id].assign(label=lambda f: f["region"])
        fig.add_trace(
            go.Bar(
                name=html.escape(str(stage.indicator)),
                x=part["region"].map(html.escape),
                y=part["value"],
                text=part["shown"].map(html.escape),
                textposition="auto",
                marker={"color": color},
                hovertext=_hover(part, lang),
                hoverinfo="text",
            )
        )
    top = float(rows["value"].max()) if not rows.empty else 0.0
    fig.update_yaxes(**_value_axis(top, lang), title=None)
    fig.update_xaxes(title=None)
    fig.update_layout(barmode="group")
    return _layout(fig, height=380)


# Lines over time: one colour per line, cycled; approximate points hollow, exact filled.
LINE_COLORS = ("#1f5fa8", "#2e9c6a", "#e0a030", "#c0504d", "#7b5ea7", "#3a9fbf", "#8c6d31")
APPROX_SYMBOL = "circle-open"
EXACT_SYMBOL = "circle"


def _series_hover(rows: pd.DataFrame, name: object, lang: Lang) -> list[str]:
    """The line's name, period and value as reported, source and quote (a gap: none)."""
    source, quote = text("word.source", lang), text("word.quote", lang)
    return [
        ""
        if r.gap
        else f"<b>{html.escape(str(name))}</b> · {html.escape(str(r.period))}: "
        f"{html.escape(str(r.shown))}<br>"
        f"{source}: {hover_safe(r.source)}<br>{quote}: {hover_safe(r.quote)}"
        for r in rows.itertuples()
    ]


def series_chart(rows: pd.DataFrame, lang: Lang, by: str = "indicator") -> go.Figure:
    """Values over time: one line with markers per ``by`` (an indicator, or a region
    when ``rows`` hold one indicator across regions), periods in time order.

    ``rows`` are series points (``region.region_series``, ``compare.indicator_series``):
    a gap row's value is drawn as None and ``connectgaps`` is off, so the line breaks
    at an unreported year instead of joining over it. Approximate values are hollow
    markers, exact ones filled. A figure of one line labels every point with the value
    as reported and has the line's name as its title; every point's hover gives the
    value, source and quote.
    """
    fig = go.Figure()
    ordered = rows.sort_values(["position", "period"], kind="stable")
    periods = [html.escape(str(p)) for p in dict.fromkeys(ordered["period"])]
    names = list(dict.fromkeys(rows[by]))
    single = len(names) == 1
    for number, name in enumerate(names):
        part = rows[rows[by] == name]
        color = LINE_COLORS[number % len(LINE_COLORS)]
        fig.add_trace(
            go.Scatter(
                name=html.escape(str(name)),
                x=[html.escape(str(p)) for p in part["period"]],
                y=[None if pd.isna(v) else float(v) for v in part["value"]],
                # Linear, not a step ("hv"): a step would say the value held until the
                # next report, which no article says (most values count a year's work,
                # not a standing stock). A segment joins two adjacent periods only: a
                # missing year is a gap row, which breaks the line.
                line={"shape": "linear", "color": color, "width": 2},
                connectgaps=False,
                mode="lines+markers+text" if single else "lines+markers",
                marker={
                    "symbol": [APPROX_SYMBOL if a else EXACT_SYMBOL for a in part["approximate"]],
                    "size": 10,
                    "color": color,
                    "line": {"color": color, "width": 2},
                },
                text=[html.escape(str(s)) for s in part["shown"]],
                textposition="top center",
                hovertext=_series_hover(part, name, lang),
                hoverinfo="text",
            )
        )
    values = rows["value"].dropna()
    top = float(values.max()) if not values.empty else 0.0
    units = list(dict.fromkeys(rows["unit"].dropna()))
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods, title=None)
    fig.update_yaxes(
        **_value_axis(top, lang),
        range=[0, top * 1.2 or 1],  # room above the highest point for its label
        title=html.escape(str(units[0])) if len(units) == 1 else None,
    )
    _layout(fig, height=300 if single else 420)
    if single:
        fig.update_layout(
            title={"text": html.escape(str(names[0])), "x": 0, "font": {"size": 14}},
            showlegend=False,
            margin={"t": 40},
        )
    return fig


def series_by_region(rows: pd.DataFrame, lang: Lang) -> go.Figure:
    """``series_chart`` with one line per region (``compare.indicator_series``)."""
    return series_chart(rows, lang, by="region")


def series_charts(rows: pd.DataFrame, lang: Lang) -> list[tuple[str, go.Figure]]:
    """One small chart per indicator of ``rows`` (``region.region_series``), in their
    order, each keyed by its indicator id: indicators have units of their own, so they
    never share an axis."""
    return [
        (str(indicator_id), series_chart(part, lang))
        for indicator_id, part in rows.groupby("indicator_id", sort=False)
    ]


# Up to this many points are numbered on the map; more would only cover each other.
MAP_LABELS = 30
# The map frames the points with this margin (degrees), and at least the real data's
# part of northern China when they all sit close together.
_MAP_MARGIN = 1.5
_MAP_MIN_SPAN = (13.5, 26.0)  # latitude, longitude


def _map_range(values: pd.Series, margin: float, span: float) -> list[float]:
    low, high = float(values.min()) - margin, float(values.max()) + margin
    if high - low < span:
        middle = (low + high) / 2
        low, high = middle - span / 2, middle + span / 2
    return [low, high]


def region_map(points: pd.DataFrame, lang: Lang) -> go.Figure:
    """The regions on a map, numbered as in ``points["marker"]`` when there are at most
    ``MAP_LABELS`` of them. The base map (Natural Earth, served by the dashboard) is the
    only geometry; regions that reported numbers are drawn larger and darker than those
    with practices only."""
    fig = go.Figure()
    numbered = len(points) <= MAP_LABELS
    with_numbers = points["observations"] > 0
    legends = (
        (True, text("overview.map_numbers", lang), EXACT_COLOR, 14),
        (False, text("overview.map_practices_only", lang), "#c0504d", 10),
    )
    for has_numbers, name, color, size in legends:
        part = points[with_numbers == has_numbers]
        if part.empty:
            continue
        fig.add_trace(
            go.Scattergeo(
                lon=part["lon"],
                lat=part["lat"],
                # Numbers, not names, beside the points: names would run into each
                # other on a phone. The list under the map says which number is which.
                text=part["marker"].astype(str) if numbered else None,
                mode="markers+text" if numbered else "markers",
                textposition="top right",
                textfont={"size": 12, "color": "#333333"},
                marker={"size": size, "color": color, "line": {"color": "#ffffff", "width": 1}},
                name=name,
                hovertext=[
                    f"<b>{html.escape(r.region)}</b><br>{text('word.observations', lang)}: "
                    f"{r.observations}<br>{text('word.practices', lang)}: {r.practices}"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
            )
        )
    fig.update_geos(
        scope="asia",
        resolution=50,
        lataxis_range=_map_range(points["lat"], _MAP_MARGIN, _MAP_MIN_SPAN[0])
        if len(points)
        else [33, 46.5],
        lonaxis_range=_map_range(points["lon"], _MAP_MARGIN, _MAP_MIN_SPAN[1])
        if len(points)
        else [101, 127],
        showcountries=True,
        countrycolor="#9a9a9a",
        showland=True,
        landcolor="#f4f1ea",
        showocean=True,
        oceancolor="#dbe8f5",
        showlakes=False,
        showcoastlines=True,
        coastlinecolor="#9a9a9a",
        showframe=False,
    )
    return _layout(fig, height=440)
