"""Tables as files a reader can take away: CSV, Excel, and the whole data package."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.tools.cite import gbt7714
from metrics.tools.export import write_datapackage

# Excel limits sheet names to 31 characters.
_SHEET_NAME_LIMIT = 31
CITATION_COLUMNS = ["source_id", "citation"]


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


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, citations: pd.DataFrame, sheet: str) -> bytes:
    """A workbook with the table and, on a second sheet, the citations of its sources."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        frame.to_excel(writer, sheet_name=sheet[:_SHEET_NAME_LIMIT] or "data", index=False)
        citations.to_excel(writer, sheet_name="citations", index=False)
    return buffer.getvalue()


def datapackage_zip(dataset: Dataset) -> bytes:
    """The data package of ``metrics export`` (CSVs and datapackage.json) as one zip."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        write_datapackage(dataset, folder)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, arcname=path.name)
    return buffer.getvalue()
