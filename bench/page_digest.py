"""What every page shows, as one digest per page run: a refactoring must not change it.

Runs each page of the dashboard with AppTest (both languages; Region for every region,
Compare for every indicator) on a data file, and writes, for each run, the sha256 of
every element the page drew (text, tables as their Arrow bytes, chart specs). Run it
before and after a change and compare the two files::

    uv run python bench/page_digest.py --data tests/fixtures/seed/indicators.yaml --out before.json
    ...change the code...
    uv run python bench/page_digest.py --data tests/fixtures/seed/indicators.yaml --out after.json
    uv run python bench/page_digest.py --compare before.json after.json

The digests name no module, so code may move between modules and still compare equal.
Also written: every region's and indicator's brief model (the ``Brief`` dataclasses as
``repr``) and ``metrics export``'s files, each by its sha256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
PAGES = ["overview", "compare", "region", "practices", "sources", "quality", "curate"]
# Element ids and the run's own script hash change from run to run, not with the page.
STYLER_UUID = re.compile(r"T_[0-9a-f]{5}_")
VOLATILE = ("id", "element_hash", "script_run_id", "form_id", "deferred_file_id", "uuid")


def _canonical(proto: object) -> str:
    from google.protobuf.json_format import MessageToDict

    fields = MessageToDict(proto, preserving_proto_field_name=True)  # type: ignore[arg-type]

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, str):
            # A pandas Styler names its CSS classes after a random uuid.
            return STYLER_UUID.sub("T_", value)
        return value

    return json.dumps(strip(fields), sort_keys=True, ensure_ascii=False)


def _elements(app: object) -> list[str]:
    """Every drawn element of a finished AppTest run, in page order."""
    found: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and not getattr(node, "children", None):
            found.append(f"{type(node).__name__}:{_canonical(proto)}")
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)  # type: ignore[attr-defined]
    return found


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _run(page: str, lang: str, state: dict[str, object]) -> str:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    app.session_state["lang"] = lang
    for key, value in state.items():
        app.session_state[key] = value
    app.switch_page(f"app_pages/{page}.py").run()
    if app.exception:
        return "exception:" + _digest([str(e.value) for e in app.exception])
    return _digest(_elements(app))


def _runs(dataset: object) -> list[tuple[str, str, dict[str, object]]]:
    regions = sorted(dataset.regions["region_id"])  # type: ignore[attr-defined]
    indicators = sorted(dataset.indicators["indicator_id"])  # type: ignore[attr-defined]
    runs = []
    for lang in ("zh", "en"):
        runs += [(page, lang, {}) for page in PAGES]
        runs += [("region", lang, {"region": r}) for r in regions]
        runs += [("compare", lang, {"indicator": i}) for i in indicators]
    return runs


def _briefs(dataset: object) -> dict[str, str]:
    try:
        from present.brief import indicator_brief, region_brief
    except ImportError:
        from dashboard.views.brief import indicator_brief, region_brief  # before the move
    import datetime as dt

    today = dt.date(2026, 12, 4)
    out = {}
    for lang in ("zh", "en"):
        for region_id in sorted(dataset.regions["region_id"]):  # type: ignore[attr-defined]
            brief = region_brief(dataset, dataset.derived, region_id, lang, today=today)
            out[f"region/{region_id}/{lang}"] = _digest([repr(brief)])
        for indicator in sorted(dataset.indicators["indicator_id"]):  # type: ignore[attr-defined]
            brief = indicator_brief(dataset, indicator, lang, today=today)
            out[f"indicator/{indicator}/{lang}"] = _digest([repr(brief)])
    return out


def _export(data: Path) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "reports.cli", "export", "--data", str(data), "--out", folder],
            check=True,
            capture_output=True,
        )
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(Path(folder).rglob("*"))
            if p.is_file()
        }


def record(data: Path, limit: int | None) -> dict[str, object]:
    import logging

    from metrics.pipeline.load import load_dataset

    logging.getLogger("streamlit").setLevel(logging.ERROR)

    os.environ["METRICS_DATA"] = str(data)
    dataset = load_dataset(data)
    runs = _runs(dataset)[:limit]
    pages = {}
    for page, lang, state in runs:
        name = f"{page}/{lang}/" + ",".join(f"{k}={v}" for k, v in state.items())
        pages[name] = _run(page, lang, state)
    return {"pages": pages, "briefs": _briefs(dataset), "export": _export(data)}


def compare(before: Path, after: Path) -> int:
    old, new = (json.loads(p.read_text(encoding="utf-8")) for p in (before, after))
    differ = 0
    for part in ("pages", "briefs", "export"):
        keys = sorted(set(old[part]) | set(new[part]))
        changed = [k for k in keys if old[part].get(k) != new[part].get(k)]
        differ += len(changed)
        print(f"{part}: {len(keys) - len(changed)} of {len(keys)} equal")
        for key in changed[:20]:
            print(f"  differs: {key}")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--limit", type=int, help="only the first N page runs")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if not (args.data and args.out):
        parser.error("--data and --out, or --compare")
    result = record(args.data.resolve(), args.limit)
    args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
