"""Tables as files a reader can take away: CSV, Excel, and the whole data package.

A spreadsheet runs a cell that begins with =, +, -, @, a tab or a carriage return as a
formula, and the data's texts may begin so (a practice named ``=HYPERLINK(...)``). The
table downloads are for spreadsheets, so such text stays text (OWASP's rule against
CSV injection): in CSV it gets a leading ``'``, in Excel it is written as a string
cell, never as a formula, number or link. Numbers stay numbers. The data package is
another matter: it is the data as curated, for programs as much as for people, and
its quotes are verbatim; it is written as it is (see ``datapackage_zip``).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from metrics.model.dataset import Dataset
from metrics.tools.cite import gbt7714
from metrics.tools.export import write_datapackage

# Excel limits sheet names to 31 characters.
_SHEET_NAME_LIMIT = 31
CITATION_COLUMNS = ["source_id", "citation"]
# A text cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# xlsxwriter turns strings that look like formulas, numbers or links into those; here
# a string is written as the string it is.
_XLSX_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def cited_sources(frame: pd.DataFrame, dataset: Dataset) -> pd.DataFrame:
    """The GB/T 7714 citation of every source the rows of ``frame`` use."""
    if "source_id" not in frame:
        return pd.DataFrame(columns=CITATION_COLUMNS)
    used = set(frame["source_id"].dropna())
    rows = [
        {"source_id": s["source_id"], "citation": gbt7714(s)}
        for s in dataset.sources.to_dict("records")
        if s["source_id"] in used
    ]
    return pd.DataFrame(rows, columns=CITATION_COLUMNS)


def with_citation_column(frame: pd.DataFrame, citations: pd.DataFrame) -> pd.DataFrame:
    """``frame`` plus a ``citation`` column wherever a row names its source;
    ``citations`` is ``cited_sources`` of the same rows."""
    if "source_id" not in frame:
        return frame
    by_source = citations.set_index("source_id")["citation"]
    return frame.assign(citation=frame["source_id"].map(by_source))


def _text_column(column: pd.Series) -> pd.Series:
    """A column with a ``'`` before each text cell that a spreadsheet would run."""
    if is_numeric_dtype(column) or is_bool_dtype(column):
        return column  # numbers, negative ones too, are never text
    cells = column.to_numpy(dtype=object, copy=True)  # by position: an index may repeat
    risky = [n for n, cell in enumerate(cells) if _runs_as_formula(cell)]
    if not risky:
        return column
    cells[risky] = ["'" + cell for cell in cells[risky]]
    return pd.Series(cells, index=column.index, name=column.name)


def _runs_as_formula(cell: object) -> bool:
    return isinstance(cell, str) and cell.startswith(FORMULA_STARTS)


def formulas_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that begins like a formula kept as text (``'``)."""
    return frame.apply(_text_column) if len(frame.columns) else frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly; no
    text cell begins like a formula. Rows end in CR LF (RFC 4180), which also puts a
    cell holding a lone CR in quotes: otherwise it would end the row."""
    table = formulas_as_text(frame)
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, citations: pd.DataFrame, sheet: str) -> bytes:
    """A workbook with the table and, on a second sheet, the citations of its sources;
    every string is a string cell, whatever it begins with."""
    buffer = io.BytesIO()
    options = {"options": _XLSX_OPTIONS}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs=options) as writer:
        frame.to_excel(writer, sheet_name=sheet[:_SHEET_NAME_LIMIT] or "data", index=False)
        citations.to_excel(writer, sheet_name="citations", index=False)
    return buffer.getvalue()


def datapackage_zip(dataset: Dataset) -> bytes:
    """The data package of ``metrics export`` (CSVs and datapackage.json) as one zip.

    Its values are written as curated, a text beginning with = too: quotes are verbatim,
    and programs read the package back value for value. A spreadsheet should import
    its CSVs with text columns as text rather than open them directly."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        write_datapackage(dataset, folder)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, arcname=path.name)
    return buffer.getvalue()
