"""Read one YAML file safely into plain Python values, remembering the line of every
key and item, and refusing what a hand-written data file should never contain:
aliases (and so alias bombs), duplicate keys, non-UTF-8 bytes, oversized files."""
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
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {"!"} | {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}
_TAG_OR_NONE = ALLOWED_TAGS | {None}
_STR, _TIMESTAMP, _MERGE = _CORE + "str", _CORE + "timestamp", _CORE + "merge"


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


class _Builder:
    def __init__(self, loader: Any, yf: YamlFile, issues: list[Issue]):
        self.loader = loader
        self.yf = yf
        self.issues = issues

    def build(self, node: yaml.Node, path: tuple) -> Any:
        """The value of `node` at `path`; the line of `path` itself is recorded by the caller
        (`read_yaml` for the root, the parent mapping or sequence for the rest)."""
        cls = node.__class__
        if cls is yaml.ScalarNode:
            # keep dates as the text written, so that "2017-04" and "2017-04-03" look alike
            if node.tag == _STR or node.tag == _TIMESTAMP:
                return node.value
            return self.loader.construct_object(node, deep=True)
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


def _scan(text: str, yf: YamlFile) -> Issue | None:
    """One pass over the parser's events before anything is built. Refuses anchors and aliases
    (so an alias bomb is never expanded, and the message names the line of the first one),
    tags other than the core ones (!!python/..., !!binary, !!set), and nesting deeper than
    MAX_DEPTH."""
    depth = 0
    for ev in yaml.parse(text, Loader=_Loader):
        problem = None
        if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None):
            problem = "YAML aliases and anchors (&, *) are not allowed in data files", "write the value out in full"
        elif getattr(ev, "tag", None) not in _TAG_OR_NONE:
            problem = f"YAML tags such as '{ev.tag}' are not allowed in data files", "remove the tag"
        elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                problem = f"the data is nested more than {MAX_DEPTH} levels deep", "flatten it"
        elif isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        if problem:
            line = ev.start_mark.line + 1 if ev.start_mark is not None else None
            return Issue(yf.shown, line, problem[0], snippet_at(yf.text_lines, line), problem[1])
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
        refused = _scan(text, yf)
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
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        msg = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return yf, [Issue(shown, line, f"YAML syntax error: {msg}", snippet_at(yf.text_lines, line),
                          "check indentation and quoting on this line or the one before")]
    except yaml.YAMLError as exc:
        return yf, [Issue(shown, None, f"YAML error: {exc}")]
    return yf, issues
