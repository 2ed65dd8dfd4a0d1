"""A draft of a real article scored against a curator's answer key, field by field.

An answer key (``NN.yaml`` beside the article ``NN.txt``) holds the article's ``url``,
``province``, ``main_region`` (``name``, ``level``, ``parents``), the ``numbers`` a
curator took from it (``value``, ``qualifier``, ``unit``, ``region``: an official
Chinese name, ``indicator``: an id of the data or ``"new: <Chinese name>"``, ``quote``)
and what was ``not_curated`` (``value``, ``reason``).

Pairing a key number with a drafted row (``pair``): the key's quote is found in the
article (every place it stands, white space ignored, as the check finds quotes; the
nearest passage when it is not there verbatim), and so is the row's quote (the clause
around its mention). A row is a candidate for a key number when the two quotes overlap
in the article and the values agree. The units are compared but do not decide the pair:
a number the draft read with the wrong unit is then one wrong value, not a miss plus a
false proposal. Candidates are taken best first, each key number and each row at most
once: the row's number inside the key's quote before one that only overlaps it, then the
same unit, an accepted row before one set aside, the nearer place; among equals the
key's order and the article's order, so that two key numbers with the same quote and
value take its numbers in turn.

What is scored (``score``) is over the key's numbers, each paired with an *accepted*
row (a number the draft set aside is not proposed):

- value: the value, its unit and its qualifier agree;
- quote: the drafted quote holds the key's number as written (the quantity of the
  key's quote with the key's value, white space ignored);
- region: the Chinese name of the drafted region (a region of the data, or one the
  draft proposes) is the key's region;
- indicator: the id of the data the key names, or, for ``new: ...``, any indicator that
  is not in the data;
- all: value, qualifier, region and indicator at once;

and over the draft: false proposals (accepted rows paired with no key number; those
whose number the key lists as not curated are counted apart) and invented regions
(regions the draft proposes to add whose names are neither the key's main region, nor
its parents, nor a region of its numbers).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from metrics.model.archive import ArchivedText, Span, compact
from metrics.model.numbers import find_mentions
from metrics.tools.draft import ACCEPT, Draft

NEW = "new:"


@dataclass(frozen=True)
class KeyNumber:
    """One number of the answer key."""

    value: float
    qualifier: str
    unit: str | None
    region: str
    indicator: str  # an id of the data, or "new: <Chinese name>"
    quote: str

    @property
    def is_new(self) -> bool:
        """Whether the key wants a new indicator for it."""
        return self.indicator.startswith(NEW)


@dataclass(frozen=True)
class Key:
    """The answer key of one article."""

    name: str  # NN
    url: str
    province: str
    level: str  # of the main region
    real_places: frozenset[str]  # main region, its parents, the numbers' regions
    numbers: tuple[KeyNumber, ...]
    not_curated: tuple[str, ...]  # the numbers as written, notes in brackets cut


# A curator's note after a not-curated number: "8个站点 (first)".
_NOTE = re.compile(r"\s+\([^)]*\)\s*$")


def read_key(path: Path) -> Key:
    """The answer key in ``path`` (``NN.yaml``)."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    main = content["main_region"]
    numbers = tuple(
        KeyNumber(
            value=float(n["value"]),
            qualifier=str(n["qualifier"]),
            unit=n.get("unit"),
            region=str(n["region"]).strip(),
            indicator=" ".join(str(n["indicator"]).split()),
            quote=str(n["quote"]),
        )
        for n in content.get("numbers") or []
    )
    places = {str(main["name"]), *map(str, main.get("parents") or []), *(n.region for n in numbers)}
    return Key(
        name=path.stem,
        url=str(content.get("url", "")),
        province=str(content.get("province", "")),
        level=str(main.get("level", "")),
        real_places=frozenset(p.strip() for p in places),
        numbers=numbers,
        not_curated=tuple(
            _NOTE.sub("", str(item["value"] if isinstance(item, dict) else item))
            for item in content.get("not_curated") or []
        ),
    )


# --- pairing ---------------------------------------------------------------------


def key_places(article: ArchivedText, quote: str) -> tuple[list[list[Span]], bool]:
    """Every place the key's quote stands in the article, and whether it stands there
    verbatim (else the nearest passage, or nowhere)."""
    places = article.occurrences(quote) or article.occurrences(quote, True)
    if places:
        return places, True
    nearest = article.nearest(quote)
    return ([nearest.spans] if nearest else []), False


