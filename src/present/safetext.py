"""Text from the data, made safe for Streamlit's markdown.

Titles, quotes and article texts come from the web and may contain anything.
Streamlit's markdown reads ``$...$`` as math, ``:red[...]`` as directives,
``[x](javascript:...)`` as links and ``<b>`` as HTML; escaping every ASCII
punctuation mark with a backslash (which CommonMark allows for all of them) turns
all of that back into the characters it is made of.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACE_RUN = re.compile(r"[ \t]{2,}|^[ \t]+", re.MULTILINE)
_NBSP = "\u00a0"


def escape_markdown(text: str) -> str:
    """``text`` as markdown that shows exactly these characters, on one line."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    return " ".join(escaped.split())


def escape_markdown_block(text: str) -> str:
    """A multi-line text as markdown that keeps its line breaks and spacing.

    Runs of spaces become no-break spaces, so indentation cannot start a code block
    and the columns of a scanned page stay apart; every line ends in a hard break.
    """
    escaped = _PUNCTUATION.sub(r"\\\1", text.replace("\r\n", "\n").replace("\r", "\n"))
    spaced = _SPACE_RUN.sub(lambda m: _NBSP * len(m.group()), escaped)
    return "  \n".join(spaced.split("\n"))
