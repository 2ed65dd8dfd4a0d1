"""What the workbench (Curate an article) shows: a new article read from a paste or an
upload, its draft (``metrics.tools.draft``) as tables a curator edits row by row, and
the draft checked against the current data after every edit.

The page keeps no state of its own: the draft is made once per article and data
(``dashboard.cache.draft``), and each rerun applies the curator's edits, which
Streamlit keeps in the editors' session state, to that draft (``edited_draft``). The
draft is then written and checked in memory (``check``); nothing here writes a file.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.model.dataset import Dataset
from metrics.model.schema import is_id
from metrics.model.tables import LIST_SEPARATOR
from metrics.model.vocab import UNITS, Family, Level, Qualifier, Theme
from metrics.tools.draft.derived import derived_that_apply
from metrics.tools.draft.proposal import ACCEPT, DROP, SET_ASIDE, Draft
from metrics.tools.draft.reading import Article, decode_upload
from metrics.tools.draft_yaml import DraftCheck, RenderedDraft, check_draft, draft_zip, render_draft
from present.i18n import (
    Lang,
    column_title,
    family_name,
    lang_column,
    level_name,
    list_separator,
    qualifier_name,
    text,
    theme_name,
)
from present.quantities import unit_label
from present.rows import indicator_names, region_names
from present.safetext import escape_markdown, escape_markdown_block

# --- the setting ------------------------------------------------------------------

# ``METRICS_WORKBENCH=off`` (or 0, false, no) switches the page off.
WORKBENCH_ENV = "METRICS_WORKBENCH"
_OFF = frozenset({"off", "0", "false", "no", "disabled"})


def workbench_enabled(setting: str | None) -> bool:
    """Whether the workbench is offered, given the value of ``METRICS_WORKBENCH``."""
    return (setting or "").strip().lower() not in _OFF


# --- the article --------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why the input is no article: a text key and its values (already markdown-safe)."""

    key: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Given:
    """An article to draft, and the curator's hints."""

    text: str
    encoding: str
    source_id: str | None
    region_id: str | None
    file_name: str | None

    @property
    def key(self) -> str:
        """Names this input: editors of another article or other hints start afresh."""
        parts = (self.text, self.source_id or "", self.region_id or "")
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:12]


def read_input(
    pasted: str | None,
    file_name: str | None,
    raw: bytes | None,
    source_id: str | None,
    region_id: str | None,
    submitted: bool,
) -> Given | Refusal | None:
    """The article to draft: the uploaded file if there is one, else the pasted text;
    why it cannot be read; or None while nothing was given (and nothing submitted).

    A file must be a ``.txt`` file in UTF-8, GBK or GB18030 of at most 1 MB; a paste
    is read as its UTF-8 bytes, so the same limits hold."""
    source_id = (source_id or "").strip() or None
    if source_id is not None and not is_id(source_id):
        return Refusal("curate.refused.source_id", {"value": escape_markdown(source_id)})
    if raw is None and not pasted and not submitted:
        return None
    if raw is not None:
        name = file_name or ""
        if not name.lower().endswith(".txt"):
            return Refusal("curate.refused.not_txt", {"name": escape_markdown(name)})
    else:
        raw = (pasted or "").encode("utf-8")
    read = decode_upload(raw)
    if not isinstance(read, Article):
        return Refusal(f"curate.refused.{read.code}", read.params)
    return Given(read.text, read.encoding, source_id, region_id or None, file_name)


# --- the editors ----------------------------------------------------------------------


@dataclass(frozen=True)
class Keys:
    """Session-state keys of one article's editors and checkboxes."""

    rows: str
    practices: str
    regions: str
    indicators: str
    derived: str  # prefix; one checkbox per derived measure

    @classmethod
    def of(cls, given: Given, dataset: Dataset) -> Keys:
        """Keys for this article and data: a new article, other hints or changed data
        start with the draft as proposed (a row number may mean another row then)."""
        digest = hashlib.sha256(f"{given.key}|{dataset.key}".encode()).hexdigest()[:12]
        return cls(
            rows=f"curate-rows-{digest}",
            practices=f"curate-practices-{digest}",
            regions=f"curate-regions-{digest}",
            indicators=f"curate-indicators-{digest}",
            derived=f"curate-derived-{digest}-",
        )


