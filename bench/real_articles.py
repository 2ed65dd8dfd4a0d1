"""The drafter on real published articles, scored field by field against a curator's key.

    uv run python -m bench.real_articles [--articles DIR] [--out FILE]

Run it from the project's root (the scoring is ``tests.support.real_articles``). DIR
holds pairs ``NN.txt`` (an article as published, UTF-8 or GBK) and ``NN.yaml`` (the
answer key a curator wrote for it: see ``tests/support/real_articles.py``); by default
the folder named by ``METRICS_REAL_ARTICLES``, else ``bench/real/``. The articles are
other people's writing, so they stay out of the repository (``bench/real/`` is
ignored by git), and the report names regions, indicators and values, never quotes.

Each article is drafted against the bundled data as ``metrics draft ARTICLE`` drafts it
(no ``--region``, no ``--source-id``), and the draft scored: see the scoring module for
how drafted rows are paired with the key's numbers and what each column counts. Writes
``bench/REAL_ARTICLES.md`` (or ``--out``) and prints it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("METRICS_CACHE_DIR", tempfile.mkdtemp(prefix="bench-real-cache-"))

from metrics.pipeline.load import load_dataset  # noqa: E402
from metrics.tools.draft import DraftStopped, draft_article  # noqa: E402
from metrics.tools.draft.reading import Unreadable, read_article  # noqa: E402
from tests.support.real_articles import Key, Score, read_key, score  # noqa: E402

DATA = ROOT / "data" / "indicators.yaml"
DEFAULT_FOLDER = ROOT / "bench" / "real"
ENV = "METRICS_REAL_ARTICLES"

# Issue #22's targets: (column, share at least, or at most when the flag is False).
TARGETS = (
    ("value+qualifier", 0.95, True),
    ("region", 0.90, True),
    ("indicator", 0.80, True),
    ("all", 0.85, True),
    ("false proposals", 0.10, False),
)

MISSING = """\
{folder}: {what}.
Put the real articles there as pairs NN.txt (the article) and NN.yaml (its answer key:
url, province, main_region, numbers, not_curated; see tests/support/real_articles.py),
or name another folder with --articles DIR or the environment variable {env}.
The articles are not in the repository (bench/real/ is ignored by git)."""


@dataclass(frozen=True)
class Result:
    """One article: its key, its scores, and how drafting went."""

    key: Key
    score: Score
    seconds: float
    note: str = ""  # drafting stopped, or the article could not be read


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "-"


def articles(folder: Path) -> list[tuple[Path, Path]]:
    """The (key, article) pairs of ``folder``, by name."""
    keys = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return [(key, key.with_suffix(".txt")) for key in keys if key.with_suffix(".txt").is_file()]


def run(pairs: list[tuple[Path, Path]]) -> list[Result]:
    """Draft and score every article against the bundled data."""
    dataset = load_dataset(DATA)
    names = dict(zip(dataset.regions["region_id"], dataset.regions["name_zh"], strict=True))
    ids = set(dataset.indicators["indicator_id"])
    results = []
    for key_path, text_path in pairs:
        key = read_key(key_path)
        article = read_article(text_path)
        if isinstance(article, Unreadable):
            results.append(Result(key, _nothing(key), 0.0, f"unreadable: {article.message}"))
            continue
        start = time.perf_counter()
        try:
            draft = draft_article(article.text, dataset)
        except DraftStopped as stopped:
            seconds = time.perf_counter() - start
            results.append(Result(key, _nothing(key), seconds, stopped.message))
            continue
        seconds = time.perf_counter() - start
        results.append(Result(key, score(key, draft, names, ids), seconds))
    return results


def _nothing(key: Key) -> Score:
    """The score of an article with no draft: every key number missed."""
    result = Score(numbers=len(key.numbers))
    result.existing = sum(not n.is_new for n in key.numbers)
    result.new = len(key.numbers) - result.existing
    result.misses = [("proposed", "no draft") for _ in key.numbers]
    return result


def shares(s: Score) -> dict[str, tuple[int, int]]:
    """Each scored column as (part, whole)."""
    return {
        "value+qualifier": (s.value, s.numbers),
        "quote": (s.quote, s.numbers),
        "region": (s.region, s.numbers),
        "indicator": (s.indicator, s.numbers),
        "all": (s.all, s.numbers),
        "false proposals": (s.false, s.drafted),
    }


def table(results: list[Result], total: Score) -> list[str]:
    """The table per article and the totals."""
    lines = [
        "| NN | url | province | level | key numbers | drafted | value+qualifier "
        "| quote holds the number | region | indicator | all | false proposals "
        "| invented regions |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s, cells = r.score, shares(r.score)
        lines.append(
            f"| {r.key.name} | {r.key.url} | {r.key.province} | {r.key.level} | {s.numbers} "
            f"| {s.drafted} | "
            + " | ".join(_share(*cells[c]) for c in cells)
            + f" | {len(s.invented)} |"
        )
    cells = shares(total)
    lines.append(
        f"| **all** | | | | {total.numbers} | {total.drafted} | "
        + " | ".join(f"**{_share(*cells[c])}**" for c in cells)
        + f" | **{len(total.invented)}** |"
    )
    return lines


def totals(total: Score) -> list[str]:
    """The totals, with the parts the table does not show."""
    return [
        "| measure | result |",
        "|---|---|",
        *(f"| {name} | {_share(*cell)} |" for name, cell in shares(total).items()),
        f"| indicator: an existing one picked where one fits | "
        f"{_share(total.existing_right, total.existing)} |",
        f"| indicator: a new one proposed where the key wants one | "
        f"{_share(total.new_right, total.new)} |",
        f"| key numbers proposed (paired with an accepted row) | "
        f"{_share(total.proposed, total.numbers)} |",
        f"| key numbers the draft set aside | {total.set_aside} |",
        f"| false proposals whose number the key lists as not curated | "
        f"{total.false_not_curated} of {total.false} |",
        f"| invented regions | {len(total.invented)} |",
        f"| key quotes not found verbatim (paired at the nearest passage) | {total.not_verbatim} |",
    ]


def targets(total: Score) -> list[str]:
    """Issue #22's targets line, each met or not."""
    cells = shares(total)
    lines = ["| measure | result | target | met |", "|---|---|---|---|"]
    for name, target, at_least in TARGETS:
        part, whole = cells[name]
        value = part / whole if whole else 0.0
        met = value >= target if at_least else value <= target
        sign = "≥" if at_least else "≤"
        lines.append(f"| {name} | {value:.2f} | {sign} {target:.2f} | {'yes' if met else 'no'} |")
    invented = len(total.invented)
    lines.append(f"| invented regions | {invented} | 0 | {'yes' if invented == 0 else 'no'} |")
    return lines


