"""How a YAML scalar that looks like a number is read: the spellings taken as numbers,
and the size of a decimal worked out on its text (cheap at any length)."""

from __future__ import annotations

import math
import re

# How a number may be written: decimal digits with an optional sign, fraction and
# exponent (80000000, 12.5, +12, 8e7). YAML 1.1 also reads 0x10, 017 (octal), 0b101,
# 1_000 and 1:20 (base 60, = 80) as numbers; a curator writing them hardly means that,
# so they are kept as the text they are and refused as not a number.
NUMBER_SPELLING = re.compile(
    r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
)
_WHOLE_SPELLING = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NON_FINITE_SPELLING = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
# Longer whole numbers are far past the schema's MAX_EXACT (2**53): they stay text,
# which also keeps int() away from Python's limit of 4300 digits for converting text.
_MAX_WHOLE_CHARS = 20


def read_number(text: str) -> int | float | str:
    """The number a YAML scalar that reads as a number stands for, or else its text.

    Plain decimal spellings give an int or a float; ``.inf`` and ``.nan`` give those
    floats (refused later as not finite). Anything else stays the text as written, for
    the schema to refuse with a message: the YAML 1.1 spellings above, a whole number
    of more than 20 characters, and a decimal that a float would read as infinity or as
    0 although it has a digit other than 0 (1e400, 1e-400).
    """
    if _WHOLE_SPELLING.fullmatch(text):
        return int(text) if len(text) <= _MAX_WHOLE_CHARS else text
    if NUMBER_SPELLING.fullmatch(text):
        number = float(text)
        if math.isinf(number) or (number == 0 and decimal_size(text) is not None):
            return text
        return number
    if _NON_FINITE_SPELLING.fullmatch(text):
        return float(text.replace(".", "", 1))  # Python spells them inf and nan
    return text


def decimal_size(text: str) -> int | None:
    """The power of ten of a decimal's first digit other than 0 (1 for 5, 2 for 50,
    -1 for 0.05); None for zero. Worked out on the text, so any length is cheap."""
    mantissa, _, exponent = text.lstrip("+-").lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = whole + fraction
    leading = len(digits) - len(digits.lstrip("0"))
    if leading == len(digits):
        return None
    shift = exponent.lstrip("+-").lstrip("0")
    # Past 18 digits the exponent is beyond any float either way, and int() of a long
    # text may be refused.
    power = 10**18 if len(shift) > 18 else int(shift or 0)
    return len(whole) - leading + (-power if exponent.startswith("-") else power)
