"""Sources: citations to copy, and each archived article with its numbers marked."""

import streamlit as st

from dashboard import ui
from metrics.tools.cite import english_citation, gbt7714
from present.i18n import join_names
from present.pages import sources as highlight
from present.pages.sources import source_listing
from present.rows import observation_view, source_titles

data, lang = ui.start_page("page.sources")
sources = data.dataset.sources
titles = ui.view(source_titles, data.dataset)

# 1. Every source with its citation
st.subheader(ui.tr("sources.list"))
listing = ui.view(source_listing, data.dataset)
ui.table(listing, ["title", "date", "citation"], "sources", data)
st.markdown("**" + ui.tr("cite.managers") + "**")
ui.citation_downloads(sources, "citations", ("ris", "bibtex"))

# 2. One source: citations to copy
source_id = ui.choose("sources.choose", list(sources["source_id"]), titles.__getitem__, "source")
if source_id is None:
    st.stop()
source = sources.set_index("source_id").loc[source_id].to_dict() | {"source_id": source_id}
st.markdown("**" + ui.tr("sources.gbt") + "**")
st.code(gbt7714(source), language=None, wrap_lines=True)
st.markdown("**" + ui.tr("sources.english") + "**")
st.code(english_citation(source), language=None, wrap_lines=True)
ui.note(ui.tr("sources.copy_help"))
st.markdown("**" + ui.tr("cite.managers") + "**")
ui.citation_downloads(sources[sources["source_id"] == source_id], f"citation-{source_id}")
ui.note(ui.tr("cite.help"))
with st.expander(ui.tr("sources.about")):
    for field in ("date_basis", "notes", "affiliation"):
        if isinstance(source.get(field), str):
            ui.say(source[field])

# 3. The archived text with every curated number marked and numbered
st.subheader(ui.tr("sources.text"))
numbers = ui.view(observation_view, data.dataset, lang)
numbers = numbers[numbers["source_id"] == source_id].reset_index(drop=True)
text = data.dataset.archive_texts.get(source["archive"], "")
marks, unplaced = highlight.place_observations(text, numbers)
with st.container(height=480):
    st.markdown(highlight.marked_markdown(text, marks))
if unplaced:
    st.warning(ui.tr("sources.not_located", ids=join_names(unplaced, lang)))

# 4. The numbers of this article, by their marks, linked to their region's profile
st.subheader(ui.tr("sources.numbers"))
if numbers.empty:
    st.info(ui.tr("sources.no_numbers"))
else:
    numbers.insert(0, "marker", range(1, len(numbers) + 1))
    numbers["profile"] = "region?region=" + numbers["region_id"] + f"&lang={lang}"
    ui.table(
        numbers,
        ["marker", "region", "indicator", "shown", "quote", "observation_id", "profile"],
        f"source-{source_id}",
        data,
        column_config={
            "profile": st.column_config.LinkColumn(display_text=ui.tr("word.page_link"))
        },
    )
