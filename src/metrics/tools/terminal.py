"""Plain aligned tables for a terminal, where Chinese characters take two columns."""

from __future__ import annotations

import unicodedata

from metrics.model.echo import escaped


def display_width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def text_table(rows: list[list[str]], header: list[str]) -> str:
    """A plain aligned table for terminals, wide characters counted as two columns.

    Cells come from the data and the articles: their control characters are shown as
    escapes, so that none moves the cursor or breaks a row."""
    header = [escaped(cell) for cell in header]
    rows = [[escaped(cell) for cell in row] for row in rows]
    widths = [display_width(h) for h in header]
    for row in rows:
        widths = [max(w, display_width(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        padded = [
            cell + " " * (w - display_width(cell)) for cell, w in zip(cells, widths, strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = ["-" * w for w in widths]
    return "\n".join([line(header), line(rule), *(line(row) for row in rows)])
