"""Numbers written for people: thousands separators and the Chinese qualifier marks."""

from __future__ import annotations

import unicodedata

from metrics.vocab import Qualifier

# Where each qualifier's mark stands beside the number, as in 2,000余 or 近100.
_SUFFIX = {Qualifier.more_than: "余", Qualifier.at_least: "以上", Qualifier.about: "左右"}
_PREFIX = {Qualifier.nearly: "近"}


def plain_number(value: float) -> str:
    """``1,022`` or ``1,010.3``: separators, and no ``.0`` on whole numbers."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def qualified_number(value: float, qualifier: Qualifier | str) -> str:
    """The number with its qualifier mark: ``2,000余``, ``10左右``, ``近100``."""
    qualifier = Qualifier(qualifier)
    return _PREFIX.get(qualifier, "") + plain_number(value) + _SUFFIX.get(qualifier, "")


def display_width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def text_table(rows: list[list[str]], header: list[str]) -> str:
    """A plain aligned table for terminals, wide characters counted as two columns."""
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
