"""The catalogue of named practices: search and filters."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.tables import LIST_SEPARATOR
from present.i18n import Lang, bilingual_name, lang_column, list_separator, theme_name
from present.rows import with_names

PRACTICE_VIEW_COLUMNS = [
    "name", "region", "themes", "summary", "quote", "source", "practice_id", "region_id",
    "source_id", "theme_ids",
]  # fmt: skip
_SEARCHED = ["name_zh", "name_en", "summary_zh", "summary_en", "quote"]


def practice_view(dataset: Dataset, lang: Lang, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every practice (or only ``rows`` of them) with its name, themes and summary in
    ``lang``."""
    out = with_names(dataset.practices if rows is None else rows, dataset, lang)
    out["name"] = [bilingual_name(row, lang) for row in out.to_dict("records")]
    out["theme_ids"] = out["themes"]
    separator = list_separator(lang)
    out["themes"] = out["theme_ids"].map(
        lambda ids: separator.join(theme_name(t, lang) for t in ids.split(LIST_SEPARATOR))
    )
    out["summary"] = out[lang_column("summary", lang)]
    return out[PRACTICE_VIEW_COLUMNS]


def filter_practices(
    dataset: Dataset,
    lang: Lang,
    query: str = "",
    themes: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Practices whose name, summary (either language) or quote contains ``query``
    (case ignored), that carry any of ``themes`` and belong to any of ``regions``."""
    practices = dataset.practices
    keep = pd.Series(True, index=practices.index)
    words = query.strip().casefold()
    if words:
        haystack = practices[_SEARCHED].fillna("").agg(" ".join, axis=1).str.casefold()
        keep &= haystack.str.contains(words, regex=False)
    if themes:
        wanted = set(themes)
        keep &= practices["themes"].map(lambda ids: bool(wanted & set(ids.split(LIST_SEPARATOR))))
    if regions:
        keep &= practices["region_id"].isin(regions)
    return practice_view(dataset, lang)[keep.to_numpy()].reset_index(drop=True)
