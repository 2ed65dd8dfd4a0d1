"""What a draft is: its tables' columns, the action of each row, the ``Draft`` itself
and what only the curator can settle about it.

The base of the package: every other module of ``metrics.tools.draft`` may import it,
it imports none of them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

ACCEPT, SET_ASIDE, DROP = "accept", "set_aside", "drop"
ACTIONS = (ACCEPT, SET_ASIDE, DROP)

ROW_COLUMNS = [
    "n", "line", "start", "end", "mention", "action", "region", "indicator", "value",
    "unit", "qualifier", "period", "period_note", "quote", "reason", "why_region",
    "why_indicator",
]  # fmt: skip
REGION_COLUMNS = ["id", "name_zh", "name_en", "level", "parent", "why"]
INDICATOR_COLUMNS = ["id", "name_zh", "name_en", "unit", "family", "why"]
PRACTICE_COLUMNS = [
    "action", "id", "region", "name_zh", "name_en", "summary_zh", "summary_en", "themes",
    "quote", "why",
]  # fmt: skip
DERIVED_COLUMNS = ["measure_id", "name_zh", "name_en", "region", "period", "rows", "applies"]


class DraftStopped(Exception):
    """Drafting an article took longer than its deadline and was given up.

    A condition, not a text: the terminal prints ``message``, the workbench page its
    own words in the reader's language, with ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type[DraftStopped], tuple[float]]:
        # Raised in the workbench's worker process and sent back pickled: rebuilt from
        # its seconds, not from the message ``args`` holds.
        return (DraftStopped, (self.seconds,))

    @property
    def message(self) -> str:
        """The reason in words, for the terminal."""
        return (
            f"drafting stopped after {self.seconds:g} s: the article is too long or too "
            "dense to draft in one go; draft it in parts"
        )


class Deadline:
    """When drafting must stop: the steps of a draft ask it as they go (``check``), so
    that no article, however it is written, keeps a draft running past it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def check(self) -> None:
        """Raise ``DraftStopped`` once the time is up."""
        if time.monotonic() >= self._end:
            raise DraftStopped(self.seconds)


@dataclass(frozen=True)
class Settle:
    """Something only the curator can decide, about one entry of the draft."""

    code: str  # stable: new_region_parent, new_region_name, indicator_name_en, ...
    table: str  # the draft's table the entry is in
    key: str  # the entry's id, or the row number of an observation
    message: str
    hint: str

    @property
    def blocking(self) -> bool:
        """Whether the draft cannot be added before this is settled (else: to review)."""
        return self.code not in REVIEW_CODES


# What the curator should look at, although the draft passes without a change.
REVIEW_CODES = frozenset({"source_title", "new_region_name", "derived_applies"})


@dataclass
class Draft:
    """A proposed curation of one article; tables a curator can edit row by row."""

    text: str
    archive: str
    source: dict[str, object]
    # field -> why it was proposed
    source_why: dict[str, str]
    regions: pd.DataFrame  # REGION_COLUMNS: regions to add
    indicators: pd.DataFrame  # INDICATOR_COLUMNS: indicators to add
    rows: pd.DataFrame  # ROW_COLUMNS: one per quantity of the article
    practices: pd.DataFrame  # PRACTICE_COLUMNS
    derived: pd.DataFrame  # DERIVED_COLUMNS: derived measures the rows would give
    # Whether the archive is already in the data (the same text, byte for byte).
    archived: bool = False

    @property
    def source_id(self) -> str:
        """The id of the proposed source."""
        return str(self.source["id"])

    @property
    def file_name(self) -> str:
        """Where the draft goes in the data folder, as a split file."""
        return f"indicators/{self.source_id}.yaml"
