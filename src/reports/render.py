"""One entry to the renderers: a brief as the bytes of a .docx or a .pdf file."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # the model's modules load when a brief is made, not with every command
    from present.brief.model import Brief

Format = Literal["docx", "pdf"]
FORMATS: dict[str, str] = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _renderer(fmt: str) -> Callable[[Brief], bytes]:
    # Imported on use: WeasyPrint takes seconds to import, and a Word brief needs none of it.
    if fmt == "docx":
        from reports.docx_brief import brief_docx

        return brief_docx
    if fmt == "pdf":
        from reports.pdf_brief import brief_pdf

        return brief_pdf
    raise ValueError(f"unknown brief format {fmt!r}; known: {', '.join(FORMATS)}")


def render_brief(brief: Brief, fmt: str) -> bytes:
    """The brief as a file of format ``fmt`` (``docx`` or ``pdf``)."""
    return _renderer(fmt)(brief)
