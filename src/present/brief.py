"""What a brief for a leader's report holds: a region, or one indicator across regions.

The brief is a plain document model (sections of paragraphs, tables and charts, then a
reference list) that the Word and PDF renderers of ``reports`` both draw, so both files
say the same thing. Every number is a ``Quantity``: the value as the dashboard writes it
(``2,000余人次``) with the numbers of its references; each reference is a source in
GB/T 7714 form with the quotes the brief took from it. A number the data does not have
is never written: the brief names what was not reported instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.tables import LIST_SEPARATOR
from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.tools.cite import gbt7714
from present.i18n import (
    Lang,
    family_name,
    join_names,
    lang_column,
    level_name,
    pick,
    text,
)
from present.pages import compare, region
from present.pages.practices import practice_view
from present.rows import (
    indicator_names,
    observation_view,
    region_names,
)

# Long lists stop after this many rows and say how many more the data holds: a brief
# of a region with thousands of numbers must stay a few pages and build in seconds.
ROWS_SHOWN = 40
# Quotes listed under one reference; the rest are counted.
QUOTES_SHOWN = 30
# Charts over time drawn in one brief (one per indicator, or one per comparison).
SERIES_SHOWN = 4
# Bars of the region among its peers: enough to place it, few enough to draw fast.
PEER_BARS = 15
# Regions named in running text (not reported, no denominator).
NAMES_SHOWN = 40


@dataclass(frozen=True)
class Quantity:
    """A number as the dashboard writes it, and the references it comes from.

    ``computed`` marks a number no article printed (a derived or per-unit measure)."""

    text: str
    refs: tuple[int, ...]
    computed: bool = False


Cell = str | Quantity


def refs_text(refs: tuple[int, ...]) -> str:
    """`` [1]`` or `` [1, 3]``: the reference marks after a number; empty for none."""
    return f" [{', '.join(str(n) for n in refs)}]" if refs else ""


def written(cell: Cell) -> str:
    """A cell as both renderers write it: ``2,000余人次 [1]`` for a number."""
    return cell.text + refs_text(cell.refs) if isinstance(cell, Quantity) else cell


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``kind``: body, note (smaller), warning, or name (a practice's)."""

    text: str
    refs: tuple[int, ...] = ()
    kind: Literal["body", "note", "warning", "name"] = "body"


