"""Text from the data as messages and terminals show it, and the characters it may not hold.

A problem names what it is about (an id, a quote, a mention), and a file may hold
anything. A terminal obeys control characters: ESC starts a sequence that moves the
cursor or clears the line, CR returns to the line's start, so a hostile id could write
"ok" over the problems printed before it. And a mention of a million characters makes a
problem line of a million characters. Whatever is echoed passes through ``visible``:
every control character is shown as an escape (``\\x1b``, ``\\r``), and a long text is cut.
"""

from __future__ import annotations

import re

# What a text field may not hold: the C0 controls but tab and newline, DEL, the C1
# controls, and the two noncharacters U+FFFE and U+FFFF. YAML refuses them written as
# they are, but double quotes take escapes (\x07, \e, \u0008); Word files refuse
# them (lxml: "All strings must be XML compatible"), and terminals obey the controls.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# What a terminal may obey or a one-line message must not break at: all of C0, DEL, C1.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# What ``json.dumps`` leaves as it is, although a terminal may obey it: DEL and C1.
_UNESCAPED_BY_JSON = re.compile("[\x7f-\x9f]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPES = {
    code: _NAMED.get(chr(code), f"\\x{code:02x}") for code in (*range(0x20), *range(0x7F, 0xA0))
}
# An echoed text longer than this is cut: enough for any id, quote or mention a
# curator writes, and a problem line stays a line.
ECHO_LIMIT = 200


def codepoint(char: str) -> str:
    """A character as Unicode names it: U+0007."""
    return f"U+{ord(char):04X}"


def forbidden_character(text: str) -> str | None:
    """The first character of ``text`` that a text field may not hold, as U+XXXX."""
    found = FORBIDDEN.search(text)
    return None if found is None else codepoint(found.group())


def escaped(text: str) -> str:
    """``text`` on one line with every control character as a visible escape."""
    if _CONTROL.search(text) is None:  # the common case: nothing to replace
        return text
    return text.translate(_ESCAPES)


def cut(text: str) -> str:
    """A value for a message about its spelling, cut short when long: never thousands
    of digits (a number's problem shows its first 20 characters)."""
    return text if len(text) <= 40 else shortened(text, 20)


def shortened(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` cut after ``limit`` characters, saying how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def visible(text: str, limit: int | None = ECHO_LIMIT) -> str:
    """``text`` as a message or a terminal may show it: cut (unless ``limit`` is None),
    then every control character escaped."""
    return escaped(text if limit is None else shortened(text, limit))


def json_escaped(dumped: str) -> str:
    """JSON text (or a YAML scalar in double quotes) with DEL and the C1 controls as
    ``\\u`` escapes too: ``json.dumps`` escapes only C0, and the same text reads back."""
    return _UNESCAPED_BY_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", dumped)
