"""Numbers as a reader of each language expects them: 8,000余万元, 80,000,000+ yuan."""

from __future__ import annotations

import math

from dashboard.views.i18n import Lang
from metrics.model.formatting import QUALIFIER_SUFFIX
from metrics.model.vocab import UNITS, Label, Qualifier

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
        return f"{digits}{mark}{name}{QUALIFIER_SUFFIX.get(qualifier, '')}"
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
