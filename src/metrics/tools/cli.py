"""The ``metrics`` command: check, export, extract, coverage, draft, indicators, cite,
schema and synth.

Exit codes: 0 when all is well, 1 when the data (or an article) has problems or a
bundled article has pending quantities, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from metrics.model.dataset import DEFAULT_DATA, Dataset
from metrics.model.echo import json_escaped
from metrics.pipeline.load import load_dataset


def _default_data() -> Path:
    """``data/indicators.yaml`` of the working directory, else the bundled one."""
    here = Path("data/indicators.yaml")
    return here if here.exists() else DEFAULT_DATA


def load(path: Path) -> Dataset:
    """The dataset at ``path``, checked; what was wrong with the cache said on stderr
    (the cache then was not used, the result is the same: no problem of the data)."""
    dataset = load_dataset(path)
    for note in dataset.cache_notes:
        print(note, file=sys.stderr)
    return dataset


def _report(dataset: Dataset) -> int:
    if dataset.problems:
        for problem in dataset.problems:
            print(problem.render(), file=sys.stderr)
        count = len(dataset.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    return 0


def _check(args: argparse.Namespace) -> int:
    dataset = load(args.path)
    status = _report(dataset)
    if status == 0:
        print(f"ok: {dataset.summary()}")
    return status


def _export(args: argparse.Namespace) -> int:
    from metrics.tools.export import write_datapackage  # imported late: only export needs it

    dataset = load(args.data)
    status = _report(dataset)
    if status != 0:
        print("nothing exported: fix the problems first", file=sys.stderr)
        return status
    written = write_datapackage(dataset, args.out)
    print(f"wrote {written} ({dataset.summary()})")
    return 0


def _extract(args: argparse.Namespace) -> int:
    from metrics.tools import extract
    from metrics.tools.extract_output import observation_stubs, table_text

    try:
        raw = args.file.read_bytes()
    except OSError as error:
        print(f"{args.file}: cannot read the article: {error.strerror or error}", file=sys.stderr)
        return 1
    try:
        text, encoding = extract.decode_article(raw)
    except extract.ArticleDecodeError as error:
        print(f"{args.file}: {error} (save the article as UTF-8 text)", file=sys.stderr)
        return 1
    dataset = load(args.data)
    source_ids = extract.sources_of_archive(dataset, text)
    mentions = extract.mention_table(text, dataset, source_ids, all_kinds=args.all)
    if args.json:
        payload = {
            "file": str(args.file),
            "encoding": encoding,
            "source_ids": source_ids,
            "mentions": json.loads(mentions.to_json(orient="records", force_ascii=False)),
        }
        print(json_escaped(json.dumps(payload, ensure_ascii=False, indent=2)))
    elif args.yaml:
        print(observation_stubs(mentions, source_ids, args.file.name), end="")
    else:
        print(table_text(mentions, source_ids, args.file.name, encoding))
    return 0


def _coverage(args: argparse.Namespace) -> int:
    from metrics.tools.extract import coverage_table
    from metrics.tools.terminal import text_table

    dataset = load(args.data)
    # The problems first, then the table: a number whose entry has one counts as broken.
    status = _report(dataset)
    table = coverage_table(dataset)
    rows = [[str(value) for value in row] for row in table.itertuples(index=False)]
    totals = ["total", "", *(str(table[c].sum()) for c in table.columns[2:])]
    print(text_table([*rows, totals], list(table.columns)))
    broken = int(table["broken"].sum())
    if broken:
        print(f"{broken} broken: fix the entries named above", file=sys.stderr)
    pending = int(table["pending"].sum())
    if pending:
        print(
            f"{pending} pending: curate them or set them aside (metrics extract FILE)",
            file=sys.stderr,
        )
        return 1
    return status


def _draft(args: argparse.Namespace) -> int:
    from metrics.model.schema import is_id
    from metrics.pipeline.across_files import did_you_mean
    from metrics.tools.draft import DraftStopped, draft_article
    from metrics.tools.draft.reading import Unreadable, read_article
    from metrics.tools.draft_yaml import check_draft, render_draft

    article = read_article(args.file)
    if isinstance(article, Unreadable):
        print(f"{args.file}: {article.message}", file=sys.stderr)
        return 2
    dataset = load(args.data)
    if args.region is not None and args.region not in set(dataset.regions["region_id"]):
        near = did_you_mean(args.region, list(dataset.regions["region_id"])).strip()
        print(
            f"--region: unknown region '{args.region}'{f' ({near})' if near else ''}",
            file=sys.stderr,
        )
        return 2
    if args.source_id is not None and not is_id(args.source_id):
        print(
            f"--source-id: '{args.source_id}' is not a valid id (a-z, 0-9, - and _)",
            file=sys.stderr,
        )
        return 2
    try:
        draft = draft_article(
            article.text, dataset, source_id=args.source_id, region_id=args.region
        )
    except DraftStopped as stopped:
        print(f"{args.file}: {stopped.message}", file=sys.stderr)
        return 1
    rendered = render_draft(draft)
    if args.out is None:
        sys.stdout.write(rendered.text)
        name = f"<draft {draft.file_name}>"
    else:
        try:
            args.out.write_text(rendered.text, encoding="utf-8")
        except OSError as error:
            print(f"{args.out}: cannot write the draft: {error.strerror or error}", file=sys.stderr)
            return 2
        name = str(args.out)
    result = check_draft(args.data, draft, rendered)
    for line in result.lines(name, args.data.parent):
        print(line, file=sys.stderr)
    if not draft.archived:
        print(
            f"archive: save the article as data/sources/{draft.archive} (UTF-8), "
            f"the draft as data/{draft.file_name}",
            file=sys.stderr,
        )
    blocking = len(result.in_draft) + len(result.elsewhere)
    blocking += sum(item.blocking for _, item in result.settle)
    print(
        "ok" if result.ok else f"{blocking} to fix or settle before the draft can be added",
        file=sys.stderr,
    )
    return 0 if result.ok else 1


def _indicators(args: argparse.Namespace) -> int:
    from metrics.tools.indicators import indicator_records, indicator_text

    dataset = load(args.data)
    if _report(dataset):
        print("no indicators listed: fix the problems first", file=sys.stderr)
        return 1
    if args.json:
        print(json_escaped(json.dumps(indicator_records(dataset), ensure_ascii=False, indent=2)))
    else:
        print(indicator_text(dataset))
    return 0


def _cite(args: argparse.Namespace) -> int:
    from metrics.pipeline.across_files import did_you_mean
    from metrics.tools.cite import citations

    dataset = load(args.data)
    if _report(dataset):
        print("nothing cited: fix the problems first", file=sys.stderr)
        return 1
    records = {record["source_id"]: record for record in dataset.sources.to_dict("records")}
    unknown = [name for name in dict.fromkeys(args.source_ids) if name not in records]
    for name in unknown:
        near = did_you_mean(name, list(records)).strip()
        print(f"unknown source '{name}'{f' ({near})' if near else ''}", file=sys.stderr)
    if unknown:
        return 2
    ids = list(dict.fromkeys(args.source_ids)) or list(records)
    text = citations([records[source_id] for source_id in ids], args.format)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"{args.out}: cannot write the citations: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"wrote {len(ids)} citation{'s' if len(ids) != 1 else ''} ({args.format}) to {args.out}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from metrics.model.schema import editor_json_schema

    print(json.dumps(editor_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _synth(args: argparse.Namespace) -> int:
    from metrics.tools.synth import synthesize

    counts = synthesize(args.out, args.regions, args.observations, seed=args.seed, split=args.split)
    summary = ", ".join(f"{count} {name}" for name, count in counts.items())
    print(f"wrote synthetic data to {args.out} ({summary})")
    return 0


# The help of every command's ``--data`` (and ``check``'s path).
_DATA_HELP = "YAML file (default: data/indicators.yaml)"


def build_parser(extend: Callable[[Any], None] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; ``extend`` may add sub-commands of a layer above
    (``reports.cli`` adds ``brief``), given the sub-parsers object."""
    parser = argparse.ArgumentParser(
        prog="metrics", description="Check and export the curated governance indicators."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    # Added in the order ``metrics --help`` lists them.
    _add_data_commands(commands)
    _add_article_commands(commands)
    _add_reference_commands(commands)
    _add_synth_command(commands)
    if extend is not None:
        extend(commands)
    return parser


def _add_data_commands(commands: Any) -> None:
    """``check`` and ``export``: the data as a whole."""
    check = commands.add_parser("check", help="validate the data and its sources")
    check.add_argument("path", nargs="?", type=Path, default=None, help=_DATA_HELP)
    check.set_defaults(run=_check)

    export = commands.add_parser("export", help="write the data as a Frictionless Data Package")
    export.add_argument("--out", type=Path, required=True, help="folder to write into")
    export.add_argument("--data", type=Path, default=None, help=_DATA_HELP)
    export.set_defaults(run=_export)


def _add_article_commands(commands: Any) -> None:
    """``extract``, ``coverage`` and ``draft``: the articles and their quantities."""
    extract = commands.add_parser("extract", help="list the quantities of an article")
    extract.add_argument("file", type=Path, help="article text (UTF-8 or GB18030/GBK)")
    extract.add_argument("--data", type=Path, default=None, help=_DATA_HELP)
    extract.add_argument(
        "--all", action="store_true", help="also list dates, names and other numbers"
    )
    form = extract.add_mutually_exclusive_group()
    form.add_argument(
        "--yaml", action="store_true", help="observation stubs for pending quantities"
    )
    form.add_argument("--json", action="store_true", help="machine-readable output")
    extract.set_defaults(run=_extract)

    coverage = commands.add_parser("coverage", help="curated / set aside / pending per article")
    coverage.add_argument("--data", type=Path, default=None, help=_DATA_HELP)
    coverage.set_defaults(run=_coverage)

    draft = commands.add_parser(
        "draft", help="draft the curation of a new article, checked against the data"
    )
    draft.add_argument("file", type=Path, help="article text (UTF-8, GBK or GB18030)")
    draft.add_argument("--source-id", default=None, help="id of the new source")
    draft.add_argument("--region", default=None, help="id of the region the article is about")
    draft.add_argument(
        "--out", type=Path, default=None, help="write the draft here (default: standard output)"
    )
    draft.add_argument("--data", type=Path, default=None, help=_DATA_HELP)
    draft.set_defaults(run=_draft)


def _add_reference_commands(commands: Any) -> None:
    """``indicators``, ``cite`` and ``schema``: what the data holds, for people and tools."""
    indicators = commands.add_parser(
        "indicators", help="list the indicators: id, unit, family, Chinese name, aliases"
    )
    indicators.add_argument("--data", type=Path, default=None, help=_DATA_HELP)
    indicators.add_argument("--json", action="store_true", help="machine-readable output")
    indicators.set_defaults(run=_indicators)

    cite = commands.add_parser(
        "cite", help="citations of sources for reference managers (RIS, BibTeX, CSL-JSON)"
    )
    cite.add_argument("source_ids", nargs="*", metavar="SOURCE_ID", help="default: every source")
    cite.add_argument("--format", required=True, choices=["ris", "bibtex", "csl-json", "gbt7714"])
    cite.add_argument(
        "--out", type=Path, default=None, help="write here (default: standard output)"
    )
    cite.add_argument("--data", type=Path, default=None, help=_DATA_HELP)
    cite.set_defaults(run=_cite)

    schema = commands.add_parser("schema", help="print the JSON Schema of the YAML file")
    schema.set_defaults(run=_schema)


def _add_synth_command(commands: Any) -> None:
    """``synth``: a synthetic dataset, for benchmarks and tests."""
    synth = commands.add_parser(
        "synth", help="write a synthetic dataset of any size (benchmarks and tests only)"
    )
    synth.add_argument("--regions", type=int, default=100, help="number of regions")
    synth.add_argument("--observations", type=int, default=1000, help="number of observations")
    synth.add_argument("--seed", type=int, default=0, help="same seed, same files")
    synth.add_argument("--out", type=Path, required=True, help="folder to write into")
    synth.add_argument(
        "--split", action="store_true", help="one YAML file per source under indicators/"
    )
    synth.set_defaults(run=_synth)


def main(argv: list[str] | None = None, extend: Callable[[Any], None] | None = None) -> int:
    args = build_parser(extend).parse_args(argv)
    for name in ("path", "data"):
        if hasattr(args, name) and getattr(args, name) is None:
            setattr(args, name, _default_data())
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
