"""Every text of the dashboard's interface, in Chinese and English.

The texts live in one catalogue per language beside this module (``zh.toml``,
``en.toml``: a table per part of the interface, a key per text, ``{placeholders}`` for
what a page fills in), so a translator edits a data file, not code. Pages never hold
interface text of their own: they ask for it by key with ``text``.
Names that come from the data (regions, indicators) are shown in the chosen language,
and an English name always keeps its Chinese original beside it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, Literal, TypeVar

from metrics.model.vocab import (
    FAMILY_LABELS,
    LEVEL_LABELS,
    QUALIFIER_LABELS,
    THEME_LABELS,
    Family,
    Label,
    Level,
    Qualifier,
    Theme,
)

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
# The switch shows each language in its own script, whatever the current language.
LANG_NAMES: dict[Lang, str] = {"zh": "中文", "en": "English"}


def _flat(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """``{"app": {"title": "…"}}`` -> ``{"app.title": "…"}``."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def catalogue(lang: Lang) -> dict[str, str]:
    """Every interface text of ``lang`` by key, as its catalogue file holds it."""
    raw = resources.files(__package__).joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return _flat(tomllib.loads(raw))


def _texts() -> dict[str, Label]:
    """The keys of the Chinese catalogue with their text in both languages; a key
    missing from the English one is left out (and named by the i18n test)."""
    zh, en = catalogue("zh"), catalogue("en")
    return {key: Label(text, en[key]) for key, text in zh.items() if key in en}


# Every interface text, read once when the dashboard starts.
TEXT: dict[str, Label] = _texts()


Choice = TypeVar("Choice")


def by_lang(lang: Lang, zh: Choice, en: Choice) -> Choice:
    """What a reader of ``lang`` gets of two alternatives (texts, columns, functions).

    The one place that tells the languages apart: everything else asks here."""
    return zh if lang == "zh" else en


def pick(label: Label, lang: Lang) -> str:
    """One side of a bilingual label."""
    return by_lang(lang, label.zh, label.en)


def lang_column(stem: str, lang: Lang) -> str:
    """The column that holds ``stem`` in ``lang``: ``name_zh`` or ``name_en``."""
    return f"{stem}_{lang}"


def text(key: str, lang: Lang, **values: Any) -> str:
    """The interface text ``key`` in ``lang``, with ``{placeholders}`` filled in."""
    template = pick(TEXT[key], lang)
    return template.format(**values) if values else template


# Between the items of a list in running text: 甲、乙 or A, B. English items that may
# hold commas of their own (indicator names) are set apart by semicolons instead.
_SEPARATOR = Label("、", ", ")
_PHRASE_SEPARATOR = Label("、", "; ")


def list_separator(lang: Lang, items_hold_commas: bool = False) -> str:
    """What goes between two items of a list as a reader of ``lang`` writes it."""
    return pick(_PHRASE_SEPARATOR if items_hold_commas else _SEPARATOR, lang)


# A list of names in running text stops after this many and says how many there are.
NAMES_SHOWN = 30


def join_names(names: Sequence[str], lang: Lang, limit: int = NAMES_SHOWN) -> str:
    """A list of names as a reader of ``lang`` writes it: ``甲、乙`` or ``A, B``; past
    ``limit`` names, ``甲、乙……等 N 个`` or ``A, B, … (N in all)``."""
    listed = list_separator(lang).join(names[:limit])
    if len(names) <= limit:
        return listed
    return listed + text("word.names_more", lang, count=len(names))


def family_name(family: str, lang: Lang) -> str:
    """A family's name in ``lang``."""
    return pick(FAMILY_LABELS[Family(family)], lang)


def level_name(level: str, lang: Lang) -> str:
    """An administrative level's name in ``lang``."""
    return pick(LEVEL_LABELS[Level(level)], lang)


def qualifier_name(qualifier: str, lang: Lang) -> str:
    """A qualifier's name in ``lang``."""
    return pick(QUALIFIER_LABELS[Qualifier(qualifier)], lang)


def theme_name(theme: str, lang: Lang) -> str:
    """A practice theme's name in ``lang``."""
    return pick(THEME_LABELS[Theme(theme)], lang)


def _text_or_none(value: object) -> str | None:
    """``value`` when it is a non-empty text, else None (a missing cell is NaN)."""
    return value if isinstance(value, str) and value else None


def region_name(region: Mapping[str, Any], lang: Lang) -> str:
    """``科左中旗`` in Chinese; ``Horqin Left Middle Banner (科左中旗)`` in English."""
    chinese = _text_or_none(region.get("short_zh")) or str(region["name_zh"])
    return _with_original(chinese, str(region["name_en"]), lang)


def bilingual_name(row: Mapping[str, Any], lang: Lang) -> str:
    """An indicator's or practice's name; the English name keeps the Chinese beside it."""
    return _with_original(str(row["name_zh"]), str(row["name_en"]), lang)


def _with_original(chinese: str, english: str, lang: Lang) -> str:
    """``chinese`` for a Chinese reader; ``english (chinese)`` for an English one, who
    can then find the name in the articles."""
    return by_lang(lang, chinese, f"{english} ({chinese})")


# Column id of a shaped table -> key of its title.
COLUMN_TEXT: dict[str, str] = {
    "region": "word.region",
    "indicator": "word.indicator",
    "family": "word.family",
    "shown": "word.shown_as",
    "computed": "word.computed",
    "value": "word.value",
    "qualifier": "word.qualifier",
    "unit": "word.unit",
    "period": "word.period",
    "source": "word.source",
    "quote": "word.quote",
    "observation_id": "word.observation",
    "line": "word.line",
    "citation": "word.citation",
    "name": "word.name",
    "summary": "word.summary",
    "themes": "word.themes",
    "status": "word.status",
    "detail": "word.detail",
    "relation": "word.relation",
    "level": "word.level",
    "measure": "word.measure",
    "inputs": "word.inputs",
    "mention": "word.mention",
    "reason": "word.reason",
    "missing_count": "quality.missing_count",
    "missing_families": "quality.missing_families",
    "missing_indicators": "word.indicator",
    "numerator": "word.numerator",
    "denominator": "word.denominator",
    "marker": "word.marker",
    "date": "word.date",
    "message": "word.problem",
    "code": "word.code",
    "hint": "word.hint",
    "profile": "word.page_link",
    "title": "word.name",
    "source_id": "word.source",
}


def column_title(column: str, lang: Lang) -> str:
    """The title of a table column in ``lang``; unknown columns keep their id."""
    key = COLUMN_TEXT.get(column)
    return text(key, lang) if key else column
