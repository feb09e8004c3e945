"""Read one YAML file safely into plain Python values, remembering the line of every
key and item, and refusing what a hand-written data file should never contain:
aliases (and so alias bombs), duplicate keys, non-UTF-8 bytes, oversized files."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is much faster; fall back only if libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .errors import Issue, snippet_at

DEFAULT_MAX_BYTES = 2_000_000
# A data file nests about eight levels (organization, stances, a stance, counter, a view, quotes,
# a quote). Far deeper nesting is refused before it is built: libyaml's composer would exhaust
# the stack (a crash, not an error) and its scanner slows quadratically with depth.
MAX_DEPTH = 40
_CORE = "tag:yaml.org,2002:"
ALLOWED_TAGS = {"!"} | {_CORE + t for t in ("str", "int", "float", "bool", "null", "seq", "map")}

Path_ = tuple  # a path of keys and indices into the document


@dataclass
class YamlFile:
    path: Path
    shown: str  # the path as shown in messages
    data: Any = None
    lines: dict[tuple, int] = field(default_factory=dict)
    text_lines: list[str] = field(default_factory=list)

    def line_of(self, path: tuple) -> int | None:
        """The line of the deepest known prefix of `path` (1-based)."""
        path = tuple(path)
        while True:
            if path in self.lines:
                return self.lines[path]
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
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.yf.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.seen:
            self.issues.append(self.yf.issue(path, "YAML aliases and anchors (&, *) are not allowed in data files",
                                             "write the value out in full"))
            return None
        self.seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    self.issues.append(self.yf.issue(path, "YAML merge keys (<<) are not allowed in data files"))
                    continue
                if not isinstance(knode, yaml.ScalarNode):
                    self.issues.append(self.yf.issue(path, "a key must be plain text"))
                    continue
                key = knode.value
                kpath = path + (key,)
                if key in out:
                    first = self.yf.lines.get(kpath)
                    self.yf.lines[kpath] = knode.start_mark.line + 1
                    self.issues.append(self.yf.issue(kpath, f"duplicate key '{key}' (first at line {first})",
                                                     "remove one of the two"))
                    continue
                self.yf.lines[kpath] = knode.start_mark.line + 1
                out[key] = self.build(vnode, kpath)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        # scalar: keep dates as the text written, so that "2017-04" and "2017-04-03" look alike
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        return self.loader.construct_object(node, deep=True)


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
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        return yf, [Issue(shown, None, f"cannot read the file: {exc.strerror or exc}")]
    if size > max_bytes:
        return yf, [Issue(shown, None, f"the file is {size:,} bytes, over the limit of {max_bytes:,}",
                          "split it, or raise max_file_bytes in config.yaml")]
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:  # a folder named like a data file, a file gone meanwhile
        return yf, [Issue(shown, None, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return yf, [Issue(shown, line, f"the file is not valid UTF-8 (byte {exc.start})", "save it as UTF-8")]
    if text.startswith("\ufeff"):
        text = text[1:]
    yf.text_lines = text.splitlines()
    loader = _Loader(text)
    try:
        refused = _scan(text, yf)
        if refused:
            return yf, [refused]
        node = loader.get_single_node()
        if node is None:
            yf.data = None
        else:
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
