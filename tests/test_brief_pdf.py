"""The PDF of a brief (``reports.pdf_brief``): a brief built by hand, rendered, and read
back with poppler's ``pdftotext`` and ``pdffonts`` and with pypdf."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from present.brief import (
    Bars,
    Brief,
    Line,
    Paragraph,
    Quantity,
    Reference,
    Section,
    Series,
    Table,
    written,
)
from reports import pdf_brief
from reports.pdf_brief import brief_html, brief_pdf, page_content

POPPLER_TIMEOUT = 60
HOSTILE = 'A <b>&"bold" tag'
LONG_TITLE = "关于进一步加强和改进新时代基层党组织建设推动抓党建促乡村振兴" * 3
LONG_URL = "https://www.example.gov.cn/" + "a1b2c3d4e5" * 12 + ".html"


def sample_brief(lang: str = "zh", rows: int = 3) -> Brief:
    zh = lang == "zh"
    numbers = Table(
        ("指标", "数字（出处）", "时期") if zh else ("Indicator", "Number [source]", "Period"),
        (
            ("培训党员", Quantity("2,000余人次", (1,)), "2023年"),
            (LONG_TITLE, Quantity("75.87%", (1, 2), computed=True), "2023年1—6月"),
            (HOSTILE, "未报告", ""),
            *((f"指标{n}", Quantity(f"{n * 10}个", (2,)), "2022年") for n in range(rows)),
        ),
        more="另有 5 行未列出。" if zh else "5 more rows not listed.",
    )
    bars = Bars(
        "网格数" if zh else "Grid cells",
        ("科左中旗", "宁城县", "陇西县"),
        (120.0, 80.0, 45.0),
        ("120个", "80余个", "45个"),
        (False, True, False),
        (True, False, False),
        "确数" if zh else "exact",
        "约数" if zh else "approximate",
        more="",
    )
    series = Series(
        "项目数" if zh else "Projects",
        "个",
        (
            Line(
                "科左中旗",
                ("2021", "2022", "2023"),
                (10.0, None, 14.0),
                ("10个", "", "14余个"),
                (False, False, True),
            ),
        ),
        "空心点为约数。" if zh else "Hollow points are approximate.",
    )
    sections = (
        Section(
            "概况" if zh else "Overview",
            (
                Paragraph(
                    "科左中旗隶属通辽市。" if zh else "Kezuozhong is part of Tongliao.", (1,)
                ),
                Paragraph("说明文字" if zh else "A note", kind="note"),
                Paragraph("口径不一" if zh else "Levels differ", kind="warning"),
                Paragraph(HOSTILE, kind="name"),
            ),
        ),
        Section("组织建设" if zh else "Organisation", (numbers,), level=2),
        Section("图表" if zh else "Charts", (bars, series)),
    )
    references = (
        Reference(
            1,
            "src-a",
            "通辽市委组织部. 科左中旗抓党建促乡村振兴[EB/OL]. (2023-05-01). " + LONG_URL,
            ("培训党员2,000余人次", "网格120个"),
        ),
        Reference(
            2,
            "src-b",
            "Ningcheng County. Grid governance report[EB/OL]. (2022-10-01).",
            ("建成网格80余个",),
            more_quotes="另有 3 处引文未列出。" if zh else "3 more quotes not listed.",
        ),
    )
    return Brief(
        lang=lang,  # type: ignore[arg-type]
        kind="region",
        subject_id="kezuozhong",
        title="科左中旗基层治理数据简报" if zh else "Brief: Kezuozhong",
        subtitle="内蒙古 › 通辽市 › 科左中旗",
        dated="数据截至 2023-05 · 生成于 2024-01-02" if zh else "Data to 2023-05 · made 2024-01-02",
        sections=sections,
        references_heading="参考文献" if zh else "References",
        quotes_label="所引原文" if zh else "Quoted",
        references=references,
        page_label="第 {page} 页" if zh else "Page {page}",
    )


def laid_out(test):  # type: ignore[no-untyped-def]
    """Marks a test that lays out a PDF with WeasyPrint (``documents``); all of them run
    on one xdist worker, which renders the module's two sample PDFs once."""
    return pytest.mark.xdist_group("brief_pdf")(pytest.mark.documents(test))


