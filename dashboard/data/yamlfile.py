"""Read one YAML file safely into plain Python values, remembering the line of every
key and item, and refusing what a hand-written data file should never contain:
aliases (and so alias bombs), duplicate keys, non-UTF-8 bytes, oversized files."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is much faster; fall back only if libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

from .errors import Issue, snippet_at
from .inputs import read_file

DEFAULT_MAX_BYTES = 2_000_000
# A data file nests about eight levels (organization, stances, a stance, counter, a view, quotes,
# a quote). Far deeper nesting is refused before it is built: libyaml's composer would exhaust
# the stack (a crash, not an error) and its scanner slows quadratically with depth.
MAX_DEPTH = 40
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {"!"} | {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}

Path_ = tuple  # a path of keys and indices into the document
_STR = _CORE + "str"
_TIMESTAMP = _CORE + "timestamp"
_SEQ, _MAP, _MERGE = _CORE + "seq", _CORE + "map", _CORE + "merge"


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with PyYAML's tag resolution written out for the case at hand (no path
    resolvers, no wildcard resolvers): the same tags, at a fraction of the calls."""

    def resolve(self, kind, value, implicit):  # noqa: D401 - PyYAML's signature
        if self.yaml_path_resolvers:  # pragma: no cover - none are registered
            return super().resolve(kind, value, implicit)
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP


assert None not in _BaseLoader.yaml_implicit_resolvers  # no wildcard resolvers, so the shortcut is exact

# What a file must contain for the event scan to have anything to refuse: a node property
# (anchor &, alias *, tag !) can only start after whitespace, a flow indicator or at a line start.
_NODE_PROPERTY = re.compile(r"(?<![^\s\[{,])[&*!]")
_COMPACT = re.compile(r"^ *((?:[-?:][ \t]+){2,})", re.M)


def _depth_bound(text: str) -> int:
    """An upper bound on how deeply a YAML text can nest collections: every flow collection
    opens with [ or {, and a block collection nests deeper only by indenting further (by at
    least one space per level, two with a sequence's "- ") or by compact indicators ("- - x",
    "? x") on one line. Overestimates are harmless: they only send the file to the scan."""
    indent = max(map(len, re.findall(r"^ +", text, re.M)), default=0)
    return _depth_but_indent(text) + 2 * indent


def _depth_but_indent(text: str) -> int:
    """`_depth_bound` without its indentation term."""
    indicators = max((len(m.split()) for m in _COMPACT.findall(text)), default=1)
    return text.count("[") + text.count("{") + 2 * indicators + 2


