"""The Word (.docx) file of a brief, with python-docx.

The document is built from python-docx's own default template, so it needs no file of
ours and opens in Word and LibreOffice without a repair prompt. Chinese text is set in
a CJK font named in the document's styles (``w:eastAsia``) and Latin text in an English
font, so the reader's Word picks them or its own substitutes; A4 pages, numbered in the
footer. Every number is followed by its reference, ``2,000余人次 [1]``, exactly as in
the PDF.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from present.brief.model import (
    Bars,
    Brief,
    Cell,
    Paragraph,
    Quantity,
    Series,
    Table,
    refs_text,
    written,
)
from present.i18n import by_lang
from reports.figures import chart_png

# Named in the document: Word on a reader's machine uses them if it has them, else its
# own East Asian and Latin defaults; LibreOffice maps them through fontconfig.
CJK_FONT = "Noto Sans CJK SC"
LATIN_FONT = "Arial"
_NOTE_GREY = RGBColor(0x55, 0x5B, 0x66)
_WARNING_RED = RGBColor(0xA3, 0x3B, 0x20)
_TEXT_WIDTH = Cm(16)  # A4 (21 cm) less two margins of 2.5 cm


def _set_fonts(style: object, size: float | None = None) -> None:
    """Names the Latin and the East Asian font of a style."""
    font = style.font
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _styles(document: Document, lang: str) -> None:
    for name, size in (("Normal", 10.5), ("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
        _set_fonts(document.styles[name], size)
    for name in ("Title", "Heading 1", "Heading 2", "Table Grid"):
        _set_fonts(document.styles[name])
    # The language of the text, for spelling and for line breaking of Chinese.
    language = document.styles["Normal"].element.get_or_add_rPr()
    lang_element = OxmlElement("w:lang")
    lang_element.set(qn("w:val"), by_lang(lang, "zh-CN", "en-GB"))
    lang_element.set(qn("w:eastAsia"), "zh-CN")
    language.append(lang_element)


def _a4(document: Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """A Word field (``PAGE``) in ``paragraph``: Word and LibreOffice fill it in."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)
        if kind == "separate":
            run._r.append(_text_element("1"))


def _text_element(text: str) -> OxmlElement:
    element = OxmlElement("w:t")
    element.text = text
    return element


def _page_numbers(document: Document, label: str) -> None:
    """``第 {page} 页`` in the footer, centred."""
    before, _, after = label.partition("{page}")
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(before)
    _field(footer, "PAGE")
    footer.add_run(after)


def _paragraph(document: Document, block: Paragraph) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(block.text + refs_text(block.refs))
    if block.kind == "note":
        run.font.size = Pt(9)
        run.font.color.rgb = _NOTE_GREY
    elif block.kind == "warning":
        run.font.color.rgb = _WARNING_RED
        run.bold = True
    elif block.kind == "name":
        run.bold = True
        paragraph.paragraph_format.space_after = Pt(0)


def _write_cell(cell: _Cell, value: Cell) -> None:
    paragraph = cell.paragraphs[0]
    if isinstance(value, Quantity):
        run = paragraph.add_run(written(value))
        run.italic = value.computed
    else:
        paragraph.add_run(value)


def _repeat_header(row: object) -> None:
    """Marks a table's first row to repeat at the top of every page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: Document, block: Table) -> None:
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, block.columns, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    _repeat_header(table.rows[0])
    for values in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _write_cell(cell, value)
    width = _TEXT_WIDTH // len(block.columns)
    for column in table.columns:
        for cell in column.cells:
            cell.width = width
    if block.more:
        _paragraph(document, Paragraph(block.more, kind="note"))
    else:
        document.add_paragraph()


def _chart(document: Document, block: Bars | Series) -> None:
    document.add_picture(io.BytesIO(chart_png(block)), width=_TEXT_WIDTH)
    note = block.more if isinstance(block, Bars) else block.note
    if note:
        _paragraph(document, Paragraph(note, kind="note"))


def _references(document: Document, brief: Brief) -> None:
    document.add_heading(brief.references_heading, level=1)
    for reference in brief.references:
        document.add_paragraph(f"[{reference.number}] {reference.citation}")
        if reference.quotes:
            quotes = "；".join(f"“{q}”" for q in reference.quotes)
            _paragraph(document, Paragraph(f"{brief.quotes_label}：{quotes}", kind="note"))
        if reference.more_quotes:
            _paragraph(document, Paragraph(reference.more_quotes, kind="note"))


def brief_docx(brief: Brief) -> bytes:
    """The brief as the bytes of a .docx file."""
    document = Document()
    _styles(document, brief.lang)
    _a4(document)
    document.core_properties.title = brief.title
    document.core_properties.language = by_lang(brief.lang, "zh-CN", "en")
    document.add_heading(brief.title, level=0)
    document.add_paragraph(brief.subtitle)
    _paragraph(document, Paragraph(brief.dated, kind="note"))
    _page_numbers(document, brief.page_label)
    for section in brief.sections:
        document.add_heading(section.heading, level=section.level)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                _paragraph(document, block)
            elif isinstance(block, Table):
                _table(document, block)
            else:
                _chart(document, block)
    _references(document, brief)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
