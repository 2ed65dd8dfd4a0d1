"""The ``metrics`` command: ``metrics check`` and ``metrics export``.

Exit codes: 0 when all is well, 1 when the data has problems, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from metrics.dataset import DEFAULT_DATA, Dataset, load_dataset


def _default_data() -> Path:
    """``data/indicators.yaml`` of the working directory, else the bundled one."""
    here = Path("data/indicators.yaml")
    return here if here.exists() else DEFAULT_DATA


def _report(dataset: Dataset) -> int:
    if dataset.problems:
        for problem in dataset.problems:
            print(problem.render(), file=sys.stderr)
        count = len(dataset.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    return 0


def _check(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.path)
    status = _report(dataset)
    if status == 0:
        print(f"ok: {dataset.summary()}")
    return status


def _export(args: argparse.Namespace) -> int:
    from metrics.export import write_datapackage  # imported late: only export needs it

    dataset = load_dataset(args.data)
    status = _report(dataset)
    if status != 0:
        print("nothing exported: fix the problems first", file=sys.stderr)
        return status
    written = write_datapackage(dataset, args.out)
    print(f"wrote {written} ({dataset.summary()})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metrics", description="Check and export the curated governance indicators."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the data and its sources")
    check.add_argument(
        "path", nargs="?", type=Path, default=None, help="YAML file (default: data/indicators.yaml)"
    )
    check.set_defaults(run=_check)

    export = commands.add_parser("export", help="write the data as a Frictionless Data Package")
    export.add_argument("--out", type=Path, required=True, help="folder to write into")
    export.add_argument(
        "--data", type=Path, default=None, help="YAML file (default: data/indicators.yaml)"
    )
    export.set_defaults(run=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in ("path", "data"):
        if hasattr(args, name) and getattr(args, name) is None:
            setattr(args, name, _default_data())
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
