"""Download buttons for citations (RIS, BibTeX, CSL-JSON) and for briefs (Word, PDF).
A table's own downloads come with the table (``tables``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.ui.language import tr
from dashboard.ui.page import note
from metrics.tools.cite import FORMATS as CITATION_FORMATS
from metrics.tools.cite import citations
from present.brief import Brief
from reports.render import FORMATS as BRIEF_FORMATS
from reports.render import render_brief

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
