"""What both kinds of brief build with: the limits on what is listed, a number with its
reference, a chart over time and its table, bars, and the ``Brief`` itself."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd

from present.brief.model import Bars, Brief, Cell, Line, Quantity, Section, Table
from present.brief.references import References
from present.i18n import Lang, text
from present.pages import compare

# Long lists stop after this many rows and say how many more the data holds: a brief
# of a region with thousands of numbers must stay a few pages and build in seconds.
ROWS_SHOWN = 40
# Charts over time drawn in one brief (one per indicator, or one per comparison).
SERIES_SHOWN = 4
# Regions named in running text (not reported, no denominator).
NAMES_SHOWN = 40


def more_note(total: int, listed: int, lang: Lang) -> str:
    """The note that ``total - listed`` more are not listed; empty when none are left."""
    left = total - listed
    return text("brief.rows_more", lang, count=left) if left > 0 else ""


def cited_quantity(row: object, refs: References) -> Quantity:
    """The reported number of an observation row (``observation_view``) and its source."""
    return Quantity(str(row.shown), (refs.cite(row.source_id, row.quote),))


def period_text(value: object) -> str:
    """A period as written in a table: empty when none is stated."""
    return value if isinstance(value, str) else ""


def _dated(refs: References, lang: Lang, today: dt.date | None) -> str:
    """The newest date of the cited sources and the day the brief was made."""
    made = (today or dt.date.today()).isoformat()
    latest = refs.latest_date()
    if not latest:
        return text("brief.made_on", lang, made=made)
    return text("brief.dated", lang, latest=latest, made=made)


def series_line(name: str, points: pd.DataFrame) -> Line:
    """The points of one series (``period``, ``value``, ``shown``, ``approximate``) as a line."""
    values = tuple(None if pd.isna(v) else float(v) for v in points["value"])
    return Line(
        name,
        tuple(str(p) for p in points["period"]),
        values,
        tuple(str(s) if isinstance(s, str) else "" for s in points["shown"]),
        tuple(bool(a) is True for a in points["approximate"].fillna(False)),
    )


def series_table(
    points: pd.DataFrame, refs: References, lang: Lang, by_region: bool = False
) -> Table:
    """The points of a chart over time as numbers with references; a gap says so.
    ``by_region``: the points are of several regions, named in a first column."""
    columns = (text("word.period", lang), text("brief.col.number", lang))
    if by_region:
        columns = (text("word.region", lang), *columns)
    rows: list[tuple[Cell, ...]] = []
    kept = points.head(ROWS_SHOWN)
    for point in kept.itertuples():
        number = text("brief.not_reported", lang) if point.gap else cited_quantity(point, refs)
        row = (str(point.period), number)
        rows.append((str(point.region), *row) if by_region else row)
    return Table(columns, tuple(rows), more_note(len(points), len(kept), lang))


def value_bars(
    title: str,
    rows: pd.DataFrame,
    lang: Lang,
    highlight: str | None = None,
    total: int | None = None,
) -> Bars:
    """Bars of rows that have ``label`` (or ``region``), ``value``, ``shown``,
    ``approximate``; at most ``compare.CHART_LIMIT`` of them, highest first. ``total``
    is how many values there are in all, when ``rows`` holds only some."""
    top = compare.largest(rows)
    labels = top["label"] if "label" in top else top["region"]
    return Bars(
        title,
        tuple(str(label) for label in labels),
        tuple(float(v) for v in top["value"]),
        tuple(str(s) for s in top["shown"]),
        tuple(bool(a) for a in top["approximate"]),
        tuple(r == highlight for r in top["region_id"]),
        text("compare.legend_exact", lang),
        text("compare.legend_approx", lang),
        more_note(len(rows) if total is None else total, len(top), lang),
    )


def assemble_brief(
    kind: Literal["region", "indicator"],
    subject_id: str,
    title: str,
    subtitle: str,
    sections: list[Section],
    refs: References,
    lang: Lang,
    today: dt.date | None,
) -> Brief:
    """The whole brief: its sections, then the references they cite."""
    return Brief(
        lang=lang,
        kind=kind,
        subject_id=subject_id,
        title=title,
        subtitle=subtitle,
        dated=_dated(refs, lang, today),
        sections=tuple(sections),
        references_heading=text("brief.references", lang),
        quotes_label=text("brief.quotes", lang),
        references=refs.entries(lang),
        page_label=text("brief.page", lang),
    )
