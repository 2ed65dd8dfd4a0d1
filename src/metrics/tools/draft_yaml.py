"""Writing a draft (``metrics.tools.draft``) as the split file a curator adds to ``data/``.

The file is plain YAML with a comment beside each proposed entry saying why it was
proposed, and the line of each entry is kept, so that a problem the check finds in the
draft can be shown beside the row of the table it came from.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from metrics.model.dataset import display_path
from metrics.model.echo import escaped, json_escaped
from metrics.model.problems import Problem
from metrics.model.tables import LIST_SEPARATOR
from metrics.pipeline.load import check_with_added
from metrics.tools.draft import CURATOR_FIELDS, settle_list
from metrics.tools.draft.proposal import ACCEPT, SET_ASIDE, Draft, Settle

# The source fields in the order a curator reads them.
_SOURCE_FIELDS = (
    "id", "title", "title_supplied", "publisher", "issue", "date", "authors", "url", "archive",
    "region", "no_derived",
)  # fmt: skip


@dataclass
class RenderedDraft:
    """The draft file's text, and the line each entry starts at."""

    text: str
    # (table, key) -> line; key is the entry's id, or the row number "n" of a quantity.
    lines: dict[tuple[str, str], int] = field(default_factory=dict)

    def entry_at(self, line: int) -> tuple[str, str] | None:
        """The entry a line of the file belongs to (the last one starting at or above it)."""
        starts, entries = self._starts
        at = bisect_right(starts, line)
        return entries[at - 1] if at else None

    @cached_property
    def _starts(self) -> tuple[list[int], list[tuple[str, str]]]:
        """The lines entries start at, in order, and the first entry starting at each:
        a draft of thousands of entries with a problem each looks each one up in log
        time, not by a pass over all of them."""
        first: dict[int, tuple[str, str]] = {}
        for entry, start in self.lines.items():
            first.setdefault(start, entry)
        starts = sorted(first)
        return starts, [first[start] for start in starts]


def scalar(value: object) -> str:
    """A YAML scalar that reads back as exactly this value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return repr(value)
    return json_escaped(json.dumps(str(value), ensure_ascii=False))


def _has_value(value: object) -> bool:
    """Whether a cell holds something to write: not None, NaN or blank text."""
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return not (isinstance(value, str) and not value.strip())


def _comment(text: object) -> str:
    return f"  # {escaped(' '.join(str(text).split()))}" if _has_value(text) else ""


class _Writer:
    """The draft file's lines as they are written, and the line each entry starts at."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.lines: dict[tuple[str, str], int] = {}

    def add(self, line: str) -> None:
        self.out.append(line)

    def mark(self, table: str, key: object) -> None:
        self.lines[(table, str(key))] = len(self.out) + 1

    def entry(self, table: str, key: object, fields: list[tuple[str, object, str]]) -> None:
        self.mark(table, key)
        first = True
        for name, value, why in fields:
            if not _has_value(value):
                continue
            if isinstance(value, list):
                shown = "[" + ", ".join(scalar(v) for v in value) + "]"
            else:
                shown = scalar(value)
            self.add(f"  {'- ' if first else '  '}{name}: {shown}{_comment(why)}")
            first = False


def _list(value: object) -> list[str]:
    if not _has_value(value):
        return []
    return [part for part in str(value).split(LIST_SEPARATOR) if part]


def render_draft(
    draft: Draft,
    rows: pd.DataFrame | None = None,
    practices: pd.DataFrame | None = None,
    derived: pd.DataFrame | None = None,
) -> RenderedDraft:
    """The draft as the text of ``indicators/<source-id>.yaml``.

    ``rows``, ``practices`` and ``derived`` are the draft's tables as the curator
    edited them (the draft's own when left out). Only accepted observations and
    practices are written, and only the new regions and indicators they use."""
    rows = draft.rows if rows is None else rows
    practices = draft.practices if practices is None else practices
    derived = draft.derived if derived is None else derived
    accepted = rows[rows["action"] == ACCEPT]
    kept_practices = practices[practices["action"] == ACCEPT]
    source = _source_fields(draft, derived)
    w = _Writer()
    _write_source(w, draft, source)
    used_regions = (
        set(accepted["region"].dropna())
        | set(kept_practices["region"].dropna())
        | {source.get("region")}
    )
    _write_regions(w, _with_parents(draft.regions, used_regions))
    used_indicators = set(accepted["indicator"].dropna())
    _write_indicators(w, draft.indicators[draft.indicators["id"].isin(used_indicators)])
    _write_observations(w, draft, accepted)
    _write_set_aside(w, draft, rows[rows["action"] == SET_ASIDE].drop_duplicates("mention"))
    _write_practices(w, draft, kept_practices)
    return RenderedDraft("\n".join(w.out) + "\n", w.lines)


