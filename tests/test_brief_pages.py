"""Briefs as a reader gets them: the Word file opened by LibreOffice and the PDF, both
turned into PNG pages under ``test-output/briefs/`` to be looked at.

LibreOffice converting the .docx is the check that a word processor reads the file: its
PDF must hold every number of the brief with its reference, in a CJK font, and no word
may run past the right edge of a page in either PDF. On CI the tools must be there
(``.ci/run`` installs them); elsewhere a missing tool skips with its name.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PROJECT, SEED_DATA

from metrics.pipeline.load import load_dataset
from present.brief import Brief, indicator_brief, region_brief, written
from reports.render import render_brief

pytestmark = pytest.mark.documents

OUTPUT = PROJECT / "test-output" / "briefs"
A4_WIDTH_POINTS = 595.0
A4_HEIGHT_POINTS = 842.0
TOOLS = ("soffice", "pdftoppm", "pdftotext", "pdffonts")


def _need_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must have {', '.join(missing)} (.ci/run installs them)")
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")


def _run(command: list[str], timeout: int = 180) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    return result.stdout


def libreoffice_pdf(docx: Path, work: Path) -> Path:
    """The .docx converted by LibreOffice, with a profile of its own (no shared state,
    no first-start dialogs)."""
    profile = (work / "lo-profile").as_uri()
    _run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
          "--convert-to", "pdf", "--outdir", str(work), str(docx)])  # fmt: skip
    converted = work / (docx.stem + ".pdf")
    assert converted.exists(), f"LibreOffice wrote no PDF for {docx.name}"
    return converted


PNG_DPI = 60


def png_pages(pdf: Path, prefix: Path) -> list[Path]:
    for old in prefix.parent.glob(prefix.name + "-*.png"):
        old.unlink()  # pages of an earlier run, perhaps of a longer brief
    _run(["pdftoppm", "-r", str(PNG_DPI), "-png", str(pdf), str(prefix)])
    return sorted(prefix.parent.glob(prefix.name + "-*.png"))


_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.DOTALL)
_BOX = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def first_words(pdf: Path) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The first word of each page and its box in points, as poppler reads them."""
    boxes = _run(["pdftotext", "-bbox", str(pdf), "-"])
    firsts = []
    for page in _PAGE.findall(boxes):
        found = _BOX.search(page)
        assert found, "a page without a word"
        x0, y0, x1, y1 = (float(v) for v in found.groups()[:4])
        firsts.append((found[5], (x0, y0, x1, y1)))
    return firsts


def ink(png: Path, box: tuple[float, float, float, float] | None = None) -> float:
    """The share of inked pixels (darker than light grey) of a page image, or of ``box``
    (in points) on it."""
    from PIL import Image

    with Image.open(png) as image:
        grey = image.convert("L")
        if box is not None:
            scale = PNG_DPI / 72
            grey = grey.crop(tuple(round(v * scale) for v in box))
        dark = sum(grey.histogram()[:200])
        return dark / (grey.width * grey.height)


def assert_pages_drawn(pdf: Path, pages: list[Path]) -> None:
    """One A4 image per page, each with text drawn where the PDF puts its first word and
    nothing in the top left corner of the margin."""
    firsts = first_words(pdf)
    assert len(pages) == len(firsts), (pdf.name, len(pages), len(firsts))
    a4 = (round(A4_WIDTH_POINTS * PNG_DPI / 72), round(A4_HEIGHT_POINTS * PNG_DPI / 72))
    from PIL import Image

    for number, (page, (word, box)) in enumerate(zip(pages, firsts, strict=True), start=1):
        with Image.open(page) as image:
            assert abs(image.width - a4[0]) <= 1 and abs(image.height - a4[1]) <= 1, page.name
        where = f"{pdf.name} page {number}"
        # Something is drawn (a short last page holds a line or two), not all of it dark.
        assert 0.002 < ink(page) < 0.5, where
        assert ink(page, box) > 0.1, f"{where}: nothing drawn where {word!r} is"
        assert ink(page, (0, 0, 50, 50)) == 0, f"{where}: ink in the margin"


_WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)


def words_past_right_edge(pdf: Path, margin_points: float = 30.0) -> list[str]:
    """Words whose right end lies in the page's right margin or beyond it."""
    boxes = _run(["pdftotext", "-bbox", str(pdf), "-"])
    edge = A4_WIDTH_POINTS - margin_points
    return [word for x_max, word in _WORD.findall(boxes) if float(x_max) > edge]


def numbers_of(brief: Brief) -> list[str]:
    """Every number of the brief as both files write it: ``2,000余人次 [1]``."""
    found = []
    for section in brief.sections:
        for block in section.blocks:
            for row in getattr(block, "rows", ()):
                found.extend(written(cell) for cell in row if not isinstance(cell, str))
    return found


def _briefs() -> list[Brief]:
    dataset = load_dataset(SEED_DATA)
    return [
        region_brief(dataset, dataset.derived, "kezuozhong", "zh"),
        region_brief(dataset, dataset.derived, "kezuozhong", "en"),
        indicator_brief(dataset, "projects", "zh"),
        indicator_brief(dataset, "projects", "en"),
    ]


@pytest.mark.parametrize("brief", _briefs(), ids=lambda b: b.file_stem)
def test_brief_pages_render_and_hold_every_number(brief: Brief, tmp_path: Path) -> None:
    _need_tools()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    docx = OUTPUT / f"{brief.file_stem}.docx"
    docx.write_bytes(render_brief(brief, "docx"))
    pdf = OUTPUT / f"{brief.file_stem}.pdf"
    pdf.write_bytes(render_brief(brief, "pdf"))
    from_word = libreoffice_pdf(docx, tmp_path)
    shutil.copy(from_word, OUTPUT / f"{brief.file_stem}.docx.pdf")

    numbers = [re.sub(r"\s+", "", n) for n in numbers_of(brief)]
    assert numbers
    for made in (pdf, from_word):
        squeezed = re.sub(r"\s+", "", _run(["pdftotext", str(made), "-"]))
        assert [n for n in numbers if n not in squeezed] == [], made.name
        assert re.sub(r"\s+", "", brief.title) in squeezed
        fonts = _run(["pdffonts", str(made)])
        assert re.search(r"Noto.*CJK", fonts), fonts
        assert words_past_right_edge(made) == [], made.name

    pages = png_pages(pdf, OUTPUT / f"{brief.file_stem}-pdf")
    word_pages = png_pages(from_word, OUTPUT / f"{brief.file_stem}-docx")
    assert pages and word_pages
    assert_pages_drawn(pdf, pages)
    assert_pages_drawn(from_word, word_pages)
