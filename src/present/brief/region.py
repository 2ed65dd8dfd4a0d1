"""The brief of one region: its numbers by family, derived measures, numbers over time,
its place among the regions of its level, its practices and its sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.tables import LIST_SEPARATOR
from metrics.pipeline.derive import DERIVED_MEASURES
from present.brief.model import (
    Bars,
    Block,
    Brief,
    Paragraph,
    Quantity,
    Section,
    Series,
    table,
)
from present.brief.references import References
from present.brief.shared import (
    NAMES_SHOWN,
    ROWS_SHOWN,
    SERIES_SHOWN,
    assemble_brief,
    cited_quantity,
    more_note,
    period_text,
    series_line,
    series_table,
    value_bars,
)
from present.i18n import Lang, join_names, level_name, text
from present.pages import region
from present.pages.practices import practice_view
from present.rows import indicator_names, observation_view, region_names

# Bars of the region among its peers: enough to place it, few enough to draw fast.
PEER_BARS = 15


def _numbers_sections(numbers: pd.DataFrame, refs: References, lang: Lang) -> list[Section]:
    """One sub-section per family: indicator, number with its reference, period."""
    columns = (text("word.indicator", lang), text("brief.col.number", lang))
    columns += (text("word.period", lang),)
    sections, listed, left_out, families_left_out = [], 0, 0, []
    for family, rows in numbers.groupby("family", sort=False):
        kept = rows.head(max(ROWS_SHOWN - listed, 0))
        if kept.empty:  # past the limit: counted in one note, not one heading each
            left_out += len(rows)
            families_left_out.append(str(family))
            continue
        listed += len(kept)
        table_rows = tuple(
            (str(r.indicator), cited_quantity(r, refs), period_text(r.period))
            for r in kept.itertuples()
        )
        more = more_note(len(rows), len(kept), lang)
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
    dataset: Dataset, derived: pd.DataFrame, region_id: str, refs: References, lang: Lang
) -> Section:
    """The region's derived measures: each computed value, its inputs' references and formula."""
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
            table(columns, tuple(table_rows), more_note(len(rows), ROWS_SHOWN, lang)),
        ),
    )


def _series_blocks(dataset: Dataset, region_id: str, refs: References, lang: Lang) -> list[Block]:
    """One chart over time per indicator the region reported for two periods or more."""
    series = region.region_series(dataset, region_id, lang)
    blocks: list[Block] = []
    indicators = list(dict.fromkeys(series["indicator_id"]))
    for indicator_id in indicators[:SERIES_SHOWN]:
        points = series[series["indicator_id"] == indicator_id]
        for point in points[~points["gap"]].itertuples():
            refs.cite(point.source_id, point.quote)
        line = series_line(str(points["indicator"].iloc[0]), points)
        blocks.append(
            Series(line.name, str(points["unit"].iloc[0]), (line,), text("brief.hollow", lang))
        )
        blocks.append(series_table(points, refs, lang))
    if len(indicators) > SERIES_SHOWN:
        blocks.append(Paragraph(more_note(len(indicators), SERIES_SHOWN, lang), kind="note"))
    return blocks


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


def _peer_section(dataset: Dataset, region_id: str, refs: References, lang: Lang) -> Section:
    """The region's numbers among those of its level's other regions, as bars and a table."""
    heading = text("brief.peers", lang)
    levels = dataset.regions.set_index("region_id")["level"]
    level = level_name(levels[region_id], lang) if isinstance(levels.get(region_id), str) else ""
    peers = _peers(dataset, region_id)
    if peers is None:
        return Section(heading, (Paragraph(text("brief.no_peers", lang, level=level)),))
    listed = observation_view(dataset, lang, peers.head)
    columns = (text("word.indicator", lang), text("word.region", lang))
    columns += (text("brief.col.number", lang), text("word.period", lang))
    rows = tuple(
        (str(r.indicator), str(r.region), cited_quantity(r, refs), period_text(r.period))
        for r in listed.itertuples()
    )
    blocks: list[Block] = [
        Paragraph(text("brief.peers_note", lang, level=level), kind="note"),
        _peer_bars(dataset, peers, region_id, lang),
        table(columns, rows, more_note(peers.total, len(listed), lang)),
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
    return value_bars(str(rows["indicator"].iloc[0]), rows, lang, region_id, total=peers.main_total)


def _practice_blocks(dataset: Dataset, region_id: str, refs: References, lang: Lang) -> list[Block]:
    """Each practice of the region: its name, then its summary with its reference."""
    ids = set(region.region_practice_ids(dataset, region_id))
    practices = dataset.practices[dataset.practices["practice_id"].isin(ids)]
    if practices.empty:
        return [Paragraph(text("region.no_practices", lang))]
    listed = practice_view(dataset, lang, practices.head(ROWS_SHOWN))
    blocks: list[Block] = []
    for practice in listed.itertuples():
        number = refs.cite(practice.source_id, practice.quote)
        named = text("brief.practice_name", lang, name=practice.name, region=practice.region)
        blocks.append(Paragraph(named, kind="name"))
        blocks.append(Paragraph(str(practice.summary), (number,)))
    more = more_note(len(practices), len(listed), lang)
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
    refs = References(dataset)
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
    return assemble_brief(
        "region", region_id, text("brief.region_title", lang, region=names[region_id]),
        region.hierarchy_text(dataset, region_id, lang), sections, refs, lang, today,
    )  # fmt: skip


def _source_title(dataset: Dataset, source_id: str) -> str:
    """A source's title; one the curator wrote (the article has none) is in brackets."""
    sources = dataset.sources.set_index("source_id")
    title = str(sources.at[source_id, "title"])
    return f"[{title}]" if sources.at[source_id, "title_supplied"] is True else title
