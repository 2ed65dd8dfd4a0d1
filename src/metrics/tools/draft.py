"""Drafting the curation of a new article from its text and the current data.

``draft_article(text, dataset)`` proposes everything a curator would write for one
article: its ``sources`` entry, the regions it names (known ones matched by name, new
ones with a level from the name's suffix), an observation for every quantity the
extractor finds, ``set_aside`` entries for the quantities that are not an amount of
work, and stubs for the named practices. Every proposal carries why it was made, so a
curator reviews reasons instead of re-typing fields. ``metrics draft`` and the
workbench page both call it; ``metrics.tools.draft_yaml`` writes the draft as a file.

The draft is a proposal, never data: nothing here writes a file.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pandas as pd
from pypinyin import lazy_pinyin

from metrics.model.archive import compact
from metrics.model.dataset import Dataset
from metrics.model.numbers import Kind, Mention
from metrics.model.tables import LIST_SEPARATOR
from metrics.model.vocab import LEVEL_RANK, Family, Level, Theme
from metrics.pipeline.derive import DERIVED_MEASURES
from metrics.pipeline.inputs import SOURCES_DIR_NAME
from metrics.tools.extract import (
    ArticleDecodeError,
    Found,
    clause_around,
    decode_article,
    find_in_article,
)

ACCEPT, SET_ASIDE, DROP = "accept", "set_aside", "drop"
ACTIONS = (ACCEPT, SET_ASIDE, DROP)

ROW_COLUMNS = [
    "n", "line", "start", "end", "mention", "action", "region", "indicator", "value",
    "unit", "qualifier", "period", "period_note", "quote", "reason", "why_region",
    "why_indicator",
]  # fmt: skip
REGION_COLUMNS = ["id", "name_zh", "name_en", "level", "parent", "why"]
INDICATOR_COLUMNS = ["id", "name_zh", "name_en", "unit", "family", "why"]
PRACTICE_COLUMNS = [
    "action", "id", "region", "name_zh", "name_en", "summary_zh", "summary_en", "themes",
    "quote", "why",
]  # fmt: skip
DERIVED_COLUMNS = ["measure_id", "name_zh", "name_en", "region", "period", "rows", "applies"]

# A quantity must match an indicator's name or alias at least this well (the share of
# the name's character pairs found in the clause) to be proposed under it.
MATCH_THRESHOLD = 0.5
# Units too common to pick an indicator by the unit alone.
_GENERIC_UNITS = frozenset({"item", "person", "household", "yuan", "percent", "session"})

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
# Words that open a clause and are no part of a name (近年来通辽市: 通辽市).
_LEADING_WORDS = re.compile(
    r"^(?:近年来|近年|今年以来|去年以来|今年|去年|近日|日前|目前|截至|截止|同时|其中|全面|"
    r"积极|深入|推动|推进|依托|围绕|通过|坚持|在|由|对|将|把|从|以|为|是|和|与|及|据)+"
)
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
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*期)")
_PERIOD_NOTES = ("去年以来", "今年以来", "累计", "全年")
_READING_LIST = re.compile(
    r"^\s*(?:推荐阅读|相关阅读|相关新闻|相关推荐|热门推荐|猜你喜欢|延伸阅读)\s*$"
)
_CHINESE_NUMERAL = re.compile(r"^[近约逾]?(?:超过)?[零〇一二两三四五六七八九十]")

# Where the first lines say when, where and by whom the article was published.
_HEAD_LINES = 15
_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})(?!\d)"
)
_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
_ISSUE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*第?\s*(\d{1,2})\s*期")
_PUBLISHER = re.compile(r"来源\s*[:：]\s*([^\s|｜:：]{2,30})")
_AUTHORS = re.compile(
    r"(?:(?:特约)?通讯员|(?<!工)作者\s*[:：]|记者\s*[:：])\s*[:：]?\s*"
    r"([\u4e00-\u9fff·]{2,3}(?:[ \t\u3000\u00a0、，,]+[\u4e00-\u9fff·]{2,3})*)"
)
_URL = re.compile(r"https?://[^\s\"'<>，。）)]+")
_BOILERPLATE = re.compile(r"首页|收藏|登录|注册|导航|Page\s*\d|^P\.\s*\d|网$|头条$")

_PRACTICE = re.compile(
    r"“([^“”\n]{1,24})”([\u4e00-\u9fff]{0,8}?(?:工作法则|工作法|模式|机制|制度|计划|行动|体系|工程|平台))?"
)
_PRACTICE_SUFFIX = (
    "工作法",
    "工作法则",
    "模式",
    "机制",
    "制度",
    "计划",
    "行动",
    "工作室",
    "体系",
    "工程",
)

# Keywords that suggest a new indicator's family, most telling first.
_FAMILY_KEYWORDS = (
    ("12345", "hotline"), ("热线", "hotline"), ("工单", "hotline"),
    ("纠纷", "disputes"), ("调解", "disputes"), ("矛盾", "disputes"),
    ("包联", "pairing"), ("结对", "pairing"), ("制度", "systems"),
    ("培训", "trainees"), ("轮训", "trainees"), ("网格", "grids"),
    ("诉求", "problems"), ("问题", "problems"),
    ("投资", "investment"), ("资金", "investment"), ("万元", "investment"),
    ("集体经济", "projects"), ("项目", "projects"),
    ("书记", "cadres"), ("干部", "cadres"),
    ("中心", "services"), ("阵地", "services"),
    ("党组织", "organizations"), ("支部", "organizations"), ("党员", "members"),
)  # fmt: skip
_THEME_KEYWORDS = (
    ("调解", Theme.mediation), ("纠纷", Theme.mediation), ("矛盾", Theme.mediation),
    ("网格", Theme.grid_governance), ("书记", Theme.cadre_development),
    ("干部", Theme.cadre_development), ("人才", Theme.cadre_development),
    ("监督", Theme.supervision), ("物业", Theme.urban_party_building),
    ("社区", Theme.urban_party_building), ("城市", Theme.urban_party_building),
    ("村治", Theme.village_self_governance), ("村民", Theme.village_self_governance),
    ("自治", Theme.village_self_governance), ("群众", Theme.public_participation),
    ("集体经济", Theme.collective_economy), ("减负", Theme.burden_reduction),
    ("智慧", Theme.digital_platforms), ("平台", Theme.digital_platforms),
    ("数据", Theme.digital_platforms), ("社会组织", Theme.social_forces),
    ("志愿", Theme.social_forces), ("服务", Theme.services),
)  # fmt: skip


@dataclass(frozen=True)
class Settle:
    """Something only the curator can decide, about one entry of the draft."""

    code: str  # stable: new_region_parent, new_region_name, indicator_name_en, ...
    table: str  # the draft's table the entry is in
    key: str  # the entry's id, or the row number of an observation
    message: str
    hint: str

    @property
    def blocking(self) -> bool:
        """Whether the draft cannot be added before this is settled (else: to review)."""
        return self.code not in REVIEW_CODES


# What the curator should look at, although the draft passes without a change.
REVIEW_CODES = frozenset({"source_title", "new_region_name", "derived_applies"})


@dataclass
class Draft:
    """A proposed curation of one article; tables a curator can edit row by row."""

    text: str
    archive: str
    source: dict[str, object]
    # field -> why it was proposed
    source_why: dict[str, str]
    regions: pd.DataFrame  # REGION_COLUMNS: regions to add
    indicators: pd.DataFrame  # INDICATOR_COLUMNS: indicators to add
    rows: pd.DataFrame  # ROW_COLUMNS: one per quantity of the article
    practices: pd.DataFrame  # PRACTICE_COLUMNS
    derived: pd.DataFrame  # DERIVED_COLUMNS: derived measures the rows would give
    # Whether the archive is already in the data (the same text, byte for byte).
    archived: bool = False

    @property
    def source_id(self) -> str:
        return str(self.source["id"])

    @property
    def file_name(self) -> str:
        """Where the draft goes in the data folder, as a split file."""
        return f"indicators/{self.source_id}.yaml"


# --- regions -------------------------------------------------------------------------


@dataclass(frozen=True)
class _RegionHit:
    start: int
    end: int
    region: str


@dataclass
class _Regions:
    """Known and proposed regions, with what the draft needs to know of each."""

    level: dict[str, str]
    parent: dict[str, str | None]
    name: dict[str, str]
    new: dict[str, dict[str, object]]

    def depth(self, region: str) -> int:
        return LEVEL_RANK[Level(self.level[region])]

    def ancestors(self, region: str) -> list[str]:
        found, seen = [], {region}
        parent = self.parent.get(region)
        while parent and parent not in seen:
            found.append(parent)
            seen.add(parent)
            parent = self.parent.get(parent)
        return found


def _pinyin_id(name: str) -> str:
    """A lower-case ASCII id from a Chinese name: 云溪 -> yunxi."""
    syllables = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in lazy_pinyin(name)]
    return "".join(s for s in syllables if s)[:40] or "x"


def _english_name(body: str, suffix: str, level: Level) -> str:
    words = "".join(lazy_pinyin(body)).capitalize()
    return f"{words} {_SUFFIX_EN_EXACT.get(suffix, _SUFFIX_EN[level])}"


def _known_hits(text: str, regions: pd.DataFrame) -> list[_RegionHit]:
    """Every place a known region's full or short name stands, longest names first."""
    names: dict[str, str] = {}
    for column in ("name_zh", "short_zh"):
        for name, region in zip(regions[column], regions["region_id"], strict=True):
            if isinstance(name, str) and len(name) >= 2 and name in text:
                names.setdefault(name, region)
    taken = [False] * len(text)
    hits = []
    for name in sorted(names, key=len, reverse=True):
        for match in re.finditer(re.escape(name), text):
            if not any(taken[match.start() : match.end()]):
                taken[match.start() : match.end()] = [True] * len(name)
                hits.append(_RegionHit(match.start(), match.end(), names[name]))
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
    text: str, known: list[_RegionHit], regions: _Regions
) -> list[tuple[_RegionHit, str, str]]:
    """Names with a region suffix that no known region has: (hit, body, suffix).

    Prose is full of words that end like a name (全县, 城区, 示范区), so a new name is
    taken only where a person would read it as one: in the first lines, right after
    another region's name (通辽市科左中旗), or twice in the article."""
    taken = [False] * len(text)
    for hit in known:
        taken[hit.start : hit.end] = [True] * (hit.end - hit.start)
    ends = {hit.end for hit in known}
    head = _head_end(text)
    found: list[tuple[_RegionHit, str, str]] = []
    counts: Counter[str] = Counter()
    candidates = []
    floor = 0  # where the previous name ended: a name never reaches back into it
    for match in _NEW_REGION.finditer(text):
        start, end = match.span()
        # Start right after the nearest region name or clause boundary before it.
        low = start
        while low > floor and not taken[low - 1] and "\u4e00" <= text[low - 1] <= "\u9fff":
            low -= 1
            if end - low > 8:
                break
        floor = end
        body = _LEADING_WORDS.sub("", text[low : match.end(1)])
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
    for begin, end, body, suffix, name in candidates:
        chained = begin in ends or any(c[1] == begin for c in candidates)
        if begin < head or chained or counts[name] >= 2:
            found.append((_RegionHit(begin, end, name), body, suffix))
    return found