@dataclass(frozen=True)
class Column:
    """One column of an editor: how it is shown and whether it may be changed."""

    name: str
    label: str
    kind: str = "text"  # text, number, select, multiselect
    options: tuple[str, ...] = ()
    labels: Mapping[str, str] = field(default_factory=dict)  # option -> what is shown
    editable: bool = False
    width: str | None = None
    pinned: bool = False

    def shown(self, option: str) -> str:
        return self.labels.get(option, option)


PROBLEMS = "problems"

# What a curator may change in each table of the draft; the rest is shown read-only.
ROW_EDITABLE = (
    "action", "reason", "region", "indicator", "value", "unit", "qualifier", "period",
    "period_note", "quote",
)  # fmt: skip
PRACTICE_EDITABLE = ("action", "name_zh", "name_en", "summary_zh", "summary_en", "themes", "quote")
REGION_EDITABLE = ("name_zh", "name_en", "level", "parent")
INDICATOR_EDITABLE = ("name_zh", "name_en", "unit", "family")

_ROW_ORDER = (
    "n", "mention", "action", PROBLEMS, "region", "indicator", "value", "unit", "qualifier",
    "period", "period_note", "quote", "reason", "why_region", "why_indicator", "line",
)  # fmt: skip
_PRACTICE_ORDER = (
    "action", PROBLEMS, "name_zh", "name_en", "summary_zh", "summary_en", "themes", "quote",
    "region", "id", "why",
)  # fmt: skip
_REGION_ORDER = ("id", PROBLEMS, "name_zh", "name_en", "level", "parent", "why")
_INDICATOR_ORDER = ("id", PROBLEMS, "name_zh", "name_en", "unit", "family", "why")

_COLUMN_KEYS = {
    "n": "curate.col.n",
    "action": "curate.col.action",
    PROBLEMS: "curate.col.problems",
    "why_region": "curate.col.why_region",
    "why_indicator": "curate.col.why_indicator",
    "why": "curate.col.why",
    "period_note": "curate.col.period_note",
    "name_zh": "curate.col.name_zh",
    "name_en": "curate.col.name_en",
    "summary_zh": "curate.col.summary_zh",
    "summary_en": "curate.col.summary_en",
    "id": "curate.col.id",
    "parent": "curate.col.parent",
    "field": "curate.col.field",
    "content": "curate.col.content",
}


def label(column: str, lang: Lang) -> str:
    """A column's title on this page."""
    key = _COLUMN_KEYS.get(column)
    return text(key, lang) if key else column_title(column, lang)


def _action_labels(lang: Lang) -> dict[str, str]:
    return {action: text(f"curate.action.{action}", lang) for action in (ACCEPT, SET_ASIDE, DROP)}


def _named(ids: Sequence[str], names: Mapping[str, str]) -> dict[str, str]:
    """id -> ``name · id``, the id beside the name so that two like names differ."""
    return {i: f"{names[i]} · {i}" if names.get(i) else i for i in ids}


def _new_names(frame: pd.DataFrame, lang: Lang) -> dict[str, str]:
    return {
        str(entry["id"]): text("curate.new_name", lang, name=entry["name_zh"])
        for entry in frame.to_dict("records")
    }


def _region_choices(draft: Draft, dataset: Dataset, lang: Lang) -> dict[str, str]:
    known = region_names(dataset, lang)
    new = _new_names(draft.regions, lang)
    return _named([*new, *known], {**known, **new})


def _indicator_choices(draft: Draft, dataset: Dataset, lang: Lang) -> dict[str, str]:
    known = indicator_names(dataset, lang)
    new = _new_names(draft.indicators, lang)
    return _named([*new, *known], {**known, **new})


def _select(
    name: str,
    lang: Lang,
    labels: Mapping[str, str],
    editable: bool = True,
    width: str | None = None,
) -> Column:
    return Column(name, label(name, lang), "select", tuple(labels), labels, editable, width)


def _columns(
    order: Sequence[str], editable: Sequence[str], special: Mapping[str, Column], lang: Lang
) -> list[Column]:
    columns = []
    for name in order:
        if name in special:
            columns.append(special[name])
        else:
            columns.append(Column(name, label(name, lang), editable=name in editable))
    return columns


