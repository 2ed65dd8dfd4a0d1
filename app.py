"""Dashboard entry point: ``uv run streamlit run app.py``.

Sets up the page, the language switch and the navigation between the pages in
``app_pages/``; each page only lays out what ``dashboard.views`` shapes for it. The
workbench (Curate an article) is left out when ``METRICS_WORKBENCH=off``.

When the deployment's secrets configure a login (``[auth]``, see ``dashboard.access``),
the gate comes before the navigation: until a reader is logged in and allowed, no page
script runs and nothing of the data is sent. Without them the gate lets every run through.
"""

import streamlit as st

from dashboard import access, ui
from present.i18n import DEFAULT_LANG, text

st.set_page_config(page_title=text("app.browser_title", DEFAULT_LANG), layout="wide")

ui.language_switch()
if not access.gate():
    # The login screen, or the refusal, is all this run shows: no page, for any URL.
    st.stop()
PAGES = [
    # The default page is served at the root URL ("/").
    st.Page("app_pages/overview.py", title=ui.tr("page.overview"), default=True),
    st.Page("app_pages/compare.py", title=ui.tr("page.compare"), url_path="compare"),
    st.Page("app_pages/region.py", title=ui.tr("page.region"), url_path="region"),
    st.Page("app_pages/practices.py", title=ui.tr("page.practices"), url_path="practices"),
    st.Page("app_pages/sources.py", title=ui.tr("page.sources"), url_path="sources"),
    st.Page("app_pages/quality.py", title=ui.tr("page.quality"), url_path="quality"),
]
if ui.workbench_enabled():
    PAGES.append(st.Page("app_pages/curate.py", title=ui.tr("page.curate"), url_path="curate"))
# Each page starts with ui.start_page, which also shows the data banner.
st.navigation(PAGES).run()
