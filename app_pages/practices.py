"""Practices: the catalogue of named ways of working, searchable and filterable."""

import streamlit as st

from dashboard import ui
from metrics.model.vocab import Theme
from present.i18n import theme_name
from present.pages import practices
from present.rows import region_names

data, lang = ui.start_page("page.practices")

# 1. Search and filters (kept in the URL)
names = ui.view(region_names, data.dataset, lang)
query = ui.search_box("practices.search", key="q")
left, right = st.columns(2)
with left:
    theme_ids = [t.value for t in Theme]
    themes = ui.choose_many("practices.themes", theme_ids, lambda t: theme_name(t, lang), "theme")
with right:
    region_ids = list(dict.fromkeys(data.dataset.practices["region_id"]))
    regions = ui.choose_many("practices.regions", region_ids, names.__getitem__, "in")
found = ui.view(
    practices.filter_practices, data.dataset, lang, query, tuple(themes), tuple(regions)
)

# 2. The practices found, each with summary, quote and source
st.subheader(ui.tr("practices.found", count=len(found)))
if found.empty:
    st.info(ui.tr("practices.nothing"))
for practice in ui.page_rows(found, "practice-cards", ui.CARDS_PER_PAGE).to_dict("records"):
    with st.container(border=True):
        st.markdown("**" + ui.escape(practice["name"]) + "**")
        ui.note(f"{practice['region']} · {practice['themes']}")
        ui.say(practice["summary"])
        ui.quote(practice["quote"])
        ui.note(practice["source"])

# 3. The same list as a table to download
ui.table(found, ["name", "region", "themes", "summary", "quote", "source"], "practices", data)
