"""One row per quantity the extractor finds: its region, indicator and period, accepted
as an observation or set aside with the reason why."""

from __future__ import annotations

import re

from metrics.model.archive import compact
from metrics.model.dataset import Dataset
from metrics.model.numbers import Kind
from metrics.tools.draft.indicators import (
    family_of,
    indicator_names,
    match_indicator,
    new_indicator_name,
)
from metrics.tools.draft.proposal import ACCEPT, SET_ASIDE, Deadline
from metrics.tools.draft.reading import MARKS, FreeIds, Sentences, pinyin_id
from metrics.tools.draft.regions import RegionHit, Regions, SentenceRegions
from metrics.tools.extract import Found, iter_found

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*期)")
_PERIOD_NOTES = ("去年以来", "今年以来", "累计", "全年")
_READING_LIST = re.compile(
    r"^\s*(?:推荐阅读|相关阅读|相关新闻|相关推荐|热门推荐|猜你喜欢|延伸阅读)\s*$"
)
_CHINESE_NUMERAL = re.compile(r"^[近约逾]?(?:超过)?[零〇一二两三四五六七八九十]")


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
    """The year a sentence names, and its period note (累计, 全年, ...)."""
    year = _YEAR.search(sentence)
    note = next((word for word in _PERIOD_NOTES if word in sentence), None)
    return (year[1] if year else None), note


def _line_offsets(text: str) -> list[int]:
    """The offset in the text where each line starts (and one past the last)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


class _NewIndicators:
    """The new indicators a draft proposes, one per name and unit, each with a free id."""

    def __init__(self, known_ids: set[str]) -> None:
        self.entries: dict[str, dict[str, object]] = {}
        self._by_name: dict[tuple[str, str | None], str] = {}
        self._ids = FreeIds(known_ids, lambda n: f"_{n}")

    def id_for(self, name: str, unit: str | None) -> str:
        """The id of the new indicator of this name and unit, proposed on first use."""
        if (name, unit) not in self._by_name:
            indicator = self._ids.claim(f"new_{pinyin_id(name)[:30]}")
            family = family_of(name)
            self.entries[indicator] = {
                "id": indicator,
                "name_zh": name,
                "name_en": None,
                "unit": unit,
                "family": family,
                "why": "new: name from the words before the number"
                + ("; family from its words" if family else "; family: none of the keywords"),
            }
            self._by_name[(name, unit)] = indicator
        return self._by_name[(name, unit)]


def quantity_rows(
    text: str,
    dataset: Dataset,
    regions: Regions,
    hits: list[RegionHit],
    main: str | None,
    deadline: Deadline,
) -> tuple[list[dict[str, object]], dict[str, dict[str, object]]]:
    """A row (``ROW_COLUMNS``) for each quantity of the text, and the new indicators
    they need, by id."""
    names = indicator_names(dataset.indicators)
    offsets = _line_offsets(text)
    lines = text.splitlines()
    reading = next((i + 1 for i, line in enumerate(lines) if _READING_LIST.match(line)), None)
    rows: list[dict[str, object]] = []
    new_indicators = _NewIndicators(set(dataset.indicators["indicator_id"]))
    sentences, sentence_regions = Sentences(text), SentenceRegions(hits, main, regions)
    # A sentence's year and period note, read once however many numbers it holds.
    periods: dict[tuple[int, int], tuple[str | None, str | None]] = {}
    for number, found in enumerate(iter_found(text, {Kind.quantity}), start=1):
        deadline.check()
        mention = found.mention
        offset = offsets[found.line - 1]
        start, end = offset + mention.start, offset + mention.end
        low, high = sentences.span(start, end)
        clause = MARKS.sub("", found.fragment).replace(compact(mention.text), "#")
        counted = text[end : end + 4]
        region, why_region = sentence_regions.of(low, high)
        reason = _set_aside_reason(text, found, offset, reading)
        indicator, why_indicator = (
            (None, "") if reason else match_indicator(found, clause, counted, names)
        )
        if indicator is None and reason is None:
            name = new_indicator_name(found.fragment, mention)
            indicator = new_indicators.id_for(name, mention.unit)
        if (low, high) not in periods:
            periods[(low, high)] = _period_of(text[low:high])
        period, period_note = periods[(low, high)]
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
    return rows, new_indicators.entries
