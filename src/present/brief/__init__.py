"""What a brief for a leader's report holds: a region, or one indicator across regions.

The brief is a plain document model (sections of paragraphs, tables and charts, then a
reference list) that the Word and PDF renderers of ``reports`` both draw, so both files
say the same thing. Every number is a ``Quantity``: the value as the dashboard writes it
(``2,000余人次``) with the numbers of its references; each reference is a source in
GB/T 7714 form with the quotes the brief took from it. A number the data does not have
is never written: the brief names what was not reported instead.

The package is split by concern: ``model`` (the blocks, all a renderer needs),
``references`` (the reference list), ``shared`` (what both kinds of brief build with),
``region`` and ``indicator`` (the two kinds). Its public names are exported here, as
the single module ``present.brief`` exported them.
"""

from present.brief.indicator import indicator_brief
from present.brief.model import (
    Bars,
    Block,
    Brief,
    Cell,
    Line,
    Paragraph,
    Quantity,
    Reference,
    Section,
    Series,
    Table,
    refs_text,
    table,
    written,
)
from present.brief.references import QUOTES_SHOWN
from present.brief.region import PEER_BARS, measure_formula, region_brief
from present.brief.shared import NAMES_SHOWN, ROWS_SHOWN, SERIES_SHOWN

__all__ = [
    "NAMES_SHOWN",
    "PEER_BARS",
    "QUOTES_SHOWN",
    "ROWS_SHOWN",
    "SERIES_SHOWN",
    "Bars",
    "Block",
    "Brief",
    "Cell",
    "Line",
    "Paragraph",
    "Quantity",
    "Reference",
    "Section",
    "Series",
    "Table",
    "indicator_brief",
    "measure_formula",
    "refs_text",
    "region_brief",
    "table",
    "written",
]