def _unit_labels(lang: Lang) -> dict[str, str]:
    return {unit: f"{unit_label(unit, lang)} · {unit}" for unit in UNITS}


def row_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The observation editor's columns: action, region, indicator, unit and qualifier
    chosen from lists; the reasons for each proposal read-only."""
    special = {
        "n": Column("n", label("n", lang), "number", width="small", pinned=True),
        "mention": Column("mention", label("mention", lang), pinned=True),
        "action": _select("action", lang, _action_labels(lang)),
        # Wide enough for a name and its id: 新街镇 · xinjie.
        "region": _select("region", lang, _region_choices(draft, dataset, lang), width="medium"),
        "indicator": _select(
            "indicator", lang, _indicator_choices(draft, dataset, lang), width="medium"
        ),
        "value": Column("value", label("value", lang), "number", editable=True),
        "unit": _select("unit", lang, _unit_labels(lang)),
        "qualifier": _select(
            "qualifier", lang, {q.value: qualifier_name(q, lang) for q in Qualifier}
        ),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
        "quote": Column("quote", label("quote", lang), editable=True, width="medium"),
        "line": Column("line", label("line", lang), "number", width="small"),
    }
    return _columns(_ROW_ORDER, ROW_EDITABLE, special, lang)


def practice_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The practice editor's columns: accepted or dropped, names, summaries, themes."""
    actions = {a: t for a, t in _action_labels(lang).items() if a != SET_ASIDE}
    themes = {theme.value: theme_name(theme, lang) for theme in Theme}
    special = {
        "action": _select("action", lang, actions),
        "themes": Column(
            "themes", label("themes", lang), "multiselect", tuple(themes), themes, True
        ),
        "region": _select("region", lang, _region_choices(draft, dataset, lang), editable=False),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
    }
    return _columns(_PRACTICE_ORDER, PRACTICE_EDITABLE, special, lang)


def region_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The new regions' editor: names, level and parent (known or new)."""
    levels = {level.value: level_name(level, lang) for level in Level}
    special = {
        "level": _select("level", lang, levels),
        "parent": _select("parent", lang, _region_choices(draft, dataset, lang)),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
    }
    return _columns(_REGION_ORDER, REGION_EDITABLE, special, lang)


def indicator_columns(draft: Draft, dataset: Dataset, lang: Lang) -> list[Column]:
    """The new indicators' editor: name, unit and family."""
    families = {family.value: family_name(family, lang) for family in Family}
    special = {
        "unit": _select("unit", lang, _unit_labels(lang)),
        "family": _select("family", lang, families),
        PROBLEMS: Column(PROBLEMS, label(PROBLEMS, lang), width="medium"),
    }
    return _columns(_INDICATOR_ORDER, INDICATOR_EDITABLE, special, lang)


