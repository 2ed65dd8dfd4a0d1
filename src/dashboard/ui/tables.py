"""Tables with their downloads (CSV and Excel, every row, with citations), long tables
a page at a time, and charts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.cache import PageData, view
from dashboard.ui.language import lang, tr
from dashboard.ui.page import note
from present.downloads import cited_sources, csv_bytes, with_citation_column, xlsx_bytes
from present.i18n import Lang, column_title

# Plotly reads its base maps from here (served by Streamlit's static serving) instead
# of its CDN; the relative URL also works when the app sits under a proxy's path.
PLOTLY_CONFIG: dict[str, Any] = {
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def chart(fig: go.Figure, key: str) -> None:
    """A plotly figure across the page, with base maps served by the dashboard itself."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key, width="stretch")


def bars(
    build: Callable[[pd.DataFrame, Lang], go.Figure],
    largest: Callable[[pd.DataFrame], pd.DataFrame],
    rows: pd.DataFrame,
    language: Lang,
    key: str,
) -> None:
    """A bar chart of the largest rows only, saying so when some are left out.

    Thousands of bars are unreadable and make a figure of megabytes; the table that
    follows the chart and its downloads keep every row."""
    drawn = view(largest, rows)
    if len(drawn) < len(rows):
        units = "region_id" if "region_id" in rows else None
        total = rows[units].nunique() if units else len(rows)
        shown = drawn[units].nunique() if units else len(drawn)
        note(tr("chart.top", shown=shown, total=total))
    chart(view(build, drawn, language), key)


# A table longer than this is shown a page at a time; its downloads hold every row.
PAGE_ROWS = 100


# Cards (practices) are heavier than table rows: fewer to a page.
CARDS_PER_PAGE = 20


def page_rows(frame: pd.DataFrame, name: str, size: int = PAGE_ROWS) -> pd.DataFrame:
    """The rows of the page the reader chose, with a pager when there is more than one."""
    if len(frame) <= size:
        return frame
    pages = -(-len(frame) // size)
    number = st.number_input(tr("table.page", pages=pages), 1, pages, 1, step=1, key=f"{name}-page")
    start = (int(number) - 1) * size
    end = min(start + size, len(frame))
    st.caption(tr("table.rows", first=start + 1, last=end, total=len(frame)))
    return frame.iloc[start:end]


def _download(
    frame: pd.DataFrame, columns: Sequence[str], current: PageData, language: Lang
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows to download, titled, with a citation column; and the citations."""
    kept = [
        *columns,
        *(["source_id"] if "source_id" in frame and "source_id" not in columns else []),
    ]
    citations = cited_sources(frame, current.dataset)
    titles = {c: column_title(c, language) for c in frame.columns}
    download = with_citation_column(frame[kept], citations).rename(
        columns={**titles, "citation": column_title("citation", language)}
    )
    return download, citations


def _csv(frame: pd.DataFrame, columns: Sequence[str], current: PageData, language: Lang) -> bytes:
    return csv_bytes(_download(frame, columns, current, language)[0])


def _xlsx(
    frame: pd.DataFrame, columns: Sequence[str], current: PageData, language: Lang, name: str
) -> bytes:
    return xlsx_bytes(*_download(frame, columns, current, language), name)


def table(
    frame: pd.DataFrame,
    columns: Sequence[str],
    name: str,
    current: PageData,
    column_config: dict[str, Any] | None = None,
    height: int | str = "auto",
    style: Callable[[pd.DataFrame], Any] | None = None,
) -> None:
    """A table with its columns titled in the chosen language, and two download buttons
    (CSV, Excel) for every row, with the citation of every source used.

    Long tables are shown a page at a time: sending 100,000 rows to a browser on every
    rerun would make the page unusable, and the downloads hold them all."""
    language = lang()
    titles = {c: column_title(c, language) for c in frame.columns}
    shown = page_rows(frame, name)[list(columns)]
    text_columns = [c for c in columns if not pd.api.types.is_numeric_dtype(shown[c])]
    # A missing period or note is shown empty, never as "None" or "nan".
    shown = shown.fillna(dict.fromkeys(text_columns, "")).rename(columns=titles)
    config = {titles.get(c, c): v for c, v in (column_config or {}).items()}
    st.dataframe(
        style(shown) if style else shown,
        hide_index=True,
        width="stretch",
        column_config=config,
        height=height,
    )
    left, right = st.columns(2)
    # The files are made only when a reader clicks (deferred download data), not on
    # every rerun of every page.
    left.download_button(
        tr("download.csv"),
        partial(_csv, frame, columns, current, language),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{name}-csv",
        on_click="ignore",
        width="stretch",
    )
    right.download_button(
        tr("download.xlsx"),
        partial(_xlsx, frame, columns, current, language, name),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{name}-xlsx",
        on_click="ignore",
        width="stretch",
    )
