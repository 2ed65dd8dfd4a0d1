"""The brief's charts as PNG images, drawn on the server with matplotlib.

Matplotlib draws in-process with the system's Noto CJK font: no browser, no network
and no download at run time, and a chart costs a few tens of milliseconds (plotly's
static export would start a Chromium per call). The look follows the dashboard's
charts: exact values solid, approximate ones (余, 以上, 左右, 近) hatched and lighter;
over time, approximate points hollow and a period with nothing reported left as a gap.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from functools import lru_cache

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure  # drawn without pyplot: no global figure state
from matplotlib.patches import Patch
from PIL import Image

from metrics.model.periods import period_key
from present.brief.model import Bars, Series

# The first of these the machine has draws the text; Noto Sans CJK SC is Debian's
# fonts-noto-cjk, which .ci/run and docs/deploy.md install.
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
EXACT_COLOR = "#1f5fa8"
APPROX_COLOR = "#7fa7d6"
HIGHLIGHT_COLOR = "#c8553d"
LINE_COLORS = ("#1f5fa8", "#2e9c6a", "#e0a030", "#8e5ea2", "#c8553d", "#3b8ea5")
WIDTH_INCHES = 6.3  # the text width of an A4 page with 2.5 cm margins
DPI = 130
_BAR_INCHES = 0.32
_LABEL_CHARS = 30  # a region's name is cut after this many characters


def chart_font() -> str:
    """The name of the CJK font charts are drawn in (the first one installed)."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), "DejaVu Sans")


_FONT_POINTS = 8  # tick labels and value labels
_INCH = 72  # points


def _text_inches(label: str, points: float = _FONT_POINTS) -> float:
    """About how wide ``label`` is drawn: a Chinese character is one em, others 0.6."""
    ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in label)
    return ems * points / _INCH


def _figure(height: float, left_inches: float) -> Figure:
    """A figure with margins set by hand: matplotlib's constrained layout would draw
    the figure several times to find them, and doubles the time of a chart."""
    fig = Figure(figsize=(WIDTH_INCHES, height), dpi=DPI)
    fig.subplots_adjust(
        left=min(left_inches / WIDTH_INCHES, 0.5),
        right=0.97,
        top=1 - 0.4 / height,
        bottom=0.4 / height,
    )
    return fig


