"""The regions an article names: known ones matched by name, new ones read from a
name's suffix, their parents where the text shows them, the article's main region and
the region of each sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd
from pypinyin import lazy_pinyin

from metrics.model.dataset import Dataset
from metrics.model.vocab import LEVEL_RANK, Level
from metrics.tools.draft.proposal import Deadline
from metrics.tools.draft.reading import LEADING_WORDS, FreeIds, pinyin_id

# Region names end with their level: 旗, 县 and 区 are counties, 镇 and 乡 townships.
_SUFFIX_LEVEL = {
    "自治区": Level.province, "省": Level.province,
    "自治州": Level.prefecture, "地区": Level.prefecture, "市": Level.prefecture,
    "盟": Level.prefecture, "州": Level.prefecture,
    "县": Level.county, "旗": Level.county, "区": Level.county,
    "镇": Level.township, "乡": Level.township, "苏木": Level.township,
    "街道": Level.township,
    "村": Level.village, "嘎查": Level.village, "社区": Level.village,
}  # fmt: skip
_SUFFIX_EN = {
    Level.province: "Province", Level.prefecture: "City", Level.county: "County",
    Level.township: "Town", Level.village: "Village",
}  # fmt: skip
_SUFFIX_EN_EXACT = {
    "旗": "Banner", "区": "District", "盟": "League", "乡": "Township", "苏木": "Sumu",
    "街道": "Subdistrict", "嘎查": "Gacha", "社区": "Community", "自治区": "Autonomous Region",
    "自治州": "Autonomous Prefecture", "地区": "Prefecture",
}  # fmt: skip
_SUFFIXES = sorted(_SUFFIX_LEVEL, key=len, reverse=True)
_NEW_REGION = re.compile(rf"([\u4e00-\u9fff]{{2,6}}?)({'|'.join(_SUFFIXES)})")
# A body with one of these is a phrase, not a name (全县, 该旗, 各乡镇, 城区, 示范区).
_NOT_NAME = re.compile(
    r"[全该各本每此我其多城个的了和与等在对为将把从到以及是由示范园景开发辖社小]"
)

# Words that end like a region's name and are none (镇域乡村: rural, not a village).
# fmt: off
_COMMON_WORDS = frozenset({
    "乡村", "农村", "山村", "城乡", "城区", "社区", "园区", "景区", "辖区", "片区",
    "小区", "街区", "山区", "牧区", "市区", "城市", "都市", "乡镇", "城镇", "村镇",
    "集镇", "新区", "老区", "矿区", "校区", "营区", "灾区", "试区", "专区", "省市",
    "县区", "县市", "全县", "全旗", "全区", "全镇", "全乡", "全村", "全市", "本村",
    "本镇", "该村", "该镇",
    # ... and words that start with a suffix and seldom follow a name (激活乡村: 乡村)
    "村落", "村庄", "镇域", "县域", "区域", "市场", "市民", "区划",
})
# fmt: on


@dataclass(frozen=True)
class RegionHit:
    """Where in the text a region is named: ``text[start:end]``."""

    start: int
    end: int
    region: str


@dataclass
class Regions:
    """Known and proposed regions, with what the draft needs to know of each."""

    level: dict[str, str]
    parent: dict[str, str | None]
    name: dict[str, str]
    new: dict[str, dict[str, object]]

    def depth(self, region: str) -> int:
        """How far down the region is: the rank of its level (province first)."""
        return LEVEL_RANK[Level(self.level[region])]

    def ancestors(self, region: str) -> list[str]:
        """The region's parent, its parent's parent, ... (a loop is followed once)."""
        found, seen = [], {region}
        parent = self.parent.get(region)
        while parent and parent not in seen:
            found.append(parent)
            seen.add(parent)
            parent = self.parent.get(parent)
        return found


def _english_name(body: str, suffix: str, level: Level) -> str:
    """A new region's English name from the pinyin of its body and its suffix."""
    words = "".join(lazy_pinyin(body)).capitalize()
    return f"{words} {_SUFFIX_EN_EXACT.get(suffix, _SUFFIX_EN[level])}"