def _regions_of(text: str, dataset: Dataset) -> tuple[_Regions, list[_RegionHit]]:
    """The known regions, the new ones the text names, and where each is named."""
    known = dataset.regions
    regions = _Regions(
        level=dict(zip(known["region_id"], known["level"], strict=True)),
        parent={
            r: (p if isinstance(p, str) else None)
            for r, p in zip(known["region_id"], known["parent_id"], strict=True)
        },
        name=dict(zip(known["region_id"], known["name_zh"], strict=True)),
        new={},
    )
    hits = _known_hits(text, known)
    ids = set(regions.level)
    by_name: dict[str, str] = {}
    for hit, body, suffix in _new_hits(text, hits, regions):
        name = hit.region
        if name not in by_name:
            level = _SUFFIX_LEVEL[suffix]
            region_id = _pinyin_id(body)
            if region_id in ids:
                region_id = f"{region_id}-{_pinyin_id(suffix)}"
            while region_id in ids:
                region_id += "-new"
            ids.add(region_id)
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
        hits.append(_RegionHit(hit.start, hit.end, by_name[name]))
    hits.sort(key=lambda hit: hit.start)
    _chain_parents(hits, regions)
    return regions, hits


def _chain_parents(hits: list[_RegionHit], regions: _Regions) -> None:
    """A new region written right after a higher one (通辽市科左中旗) is inside it."""
    for before, after in pairwise(hits):
        entry = regions.new.get(after.region)
        if entry is None or entry["parent"] or before.end != after.start:
            continue
        if regions.depth(before.region) < regions.depth(after.region):
            entry["parent"] = before.region
            regions.parent[after.region] = before.region
            entry["why"] = f"{entry['why']}; parent: written after '{regions.name[before.region]}'"


