"""Reading the curated YAML safely, remembering the line of every value.

PyYAML alone keeps the last of two equal keys without a word and happily expands
alias bombs. Here the file is composed into nodes (with libyaml's C parser when it is
installed) and then built into plain Python data by our own walk, which refuses
duplicate keys and records ``path -> line`` for every key and item. Anchors and
aliases are refused wherever they stand, on a plain value too: an alias lets one edit
change numbers elsewhere unseen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from metrics.model.problems import ProblemLog
from metrics.model.spelling import NUMBER_SPELLING, read_number
from metrics.model.text import UndecodableText, decode_bytes

try:  # libyaml's C parser is several times faster; the pure-Python one is the fallback
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
# Plain scalars starting with any other character can only be text (YAML 1.1 rules).
_RESOLVED_FIRST = frozenset(Resolver.yaml_implicit_resolvers)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, answering "is this text?" without regexes for most scalars.

    Most scalars of the file are Chinese text or ids; the standard resolver tries
    several regular expressions on each. Anything that could be a number, date,
    boolean or null still goes through the standard rules, and a number with an
    exponent but no point or no sign in it (8e7, 1.5e7), text to YAML 1.1, is a
    number, as YAML 1.2 and the editors that check the file read it.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0] and (not value or value[0] in _RESOLVED_FIRST):
                tag = super().resolve(kind, value, implicit)
                return _FLOAT if tag == _STR and NUMBER_SPELLING.fullmatch(value) else tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


Path = tuple[str | int, ...]

# Deeper than this is never a real indicators file; stopping early keeps the walk safe.
MAX_DEPTH = 64
# libyaml's composer recurses in C: around 100,000 nested levels overflow its stack and
# kill the process (10,000 are fine). Nesting is bounded before composing, cheaply: by
# counting brackets, by indentation, and by "- - -" runs that nest on one line. The
# three limits together stay well under what the composer survives.
MAX_FLOW_DEPTH = 1000
_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_INDENT = re.compile(r"^ {5000,}\S", re.MULTILINE)
_DEEP_INLINE = re.compile(r"^ *(?:[-?:] +){1000,}", re.MULTILINE)
# Where an anchor (&name) or an alias (*name) could stand: after white space, the start
# of a line, a flow bracket or comma, or the colon after a quoted key ("a":*b). Quoted
# text can match too (a quote "A & B" does not, "A &B" does); the events then tell for
# sure, at the cost of a second parse.
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,:])[&*][^\s\[\]{},]", re.MULTILINE)


@dataclass
class ParsedYaml:
    """Plain data from a YAML file and the line (1-based) of each path in it."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def decode_text(raw: bytes, log: ProblemLog) -> str | None:
    """Decode UTF-8 (a BOM is allowed), reporting where the first bad byte is."""
    try:
        return decode_bytes(raw).text
    except UndecodableText as error:
        log.add("invalid_utf8", error.line, byte=f"{error.byte:02x}", column=error.column)
        return None


