"""The Sources page offers the citations for reference managers (RIS, BibTeX, CSL-JSON),
in both languages, made only when a reader clicks; run with AppTest on the seed fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import SEED_DATA, run_app_page, streamlit_caches_cleared
from streamlit.testing.v1 import AppTest

from dashboard.cache import DATA_ENV

LABELS = {
    "zh": {"ris": "下载 RIS", "bibtex": "下载 BibTeX", "csl-json": "下载 CSL-JSON"},
    "en": {"ris": "Download RIS", "bibtex": "Download BibTeX", "csl-json": "Download CSL-JSON"},
}


@pytest.fixture(autouse=True)
def seed_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_ENV, str(SEED_DATA))


@pytest.fixture(autouse=True)
def clear_caches() -> Iterator[None]:
    yield from streamlit_caches_cleared()


def sources_page(lang: str, source: str) -> AppTest:
    return run_app_page("sources", lang, source=source)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sources_page_offers_citation_files(lang: str) -> None:
    app = sources_page(lang, "xinjie-3plus3")
    buttons = {button.key: button for button in app.download_button}
    labels = LABELS[lang]
    # Section 1: every source, RIS and BibTeX; section 2: the chosen one in all three.
    expected = {
        "citations-ris": labels["ris"],
        "citations-bibtex": labels["bibtex"],
        "citation-xinjie-3plus3-ris": labels["ris"],
        "citation-xinjie-3plus3-bibtex": labels["bibtex"],
        "citation-xinjie-3plus3-csl-json": labels["csl-json"],
    }
    assert {key: buttons[key].label for key in expected} == expected
    # Deferred: no file is made until a reader clicks.
    for key in expected:
        assert buttons[key].proto.deferred_file_id and not buttons[key].proto.url
    help_text = {
        "zh": "RIS 可导入 Zotero、EndNote、NoteExpress",
        "en": "RIS imports into Zotero, EndNote and NoteExpress",
    }[lang]
    # ui.note escapes ASCII punctuation for markdown.
    assert any(help_text in caption.value.replace("\\", "") for caption in app.caption)
