"""Read one YAML file safely into plain Python values with PyYAML's C loader, remembering the
line of every key and item, and refusing what a hand-written data file should never contain:
aliases (and so alias bombs), tags, deep nesting, duplicate keys, non-UTF-8 bytes, oversized files."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import Issue, snippet_at
from .inputs import read_file

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML's own, on libyaml when installed with it
DEFAULT_MAX_BYTES = 2_000_000
# A data file nests about eight levels (organization, stances, a stance, counter, a view, quotes,
# a quote). Far deeper nesting is refused before it is built: libyaml's composer would exhaust
# the stack (a crash, not an error) and its scanner slows quadratically with depth.
MAX_DEPTH = 40
# libyaml's composer recurses: 20,000 levels were built, 50,000 crashed it. A text holding fewer
# indicators than this cannot nest deeper (each level opens with a [, {, -, ? or :), so it is built
# at once; any other is first parsed event by event for its depth.
COMPOSE_SAFELY = 10_000
_CORE = "tag:yaml.org,2002:"
_STR, _TIMESTAMP, _MERGE, _SEQ, _MAP = (_CORE + t for t in ("str", "timestamp", "merge", "seq", "map"))
# the tags a value may resolve to (written out, any other, !!python/... or !!binary, is refused)
SCALAR_TAGS = {_CORE + t for t in ("int", "float", "bool", "null", "value")}


@dataclass
class YamlFile:
    path: Path
    shown: str  # the path as shown in messages
    data: Any = None
    text: str = ""
    lines: dict[tuple, int] = field(default_factory=dict, repr=False)  # the line of every key and item, by path
    seen: tuple = ()  # what reading found (inputs.FileRead.seen): the cache and live reload compare it

    @cached_property
    def text_lines(self) -> list[str]:
        return self.text.splitlines()

    def line_of(self, path: tuple) -> int | None:
        """The line of the deepest known prefix of `path` (1-based)."""
        lines = self.lines
        path = tuple(path)
        while True:
            if path in lines:
                return lines[path]
            if not path:
                return None
            path = path[:-1]

    def issue(self, path: tuple, message: str, hint: str = "") -> Issue:
        line = self.line_of(path)
        return Issue(self.shown, line, message, snippet_at(self.text_lines, line), hint)


class _Refused(Exception):
    """What a data file may not hold: one message for the file, at the first place it occurs."""


class _Builder:
    def __init__(self, loader: Any, yf: YamlFile, issues: list[Issue]):
        self.loader = loader
        self.yf = yf
        self.issues = issues
        self.seen: set[int] = set()

    def refuse(self, node: yaml.Node, message: str, hint: str) -> None:
        line = node.start_mark.line + 1
        raise _Refused(Issue(self.yf.shown, line, message, snippet_at(self.yf.text_lines, line), hint))

    def build(self, node: yaml.Node, path: tuple) -> Any:
        """The value of `node` at `path`; the line of `path` itself is recorded by the caller
        (`read_yaml` for the root, the parent mapping or sequence for the rest). Refuses aliases
        (a node met twice: so an alias bomb is never expanded), tags other than the core ones
        and nesting deeper than MAX_DEPTH."""
        if id(node) in self.seen:
            self.refuse(node, "YAML aliases and anchors (&, *) are not allowed in data files", "write the value out in full")
        self.seen.add(id(node))
        cls, tag = node.__class__, node.tag
        if cls is yaml.ScalarNode:
            # keep dates as the text written, so that "2017-04" and "2017-04-03" look alike
            if tag == _STR or tag == _TIMESTAMP:
                return node.value
            if tag not in SCALAR_TAGS:
                self.refuse(node, f"YAML tags such as '{tag}' are not allowed in data files", "remove the tag")
            return self.loader.construct_object(node, deep=True)
        if tag != (_MAP if cls is yaml.MappingNode else _SEQ):
            self.refuse(node, f"YAML tags such as '{tag}' are not allowed in data files", "remove the tag")
        if len(path) >= MAX_DEPTH:
            self.refuse(node, f"the data is nested more than {MAX_DEPTH} levels deep", "flatten it")
        lines = self.yf.lines
        if cls is yaml.MappingNode:
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == _MERGE:
                    self.issues.append(self.yf.issue(path, "YAML merge keys (<<) are not allowed in data files"))
                    continue
                if knode.__class__ is not yaml.ScalarNode:
                    self.issues.append(self.yf.issue(path, "a key must be plain text"))
                    continue
                key = knode.value
                kpath = path + (key,)
                if key in out:
                    first = lines.get(kpath)
                    lines[kpath] = knode.start_mark.line + 1
                    self.issues.append(self.yf.issue(kpath, f"duplicate key '{key}' (first at line {first})",
                                                     "remove one of the two"))
                    continue
                lines[kpath] = knode.start_mark.line + 1
                out[key] = self.build(vnode, kpath)
            return out
        items = []
        for i, item in enumerate(node.value):
            ipath = path + (i,)
            lines[ipath] = item.start_mark.line + 1
            items.append(self.build(item, ipath))
        return items


def _too_deep(text: str, yf: YamlFile) -> Issue | None:
    """Whether the text nests deeper than MAX_DEPTH, from the parser's events (nothing built)."""
    depth = 0
    for ev in yaml.parse(text, Loader=_Loader):
        if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = ev.start_mark.line + 1
                return Issue(yf.shown, line, f"the data is nested more than {MAX_DEPTH} levels deep",
                             snippet_at(yf.text_lines, line), "flatten it")
        elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def read_yaml(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[YamlFile, list[Issue]]:
    yf = YamlFile(Path(path), shown)
    issues: list[Issue] = []
    got = read_file(Path(path), max_bytes)
    yf.seen = got.seen
    if got.seen[0] == "over-limit":
        return yf, [Issue(shown, None, f"the file is {got.size:,} bytes, over the limit of {max_bytes:,}",
                          "split it, or raise max_file_bytes in config.yaml")]
    if got.raw is None:  # missing, a folder named like a data file, a file gone meanwhile
        exc = got.error
        return yf, [Issue(shown, None, f"cannot read the file: {getattr(exc, 'strerror', None) or exc}")]
    raw = got.raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return yf, [Issue(shown, line, f"the file is not valid UTF-8 (byte {exc.start})", "save it as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    yf.text = text
    try:
        refused = _too_deep(text, yf) if sum(map(text.count, "[{-?:")) > COMPOSE_SAFELY else None
        if refused:
            return yf, [refused]
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                yf.lines[()] = node.start_mark.line + 1
                yf.data = _Builder(loader, yf, issues).build(node, ())
        finally:
            loader.dispose()
    except _Refused as exc:
        yf.data = None
        return yf, [exc.args[0]]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return yf, [Issue(shown, line, f"YAML syntax error: {msg}", snippet_at(yf.text_lines, line),
                          "check indentation and quoting on this line or the one before")]
    except yaml.YAMLError as exc:
        return yf, [Issue(shown, None, f"YAML error: {exc}")]
    return yf, issues
