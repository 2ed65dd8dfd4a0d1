"""Widgets every page shares: language, titles, safe text, tables with downloads,
charts, the data banner and choices kept in the URL.

Page scripts call them as ``ui.table(...)``, ``ui.tr(...)``; each lives in the module of
what it provides: ``language``, ``url`` and ``choices`` (choices kept in the URL),
``page`` (the top of a page and text from the data), ``tables`` (tables and charts),
``downloads`` (citations and briefs) and ``editors``.
"""

# Pages shape their frames through the cache as ``ui.view(...)``.
from dashboard.cache import view
from dashboard.settings import workbench_enabled
from dashboard.ui.choices import choose, choose_level, choose_many, search_box
from dashboard.ui.downloads import brief_downloads, citation_downloads
from dashboard.ui.editors import editor
from dashboard.ui.language import LANG_KEY, lang, language_switch, tr
from dashboard.ui.page import (
    banner,
    escape,
    headline_cards,
    note,
    quote,
    say,
    start_page,
)
from dashboard.ui.tables import (
    CARDS_PER_PAGE,
    PAGE_ROWS,
    PLOTLY_CONFIG,
    bars,
    chart,
    page_rows,
    table,
)

__all__ = [
    "CARDS_PER_PAGE",
    "LANG_KEY",
    "PAGE_ROWS",
    "PLOTLY_CONFIG",
    "banner",
    "bars",
    "brief_downloads",
    "chart",
    "choose",
    "choose_level",
    "choose_many",
    "citation_downloads",
    "editor",
    "escape",
    "headline_cards",
    "lang",
    "language_switch",
    "note",
    "page_rows",
    "quote",
    "say",
    "search_box",
    "start_page",
    "table",
    "tr",
    "view",
    "workbench_enabled",
]
