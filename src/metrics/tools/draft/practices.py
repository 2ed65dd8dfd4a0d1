"""Stubs for the practices an article names: a name in quotation marks ending like a
practice (工作法, 机制, ...), with its region, themes and quote."""

from __future__ import annotations

import re
from bisect import bisect_right

from metrics.model.dataset import Dataset
from metrics.model.tables import LIST_SEPARATOR
from metrics.model.vocab import Theme
from metrics.tools.draft.proposal import ACCEPT, Deadline
from metrics.tools.draft.reading import FreeIds, Sentences, pinyin_id
from metrics.tools.draft.regions import RegionHit, Regions, SentenceRegions
from metrics.tools.extract import LineClauses

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


class _Lines:
    """The text's lines, each cut into clauses once, however many practices it names."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0, *(match.end() for match in re.finditer("\n", text))]
        self._clauses: dict[int, LineClauses] = {}

    def clause_around(self, start: int, end: int) -> str:
        """The clause around ``text[start:end]``, within its line."""
        line = bisect_right(self._starts, start) - 1
        if line not in self._clauses:
            low = self._starts[line]
            high = self._starts[line + 1] - 1 if line + 1 < len(self._starts) else len(self._text)
            self._clauses[line] = LineClauses(self._text[low:high])
        low = self._starts[line]
        return self._clauses[line].around(start - low, end - low)


def practice_rows(
    text: str,
    regions: Regions,
    hits: list[RegionHit],
    main: str | None,
    dataset: Dataset,
    deadline: Deadline,
) -> list[dict[str, object]]:
    """A row (``PRACTICE_COLUMNS``) for each practice the text names, once each."""
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    ids = FreeIds(dataset.practices["practice_id"], lambda n: f"-{n}")
    sentences, sentence_regions = Sentences(text), SentenceRegions(hits, main, regions)
    lines = _Lines(text)
    for match in _PRACTICE.finditer(text):
        deadline.check()
        core, suffix = match[1], match[2] or ""
        if not suffix and not core.endswith(_PRACTICE_SUFFIX):
            continue
        name = f"“{core}”{suffix}"
        if name in seen:
            continue
        seen.add(name)
        region, _ = sentence_regions.of(*sentences.span(match.start(), match.end()))
        quote = lines.clause_around(match.start(), match.end())
        words = core + suffix
        themes = [t.value for keyword, t in _THEME_KEYWORDS if keyword in words][:2] or [
            Theme.organisation_building.value
        ]
        practice_id = ids.claim(f"{region or 'article'}-{pinyin_id(core)[:24]}")
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
