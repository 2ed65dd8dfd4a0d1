"""The brief of one indicator across regions: its values, who did not report it, the
per-unit view, the values over time."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.model.dataset import Dataset
from present.brief.model import Block, Brief, Paragraph, Quantity, Section, Series, Table, table
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
from present.i18n import (
    Lang,
    family_name,
    join_names,
    lang_column,
    level_name,
    pick,
    text,
)
from present.pages import compare
from present.rows import indicator_names


def _indicator_overview(dataset: Dataset, indicator_id: str, lang: Lang) -> list[Block]:
    """The indicator's family, and its definition when the data has one."""
    indicator = dataset.indicators.set_index("indicator_id").loc[indicator_id]
    family = family_name(indicator["family"], lang)
    blocks: list[Block] = [Paragraph(text("brief.indicator_family", lang, family=family))]
    definition = indicator.get(lang_column("definition", lang))
    if isinstance(definition, str) and definition:
        blocks.append(Paragraph(definition, kind="note"))
    return blocks


def _value_table(rows: pd.DataFrame, refs: References, lang: Lang) -> Table:
    """Each region's value of the indicator, with its level, reference and period."""
    columns = (text("word.region", lang), text("word.level", lang))
    columns += (text("brief.col.number", lang), text("word.period", lang))
    kept = rows.head(ROWS_SHOWN)
    body = tuple(
        (str(r.region), str(r.level), cited_quantity(r, refs), period_text(r.period))
        for r in kept.itertuples()
    )
    return table(columns, body, more_note(len(rows), len(kept), lang))


def _per_unit_blocks(
    dataset: Dataset, rows: pd.DataFrame, indicator_id: str, refs: References, lang: Lang
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
        blocks.append(table(columns, tuple(body), more_note(len(per_unit), ROWS_SHOWN, lang)))
        if without:
            names = join_names(without, lang, NAMES_SHOWN)
            missing = text(
                "compare.per_unit_missing", lang, denominator=pick(per, lang), names=names
            )
            blocks.append(Paragraph(missing, kind="note"))
    return blocks


def _over_time_blocks(
    dataset: Dataset, rows: pd.DataFrame, refs: References, lang: Lang
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
        series_line(str(points["region"].iloc[0]), points)
        for _, points in drawn.groupby("region_id", sort=False)
    ]
    unit = str(rows["unit"].iloc[0])
    hollow = text("brief.hollow", lang)
    blocks: list[Block] = [
        Series(text("region.over_time", lang), unit, tuple(lines), hollow),
        series_table(drawn, refs, lang, by_region=True),
    ]
    if len(regions) > SERIES_SHOWN:
        blocks.append(Paragraph(more_note(len(regions), SERIES_SHOWN, lang), kind="note"))
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
    refs = References(dataset)
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
        values.append(value_bars(name, rows, lang))
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
    return assemble_brief(
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
