"""The observation entries that have problems, as the curator wrote them.

An entry with a problem may be missing from the tables (a wrong field) or stand there
with a value its quote does not carry; either way ``metrics extract`` must not offer
its number as pending. The files named by problems are read again, as safely as a
check reads them, and each problem is matched with the entry its line falls in.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from metrics.model.dataset import Dataset
from metrics.model.problems import ProblemLog
from metrics.pipeline.inputs import DataFolder, Refused
from metrics.pipeline.per_file import raw_entries
from metrics.pipeline.yamlio import decode_text, parse_yaml


@dataclass(frozen=True)
class BrokenEntry:
    """An observation entry with a problem: where it is, what it quotes, its first problem."""

    # The file as the tables name it (relative to the data folder) and the entry's line:
    # an entry whose problem is found across files (an unknown region) has a row there.
    file: str
    line: int
    source: str
    quote: str
    # The value as written, if it is a number.
    value: float | None
    # ``file:line: message`` of the entry's first problem.
    problem: str


def broken_observations(dataset: Dataset) -> list[BrokenEntry]:
    """Every observation entry with a problem that names a source and a quote."""
    lines: dict[str, dict[int, str]] = {}
    for problem in dataset.problems:
        if problem.line is not None:
            where = f"{problem.file}:{problem.line}: {problem.message}"
            lines.setdefault(problem.file, {}).setdefault(problem.line, where)
    folder = DataFolder.of(dataset.path)
    return [
        entry for file, problems in lines.items() for entry in _broken_in(folder, file, problems)
    ]


def _broken_in(folder: DataFolder, file: str, problems: dict[int, str]) -> list[BrokenEntry]:
    """The observation entries of one file that a problem's line falls in."""
    try:  # refused as a check refuses it: a link out, a pipe, a file that went away
        relative, _ = folder.locate_path(Path(file))
        raw, _ = folder.read(relative)
    except (OSError, Refused):
        return []
    log = ProblemLog(file)
    text = decode_text(raw, log)
    parsed = parse_yaml(text, log) if text is not None else None
    if parsed is None:
        return []
    # Each entry spans the lines from its first to the last of its fields.
    spans: dict[int, list[int]] = {}
    for path, line in parsed.lines.items():
        if len(path) > 1 and path[0] == "observations" and isinstance(path[1], int):
            low, high = spans.setdefault(path[1], [line, line])
            spans[path[1]] = [min(low, line), max(high, line)]
    found, problem_lines = [], sorted(problems)
    for index, fields in raw_entries(parsed.data, "observations"):
        low, high = spans.get(index, (0, -1))
        first = bisect_left(problem_lines, low)
        inside = first < len(problem_lines) and problem_lines[first] <= high
        hit = problems[problem_lines[first]] if inside else None
        source, quote = fields.get("source"), fields.get("quote")
        if hit and isinstance(source, str) and isinstance(quote, str) and quote.strip():
            value = _number(fields.get("value"))
            found.append(BrokenEntry(Path(relative).as_posix(), low, source, quote, value, hit))
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return float(value)
    except OverflowError:  # a run of hundreds of digits: no number of the article
        return None
