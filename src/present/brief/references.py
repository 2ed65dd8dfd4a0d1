"""The reference list of a brief: sources numbered as first cited, with their quotes."""

from __future__ import annotations

from dataclasses import dataclass, field

from metrics.model.dataset import Dataset
from metrics.tools.cite import gbt7714
from present.brief.model import Reference
from present.i18n import Lang, text

# Quotes listed under one reference; the rest are counted.
QUOTES_SHOWN = 30


@dataclass
class References:
    """Numbers the sources in the order the brief first cites them, and keeps the
    quotes it took from each."""

    dataset: Dataset
    numbers: dict[str, int] = field(default_factory=dict)
    quotes: dict[str, list[str]] = field(default_factory=dict)

    def cite(self, source_id: str, quote: object = None) -> int:
        """The reference number of ``source_id``, noting ``quote`` under it."""
        number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
        kept = self.quotes.setdefault(source_id, [])
        if isinstance(quote, str) and quote and quote not in kept:
            kept.append(quote)
        return number

    def entries(self, lang: Lang) -> tuple[Reference, ...]:
        """The reference list, in citation order, with at most ``QUOTES_SHOWN`` quotes each."""
        sources = self.dataset.sources.set_index("source_id")
        entries = []
        for source_id, number in self.numbers.items():
            record = {**sources.loc[source_id].to_dict(), "source_id": source_id}
            quotes = self.quotes[source_id]
            more = len(quotes) - QUOTES_SHOWN
            entries.append(
                Reference(
                    number,
                    source_id,
                    gbt7714(record),
                    tuple(quotes[:QUOTES_SHOWN]),
                    text("brief.quotes_more", lang, count=more) if more > 0 else "",
                )
            )
        return tuple(entries)

    def latest_date(self) -> str:
        """The newest date among the cited sources (ISO partial dates sort as text)."""
        dates = self.dataset.sources.set_index("source_id")["date"]
        cited = [str(dates[s]) for s in self.numbers if isinstance(dates.get(s), str)]
        return max(cited, default="")