def listed(results: list[Result], kind: str | None) -> list[str]:
    """One line per article and kind of miss (or invented region, for None), repeated
    ones counted."""
    lines = []
    for r in results:
        items = r.score.invented if kind is None else [t for k, t in r.score.misses if k == kind]
        for text, count in Counter(items).items():
            lines.append(f"- {r.key.name}: {text}" + (f" ({count} numbers)" if count > 1 else ""))
    return lines or ["- none"]


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def report(results: list[Result], folder: Path) -> list[str]:
    """The whole report, as lines of Markdown."""
    total = Score()
    for r in results:
        total.add(r.score)
    notes = [f"- {r.key.name}: {r.note}" for r in results if r.note]
    seconds = sum(r.seconds for r in results)
    return [
        "# The drafter on real articles: every field scored",
        "",
        f"Written by `uv run python -m bench.real_articles` on {datetime.date.today()} "
        f"(commit {_commit()}), {len(results)} articles from `{folder.name}/`, drafted in "
        f"{seconds:.1f} s in all.",
        "",
        "The articles were published by others and curated by a curator who never saw the",
        "drafter's code; the texts and their keys stay out of the repository. Each is",
        "drafted against the bundled data as `metrics draft ARTICLE` drafts it, with no",
        "hints. A key number is paired with the drafted row whose quote overlaps the key's",
        "quote in the article and whose value agrees (`tests/support/real_articles.py` says",
        "how, and what each column counts). The columns are shares of the key's numbers",
        "(a number the draft set aside or did not find counts as wrong in every column);",
        "*false proposals* are accepted rows paired with no key number, as a share of the",
        "accepted rows; *invented regions* are regions the draft proposes to add that are",
        "neither the key's main region, its parents, nor a region of its numbers.",
        "*value+qualifier* needs the unit too.",
        "",
        'This is the "before" table of issue #22: the drafter as it was on that date.',
        "",
        *table(results, total),
        "",
        "## Totals",
        "",
        *totals(total),
        "",
        "## Issue #22's targets",
        "",
        *targets(total),
        "",
        *(["## Articles not drafted", "", *notes, ""] if notes else []),
        "## Invented regions",
        "",
        *listed(results, None),
        "",
        "## Indicator misses (key number: drafted indicator for the key's)",
        "",
        *listed(results, "indicator"),
        "",
        "## Region misses (drafted region for the key's)",
        "",
        *listed(results, "region"),
        "",
        "## Value misses (key number: what the draft read)",
        "",
        *listed(results, "value"),
        "",
        "## Key numbers not proposed",
        "",
        *listed(results, "proposed"),
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(os.environ[ENV]) if os.environ.get(ENV) else DEFAULT_FOLDER
    parser.add_argument("--articles", type=Path, default=default, help="NN.txt + NN.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "REAL_ARTICLES.md")
    args = parser.parse_args()
    pairs = articles(args.articles)
    if not pairs:
        what = "no such folder" if not args.articles.is_dir() else "no NN.txt + NN.yaml pairs"
        print(MISSING.format(folder=args.articles, what=what, env=ENV), file=sys.stderr)
        return 2
    lines = report(run(pairs), args.articles)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
