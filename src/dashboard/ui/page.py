"""The top of every page (the data banner and the title), text from the data shown
exactly as written, and the overview's headline cards."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.cache import PageData, current_data
from dashboard.ui.language import lang, tr
from present.i18n import Lang
from present.safetext import escape_markdown


def start_page(title_key: str) -> tuple[PageData, Lang]:
    """The top of every page: the data banner, the title, and the data and language the
    page works with (loaded once per rerun, here: ``cache.current_data``)."""
    current = current_data()
    banner(current)
    st.title(tr(title_key))
    return current, lang()


def escape(value: object) -> str:
    """Text from the data as markdown that shows exactly its characters."""
    return escape_markdown(str(value))


def say(value: object) -> None:
    """Text from the data, shown exactly as written (no markdown, math or HTML)."""
    st.markdown(escape_markdown(str(value)))


def quote(value: object) -> None:
    """A quote from an article, as a block quote of plain text."""
    st.markdown("> " + escape_markdown(str(value)))


def note(value: object) -> None:
    """Small grey text from the data or the catalogue, shown as written."""
    st.caption(escape_markdown(str(value)))


def banner(current: PageData) -> None:
    """On every page: the file's problems, when it has any, with their lines."""
    if not current.problems:
        return
    key = "banner.stale" if current.stale else "banner.invalid"
    st.warning(tr(key, count=len(current.problems)))
    with st.expander(tr("banner.details")):
        st.code("\n".join(p.render() for p in current.problems), language=None)


def headline_cards(cards: pd.DataFrame) -> None:
    """One card per core family: the value as reported, the region, and the source and
    quote one click away."""
    records = cards.to_dict("records")
    # Three to a row: five in a row would cut values such as 8,000余万元 short.
    columns = [c for start in range(0, len(records), 3) for c in st.columns(3)][: len(records)]
    for column, card in zip(columns, records, strict=True):
        with column.container(border=True):
            reported = card["reporting_regions"] > 0
            value = card["shown"] if reported else tr("word.not_reported")
            st.metric(escape_markdown(card["family"]), value)
            note(card["name"])
            if not reported:
                note(tr("overview.card_none"))
                continue
            note(tr("overview.card_highest", region=card["region"]))
            note(tr("overview.card_regions", count=card["reporting_regions"]))
            with st.popover(tr("overview.hint_cite"), width="stretch"):
                say(card["source"])
                quote(card["quotes"])
