"""Citations of a source: GB/T 7714-2015 text, an English citation, and the records
reference managers import (RIS, BibTeX, CSL-JSON), for Zotero, EndNote and NoteExpress.

A source is a record of ``dataset.sources`` (a dict of one row). A source with a
journal issue is a journal article; any other an online article. A title the curators
supplied stands in square brackets. A date that is only a bound (``date_bound``
``not_before`` / ``not_after``) is never written as a publication date: the records
say it in a note, the citations in square brackets.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

_ISSUE = re.compile(r"(?P<year>\d{4})\s*年\s*第\s*(?P<number>\d+)\s*期")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
# GB/T 7714 lists three authors, then 等 ("et al.").
_MAX_AUTHORS = 3

# Format -> (file extension, MIME type).
FORMATS: dict[str, tuple[str, str]] = {
    "ris": ("ris", "application/x-research-info-systems"),
    "bibtex": ("bib", "application/x-bibtex"),
    "csl-json": ("json", "application/vnd.citationstyles.csl+json"),
    "gbt7714": ("txt", "text/plain"),
}

Source = Mapping[str, Any]


# --- the fields of a source ---------------------------------------------------------


def _text(source: Source, field: str) -> str | None:
    value = source.get(field)
    return value if isinstance(value, str) and value else None


def _authors(source: Source) -> list[str]:
    joined = _text(source, "authors")
    return joined.split("; ") if joined else []


def _supplied(source: Source) -> bool:
    return bool(source.get("title_supplied"))


def _title(source: Source) -> str:
    title = str(source["title"])
    return f"[{title}]" if _supplied(source) else title


def _is_journal(source: Source) -> bool:
    return _text(source, "issue") is not None


def _bound(source: Source) -> str | None:
    """``not_before`` or ``not_after`` when the date is only a bound, else None."""
    bound = source.get("date_bound")
    return bound if bound in ("not_before", "not_after") else None


def _date(source: Source) -> str | None:
    return _text(source, "date")


def _issue_number(source: Source) -> str | None:
    """``1`` of ``2020年第1期``; the issue as written when it has another form."""
    issue = _text(source, "issue")
    if issue is None:
        return None
    match = _ISSUE.search(issue)
    return match["number"] if match else issue


def _date_parts(source: Source) -> list[int] | None:
    """``[2020, 4, 13]`` of an exact date; None for a bound or no date."""
    date = _date(source)
    if date is None or _bound(source):
        return None
    return [int(piece) for piece in date.split("-")]


def _notes(source: Source) -> list[str]:
    """What a reference manager should know that its fields cannot hold."""
    notes = []
    if _supplied(source):
        notes.append("The title in square brackets was supplied by the curators.")
    bound = _bound(source)
    if bound:
        words = "not before" if bound == "not_before" else "not after"
        note = f"Published {words} {_date(source)}: a bound, not the date of publication."
        basis = _text(source, "date_basis")
        notes.append(f"{note} {basis}" if basis else note)
    return notes


# --- GB/T 7714-2015 and English ----------------------------------------------------

# How a date that is only a bound is written; an exact date is written as it is.
_BOUNDS = {
    "zh": {"not_before": "[不早于{date}]", "not_after": "[不晚于{date}]"},
    "en": {"not_before": "n.d. (not before {date})", "not_after": "n.d. (not after {date})"},
}


def _bounded(source: Source, date: str, lang: str) -> str:
    template = _BOUNDS[lang].get(str(source.get("date_bound", "exact")), "{date}")
    return template.format(date=date)


def _head(source: Source, et_al: str) -> str:
    """``甲, 乙. `` -- the first three authors, then ``et_al``; empty without authors."""
    authors = _authors(source)
    head = ", ".join(authors[:_MAX_AUTHORS]) + (et_al if len(authors) > _MAX_AUTHORS else "")
    return f"{head}. " if head else ""


def _issue_gbt(issue: str) -> str:
    match = _ISSUE.search(issue)
    return f"{match['year']}({match['number']})" if match else issue


def _online_gbt(source: Source) -> str:
    """The publication part of an online article (GB/T 7714-2015, 4.6):
    ``出版者, 出版年(更新或修改日期)``, or ``(更新或修改日期)`` without a publisher.
    A bounded date stands in the year's place, in square brackets, as a supplied year."""
    publisher, date = _text(source, "publisher"), str(source["date"])
    where = f"{publisher}, " if publisher else ""
    if _bound(source):
        return f"{where}{_bounded(source, date, 'zh')}."
    year = date.split("-")[0]
    if not publisher:
        return f"({date})."
    return f"{where}{year}" + (f"({date})." if date != year else ".")