def row_span(text: str, start: int, end: int, quote: str) -> Span:
    """Where a drafted row's quote stands: the place of ``quote`` that holds the row's
    mention at ``[start, end)`` (the mention alone if the quote is not found there)."""
    at = text.find(quote, max(0, end - len(quote)))
    while 0 <= at <= start:
        if at + len(quote) >= end:
            return at, at + len(quote)
        at = text.find(quote, at + 1)
    return start, end


def _overlaps(span: Span, spans: list[Span]) -> bool:
    return any(span[0] < high and low < span[1] for low, high in spans)


def _inside(span: Span, spans: list[Span]) -> bool:
    return any(low <= span[0] and span[1] <= high for low, high in spans)


def _unit(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _rank(number: KeyNumber, row: pd.Series, places: list[list[Span]], text: str) -> tuple | None:
    """How well ``row`` fits ``number`` (larger is better), or None if it cannot."""
    if not math.isclose(float(row["value"]), number.value, rel_tol=1e-9):
        return None
    mention = (int(row["start"]), int(row["end"]))
    quoted = row_span(text, *mention, str(row["quote"]))
    fitting = [spans for spans in places if _overlaps(quoted, spans)]
    if not fitting:
        return None
    inside = any(_inside(mention, spans) for spans in fitting)
    distance = min(abs(spans[0][0] - mention[0]) for spans in fitting)
    return (inside, _unit(row["unit"]) == number.unit, row["action"] == ACCEPT, -distance)


def pair(numbers: tuple[KeyNumber, ...], rows: pd.DataFrame, text: str) -> dict[int, int]:
    """Key number (index) -> drafted row (position in ``rows``), each used at most once;
    see the module's docstring for the order in which candidates are taken."""
    article = ArchivedText(text)
    candidates = []
    for k, number in enumerate(numbers):
        places, _ = key_places(article, number.quote)
        for r, (_, row) in enumerate(rows.iterrows()):
            rank = _rank(number, row, places, text)
            if rank is not None:
                candidates.append((rank, k, r))
    candidates.sort(key=lambda c: (tuple(-x for x in c[0]), c[1], c[2]))
    pairs: dict[int, int] = {}
    for _, k, r in candidates:
        if k not in pairs and r not in pairs.values():
            pairs[k] = r
    return pairs


# --- scores ----------------------------------------------------------------------


@dataclass
class Score:
    """The counts of one article (or of all: ``add``)."""

    numbers: int = 0  # in the key
    drafted: int = 0  # accepted rows of the draft
    proposed: int = 0  # key numbers paired with an accepted row
    set_aside: int = 0  # key numbers paired with a row the draft set aside
    value: int = 0
    quote: int = 0
    region: int = 0
    existing: int = 0  # key numbers with an indicator of the data
    existing_right: int = 0
    new: int = 0  # key numbers wanting a new indicator
    new_right: int = 0
    all: int = 0
    false: int = 0  # accepted rows paired with no key number
    false_not_curated: int = 0  # ... whose number the key lists as not curated
    invented: list[str] = field(default_factory=list)  # names of regions
    # What was wrong, as (kind, text), the kind one of proposed, value, region, indicator;
    # names and values only, never a quote.
    misses: list[tuple[str, str]] = field(default_factory=list)
    not_verbatim: int = 0  # key quotes not found verbatim in the article

    @property
    def indicator(self) -> int:
        return self.existing_right + self.new_right

    def add(self, other: Score) -> None:
        """Add ``other``'s counts and lists to these."""
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def _names(draft: Draft, region_names: dict[str, str]) -> dict[str, str]:
    """Region id -> Chinese name: the data's regions, then the draft's new ones."""
    return {**region_names, **dict(zip(draft.regions["id"], draft.regions["name_zh"], strict=True))}


def _number_texts(number: KeyNumber) -> list[str]:
    """The key's number as written: the quantities of its quote with its value."""
    return [
        compact(m.text)
        for m in find_mentions(number.quote)
        if math.isclose(float(m.value), number.value, rel_tol=1e-9)
    ]


def score(key: Key, draft: Draft, region_names: dict[str, str], indicator_ids: set[str]) -> Score:
    """The counts of ``draft`` against ``key``; ``region_names`` maps the data's region
    ids to their Chinese names, ``indicator_ids`` are the data's indicators."""
    rows = draft.rows.reset_index(drop=True)
    names = _names(draft, region_names)
    pairs = pair(key.numbers, rows, draft.text)
    article = ArchivedText(draft.text)
    result = Score(numbers=len(key.numbers), drafted=int((rows["action"] == ACCEPT).sum()))
    for k, number in enumerate(key.numbers):
        places, verbatim = key_places(article, number.quote)
        result.not_verbatim += not verbatim
        result.existing += not number.is_new
        result.new += number.is_new
        row = rows.iloc[pairs[k]] if k in pairs else None
        if row is not None and row["action"] == ACCEPT:
            result.proposed += 1
            _score_row(result, number, row, names, indicator_ids)
            continue
        result.set_aside += row is not None
        what = "set aside" if row is not None else _unproposed(rows, places)
        result.misses.append(("proposed", f"{_label(number)}: {what}"))
    _score_false(result, key, rows, set(pairs.values()))
    result.invented = [
        f"{name} ({level})"
        for name, level in zip(draft.regions["name_zh"], draft.regions["level"], strict=True)
        if str(name).strip() not in key.real_places
    ]
    return result


def _label(number: KeyNumber | pd.Series) -> str:
    """A number as the report shows it: value, unit, qualifier (no quote)."""
    unit = _unit(number["unit"] if isinstance(number, pd.Series) else number.unit)
    value = float(number["value"] if isinstance(number, pd.Series) else number.value)
    qualifier = number["qualifier"] if isinstance(number, pd.Series) else number.qualifier
    return f"{value:,.10g} {unit or '(no unit)'} {qualifier}"


def _unproposed(rows: pd.DataFrame, places: list[list[Span]]) -> str:
    """Why no row pairs with a key number: what the draft read inside its quote, if any."""
    read = [
        _label(row)
        for _, row in rows.iterrows()
        if any(_inside((int(row["start"]), int(row["end"])), spans) for spans in places)
    ]
    return f"not proposed (read there: {'; '.join(read)})" if read else "not proposed"


def _score_row(
    result: Score, number: KeyNumber, row: pd.Series, names: dict[str, str], ids: set[str]
) -> None:
    """Add the fields of one key number's accepted row to ``result``."""
    value = (
        math.isclose(float(row["value"]), number.value, rel_tol=1e-9)
        and _unit(row["unit"]) == number.unit
        and row["qualifier"] == number.qualifier
    )
    texts = _number_texts(number) or [compact(str(row["mention"]))]
    region = names.get(row["region"]) if isinstance(row["region"], str) else None
    drafted = row["indicator"] if isinstance(row["indicator"], str) else None
    if number.is_new:
        indicator = drafted is not None and drafted not in ids
    else:
        indicator = drafted == number.indicator
    result.value += value
    result.quote += any(t in compact(str(row["quote"])) for t in texts)
    result.region += region == number.region
    result.existing_right += indicator and not number.is_new
    result.new_right += indicator and number.is_new
    result.all += value and region == number.region and indicator
    label = _label(number)
    if not value:
        result.misses.append(("value", f"{label}: drafted {_label(row)}"))
    if region != number.region:
        result.misses.append(("region", f"{region or '(none)'} for {number.region}"))
    if not indicator:
        shown = drafted if drafted in ids or drafted is None else "a new indicator"
        result.misses.append(("indicator", f"{label}: {shown} for {number.indicator}"))


def not_curated_match(mention: str, not_curated: tuple[str, ...]) -> bool:
    """Whether a drafted mention is a number the key lists as not curated: it stands in
    one of them whole (no digit around it: 5个 is not in 15个)."""
    needle = re.escape(compact(mention))
    pattern = re.compile(rf"(?<![\d.]){needle}(?![\d.])")
    return bool(needle) and any(pattern.search(compact(text)) for text in not_curated)


def _score_false(result: Score, key: Key, rows: pd.DataFrame, paired: set[int]) -> None:
    """Count the accepted rows paired with no key number, and those the key set aside."""
    for r, (_, row) in enumerate(rows.iterrows()):
        if row["action"] != ACCEPT or r in paired:
            continue
        result.false += 1
        result.false_not_curated += not_curated_match(str(row["mention"]), key.not_curated)
