"""Readers of the workbench (/curate) at the server, in Streamlit's own protocol.

A reader opens /curate, finds the ids of the article's text area and of the form's
submit button in what the server sends, and answers with the widget states a browser
sends when a curator pastes an article and presses "Draft it"; optionally it then edits
a row, as a curator would. Articles are made up here, of any size (``made_up_article``):
sentences about places that do not exist, each with two numbers, so a draft has rows
to propose and to check. Needs no pytest, so ``bench/workbench_load.py`` uses it too.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from .readers import Reader, Run, Visit, rerun_of

PAGE = "curate"
# The Overview, opened as a reader opens it (a new session).
OVERVIEW = Visit("", (("/", rerun_of()),))
PLACES = ("栖梧县", "望川镇", "柳湾村", "岚州市", "青石镇", "白鹭村", "云溪街道", "松岭社区")
SENTENCES = (
    "{p}把辖区划分为{a}个网格，配备专职网格员{b}名。",
    "{p}累计受理群众诉求{a}件，办结{b}件。",
    "{p}排查矛盾纠纷{a}件，调解成功{b}件。",
    "{p}投入资金{a}万元，建成党群服务中心{b}个。",
    "{p}开展网格员业务培训{a}期，参训{b}人次。",
    "{p}召开院落议事会{a}场，收集群众反映问题{b}个。",
)


def made_up_article(size: int, seed: int = 0) -> str:
    """A made-up article of at least ``size`` bytes of UTF-8 (a few more at most),
    different for every ``seed``: a head as articles have, then paragraphs of two
    sentences, each sentence with two numbers."""
    chooser = random.Random(seed)
    head = (
        f"栖梧县：网格连心 群众诉求有回应（虚构文章，仅供测试，第{seed}篇）\n"
        "2024-06-18 10:20:00   来源：虚构日报（仅供测试）\n"
    )
    lines, total = [head], len(head.encode())
    while total < size:
        line = "    " + "".join(
            chooser.choice(SENTENCES).format(
                p=chooser.choice(PLACES), a=chooser.randint(2, 9999), b=chooser.randint(2, 9999)
            )
            for _ in range(2)
        )
        line += "\n"
        lines.append(line)
        total += len(line.encode())
    return "".join(lines)


@dataclass
class Drafting:
    """What one workbench reader saw: the page opened, the draft, and an edit."""

    runs: list[Run] = field(default_factory=list)
    # Widget type -> id, of the page as first drawn.
    widgets: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run.ok for run in self.runs)

    @property
    def errors(self) -> list[str]:
        return [f"{run.label}: {run.error}" for run in self.runs if not run.ok]


def elements(run: Run) -> list[tuple[str, object]]:
    """The elements a run drew, in order: (type, the element's message)."""
    found = []
    for raw in run.payload:
        message = ForwardMsg()
        message.ParseFromString(raw)
        if message.WhichOneof("type") != "delta":
            continue
        if message.delta.WhichOneof("type") != "new_element":
            continue
        element = message.delta.new_element
        kind = element.WhichOneof("type")
        found.append((kind, getattr(element, kind)))
    return found


def texts(run: Run) -> str:
    """Every text the run drew (markdown, alerts, code), one after another."""
    parts = []
    for kind, element in elements(run):
        if kind in ("markdown", "alert", "code", "heading"):
            parts.append(getattr(element, "body", "") or getattr(element, "code_text", ""))
    return "\n".join(parts)


def _widget_ids(run: Run) -> dict[str, str]:
    """The ids of the article's text area, the form's button and the rows' editor."""
    ids = {}
    for widget_id, kind in run.widgets.items():
        if kind == "text_area" and widget_id.endswith("curate-text"):
            ids["text_area"] = widget_id
        elif kind == "button" and "FormSubmitter:curate-input" in widget_id:
            ids["button"] = widget_id
        elif "curate-rows-" in widget_id:
            ids["rows_editor"] = widget_id
    return ids


def _submit(ids: dict[str, str], text: str) -> bytes:
    pasted = WidgetState(id=ids["text_area"], string_value=text)
    pressed = WidgetState(id=ids["button"], trigger_value=True)
    return rerun_of(PAGE, widgets=[pasted, pressed])


def _edit(ids: dict[str, str], text: str, editor: str) -> bytes:
    # A form keeps its values after a submit; the browser sends them with every rerun.
    pasted = WidgetState(id=ids["text_area"], string_value=text)
    edits = {"edited_rows": {"0": {"action": "drop"}}, "added_rows": [], "deleted_rows": []}
    edited = WidgetState(id=editor, string_value=json.dumps(edits))
    return rerun_of(PAGE, widgets=[pasted, edited])


async def draft(reader: Reader, text: str, *, edit: bool = False) -> Drafting:
    """One curator: open /curate, paste ``text`` and press "Draft it"; with ``edit``,
    then drop the first proposed row. The session closes when this returns."""
    seen = Drafting()
    try:
        async with reader.session() as socket:
            opened = await reader.run(socket, "curate", rerun_of(PAGE), PAGE)
            seen.runs.append(opened)
            seen.widgets = _widget_ids(opened)
            if not opened.ok or not {"text_area", "button"} <= seen.widgets.keys():
                opened.error = opened.error or f"no article form on the page: {seen.widgets}"
                return seen
            drafted = await reader.run(socket, "curate: draft", _submit(seen.widgets, text), PAGE)
            seen.runs.append(drafted)
            editor = _widget_ids(drafted).get("rows_editor")
            if edit and drafted.ok and editor:
                edited = _edit(seen.widgets, text, editor)
                seen.runs.append(await reader.run(socket, "curate: edit", edited, PAGE))
    except (OSError, TimeoutError) as error:
        seen.runs.append(Run("curate", 0.0, f"connection: {error!r}"))
    return seen


async def overview_times(url: str, count: int) -> list[Run]:
    """The Overview ``count`` times, each in a new session, one after another."""
    runs = []
    for _ in range(count):
        runs += await Reader(url).visit(OVERVIEW)
    return runs


async def overview_until(url: str, done: asyncio.Event, pause: float = 0.2) -> list[Run]:
    """The Overview again and again, each in a new session, until ``done`` is set."""
    runs = []
    while not done.is_set():
        runs += await Reader(url).visit(OVERVIEW)
        await asyncio.sleep(pause)
    return runs


async def curators_beside_a_reader(
    url: str, articles: list[str], timeout: float = 3600
) -> tuple[list[Drafting], list[Run], float]:
    """A curator per article drafting at once (``draft``, with an edit), and a reader of
    the Overview beside them until they are done: what each saw, and the wall time."""
    done = asyncio.Event()
    beside = asyncio.create_task(overview_until(url, done))
    began = time.perf_counter()
    drafts = await asyncio.gather(
        *(draft(Reader(url, timeout=timeout), text, edit=True) for text in articles)
    )
    took = time.perf_counter() - began
    done.set()
    return list(drafts), await beside, took
