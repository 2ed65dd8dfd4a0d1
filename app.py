"""Dashboard entry point: ``uv run streamlit run app.py``.

Sets up the page, the language switch and the navigation between the pages in
``app_pages/``, listed once in ``present.pages.PAGES``; each page only lays out what
``present.pages.<page>`` shapes for it. The workbench (Curate an article) is left out
when ``METRICS_WORKBENCH=off``.

When the deployment's secrets configure a login (``[auth]``, see ``dashboard.access``),
the gate comes before the navigation: until a reader is logged in and allowed, no page
script runs and nothing of the data is sent. Without them the gate lets every run through.
"""

import streamlit as st

from dashboard import access, ui
from present import pages
from present.i18n import DEFAULT_LANG, text

st.set_page_config(page_title=text("app.browser_title", DEFAULT_LANG), layout="wide")

ui.language_switch()
if not access.gate():
    # The login screen, or the refusal, is all this run shows: no page, for any URL.
    st.stop()
# The pages this deployment offers; the default one is served at the root URL ("/").
workbench = ui.workbench_enabled()
offered = [
    st.Page(
        page.script,
        title=ui.tr(page.title_key),
        url_path=page.url_path or None,
        default=not page.url_path,
    )
    for page in pages.PAGES
    if workbench or not page.workbench
]
# Each page starts with ui.start_page, which also shows the data banner.
st.navigation(offered).run()
