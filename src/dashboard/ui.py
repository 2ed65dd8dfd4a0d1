"""Widgets every page shares: language, titles, safe text, tables with downloads,
charts, the data banner and choices kept in the URL."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.cache import Data, current_data, view
from dashboard.settings import WORKBENCH_ENV
from dashboard.settings import workbench_enabled as _workbench_setting
from metrics.tools.cite import FORMATS as CITATION_FORMATS
from metrics.tools.cite import citations
from present.brief import Brief
from present.downloads import cited_sources, csv_bytes, with_citation_column, xlsx_bytes
from present.editing import Column
from present.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, Lang, column_title, text
from present.safetext import escape_markdown
from reports.render import FORMATS as BRIEF_FORMATS
from reports.render import render_brief

# Plotly reads its base maps from here (served by Streamlit's static serving) instead
# of its CDN; the relative URL also works when the app sits under a proxy's path.
PLOTLY_CONFIG: dict[str, Any] = {
    "topojsonURL": "app/static/topojson/",
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
LANG_KEY = "lang"


def lang() -> Lang:
    """The language chosen in the sidebar (Chinese until a reader switches)."""
    chosen = st.session_state.get(LANG_KEY)
    return chosen if chosen in LANGS else DEFAULT_LANG


def tr(key: str, **values: Any) -> str:
    """Interface text in the chosen language."""
    return text(key, lang(), **values)


def _from_url(key: str, options: Sequence[str], default: str | None) -> None:
    """Seed a widget's state from ``?key=`` when the session has no valid value yet.

    The URL holds ids (``?region=xinjie``), not the names shown, so a link works in
    either language; an unknown id falls back to ``default``.
    """
    if st.session_state.get(key) in options:
        return
    wanted = st.query_params.get(key)
    st.session_state[key] = wanted if wanted in options else default


def _many_from_url(key: str, options: Sequence[str]) -> None:
    """Like ``_from_url`` for a multiselect: ``?theme=a&theme=b``, unknown ids dropped."""
    if key not in st.session_state:
        st.session_state[key] = [v for v in st.query_params.get_all(key) if v in options]


def _to_url(key: str, value: str | list[str] | None) -> None:
    """Write the choice back to the URL, so the address bar always opens this view."""
    if value in (None, "", []):
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != ([value] if isinstance(value, str) else value):
        st.query_params[key] = value


def language_switch() -> Lang:
    """中文 / English in the sidebar, kept in the URL as ``?lang=en``."""
    _from_url(LANG_KEY, LANGS, DEFAULT_LANG)
    st.sidebar.radio(
        text("app.language", DEFAULT_LANG),
        LANGS,
        format_func=LANG_NAMES.__getitem__,
        key=LANG_KEY,
        horizontal=True,
    )
    _to_url(LANG_KEY, lang())
    return lang()


def workbench_enabled() -> bool:
    """Whether this deployment offers the workbench (``METRICS_WORKBENCH=off`` hides it)."""
    return _workbench_setting(os.environ.get(WORKBENCH_ENV))


def data() -> Data:
    """The data this rerun shows (see ``cache.current_data``)."""
    return current_data()


def start_page(title_key: str) -> tuple[Data, Lang]:
    """The top of every page: the data banner, the title, and the data and language the
    page works with (loaded once per rerun, here)."""
    current = data()
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


def banner(current: Data) -> None:
    """On every page: the file's problems, when it has any, with their lines."""
    if not current.problems:
        return
    key = "banner.stale" if current.stale else "banner.invalid"
    st.warning(tr(key, count=len(current.problems)))
    with st.expander(tr("banner.details")):
        st.code("\n".join(p.render() for p in current.problems), language=None)


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
    frame: pd.DataFrame, columns: Sequence[str], current: Data, language: Lang
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


def _csv(frame: pd.DataFrame, columns: Sequence[str], current: Data, language: Lang) -> bytes:
    return csv_bytes(_download(frame, columns, current, language)[0])


def _xlsx(
    frame: pd.DataFrame, columns: Sequence[str], current: Data, language: Lang, name: str
) -> bytes:
    return xlsx_bytes(*_download(frame, columns, current, language), name)