def _source_fields(draft: Draft, derived: pd.DataFrame) -> dict[str, object]:
    """The draft's source entry, with the derived measures the curator turned off."""
    source = dict(draft.source)
    off = sorted(set(derived.loc[~derived["applies"].astype(bool), "measure_id"]))
    if off:
        source["no_derived"] = off
    return source


def _write_source(w: _Writer, draft: Draft, source: dict[str, object]) -> None:
    """The file's header comment and its one ``sources`` entry."""
    w.add("# yaml-language-server: $schema=../indicators.schema.json")
    w.add(f"# Draft of {draft.archive}, made by `metrics draft`. Each comment says why a")
    w.add("# field was proposed; check those that say 'new' or 'guess' before adding the file.")
    w.add("")
    w.add("sources:")
    w.entry(
        "sources",
        draft.source_id,
        [(name, source.get(name), draft.source_why.get(name, "")) for name in _SOURCE_FIELDS],
    )


def _write_regions(w: _Writer, new_regions: pd.DataFrame) -> None:
    """The new regions the written entries use (none: no ``regions`` list)."""
    if len(new_regions):
        w.add("")
        w.add("regions:")
        for region in new_regions.itertuples(index=False):
            w.entry(
                "regions",
                region.id,
                [
                    ("id", region.id, region.why),
                    ("name_zh", region.name_zh, ""),
                    ("name_en", region.name_en, "guess from the pinyin"),
                    ("level", region.level, ""),
                    ("parent", region.parent, ""),
                ],
            )


def _write_indicators(w: _Writer, new_indicators: pd.DataFrame) -> None:
    """The new indicators the accepted observations use."""
    if len(new_indicators):
        w.add("")
        w.add("indicators:")
        for indicator in new_indicators.itertuples(index=False):
            w.entry(
                "indicators",
                indicator.id,
                [
                    ("id", indicator.id, indicator.why),
                    ("name_zh", indicator.name_zh, ""),
                    ("name_en", indicator.name_en, ""),
                    ("unit", indicator.unit, "from the measure word"),
                    ("family", indicator.family, "guess from keywords"),
                ],
            )


def _write_observations(w: _Writer, draft: Draft, accepted: pd.DataFrame) -> None:
    """An observation for each accepted row, its comments saying where and why."""
    if len(accepted):
        w.add("")
        w.add("observations:")
        for row in accepted.itertuples(index=False):
            w.entry(
                "observations",
                row.n,
                [
                    ("region", row.region, f"#{row.n} line {row.line}: {row.why_region}"),
                    ("indicator", row.indicator, row.why_indicator),
                    ("value", row.value, f"{row.mention}"),
                    ("unit", row.unit, ""),
                    ("qualifier", row.qualifier, ""),
                    ("period", row.period, ""),
                    ("period_note", row.period_note, ""),
                    ("source", draft.source_id, ""),
                    ("quote", row.quote, ""),
                ],
            )


def _write_set_aside(w: _Writer, draft: Draft, aside: pd.DataFrame) -> None:
    """A ``set_aside`` entry for each mention set aside (once per mention)."""
    if len(aside):
        w.add("")
        w.add("set_aside:")
        for row in aside.itertuples(index=False):
            w.entry(
                "set_aside",
                row.n,
                [
                    ("source", draft.source_id, f"#{row.n} line {row.line}"),
                    ("mention", row.mention, ""),
                    ("reason", row.reason, ""),
                ],
            )


