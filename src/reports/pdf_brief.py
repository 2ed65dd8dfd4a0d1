"""The PDF of a brief: the document model written as HTML with CSS paged media, then
laid out by WeasyPrint.

Everything the PDF shows is in the one HTML string: the CSS in a ``<style>``, each chart
a PNG in a ``data:`` URL. The fetcher WeasyPrint is given refuses every other URL, so
rendering makes no request, reads no file and needs no network. The CJK font is the
system's Noto Sans CJK SC (fontconfig finds it by name); WeasyPrint subsets it and
embeds it in the PDF.

Numbers are written as the Word renderer writes them, ``2,000余人次 [1]`` (the value as
reported, then its reference numbers), so both files say the same thing in the same
words. Every text from the data goes through ``html.escape``.

WeasyPrint takes about 3 s to import, so it is imported in ``brief_pdf`` only: a page
that merely offers the download does not pay for it.
"""

from __future__ import annotations

import base64
import html
import re
import unicodedata
from functools import cache
from typing import TYPE_CHECKING

from present.brief.model import (
    Bars,
    Brief,
    Paragraph,
    Quantity,
    Reference,
    Section,
    Series,
    Table,
    refs_text,
    written,
)
from present.i18n import by_lang
from reports.figures import DPI, chart_png

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

FONT_FAMILY = '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif'
# The text width of the page (A4, 2.5 cm each side: 16 cm, the charts' width) in ems of
# the tables' 9.5 pt text; columns are shared out from it.
_TABLE_EMS = 47.0
_WRAPPED_MAX_EMS = 30.0  # a column that may wrap asks for at most this much
_COLUMN_MIN_EMS = 3.0
_SHORT_EMS = 8.0  # a column whose every text is this short never wraps
# A column of numbers asks for at most this much: a longer number
# (``200+ person-times per session [1]``) wraps, shorter ones are kept on one line.
_NUMBER_MAX_EMS = 16.0

_CSS = """
@page {
  size: A4 portrait;
  margin: 2.2cm 2.5cm 2.4cm 2.5cm;
  @bottom-center {
    content: PAGE_LABEL;
    font-family: FONT_FAMILY;
    font-size: 9pt;
    color: #555;
  }
}
html {
  font-family: FONT_FAMILY;
  font-size: 10.5pt;
  line-height: 1.55;
  color: #1a1a1a;
}
body { margin: 0; overflow-wrap: anywhere; }
h1 { font-size: 18pt; line-height: 1.3; margin: 0 0 0.3em 0; }
h2 {
  font-size: 13.5pt; line-height: 1.35; margin: 1.3em 0 0.5em 0;
  padding-bottom: 0.15em; border-bottom: 0.6pt solid #999;
  break-after: avoid;
}
h3 { font-size: 11.5pt; margin: 1em 0 0.4em 0; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 0.8em 0 0.3em 0; break-after: avoid; }
p { margin: 0 0 0.55em 0; }
.subtitle { font-size: 11.5pt; color: #333; margin: 0 0 0.2em 0; }
.dated { font-size: 9pt; color: #666; margin: 0 0 1em 0; }
.note { font-size: 9pt; color: #555; }
.warning {
  border-left: 3pt solid #c8553d; background: #fbeeea;
  padding: 0.3em 0.6em; margin-left: 0;
}
.name { font-weight: bold; margin: 0.9em 0 0.2em 0; break-after: avoid; }
table {
  table-layout: fixed; width: 100%; border-collapse: collapse;
  font-size: 9.5pt; line-height: 1.4; margin: 0.3em 0 0.6em 0;
}
th, td {
  border: 0.5pt solid #bbb; padding: 0.25em 0.4em;
  text-align: left; vertical-align: top;
  overflow-wrap: anywhere;
}
th { background: #eef2f7; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.q { white-space: nowrap; }
td.computed { font-style: italic; }
table + .note { margin-top: -0.3em; }
figure { margin: 0.4em 0 0.6em 0; break-inside: avoid; }
figure img {
  display: block; max-width: 100%; max-height: 23cm;  /* a page holds the tallest chart */
  image-resolution: IMAGE_DPI;
}
figcaption { font-size: 9pt; color: #555; margin-top: 0.2em; }
.reference { margin: 0 0 0.7em 0; }
.citation {
  margin: 0 0 0.15em 0; padding-left: 2em; text-indent: -2em;
  break-inside: avoid; break-after: avoid;
}
.quotes-label { font-size: 8.5pt; color: #666; margin: 0 0 0.1em 2em; break-after: avoid; }
.quote { font-size: 9pt; color: #333; margin: 0 0 0.1em 2em; break-inside: avoid; }
.reference .note { margin-left: 2em; }
"""