@dataclass(frozen=True)
class Table:
    """A table; ``more`` says how many rows were left out (empty when none)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    more: str = ""


def table(columns: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...], more: str = "") -> Table:
    """A table without the columns that are empty in every row (no period stated)."""
    if not rows:
        return Table(columns, rows, more)
    kept = [i for i in range(len(columns)) if any(row[i] != "" for row in rows)]
    return Table(
        tuple(columns[i] for i in kept), tuple(tuple(row[i] for i in kept) for row in rows), more
    )


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, highest first; approximate values are drawn hatched."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    shown: tuple[str, ...]
    approximate: tuple[bool, ...]
    highlight: tuple[bool, ...]
    legend_exact: str
    legend_approximate: str
    more: str = ""


@dataclass(frozen=True)
class Line:
    """One line of a chart over time; ``values`` holds None at a gap."""

    name: str
    periods: tuple[str, ...]
    values: tuple[float | None, ...]
    shown: tuple[str, ...]
    approximate: tuple[bool, ...]


@dataclass(frozen=True)
class Series:
    """A chart over time: one or more lines of one unit; hollow points are approximate."""

    title: str
    unit: str
    lines: tuple[Line, ...]
    note: str


Block = Paragraph | Table | Bars | Series


@dataclass(frozen=True)
class Section:
    """A heading and what follows it; ``level`` 2 is a sub-heading."""

    heading: str
    blocks: tuple[Block, ...]
    level: int = 1


@dataclass(frozen=True)
class Reference:
    """An entry of the reference list: ``[number] citation`` and the quotes used."""

    number: int
    source_id: str
    citation: str
    quotes: tuple[str, ...]
    more_quotes: str = ""


@dataclass(frozen=True)
class Brief:
    """The whole brief, in one language, ready to render."""

    lang: Lang
    kind: Literal["region", "indicator"]
    subject_id: str
    title: str
    subtitle: str
    dated: str  # "数据截至 … · 生成于 …"
    sections: tuple[Section, ...]
    references_heading: str
    quotes_label: str
    references: tuple[Reference, ...]
    page_label: str  # "第 {page} 页" / "Page {page}"

    @property
    def file_stem(self) -> str:
        """``brief-region-kezuozhong-zh``: a file name for the brief."""
        return f"brief-{self.kind}-{self.subject_id}-{self.lang}"


@dataclass
class _References:
    """Numbers the sources in the order the brief first cites them, and keeps the
    quotes it took from each."""

    dataset: Dataset
    numbers: dict[str, int] = field(default_factory=dict)
    quotes: dict[str, list[str]] = field(default_factory=dict)

    def cite(self, source_id: str, quote: object = None) -> int:
        """The reference number of ``source_id``, noting ``quote`` under it."""
        number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
        kept = self.quotes.setdefault(source_id, [])
        if isinstance(quote, str) and quote and quote not in kept:
            kept.append(quote)
        return number

    def entries(self, lang: Lang) -> tuple[Reference, ...]:
        sources = self.dataset.sources.set_index("source_id")
        entries = []
        for source_id, number in self.numbers.items():
            record = {**sources.loc[source_id].to_dict(), "source_id": source_id}
            quotes = self.quotes[source_id]
            more = len(quotes) - QUOTES_SHOWN
            entries.append(
                Reference(
                    number,
                    source_id,
                    gbt7714(record),
                    tuple(quotes[:QUOTES_SHOWN]),
                    text("brief.quotes_more", lang, count=more) if more > 0 else "",
                )
            )
        return tuple(entries)

    def latest_date(self) -> str:
        """The newest date among the cited sources (ISO partial dates sort as text)."""
        dates = self.dataset.sources.set_index("source_id")["date"]
        cited = [str(dates[s]) for s in self.numbers if isinstance(dates.get(s), str)]
        return max(cited, default="")


def _more(total: int, shown: int, lang: Lang) -> str:
    left = total - shown
    return text("brief.rows_more", lang, count=left) if left > 0 else ""


def _quantity(row: object, refs: _References) -> Quantity:
    """The reported number of an observation row (``observation_view``) and its source."""
    return Quantity(str(row.shown), (refs.cite(row.source_id, row.quote),))


def _period(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dated(refs: _References, lang: Lang, today: dt.date | None) -> str:
    made = (today or dt.date.today()).isoformat()
    latest = refs.latest_date()
    if not latest:
        return text("brief.made_on", lang, made=made)
    return text("brief.dated", lang, latest=latest, made=made)


# --- a region --------------------------------------------------------------------------


def _numbers_sections(numbers: pd.DataFrame, refs: _References, lang: Lang) -> list[Section]:
    """One sub-section per family: indicator, number with its reference, period."""
    columns = (text("word.indicator", lang), text("brief.col.number", lang))
    columns += (text("word.period", lang),)
    sections, shown, left_out, families_left_out = [], 0, 0, []
    for family, rows in numbers.groupby("family", sort=False):
        kept = rows.head(max(ROWS_SHOWN - shown, 0))
        if kept.empty:  # past the limit: counted in one note, not one heading each
            left_out += len(rows)
            families_left_out.append(str(family))
            continue
        shown += len(kept)
        table_rows = tuple(
            (str(r.indicator), _quantity(r, refs), _period(r.period)) for r in kept.itertuples()
        )
        more = _more(len(rows), len(kept), lang)
        sections.append(Section(str(family), (table(columns, table_rows, more),), level=2))
    if left_out:
        names = join_names(families_left_out, lang)
        note = Paragraph(
            text("brief.families_more", lang, count=left_out, names=names), kind="note"
        )
        sections.append(Section(text("brief.more_heading", lang), (note,), level=2))
    return sections


def measure_formula(
    measure_id: str, dataset: Dataset, lang: Lang, names: dict[str, str] | None = None
) -> str:
    """How a derived measure is computed, in words: ``A ÷ B × 100%``. ``names`` are the
    indicator names in ``lang``, when the caller has them already."""
    measure = next(m for m in DERIVED_MEASURES if m.id == measure_id)
    names = names if names is not None else indicator_names(dataset, lang)
    operator = {"sum": " + ", "product": " × ", "ratio": " + "}[measure.operation]
    top = operator.join(names.get(i, i) for i in measure.inputs)
    if measure.operation != "ratio":
        return top
    bottom = " + ".join(names.get(i, i) for i in measure.denominator)
    if len(measure.inputs) > 1:
        top = f"({top})"
    if len(measure.denominator) > 1:
        bottom = f"({bottom})"
    scale = " × 100%" if measure.scale == 100.0 else ""
    return f"{top} ÷ {bottom}{scale}"


def _derived_section(
    dataset: Dataset, derived: pd.DataFrame, region_id: str, refs: _References, lang: Lang
) -> Section:
    rows = region.region_derived(derived, dataset, region_id, lang)
    if rows.empty:
        return Section(text("region.derived", lang), (Paragraph(text("region.no_derived", lang)),))
    used = {i for ids in rows["observation_ids"] for i in ids.split(LIST_SEPARATOR)}
    observations = dataset.observations
    inputs = observations[observations["observation_id"].isin(used)]
    quote_of = dict(zip(inputs["observation_id"], inputs["quote"], strict=True))
    source_of = dict(zip(inputs["observation_id"], inputs["source_id"], strict=True))
    table_rows = []
    names = indicator_names(dataset, lang)
    for row in rows.head(ROWS_SHOWN).itertuples():
        inputs = row.observation_ids.split(LIST_SEPARATOR)
        cited = sorted({refs.cite(source_of[i], quote_of[i]) for i in inputs})
        formula = measure_formula(row.measure_id, dataset, lang, names)
        table_rows.append((str(row.measure), Quantity(str(row.shown), tuple(cited), True), formula))
    columns = (text("word.measure", lang), text("word.computed", lang))
    columns += (text("brief.col.how", lang),)
    return Section(
        text("region.derived", lang),
        (
            Paragraph(text("brief.derived_note", lang), kind="note"),
            table(columns, tuple(table_rows), _more(len(rows), ROWS_SHOWN, lang)),
        ),
    )


def _series_blocks(dataset: Dataset, region_id: str, refs: _References, lang: Lang) -> list[Block]:
    """One chart over time per indicator the region reported for two periods or more."""
    series = region.region_series(dataset, region_id, lang)
    blocks: list[Block] = []
    indicators = list(dict.fromkeys(series["indicator_id"]))
    for indicator_id in indicators[:SERIES_SHOWN]:
        points = series[series["indicator_id"] == indicator_id]
        for point in points[~points["gap"]].itertuples():
            refs.cite(point.source_id, point.quote)
        line = _line(str(points["indicator"].iloc[0]), points)
        blocks.append(
            Series(line.name, str(points["unit"].iloc[0]), (line,), text("brief.hollow", lang))
        )
        blocks.append(_series_table(points, refs, lang))
    if len(indicators) > SERIES_SHOWN:
        blocks.append(Paragraph(_more(len(indicators), SERIES_SHOWN, lang), kind="note"))
    return blocks


def _line(name: str, points: pd.DataFrame) -> Line:
    values = tuple(None if pd.isna(v) else float(v) for v in points["value"])
    return Line(
        name,
        tuple(str(p) for p in points["period"]),
        values,
        tuple(str(s) if isinstance(s, str) else "" for s in points["shown"]),
        tuple(bool(a) is True for a in points["approximate"].fillna(False)),
    )


def _series_table(
    points: pd.DataFrame, refs: _References, lang: Lang, by_region: bool = False
) -> Table:
    """The points of a chart over time as numbers with references; a gap says so.
    ``by_region``: the points are of several regions, named in a first column."""
    columns = (text("word.period", lang), text("brief.col.number", lang))
    if by_region:
        columns = (text("word.region", lang), *columns)
    rows: list[tuple[Cell, ...]] = []
    kept = points.head(ROWS_SHOWN)
    for point in kept.itertuples():
        number = text("brief.not_reported", lang) if point.gap else _quantity(point, refs)
        row = (str(point.period), number)
        rows.append((str(point.region), *row) if by_region else row)
    return Table(columns, tuple(rows), _more(len(points), len(kept), lang))


@dataclass(frozen=True)
class _Peers:
    """What the region's level reported of its indicators: ``head``, the first rows
    (the indicators most other regions reported first, in each the region's own rows,
    then the others, highest first); ``main``, the rows of the first indicator for
    its bars (``main_total`` of them in all); ``total``, how many rows there are in all."""

    head: pd.DataFrame
    main: pd.DataFrame
    main_total: int
    total: int


def _sorted_rows(own: pd.DataFrame, others: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The region's own rows, then the ``limit`` highest others (both highest first)."""
    top = others.nlargest(max(limit - len(own), 0), "value", keep="first")
    return pd.concat([own.sort_values("value", ascending=False, kind="stable"), top])


