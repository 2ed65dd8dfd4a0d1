"""Checks across entries and files: ids, references, levels, units, archives, quotes.

They run on what each file contributed (``FilePart``): raw ids, references and quotes,
and the valid rows. A curator sees every problem in one run, located in the file and
line where it can be fixed; a repeated id names the file and line of the first one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from metrics.model.archive import (
    NEAREST_LONGEST,
    ArchivedText,
    ArchiveError,
    compact,
    decode_archive,
    resolve_archive,
)
from metrics.model.problems import Problem
from metrics.model.vocab import LEVEL_RANK
from metrics.pipeline.inputs import MISSING, NOT_REGULAR, OUTSIDE, DataFolder, InputFile, Refused

_KIND = {"regions": "region", "indicators": "indicator", "sources": "source"}


def _problem(code: str, file: str, line: object, **params: object) -> Problem:
    return Problem(code, None if pd.isna(line) else int(line), file, params)


def _repeats(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Rows whose key an earlier row had, each with ``first``: where that first row is."""
    repeated = frame.duplicated(key, keep="first")
    if not repeated.any():
        return frame.iloc[:0].assign(first=None)
    firsts = frame[~repeated].set_index(key)[["file", "line"]]
    later = frame[repeated]
    first = firsts.loc[pd.MultiIndex.from_frame(later[key]) if len(key) > 1 else later[key[0]]]
    where = [
        _first(file, first_file, first_line)
        for file, first_file, first_line in zip(
            later["file"], first["file"], first["line"], strict=True
        )
    ]
    return later.assign(first=where)


def _first(file: str, first_file: str, first_line: object) -> object:
    """Where the first of two equal ids is: its line, and its file if that differs."""
    line = None if pd.isna(first_line) else int(first_line)
    return line if first_file == file else f"{line} of {first_file}"