# --- the texts, as both renderers write them (``brief.written``) ----------------------


def paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text, ending with `` [n]`` when it cites references."""
    return paragraph.text + refs_text(paragraph.refs)


def quote_text(quote: str) -> str:
    return f"“{quote}”"


# --- CSS --------------------------------------------------------------------------------


def css_string(value: str) -> str:
    """``value`` as a CSS string: quotes and backslashes escaped, and the characters
    that could end a ``<style>`` element or a line written as hex escapes."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif char in "<>&" or ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\{ord(char):x} ")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


_PLACEHOLDER = re.compile(r"\{(page|pages)\}")


def page_content(label: str) -> str:
    """``第 {page} 页`` -> ``"第 " counter(page) " 页"`` (``{pages}`` is the page count);
    a label without ``{page}`` is followed by the number."""
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(label):
        if match.start() > position:
            parts.append(css_string(label[position : match.start()]))
        parts.append(f"counter({match.group(1)})")
        position = match.end()
    if position < len(label):
        parts.append(css_string(label[position:]))
    if not any(p == "counter(page)" for p in parts):
        parts += [css_string(" ") if parts else "", "counter(page)"]
    return " ".join(p for p in parts if p)


def stylesheet(brief: Brief) -> str:
    return (
        _CSS.replace("PAGE_LABEL", page_content(brief.page_label))
        .replace("FONT_FAMILY", FONT_FAMILY)
        .replace("IMAGE_DPI", f"{DPI}dpi")
    )