def _peers(dataset: Dataset, region_id: str) -> _Peers | None:
    """The observations of the same level's other regions for the indicators the
    region reported, or None when no other region of its level reported any. Sorts only
    the rows it keeps: at 100,000 observations a level holds tens of thousands."""
    observations = dataset.observations
    regions = dataset.regions
    level = regions.loc[regions["region_id"] == region_id, "level"]
    peers = set(regions.loc[regions["level"].isin(level), "region_id"]) - {region_id}
    own = observations[observations["region_id"] == region_id]
    wanted = observations["indicator_id"].isin(set(own["indicator_id"]))
    others = observations[wanted & observations["region_id"].isin(peers)]
    if others.empty:
        return None
    # The indicators most other regions reported come first: the main comparisons.
    reach = others.groupby("indicator_id")["region_id"].nunique().reset_index()
    order = reach.sort_values(["region_id", "indicator_id"], ascending=[False, True])
    own = own[own["indicator_id"].isin(reach["indicator_id"])]
    kept, left, main, main_total = [], ROWS_SHOWN, None, 0
    for indicator_id in order["indicator_id"]:
        if left <= 0:
            break
        own_rows = own[own["indicator_id"] == indicator_id]
        other_rows = others[others["indicator_id"] == indicator_id]
        rows = _sorted_rows(own_rows, other_rows, max(left, PEER_BARS))
        if main is None:
            main, main_total = rows, len(own_rows) + len(other_rows)
        kept.append(rows.head(left))
        left -= len(kept[-1])
    return _Peers(pd.concat(kept), main, main_total, len(own) + len(others))