def gbt7714(source: Source) -> str:
    """``徐晓东. “三抓三促”推动城市基层党建提质增效[J]. 实践（党的教育版）, 2020(1): 55.``"""
    parts = [_head(source, ", 等")]
    issue, publisher = _text(source, "issue"), _text(source, "publisher")
    if issue:
        parts.append(f"{_title(source)}[J]. ")
        where = f"{publisher}, " if publisher else ""
        page = _text(source, "page")
        parts.append(f"{where}{_issue_gbt(issue)}" + (f": {page}." if page else "."))
    else:
        parts.append(f"{_title(source)}[EB/OL]. ")
        parts.append(_online_gbt(source))
    url = _text(source, "url")
    if url:
        parts.append(f" {url}.")
    return "".join(parts)


def _date_en(source: Source) -> str:
    date = str(source["date"])
    pieces = date.split("-")
    words = pieces[0] if len(pieces) == 1 else f"{_MONTHS[int(pieces[1]) - 1]} {pieces[0]}"
    if len(pieces) == 3:
        words = f"{int(pieces[2])} {words}"
    return _bounded(source, words, "en")


def english_citation(source: Source) -> str:
    """Author(s). Date. Title. Outlet, issue: page. Names and titles stay in Chinese."""
    parts = [_head(source, " et al."), f"{_date_en(source)}. "]
    title = _title(source)
    supplied = " (title supplied by the curators)" if _supplied(source) else ""
    parts.append(f"{title}{supplied}. ")
    issue, publisher = _text(source, "issue"), _text(source, "publisher")
    outlet = publisher or ""
    if issue:
        match = _ISSUE.search(issue)
        number = f"no. {match['number']} ({match['year']})" if match else issue
        outlet = f"{outlet}, {number}" if outlet else number
        page = _text(source, "page")
        if page:
            outlet += f": {page}"
    elif outlet:
        outlet += " (online)"
    else:
        outlet = "Online article, outlet not named"
    parts.append(f"{outlet}.")
    url = _text(source, "url")
    if url:
        parts.append(f" {url}.")
    return "".join(parts)


# --- RIS ---------------------------------------------------------------------------


def _ris_value(value: str) -> str:
    """One line: a line break inside a field would end it."""
    return " ".join(value.split())


def ris(source: Source) -> str:
    """One RIS record (``TY  - JOUR`` or ``TY  - ELEC`` ... ``ER  - ``), lines ending in ``\\n``."""
    journal = _is_journal(source)
    lines: list[tuple[str, str]] = [("TY", "JOUR" if journal else "ELEC"), ("TI", _title(source))]
    lines += [("AU", author) for author in _authors(source)]
    parts = _date_parts(source)
    if parts:
        lines.append(("PY", str(parts[0])))
        padded = [f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:]), "", "", ""]
        lines.append(("DA", "/".join(padded[:3]) + "/"))
    publisher = _text(source, "publisher")
    if publisher:
        lines += [("T2", publisher), ("JO", publisher)] if journal else [("T2", publisher)]
    number = _issue_number(source)
    if number:
        lines.append(("IS", number))
    page = _text(source, "page")
    if page:
        lines.append(("SP", page))
    url = _text(source, "url")
    if url:
        lines.append(("UR", url))
    affiliation = _text(source, "affiliation")
    if affiliation:
        lines.append(("AD", affiliation))
    lines.append(("LA", "zh"))
    lines += [("N1", note) for note in _notes(source)]
    lines += [("ID", str(source["source_id"])), ("ER", "")]
    return "".join(f"{tag}  - {_ris_value(value)}\n" for tag, value in lines)


# --- BibTeX ------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX counts every brace, escaped or not, so one of a pair
    # would unbalance the field.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "$": r"\$",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _LATEX_SPECIALS))


