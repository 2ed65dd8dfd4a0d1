"""Numbers written for people: separators, 万/亿 for Chinese readers, qualifier marks."""

from __future__ import annotations

import math
import unicodedata
from typing import Literal

from metrics.vocab import UNITS, Label, Qualifier

Lang = Literal["zh", "en"]

# Where each qualifier's mark stands beside the number, as in 2,000余 or 近100.
_SUFFIX = {Qualifier.more_than: "余", Qualifier.at_least: "以上", Qualifier.about: "左右"}
_PREFIX = {Qualifier.nearly: "近"}
# Chinese groups large numbers by 万 (10^4) and 亿 (10^8). A magnitude is used only when
# the number stays exact with few decimals, so 4,236 stays 4,236 and 12,345 is not
# turned into 1.2345万; 80,000,000 becomes 8,000万 and 19,000 becomes 1.9万.
_MAGNITUDES = ((1e8, "亿", 4), (1e4, "万", 2))
# Shown decimals of numbers that are not whole (shares, per-unit measures).
_DISPLAY_DECIMALS = 2


def plain_number(value: float) -> str:
    """``1,022`` or ``1,010.3``: separators, and no ``.0`` on whole numbers."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def qualified_number(value: float, qualifier: Qualifier | str) -> str:
    """The number with its qualifier mark: ``2,000余``, ``10左右``, ``近100``."""
    qualifier = Qualifier(qualifier)
    return _PREFIX.get(qualifier, "") + plain_number(value) + _SUFFIX.get(qualifier, "")


def _digits(value: float, decimals: int) -> str:
    """Separators and at most ``decimals`` decimals, trailing zeros dropped."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _chinese_grouping(value: float) -> tuple[str, str]:
    """The digits and the magnitude character (万, 亿 or nothing) for a Chinese reader."""
    for size, mark, decimals in _MAGNITUDES:
        scaled = value / size
        if value >= size and math.isclose(scaled, round(scaled, decimals), abs_tol=1e-9):
            return _digits(scaled, decimals), mark
    return _digits(value, _DISPLAY_DECIMALS), ""


def display_number(value: float, lang: Lang) -> str:
    """A number as a reader of ``lang`` expects it: ``8,000万`` or ``80,000,000``."""
    if lang == "zh":
        digits, mark = _chinese_grouping(value)
        return digits + mark
    return _digits(value, _DISPLAY_DECIMALS)


def unit_label(unit: str | Label, lang: Lang) -> str:
    """The unit's name in ``lang``: a unit id or a label; an unknown id is shown as it is."""
    if isinstance(unit, Label):
        return unit.zh if lang == "zh" else unit.en
    known = UNITS.get(unit)
    if known is None:
        return unit
    return known.label.zh if lang == "zh" else known.label.en


def display_quantity(
    value: float, qualifier: Qualifier | str, unit: str | Label, lang: Lang
) -> str:
    """Value, qualifier and unit as one phrase.

    Chinese keeps the article's word order: ``2,000余人次``, ``8,000余万元``,
    ``5万元以上``, ``10户左右``, ``近100个``. English: ``2,000+ person-times``,
    ``at least 50,000 yuan``, ``about 10 households``, ``nearly 100 items``.
    """
    qualifier = Qualifier(qualifier)
    name = unit_label(unit, lang)
    if lang == "zh":
        digits, mark = _chinese_grouping(value)
        if qualifier == Qualifier.more_than:
            return f"{digits}余{mark}{name}"
        if qualifier == Qualifier.nearly:
            return f"近{digits}{mark}{name}"
        return f"{digits}{mark}{name}{_SUFFIX.get(qualifier, '')}"
    digits = _digits(value, _DISPLAY_DECIMALS)
    spaced = name if name == "%" else f" {name}"
    english = {
        Qualifier.exact: f"{digits}{spaced}",
        Qualifier.more_than: f"{digits}+{spaced}",
        Qualifier.at_least: f"at least {digits}{spaced}",
        Qualifier.about: f"about {digits}{spaced}",
        Qualifier.nearly: f"nearly {digits}{spaced}",
    }
    return english[qualifier]


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