def _peer_section(dataset: Dataset, region_id: str, refs: _References, lang: Lang) -> Section:
    heading = text("brief.peers", lang)
    levels = dataset.regions.set_index("region_id")["level"]
    level = level_name(levels[region_id], lang) if isinstance(levels.get(region_id), str) else ""
    peers = _peers(dataset, region_id)
    if peers is None:
        return Section(heading, (Paragraph(text("brief.no_peers", lang, level=level)),))
    shown = observation_view(dataset, lang, peers.head)
    columns = (text("word.indicator", lang), text("word.region", lang))
    columns += (text("brief.col.number", lang), text("word.period", lang))
    rows = tuple(
        (str(r.indicator), str(r.region), _quantity(r, refs), _period(r.period))
        for r in shown.itertuples()
    )
    blocks: list[Block] = [
        Paragraph(text("brief.peers_note", lang, level=level), kind="note"),
        _peer_bars(dataset, peers, region_id, lang),
        table(columns, rows, _more(peers.total, len(shown), lang)),
    ]
    return Section(heading, tuple(blocks))


def _peer_bars(dataset: Dataset, peers: _Peers, region_id: str, lang: Lang) -> Bars:
    """The main comparison as bars: the indicator most peers reported, the region's own
    values (highlighted) among the highest of the others."""
    main = peers.main
    own = main[main["region_id"] == region_id]
    others = main[main["region_id"] != region_id].head(max(PEER_BARS - len(own), 0))
    rows = observation_view(dataset, lang, pd.concat([own, others]))
    repeated = rows["region_id"].duplicated(keep=False)
    when = rows["period"].fillna(rows["source_id"]).astype(str)
    rows["label"] = rows["region"].where(~repeated, rows["region"] + " · " + when)
    return _bars(str(rows["indicator"].iloc[0]), rows, lang, region_id, total=peers.main_total)


