"""``metrics brief``: a region or an indicator as a Word or PDF brief.

The ``metrics`` command is put together here, at the top of the layers: the data
layer's parser (``metrics.tools.cli``) gets one more sub-command, ``brief``, which needs
the interface's words and charts that the data layer may not import.

Exit codes as for every ``metrics`` command: 0 when the brief was written, 1 when the
data has problems, 2 on bad usage (unknown id, unwritable output).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from metrics.model.vocab import Level
from metrics.pipeline.across_files import did_you_mean
from metrics.tools import cli as data_cli
from reports.render import FORMATS, render_brief


def _unknown(flag: str, kind: str, value: str, known: list[str]) -> int:
    near = did_you_mean(value, known).strip()
    print(f"{flag}: unknown {kind} '{value}'{f' ({near})' if near else ''}", file=sys.stderr)
    return 2


ALL_REGIONS = "all"


def _unwritable(path: Path, folder_wanted: bool) -> str | None:
    """Why the brief (or, with ``folder_wanted``, the briefs) cannot be written to
    ``path``, checked before anything is built; None when it can."""
    if folder_wanted:
        if not path.is_dir():
            return "with --region all, --out must be an existing folder"
        return None if os.access(path, os.W_OK) else "the folder is not writable"
    if not path.parent.is_dir():
        return f"no folder {path.parent}"
    if path.is_dir():
        return "it is a folder"
    if not os.access(path.parent, os.W_OK):
        return f"the folder {path.parent} is not writable"
    return None


def _write(path: Path, content: bytes, started: float) -> int:
    try:
        path.write_bytes(content)
    except OSError as error:
        print(f"{path}: cannot write the brief: {error.strerror or error}", file=sys.stderr)
        return 2
    took = time.perf_counter() - started
    print(f"wrote {path} ({len(content):,} bytes, {took:.2f} s)")
    return 0


def _brief(args: argparse.Namespace) -> int:
    from present.brief import indicator_brief, region_brief  # the slow imports

    batch = args.region == ALL_REGIONS
    why = _unwritable(args.out, folder_wanted=batch)
    if why:
        print(f"{args.out}: cannot write the brief: {why}", file=sys.stderr)
        return 2
    dataset = data_cli.load(args.data)
    if dataset.problems:
        for problem in dataset.problems:
            print(problem.render(), file=sys.stderr)
        print("no brief written: fix the problems first (metrics check)", file=sys.stderr)
        return 1
    regions = list(dataset.regions["region_id"])
    if batch:
        for region_id in regions:  # one brief per region, each named by its file_stem
            started = time.perf_counter()
            brief = region_brief(dataset, dataset.derived, region_id, args.lang)
            target = args.out / f"{brief.file_stem}.{args.format}"
            if _write(target, render_brief(brief, args.format), started):
                return 2
        return 0
    started = time.perf_counter()
    if args.region is not None:
        if args.region not in set(regions):
            return _unknown("--region", "region", args.region, regions)
        brief = region_brief(dataset, dataset.derived, args.region, args.lang)
    else:
        known = list(dataset.indicators["indicator_id"])
        if args.indicator not in known:
            return _unknown("--indicator", "indicator", args.indicator, known)
        brief = indicator_brief(
            dataset, args.indicator, args.lang, period=args.period, level=args.level
        )
    return _write(args.out, render_brief(brief, args.format), started)


def add_brief_command(commands: Any) -> None:
    """Adds ``brief`` to the sub-commands of the ``metrics`` parser."""
    brief = commands.add_parser(
        "brief", help="a region or an indicator as a Word or PDF brief, every number cited"
    )
    subject = brief.add_mutually_exclusive_group(required=True)
    subject.add_argument(
        "--region", help="region id: the region's brief; 'all': one per region into --out FOLDER"
    )
    subject.add_argument("--indicator", help="indicator id: the brief comparing regions")
    brief.add_argument(
        "--period", default=None, help="with --indicator: one period, or 'latest' (each region's)"
    )
    brief.add_argument(
        "--level", choices=[level.value for level in Level], default=None,
        help="with --indicator: one administrative level",
    )  # fmt: skip
    brief.add_argument("--lang", choices=["zh", "en"], default="zh", help="language (zh)")
    brief.add_argument("--format", choices=list(FORMATS), required=True)
    brief.add_argument("--out", type=Path, required=True, help="file to write (a folder for all)")
    brief.add_argument("--data", type=Path, default=None, help="YAML file (default: data/)")
    brief.set_defaults(run=_brief)


def main(argv: list[str] | None = None) -> int:
    """The ``metrics`` command: the data layer's commands and ``brief``."""
    return data_cli.main(argv, extend=add_brief_command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
