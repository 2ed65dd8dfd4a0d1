"""The draft to download: its file and the archived text in one zip, laid out as in
``data/``, to unpack there (the server writes nothing)."""

from __future__ import annotations

from metrics.tools.draft.proposal import Draft
from metrics.tools.draft_yaml import RenderedDraft, draft_zip


def zip_name(draft: Draft) -> str:
    """The download's file name: ``draft-<source-id>.zip``."""
    return f"draft-{draft.source_id}.zip"


def zip_bytes(draft: Draft, rendered: RenderedDraft) -> bytes:
    """The draft file and the archived text, laid out as in ``data/``."""
    return draft_zip(draft, rendered)
