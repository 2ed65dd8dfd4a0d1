"""Compare regions: one indicator across every region that reported it."""

import streamlit as st

from dashboard import ui
from present import charts
from present.brief import indicator_brief
from present.i18n import family_name, join_names, level_name, pick
from present.pages import compare
from present.rows import indicator_names, indicator_order

data, lang = ui.start_page("page.compare")

# 1. Choose an indicator, grouped by family
names = ui.view(indicator_names, data.dataset, lang)
families = data.dataset.indicators.set_index("indicator_id")["family"]
indicator = ui.choose(
    "compare.choose_indicator",
    ui.view(indicator_order, data.dataset),
    lambda i: f"{family_name(families[i], lang)} · {names[i]}",
    key="indicator",
    default=ui.view(compare.most_reported_indicator, data.dataset),
)
rows = ui.view(compare.indicator_rows, data.dataset, indicator, lang) if indicator else None

# 2. Values by region, with levels flagged, an optional filter to one level and, when
#    the indicator was reported for several periods, a period picker and lines over time
st.subheader(ui.tr("compare.chart"))
if rows is None or rows.empty:
    st.info(ui.tr("compare.nobody"))
else:
    levels = compare.levels_present(rows)
    level, period = None, None  # the brief follows the reader's choices
    if len(levels) > 1:
        st.warning(ui.tr("compare.levels_mixed", levels=compare.level_names(levels, lang)))
        level = ui.choose_level(
            ["all", *levels],
            lambda v: ui.tr("compare.all_levels") if v == "all" else level_name(v, lang),
            key="level",
        )
        level = None if level == "all" else level
        rows = ui.view(compare.within_level, rows, level)
    over_time = ui.view(compare.indicator_series, data.dataset, rows)
    periods = ui.view(compare.period_options, rows)
    if periods:
        choices = {
            compare.ALL_PERIODS: ui.tr("compare.period_all"),
            compare.LATEST_PERIOD: ui.tr("compare.period_latest"),
        }
        period = ui.choose("compare.period", periods, lambda p: choices.get(p, p), key="period")
        rows = ui.view(
            compare.within_period,
            rows,
            None if period in choices else period,
            period == compare.LATEST_PERIOD,
        )
    ui.brief_downloads(
        f"brief-indicator-{indicator}-{lang}",
        indicator_brief, data.dataset, indicator, lang, period, level,
    )  # fmt: skip
    ui.bars(charts.compare_bars, compare.largest, rows, lang, "compare")
    if not over_time.empty:
        st.markdown(f"**{ui.tr('compare.period_series')}**")
        ui.note(ui.tr("compare.period_series_note"))
        ui.bars(charts.series_by_region, compare.largest_regions, over_time, lang, "over-time")
missing = (
    ui.view(compare.regions_not_reporting, data.dataset, rows, lang) if rows is not None else []
)
if missing:
    ui.note(ui.tr("compare.not_reported", names=join_names(missing, lang)))

# 3. Per-unit view where the data carries a denominator
if rows is not None and not rows.empty:
    for denominator in compare.DENOMINATORS:
        if denominator == indicator:
            continue
        unit_name = pick(compare.DENOMINATORS[denominator], lang)
        if not st.toggle(
            ui.tr("compare.per_unit", denominator=unit_name), key=f"per-{denominator}"
        ):
            continue
        per_unit, without = ui.view(compare.per_unit_rows, data.dataset, rows, denominator, lang)
        if per_unit.empty:
            st.info(ui.tr("compare.per_unit_none", denominator=unit_name))
        else:
            ui.bars(
                charts.compare_bars, compare.largest, per_unit, lang, f"chart-per-{denominator}"
            )
            ui.table(
                per_unit,
                ["region", "computed", "numerator", "denominator", "source", "quote"],
                f"per-{denominator}",
                data,
            )
        if without:
            ui.note(
                ui.tr(
                    "compare.per_unit_missing",
                    denominator=unit_name,
                    names=join_names(without, lang),
                )
            )

# 4. The numbers with their sources
if rows is not None and not rows.empty:
    st.subheader(ui.tr("compare.table"))
    ui.table(
        rows, ["region", "level", "shown", "value", "period", "source", "quote"], "compare", data
    )

# 5. Problems: collected -> solved on the spot -> solved by a deadline
st.subheader(ui.tr("compare.problems"))
problems = ui.view(compare.problem_rows, data.dataset, lang)
if problems.empty:
    st.info(ui.tr("compare.problems_none"))
else:
    ui.bars(charts.problems_bars, compare.largest_regions, problems, lang, "problems")
    ui.table(
        problems, ["region", "indicator", "shown", "value", "source", "quote"], "problems", data
    )