def _needs_scan(text: str) -> bool:
    """Whether the file could hold anything the event scan refuses: a node property (anchor &,
    alias *, tag !), which can only start after whitespace or a flow indicator, or a depth
    bound over MAX_DEPTH (`_depth_bound`, its indentation term found by one regex search
    for an indent past what is left, rather than by measuring every line)."""
    if ("&" in text or "*" in text or "!" in text) and _NODE_PROPERTY.search(text):
        return True
    room = MAX_DEPTH - _depth_but_indent(text)
    if room < 0:
        return True
    return re.search("^ {%d,}" % (room // 2 + 1), text, re.M) is not None


@dataclass
class YamlFile:
    path: Path
    shown: str  # the path as shown in messages
    data: Any = None
    text: str = ""
    _lines: dict[tuple, int] | None = field(default=None, repr=False)
    seen: tuple = ()  # what reading found (inputs.FileRead.seen): the cache and live reload compare it

    @property
    def lines(self) -> dict[tuple, int]:
        """The line of every key and item, by path. Only messages need them, so they are worked
        out when first asked for, by reading the text again."""
        if self._lines is None:
            self._lines = {}
            if self.text:
                loader = _Loader(self.text)
                try:
                    node = loader.get_single_node()
                    if node is not None:
                        self._lines[()] = node.start_mark.line + 1
                        _Builder(loader, self, []).build(node, ())
                except yaml.YAMLError:
                    pass  # the first reading reported it
                finally:
                    loader.dispose()
        return self._lines

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


class _NeedsCare(Exception):
    """The fast reading met something to report (a duplicate key, an alias...): read with care."""


def _fast(node: yaml.Node, construct: Any, seen: set[int]) -> Any:
    """The value of a node, for a file with nothing to report (no lines recorded)."""
    cls = node.__class__
    if cls is yaml.ScalarNode:
        if node.tag == _STR or node.tag == _TIMESTAMP:  # dates stay as written
            return node.value
        return construct(node, deep=True)
    if id(node) in seen:
        raise _NeedsCare
    seen.add(id(node))
    if cls is yaml.MappingNode:
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            if knode.__class__ is not yaml.ScalarNode or knode.tag == _MERGE or knode.value in out:
                raise _NeedsCare
            out[knode.value] = _fast(vnode, construct, seen)
        return out
    return [_fast(item, construct, seen) for item in node.value]


class _Builder:
    def __init__(self, loader: Any, yf: YamlFile, issues: list[Issue]):
        self.loader = loader
        self.yf = yf
        self.issues = issues
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: tuple) -> Any:
        """The value of `node` at `path`; the line of `path` itself is recorded by the caller
        (`read_yaml` for the root, the parent mapping or sequence for the rest)."""
        cls = node.__class__
        if cls is yaml.ScalarNode:
            # keep dates as the text written, so that "2017-04" and "2017-04-03" look alike
            if node.tag == _STR or node.tag == _TIMESTAMP:
                return node.value
            return self.loader.construct_object(node, deep=True)
        if id(node) in self.seen:  # a collection met twice is an alias (the scan refuses them first)
            self.issues.append(self.yf.issue(path, "YAML aliases and anchors (&, *) are not allowed in data files",
                                             "write the value out in full"))
            return None
        self.seen.add(id(node))
        lines = self.yf.lines
        if cls is yaml.MappingNode:
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
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


def _scan(text: str, yf: YamlFile) -> Issue | None:
    """One pass over the parser's events before anything is built. Refuses anchors and aliases
    (so an alias bomb is never expanded, and the message names the line of the first one),
    tags other than the core ones (!!python/..., !!binary, !!set), and nesting deeper than
    MAX_DEPTH."""
    depth = 0
    for ev in yaml.parse(text, Loader=_Loader):
        line = ev.start_mark.line + 1 if ev.start_mark is not None else None

        def issue(message: str, hint: str = "") -> Issue:
            return Issue(yf.shown, line, message, snippet_at(yf.text_lines, line), hint)

        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
            return issue("YAML aliases and anchors (&, *) are not allowed in data files", "write the value out in full")
        tag = getattr(ev, "tag", None)
        if tag is not None and tag not in ALLOWED_TAGS:
            return issue(f"YAML tags such as '{tag}' are not allowed in data files", "remove the tag")
        if isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return issue(f"the data is nested more than {MAX_DEPTH} levels deep", "flatten it")
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
    from . import fastyaml  # (it builds on this module)

    try:  # plain YAML, as data files are written, is read several times faster: the same values
        yf.data = fastyaml.read(text)
        return yf, issues
    except fastyaml.Unsupported:
        pass  # anything else, and every error, is PyYAML's to read and to report
    loader = _Loader(text)
    try:
        refused = _scan(text, yf) if _needs_scan(text) else None
        if refused:
            return yf, [refused]
        node = loader.get_single_node()
        if node is None:
            yf.data = None
        else:
            try:
                yf.data = _fast(node, loader.construct_object, set())
            except _NeedsCare:  # read again, recording lines, to say where
                yf._lines = {(): node.start_mark.line + 1}
                yf.data = _Builder(loader, yf, issues).build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return yf, [Issue(shown, line, f"YAML syntax error: {msg}", snippet_at(yf.text_lines, line),
                          "check indentation and quoting on this line or the one before")]
    except yaml.YAMLError as exc:
        return yf, [Issue(shown, None, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    return yf, issues
