"""A synthetic dataset of any size, for benchmarks and tests only.

``synthesize(...)`` writes a dataset that passes ``metrics check``: a hierarchy of made-up
regions (provinces down to townships), the real indicators and relations, and one
made-up annual report per source whose archived text really contains every quote.
Values respect the relations; qualifiers, periods, unreported indicators and regions
that report nothing occur as they do in real data. Every title and publisher says it
is synthetic, so the data is never mistaken for reported numbers.

The same arguments and seed always give byte-identical files.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from metrics.model.dataset import DEFAULT_DATA
from metrics.model.vocab import UNITS, Level, Qualifier, Theme

SYNTHETIC_PUBLISHER = "合成数据（仅供测试）"
OBSERVATIONS_PER_SOURCE = 100
_YEARS = ("2019", "2020", "2021")
_SYLLABLES = tuple(
    "安白宝北昌长成崇春大德东丰福富光广和河红华吉嘉江金锦靖康乐利临龙隆明南宁平普庆青清"
    "仁瑞山尚胜石寿顺泰天通万文西祥新兴阳永裕原云泽正中"
)
_SUFFIX = {
    Level.province: "省",
    Level.prefecture: "市",
    Level.county: "县",
    Level.township: "镇",
}
_ID_PREFIX = {Level.province: "p", Level.prefecture: "f", Level.county: "c", Level.township: "t"}
_QUALIFIER_WEIGHTS = {
    Qualifier.exact: 70,
    Qualifier.more_than: 15,
    Qualifier.about: 5,
    Qualifier.nearly: 5,
    Qualifier.at_least: 5,
}


@dataclass
class _Region:
    id: str
    name: str
    level: Level
    parent: str | None
    children: list[str] = field(default_factory=list)


def _bundled_tables() -> dict[str, Any]:
    """The real indicators and relations, as plain data."""
    with DEFAULT_DATA.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    # The rules hold in every synthetic report, so none is scoped to a real source.
    relations = [{k: v for k, v in r.items() if k != "sources"} for r in data["relations"]]
    return {"indicators": data["indicators"], "relations": relations}


def _name(rng: random.Random, used: set[str], level: Level) -> str:
    """A made-up, unique two- or three-syllable place name."""
    while True:
        size = 2 if len(used) < 2000 else 3
        name = "".join(rng.choice(_SYLLABLES) for _ in range(size)) + _SUFFIX[level]
        if name not in used:
            used.add(name)
            return name


def _regions(count: int, rng: random.Random) -> list[_Region]:
    """About 1% provinces, 9% prefectures, 30% counties, the rest townships."""
    shares = [
        (Level.province, 0.01),
        (Level.prefecture, 0.09),
        (Level.county, 0.30),
        (Level.township, 0.60),
    ]
    sizes = [max(1, round(count * share)) for _, share in shares]
    sizes[-1] = max(1, count - sum(sizes[:-1]))
    used: set[str] = set()
    regions: list[_Region] = []
    above: list[_Region] = []
    for (level, _), size in zip(shares, sizes, strict=True):
        layer = []
        for index in range(size):
            parent = above[index % len(above)] if above else None
            region = _Region(
                id=f"{_ID_PREFIX[level]}{index:05d}",
                name=_name(rng, used, level),
                level=level,
                parent=parent.id if parent else None,
            )
            if parent:
                parent.children.append(region.id)
            layer.append(region)
        regions.extend(layer)
        above = layer
    return regions


def _region_entry(region: _Region, rng: random.Random) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": region.id,
        "name_zh": region.name,
        "name_en": f"Synthetic {region.level.value} {region.id}",
        "level": region.level.value,
    }
    if region.parent:
        entry["parent"] = region.parent
    if rng.random() < 0.8:  # some regions have no known seat, as in the real data
        entry["lat"] = round(rng.uniform(22.0, 48.0), 2)
        entry["lon"] = round(rng.uniform(85.0, 128.0), 2)
    return entry


def _base_value(unit: str, rng: random.Random) -> int | float:
    if unit == "yuan":
        return rng.randint(5, 20_000) * 10_000
    if unit == "percent":
        return rng.randint(1, 100)
    if unit in ("km", "km2"):
        return round(rng.uniform(1, 500), 1)
    if unit in ("person_time", "copy"):
        return rng.randint(50, 60_000)
    if unit in ("session", "lecture", "household"):
        return rng.randint(1, 200)
    return rng.randint(1, 3_000)


def _truth(indicators: list[dict[str, Any]], rng: random.Random) -> dict[str, int | float]:
    """One region's values for one year, consistent with every relation."""
    values = {i["id"]: _base_value(i["unit"], rng) for i in indicators}
    solved = values["problems_solved_on_spot"] + values["problems_solved_by_deadline"]
    # Every problem collected is solved one way or the other: the sum rule holds.
    values["problems_reported"] = solved
    values["villages"] = max(values["villages"], 10)
    for part in ("villages_one_shoulder", "demonstration_sites"):
        values[part] = rng.randint(0, values["villages"] // 2)
    values["villages_income_50k_plus"] = rng.randint(0, values["villages_zero_income_cleared"])
    values["weak_organizations_rectified"] = rng.randint(0, values["organizations_covered"])
    return values


def _number_text(value: int | float, unit: str) -> tuple[str, str]:
    """(numeral, measure word) as an article writes them: 8000万元 for 80000000 yuan."""
    measure = UNITS[unit].measure_words[0]
    if unit == "yuan" and value % 10_000 == 0:
        return f"{int(value) // 10_000}", f"万{measure}"
    return (f"{value:g}" if isinstance(value, float) else str(value)), measure


def _quantity_text(value: int | float, unit: str, qualifier: Qualifier) -> str:
    number, measure = _number_text(value, unit)
    if qualifier == Qualifier.more_than:
        return f"{number}余{measure}"
    if qualifier == Qualifier.about:
        return f"约{number}{measure}"
    if qualifier == Qualifier.nearly:
        return f"近{number}{measure}"
    if qualifier == Qualifier.at_least:
        return f"{number}{measure}以上"
    return f"{number}{measure}"


def _qualifier(indicator: str, unit: str, related: set[str], rng: random.Random) -> Qualifier:
    if indicator in related or unit == "percent":
        return Qualifier.exact
    choices, weights = zip(*_QUALIFIER_WEIGHTS.items(), strict=True)
    return rng.choices(choices, weights)[0]


def _related(relations: list[dict[str, Any]]) -> set[str]:
    return {name for r in relations for name in (r["total"], *r["parts"])}


@dataclass
class _Report:
    """One synthetic source: its entries and its archived text."""

    source: dict[str, Any]
    observations: list[dict[str, Any]]
    practices: list[dict[str, Any]]
    set_aside: list[dict[str, Any]]
    text: str


def _report(
    number: int,
    subject: _Region,
    by_id: dict[str, _Region],
    count: int,
    tables: dict[str, Any],
    rng: random.Random,
) -> _Report:
    """Source ``number``: a report on ``subject`` with about ``count`` observations."""
    source_id = f"synth-{number:05d}"
    year = rng.choice(_YEARS)
    # The random draws happen in this order (observations, practices), so that the same
    # seed gives the same files.
    observations, observed = _observations(source_id, year, subject, by_id, count, tables, rng)
    practices, practised = _practices(source_id, subject, rng)
    lines = [
        f"{subject.name}{year}年党建引领基层治理工作报告（合成数据）",
        f"{subject.name}坚持党建引领，推动基层治理提质增效。",
        *observed,
        *practised,
    ]
    set_aside = []
    if number % 10 == 0:
        lines.append(f"{subject.name}明确网格员五项职责。")
        set_aside.append(
            {"source": source_id, "mention": "五项", "reason": "A list of duties, not an amount."}
        )
    source = {
        "id": source_id,
        "title": f"{subject.name}{year}年工作报告（合成数据）",
        "publisher": SYNTHETIC_PUBLISHER,
        "date": f"{int(year) + 1}-01",
        "archive": f"{source_id}.txt",
        "region": subject.id,
        "notes": "Synthetic data generated by `metrics synth`; not a real report.",
    }
    return _Report(source, observations, practices, set_aside, "\n".join(lines) + "\n")


def _observations(
    source_id: str,
    year: str,
    subject: _Region,
    by_id: dict[str, _Region],
    count: int,
    tables: dict[str, Any],
    rng: random.Random,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Up to ``count`` observations of the subject and its children, and the report's
    line quoted by each."""
    covered = [subject, *(by_id[c] for c in subject.children)]
    indicators = tables["indicators"]
    related = _related(tables["relations"])
    truths: dict[tuple[str, str], dict[str, int | float]] = {}
    combos = [
        (region, indicator, period)
        for region in covered
        for indicator in indicators
        for period in (*_YEARS, None)
    ]
    chosen = sorted(rng.sample(range(len(combos)), min(count, len(combos))))
    lines = []
    observations = []
    for index in chosen:
        region, indicator, period = combos[index]
        key = (region.id, period or year)
        if key not in truths:
            truths[key] = _truth(indicators, rng)
        value = truths[key][indicator["id"]]
        qualifier = _qualifier(indicator["id"], indicator["unit"], related, rng)
        quantity = _quantity_text(value, indicator["unit"], qualifier)
        when = f"{period}年" if period else "累计"
        quote = f"{region.name}{when}{indicator['name_zh']}{quantity}"
        lines.append(f"{quote}，各项工作扎实推进。")
        entry: dict[str, Any] = {
            "region": region.id,
            "indicator": indicator["id"],
            "value": value,
            "unit": indicator["unit"],
        }
        if qualifier != Qualifier.exact:
            entry["qualifier"] = qualifier.value
        if period:
            entry["period"] = period
        else:
            entry["period_note"] = "累计"
        entry |= {"source": source_id, "quote": quote}
        observations.append(entry)
    return observations, lines


def _practices(
    source_id: str, subject: _Region, rng: random.Random
) -> tuple[list[dict[str, Any]], list[str]]:
    """None to two made-up practices of the subject, and the report's line for each."""
    lines = []
    practices = []
    for n in range(rng.randint(0, 2)):
        name = "“" + "".join(rng.choice(_SYLLABLES) for _ in range(4)) + "”工作法"
        quote = f"{subject.name}推行{name}"
        lines.append(f"{quote}，群众满意度持续提升。")
        practices.append(
            {
                "id": f"{source_id}-p{n}",
                "region": subject.id,
                "name_zh": name,
                "name_en": f"Synthetic practice {n} of {source_id}",
                "summary_zh": "合成的做法说明，仅供测试。",
                "summary_en": "A synthetic practice, for tests only.",
                "themes": [rng.choice(list(Theme)).value],
                "source": source_id,
                "quote": quote,
            }
        )
    return practices, lines


def _dump(data: dict[str, Any], schema: str) -> str:
    header = f"# yaml-language-server: $schema={schema}\n# Synthetic data: not real reports.\n"
    body = yaml.dump(data, allow_unicode=True, sort_keys=False, width=1000, Dumper=_Dumper)
    return header + body


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, as the curated file does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def synthesize(
    out: Path, regions: int, observations: int, seed: int = 0, split: bool = False
) -> dict[str, int]:
    """Write a synthetic dataset into ``out``; return how many entries of each kind.

    With ``split``, ``indicators.yaml`` holds regions, indicators and relations and each
    source gets its own file under ``indicators/``, as curators split a large dataset.
    """
    rng = random.Random(seed)
    tables = _bundled_tables()
    all_regions = _regions(max(regions, 4), rng)
    by_id = {r.id: r for r in all_regions}
    subjects = [r for r in all_regions if r.level in (Level.county, Level.township)]
    source_count = max(1, math.ceil(observations / OBSERVATIONS_PER_SOURCE))
    reports = []
    left = observations
    for number in range(source_count):
        count = min(left, math.ceil(left / (source_count - number)))
        subject = subjects[rng.randrange(len(subjects))]
        reports.append(_report(number, subject, by_id, count, tables, rng))
        left -= len(reports[-1].observations)

    (out / "sources").mkdir(parents=True, exist_ok=True)
    for report in reports:
        (out / "sources" / report.source["archive"]).write_text(report.text, encoding="utf-8")
    shared = {
        "regions": [_region_entry(r, rng) for r in all_regions],
        "indicators": tables["indicators"],
        "relations": tables["relations"],
    }
    per_source = [
        {
            "sources": [r.source],
            "observations": r.observations,
            "practices": r.practices,
            "set_aside": r.set_aside,
        }
        for r in reports
    ]
    if split:
        folder = out / "indicators"
        folder.mkdir(exist_ok=True)
        for report, tables_of_source in zip(reports, per_source, strict=True):
            name = f"{report.source['id']}.yaml"
            text = _dump(_non_empty(tables_of_source), "../indicators.schema.json")
            (folder / name).write_text(text, encoding="utf-8")
        combined = shared
    else:
        combined = {
            "sources": [r.source for r in reports],
            **shared,
            "observations": [o for r in reports for o in r.observations],
            "practices": [p for r in reports for p in r.practices],
            "set_aside": [s for r in reports for s in r.set_aside],
        }
        combined = {name: combined[name] for name in _TABLE_ORDER}
    (out / "indicators.yaml").write_text(
        _dump(combined, "indicators.schema.json"), encoding="utf-8"
    )
    return {
        "regions": len(all_regions),
        "sources": len(reports),
        "observations": sum(len(r.observations) for r in reports),
        "practices": sum(len(r.practices) for r in reports),
        "files": 1 + (len(reports) if split else 0),
    }


_TABLE_ORDER = (
    "sources", "regions", "indicators", "observations", "practices", "relations", "set_aside",
)  # fmt: skip


def _non_empty(tables: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {name: items for name, items in tables.items() if items}
