"""The language a reader chose (Chinese until they switch), and interface text in it."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.ui.url import from_url, to_url
from present.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, Lang, text

LANG_KEY = "lang"


def lang() -> Lang:
    """The language chosen in the sidebar (Chinese until a reader switches)."""
    chosen = st.session_state.get(LANG_KEY)
    return chosen if chosen in LANGS else DEFAULT_LANG


def tr(key: str, **values: Any) -> str:
    """Interface text in the chosen language."""
    return text(key, lang(), **values)


def language_switch() -> Lang:
    """中文 / English in the sidebar, kept in the URL as ``?lang=en``."""
    from_url(LANG_KEY, LANGS, DEFAULT_LANG)
    st.sidebar.radio(
        text("app.language", DEFAULT_LANG),
        LANGS,
        format_func=LANG_NAMES.__getitem__,
        key=LANG_KEY,
        horizontal=True,
    )
    to_url(LANG_KEY, lang())
    return lang()