def _bars(
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
        _more(len(rows) if total is None else total, len(top), lang),
    )


def _practice_blocks(dataset: Dataset, region_id: str, refs: _References, lang: Lang) -> list:
    ids = set(region.region_practice_ids(dataset, region_id))
    practices = dataset.practices[dataset.practices["practice_id"].isin(ids)]
    if practices.empty:
        return [Paragraph(text("region.no_practices", lang))]
    shown = practice_view(dataset, lang, practices.head(ROWS_SHOWN))
    blocks: list[Block] = []
    for practice in shown.itertuples():
        number = refs.cite(practice.source_id, practice.quote)
        named = text("brief.practice_name", lang, name=practice.name, region=practice.region)
        blocks.append(Paragraph(named, kind="name"))
        blocks.append(Paragraph(str(practice.summary), (number,)))
    more = _more(len(practices), len(shown), lang)
    if more:
        blocks.append(Paragraph(more, kind="note"))
    return blocks


def region_brief(
    dataset: Dataset,
    derived: pd.DataFrame,
    region_id: str,
    lang: Lang,
    today: dt.date | None = None,
) -> Brief:
    """The brief of one region: its place, its numbers by family, the derived measures,
    its numbers over time, what it did not report, its practices, how its numbers sit
    among the regions of its level, and every source it is described in.

    ``derived`` is the derived-measure table to use (the dashboard's ``data.derived``).
    Raises ``KeyError`` for an unknown region."""
    if region_id not in set(dataset.regions["region_id"]):
        raise KeyError(region_id)
    refs = _References(dataset)
    names = region_names(dataset, lang)
    numbers = region.region_numbers(dataset, region_id, lang)
    below = region.descendants(dataset, region_id)
    level = dataset.regions.set_index("region_id").at[region_id, "level"]
    place = [Paragraph(text("brief.level", lang, level=level_name(level, lang)))]
    if below:
        children = join_names([names[r] for r in below], lang, NAMES_SHOWN)
        place.append(Paragraph(text("region.children", lang, names=children), kind="note"))
    sections = [Section(text("region.hierarchy", lang), tuple(place))]

    if numbers.empty:
        sections.append(
            Section(text("region.numbers", lang), (Paragraph(text("region.no_numbers", lang)),))
        )
    else:
        sections.append(Section(text("region.numbers", lang), ()))
        sections.extend(_numbers_sections(numbers, refs, lang))
        missing = region.families_not_reported(dataset, region_id, lang)
        if missing:
            names_missing = join_names(missing, lang)
            note = Paragraph(text("region.family_missing", lang, names=names_missing))
            sections.append(Section(text("brief.not_reported_heading", lang), (note,)))
        sections.append(_derived_section(dataset, derived, region_id, refs, lang))
        series = _series_blocks(dataset, region_id, refs, lang)
        if series:
            sections.append(Section(text("region.over_time", lang), tuple(series)))
        sections.append(_peer_section(dataset, region_id, refs, lang))

    sections.append(
        Section(
            text("region.practices", lang), tuple(_practice_blocks(dataset, region_id, refs, lang))
        )
    )
    source_ids = region.region_source_ids(dataset, region_id)
    listed = [Paragraph(_source_title(dataset, s), (refs.cite(s),)) for s in source_ids]
    if not listed:
        listed = [Paragraph(text("region.no_sources", lang))]
    sections.append(Section(text("region.sources", lang), tuple(listed)))
    return _brief(
        "region", region_id, text("brief.region_title", lang, region=names[region_id]),
        region.hierarchy_text(dataset, region_id, lang), sections, refs, lang, today,
    )  # fmt: skip


