"""The article's head: its title, date, publisher, authors and address, read from the
first lines, as the draft's ``sources`` entry with why each field was taken."""

from __future__ import annotations

import re

from metrics.model.dataset import Dataset
from metrics.tools.draft.regions import Regions

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


def head_lines(text: str) -> list[str]:
    """The article's first lines, stripped: where its title, date and source stand."""
    return [line.strip() for line in text.splitlines()[:_HEAD_LINES]]


def guess_title(lines: list[str]) -> str | None:
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


def source_entry(
    text: str,
    dataset: Dataset,
    main: str | None,
    regions: Regions,
    source_id: str | None,
    title: str | None,
) -> tuple[dict[str, object], dict[str, str]]:
    """The ``sources`` entry: what the first lines say, and why each field was taken."""
    head = "\n".join(head_lines(text))
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
