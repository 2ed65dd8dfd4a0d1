"""The article to draft, read from a paste or an upload, or why it cannot be read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from metrics.model.schema import is_id
from metrics.tools.draft.reading import Article, decode_upload
from present.safetext import escape_markdown


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