def titled(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """``frame`` with its columns titled in ``lang``, for a read-only table."""
    return frame.rename(columns={column: label(column, lang) for column in frame.columns})


# --- edits -------------------------------------------------------------------------------


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _themes_text(value: object) -> str | None:
    """The editor's list of themes as the draft writes them (``a; b``)."""
    if _missing(value):
        return None
    items = list(value) if isinstance(value, list | tuple) else str(value).split(LIST_SEPARATOR)
    return LIST_SEPARATOR.join(str(item) for item in items if str(item).strip()) or None


def _number(value: object) -> float:
    if _missing(value) or isinstance(value, bool):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _text_cell(value: object) -> str | None:
    if _missing(value):
        return None
    shown = str(value)
    return shown if shown.strip() else None


def apply_edits(
    frame: pd.DataFrame,
    state: Mapping[str, Any] | None,
    editable: Sequence[str],
    convert: Mapping[str, Callable[[object], object]] | None = None,
) -> pd.DataFrame:
    """``frame`` with the cells a curator changed in its editor.

    ``state`` is the editor's session state (``{"edited_rows": {position: {column:
    value}}}``); only ``editable`` columns of existing rows are taken, a cleared cell
    is missing, a number column keeps numbers. The frame given is not changed."""
    changes = (state or {}).get("edited_rows") or {}
    if not changes:
        return frame
    out = frame.copy()
    convert = convert or {}
    for position, row in changes.items():
        at = int(position)
        if not 0 <= at < len(out) or not isinstance(row, Mapping):
            continue
        for column, value in row.items():
            if column not in editable or column not in out.columns:
                continue
            if column in convert:
                cell = convert[column](value)
            elif pd.api.types.is_numeric_dtype(out[column]):
                cell = _number(value)
            else:
                cell = _text_cell(value)
            out.iat[at, out.columns.get_loc(column)] = cell
    return out


def _derived_key(measure: Mapping[str, Any]) -> str:
    return "-".join(str(measure.get(part) or "") for part in ("measure_id", "region", "period"))


def derived_of(rows: pd.DataFrame, state: Mapping[str, Any], prefix: str) -> pd.DataFrame:
    """The derived measures the accepted rows give, each with the checkbox's key
    (``key``) and whether it applies (ticked, which it is until the curator unticks it)."""
    derived = derived_that_apply(rows)
    keys = [prefix + _derived_key(measure) for measure in derived.to_dict("records")]
    applies = [bool(state.get(key, True)) for key in keys]
    return derived.assign(applies=applies, key=keys)


def region_labels(draft: Draft, dataset: Dataset, lang: Lang) -> dict[str, str]:
    """Region id -> name in ``lang``, the draft's new regions marked as new."""
    return {**region_names(dataset, lang), **_new_names(draft.regions, lang)}


def derived_label(measure: Mapping[str, Any], regions: Mapping[str, str], lang: Lang) -> str:
    """``项目平均投资（新街镇、2019）：由 #5, #4 计算`` as safe markdown."""
    region, period = measure["region"], measure["period"]
    parts = [regions.get(region, region) if not _missing(region) else None, period]
    where = list_separator(lang).join(str(part) for part in parts if not _missing(part))
    return escape_markdown(
        text(
            "curate.derived_item",
            lang,
            name=measure[lang_column("name", lang)],
            where=where or "-",
            rows=measure["rows"],
        )
    )


def edited_draft(draft: Draft, state: Mapping[str, Any], keys: Keys) -> Draft:
    """The draft with every edit the curator has made so far."""
    rows = apply_edits(draft.rows, state.get(keys.rows), ROW_EDITABLE)
    practices = apply_edits(
        draft.practices,
        state.get(keys.practices),
        PRACTICE_EDITABLE,
        {"themes": _themes_text},
    )
    regions = apply_edits(draft.regions, state.get(keys.regions), REGION_EDITABLE)
    indicators = apply_edits(draft.indicators, state.get(keys.indicators), INDICATOR_EDITABLE)
    derived = derived_of(rows, state, keys.derived)
    return replace(
        draft,
        rows=rows,
        practices=practices,
        regions=regions,
        indicators=indicators,
        derived=derived.drop(columns="key"),
    )


# --- the check --------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """The edited draft written out and checked together with the current data."""

    rendered: RenderedDraft
    result: DraftCheck
    # (table, key) -> messages about that entry
    by_entry: dict[tuple[str, str], list[str]]
    # Every problem as ``file:line: message (hint)``, then what to review.
    lines: list[str]

    @property
    def ok(self) -> bool:
        return self.result.ok

    @property
    def blocking(self) -> int:
        """How many problems stand between the draft and the data."""
        settle = sum(1 for _, item in self.result.settle if item.blocking)
        return len(self.result.in_draft) + len(self.result.elsewhere) + settle


def check(data_path: Path, draft: Draft) -> Checked:
    """``draft`` as its file, checked with the data at ``data_path`` (nothing written)."""
    rendered = render_draft(draft)
    result = check_draft(data_path, draft, rendered)
    lines = result.lines(draft.file_name, data_path.parent)
    return Checked(rendered, result, result.by_entry(rendered), lines)


def _messages(by_entry: Mapping[tuple[str, str], list[str]], *entries: tuple[str, str]) -> str:
    return " · ".join(message for entry in entries for message in by_entry.get(entry, []))


def row_editor(rows: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]) -> pd.DataFrame:
    """The proposed rows as the editor shows them, with the problems of each beside it.

    The problems column is always text (empty when none): the editor keeps its edits
    while only the values of its data change, not its columns' types."""
    problems = [
        _messages(by_entry, ("observations", str(n)), ("set_aside", str(n))) for n in rows["n"]
    ]
    frame = rows.assign(**{PROBLEMS: pd.Series(problems, index=rows.index, dtype=str)})
    return frame[[c for c in _ROW_ORDER if c in frame.columns]]