def _png(fig: Figure) -> bytes:
    """The figure as an RGB PNG: drawn once, without an alpha channel (which the PDF
    would re-encode), compressed lightly (a chart is mostly flat colour)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    pixels = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    buffer = io.BytesIO()
    pixels.convert("RGB").save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def _short(label: str, limit: int = _LABEL_CHARS) -> str:
    """``label`` cut to ``limit`` characters; what follows `` · `` (the period that tells
    a region's bars apart) is kept whole and the name before it is cut instead."""
    if len(label) <= limit:
        return label
    name, dot, tail = label.rpartition(" · ")
    if dot and len(tail) < limit // 2:
        return name[: limit - len(tail) - len(dot) - 1] + "…" + dot + tail
    return label[: limit - 1] + "…"


def _wrapped(text: str, inches: float, points: float) -> list[str]:
    """``text`` in lines no wider than ``inches`` at ``points``: broken between words,
    and inside a run of Chinese (which has no spaces) wherever it must."""
    lines, line = [], ""
    for token in re.findall(r"\S+\s*|\s+", text):
        if _text_inches(line + token.rstrip(), points) <= inches:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        for char in token:
            if _text_inches(line + char, points) > inches and line.strip():
                lines.append(line.rstrip())
                line = ""
            line += char
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _title(fig: Figure, axes: object, title: str) -> None:
    """The chart's title over the plot, wrapped to its width rather than cut off at
    the figure's edge."""
    params = fig.subplotpars
    inches = (params.right - params.left) * WIDTH_INCHES
    axes.set_title("\n".join(_wrapped(title, inches, 10)), fontsize=10, loc="left")


def bars_png(chart: Bars) -> bytes:
    """Horizontal bars, highest on top, each labelled with the value as reported."""
    count = len(chart.values)
    labels = [_short(label) for label in chart.labels]
    widest = max((_text_inches(label) for label in labels), default=0.5)
    fig = _figure(max(1.6, 0.9 + _BAR_INCHES * count), widest + 0.15)
    axes = fig.add_subplot()
    positions = list(range(count))[::-1]
    colors = [
        HIGHLIGHT_COLOR if own else (APPROX_COLOR if approx else EXACT_COLOR)
        for own, approx in zip(chart.highlight, chart.approximate, strict=True)
    ]
    bars = axes.barh(positions, chart.values, color=colors, height=0.7)
    for bar, approx in zip(bars, chart.approximate, strict=True):
        if approx:
            bar.set_hatch("///")
            bar.set_edgecolor("white")
    top = max(chart.values, default=0) or 1
    for position, value, shown in zip(positions, chart.values, chart.shown, strict=True):
        axes.text(value + top * 0.01, position, shown, va="center", fontsize=8)
    axes.set_yticks(positions, labels, fontsize=_FONT_POINTS)
    axes.set_xlim(0, top * 1.3)  # room for the value labels right of the longest bar
    axes.tick_params(axis="x", labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    _title(fig, axes, chart.title)
    handles = [Patch(color=EXACT_COLOR, label=chart.legend_exact)]
    handles.append(Patch(facecolor=APPROX_COLOR, hatch="///", label=chart.legend_approximate))
    axes.legend(handles=handles, fontsize=7, loc="lower right", frameon=False)
    return _png(fig)


def series_png(chart: Series) -> bytes:
    """One line per series over its periods; hollow points are approximate and a
    missing value (None) breaks the line."""
    fig = _figure(2.6, 0.7)
    axes = fig.add_subplot()
    periods = sorted({p for line in chart.lines for p in line.periods}, key=period_key)
    where = {period: index for index, period in enumerate(periods)}
    for number, line in enumerate(chart.lines):
        color = LINE_COLORS[number % len(LINE_COLORS)]
        xs = [where[p] for p in line.periods]
        ys = [math.nan if v is None else v for v in line.values]
        axes.plot(xs, ys, color=color, linewidth=1.6, label=_short(line.name))
        points = [
            (x, y, shown, approx)
            for x, y, shown, approx in zip(xs, ys, line.shown, line.approximate, strict=True)
            if not math.isnan(y)
        ]
        # One marker line per kind (filled exact, hollow approximate), not one per point.
        for hollow in (False, True):
            kind = [(x, y) for x, y, _, approx in points if approx is hollow]
            if kind:
                face = "white" if hollow else color
                axes.plot(*zip(*kind, strict=True), "o", markersize=6, linestyle="none",
                          markerfacecolor=face, color=color)  # fmt: skip
        for x, y, shown, _ in points:
            axes.annotate(shown, (x, y), textcoords="offset points", xytext=(0, 6),
                          ha="center", fontsize=7)  # fmt: skip
    axes.set_xticks(range(len(periods)), periods, fontsize=8)
    axes.set_xlim(-0.5, len(periods) - 0.5)
    axes.set_ylim(bottom=0, top=axes.get_ylim()[1] * 1.2)
    axes.tick_params(axis="y", labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    _title(fig, axes, chart.title)
    axes.set_ylabel(chart.unit, fontsize=8)
    if len(chart.lines) > 1:
        axes.legend(fontsize=7, frameon=False)
    return _png(fig)


@lru_cache(maxsize=64)
def chart_png(chart: Bars | Series) -> bytes:
    """The PNG image of a brief's chart. Charts are frozen values: the Word and the PDF
    file of one brief draw each chart once."""
    settings = {"font.family": [chart_font(), "DejaVu Sans"], "axes.unicode_minus": False}
    with matplotlib.rc_context(settings):
        return bars_png(chart) if isinstance(chart, Bars) else series_png(chart)
