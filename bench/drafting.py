"""How good and how fast drafts are: re-curation of the seeds, made-up articles, timing.

    uv run python -m bench.drafting            # writes bench/DRAFTING.md
    uv run python -m bench.drafting --no-scale # without the 100,000-observation timing

Run it from the project's root: the made-up articles' helpers are ``tests.support``.

1. Re-curation: each bundled article is taken out of a copy of the data (its sources,
   observations, set-aside entries and practices; regions and indicators stay), drafted
   again and compared with what was curated by hand (``metrics.tools.recurate``).
2. Made-up articles (tests/fixtures/made_up_articles/): regions and wordings the
   bundled data does not have, compared with the curation their author wrote.
3. Time of a draft plus its check for a 5,000-character article, on the bundled data
   and on synthetic data of 100,000 observations (``metrics synth``), in-process.
4. Time of drafting made-up articles of 250 KB, 500 KB and 1 MB in the shapes that once
   made drafting take time in the square of their size (``tests.support.large_articles``),
   and of checking the 1 MB drafts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("METRICS_CACHE_DIR", tempfile.mkdtemp(prefix="bench-draft-cache-"))

from metrics.pipeline.load import load_dataset  # noqa: E402
from metrics.tools.draft import draft_article  # noqa: E402
from metrics.tools.draft_yaml import check_draft, render_draft  # noqa: E402
from metrics.tools.recurate import compare, curated_entries, without_article  # noqa: E402
from tests.support.large_articles import SHAPES  # noqa: E402
from tests.support.made_up_articles import ARTICLES, compare_made_up  # noqa: E402

DATA = ROOT / "data" / "indicators.yaml"


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "-"


def recuration(work: Path, aliases: bool = True) -> tuple[list[str], list]:
    original = load_dataset(DATA)
    results = []
    for archive in sorted(original.archive_texts):
        copy = work / f"recurate-{archive}-{aliases}"
        source_ids = without_article(DATA, copy, archive, aliases=aliases)
        reduced = load_dataset(copy / DATA.name)
        draft = draft_article(original.archive_texts[archive], reduced)
        results.append(compare(draft, curated_entries(original, source_ids)))
    return _table(results, "article"), results


def _table(results: list, first: str) -> list[str]:
    lines = [
        f"| {first} | curated numbers | fully right | quote has the number | set aside proposed "
        "| false proposals | practices proposed |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.archive} | {r.curated} | {_share(r.right, r.curated)} | "
            f"{_share(r.quote_has_number, r.curated)} | "
            f"{_share(r.set_aside_proposed, r.set_aside)} | {r.false_proposals} | "
            f"{_share(r.practices_proposed, r.practices)} |"
        )
    total = {
        f: sum(getattr(r, f) for r in results)
        for f in ("curated", "right", "quote_has_number", "set_aside", "set_aside_proposed",
                  "false_proposals", "practices", "practices_proposed")
    }  # fmt: skip
    lines.append(
        f"| **all** | {total['curated']} | **{_share(total['right'], total['curated'])}** | "
        f"{_share(total['quote_has_number'], total['curated'])} | "
        f"{_share(total['set_aside_proposed'], total['set_aside'])} | {total['false_proposals']} | "
        f"{_share(total['practices_proposed'], total['practices'])} |"
    )
    return lines


def _differences(results: list) -> list[str]:
    lines = []
    for r in results:
        for item in r.wrong:
            lines.append(f"- {r.archive}: {item}")
    return lines or ["- none"]


def _article_of(length: int) -> str:
    """A made-up article of about ``length`` characters: the made-up articles repeated
    under one title, so that the quantities and names are realistic."""
    body = "\n".join(article.text.split("\n", 1)[1] for article in ARTICLES)
    text = ARTICLES[0].text.split("\n", 1)[0] + "\n"
    while len(text) < length:
        text += body
    return text[:length]


def timing(data: Path, text: str, runs: int = 5) -> dict[str, float]:
    dataset = load_dataset(data)
    draft_article(text, dataset)  # warm: the dashboard keeps the data and the state
    check_draft(data, draft := draft_article(text, dataset), render_draft(draft))
    drafts, checks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        draft = draft_article(text, dataset)
        rendered = render_draft(draft)
        middle = time.perf_counter()
        check_draft(data, draft, rendered)
        drafts.append(middle - start)
        checks.append(time.perf_counter() - middle)
    return {
        "draft": statistics.median(drafts),
        "check": statistics.median(checks),
        "total": statistics.median(a + b for a, b in zip(drafts, checks, strict=True)),
        "observations": len(dataset.observations),
        "rows": len(draft.rows),
    }


SIZES = (250_000, 500_000, 1_000_000)


def by_size(data: Path) -> list[str]:
    """Rows of CPU seconds: each shape drafted at each of ``SIZES``, and the check of
    the largest draft (CPU time, so that other work on the machine does not count)."""
    dataset = load_dataset(data)
    rows = []
    for shape, make in SHAPES.items():
        seconds = []
        for size in SIZES:
            start = time.process_time()
            draft = draft_article(make(size), dataset)
            seconds.append(time.process_time() - start)
        rendered = render_draft(draft)
        start = time.process_time()
        check_draft(data, draft, rendered)
        check = time.process_time() - start
        rows.append(
            f"| {shape} | {len(draft.rows):,} | "
            + " | ".join(f"{s:.2f} s" for s in seconds)
            + f" | {seconds[-1] / seconds[-2]:.1f} | {len(rendered.text.encode()) / 1e6:.1f} MB "
            f"| {check:.1f} s |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-scale", action="store_true", help="skip the 100,000 timing")
    parser.add_argument("--no-sizes", action="store_true", help="skip the large articles")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "DRAFTING.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        seed_table, seed_results = recuration(work)
        plain_table, plain_results = recuration(work, aliases=False)
        made_up = [compare_made_up(article, DATA) for article in ARTICLES]
        text = _article_of(5000)
        times = {"bundled data": timing(DATA, text)}
        sizes = [] if args.no_sizes else by_size(DATA)
        if not args.no_scale:
            big = work / "synth"
            subprocess.run(
                ["uv", "run", "metrics", "synth", "--regions", "3000", "--observations",
                 "100000", "--split", "--out", str(big)],
                check=True, cwd=ROOT, capture_output=True,
            )  # fmt: skip
            load_dataset(big / "indicators.yaml")  # the first check, as a dashboard start
            times["100,000 synthetic observations"] = timing(big / "indicators.yaml", text)
    lines = [
        "# Drafting: re-curation of the seeds, made-up articles, timing",
        "",
        "Written by `uv run python -m bench.drafting`. A number is *fully right* when the",
        "draft proposed it, accepted, with the region, indicator, value, qualifier and unit",
        "the curator wrote; *false proposals* are accepted rows the curator did not curate",
        "and curated numbers the draft set aside.",
        "",
        "## Re-curation of the bundled articles",
        "",
        *seed_table,
        "",
        "What differed:",
        "",
        *_differences(seed_results),
        "",
        "## The same without the indicators' aliases",
        "",
        "Most aliases were written from the wordings of these very articles, so the figures",
        "above flatter the drafter. Taken away, the drafter has only the indicators' names:",
        "",
        *plain_table,
        "",
        "What differed:",
        "",
        *_differences(plain_results),
        "",
        "## Made-up articles (new regions, new wordings)",
        "",
        "Two short articles written for this measure (tests/fixtures/made_up_articles/),",
        "about places that do not exist, worded as the bundled articles are not",
        "(受理群众诉求, 调解矛盾纠纷, 12345热线工单, 结对帮扶, 院落议事会).",
        "Their author also wrote the drafter and knew the",
        "starter indicators, so they are not a blind test; an article from a curator is.",
        "What the draft cannot know: the province above a new prefecture, which the text",
        "never names (the draft asks for it); that a town's population is context, not work;",
        "English names of new indicators and practices; the summaries of practices.",
        "",
        *_table([m.comparison for m in made_up], "article"),
        "",
        "What differed, and what the draft could not know:",
        "",
        *_differences([m.comparison for m in made_up]),
        *(f"- {m.comparison.archive}: {note}" for m in made_up for note in m.notes),
        "",
        "## Time of a draft plus its check (5,000-character article, in-process, median of 5)",
        "",
        f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}. The check reuses the",
        "state of the data's last check, as the dashboard and a second `metrics draft` do.",
        "",
        "| data | observations | quantities in the article | draft | check with the data | total |",
        "|---|---|---|---|---|---|",
        *(
            f"| {name} | {t['observations']:,} | {t['rows']} | {t['draft'] * 1000:.0f} ms | "
            f"{t['check'] * 1000:.0f} ms | **{t['total'] * 1000:.0f} ms** |"
            for name, t in times.items()
        ),
        "",
        *(_size_section(sizes) if sizes else []),
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


def _size_section(rows: list[str]) -> list[str]:
    return [
        "## Time of drafting large made-up articles (CPU seconds, on the bundled data)",
        "",
        "Made-up articles (tests/support/large_articles.py) in the shapes that once made a",
        "draft take time in the square of the article's size (one line of quantities of",
        "250 KB took 133 s, of 500 KB more than 300 s). The time should double with the",
        "size (1 MB / 500 KB about 2); `draft_article` gives up after `DRAFT_SECONDS` (20 s)",
        "in any case. The check of the 1 MB draft reads its YAML (the size given) with the",
        "data.",
        "",
        "| shape | quantities at 1 MB | 250 KB | 500 KB | 1 MB | 1 MB / 500 KB "
        "| draft file | check of the 1 MB draft |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


if __name__ == "__main__":
    main()
