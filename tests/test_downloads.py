"""Table downloads a spreadsheet opens without running anything (OWASP's CSV injection).

A text cell that begins with =, +, -, @, a tab or a CR is a formula to Excel and
LibreOffice. The CSV puts a ``'`` before it; the Excel file keeps it a string cell.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd

from present.downloads import csv_bytes, xlsx_bytes

RISKY = ['=HYPERLINK("http://x","y")', "+1", "-cmd", "@SUM(A1)", "\tx", "\rx"]
SAFE = ["http://example.org/a", "007", "1e5", "老书记工作室"]


def _frame() -> pd.DataFrame:
    texts = RISKY + SAFE
    return pd.DataFrame(
        {
            "name": texts,
            "value": [-(n + 0.5) for n in range(len(texts))],
            "count": range(-len(texts), 0),
        }
    )


def _xml_unescaped(text: str) -> str:
    """A cell's text as Excel reads it: OOXML writes a CR as _x000D_, openpyxl keeps it."""
    return re.sub(r"_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def test_xlsx_writes_formula_like_text_as_text_and_numbers_as_numbers() -> None:
    frame = _frame()
    citations = pd.DataFrame({"source_id": ["s"], "citation": ["=1+1 @A1"]})
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, citations, "practices")))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert not any(cell.hyperlink for cell in cells)
    sheet = workbook["practices"]
    names = [_xml_unescaped(cell.value) for cell in sheet["A"][1:]]
    assert names == RISKY + SAFE  # the text intact, a url and "007" included
    assert {cell.data_type for cell in sheet["A"][1:]} == {"s"}
    assert [cell.value for cell in sheet["B"][1:]] == frame["value"].tolist()
    assert {cell.data_type for cell in [*sheet["B"][1:], *sheet["C"][1:]]} == {"n"}
    assert workbook["citations"]["B2"].value == "=1+1 @A1"


def test_csv_puts_a_quote_before_formula_like_text_only() -> None:
    frame = _frame()
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig", keep_default_na=False)
    assert back["name"].tolist() == [f"'{text}" for text in RISKY] + SAFE
    # Numbers stay numbers: a negative number in a number column is no text.
    pd.testing.assert_series_equal(back["value"], frame["value"])
    pd.testing.assert_series_equal(back["count"], frame["count"])