def check_unique_ids(keys: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each table's ids are unique across files; observations by what identifies them."""
    ids = _repeats(keys["ids"], ["table", "id"])
    mentions = _repeats(keys["set_aside_keys"], ["source", "mention"])
    observations = _repeats(keys["observation_keys"], ["observation_id"])
    return [
        *(
            _problem("duplicate_id", r.file, r.line, table=r.table, id=r.id, first=r.first)
            for r in ids.itertuples(index=False)
        ),
        *(
            _problem(
                "duplicate_id",
                r.file,
                r.line,
                table="set_aside",
                id=f"{r.source}/{r.mention}",
                first=r.first,
            )
            for r in mentions.itertuples(index=False)
        ),
        *(
            _problem(
                "duplicate_observation",
                r.file,
                r.line,
                region=r.region,
                indicator=r.indicator,
                source=r.source,
                first=r.first,
            )
            for r in observations.itertuples(index=False)
        ),
    ]


def check_references(keys: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every region, indicator and source an entry names is declared in some file.

    An id declared in an entry that has problems of its own still counts, so one
    mistake gives one message and not one more for every reference to it.
    """
    ids, references = keys["ids"], keys["references"]
    problems = []
    for target, kind in _KIND.items():
        named = references[references["target"] == target]
        known = ids.loc[ids["table"] == target, "id"]
        unknown = named[~named["name"].isin(known)]
        if unknown.empty:
            continue
        suggestions = _suggestions(unknown["name"], known)
        problems += [
            _problem(
                f"unknown_{kind}",
                row.file,
                row.line,
                got=row.name,
                suggestion=suggestions[row.name],
            )
            for row in unknown.itertuples(index=False)
        ]
    return problems


# Unknown ids given the nearest known ones, per table and check: beyond these, a hint
# without them (a whole table missing should not cost a comparison of every pair).
_SUGGESTED_IDS = 50


def did_you_mean(name: str, candidates: list[str]) -> str:
    """ "did you mean 'a' or 'b'? " (up to three of ``candidates`` close to ``name``), or ""."""
    close = difflib.get_close_matches(name, candidates, n=3)
    quoted = [f"'{match}'" for match in close]
    spelled = " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
    return f"did you mean {spelled}? " if close else ""


def _suggestions(unknown: pd.Series, known: pd.Series) -> dict[str, str]:
    """Unknown id -> ``did_you_mean`` its known ids, for the first ``_SUGGESTED_IDS``."""
    candidates = list(dict.fromkeys(known.tolist()))
    return {
        name: did_you_mean(name, candidates) if number < _SUGGESTED_IDS else ""
        for number, name in enumerate(dict.fromkeys(unknown.tolist()))
    }


def check_region_levels(keys: dict[str, pd.DataFrame]) -> list[Problem]:
    """A region's parent is of a higher level, so the hierarchy has no cycles."""
    levels = keys["levels"]
    rank = {level.value: r for level, r in LEVEL_RANK.items()}
    first = levels.drop_duplicates("region")
    levels = levels.assign(
        parent_level=levels["parent"].map(dict(zip(first["region"], first["level"], strict=True)))
    )
    wrong = levels["parent_level"].notna() & (
        levels["parent_level"].map(rank).fillna(-1) >= levels["level"].map(rank)
    )
    return [
        _problem(
            "parent_level",
            r.file,
            r.line,
            id=r.region,
            level=r.level,
            parent=r.parent,
            parent_level=r.parent_level,
        )
        for r in levels[wrong].itertuples(index=False)
    ]


def check_units(keys: dict[str, pd.DataFrame], indicators: pd.DataFrame) -> list[Problem]:
    """An observation's unit is its indicator's unit."""
    units = keys["units"]
    units = units.assign(
        expected=units["indicator"].map(
            dict(zip(indicators["indicator_id"], indicators["unit"], strict=True))
        )
    )
    wrong = units["expected"].notna() & (units["unit"] != units["expected"])
    return [
        _problem(
            "unit_mismatch", r.file, r.line, got=r.unit, indicator=r.indicator, expected=r.expected
        )
        for r in units[wrong].itertuples(index=False)
    ]


@dataclass(frozen=True)
class Archives:
    """The archived articles a check needs, each read and prepared once."""

    sources_dir: Path
    files: dict[str, InputFile]
    # The folder every archive must really lie in.
    data_folder: DataFolder

    def text(self, name: str) -> ArchivedText | ArchiveError:
        """The article archived under ``name``, or why it cannot be used."""
        if not _plain_file_name(name):  # a plain name cannot lead outside the folder
            try:
                resolve_archive(self.sources_dir, name)
            except ArchiveError as error:
                return error
        item = self.files.get(Path(name).as_posix())
        if item is None:
            return self._unlisted(name)
        if item.error is not None:
            return _refused(item.error, item.detail)
        return _decoded(item.digest, item.read() or b"")

    def _unlisted(self, name: str) -> ArchiveError:
        """Why a name that is no listed file cannot be used: nothing there, or a folder
        (or a link to one, or a file in a linked folder) that is never read."""
        try:
            self.data_folder.locate_path(self.sources_dir / name)
        except Refused as reason:
            return _refused(reason.error, reason.detail)
        return ArchiveError("archive_missing")  # a file that came after the listing


# Why a file is not read (``inputs``) -> the archive's problem code.
_REFUSED_CODES = {
    MISSING: "archive_missing",
    OUTSIDE: "archive_outside_data",
    NOT_REGULAR: "archive_not_regular",
}


def _refused(error: str, detail: str) -> ArchiveError:
    return ArchiveError(_REFUSED_CODES.get(error, "archive_unreadable"), detail)


def _plain_file_name(name: str) -> bool:
    return name not in ("", ".", "..") and not any(c in name for c in "/\\\0")


_PREPARED: dict[str, ArchivedText | ArchiveError] = {}


def _decoded(digest: str, raw: bytes) -> ArchivedText | ArchiveError:
    """Decode an archive once per content hash (its look-up streams are kept with it)."""
    # Read once, not checked then read: checks run at once and may forget an archive.
    prepared = _PREPARED.get(digest)
    if prepared is None:
        try:
            prepared = decode_archive(raw)
        except ArchiveError as error:
            prepared = error
        _PREPARED[digest] = prepared
    return prepared


def forget_prepared(digests: set[str]) -> None:
    """Drop the prepared archives of these content hashes (a draft's article, which
    is no part of the data: the next check that needs it prepares it again)."""
    for digest in digests:
        _PREPARED.pop(digest, None)


def source_texts(
    keys: dict[str, pd.DataFrame], archives: Archives
) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """Source id -> (archive name, archive hash); a problem for each unusable archive."""
    texts: dict[str, tuple[str, str]] = {}
    problems = []
    for row in keys["archives"].itertuples(index=False):
        result = archives.text(row.archive)
        if isinstance(result, ArchiveError):
            problems.append(
                _problem(result.code, row.file, row.line, got=row.archive, detail=result.detail)
            )
        elif isinstance(row.source, str):
            texts.setdefault(row.source, (row.archive, archives.files[row.archive].digest))
    return texts, problems


def check_in_articles(
    rows: pd.DataFrame,
    texts: dict[str, tuple[str, str]],
    archives: Archives,
    columns: tuple[str, ...],
    test,
) -> pd.DataFrame:
    """Each row's text looked up in its source's article, reusing earlier answers.

    ``test`` gets the article and the row's ``columns``. ``rows`` carries ``checked``
    (hash of the article a row was looked up in, or None) and ``found``; only rows whose
    article changed, or that are new, are looked up again.
    """
    current = rows["source"].map({source: digest for source, (_, digest) in texts.items()})
    stale = current.notna() & (rows["checked"] != current)
    if stale.any():
        found = rows["found"].copy()
        looked_up = rows.loc[stale, ["source", *columns]]
        for index, (source, *values) in zip(
            looked_up.index, looked_up.itertuples(index=False, name=None), strict=True
        ):
            found[index] = test(archives.text(texts[source][0]), *values)
        rows = rows.assign(found=found.astype(bool))
    return rows.assign(checked=current)


def quote_problems(
    quotes: pd.DataFrame, texts: dict[str, tuple[str, str]], archives: Archives
) -> list[Problem]:
    """A problem for each quote that its source's article does not contain, with the
    nearest passage of the article and how it differs; a quote found only by reading
    across the two columns of a page (and not marked so) is told as that."""
    missing = quotes[quotes["checked"].notna() & ~quotes["found"]]
    problems = []
    for row in missing.itertuples(index=False):
        name, digest = texts[row.source]
        article = archives.text(name)
        crossing = (
            article.line_across_columns(row.quote)
            if isinstance(article, ArchivedText) and not row.crosses
            else None
        )
        if crossing is not None:
            problems.append(
                _problem("quote_across_columns", row.file, row.line, archive=name, at=crossing)
            )
        else:
            nearest = _nearest_hint(archives, name, digest, row.quote)
            problems.append(
                _problem("quote_not_in_archive", row.file, row.line, archive=name, nearest=nearest)
            )
    return problems


_COPY_EXACTLY = "copy the words exactly from the article; white space may differ"
# (archive hash, quote) -> hint: a re-check does not search the same article again.
_NEAREST: dict[tuple[str, str], str] = {}
# A longer passage is shown around its first difference.
_PASSAGE_SHOWN = 60


def _nearest_hint(archives: Archives, name: str, digest: str, quote: str) -> str:
    """Where the article comes closest to a quote it does not contain, as a hint."""
    # Read once, not checked then read: checks run at once and may clear the memo.
    hint = _NEAREST.get((digest, quote))
    if hint is None:
        article = archives.text(name)
        nearest = article.nearest(quote) if isinstance(article, ArchivedText) else None
        if nearest is None and len(compact(quote)) > NEAREST_LONGEST:
            hint = (
                f"a quote of {len(compact(quote)):,} characters is too long to look for the "
                f"nearest passage (at most {NEAREST_LONGEST}); {_COPY_EXACTLY}"
            )
        elif nearest is None:
            hint = f"no passage of the article comes close; {_COPY_EXACTLY}"
        else:
            differences = "; ".join(nearest.differences)
            passage = _shown_passage(nearest.text, quote)
            hint = f"nearest passage (line {nearest.line}): {passage}; differs at: {differences}"
        if len(_NEAREST) > 10_000:  # a long-running dashboard keeps only recent ones
            _NEAREST.clear()
        _NEAREST[(digest, quote)] = hint
    return hint


def _shown_passage(passage: str, quote: str) -> str:
    """The passage, or a piece of it around where it first differs from the quote."""
    if len(passage) <= _PASSAGE_SHOWN:
        return passage
    pairs = zip(passage, quote, strict=False)
    first = next((i for i, (a, b) in enumerate(pairs) if a != b), 0)
    low = max(0, min(first - _PASSAGE_SHOWN // 2, len(passage) - _PASSAGE_SHOWN))
    high = low + _PASSAGE_SHOWN
    return f"{'…' * (low > 0)}{passage[low:high]}{'…' * (high < len(passage))}"


def set_aside_problems(set_aside: pd.DataFrame) -> list[Problem]:
    """A set-aside mention is a quantity the extractor finds in the source's article.

    This keeps the list honest: an entry that no longer matches anything (the text was
    mistyped, or the extractor learnt that it is a date) is reported, not kept silently.
    """
    unused = set_aside[set_aside["checked"].notna() & ~set_aside["found"]]
    return [
        _problem("set_aside_unused", row.file, row.line, mention=row.mention)
        for row in unused.itertuples(index=False)
    ]


def quote_found(article: ArchivedText, quote: str, crosses: bool) -> bool:
    """Whether a quote (stripped of white space when its file was read) is in the article,
    within one column of a two-column page unless it ``crosses`` them on purpose.

    The fast boolean path of the article's quote locator, on the same streams: every
    quote it finds is also located by the Sources page and ``metrics extract``.
    """
    return article.contains_compact(quote, across_columns=bool(crosses))


def mention_found(article: ArchivedText, mention: str) -> bool:
    """Whether a set-aside mention is one of the quantities found in the article."""
    return compact(mention) in article.quantities


def check_aliases(keys: dict[str, pd.DataFrame]) -> list[Problem]:
    """Each Chinese wording leads to one indicator: an alias is neither another
    indicator's alias nor its ``name_zh``.

    Of two indicators with one alias, the later alias is the problem; an alias that is
    another indicator's name is the problem wherever it stands. The wordings of one
    indicator may repeat each other (an alias equal to its own name does no harm).
    """
    names = keys["names"].drop_duplicates(["indicator", "name"])
    if names.empty:
        return []
    # The wording's owner: the first indicator it names, else the first that has it.
    owners = (
        names.assign(rank=(names["kind"] != "name_zh").astype(int))
        .sort_values("rank", kind="stable")
        .drop_duplicates("name")
    )
    aliases = names[names["kind"] == "alias"].merge(
        owners[["name", "indicator", "kind", "file", "line"]], on="name", suffixes=("", "_owner")
    )
    clashes = aliases[aliases["indicator"] != aliases["indicator_owner"]]
    return [
        _problem(
            "duplicate_alias",
            r.file,
            r.line,
            alias=r.name,
            what="the name_zh" if r.kind_owner == "name_zh" else "an alias",
            other=r.indicator_owner,
            where=r.file_owner if pd.isna(r.line_owner) else f"{r.file_owner}:{int(r.line_owner)}",
        )
        for r in clashes.itertuples(index=False)
    ]
