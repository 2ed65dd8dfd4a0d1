"""The edited draft checked together with the current data, and what the page shows of
the check: each editor's rows with their problems, the ``sources`` entry, the article
with every quantity marked, and how many rows each action has."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.model.tables import LIST_SEPARATOR
from metrics.tools.draft.proposal import ACCEPT, DROP, SET_ASIDE, Draft
from metrics.tools.draft_yaml import DraftCheck, RenderedDraft, check_draft, render_draft
from present.pages.curate.columns import (
    INDICATOR_ORDER,
    PRACTICE_ORDER,
    PROBLEMS,
    REGION_ORDER,
    ROW_ORDER,
)
from present.pages.curate.edits import themes_text
from present.safetext import escape_markdown, escape_markdown_block


@dataclass(frozen=True)
class Checked:
    """The edited draft written out and checked together with the current data."""

    rendered: RenderedDraft
    result: DraftCheck
    # (table, key) -> messages about that entry
    by_entry: dict[tuple[str, str], list[str]]
    # Every problem as ``file:line: message (hint)``, then what to review.
    lines: list[str]

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def blocking(self) -> int:
        """How many problems stand between the draft and the data."""
        settle = sum(1 for _, item in self.result.settle if item.blocking)
        return len(self.result.in_draft) + len(self.result.elsewhere) + settle


def check(data_path: Path, draft: Draft) -> Checked:
    """``draft`` as its file, checked with the data at ``data_path`` (nothing written)."""
    rendered = render_draft(draft)
    result = check_draft(data_path, draft, rendered)
    lines = result.lines(draft.file_name, data_path.parent)
    return Checked(rendered, result, result.by_entry(rendered), lines)


def _messages(by_entry: Mapping[tuple[str, str], list[str]], *entries: tuple[str, str]) -> str:
    return " · ".join(message for entry in entries for message in by_entry.get(entry, []))


def row_editor(rows: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]) -> pd.DataFrame:
    """The proposed rows as the editor shows them, with the problems of each beside it.

    The problems column is always text (empty when none): the editor keeps its edits
    while only the values of its data change, not its columns' types."""
    problems = [
        _messages(by_entry, ("observations", str(n)), ("set_aside", str(n))) for n in rows["n"]
    ]
    frame = rows.assign(**{PROBLEMS: pd.Series(problems, index=rows.index, dtype=str)})
    return frame[[c for c in ROW_ORDER if c in frame.columns]]


def _with_problems(
    frame: pd.DataFrame,
    table: str,
    by_entry: Mapping[tuple[str, str], list[str]],
    order: Sequence[str],
) -> pd.DataFrame:
    problems = [_messages(by_entry, (table, str(key))) for key in frame["id"]]
    out = frame.assign(**{PROBLEMS: pd.Series(problems, index=frame.index, dtype=str)})
    return out[[c for c in order if c in out.columns]]


def practice_editor(
    practices: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]
) -> pd.DataFrame:
    """The proposed practices as the editor shows them: themes as a list."""
    themes = [
        [t for t in (themes_text(v) or "").split(LIST_SEPARATOR) if t] for v in practices["themes"]
    ]
    frame = practices.assign(themes=pd.Series(themes, index=practices.index, dtype=object))
    return _with_problems(frame, "practices", by_entry, PRACTICE_ORDER)


def region_editor(
    regions: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]
) -> pd.DataFrame:
    """The proposed new regions, with their problems."""
    return _with_problems(regions, "regions", by_entry, REGION_ORDER)


def indicator_editor(
    indicators: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]
) -> pd.DataFrame:
    """The proposed new indicators, with their problems."""
    return _with_problems(indicators, "indicators", by_entry, INDICATOR_ORDER)


def source_table(draft: Draft) -> pd.DataFrame:
    """The proposed ``sources`` entry: each field with its value and why."""
    records = []
    for name, value in draft.source.items():
        shown = LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else str(value)
        records.append({"field": name, "content": shown, "why": draft.source_why.get(name, "")})
    return pd.DataFrame(records, columns=["field", "content", "why"], dtype=str)


def source_messages(draft: Draft, checked: Checked) -> list[str]:
    """What the check says about the ``sources`` entry, as safe markdown."""
    return [escape_markdown(m) for m in checked.by_entry.get(("sources", draft.source_id), [])]


# --- the article marked --------------------------------------------------------------

# Accepted numbers orange, as curated ones on the Sources page; set aside blue; dropped grey.
MARK_COLOURS = {ACCEPT: "orange", SET_ASIDE: "blue", DROP: "gray"}


def marked_article(text_: str, rows: pd.DataFrame) -> str:
    """The article as safe markdown: every quantity highlighted in its action's colour
    and followed by its row number, the rest exactly as written."""
    pieces, cursor = [], 0
    ordered = rows.sort_values("start", kind="stable")
    for n, start, end, action in zip(
        ordered["n"], ordered["start"], ordered["end"], ordered["action"], strict=True
    ):
        start, end = int(start), int(end)
        if start < cursor or end <= start or end > len(text_):
            continue  # overlapping or outside the text: nothing to mark
        colour = MARK_COLOURS.get(str(action), "gray")
        pieces.append(escape_markdown_block(text_[cursor:start]))
        mention = escape_markdown(text_[start:end])
        pieces.append(f":{colour}-background[**{mention}**]\u2009:{colour}[\\[{int(n)}\\]]")
        cursor = end
    pieces.append(escape_markdown_block(text_[cursor:]))
    return "".join(pieces)


def counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many rows are accepted, set aside and dropped."""
    found = rows["action"].value_counts()
    return {action: int(found.get(action, 0)) for action in (ACCEPT, SET_ASIDE, DROP)}