def _known_hits(text: str, regions: pd.DataFrame, deadline: Deadline) -> list[RegionHit]:
    """Every place a known region's full or short name stands, longest names first."""
    names: dict[str, str] = {}
    for column in ("name_zh", "short_zh"):
        for name, region in zip(regions[column], regions["region_id"], strict=True):
            deadline.check()
            if isinstance(name, str) and len(name) >= 2 and name in text:
                names.setdefault(name, region)
    taken = [False] * len(text)
    hits = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            deadline.check()
            if not any(taken[match.start() : match.end()]):
                taken[match.start() : match.end()] = [True] * len(name)
                hits.append(RegionHit(match.start(), match.end(), names[name]))
    return sorted(hits, key=lambda hit: hit.start)


def _head_end(text: str) -> int:
    """Offset where the first lines (title, byline, first paragraph) end."""
    kept, seen = 0, 0
    for line in text.splitlines(keepends=True):
        kept += len(line)
        if line.strip():
            seen += 1
        if seen >= 4:
            break
    return kept


def _new_hits(
    text: str, known: list[RegionHit], deadline: Deadline
) -> list[tuple[RegionHit, str, str]]:
    """Names with a region suffix that no known region has: (hit, body, suffix).

    Prose is full of words that end like a name (全县, 城区, 示范区), so a new name is
    taken only where a person would read it as one: in the first lines, right after
    another region's name (通辽市科左中旗), or twice in the article."""
    taken = [False] * len(text)
    for hit in known:
        taken[hit.start : hit.end] = [True] * (hit.end - hit.start)
    ends = {hit.end for hit in known}
    head = _head_end(text)
    found: list[tuple[RegionHit, str, str]] = []
    counts: Counter[str] = Counter()
    candidates = []
    floor = 0  # where the previous name ended: a name never reaches back into it
    for match in _NEW_REGION.finditer(text):
        deadline.check()
        start, end = match.span()
        # Start right after the nearest region name or clause boundary before it.
        low = start
        while low > floor and not taken[low - 1] and "\u4e00" <= text[low - 1] <= "\u9fff":
            low -= 1
            if end - low > 8:
                break
        floor = end
        body = LEADING_WORDS.sub("", text[low : match.end(1)])
        if (
            not 2 <= len(body) <= 6
            or _NOT_NAME.search(body)
            or body[-1] + match[2] in _COMMON_WORDS
            or match[2][-1] + text[end : end + 1] in _COMMON_WORDS
            or any(taken[start:end])
        ):
            continue
        begin = match.end(1) - len(body)
        name = body + match[2]
        counts[name] += 1
        candidates.append((begin, end, body, match[2], name))
    ends |= {candidate[1] for candidate in candidates}
    for begin, end, body, suffix, name in candidates:
        chained = begin in ends
        if begin < head or chained or counts[name] >= 2:
            found.append((RegionHit(begin, end, name), body, suffix))
    return found


def regions_of(text: str, dataset: Dataset, deadline: Deadline) -> tuple[Regions, list[RegionHit]]:
    """The known regions, the new ones the text names, and where each is named."""
    known = dataset.regions
    regions = Regions(
        level=dict(zip(known["region_id"], known["level"], strict=True)),
        parent={
            r: (p if isinstance(p, str) else None)
            for r, p in zip(known["region_id"], known["parent_id"], strict=True)
        },
        name=dict(zip(known["region_id"], known["name_zh"], strict=True)),
        new={},
    )
    hits = _known_hits(text, known, deadline)
    ids = FreeIds(regions.level, lambda n: "-new" if n == 2 else f"-new-{n - 1}")
    by_name: dict[str, str] = {}
    for hit, body, suffix in _new_hits(text, hits, deadline):
        name = hit.region
        if name not in by_name:
            level = _SUFFIX_LEVEL[suffix]
            region_id = pinyin_id(body)
            if region_id in ids.taken:
                region_id = f"{region_id}-{pinyin_id(suffix)}"
            region_id = ids.claim(region_id)
            by_name[name] = region_id
            regions.level[region_id] = level.value
            regions.parent[region_id] = None
            regions.name[region_id] = name
            regions.new[region_id] = {
                "id": region_id,
                "name_zh": name,
                "name_en": _english_name(body, suffix, level),
                "level": level.value,
                "parent": None,
                "why": f"new: '{name}' is no known region; level {level.value} from '{suffix}'",
            }
        hits.append(RegionHit(hit.start, hit.end, by_name[name]))
    hits.sort(key=lambda hit: hit.start)
    _chain_parents(hits, regions)
    return regions, hits


