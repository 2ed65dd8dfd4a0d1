"""Every interface text exists in both languages, and page code holds none of its own."""

from __future__ import annotations

import ast
import re
import string

import pytest
from conftest import MINIMAL, PROJECT

from metrics.pipeline.load import load_dataset
from present.i18n import (
    COLUMN_TEXT,
    LANGS,
    TEXT,
    bilingual_name,
    by_lang,
    join_names,
    lang_column,
    list_separator,
    region_name,
)
from present.pages import overview

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,} +[A-Za-z]{2,}")
LAYOUT_FILES = [PROJECT / "app.py", *sorted((PROJECT / "app_pages").glob("*.py"))]
UI_FILES = [*LAYOUT_FILES, *sorted((PROJECT / "src" / "dashboard").glob("*.py"))]
DASHBOARD_CODE = [*LAYOUT_FILES, *sorted((PROJECT / "src" / "dashboard").rglob("*.py"))]
I18N = PROJECT / "src" / "dashboard" / "views" / "i18n.py"


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_text_has_both_languages_with_the_same_placeholders() -> None:
    assert TEXT  # the table itself is found: no key would fail an empty one
    empty = [key for key in sorted(TEXT) if not (TEXT[key].zh.strip() and TEXT[key].en.strip())]
    assert empty == [], f"texts without both languages: {empty}"
    differ = {
        key: (sorted(_fields(label.zh)), sorted(_fields(label.en)))
        for key, label in sorted(TEXT.items())
        if _fields(label.zh) != _fields(label.en)
    }
    assert differ == {}, f"placeholders differ (zh, en): {differ}"


def test_column_titles_point_at_existing_texts() -> None:
    assert set(COLUMN_TEXT.values()) <= set(TEXT)


def _docstring_nodes(tree: ast.Module) -> set[int]:
    nodes = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            nodes.add(id(first.value))
    return nodes


def _keys_used(tree: ast.Module) -> list[str]:
    keys = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            wants_key = name in {"tr", "text", "choose", "choose_many", "search_box", "start_page"}
            first = node.args[0] if node.args else None
            if wants_key and isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.append(first.value)
    return keys


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_interface_keys_exist(path) -> None:  # type: ignore[no-untyped-def]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [key for key in _keys_used(tree) if key not in TEXT]
    assert missing == []


@pytest.mark.parametrize("path", LAYOUT_FILES, ids=lambda p: p.name)
def test_page_code_holds_no_interface_text(path) -> None:  # type: ignore[no-untyped-def]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstring_nodes(tree)
    found = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and (CJK.search(node.value) or ENGLISH_PHRASE.search(node.value))
    ]
    assert found == []


def test_the_layout_files_are_found() -> None:
    assert len(LAYOUT_FILES) == 8  # app.py and seven pages: a moved folder is noticed


def _language_tests(tree: ast.Module) -> list[str]:
    """Comparisons with a language code (``lang == "zh"``), as source text."""
    return [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Compare)
        and any(
            isinstance(side, ast.Constant) and side.value in LANGS
            for side in [node.left, *node.comparators]
        )
    ]


@pytest.mark.parametrize("path", DASHBOARD_CODE, ids=lambda p: str(p.relative_to(PROJECT)))
def test_only_i18n_tells_the_languages_apart(path) -> None:  # type: ignore[no-untyped-def]
    found = _language_tests(ast.parse(path.read_text(encoding="utf-8")))
    assert found == (["lang == 'zh'"] if path == I18N else [])


def test_language_helpers() -> None:
    assert by_lang("zh", 1, 2) == 1 and by_lang("en", 1, 2) == 2
    assert lang_column("summary", "en") == "summary_en"
    assert [list_separator(lang) for lang in LANGS] == ["、", ", "]
    assert [list_separator(lang, items_hold_commas=True) for lang in LANGS] == ["、", "; "]
    assert join_names(["甲", "乙", "丙"], "zh", limit=2) == "甲、乙……等 3 个"
    assert join_names(["A", "B"], "en") == "A, B"


def test_english_names_keep_the_chinese_beside_them() -> None:
    indicator = {"name_zh": "网格数", "name_en": "Grid cells"}
    assert bilingual_name(indicator, "zh") == "网格数"
    assert bilingual_name(indicator, "en") == "Grid cells (网格数)"
    town = {"name_zh": "新街镇", "short_zh": float("nan"), "name_en": "Xinjie Town"}
    assert region_name(town, "en") == "Xinjie Town (新街镇)"
    banner = {"name_zh": "科尔沁左翼中旗", "short_zh": "科左中旗", "name_en": "Horqin Left Middle"}
    assert region_name(banner, "zh") == "科左中旗"
    assert region_name(banner, "en") == "Horqin Left Middle (科左中旗)"


def test_overview_cards_name_indicators_in_both_languages_in_english() -> None:
    dataset = load_dataset(MINIMAL / "indicators.yaml")
    cards = overview.headline_cards(dataset, dataset.derived, "en").set_index("family")
    assert cards.loc["Projects and collective economy", "name"] == "Projects (项目数)"
    assert cards.loc["Investment", "name"] == "Investment completed (完成投资)"
