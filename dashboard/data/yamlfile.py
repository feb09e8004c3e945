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
    raw = Path(path).read_bytes()
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
