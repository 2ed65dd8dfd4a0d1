"""Tables a reader edits cell by cell, their columns drawn from the page's description
of them (``present.editing.Column``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from present.editing import Column


def _column_config(column: Column) -> Any:
    common: dict[str, Any] = {
        "label": column.label,
        "disabled": not column.editable,
        "width": column.width,
        "pinned": column.pinned or None,
    }
    if column.kind == "select":
        return st.column_config.SelectboxColumn(
            options=list(column.options), format_func=column.label_of, **common
        )
    if column.kind == "multiselect":
        return st.column_config.MultiselectColumn(
            options=list(column.options), format_func=column.label_of, **common
        )
    if column.kind == "number":
        return st.column_config.NumberColumn(format="localized", **common)
    return st.column_config.TextColumn(**common)


def editor(frame: pd.DataFrame, columns: Sequence[Column], key: str) -> None:
    """A table the reader edits cell by cell (rows are neither added nor removed).

    Its edits live in the session state under ``key``; the page applies them to the
    data it gave (``present.pages.curate.apply_edits``) before it shows anything, so what it
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