def _main_region(
    text: str, hits: list[_RegionHit], regions: _Regions, hint: str | None, title: str | None
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


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around ``[start, end)``: between sentence ends, within its line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    low = line_start
    for match in _SENTENCE_END.finditer(text, line_start, start):
        low = match.end()
    high = _SENTENCE_END.search(text, end, line_end)
    return low, high.start() if high else line_end


def _region_of_sentence(
    hits: list[_RegionHit], low: int, high: int, main: str | None, regions: _Regions
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


# --- indicators -----------------------------------------------------------------------


_MARKS = re.compile(r"[“”‘’\"'《》「」\s]|（[^）]*）|\([^)]*\)")


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class _IndicatorName:
    indicator: str
    name: str
    kind: str  # "name" or "alias"
    pairs: frozenset[str]


def _indicator_names(indicators: pd.DataFrame) -> dict[str, list[_IndicatorName]]:
    """unit -> every name and alias of the indicators counted in it."""
    names: dict[str, list[_IndicatorName]] = {}
    aliases = indicators["aliases_zh"] if "aliases_zh" in indicators else [None] * len(indicators)
    for row, alias_text in zip(indicators.itertuples(index=False), aliases, strict=True):
        words = [(row.name_zh, "name")]
        if isinstance(alias_text, str) and alias_text:
            words += [(alias, "alias") for alias in alias_text.split(LIST_SEPARATOR)]
        if row.name_zh.endswith("数") and len(_MARKS.sub("", row.name_zh)) > 1:
            # 网格数, 村数: "the number of" grid cells, villages; the thing counted.
            words.append((_MARKS.sub("", row.name_zh)[:-1], "name"))
        for word, kind in words:
            clean = _MARKS.sub("", word)
            if clean:
                names.setdefault(row.unit, []).append(
                    _IndicatorName(row.indicator_id, clean, kind, frozenset(_pairs(clean)))
                )
    return names


def _score(name: _IndicatorName, clause: str, counted: str) -> tuple[float, int]:
    """How well a clause says the name: the share of the name it holds (1 when whole,
    else the share of its character pairs), and how many of its characters that is,
    two more when the name ends right before the number (等制度5项: 制度).

    A one-character name (村) counts only as the thing counted right after the number
    (9个村)."""
    if len(name.name) == 1:
        return (1.0, 1) if counted.startswith(name.name) else (0.0, 0)
    adjacent = 2 if clause.split("#", 1)[0].endswith(name.name[-2:]) else 0
    if name.name in clause:
        return 1.0, len(name.name) + adjacent
    shared = name.pairs & _pairs(clause)
    covered = {
        i + k for i in range(len(name.name) - 1) if name.name[i : i + 2] in shared for k in (0, 1)
    }
    return len(shared) / len(name.pairs), len(covered) + adjacent


def _match_indicator(
    found: Found, clause: str, counted: str, names: dict[str, list[_IndicatorName]]
) -> tuple[str | None, str]:
    """The best-matching known indicator for a quantity, and why; None when none fits."""
    unit = found.mention.unit
    candidates = names.get(unit, []) if unit else [n for ns in names.values() for n in ns]
    scored = [(*_score(n, clause, counted), n) for n in candidates]
    scored = [item for item in scored if item[0] >= MATCH_THRESHOLD]
    if scored:
        # The name that says the most of the clause: most characters, then most whole.
        score, _, best = max(scored, key=lambda item: (item[1], item[0]))
        how = "contains" if score == 1.0 else f"shares {score:.0%} of"
        return best.indicator, f"{how} the {best.kind} '{best.name}'"
    same_unit = {n.indicator for n in candidates}
    if unit and unit not in _GENERIC_UNITS and len(same_unit) == 1:
        only = same_unit.pop()
        return only, f"the only indicator counted in '{found.mention.measure_word}'"
    return None, "new: no indicator's name or alias matches"


_LEADING_VERBS = re.compile(
    r"^(?:累计|共计|共|全年|先后|已|开展|组织|举办|召开|建立|建成|新建|设立|选派|配备|完成|实现)+"
)


def _new_indicator_name(clause: str, mention: Mention) -> str:
    """A name for a new indicator: the words before the number, else after it."""
    before, _, after = clause.partition(mention.text)
    while (shorter := _LEADING_WORDS.sub("", _LEADING_VERBS.sub("", before))) != before:
        before = shorter
    words = _MARKS.sub("", before)[-16:] or _MARKS.sub("", after)[:8]
    return words or mention.text


def _family_of(name: str) -> str | None:
    for keyword, family in _FAMILY_KEYWORDS:
        if keyword in name and family in Family.__members__:
            return family
    return None


# --- the article's head: title, date, publisher ---------------------------------------


def _head_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()[:_HEAD_LINES]]


def _guess_title(lines: list[str]) -> str | None:
    """The title: the line before the date or source line, else the first short line."""
    plausible = [
        (i, line)
        for i, line in enumerate(lines)
        if 4 <= len(line) <= 80
        and re.search(r"[\u4e00-\u9fff]", line)
        and not _BOILERPLATE.search(line)
    ]
    dated = next((i for i, line in enumerate(lines) if _DATE.search(line) or "来源" in line), None)
    if dated is not None:
        before = [line for i, line in plausible if i < dated]
        if before:
            return before[-1]
    if plausible and plausible[0][0] == next((i for i, x in enumerate(lines) if x), -1):
        return plausible[0][1]
    return None


def _source_entry(
    text: str,
    dataset: Dataset,
    main: str | None,
    regions: _Regions,
    source_id: str | None,
    title: str | None,
) -> tuple[dict[str, object], dict[str, str]]:
    """The ``sources`` entry: what the first lines say, and why each field was taken."""
    head = "\n".join(_head_lines(text))
    entry: dict[str, object] = {}
    why: dict[str, str] = {}
    date = _DATE.search(head)
    year = date[1] if date else None
    base = source_id or f"{main or 'article'}-{year or 'draft'}"
    taken = set(dataset.sources["source_id"])
    new_id, number = base, 2
    while source_id is None and new_id in taken:
        new_id, number = f"{base}-{number}", number + 1
    entry["id"], why["id"] = new_id, "given" if source_id else "region and year"
    if title:
        entry["title"], why["title"] = title, "the line before the date" if date else "first line"
    else:
        name = regions.name.get(main or "", "")
        entry["title"] = f"{name}党建引领基层治理"
        entry["title_supplied"] = True
        why["title"] = (
            "the article prints no title: a descriptive one, in square brackets when cited"
        )
    if publisher := _PUBLISHER.search(head):
        entry["publisher"], why["publisher"] = publisher[1], "'来源:' line"
    if date:
        entry["date"] = f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}"
        why["date"] = f"'{date[0]}' in the first lines"
    elif month := _MONTH.search(head):
        entry["date"] = f"{month[1]}-{int(month[2]):02d}"
        why["date"] = f"'{month[0]}' in the first lines"
    elif issue := _ISSUE.search(head):
        entry["issue"] = f"{issue[1]}年第{issue[2]}期"
        entry["date"] = issue[1]
        why["issue"] = f"'{issue[0]}' in the first lines"
        why["date"] = "the year of the issue; give the month if the journal prints it"
    authors = [
        name
        for match in _AUTHORS.finditer(text)
        for name in re.split(r"[ \t\u3000\u00a0、，,]+", match[1].strip())
    ]
    if authors:
        entry["authors"] = list(dict.fromkeys(authors))
        why["authors"] = "byline (通讯员, 作者:, 记者:)"
    if url := _URL.search(text):
        entry["url"], why["url"] = url[0], "address in the text"
    if main:
        entry["region"], why["region"] = main, "main region"
    return entry, why


