"""Turning the bytes of a file into text: the one decoder of the project.

Every file the project reads (the YAML data, the archived articles, an article given
to ``metrics extract``) is UTF-8, a byte-order mark allowed. Only an article on its way
to being curated may also come as GB18030 (a superset of GBK), as Chinese sites and
scanners often save it; the caller asks for that fallback explicitly.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

UTF8, GB18030 = "utf-8", "gb18030"
# GB18030 maps most byte soup to some character; real Chinese text is mostly CJK.
_MIN_CJK_SHARE = 0.8


class DecodedText(NamedTuple):
    """The text of a file and the encoding it was read in."""

    text: str
    encoding: str


class UndecodableText(ValueError):
    """Bytes that are not text in the accepted encodings.

    ``start`` is the offset of the first byte that cannot be decoded (None when the
    bytes decode but do not look like text); ``line`` and ``column`` (1-based) and
    ``byte`` say where and what it is, for messages that point into the file.
    """

    def __init__(self, message: str, raw: bytes, start: int | None) -> None:
        super().__init__(message)
        self.start = start
        self.line: int | None = None
        self.column: int | None = None
        self.byte: int | None = None
        if start is not None:
            before = raw[:start]
            self.line = before.count(b"\n") + 1
            self.column = start - (before.rfind(b"\n") + 1) + 1
            self.byte = raw[start]


def decode_bytes(raw: bytes, allow_gb18030: bool = False) -> DecodedText:
    """``raw`` decoded as UTF-8 (a BOM allowed), else as GB18030 if ``allow_gb18030``.

    Raises ``UndecodableText``: "not UTF-8 at byte N" when only UTF-8 is allowed,
    otherwise a message that names both encodings.
    """
    try:
        return DecodedText(raw.decode("utf-8-sig"), UTF8)
    except UnicodeDecodeError as error:
        if not allow_gb18030:
            message = f"not UTF-8 at byte {error.start}"
            raise UndecodableText(message, raw, error.start) from error
    return _decode_gb18030(raw)


def _decode_gb18030(raw: bytes) -> DecodedText:
    """``raw`` as GB18030, refused unless most of its non-ASCII characters are CJK."""
    try:
        text = raw.decode(GB18030)
    except UnicodeDecodeError as error:
        message = f"neither UTF-8 nor GB18030/GBK (undecodable byte at offset {error.start})"
        raise UndecodableText(message, raw, error.start) from error
    wide = [char for char in text if ord(char) > 127]
    cjk = [char for char in wide if unicodedata.east_asian_width(char) in "WF"]
    if wide and len(cjk) < _MIN_CJK_SHARE * len(wide):
        message = "neither UTF-8 nor GB18030/GBK text (decodes to no Chinese)"
        raise UndecodableText(message, raw, None)
    return DecodedText(text, GB18030)