def _source_title(dataset: Dataset, source_id: str) -> str:
    sources = dataset.sources.set_index("source_id")
    title = str(sources.at[source_id, "title"])
    return f"[{title}]" if sources.at[source_id, "title_supplied"] is True else title


def _brief(
    kind: Literal["region", "indicator"],
    subject_id: str,
    title: str,
    subtitle: str,
    sections: list[Section],
    refs: _References,
    lang: Lang,
    today: dt.date | None,
) -> Brief:
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


# --- one indicator across regions -------------------------------------------------------


def _indicator_overview(dataset: Dataset, indicator_id: str, lang: Lang) -> list[Block]:
    indicator = dataset.indicators.set_index("indicator_id").loc[indicator_id]
    family = family_name(indicator["family"], lang)
    blocks: list[Block] = [Paragraph(text("brief.indicator_family", lang, family=family))]
    definition = indicator.get(lang_column("definition", lang))
    if isinstance(definition, str) and definition:
        blocks.append(Paragraph(definition, kind="note"))
    return blocks


def _value_table(rows: pd.DataFrame, refs: _References, lang: Lang) -> Table:
    columns = (text("word.region", lang), text("word.level", lang))
    columns += (text("brief.col.number", lang), text("word.period", lang))
    kept = rows.head(ROWS_SHOWN)
    body = tuple(
        (str(r.region), str(r.level), _quantity(r, refs), _period(r.period))
        for r in kept.itertuples()
    )
    return table(columns, body, _more(len(rows), len(kept), lang))


def _per_unit_blocks(
    dataset: Dataset, rows: pd.DataFrame, indicator_id: str, refs: _References, lang: Lang
) -> list[Block]:
    """Each value per unit of a denominator the same region reported, where any did."""
    blocks: list[Block] = []
    for denominator, per in compare.DENOMINATORS.items():
        if denominator == indicator_id:
            continue
        per_unit, without = compare.per_unit_rows(dataset, rows, denominator, lang)
        heading = text("compare.per_unit", lang, denominator=pick(per, lang))
        if per_unit.empty:
            blocks.append(Paragraph(heading, kind="name"))
            blocks.append(
                Paragraph(text("compare.per_unit_none", lang, denominator=pick(per, lang)))
            )
            continue
        columns = (text("word.region", lang), text("word.computed", lang))
        columns += (text("word.numerator", lang), text("word.denominator", lang))
        body = []
        for r in per_unit.head(ROWS_SHOWN).itertuples():
            top = refs.cite(r.source_id, r.quote)
            bottom = refs.cite(r.denominator_source_id, r.denominator_quote)
            body.append(
                (
                    str(r.region),
                    Quantity(str(r.computed), tuple(sorted({top, bottom})), True),
                    Quantity(str(r.numerator), (top,)),
                    Quantity(str(r.denominator), (bottom,)),
                )
            )
        blocks.append(Paragraph(heading, kind="name"))
        blocks.append(table(columns, tuple(body), _more(len(per_unit), ROWS_SHOWN, lang)))
        if without:
            names = join_names(without, lang, NAMES_SHOWN)
            missing = text(
                "compare.per_unit_missing", lang, denominator=pick(per, lang), names=names
            )
            blocks.append(Paragraph(missing, kind="note"))
    return blocks