# --- quantities -----------------------------------------------------------------------


def _set_aside_reason(
    text: str, found: Found, offset: int, reading_list_line: int | None
) -> str | None:
    """Why a quantity is not an amount of work, or None when it may be one."""
    mention = found.mention
    if reading_list_line is not None and found.line > reading_list_line:
        return (
            f"From the site's list of recommended reading (line {reading_list_line}), "
            "not the article."
        )
    after = text[offset + mention.end : offset + mention.end + 3]
    if after.startswith(("的", "以下的")) and mention.unit in ("yuan", "percent", None):
        return "A threshold that defines what is counted, not an amount of work."
    if _CHINESE_NUMERAL.match(mention.text) and mention.value <= 10:
        return (
            "A small count written in words that names the things listed with it; "
            "not an amount of work."
        )
    return None


def _period_of(sentence: str) -> tuple[str | None, str | None]:
    year = _YEAR.search(sentence)
    note = next((word for word in _PERIOD_NOTES if word in sentence), None)
    return (year[1] if year else None), note


def _line_offsets(text: str) -> list[int]:
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _quantity_rows(
    text: str, dataset: Dataset, regions: _Regions, hits: list[_RegionHit], main: str | None
) -> tuple[list[dict[str, object]], dict[str, dict[str, object]]]:
    names = _indicator_names(dataset.indicators)
    offsets = _line_offsets(text)
    lines = text.splitlines()
    reading = next((i + 1 for i, line in enumerate(lines) if _READING_LIST.match(line)), None)
    rows: list[dict[str, object]] = []
    new_indicators: dict[str, dict[str, object]] = {}
    known_ids = set(dataset.indicators["indicator_id"])
    for number, found in enumerate(find_in_article(text, {Kind.quantity}), start=1):
        mention = found.mention
        offset = offsets[found.line - 1]
        start, end = offset + mention.start, offset + mention.end
        low, high = _sentence_span(text, start, end)
        sentence = text[low:high]
        clause = _MARKS.sub("", found.fragment).replace(compact(mention.text), "#")
        counted = text[end : end + 4]
        region, why_region = _region_of_sentence(hits, low, high, main, regions)
        reason = _set_aside_reason(text, found, offset, reading)
        indicator, why_indicator = (
            (None, "") if reason else _match_indicator(found, clause, counted, names)
        )
        if indicator is None and reason is None:
            name = _new_indicator_name(found.fragment, mention)
            indicator = next(
                (
                    i
                    for i, e in new_indicators.items()
                    if e["name_zh"] == name and e["unit"] == mention.unit
                ),
                None,
            )
            if indicator is None:
                indicator = f"new_{_pinyin_id(name)[:30]}"
                while indicator in new_indicators or indicator in known_ids:
                    indicator += "_2"
                family = _family_of(name)
                new_indicators[indicator] = {
                    "id": indicator,
                    "name_zh": name,
                    "name_en": None,
                    "unit": mention.unit,
                    "family": family,
                    "why": "new: name from the words before the number"
                    + ("; family from its words" if family else "; family: none of the keywords"),
                }
        period, period_note = _period_of(sentence)
        rows.append(
            {
                "n": number,
                "line": found.line,
                "start": start,
                "end": end,
                "mention": mention.text,
                "action": SET_ASIDE if reason else ACCEPT,
                "region": region,
                "indicator": indicator,
                "value": float(mention.value),
                "unit": mention.unit,
                "qualifier": mention.qualifier.value,
                "period": period,
                "period_note": period_note,
                "quote": found.fragment,
                "reason": reason,
                "why_region": why_region,
                "why_indicator": why_indicator,
            }
        )
    return rows, new_indicators


