"""Overview: headline numbers, what the data holds, who reported what, and where."""

import streamlit as st

from dashboard import ui
from dashboard.views import charts, overview

data, lang = ui.start_page("page.overview")
st.caption(ui.tr("app.caption"))

# 1. Headline numbers of the five core families
st.subheader(ui.tr("overview.headlines"))
ui.headline_cards(ui.view(overview.headline_cards, data.dataset, data.derived, lang))

# 2. What the data holds
st.subheader(ui.tr("overview.counts"))
counts = ui.view(overview.dataset_counts, data.dataset)
for column, (name, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(ui.tr(f"word.{name}"), count)

# 3. Who reported what: regions x families, "not reported" never a zero
st.subheader(ui.tr("overview.coverage"))
st.caption(ui.tr("overview.coverage_help"))
matrix = ui.view(overview.coverage_matrix, data.dataset)
missing = ui.tr("word.not_reported")
coverage = ui.view(overview.coverage_table, matrix, data.dataset, lang, missing)
ui.table(
    coverage,
    list(coverage.columns),
    "coverage",
    data,
    style=lambda shown: shown.style.apply(overview.coverage_colors, axis=None, missing=missing),
)

# 4. Where the regions are (the base map is served by the dashboard itself)
st.subheader(ui.tr("overview.map"))
st.caption(ui.tr("overview.map_help"))
points, unlocated = ui.view(overview.map_points, data.dataset, lang)
ui.chart(ui.view(charts.region_map, points, lang), "map")
for line in ui.view(overview.map_notes, points, tuple(unlocated), lang):
    ui.note(line)
