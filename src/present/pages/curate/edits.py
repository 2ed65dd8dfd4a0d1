"""The curator's edits applied to the draft: Streamlit keeps each editor's changed cells
in the session state, under keys named after the article and the data (``Keys``), and
every rerun applies them to the draft as proposed (``edited_draft``)."""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.tables import LIST_SEPARATOR
from metrics.tools.draft.derived import derived_that_apply
from metrics.tools.draft.proposal import Draft
from present.i18n import Lang, lang_column, list_separator, text
from present.pages.curate.article_input import Given
from present.pages.curate.columns import (
    INDICATOR_EDITABLE,
    PRACTICE_EDITABLE,
    REGION_EDITABLE,
    ROW_EDITABLE,
)
from present.safetext import escape_markdown


@dataclass(frozen=True)
class Keys:
    """Session-state keys of one article's editors and checkboxes."""

    rows: str
    practices: str
    regions: str
    indicators: str
    derived: str  # prefix; one checkbox per derived measure

    @classmethod
    def of(cls, given: Given, dataset: Dataset) -> Keys:
        """Keys for this article and data: a new article, other hints or changed data
        start with the draft as proposed (a row number may mean another row then)."""
        digest = hashlib.sha256(f"{given.key}|{dataset.key}".encode()).hexdigest()[:12]
        return cls(
            rows=f"curate-rows-{digest}",
            practices=f"curate-practices-{digest}",
            regions=f"curate-regions-{digest}",
            indicators=f"curate-indicators-{digest}",
            derived=f"curate-derived-{digest}-",
        )


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def themes_text(value: object) -> str | None:
    """The editor's list of themes as the draft writes them (``a; b``)."""
    if _missing(value):
        return None
    items = list(value) if isinstance(value, list | tuple) else str(value).split(LIST_SEPARATOR)
    return LIST_SEPARATOR.join(str(item) for item in items if str(item).strip()) or None


def _number(value: object) -> float:
    if _missing(value) or isinstance(value, bool):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _text_cell(value: object) -> str | None:
    if _missing(value):
        return None
    shown = str(value)
    return shown if shown.strip() else None


def apply_edits(
    frame: pd.DataFrame,
    state: Mapping[str, Any] | None,
    editable: Sequence[str],
    convert: Mapping[str, Callable[[object], object]] | None = None,
) -> pd.DataFrame:
    """``frame`` with the cells a curator changed in its editor.

    ``state`` is the editor's session state (``{"edited_rows": {position: {column:
    value}}}``); only ``editable`` columns of existing rows are taken, a cleared cell
    is missing, a number column keeps numbers. The frame given is not changed."""
    changes = (state or {}).get("edited_rows") or {}
    if not changes:
        return frame
    out = frame.copy()
    convert = convert or {}
    for position, row in changes.items():
        at = int(position)
        if not 0 <= at < len(out) or not isinstance(row, Mapping):
            continue
        for column, value in row.items():
            if column not in editable or column not in out.columns:
                continue
            if column in convert:
                cell = convert[column](value)
            elif pd.api.types.is_numeric_dtype(out[column]):
                cell = _number(value)
            else:
                cell = _text_cell(value)
            out.iat[at, out.columns.get_loc(column)] = cell
    return out


def _derived_key(measure: Mapping[str, Any]) -> str:
    return "-".join(str(measure.get(part) or "") for part in ("measure_id", "region", "period"))


def derived_of(rows: pd.DataFrame, state: Mapping[str, Any], prefix: str) -> pd.DataFrame:
    """The derived measures the accepted rows give, each with the checkbox's key
    (``key``) and whether it applies (ticked, which it is until the curator unticks it)."""
    derived = derived_that_apply(rows)
    keys = [prefix + _derived_key(measure) for measure in derived.to_dict("records")]
    applies = [bool(state.get(key, True)) for key in keys]
    return derived.assign(applies=applies, key=keys)


def derived_label(measure: Mapping[str, Any], regions: Mapping[str, str], lang: Lang) -> str:
    """``项目平均投资（新街镇、2019）：由 #5, #4 计算`` as safe markdown."""
    region, period = measure["region"], measure["period"]
    parts = [regions.get(region, region) if not _missing(region) else None, period]
    where = list_separator(lang).join(str(part) for part in parts if not _missing(part))
    return escape_markdown(
        text(
            "curate.derived_item",
            lang,
            name=measure[lang_column("name", lang)],
            where=where or "-",
            rows=measure["rows"],
        )
    )


def edits_of(state: Mapping[str, Any], keys: Keys) -> dict[str, Any]:
    """The curator's edits alone, copied out of the session state (``state``): what
    ``edited_draft`` reads, a few small dicts, to apply later (when a download is made)."""
    names = [keys.rows, keys.practices, keys.regions, keys.indicators]
    names += [name for name in state if str(name).startswith(keys.derived)]
    return {name: copy.deepcopy(state[name]) for name in names if name in state}


def edited_draft(draft: Draft, state: Mapping[str, Any], keys: Keys) -> Draft:
    """The draft with every edit the curator has made so far."""
    rows = apply_edits(draft.rows, state.get(keys.rows), ROW_EDITABLE)
    practices = apply_edits(
        draft.practices,
        state.get(keys.practices),
        PRACTICE_EDITABLE,
        {"themes": themes_text},
    )
    regions = apply_edits(draft.regions, state.get(keys.regions), REGION_EDITABLE)
    indicators = apply_edits(draft.indicators, state.get(keys.indicators), INDICATOR_EDITABLE)
    derived = derived_of(rows, state, keys.derived)
    return replace(
        draft,
        rows=rows,
        practices=practices,
        regions=regions,
        indicators=indicators,
        derived=derived.drop(columns="key"),
    )