def _over_time_blocks(
    dataset: Dataset, rows: pd.DataFrame, refs: _References, lang: Lang
) -> list[Block]:
    """One chart over time of the regions that reported the indicator for two periods
    or more (the most points first), when any did."""
    series = compare.indicator_series(dataset, rows)
    if series.empty:
        return []
    # The regions with the most points first.
    points_of = series[~series["gap"]].groupby("region_id", sort=False)["period"].count()
    regions = list(points_of.sort_values(ascending=False, kind="stable").index)
    drawn = series[series["region_id"].isin(regions[:SERIES_SHOWN])]
    lines = [
        _line(str(points["region"].iloc[0]), points)
        for _, points in drawn.groupby("region_id", sort=False)
    ]
    unit = str(rows["unit"].iloc[0])
    hollow = text("brief.hollow", lang)
    blocks: list[Block] = [
        Series(text("region.over_time", lang), unit, tuple(lines), hollow),
        _series_table(drawn, refs, lang, by_region=True),
    ]
    if len(regions) > SERIES_SHOWN:
        blocks.append(Paragraph(_more(len(regions), SERIES_SHOWN, lang), kind="note"))
    return blocks


def indicator_brief(
    dataset: Dataset,
    indicator_id: str,
    lang: Lang,
    period: str | None = None,
    level: str | None = None,
    today: dt.date | None = None,
) -> Brief:
    """The brief of one indicator across every region that reported it: the values with
    their levels flagged, the regions that did not report it, the per-unit view where
    the data has a denominator, the values over time, and the sources.

    As the Compare page's pickers: ``level`` keeps one administrative level; ``period``
    one period, or with ``compare.LATEST_PERIOD`` each region's latest (None or
    ``compare.ALL_PERIODS``: all). The chart over time keeps every period of the level.
    Raises ``KeyError`` for an unknown indicator."""
    if indicator_id not in set(dataset.indicators["indicator_id"]):
        raise KeyError(indicator_id)
    refs = _References(dataset)
    name = indicator_names(dataset, lang)[indicator_id]
    all_rows = compare.within_level(compare.indicator_rows(dataset, indicator_id, lang), level)
    period = None if period == compare.ALL_PERIODS else period
    latest = period == compare.LATEST_PERIOD
    rows = compare.within_period(all_rows, None if latest else period, latest)
    rows = rows.reset_index(drop=True)
    sections = [
        Section(
            text("brief.indicator_about", lang),
            tuple(_indicator_overview(dataset, indicator_id, lang)),
        )
    ]
    values: list[Block] = []
    if rows.empty:
        values.append(Paragraph(text("compare.nobody", lang)))
    else:
        levels = compare.levels_present(rows)
        if len(levels) > 1:
            mixed = text("compare.levels_mixed", lang, levels=compare.level_names(levels, lang))
            values.append(Paragraph(mixed, kind="warning"))
        values.append(_bars(name, rows, lang))
        values.append(_value_table(rows, refs, lang))
    missing = compare.regions_not_reporting(dataset, rows, lang)
    if missing:
        names = join_names(missing, lang, NAMES_SHOWN)
        values.append(Paragraph(text("compare.not_reported", lang, names=names), kind="note"))
    sections.append(Section(text("compare.chart", lang), tuple(values)))
    if not rows.empty:
        per_unit = _per_unit_blocks(dataset, rows, indicator_id, refs, lang)
        if per_unit:
            sections.append(Section(text("brief.per_unit_heading", lang), tuple(per_unit)))
        over_time = _over_time_blocks(dataset, all_rows, refs, lang)
        if over_time:
            sections.append(Section(text("region.over_time", lang), tuple(over_time)))
    subtitle = _choices_text(period, level, lang)
    return _brief(
        "indicator", indicator_id, text("brief.indicator_title", lang, indicator=name),
        subtitle, sections, refs, lang, today,
    )  # fmt: skip


def _choices_text(period: str | None, level: str | None, lang: Lang) -> str:
    """``时期：2020 · 县级`` -- what the brief was narrowed to."""
    if period == compare.LATEST_PERIOD:
        when = text("compare.period_latest", lang)
    elif period:
        when = text("brief.period", lang, period=period)
    else:
        when = text("brief.all_periods", lang)
    return f"{when} · {level_name(level, lang)}" if level else when