def _with_problems(
    frame: pd.DataFrame,
    table: str,
    by_entry: Mapping[tuple[str, str], list[str]],
    order: Sequence[str],
) -> pd.DataFrame:
    problems = [_messages(by_entry, (table, str(key))) for key in frame["id"]]
    out = frame.assign(**{PROBLEMS: pd.Series(problems, index=frame.index, dtype=str)})
    return out[[c for c in order if c in out.columns]]


def practice_editor(
    practices: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]
) -> pd.DataFrame:
    """The proposed practices as the editor shows them: themes as a list."""
    themes = [
        [t for t in (_themes_text(v) or "").split(LIST_SEPARATOR) if t] for v in practices["themes"]
    ]
    frame = practices.assign(themes=pd.Series(themes, index=practices.index, dtype=object))
    return _with_problems(frame, "practices", by_entry, _PRACTICE_ORDER)


def region_editor(
    regions: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]
) -> pd.DataFrame:
    """The proposed new regions, with their problems."""
    return _with_problems(regions, "regions", by_entry, _REGION_ORDER)


def indicator_editor(
    indicators: pd.DataFrame, by_entry: Mapping[tuple[str, str], list[str]]
) -> pd.DataFrame:
    """The proposed new indicators, with their problems."""
    return _with_problems(indicators, "indicators", by_entry, _INDICATOR_ORDER)


def source_table(draft: Draft) -> pd.DataFrame:
    """The proposed ``sources`` entry: each field with its value and why."""
    records = []
    for name, value in draft.source.items():
        shown = LIST_SEPARATOR.join(map(str, value)) if isinstance(value, list) else str(value)
        records.append({"field": name, "content": shown, "why": draft.source_why.get(name, "")})
    return pd.DataFrame(records, columns=["field", "content", "why"], dtype=str)


def source_messages(draft: Draft, checked: Checked) -> list[str]:
    """What the check says about the ``sources`` entry, as safe markdown."""
    return [escape_markdown(m) for m in checked.by_entry.get(("sources", draft.source_id), [])]


# --- the article marked --------------------------------------------------------------

# Accepted numbers orange, as curated ones on the Sources page; set aside blue; dropped grey.
MARK_COLOURS = {ACCEPT: "orange", SET_ASIDE: "blue", DROP: "gray"}


def marked_article(text_: str, rows: pd.DataFrame) -> str:
    """The article as safe markdown: every quantity highlighted in its action's colour
    and followed by its row number, the rest exactly as written."""
    pieces, cursor = [], 0
    ordered = rows.sort_values("start", kind="stable")
    for n, start, end, action in zip(
        ordered["n"], ordered["start"], ordered["end"], ordered["action"], strict=True
    ):
        start, end = int(start), int(end)
        if start < cursor or end <= start or end > len(text_):
            continue  # overlapping or outside the text: nothing to mark
        colour = MARK_COLOURS.get(str(action), "gray")
        pieces.append(escape_markdown_block(text_[cursor:start]))
        mention = escape_markdown(text_[start:end])
        pieces.append(f":{colour}-background[**{mention}**]\u2009:{colour}[\\[{int(n)}\\]]")
        cursor = end
    pieces.append(escape_markdown_block(text_[cursor:]))
    return "".join(pieces)


def counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many rows are accepted, set aside and dropped."""
    found = rows["action"].value_counts()
    return {action: int(found.get(action, 0)) for action in (ACCEPT, SET_ASIDE, DROP)}


def zip_name(draft: Draft) -> str:
    """The download's file name: ``draft-<source-id>.zip``."""
    return f"draft-{draft.source_id}.zip"


def zip_bytes(draft: Draft, rendered: RenderedDraft) -> bytes:
    """The draft file and the archived text, laid out as in ``data/``."""
    return draft_zip(draft, rendered)
