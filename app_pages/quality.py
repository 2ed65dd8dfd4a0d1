"""Data quality: the check, every relation with its numbers, approximate values,
and what each region has not reported."""

from functools import partial

import streamlit as st

from dashboard import ui
from present.downloads import datapackage_zip
from present.pages import quality
from present.rows import with_names

data, lang = ui.start_page("page.quality")

# 1. The result of `metrics check` on the file as it is now
st.subheader(ui.tr("quality.check"))
if data.problems:
    st.error(ui.tr("quality.problems", count=len(data.problems)))
    st.code("\n".join(p.render() for p in data.problems), language=None, wrap_lines=True)
    ui.table(
        quality.problem_table(data.problems), ["line", "code", "message", "hint"], "problems", data
    )
else:
    st.success(ui.tr("quality.ok", **ui.view(quality.check_counts, data.dataset)))

# 2. Consistency rules with the numbers that enter them
st.subheader(ui.tr("quality.relations"))
relations = ui.view(quality.relation_view, data.dataset, lang)
ui.table(relations, ["relation", "region", "status", "detail", "source"], "relations", data)

# 3. Approximate values
st.subheader(ui.tr("quality.approximate"))
approximate = ui.view(quality.approximate_view, data.dataset, lang)
if approximate.empty:
    st.info(ui.tr("quality.no_approximate"))
else:
    ui.table(
        approximate,
        ["region", "indicator", "shown", "qualifier", "source", "quote"],
        "approximate",
        data,
    )

# 4. What each region has not reported
st.subheader(ui.tr("quality.missing"))
missing = ui.view(quality.missing_view, data.dataset, lang)
ui.table(
    missing,
    ["region", "missing_count", "missing_families", "missing_indicators"],
    "not-reported",
    data,
)

# 5. Numbers set aside on purpose, and the whole dataset to download
st.subheader(ui.tr("quality.set_aside"))
set_aside = ui.view(with_names, data.dataset.set_aside, data.dataset, lang)
ui.table(set_aside, ["source", "mention", "reason"], "set-aside", data)
st.subheader(ui.tr("quality.download"))
st.download_button(
    ui.tr("download.package"),
    partial(datapackage_zip, data.dataset),
    file_name="governance-indicators-datapackage.zip",
    mime="application/zip",
    help=ui.tr("download.package_help"),
    on_click="ignore",
)