def table(
    frame: pd.DataFrame,
    columns: Sequence[str],
    name: str,
    current: Data,
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


_CITATION_LABELS = {
    "ris": "cite.download_ris",
    "bibtex": "cite.download_bibtex",
    "csl-json": "cite.download_csl_json",
}


def _citation_file(sources: pd.DataFrame, fmt: str) -> bytes:
    return citations(sources.to_dict("records"), fmt).encode("utf-8")


def citation_downloads(
    sources: pd.DataFrame, name: str, formats: Sequence[str] = ("ris", "bibtex", "csl-json")
) -> None:
    """One download button per format (RIS, BibTeX, CSL-JSON) with the citations of
    ``sources`` (rows of ``dataset.sources``) for a reference manager. The files are
    made only when a reader clicks, like the tables' downloads."""
    columns = st.columns(len(formats))
    for column, fmt in zip(columns, formats, strict=True):
        extension, mime = CITATION_FORMATS[fmt]
        column.download_button(
            tr(_CITATION_LABELS[fmt]),
            partial(_citation_file, sources, fmt),
            file_name=f"{name}.{extension}",
            mime=mime,
            key=f"{name}-{fmt}",
            on_click="ignore",
            width="stretch",
        )


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
    _from_url(key, options, default if default in options else options[0])
    value = st.selectbox(tr(label_key), list(options), format_func=format_func, key=key)
    _to_url(key, value)
    return value


def choose_many(
    label_key: str,
    options: Sequence[str],
    format_func: Callable[[str], str],
    key: str,
) -> list[str]:
    """A multiselect whose choices live in the URL as ``?key=a&key=b``."""
    _many_from_url(key, options)
    values = st.multiselect(
        tr(label_key),
        list(options),
        format_func=format_func,
        key=key,
        placeholder=tr("word.any"),  # Streamlit's own placeholder is English only
    )
    _to_url(key, values)
    return values


def search_box(label_key: str, key: str) -> str:
    """A text search kept in the URL as ``?key=words``."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(key, "")
    words = st.text_input(tr(label_key), key=key)
    _to_url(key, words)
    return words


def choose_level(levels: Sequence[str], format_func: Callable[[str], str], key: str) -> str:
    """A row of radio buttons for one administrative level (or all), kept in the URL."""
    _from_url(key, levels, levels[0])
    value = st.radio(
        tr("compare.level_filter"), list(levels), format_func=format_func, key=key, horizontal=True
    )
    _to_url(key, value)
    return value


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


def _column_config(column: Column) -> Any:
    common: dict[str, Any] = {
        "label": column.label,
        "disabled": not column.editable,
        "width": column.width,
        "pinned": column.pinned or None,
    }
    if column.kind == "select":
        return st.column_config.SelectboxColumn(
            options=list(column.options), format_func=column.shown, **common
        )
    if column.kind == "multiselect":
        return st.column_config.MultiselectColumn(
            options=list(column.options), format_func=column.shown, **common
        )
    if column.kind == "number":
        return st.column_config.NumberColumn(format="localized", **common)
    return st.column_config.TextColumn(**common)


def editor(frame: pd.DataFrame, columns: Sequence[Column], key: str) -> None:
    """A table the reader edits cell by cell (rows are neither added nor removed).

    Its edits live in the session state under ``key``; the page applies them to the
    data it gave (``views.curate.apply_edits``) before it shows anything, so what it
    shows beside the table (the check) always belongs to the edited table. Columns the
    frame does not have are left out."""
    columns = [column for column in columns if column.name in frame.columns]
    st.data_editor(
        frame,
        column_config={column.name: _column_config(column) for column in columns},
        column_order=[column.name for column in columns],
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        placeholder="",
        key=key,
    )


def _brief_file(make_brief: Callable[..., Brief], arguments: tuple, fmt: str) -> bytes:
    return render_brief(make_brief(*arguments), fmt)


def brief_downloads(stem: str, make_brief: Callable[..., Brief], *arguments: Any) -> None:
    """Two buttons, Word and PDF, for the brief ``make_brief(*arguments)``. The brief is
    built only when a reader clicks, like the tables' downloads; ``stem`` names the
    files and the buttons' keys."""
    columns = st.columns(len(BRIEF_FORMATS))
    for column, (fmt, mime) in zip(columns, BRIEF_FORMATS.items(), strict=True):
        column.download_button(
            tr(f"brief.download_{fmt}"),
            partial(_brief_file, make_brief, arguments, fmt),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"{stem}-{fmt}",
            on_click="ignore",
            width="stretch",
        )
    note(tr("brief.download_help"))
