"""Drafting the curation of a new article from its text and the current data.

``draft_article(text, dataset)`` proposes everything a curator would write for one
article: its ``sources`` entry, the regions it names (known ones matched by name, new
ones with a level from the name's suffix), an observation for every quantity the
extractor finds, ``set_aside`` entries for the quantities that are not an amount of
work, and stubs for the named practices. Every proposal carries why it was made, so a
curator reviews reasons instead of re-typing fields. ``metrics draft`` and the
workbench page both call it; ``metrics.tools.draft_yaml`` writes the draft as a file.

The draft is a proposal, never data: nothing here writes a file.

One module per concern, each importing only those listed before it: ``proposal`` (the
draft's tables and ``Draft``) and ``reading`` (an article's bytes decoded, its text
cut into sentences and words), then ``regions``, ``indicators``, ``quantities``,
``practices`` and ``derived``, then ``head`` (the ``sources`` entry); this module puts
them together and re-exports the names callers import from ``metrics.tools.draft``.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.vocab import Level
from metrics.pipeline.inputs import SOURCES_DIR_NAME
from metrics.tools.draft.derived import derived_that_apply
from metrics.tools.draft.head import guess_title, head_lines, source_entry
from metrics.tools.draft.indicators import MATCH_THRESHOLD
from metrics.tools.draft.practices import practice_rows
from metrics.tools.draft.proposal import (
    ACCEPT,
    ACTIONS,
    DERIVED_COLUMNS,
    DROP,
    INDICATOR_COLUMNS,
    PRACTICE_COLUMNS,
    REGION_COLUMNS,
    REVIEW_CODES,
    ROW_COLUMNS,
    SET_ASIDE,
    Deadline,
    Draft,
    DraftStopped,
    Settle,
)
from metrics.tools.draft.quantities import quantity_rows
from metrics.tools.draft.reading import (
    MAX_ARTICLE_BYTES,
    UNREADABLE,
    Article,
    Unreadable,
    decode_upload,
    read_article,
)
from metrics.tools.draft.regions import guess_parents, main_region, needed_regions, regions_of

__all__ = [
    "ACCEPT",
    "ACTIONS",
    "CURATOR_FIELDS",
    "DERIVED_COLUMNS",
    "DRAFT_SECONDS",
    "DROP",
    "INDICATOR_COLUMNS",
    "MATCH_THRESHOLD",
    "MAX_ARTICLE_BYTES",
    "PRACTICE_COLUMNS",
    "REGION_COLUMNS",
    "REVIEW_CODES",
    "ROW_COLUMNS",
    "SET_ASIDE",
    "UNREADABLE",
    "Article",
    "Draft",
    "DraftStopped",
    "Settle",
    "Unreadable",
    "archive_name",
    "decode_upload",
    "derived_that_apply",
    "draft_article",
    "read_article",
    "settle_list",
]


def archive_name(text: str, dataset: Dataset) -> tuple[str, bool]:
    """The archive's file name, and whether ``data/sources/`` already holds this text.

    A file with the same bytes is found even when no source names it (an article taken
    out of the data and drafted again); else the next free number and the text's hash."""
    raw = text.encode("utf-8")
    for name, archived in dataset.archive_texts.items():
        if archived == text:
            return name, True
    folder = dataset.path.parent / SOURCES_DIR_NAME
    names = sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    for name in names:
        path = folder / name
        if not path.is_symlink() and path.stat().st_size == len(raw) and path.read_bytes() == raw:
            return name, True
    numbers = [
        int(m[1]) for name in [*names, *dataset.archive_texts] if (m := re.match(r"(\d+)_", name))
    ]
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return f"{max(numbers, default=-1) + 1:03d}_{digest}.txt", False


# No draft runs longer than this, in seconds: an article of 1 MB, the most read, drafts
# in a few; one that still takes this long is given up with ``DraftStopped``, so a
# reader of the open workbench cannot keep a server busy with one upload.
DRAFT_SECONDS = 20.0


def draft_article(
    text: str, dataset: Dataset, *, source_id: str | None = None, region_id: str | None = None
) -> Draft:
    """A complete proposed curation of ``text`` against ``dataset``, every field with why.

    Raises ``DraftStopped`` when drafting takes longer than ``DRAFT_SECONDS``."""
    deadline = Deadline(DRAFT_SECONDS)
    regions, hits = regions_of(text, dataset, deadline)
    title = guess_title(head_lines(text))
    main, why_main = main_region(text, hits, regions, region_id, title)
    source, source_why = source_entry(text, dataset, main, regions, source_id, title)
    if main:
        source_why["region"] = f"main region: {why_main}"
    guess_parents(regions, main)
    archive, archived = archive_name(text, dataset)
    source["archive"] = archive
    source_why["archive"] = "already archived" if archived else "next number and the text's hash"
    rows, new_indicators = quantity_rows(text, dataset, regions, hits, main, deadline)
    row_frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    practices = pd.DataFrame(
        practice_rows(text, regions, hits, main, dataset, deadline), columns=PRACTICE_COLUMNS
    )
    used = {main, *row_frame["region"].dropna(), *practices["region"].dropna()}
    return Draft(
        text=text,
        archive=archive,
        source=source,
        source_why=source_why,
        regions=pd.DataFrame(needed_regions(regions, used), columns=REGION_COLUMNS),
        indicators=pd.DataFrame(list(new_indicators.values()), columns=INDICATOR_COLUMNS),
        rows=row_frame,
        practices=practices,
        derived=derived_that_apply(row_frame),
        archived=archived,
    )


# Fields a missing value of which only the curator can give: the check reports them as
# missing_field, and ``metrics draft`` says who must settle them.
CURATOR_FIELDS = frozenset(
    {"date", "name_en", "summary_zh", "summary_en", "family", "title", "region"}
)


def settle_list(draft: Draft) -> list[Settle]:
    """What the check cannot ask for but only the curator can decide (blocking), and
    what the curator should look at although the draft passes (to review)."""
    settle = []
    if draft.source.get("title_supplied"):
        message = "the article prints no title: this one is supplied"
        hint = "check it; citations show it in square brackets"
        settle.append(Settle("source_title", "sources", draft.source_id, message, hint))
    for region in draft.regions.itertuples(index=False):
        if not isinstance(region.parent, str) and region.level != Level.province.value:
            message = f"the text does not say which region '{region.name_zh}' is in"
            hint = "give its parent's id, adding the parent if it is new"
            settle.append(Settle("new_region_parent", "regions", region.id, message, hint))
        message = f"new region '{region.name_zh}': check its id, parent and English name"
        hint = f"'{region.name_en}' is read from the pinyin; regions keep their official names"
        settle.append(Settle("new_region_name", "regions", region.id, message, hint))
    for measure in draft.derived[draft.derived["applies"].astype(bool)].itertuples(index=False):
        message = f"'{measure.name_en}' will be computed from rows {measure.rows}"
        hint = (
            "if those numbers are about different things, "
            f"add no_derived: [{measure.measure_id}] to the source"
        )
        settle.append(Settle("derived_applies", "sources", draft.source_id, message, hint))
    return settle
