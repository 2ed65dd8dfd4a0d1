"""Overview: headline numbers, what the data holds, who reported what, and where."""

import streamlit as st

from dashboard import ui
from present.pages import overview

data, lang = ui.start_page("page.overview")
st.caption(ui.tr("app.caption"))
# Everything below, computed once per data and language (`uv run dashboard` computes
# it before the first reader arrives).
content = ui.view(overview.page_content, data.dataset, data.derived, lang)

# 1. Headline numbers of the five core families
st.subheader(ui.tr("overview.headlines"))
ui.headline_cards(content.cards)

# 2. What the data holds
st.subheader(ui.tr("overview.counts"))
for column, (name, count) in zip(
    st.columns(len(content.counts)), content.counts.items(), strict=True
):
    column.metric(ui.tr(f"word.{name}"), count)

# 3. Who reported what: regions x families, "not reported" never a zero
st.subheader(ui.tr("overview.coverage"))
st.caption(ui.tr("overview.coverage_help"))
ui.table(
    content.coverage,
    list(content.coverage.columns),
    "coverage",
    data,
    style=lambda shown: shown.style.apply(
        overview.coverage_colors, axis=None, missing=content.not_reported
    ),
)

# 4. Where the regions are (the base map is served by the dashboard itself)
st.subheader(ui.tr("overview.map"))
st.caption(ui.tr("overview.map_help"))
ui.chart(content.region_map, "map")
for line in content.map_notes:
    ui.note(line)
