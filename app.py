"""Dashboard entry point: ``uv run streamlit run app.py``.

Sets up the page, the language switch and the navigation between the six pages in
``pages/``; each page only lays out what ``metrics`` shapes for it.
"""

import streamlit as st

from dashboard import ui
from metrics.i18n import text

st.set_page_config(page_title=text("app.browser_title", "zh"), layout="wide")

ui.language_switch()
PAGES = [
    # The default page is served at the root URL ("/").
    st.Page("pages/overview.py", title=ui.tr("page.overview"), default=True),
    st.Page("pages/compare.py", title=ui.tr("page.compare"), url_path="compare"),
    st.Page("pages/region.py", title=ui.tr("page.region"), url_path="region"),
    st.Page("pages/practices.py", title=ui.tr("page.practices"), url_path="practices"),
    st.Page("pages/sources.py", title=ui.tr("page.sources"), url_path="sources"),
    st.Page("pages/quality.py", title=ui.tr("page.quality"), url_path="quality"),
]
# Each page starts with ui.start_page, which also shows the data banner.
st.navigation(PAGES).run()
