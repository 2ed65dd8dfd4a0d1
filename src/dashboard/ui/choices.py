"""Choices kept in the URL for sharing: select boxes, multiselects, a text search and
the row of administrative levels."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from dashboard.ui.language import tr
from dashboard.ui.url import from_url, many_from_url, to_url


def choose(
    label_key: str,
    options: Sequence[str],
    format_func: Callable[[str], str],
    key: str,
    default: str | None = None,
) -> str | None:
    """A select box whose choice (an id) lives in the URL as ``?key=id`` for sharing."""
    if not options:
        return None
    from_url(key, options, default if default in options else options[0])
    value = st.selectbox(tr(label_key), list(options), format_func=format_func, key=key)
    to_url(key, value)
    return value


def choose_many(
    label_key: str,
    options: Sequence[str],
    format_func: Callable[[str], str],
    key: str,
) -> list[str]:
    """A multiselect whose choices live in the URL as ``?key=a&key=b``."""
    many_from_url(key, options)
    values = st.multiselect(
        tr(label_key),
        list(options),
        format_func=format_func,
        key=key,
        placeholder=tr("word.any"),  # Streamlit's own placeholder is English only
    )
    to_url(key, values)
    return values


def search_box(label_key: str, key: str) -> str:
    """A text search kept in the URL as ``?key=words``."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(key, "")
    words = st.text_input(tr(label_key), key=key)
    to_url(key, words)
    return words


def choose_level(levels: Sequence[str], format_func: Callable[[str], str], key: str) -> str:
    """A row of radio buttons for one administrative level (or all), kept in the URL."""
    from_url(key, levels, levels[0])
    value = st.radio(
        tr("compare.level_filter"), list(levels), format_func=format_func, key=key, horizontal=True
    )
    to_url(key, value)
    return value
