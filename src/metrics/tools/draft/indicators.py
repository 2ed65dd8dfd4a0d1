"""The indicator of each quantity: a known one whose name or alias the clause says, else
a new one named from the words before the number, with a family guessed from them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from metrics.model.numbers import Mention
from metrics.model.tables import LIST_SEPARATOR
from metrics.model.vocab import Family
from metrics.tools.draft.reading import LEADING_WORDS, MARKS
from metrics.tools.extract import Found

# A quantity must match an indicator's name or alias at least this well (the share of
# the name's character pairs found in the clause) to be proposed under it.
MATCH_THRESHOLD = 0.5
# Units too common to pick an indicator by the unit alone.
_GENERIC_UNITS = frozenset({"item", "person", "household", "yuan", "percent", "session"})

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


def _pairs(text: str) -> set[str]:
    """The text's pairs of neighbouring characters."""
    return {text[i : i + 2] for i in range(len(text) - 1)}


@dataclass(frozen=True)
class _IndicatorName:
    """One name or alias of an indicator, as matched against a clause."""

    indicator: str
    name: str
    kind: str  # "name" or "alias"
    pairs: frozenset[str]


def indicator_names(indicators: pd.DataFrame) -> dict[str, list[_IndicatorName]]:
    """unit -> every name and alias of the indicators counted in it."""
    names: dict[str, list[_IndicatorName]] = {}
    aliases = indicators["aliases_zh"] if "aliases_zh" in indicators else [None] * len(indicators)
    for row, alias_text in zip(indicators.itertuples(index=False), aliases, strict=True):
        words = [(row.name_zh, "name")]
        if isinstance(alias_text, str) and alias_text:
            words += [(alias, "alias") for alias in alias_text.split(LIST_SEPARATOR)]
        if row.name_zh.endswith("数") and len(MARKS.sub("", row.name_zh)) > 1:
            # 网格数, 村数: "the number of" grid cells, villages; the thing counted.
            words.append((MARKS.sub("", row.name_zh)[:-1], "name"))
        for word, kind in words:
            clean = MARKS.sub("", word)
            if clean:
                names.setdefault(row.unit, []).append(
                    _IndicatorName(row.indicator_id, clean, kind, frozenset(_pairs(clean)))
                )
    return names


def _score(
    name: _IndicatorName, clause: str, clause_pairs: set[str], counted: str
) -> tuple[float, int]:
    """How well a clause says the name: the share of the name it holds (1 when whole,
    else the share of its character pairs), and how many of its characters that is,
    two more when the name ends right before the number (等制度5项: 制度).

    A one-character name (村) counts only as the thing counted right after the number
    (9个村)."""
    if len(name.name) == 1:
        return (1.0, 1) if counted.startswith(name.name) else (0.0, 0)
    if name.name in clause:
        adjacent = 2 if clause.split("#", 1)[0].endswith(name.name[-2:]) else 0
        return 1.0, len(name.name) + adjacent
    shared = name.pairs & clause_pairs
    share = len(shared) / len(name.pairs)
    if share < MATCH_THRESHOLD:  # not a candidate: how much it covers does not matter
        return share, 0
    adjacent = 2 if clause.split("#", 1)[0].endswith(name.name[-2:]) else 0
    covered = {
        i + k for i in range(len(name.name) - 1) if name.name[i : i + 2] in shared for k in (0, 1)
    }
    return share, len(covered) + adjacent


def match_indicator(
    found: Found, clause: str, counted: str, names: dict[str, list[_IndicatorName]]
) -> tuple[str | None, str]:
    """The best-matching known indicator for a quantity, and why; None when none fits."""
    unit = found.mention.unit
    candidates = names.get(unit, []) if unit else [n for ns in names.values() for n in ns]
    clause_pairs = _pairs(clause)
    scored = [(*_score(n, clause, clause_pairs, counted), n) for n in candidates]
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


def new_indicator_name(clause: str, mention: Mention) -> str:
    """A name for a new indicator: the words before the number, else after it."""
    before, _, after = clause.partition(mention.text)
    while (shorter := LEADING_WORDS.sub("", _LEADING_VERBS.sub("", before))) != before:
        before = shorter
    words = MARKS.sub("", before)[-16:] or MARKS.sub("", after)[:8]
    return words or mention.text


def family_of(name: str) -> str | None:
    """A new indicator's family from the first keyword its name holds, else None."""
    for keyword, family in _FAMILY_KEYWORDS:
        if keyword in name and family in Family.__members__:
            return family
    return None