# --- practices and derived measures ---------------------------------------------------


def _practice_rows(
    text: str, regions: _Regions, hits: list[_RegionHit], main: str | None, dataset: Dataset
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    taken = set(dataset.practices["practice_id"])
    for match in _PRACTICE.finditer(text):
        core, suffix = match[1], match[2] or ""
        if not suffix and not core.endswith(_PRACTICE_SUFFIX):
            continue
        name = f"“{core}”{suffix}"
        if name in seen:
            continue
        seen.add(name)
        low, high = _sentence_span(text, match.start(), match.end())
        region, _ = _region_of_sentence(hits, low, high, main, regions)
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_text = text[line_start : len(text) if line_end < 0 else line_end]
        quote = clause_around(line_text, match.start() - line_start, match.end() - line_start)
        words = core + suffix
        themes = [t.value for keyword, t in _THEME_KEYWORDS if keyword in words][:2] or [
            Theme.organisation_building.value
        ]
        practice_id = f"{region or 'article'}-{_pinyin_id(core)[:24]}"
        while practice_id in taken:
            practice_id += "-2"
        taken.add(practice_id)
        rows.append(
            {
                "action": ACCEPT,
                "id": practice_id,
                "region": region,
                "name_zh": name,
                "name_en": None,
                "summary_zh": None,
                "summary_en": None,
                "themes": LIST_SEPARATOR.join(dict.fromkeys(themes)),
                "quote": quote,
                "why": f"a name in quotation marks{' followed by ' + suffix if suffix else ''}",
            }
        )
    return rows


def derived_that_apply(rows: pd.DataFrame) -> pd.DataFrame:
    """The derived measures the accepted rows would give, one per region and period."""
    accepted = rows[rows["action"] == ACCEPT]
    found = []
    for (region, period), group in accepted.groupby(
        [accepted["region"].fillna(""), accepted["period"].fillna("")], sort=True
    ):
        by_indicator = dict(zip(group["indicator"], group["n"], strict=False))
        for measure in DERIVED_MEASURES:
            needed = [*measure.inputs, *measure.denominator]
            if all(i in by_indicator for i in needed):
                found.append(
                    {
                        "measure_id": measure.id,
                        "name_zh": measure.name.zh,
                        "name_en": measure.name.en,
                        "region": region or None,
                        "period": period or None,
                        "rows": ", ".join(f"#{by_indicator[i]}" for i in needed),
                        "applies": True,
                    }
                )
    return pd.DataFrame(found, columns=DERIVED_COLUMNS)


# --- reading an article -------------------------------------------------------------

# Larger than any article; a bigger file is something else (or a mistake).
MAX_ARTICLE_BYTES = 1_000_000


@dataclass(frozen=True)
class Article:
    text: str
    encoding: str


# Why an upload is no article: code -> message (for the terminal; the page has its own
# words for each code).
UNREADABLE = {
    "empty": "the article is empty",
    "too_big": "the article is {size} bytes; at most {limit} are read",
    "binary": "this is binary data, not text: save the article as a .txt file",
    "encoding": "the text is neither UTF-8 nor GBK/GB18030: save the article as UTF-8 text",
    "unreadable": "cannot read the article: {detail}",
}


@dataclass(frozen=True)
class Unreadable:
    """Why bytes are no article, as data: a stable code and its parameters."""

    code: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return UNREADABLE[self.code].format(**self.params)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_upload(raw: bytes) -> Article | Unreadable:
    """An article's text from its bytes (UTF-8, GBK or GB18030), or why it is none."""
    if not raw.strip():
        return Unreadable("empty")
    if len(raw) > MAX_ARTICLE_BYTES:
        return Unreadable("too_big", {"size": f"{len(raw):,}", "limit": f"{MAX_ARTICLE_BYTES:,}"})
    if b"\0" in raw:
        return Unreadable("binary")
    try:
        text, encoding = decode_article(raw)
    except ArticleDecodeError:
        return Unreadable("encoding")
    if _CONTROL.search(text):  # control characters: no article holds them
        return Unreadable("binary")
    return Article(text.removeprefix("\ufeff"), encoding)


def read_article(path: Path) -> Article | Unreadable:
    """The article in a file, or why it cannot be read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ARTICLE_BYTES + 1)
    except OSError as error:
        return Unreadable("unreadable", {"detail": str(error.strerror or error)})
    return decode_upload(raw)


# --- the draft ------------------------------------------------------------------------


def archive_name(text: str, dataset: Dataset) -> tuple[str, bool]:
    """The archive's file name, and whether ``data/sources/`` already holds this text.

    A file with the same bytes is found even when no source names it (an article taken
    out of the data and drafted again); else the next free number and the text's hash."""
    raw = text.encode("utf-8")
    for name, archived in dataset.archive_texts.items():
        if archived == text:
            return name, True
    folder = dataset.path.parent / SOURCES_DIR_NAME
    names = sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
    for name in names:
        path = folder / name
        if not path.is_symlink() and path.stat().st_size == len(raw) and path.read_bytes() == raw:
            return name, True
    numbers = [
        int(m[1]) for name in [*names, *dataset.archive_texts] if (m := re.match(r"(\d+)_", name))
    ]
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return f"{max(numbers, default=-1) + 1:03d}_{digest}.txt", False


def draft_article(
    text: str, dataset: Dataset, *, source_id: str | None = None, region_id: str | None = None
) -> Draft:
    """A complete proposed curation of ``text`` against ``dataset``, every field with why."""
    regions, hits = _regions_of(text, dataset)
    title = _guess_title(_head_lines(text))
    main, why_main = _main_region(text, hits, regions, region_id, title)
    source, source_why = _source_entry(text, dataset, main, regions, source_id, title)
    if main:
        source_why["region"] = f"main region: {why_main}"
    _guess_parents(regions, main)
    archive, archived = archive_name(text, dataset)
    source["archive"] = archive
    source_why["archive"] = "already archived" if archived else "next number and the text's hash"
    rows, new_indicators = _quantity_rows(text, dataset, regions, hits, main)
    row_frame = pd.DataFrame(rows, columns=ROW_COLUMNS)
    practices = pd.DataFrame(
        _practice_rows(text, regions, hits, main, dataset), columns=PRACTICE_COLUMNS
    )
    used = {main, *row_frame["region"].dropna(), *practices["region"].dropna()}
    return Draft(
        text=text,
        archive=archive,
        source=source,
        source_why=source_why,
        regions=pd.DataFrame(_needed_regions(regions, used), columns=REGION_COLUMNS),
        indicators=pd.DataFrame(list(new_indicators.values()), columns=INDICATOR_COLUMNS),
        rows=row_frame,
        practices=practices,
        derived=derived_that_apply(row_frame),
        archived=archived,
    )


def _guess_parents(regions: _Regions, main: str | None) -> None:
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


def _needed_regions(regions: _Regions, used: set[str | None]) -> list[dict[str, object]]:
    """The new regions the draft uses, with their new parents, parents first."""
    needed: list[str] = []
    for region in sorted(r for r in used if r):
        for item in [*reversed(regions.ancestors(region)), region]:
            if item in regions.new and item not in needed:
                needed.append(item)
    return sorted((regions.new[r] for r in needed), key=lambda e: LEVEL_RANK[Level(e["level"])])


# Fields a missing value of which only the curator can give: the check reports them as
# missing_field, and ``metrics draft`` says who must settle them.
CURATOR_FIELDS = frozenset(
    {"date", "name_en", "summary_zh", "summary_en", "family", "title", "region"}
)


def settle_list(draft: Draft) -> list[Settle]:
    """What the check cannot ask for but only the curator can decide (blocking), and
    what the curator should look at although the draft passes (to review)."""
    settle = []
    if draft.source.get("title_supplied"):
        message = "the article prints no title: this one is supplied"
        hint = "check it; citations show it in square brackets"
        settle.append(Settle("source_title", "sources", draft.source_id, message, hint))
    for region in draft.regions.itertuples(index=False):
        if not isinstance(region.parent, str) and region.level != Level.province.value:
            message = f"the text does not say which region '{region.name_zh}' is in"
            hint = "give its parent's id, adding the parent if it is new"
            settle.append(Settle("new_region_parent", "regions", region.id, message, hint))
        message = f"new region '{region.name_zh}': check its id, parent and English name"
        hint = f"'{region.name_en}' is read from the pinyin; regions keep their official names"
        settle.append(Settle("new_region_name", "regions", region.id, message, hint))
    for measure in draft.derived[draft.derived["applies"].astype(bool)].itertuples(index=False):
        message = f"'{measure.name_en}' will be computed from rows {measure.rows}"
        hint = (
            "if those numbers are about different things, "
            f"add no_derived: [{measure.measure_id}] to the source"
        )
        settle.append(Settle("derived_applies", "sources", draft.source_id, message, hint))
    return settle
