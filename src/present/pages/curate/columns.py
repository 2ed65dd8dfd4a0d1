"""The editors' columns and the titles of the page's tables: which columns each editor
shows, in which order, what a curator may change and what each choice is called."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.vocab import UNITS, Family, Level, Qualifier, Theme
from metrics.tools.draft.proposal import ACCEPT, DROP, SET_ASIDE, Draft
from present.editing import Column
from present.i18n import (
    Lang,
    column_title,
    family_name,
    level_name,
    qualifier_name,
    text,
    theme_name,
)
from present.quantities import unit_label
from present.rows import indicator_names, region_names

PROBLEMS = "problems"

# What a curator may change in each table of the draft; the rest is shown read-only.
ROW_EDITABLE = (
    "action", "reason", "region", "indicator", "value", "unit", "qualifier", "period",
    "period_note", "quote",
)  # fmt: skip
PRACTICE_EDITABLE = ("action", "name_zh", "name_en", "summary_zh", "summary_en", "themes", "quote")
REGION_EDITABLE = ("name_zh", "name_en", "level", "parent")
INDICATOR_EDITABLE = ("name_zh", "name_en", "unit", "family")

# The order of each editor's columns; ``review`` lays out the editors' frames in it too.
ROW_ORDER = (
    "n", "mention", "action", PROBLEMS, "region", "indicator", "value", "unit", "qualifier",
    "period", "period_note", "quote", "reason", "why_region", "why_indicator", "line",
)  # fmt: skip
PRACTICE_ORDER = (
    "action", PROBLEMS, "name_zh", "name_en", "summary_zh", "summary_en", "themes", "quote",
    "region", "id", "why",
)  # fmt: skip
REGION_ORDER = ("id", PROBLEMS, "name_zh", "name_en", "level", "parent", "why")
INDICATOR_ORDER = ("id", PROBLEMS, "name_zh", "name_en", "unit", "family", "why")

_COLUMN_KEYS = {
    "n": "curate.col.n",
    "action": "curate.col.action",
    PROBLEMS: "curate.col.problems",
    "why_region": "curate.col.why_region",
    "why_indicator": "curate.col.why_indicator",
    "why": "curate.col.why",
    "period_note": "curate.col.period_note",
    "name_zh": "curate.col.name_zh",
    "name_en": "curate.col.name_en",
    "summary_zh": "curate.col.summary_zh",
    "summary_en": "curate.col.summary_en",
    "id": "curate.col.id",
    "parent": "curate.col.parent",
    "field": "curate.col.field",
    "content": "curate.col.content",
}


def label(column: str, lang: Lang) -> str:
    """A column's title on this page."""
    key = _COLUMN_KEYS.get(column)
    return text(key, lang) if key else column_title(column, lang)


def _action_labels(lang: Lang) -> dict[str, str]:
    return {action: text(f"curate.action.{action}", lang) for action in (ACCEPT, SET_ASIDE, DROP)}


def _named(ids: Sequence[str], names: Mapping[str, str]) -> dict[str, str]:
    """id -> ``name · id``, the id beside the name so that two like names differ."""
    return {i: f"{names[i]} · {i}" if names.get(i) else i for i in ids}


def _new_names(frame: pd.DataFrame, lang: Lang) -> dict[str, str]:
    return {
        str(entry["id"]): text("curate.new_name", lang, name=entry["name_zh"])
        for entry in frame.to_dict("records")
    }


def _region_choices(draft: Draft, dataset: Dataset, lang: Lang) -> dict[str, str]:
    known = region_names(dataset, lang)
    new = _new_names(draft.regions, lang)
    return _named([*new, *known], {**known, **new})


def _indicator_choices(draft: Draft, dataset: Dataset, lang: Lang) -> dict[str, str]:
    known = indicator_names(dataset, lang)
    new = _new_names(draft.indicators, lang)
    return _named([*new, *known], {**known, **new})


def _select(
    name: str,
    lang: Lang,
    labels: Mapping[str, str],
    editable: bool = True,
    width: str | None = None,
) -> Column:
    return Column(name, label(name, lang), "select", tuple(labels), labels, editable, width)


def _columns(
    order: Sequence[str], editable: Sequence[str], special: Mapping[str, Column], lang: Lang
) -> list[Column]:
    columns = []
    for name in order:
        if name in special:
            columns.append(special[name])
        else:
            columns.append(Column(name, label(name, lang), editable=name in editable))
    return columns


def _unit_labels(lang: Lang) -> dict[str, str]:
    return {unit: f"{unit_label(unit, lang)} · {unit}" for unit in UNITS}


def row_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The observation editor's columns: action, region, indicator, unit and qualifier
    chosen from lists; the reasons for each proposal read-only."""
    special = {
        "n": Column("n", label("n", lang), "number", width="small", pinned=True),
        "mention": Column("mention", label("mention", lang), pinned=True),
        "action": _select("action", lang, _action_labels(lang)),
        # Wide enough for a name and its id: 新街镇 · xinjie.
        "region": _select("region", lang, _region_choices(draft, dataset, lang), width="medium"),
        "indicator": _select(
            "indicator", lang, _indicator_choices(draft, dataset, lang), width="medium"
        ),
        "value": Column("value", label("value", lang), "number", editable=True),
        "unit": _select("unit", lang, _unit_labels(lang)),
        "qualifier": _select(
            "qualifier", lang, {q.value: qualifier_name(q, lang) for q in Qualifier}
        ),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
        "quote": Column("quote", label("quote", lang), editable=True, width="medium"),
        "line": Column("line", label("line", lang), "number", width="small"),
    }
    return _columns(ROW_ORDER, ROW_EDITABLE, special, lang)


def practice_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The practice editor's columns: accepted or dropped, names, summaries, themes."""
    actions = {a: t for a, t in _action_labels(lang).items() if a != SET_ASIDE}
    themes = {theme.value: theme_name(theme, lang) for theme in Theme}
    special = {
        "action": _select("action", lang, actions),
        "themes": Column(
            "themes", label("themes", lang), "multiselect", tuple(themes), themes, True
        ),
        "region": _select("region", lang, _region_choices(draft, dataset, lang), editable=False),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
    }
    return _columns(PRACTICE_ORDER, PRACTICE_EDITABLE, special, lang)


def region_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The new regions' editor: names, level and parent (known or new)."""
    levels = {level.value: level_name(level, lang) for level in Level}
    special = {
        "level": _select("level", lang, levels),
        "parent": _select("parent", lang, _region_choices(draft, dataset, lang)),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
    }
    return _columns(REGION_ORDER, REGION_EDITABLE, special, lang)


def indicator_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The new indicators' editor: name, unit and family."""
    families = {family.value: family_name(family, lang) for family in Family}
    special = {
        "unit": _select("unit", lang, _unit_labels(lang)),
        "family": _select("family", lang, families),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
    }
    return _columns(INDICATOR_ORDER, INDICATOR_EDITABLE, special, lang)


def titled(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """``frame`` with its columns titled in ``lang``, for a read-only table."""
    return frame.rename(columns={column: label(column, lang) for column in frame.columns})


def region_labels(draft: Draft, dataset: Dataset, lang: Lang) -> dict[str, str]:
    """Region id -> name in ``lang``, the draft's new regions marked as new."""
    return {**region_names(dataset, lang), **_new_names(draft.regions, lang)}
