"""Choices kept in the URL: a widget's state seeded from ``?key=`` and written back, so
the address bar always opens the view a reader sees and a link can be shared."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st


def from_url(key: str, options: Sequence[str], default: str | None) -> None:
    """Seed a widget's state from ``?key=`` when the session has no valid value yet.

    The URL holds ids (``?region=xinjie``), not the names shown, so a link works in
    either language; an unknown id falls back to ``default``.
    """
    if st.session_state.get(key) in options:
        return
    wanted = st.query_params.get(key)
    st.session_state[key] = wanted if wanted in options else default


def many_from_url(key: str, options: Sequence[str]) -> None:
    """Like ``from_url`` for a multiselect: ``?theme=a&theme=b``, unknown ids dropped."""
    if key not in st.session_state:
        st.session_state[key] = [v for v in st.query_params.get_all(key) if v in options]


def to_url(key: str, value: str | list[str] | None) -> None:
    """Write the choice back to the URL, so the address bar always opens this view."""
    if value in (None, "", []):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != ([value] if isinstance(value, str) else value):
        st.query_params[key] = value
