"""Numbers written in messages and stubs: separators and the qualifier's mark (``2,000余``)."""

from __future__ import annotations

from decimal import Decimal

from metrics.model.vocab import Qualifier

# Where each qualifier's mark stands beside the number, as in 2,000余 or 近100.
QUALIFIER_SUFFIX = {Qualifier.more_than: "余", Qualifier.at_least: "以上", Qualifier.about: "左右"}
QUALIFIER_PREFIX = {Qualifier.nearly: "近"}


# Whole numbers with more digits are shown as 1.00000e+40: a quote may hold a run of
# digits far past what a float holds, and int-to-text conversion stops at 4300 digits.
_MAX_DIGITS = 30


def plain_number(value: float) -> str:
    """``1,022`` or ``1,010.3``: separators, and no ``.0`` on whole numbers."""
    if isinstance(value, int):
        if abs(value) < 10**_MAX_DIGITS:
            return f"{value:,}"  # exact, where a float would round past 2**53
        return f"{Decimal(value):.5e}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def qualified_number(value: float, qualifier: Qualifier | str) -> str:
    """The number with its qualifier mark: ``2,000余``, ``10左右``, ``近100``."""
    qualifier = Qualifier(qualifier)
    return (
        QUALIFIER_PREFIX.get(qualifier, "")
        + plain_number(value)
        + QUALIFIER_SUFFIX.get(qualifier, "")
    )