def _write_practices(w: _Writer, draft: Draft, kept_practices: pd.DataFrame) -> None:
    """The accepted practices."""
    if len(kept_practices):
        w.add("")
        w.add("practices:")
        for practice in kept_practices.itertuples(index=False):
            w.entry(
                "practices",
                practice.id,
                [
                    ("id", practice.id, practice.why),
                    ("region", practice.region, ""),
                    ("name_zh", practice.name_zh, ""),
                    ("name_en", practice.name_en, ""),
                    ("summary_zh", practice.summary_zh, ""),
                    ("summary_en", practice.summary_en, ""),
                    ("themes", _list(practice.themes), "guess from keywords"),
                    ("source", draft.source_id, ""),
                    ("quote", practice.quote, ""),
                ],
            )


def _with_parents(regions: pd.DataFrame, used: set[object]) -> pd.DataFrame:
    """The new regions in ``used`` and the new regions above them."""
    parent = dict(zip(regions["id"], regions["parent"], strict=True))
    keep: set[str] = set()
    for region in used:
        while isinstance(region, str) and region in parent and region not in keep:
            keep.add(region)
            region = parent[region]
    return regions[regions["id"].isin(keep)]


def draft_zip(draft: Draft, rendered: RenderedDraft) -> bytes:
    """The draft file and the archived text, laid out as in ``data/``, as a zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(draft.file_name, rendered.text.encode("utf-8"))
        archive.writestr(f"sources/{draft.archive}", draft.text.encode("utf-8"))
    return buffer.getvalue()


@dataclass
class DraftCheck:
    """The data and a draft checked together."""

    # Problems in the draft file, with their lines in it.
    in_draft: list[Problem]
    # Problems elsewhere in the data (there before the draft, or caused by it).
    elsewhere: list[Problem]
    # What only the curator can decide, each with the line of its entry in the draft.
    settle: list[tuple[int, Settle]]

    @property
    def ok(self) -> bool:
        """Whether the draft can be added as it is: no problem, nothing left to settle."""
        return (
            not self.in_draft
            and not self.elsewhere
            and not any(item.blocking for _, item in self.settle)
        )

    def by_entry(self, rendered: RenderedDraft) -> dict[tuple[str, str], list[str]]:
        """(table, key) -> the messages about that entry, problems and what to settle."""
        found: dict[tuple[str, str], list[str]] = {}
        for problem in self.in_draft:
            entry = rendered.entry_at(problem.line or 0)
            if entry is not None:
                found.setdefault(entry, []).append(f"{problem.message} ({problem.hint})")
        for _, item in self.settle:
            found.setdefault((item.table, item.key), []).append(f"{item.message} ({item.hint})")
        return found

    def lines(self, draft_name: str, data_folder: Path) -> list[str]:
        """Every problem as ``FILE:LINE: message (hint)``, the draft's file named
        ``draft_name``, the others as found in ``data_folder``."""
        shown = [
            replace(p, file=display_path(data_folder / p.file)).render() for p in self.elsewhere
        ]
        items = [
            (
                p.line or 0,
                f"{p.message} ({p.hint})",
                " [only you can settle this]" if _curators(p) else "",
            )
            for p in self.in_draft
        ]
        items += [
            (
                line,
                f"{item.message} ({item.hint})",
                " [only you can settle this]" if item.blocking else " [to review]",
            )
            for line, item in self.settle
        ]
        for line, text, note in sorted(items, key=lambda i: i[0]):
            # What to settle names what the article says (a region's name): escaped.
            text = escaped(text)
            shown.append(
                f"{draft_name}:{line}: {text}{note}" if line else f"{draft_name}: {text}{note}"
            )
        return shown


def _curators(problem: Problem) -> bool:
    """Whether only the curator can give what the problem asks for (an English name)."""
    return problem.code == "missing_field" and problem.params.get("field") in CURATOR_FIELDS


def check_draft(data_path: Path | str, draft: Draft, rendered: RenderedDraft) -> DraftCheck:
    """The data at ``data_path`` and the draft checked together; nothing is written."""
    archives = {} if draft.archived else {draft.archive: draft.text.encode("utf-8")}
    problems = check_with_added(
        data_path, {draft.file_name: rendered.text.encode("utf-8")}, archives
    )
    source_line = rendered.lines.get(("sources", draft.source_id), 1)
    settle = [
        (rendered.lines.get((item.table, item.key), source_line), item)
        for item in settle_list(draft)
    ]
    return DraftCheck(
        in_draft=[p for p in problems if p.file == draft.file_name],
        elsewhere=[p for p in problems if p.file != draft.file_name],
        settle=settle,
    )
