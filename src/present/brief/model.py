"""The blocks a brief is made of: plain frozen values the Word and PDF renderers draw.

Every number is a ``Quantity``: the value as the dashboard writes it (``2,000余人次``)
with the numbers of its references; each ``Reference`` is a source in GB/T 7714 form
with the quotes the brief took from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from present.i18n import Lang


@dataclass(frozen=True)
class Quantity:
    """A number as the dashboard writes it, and the references it comes from.

    ``computed`` marks a number no article printed (a derived or per-unit measure)."""

    text: str
    refs: tuple[int, ...]
    computed: bool = False


Cell = str | Quantity


def refs_text(refs: tuple[int, ...]) -> str:
    """`` [1]`` or `` [1, 3]``: the reference marks after a number; empty for none."""
    return f" [{', '.join(str(n) for n in refs)}]" if refs else ""


def written(cell: Cell) -> str:
    """A cell as both renderers write it: ``2,000余人次 [1]`` for a number."""
    return cell.text + refs_text(cell.refs) if isinstance(cell, Quantity) else cell


@dataclass(frozen=True)
class Paragraph:
    """Running text. ``kind``: body, note (smaller), warning, or name (a practice's)."""

    text: str
    refs: tuple[int, ...] = ()
    kind: Literal["body", "note", "warning", "name"] = "body"


@dataclass(frozen=True)
class Table:
    """A table; ``more`` says how many rows were left out (empty when none)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    more: str = ""


def table(columns: tuple[str, ...], rows: tuple[tuple[Cell, ...], ...], more: str = "") -> Table:
    """A table without the columns that are empty in every row (no period stated)."""
    if not rows:
        return Table(columns, rows, more)
    kept = [i for i in range(len(columns)) if any(row[i] != "" for row in rows)]
    return Table(
        tuple(columns[i] for i in kept), tuple(tuple(row[i] for i in kept) for row in rows), more
    )


@dataclass(frozen=True)
class Bars:
    """Horizontal bars, highest first; approximate values are drawn hatched."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    shown: tuple[str, ...]
    approximate: tuple[bool, ...]
    highlight: tuple[bool, ...]
    legend_exact: str
    legend_approximate: str
    more: str = ""


@dataclass(frozen=True)
class Line:
    """One line of a chart over time; ``values`` holds None at a gap."""

    name: str
    periods: tuple[str, ...]
    values: tuple[float | None, ...]
    shown: tuple[str, ...]
    approximate: tuple[bool, ...]


@dataclass(frozen=True)
class Series:
    """A chart over time: one or more lines of one unit; hollow points are approximate."""

    title: str
    unit: str
    lines: tuple[Line, ...]
    note: str


Block = Paragraph | Table | Bars | Series


@dataclass(frozen=True)
class Section:
    """A heading and what follows it; ``level`` 2 is a sub-heading."""

    heading: str
    blocks: tuple[Block, ...]
    level: int = 1


@dataclass(frozen=True)
class Reference:
    """An entry of the reference list: ``[number] citation`` and the quotes used."""

    number: int
    source_id: str
    citation: str
    quotes: tuple[str, ...]
    more_quotes: str = ""


@dataclass(frozen=True)
class Brief:
    """The whole brief, in one language, ready to render."""

    lang: Lang
    kind: Literal["region", "indicator"]
    subject_id: str
    title: str
    subtitle: str
    dated: str  # "数据截至 … · 生成于 …"
    sections: tuple[Section, ...]
    references_heading: str
    quotes_label: str
    references: tuple[Reference, ...]
    page_label: str  # "第 {page} 页" / "Page {page}"

    @property
    def file_stem(self) -> str:
        """``brief-region-kezuozhong-zh``: a file name for the brief."""
        return f"brief-{self.kind}-{self.subject_id}-{self.lang}"