def _too_deep_at(text: str) -> int | None:
    """Line where nesting passes the limits above, if anywhere.

    Brackets inside quoted text count too; that can only overstate the depth, and no
    real file comes near the limits.
    """
    for pattern in (_DEEP_INDENT, _DEEP_INLINE):
        match = pattern.search(text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    if text.count("[") + text.count("{") <= MAX_FLOW_DEPTH:
        return None
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_FLOW_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return None


def _check_tabs(text: str, log: ProblemLog) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" in line:
            log.add("tab", number)


class _Builder:
    """Turns a node tree into plain data, refusing what a curator never needs."""

    def __init__(self, log: ProblemLog) -> None:
        self.log = log
        self.lines: dict[Path, int] = {}
        self.constructor = SafeConstructor()
        self.seen: set[int] = set()
        self.found_alias = False
        self.too_deep = False

    def build(self, node: Node, path: Path) -> Any:
        line = node.start_mark.line + 1
        self.lines.setdefault(path, line)
        if len(path) > MAX_DEPTH:
            if not self.too_deep:  # one message for the whole deep branch
                self.log.add("too_deep", line)
                self.too_deep = True
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        # The composer hands out the same node object wherever an alias points to it.
        if id(node) in self.seen:
            self.found_alias = True
            return None
        self.seen.add(id(node))
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        return None  # pragma: no cover - the composer makes only these three kinds

    def _scalar(self, node: ScalarNode) -> Any:
        # Text and numbers are by far the most common: built directly.
        if node.tag == _STR:
            return node.value
        if node.tag in (_INT, _FLOAT):
            # Only decimal spellings become numbers; 0x10, 1:20 or a 5000-digit
            # number stay text, refused by the schema in a field that needs a number.
            return read_number(node.value)
        if node.tag == "tag:yaml.org,2002:timestamp":
            # Dates stay text, as written: the schema reads 2020, 2020-01 and 2020-04-13.
            return node.value
        try:
            value = self.constructor.construct_object(node)
        except (ConstructorError, ValueError) as error:
            self.log.add(
                "yaml_syntax",
                node.start_mark.line + 1,
                detail=str(error).split("\n")[0],
                context="",
            )
            return None
        return value

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.found_alias = True
                continue
            if not isinstance(key_node, ScalarNode):
                self.log.add("bad_key", key_line)
                continue
            key = str(key_node.value)
            if key in result:
                self.log.add("duplicate_key", key_line, key=key, first=first_line[key])
                continue
            first_line[key] = key_line
            # A field's line is the line of its key, where a curator looks for it.
            self.lines[(*path, key)] = key_line
            result[key] = self.build(value_node, (*path, key))
        return result


def parse_yaml(text: str, log: ProblemLog) -> ParsedYaml | None:
    """Parse YAML text into plain data with lines; None when it cannot be read at all."""
    if not text.strip():
        log.add("empty_file", 1)
        return None
    _check_tabs(text, log)
    deep_line = _too_deep_at(text)
    if deep_line is not None:
        log.add("too_deep", deep_line)
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        context = error.context or "check indentation, colons and quotes"
        if error.context_mark and mark and error.context_mark.line != mark.line:
            context += f" that starts at line {error.context_mark.line + 1}"
        log.add(
            "yaml_syntax",
            mark.line + 1 if mark else None,
            detail=error.problem or "cannot parse",
            context=context,
        )
        return None
    except yaml.YAMLError as error:
        log.add("yaml_syntax", None, detail=str(error), context="check the file")
        return None
    except RecursionError:
        log.add("too_deep", None)
        return None
    if root is None:
        log.add("empty_file", 1)
        return None
    builder = _Builder(log)
    data = builder.build(root, ())
    if builder.found_alias or _may_anchor(text):
        _report_aliases(text, log)
    return ParsedYaml(data=data, lines=builder.lines)


def _may_anchor(text: str) -> bool:
    """Whether the text may hold an anchor or an alias: the walk sees an alias to a
    mapping or a list as a shared node, but an alias to a plain value is only a copy
    of its text, and an anchor nobody uses leaves no trace in the nodes at all."""
    return ("&" in text or "*" in text) and _MAYBE_ANCHOR.search(text) is not None


def _report_aliases(text: str, log: ProblemLog) -> None:
    """Report each anchor, alias and merge key at its own line.

    Only called when the walk has seen a shared node or the text may hold one, so the
    common case pays for no second parse; the events are read without building
    anything, so an alias bomb costs no more than its own size.
    """
    lines: set[int] = set()
    for event in yaml.parse(text, Loader=_Loader):
        is_merge = isinstance(event, yaml.ScalarEvent) and event.value == "<<" and event.implicit[0]
        anchored = getattr(event, "anchor", None) is not None
        if anchored or isinstance(event, yaml.AliasEvent) or is_merge:
            lines.add(event.start_mark.line + 1)
    for line in sorted(lines):
        log.add("alias", line)