def bibtex_escape(value: str) -> str:
    """``value`` safe inside a braced BibTeX field: LaTeX's special characters escaped,
    line breaks as spaces; Chinese text is kept as UTF-8."""
    return _SPECIAL.sub(lambda m: _LATEX_SPECIALS[m[0]], " ".join(value.split()))


def _bibtex_title(value: str) -> str:
    """Escaped, with capital letters braced so that a style does not lower them."""
    return re.sub(r"[A-Z]+", r"{\g<0>}", bibtex_escape(value))


def _bibtex_url(value: str) -> str:
    """A URL as written, but for braces (percent-encoded: they cannot be escaped)."""
    return value.replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(name: str) -> str:
    """One author; a name with a space, comma or the word ``and`` is braced whole, so
    that BibTeX takes it as one (corporate) name."""
    escaped = bibtex_escape(name)
    braced = re.search(r"[ ,]|\band\b", name, flags=re.IGNORECASE)
    return f"{{{escaped}}}" if braced else escaped


def bibtex_key(source_id: str) -> str:
    """``source_id`` as a BibTeX key: only letters, digits and ``-_:.``."""
    key = re.sub(r"[^A-Za-z0-9_:.\-]+", "-", source_id).strip("-")
    return key or "source"


def bibtex(source: Source) -> str:
    """``@article`` for a journal issue, ``@misc`` (with ``howpublished``) online."""
    journal = _is_journal(source)
    fields: list[tuple[str, str]] = [("title", _bibtex_title(_title(source)))]
    authors = _authors(source)
    if authors:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in authors)))
    publisher = _text(source, "publisher")
    if publisher:
        fields.append(("journal" if journal else "howpublished", bibtex_escape(publisher)))
    parts = _date_parts(source)
    if parts:
        fields += [("year", str(parts[0])), ("date", str(_date(source)))]
    number = _issue_number(source)
    if number:
        fields.append(("number", bibtex_escape(number)))
    page = _text(source, "page")
    if page:
        fields.append(("pages", bibtex_escape(page)))
    url = _text(source, "url")
    if url:
        fields.append(("url", _bibtex_url(url)))
    fields.append(("language", "zh"))
    notes = _notes(source)
    if notes:
        fields.append(("note", bibtex_escape(" ".join(notes))))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    kind = "article" if journal else "misc"
    return f"@{kind}{{{bibtex_key(str(source['source_id']))},\n{body}}}\n"


# --- CSL-JSON ----------------------------------------------------------------------


def csl_json(source: Source) -> dict[str, Any]:
    """One CSL-JSON item; names are ``literal`` (a Chinese name is not split in two)."""
    item: dict[str, Any] = {
        "id": str(source["source_id"]),
        "type": "article-journal" if _is_journal(source) else "webpage",
        "title": _title(source),
    }
    authors = _authors(source)
    if authors:
        item["author"] = [{"literal": author} for author in authors]
    publisher = _text(source, "publisher")
    if publisher:
        item["container-title"] = publisher
    number = _issue_number(source)
    if number:
        item["issue"] = number
    page = _text(source, "page")
    if page:
        item["page"] = page
    parts = _date_parts(source)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    url = _text(source, "url")
    if url:
        item["URL"] = url
    item["language"] = "zh-CN"
    notes = _notes(source)
    if notes:
        item["note"] = " ".join(notes)
    return item


# --- several sources ---------------------------------------------------------------


def _joined(make: Callable[[Source], str], sources: Iterable[Source], between: str) -> str:
    return between.join(make(source) for source in sources)


def citations(sources: Iterable[Source], fmt: str) -> str:
    """The citations of ``sources`` in ``fmt`` (one of ``FORMATS``), as one text:
    RIS records and BibTeX entries one after another, CSL-JSON as one array,
    GB/T 7714 one citation a line."""
    records = list(sources)
    if fmt == "ris":
        return _joined(ris, records, "\n")
    if fmt == "bibtex":
        return _joined(bibtex, records, "\n")
    if fmt == "csl-json":
        return json.dumps([csl_json(s) for s in records], ensure_ascii=False, indent=2) + "\n"
    if fmt == "gbt7714":
        return "".join(f"{gbt7714(s)}\n" for s in records)
    raise ValueError(f"unknown citation format '{fmt}' (one of {', '.join(FORMATS)})")
