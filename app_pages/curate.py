"""Curate an article: paste or upload it, review its draft row by row against the
current data, and download the draft to unpack into data/ (the server writes nothing)."""

from functools import partial

import streamlit as st

from dashboard import cache, drafting, ui
from metrics.tools.draft import DraftStopped
from present.pages import curate
from present.rows import region_names

# A deployment that switched the workbench off shows nothing of it, even at its URL.
if not ui.workbench_enabled():
    st.stop()
data, lang = ui.start_page("page.curate")
ui.note(ui.tr("curate.intro"))

# 1. The article, pasted or uploaded, and two optional hints
names = {"": ui.tr("curate.region_auto")} | ui.view(region_names, data.dataset, lang)
with st.form("curate-input"):
    pasted = st.text_area(
        ui.tr("curate.paste"), key="curate-text", height=200, max_chars=curate.MAX_PASTE_CHARS
    )
    # At most 1 MB: the browser refuses a larger file (and the server, see config.toml);
    # the page's own message refuses one between 1,000,000 bytes and a mebibyte.
    upload = st.file_uploader(ui.tr("curate.upload"), key="curate-file", max_upload_size=1)
    # Streamlit's own words beside the uploader are English: replaced by the page's.
    st.html(curate.uploader_css(ui.tr("curate.upload_button"), ui.tr("curate.upload_too_big")))
    left, right = st.columns(2)
    source_id = left.text_input(
        ui.tr("curate.source_id"), key="curate-source", help=ui.tr("curate.source_id_help")
    )
    region_id = right.selectbox(
        ui.tr("curate.region"),
        list(names),
        format_func=names.__getitem__,
        key="curate-region",
    )
    submitted = st.form_submit_button(ui.tr("curate.submit"), type="primary")
given = curate.read_input(
    pasted,
    upload.name if upload else None,
    upload.getvalue() if upload else None,
    source_id,
    region_id,
    submitted,
)
if given is None:
    st.info(ui.tr("curate.start"))
    st.stop()
if isinstance(given, curate.Refusal):
    st.error(ui.tr(given.key, **given.values))
    st.stop()
# Drafted and checked in the workbench's worker process (dashboard.drafting), so that
# other readers' pages never wait for the work.
try:
    drafted = cache.draft(given.text, data.dataset, given.source_id, given.region_id)
except DraftStopped as stopped:  # past the drafting deadline: said in the reader's words
    st.error(ui.tr("curate.stopped", seconds=f"{stopped.seconds:g}"))
    st.stop()
draft = drafted.draft
keys = curate.Keys.of(given, data.dataset)
edited = curate.edited_draft(draft, st.session_state, keys)
checked = drafting.check_in_worker(cache.data_path(), edited)
ui.note(
    ui.tr(
        "curate.read", chars=f"{len(given.text):,}", encoding=given.encoding, rows=len(draft.rows)
    )
)
if drafted.remade:
    ui.note(ui.tr("curate.redrafted"))

# 2. The article, every quantity marked with its row number
st.subheader(ui.tr("curate.article"))
ui.note(ui.tr("curate.article_help"))
with st.container(height=420):
    st.markdown(curate.marked_article(edited.text, edited.rows))

# 3. The proposed numbers, practices and derived measures, each row with its problems
st.subheader(ui.tr("curate.rows"))
ui.note(ui.tr("curate.rows_help"))
ui.editor(
    curate.row_editor(draft.rows, checked.by_entry),
    curate.row_columns(draft, data.dataset, lang),
    keys.rows,
)
ui.note(ui.tr("curate.rows_count", **curate.counts(edited.rows)))
st.subheader(ui.tr("curate.practices"))
if draft.practices.empty:
    ui.note(ui.tr("curate.no_practices"))
else:
    ui.note(ui.tr("curate.practices_help"))
    ui.editor(
        curate.practice_editor(draft.practices, checked.by_entry),
        curate.practice_columns(draft, data.dataset, lang),
        keys.practices,
    )
st.subheader(ui.tr("curate.derived"))
derived = curate.derived_of(edited.rows, st.session_state, keys.derived)
if derived.empty:
    ui.note(ui.tr("curate.no_derived"))
else:
    ui.note(ui.tr("curate.derived_help"))
    regions = curate.region_labels(draft, data.dataset, lang)
    for measure in derived.to_dict("records"):
        st.checkbox(curate.derived_label(measure, regions, lang), value=True, key=measure["key"])

# 4. The source entry, and the regions and indicators the draft adds
st.subheader(ui.tr("curate.source"))
st.dataframe(curate.titled(curate.source_table(edited), lang), hide_index=True, width="stretch")
for message in curate.source_messages(edited, checked):
    st.warning(message)
st.subheader(ui.tr("curate.regions"))
if draft.regions.empty:
    ui.note(ui.tr("curate.no_regions"))
else:
    ui.editor(
        curate.region_editor(draft.regions, checked.by_entry),
        curate.region_columns(draft, data.dataset, lang),
        keys.regions,
    )
st.subheader(ui.tr("curate.indicators"))
if draft.indicators.empty:
    ui.note(ui.tr("curate.no_indicators"))
else:
    ui.editor(
        curate.indicator_editor(draft.indicators, checked.by_entry),
        curate.indicator_columns(draft, data.dataset, lang),
        keys.indicators,
    )

# 5. The draft checked together with the current data
st.subheader(ui.tr("curate.check"))
if checked.ok:
    st.success(ui.tr("curate.ok"))
else:
    st.error(ui.tr("curate.problems", count=checked.blocking))
if checked.lines:
    st.code("\n".join(checked.lines), language=None, wrap_lines=True)
    ui.note(ui.tr("curate.lines_help"))

# 6. The draft to download (its file and the archived text) and to copy
st.download_button(
    ui.tr("curate.download"),
    # Written when pressed, from the article and the edits: the session keeps no draft.
    partial(
        cache.draft_zip,
        cache.ZipRequest(given, data.dataset, curate.edits_of(st.session_state, keys), keys),
    ),
    file_name=curate.zip_name(edited),
    mime="application/zip",
    on_click="ignore",
    type="primary",
)
ui.note(ui.tr("curate.download_help", file=edited.file_name, archive=edited.archive))
st.subheader(ui.tr("curate.yaml"))
st.code(checked.rendered.text, language="yaml")
