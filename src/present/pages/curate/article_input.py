"""The article to draft, read from a paste or an upload, or why it cannot be read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from metrics.model.schema import is_id
from metrics.tools.draft.reading import MAX_ARTICLE_BYTES, Article, decode_upload
from present.safetext import escape_markdown

# The text area takes at most this many characters: a character is at least one byte
# of UTF-8, so no paste within the article's limit is cut (a longer one is refused).
MAX_PASTE_CHARS = MAX_ARTICLE_BYTES


# The uploader's parts Streamlit words in English, whatever the page's language.
_UPLOADER = ".st-key-curate-file"
_BUTTON_TEXT = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
_TOO_BIG_CHIP = '[data-testid="stFileChip"][aria-invalid="true"]'


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (nothing in it can end the string or the style)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + escaped.replace("\n", "\\a ") + '"'


def uploader_css(choose: str, too_big: str) -> str:
    """A style sheet for the workbench's uploader in the page's language: Streamlit's
    English beside it, its limit ("1MB per file", which the label says already) hidden
    and its button's "Upload" replaced by ``choose``; a file the browser refused for
    its size (over 1 MB) says ``too_big`` under it. Pure CSS: nothing is fetched."""
    return (
        "<style>"
        f'{_UPLOADER} [data-testid="stFileUploaderDropzoneInstructions"] {{display: none;}}'
        f"{_UPLOADER} {_BUTTON_TEXT} p {{display: none;}}"
        f"{_UPLOADER} {_BUTTON_TEXT}::after {{content: {_css_string(choose)};}}"
        f"{_UPLOADER} {_TOO_BIG_CHIP}::after {{content: {_css_string(too_big)};"
        " display: block; font-size: 0.8rem; color: inherit;}"
        "</style>"
    )


@dataclass(frozen=True)
class Refusal:
    """Why the input is no article: a text key and its values (already markdown-safe)."""

    key: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Given:
    """An article to draft, and the curator's hints."""

    text: str
    encoding: str
    source_id: str | None
    region_id: str | None
    file_name: str | None

    @property
    def key(self) -> str:
        """Names this input: editors of another article or other hints start afresh."""
        parts = (self.text, self.source_id or "", self.region_id or "")
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:12]


def read_input(
    pasted: str | None,
    file_name: str | None,
    raw: bytes | None,
    source_id: str | None,
    region_id: str | None,
    submitted: bool,
) -> Given | Refusal | None:
    """The article to draft: the uploaded file if there is one, else the pasted text;
    why it cannot be read; or None while nothing was given (and nothing submitted).

    A file must be a ``.txt`` file in UTF-8, GBK or GB18030 of at most 1 MB; a paste
    is read as its UTF-8 bytes, so the same limits hold."""
    source_id = (source_id or "").strip() or None
    if source_id is not None and not is_id(source_id):
        return Refusal("curate.refused.source_id", {"value": escape_markdown(source_id)})
    if raw is None and not pasted and not submitted:
        return None
    if raw is not None:
        name = file_name or ""
        if not name.lower().endswith(".txt"):
            return Refusal("curate.refused.not_txt", {"name": escape_markdown(name)})
    else:
        raw = (pasted or "").encode("utf-8")
    read = decode_upload(raw)
    if not isinstance(read, Article):
        return Refusal(f"curate.refused.{read.code}", read.params)
    return Given(read.text, read.encoding, source_id, region_id or None, file_name)