def _chain_parents(hits: list[RegionHit], regions: Regions) -> None:
    """A new region written right after a higher one (通辽市科左中旗) is inside it."""
    for before, after in pairwise(hits):
        entry = regions.new.get(after.region)
        if entry is None or entry["parent"] or before.end != after.start:
            continue
        if regions.depth(before.region) < regions.depth(after.region):
            entry["parent"] = before.region
            regions.parent[after.region] = before.region
            entry["why"] = f"{entry['why']}; parent: written after '{regions.name[before.region]}'"


def main_region(
    text: str, hits: list[RegionHit], regions: Regions, hint: str | None, title: str | None
) -> tuple[str | None, str]:
    """The region the article is about, and why: the hint, the title, or the most named."""
    if hint:
        return hint, "given"
    where = text.find(title) if title else -1
    in_title = [
        hit.region for hit in hits if where >= 0 and where <= hit.start < where + len(title or "")
    ]
    if in_title:
        deepest = max(in_title, key=regions.depth)
        return deepest, f"'{regions.name[deepest]}' in the title"
    counts = Counter(hit.region for hit in hits)
    if not counts:
        return None, "no region named"
    best = max(counts, key=lambda r: (counts[r], regions.depth(r)))
    return best, f"'{regions.name[best]}' named {counts[best]} times, more than any other"


class SentenceRegions:
    """The region of each sentence (``region_of_sentence``), worked out once per
    sentence from the names inside it: a sentence as long as the article, with
    thousands of numbers in it, is read once, not once per number."""

    def __init__(self, hits: list[RegionHit], main: str | None, regions: Regions) -> None:
        self._hits = hits  # sorted by where they start
        self._starts = [hit.start for hit in hits]
        self._main, self._regions = main, regions
        self._known: dict[tuple[int, int], tuple[str | None, str]] = {}

    def of(self, low: int, high: int) -> tuple[str | None, str]:
        """The most specific region the sentence ``text[low:high]`` is about, and why."""
        if (low, high) not in self._known:
            inside, hits = [], self._hits
            for at in range(bisect_left(self._starts, low), len(hits)):
                if hits[at].start >= high:
                    break
                inside.append(hits[at])
            self._known[(low, high)] = region_of_sentence(
                inside, low, high, self._main, self._regions
            )
        return self._known[(low, high)]


def region_of_sentence(
    hits: list[RegionHit], low: int, high: int, main: str | None, regions: Regions
) -> tuple[str | None, str]:
    """The most specific region a sentence is about, and why."""
    named = {hit.region for hit in hits if low <= hit.start and hit.end <= high}
    if main is not None:
        named = {r for r in named if r == main or main in regions.ancestors(r)}
    if not named:
        return main, "the article's region" if main else "no region found"
    deepest = max(regions.depth(r) for r in named)
    at_deepest = sorted(r for r in named if regions.depth(r) == deepest)
    if len(at_deepest) == 1:
        return at_deepest[0], f"'{regions.name[at_deepest[0]]}' in the sentence"
    # Several places of one level listed together: the number is about all of them.
    parents = {regions.parent.get(r) for r in at_deepest}
    if len(parents) == 1 and None not in parents:
        parent = parents.pop()
        return parent, f"the sentence lists several places in '{regions.name[parent]}'"
    return main, "the sentence names several places: the article's region"


def guess_parents(regions: Regions, main: str | None) -> None:
    """A new region one level below the article's region, and in no other region the
    text names, is most likely inside it (a village named in a town's article)."""
    if main is None:
        return
    for region_id, entry in regions.new.items():
        if entry["parent"] is None and regions.depth(region_id) == regions.depth(main) + 1:
            entry["parent"] = main
            regions.parent[region_id] = main
            entry["why"] = (
                f"{entry['why']}; parent: guess, named in the article about '{regions.name[main]}'"
            )


def needed_regions(regions: Regions, used: set[str | None]) -> list[dict[str, object]]:
    """The new regions the draft uses, with their new parents, parents first."""
    needed: dict[str, None] = {}  # in the order found
    for region in sorted(r for r in used if r):
        for item in [*reversed(regions.ancestors(region)), region]:
            if item in regions.new:
                needed.setdefault(item)
    return sorted((regions.new[r] for r in needed), key=lambda e: LEVEL_RANK[Level(e["level"])])
