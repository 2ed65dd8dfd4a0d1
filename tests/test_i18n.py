"""Every interface text exists in both languages, and page code holds none of its own."""

from __future__ import annotations

import ast
import re
import string

import pytest
from conftest import PROJECT

from dashboard.views.i18n import COLUMN_TEXT, TEXT

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH_PHRASE = re.compile(r"[A-Za-z]{2,} +[A-Za-z]{2,}")
LAYOUT_FILES = [PROJECT / "app.py", *sorted((PROJECT / "pages").glob("*.py"))]
UI_FILES = [*LAYOUT_FILES, *sorted((PROJECT / "src" / "dashboard").glob("*.py"))]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    label = TEXT[key]
    assert label.zh.strip() and label.en.strip()
    assert _fields(label.zh) == _fields(label.en)


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
