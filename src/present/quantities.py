"""Numbers as a reader of each language expects them: 8,000余万元, 80,000,000+ yuan."""

from __future__ import annotations

import math

from metrics.model.formatting import QUALIFIER_SUFFIX
from metrics.model.vocab import UNITS, Label, Qualifier
from present.i18n import Lang, by_lang, pick

# Chinese groups large numbers by 万 (10^4) and 亿 (10^8). A magnitude is used only when
# the number stays exact with few decimals, so 4,236 stays 4,236 and 12,345 is not
# turned into 1.2345万; 80,000,000 becomes 8,000万 and 19,000 becomes 1.9万.
_MAGNITUDES = ((1e8, "亿", 4), (1e4, "万", 2))
# Shown decimals of numbers that are not whole (shares, per-unit measures).
_DISPLAY_DECIMALS = 2


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


def _english_grouping(value: float) -> tuple[str, str]:
    """The digits for an English reader, who has no magnitude character."""
    return _digits(value, _DISPLAY_DECIMALS), ""


def display_number(value: float, lang: Lang) -> str:
    """A number as a reader of ``lang`` expects it: ``8,000万`` or ``80,000,000``."""
    digits, mark = by_lang(lang, _chinese_grouping, _english_grouping)(value)
    return digits + mark


def unit_label(unit: str | Label, lang: Lang) -> str:
    """The unit's name in ``lang``: a unit id or a label; an unknown id is shown as it is."""
    if isinstance(unit, Label):
        return pick(unit, lang)
    known = UNITS.get(unit)
    if known is None:
        return unit
    return pick(known.label, lang)


def _chinese_quantity(value: float, qualifier: Qualifier, unit: str) -> str:
    """In the article's word order: ``2,000余人次``, ``5万元以上``, ``近100个``."""
    digits, mark = _chinese_grouping(value)
    if qualifier == Qualifier.more_than:
        return f"{digits}余{mark}{unit}"
    if qualifier == Qualifier.nearly:
        return f"近{digits}{mark}{unit}"
    return f"{digits}{mark}{unit}{QUALIFIER_SUFFIX.get(qualifier, '')}"


def _english_quantity(value: float, qualifier: Qualifier, unit: str) -> str:
    """``2,000+ person-times``, ``at least 50,000 yuan``, ``75.87%``."""
    digits, _ = _english_grouping(value)
    spaced = unit if unit == "%" else f" {unit}"
    english = {
        Qualifier.exact: f"{digits}{spaced}",
        Qualifier.more_than: f"{digits}+{spaced}",
        Qualifier.at_least: f"at least {digits}{spaced}",
        Qualifier.about: f"about {digits}{spaced}",
        Qualifier.nearly: f"nearly {digits}{spaced}",
    }
    return english[qualifier]


def display_quantity(
    value: float, qualifier: Qualifier | str, unit: str | Label, lang: Lang
) -> str:
    """Value, qualifier and unit as one phrase.

    Chinese keeps the article's word order: ``2,000余人次``, ``8,000余万元``,
    ``5万元以上``, ``10户左右``, ``近100个``. English: ``2,000+ person-times``,
    ``at least 50,000 yuan``, ``about 10 households``, ``nearly 100 items``.
    """
    phrase = by_lang(lang, _chinese_quantity, _english_quantity)
    return phrase(value, Qualifier(qualifier), unit_label(unit, lang))
