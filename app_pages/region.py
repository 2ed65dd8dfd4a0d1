"""Region profile: one region's place, numbers, change over time, derived measures,
practices, sources."""

import streamlit as st

from dashboard import ui
from metrics.tools.cite import gbt7714
from present import charts
from present.brief import region_brief
from present.i18n import join_names
from present.pages import region
from present.pages.practices import practice_view
from present.rows import region_names

data, lang = ui.start_page("page.region")

# 1. Choose a region; its place in the hierarchy; its brief as Word or PDF
names = ui.view(region_names, data.dataset, lang)
region_id = ui.choose(
    "region.choose", ui.view(region.region_options, data.dataset), names.__getitem__, "region"
)
if region_id is None:
    st.stop()
st.subheader(ui.tr("region.hierarchy"))
ui.say(ui.view(region.hierarchy_text, data.dataset, region_id, lang))
below = ui.view(region.descendants, data.dataset, region_id)
if below:
    ui.note(ui.tr("region.children", names=join_names([names[r] for r in below], lang)))
ui.brief_downloads(
    f"brief-region-{region_id}-{lang}", region_brief, data.dataset, data.derived, region_id, lang
)

# 2. Its numbers, family by family, each with source and quote
st.subheader(ui.tr("region.numbers"))
numbers = ui.view(region.region_numbers, data.dataset, region_id, lang)
if numbers.empty:
    st.info(ui.tr("region.no_numbers"))
else:
    columns = ["family", "indicator", "shown", "period", "source", "quote"]
    ui.table(numbers, columns, f"region-{region_id}-numbers", data)
missing = ui.view(region.families_not_reported, data.dataset, region_id, lang)
if missing and not numbers.empty:
    ui.note(ui.tr("region.family_missing", names=join_names(missing, lang)))

# 3. Change over time: one small chart per indicator reported for two periods or more
series = ui.view(region.region_series, data.dataset, region_id, lang)
if not series.empty:
    st.subheader(ui.tr("region.over_time"))
    ui.note(ui.tr("region.over_time_note"))
    for indicator_id, figure in ui.view(charts.series_charts, series, lang):
        ui.chart(figure, f"region-{region_id}-over-time-{indicator_id}")

# 4. Derived measures
st.subheader(ui.tr("region.derived"))
derived = ui.view(region.region_derived, data.derived, data.dataset, region_id, lang)
if derived.empty:
    st.info(ui.tr("region.no_derived"))
else:
    ui.table(
        derived, ["measure", "computed", "inputs", "source"], f"region-{region_id}-derived", data
    )

# 5. Named practices
st.subheader(ui.tr("region.practices"))
practices = ui.view(practice_view, data.dataset, lang)
practices = practices[
    practices["practice_id"].isin(ui.view(region.region_practice_ids, data.dataset, region_id))
]
if practices.empty:
    st.info(ui.tr("region.no_practices"))
for practice in practices.to_dict("records"):
    with st.expander(practice["name"]):
        ui.note(f"{practice['region']} · {practice['themes']}")
        ui.say(practice["summary"])
        ui.quote(practice["quote"])
        ui.note(practice["source"])

# 6. Sources
st.subheader(ui.tr("region.sources"))
source_ids = ui.view(region.region_source_ids, data.dataset, region_id)
if not source_ids:
    st.info(ui.tr("region.no_sources"))
sources = data.dataset.sources.set_index("source_id")
for source_id in source_ids:
    st.code(
        gbt7714({**sources.loc[source_id].to_dict(), "source_id": source_id}),
        language=None,
        wrap_lines=True,
    )