@pytest.fixture(scope="module")
def zh_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "brief-zh.pdf"
    path.write_bytes(brief_pdf(sample_brief("zh")))
    return path


@pytest.fixture(scope="module")
def en_pdf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "brief-en.pdf"
    path.write_bytes(brief_pdf(sample_brief("en")))
    return path


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} (Debian's poppler-utils) is not installed")
    done = subprocess.run(
        [tool, *args], capture_output=True, text=True, timeout=POPPLER_TIMEOUT, check=True
    )
    return done.stdout


def pdf_text(path: Path) -> str:
    return poppler("pdftotext", "-layout", str(path), "-")


# --- the texts ---------------------------------------------------------------------------


def test_quantity_text_is_the_value_then_its_references():
    assert written(Quantity("2,000余人次", (1,))) == "2,000余人次 [1]"
    assert written(Quantity("75.87%", (1, 2), computed=True)) == "75.87% [1, 2]"


def test_page_label_becomes_css_content():
    assert page_content("第 {page} 页") == '"第 " counter(page) " 页"'
    assert page_content("Page {page}") == '"Page " counter(page)'
    assert page_content('"{page}"\\') == '"\\"" counter(page) "\\"\\\\"'
    assert page_content("{page} / {pages}") == 'counter(page) " / " counter(pages)'
    # A label that could end the <style> element is written with hex escapes.
    assert "</style>" not in page_content("</style>{page}")


def test_html_escapes_every_text_and_marks_computed_numbers():
    document = brief_html(sample_brief("zh"))
    assert HOSTILE not in document
    assert "A &lt;b&gt;&amp;&quot;bold&quot; tag" in document
    assert '<td class="q computed">75.87% [1, 2]</td>' in document
    assert '<td class="q">2,000余人次 [1]</td>' in document
    assert '<html lang="zh-CN">' in document
    assert '<html lang="en">' in brief_html(sample_brief("en"))
    # Charts are inside the document; nothing refers outside it.
    assert document.count('src="data:image/png;base64,') == 2
    assert "http://" not in document.replace(LONG_URL, "")


def test_hostile_markup_in_the_data_stays_text():
    brief = sample_brief("zh")
    hostile = '<img src="http://127.0.0.1:9/x.png"><style>*{display:none}</style>'
    brief = dataclasses.replace(brief, sections=(Section(hostile, (Paragraph(hostile),)),))
    document = brief_html(brief)
    assert '<img src="http' not in document
    assert "&lt;img src=&quot;http://127.0.0.1:9/x.png&quot;&gt;" in document


def test_columns_share_the_width_and_numbers_keep_their_room():
    table = sample_brief("zh").sections[1].blocks[0]
    widths = pdf_brief.column_widths(table)
    assert sum(widths) == pytest.approx(100, abs=0.1)
    number_ems = widths[1] / 100 * pdf_brief._TABLE_EMS
    assert number_ems >= pdf_brief._ems("75.87% [1, 2]") + 1
    assert widths[0] > widths[2]  # the long titles get the room, not the periods


def test_numbers_too_long_for_their_column_wrap_rather_than_overflow():
    long = Quantity("about 19,000 households per grid cell", (1, 2, 3))
    table = Table(tuple("abcde"), ((long,) * 5,))
    brief = dataclasses.replace(sample_brief("en"), sections=(Section("S", (table,)),))
    document = brief_html(brief)
    assert "<td>about 19,000 households per grid cell [1, 2, 3]</td>" in document


# --- nothing is fetched ------------------------------------------------------------------


def test_fetcher_refuses_everything_but_data_urls():
    for url in ("http://example.com/a.png", "https://example.com/a.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            pdf_brief.refuse_external(url)
        with pytest.raises(ValueError):
            pdf_brief.url_fetcher().fetch(url)
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    assert pdf_brief.url_fetcher().fetch(pixel).read().startswith(b"\x89PNG")


@laid_out
def test_a_pdf_with_an_external_image_opens_no_socket(monkeypatch):
    opened: list[object] = []

    def refuse(self, address):
        opened.append(address)
        raise OSError("no network in the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    document = '<html><body><p>x</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    assert pdf_brief.html_pdf(document).startswith(b"%PDF")
    assert opened == []


# --- the PDF -----------------------------------------------------------------------------


@laid_out
def test_pdf_holds_the_numbers_references_and_page_label(zh_pdf):
    shown = pdf_text(zh_pdf)
    assert "2,000余人次 [1]" in shown
    assert "75.87% [1, 2]" in shown
    assert "[1] 通辽市委组织部. 科左中旗抓党建促乡村振兴" in shown
    assert "[2] Ningcheng County. Grid governance report" in shown
    assert "所引原文" in shown
    assert "“培训党员2,000余人次”" in shown
    assert "另有 3 处引文未列出。" in shown
    assert "另有 5 行未列出。" in shown
    assert "科左中旗隶属通辽市。 [1]" in shown
    assert HOSTILE in shown  # the escaped text, written literally


@laid_out
def test_every_page_has_its_number_at_the_bottom(zh_pdf):
    # The label is "第 1 页" with its spaces, as -raw (content order) reads it. -layout
    # prints "第1页": a line of one-character words spaced evenly looks to poppler like
    # letter spacing, so it drops the spaces (a paragraph "x 第 1 页" loses them too).
    pages = poppler("pdftotext", "-raw", str(zh_pdf), "-").split("\f")
    pages = [page for page in pages if page.strip()]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.rstrip().endswith(f"第 {number} 页"), page[-200:]
    assert "第1页" in pdf_text(zh_pdf)


@laid_out
def test_long_texts_wrap_rather_than_being_cut(zh_pdf):
    # pdftotext without -layout joins nothing across lines: every piece of the long
    # title and of the long URL is there, on lines within the page.
    shown = poppler("pdftotext", str(zh_pdf), "-").replace("\n", "")
    assert LONG_TITLE in shown
    assert LONG_URL in shown
    # Every word ends inside the right margin (2.5 cm), none runs off the page.
    boxes = poppler("pdftotext", "-bbox", str(zh_pdf), "-")
    page_width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    right_edges = [float(x) for x in re.findall(r'<word [^>]*xMax="([\d.]+)"', boxes)]
    assert right_edges
    assert max(right_edges) <= page_width - 2.5 / 2.54 * 72 + 1


@laid_out
def test_english_brief(en_pdf):
    shown = pdf_text(en_pdf)
    assert "Page 1" in shown
    assert "References" in shown
    assert "2,000余人次 [1]" in shown
    assert "Kezuozhong is part of Tongliao. [1]" in shown


@laid_out
def test_cjk_font_is_embedded(zh_pdf):
    fonts = poppler("pdffonts", str(zh_pdf)).splitlines()[2:]  # after the header lines
    # A line: name (``ABCDEF+Noto-Sans-CJK-SC``, subset), type, encoding, emb, sub, uni,
    # object, ID; the type may hold spaces, so the flags are counted from the end.
    noto = [line for line in fonts if "notosanscjksc" in re.sub(r"[- ]", "", line.lower())]
    assert noto, fonts
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded
    assert all(line.split()[-4] == "yes" for line in noto), fonts  # and subset


@laid_out
def test_page_is_a4_portrait(zh_pdf, en_pdf):
    for path in (zh_pdf, en_pdf):
        box = PdfReader(str(path)).pages[0].mediabox
        assert float(box.width) == pytest.approx(595.28, abs=1)
        assert float(box.height) == pytest.approx(841.89, abs=1)


@laid_out
def test_table_header_repeats_on_a_new_page(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(brief_pdf(sample_brief("zh", rows=80)))
    pages = PdfReader(str(path)).pages
    assert len(pages) >= 3
    second = pages[1].extract_text()
    assert "数字（出处）" in second


@laid_out
def test_a_brief_of_forty_rows_and_charts_renders_in_seconds():
    brief = sample_brief("zh", rows=40)
    brief_pdf(brief)  # the import and the font set-up are paid once per process
    started = time.perf_counter()
    pdf = brief_pdf(brief)
    elapsed = time.perf_counter() - started
    assert PdfReader(io.BytesIO(pdf)).pages
    assert elapsed < 5, f"{elapsed:.2f} s"  # ~1 s measured on 2 cores; room for a slow CI