# --- HTML -------------------------------------------------------------------------------


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _ems(value: str) -> float:
    """The width of a text in ems, roughly: a wide (CJK) character is one, others half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in value)


def column_widths(table: Table) -> list[float]:
    """Percent widths of the columns, from the lengths of their texts: a column of
    numbers (kept on one line) is as wide as its longest number or its heading, and
    the columns that may wrap share the rest by what they hold (their longest text,
    or a third more than their average when that is less: one long name should not
    take the room of a column of long formulas)."""
    count = len(table.columns)
    heading = [min(_ems(c), 8.0) + 1.0 for c in table.columns]  # a heading may wrap
    widths: list[list[float]] = [[] for _ in range(count)]
    firm = [False] * count
    for row in table.rows:
        for index, cell in enumerate(row[:count]):
            # The cell's padding is 0.8 em; a number gets a little more, as the
            # estimate of its width is rough and it may not wrap.
            extra = 1.5 if isinstance(cell, Quantity) else 1.0
            widths[index].append(_ems(written(cell)) + extra)
            firm[index] = firm[index] or isinstance(cell, Quantity)
    for index, column in enumerate(widths):
        # A column of short texts (periods, levels) is kept whole too: squeezed with
        # the wrapping ones, "2020" would break into "202" and "0".
        firm[index] = firm[index] or (bool(column) and max(column) <= _SHORT_EMS)
    asked = []
    for index, column in enumerate(widths):
        if not column:
            held = 0.0
        elif firm[index]:
            held = min(max(column), _NUMBER_MAX_EMS)
        else:
            held = min(max(column), 1.3 * sum(column) / len(column), _WRAPPED_MAX_EMS)
        asked.append(max(held, heading[index], _COLUMN_MIN_EMS))
    room = _TABLE_EMS - sum(a for a, f in zip(asked, firm, strict=True) if f)
    wrapping = sum(a for a, f in zip(asked, firm, strict=True) if not f)
    if wrapping and room > 0:
        asked = [a if f else a * room / wrapping for a, f in zip(asked, firm, strict=True)]
    total = sum(asked)
    return [round(100 * a / total, 2) for a in asked]


def _table(table: Table) -> str:
    out = []
    if table.rows:
        count = len(table.columns)
        widths = column_widths(table)
        cols = "".join(f'<col style="width: {w}%">' for w in widths)
        head = "".join(f"<th>{_e(c)}</th>" for c in table.columns)
        body = []
        for row in table.rows:
            cells = []
            padded = (*row, *[""] * (count - len(row)))[:count]
            for cell, width in zip(padded, widths, strict=True):
                if isinstance(cell, Quantity):
                    shown = written(cell)
                    # On one line when its column holds it; else it wraps, not cut.
                    fits = _ems(shown) + 1.5 <= width / 100 * _TABLE_EMS
                    kinds = [k for k, on in (("q", fits), ("computed", cell.computed)) if on]
                    attribute = f' class="{" ".join(kinds)}"' if kinds else ""
                    cells.append(f"<td{attribute}>{_e(shown)}</td>")
                else:
                    cells.append(f"<td>{_e(cell)}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        out.append(
            f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )
    if table.more:
        out.append(f'<p class="note">{_e(table.more)}</p>')
    return "\n".join(out)


def _chart(chart: Bars | Series) -> str:
    png = base64.b64encode(chart_png(chart)).decode("ascii")
    caption = chart.more if isinstance(chart, Bars) else chart.note
    figcaption = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return (
        f'<figure><img src="data:image/png;base64,{png}" alt="{_e(chart.title)}">'
        f"{figcaption}</figure>"
    )


def _paragraph(paragraph: Paragraph) -> str:
    kind = paragraph.kind if paragraph.kind in ("note", "warning", "name") else "body"
    return f'<p class="{kind}">{_e(paragraph_text(paragraph))}</p>'


def _block(block: object) -> str:
    if isinstance(block, Paragraph):
        return _paragraph(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Bars | Series):
        return _chart(block)
    raise TypeError(f"not a block of a brief: {type(block).__name__}")


def _section(section: Section) -> str:
    tag = {1: "h2", 2: "h3"}.get(section.level, "h4")
    blocks = "\n".join(_block(b) for b in section.blocks)
    return f"<section>\n<{tag}>{_e(section.heading)}</{tag}>\n{blocks}\n</section>"


def _reference(reference: Reference, quotes_label: str) -> str:
    lines = [f'<p class="citation">{_e(f"[{reference.number}] {reference.citation}")}</p>']
    if reference.quotes:
        lines.append(f'<p class="quotes-label">{_e(quotes_label)}</p>')
        lines += [f'<p class="quote">{_e(quote_text(q))}</p>' for q in reference.quotes]
    if reference.more_quotes:
        lines.append(f'<p class="note">{_e(reference.more_quotes)}</p>')
    return f'<div class="reference">{"".join(lines)}</div>'


def brief_html(brief: Brief) -> str:
    """The whole brief as one HTML document, its CSS and charts inside it."""
    lang = by_lang(brief.lang, "zh-CN", "en")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{_e(brief.title)}</title>",
        f"<style>{stylesheet(brief)}</style></head><body>",
        f"<h1>{_e(brief.title)}</h1>",
    ]
    if brief.subtitle:
        parts.append(f'<p class="subtitle">{_e(brief.subtitle)}</p>')
    if brief.dated:
        parts.append(f'<p class="dated">{_e(brief.dated)}</p>')
    parts += [_section(s) for s in brief.sections]
    if brief.references:
        parts.append(f'<section class="references"><h2>{_e(brief.references_heading)}</h2>')
        parts += [_reference(r, brief.quotes_label) for r in brief.references]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


# --- PDF --------------------------------------------------------------------------------


def refuse_external(url: str) -> None:
    """Raise ``ValueError`` for any URL but a ``data:`` one: the PDF is made from what
    the process holds, and nothing is fetched."""
    if not url.lower().startswith("data:"):
        raise ValueError(f"the brief fetches nothing but data: URLs, not {url[:80]!r}")


@cache
def _fetcher_class() -> type[URLFetcher]:
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):
        """WeasyPrint's fetcher, allowed ``data:`` URLs only (decoded in memory)."""

        def fetch(self, url, headers=None):
            refuse_external(url)
            return super().fetch(url, headers)

    return DataOnlyFetcher


def url_fetcher() -> URLFetcher:
    """The fetcher given to WeasyPrint: ``data:`` URLs only, anything else refused."""
    return _fetcher_class()(allowed_protocols=("data",), allow_redirects=False)


def html_pdf(document: str) -> bytes:
    """A PDF of an HTML string, with nothing fetched from outside it."""
    import weasyprint  # about 3 s the first time: only when a PDF is made

    return weasyprint.HTML(string=document, url_fetcher=url_fetcher()).write_pdf()


def brief_pdf(brief: Brief) -> bytes:
    """The PDF of ``brief``: A4, the page number at the bottom, the CJK font embedded."""
    return html_pdf(brief_html(brief))
