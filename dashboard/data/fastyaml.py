"""A reader for the plain YAML that data files are written in, several times faster than
PyYAML's (its C parser builds a Python node, two marks and a tag resolution per value, and
the values are then built from the nodes in Python: 1.2 s of CPU for the 6.6 MB at scale).

It reads block mappings and sequences, plain one-line values, one-line quoted values, `[]`,
`{}` and block scalars (`>`, `>-`, `|`, `|-`), with comments on lines of their own. Anything
else, or anything it is not certain PyYAML reads the same way, it refuses (`Unsupported`),
and the file is read by PyYAML instead (yamlfile.read_yaml): that reading reports errors
with their lines and refuses anchors, tags and duplicate keys. So this is only ever a faster
way to the value PyYAML gives for a valid file, never a second opinion: tests hold the two
equal on every data file, on generated documents of every shape PyYAML writes, and on the
hard cases (tests/unit/test_fastyaml.py).
"""
from __future__ import annotations

import re
from typing import Any

from .yamlfile import MAX_DEPTH, _Loader

_RESOLVERS = _Loader.yaml_implicit_resolvers
_CORE = "tag:yaml.org,2002:"
_STR, _TIMESTAMP, _BOOL, _NULL, _INT = (_CORE + t for t in ("str", "timestamp", "bool", "null", "int"))
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# characters a plain value may not start with (YAML indicators) and sequences it may not hold
_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")
# PyYAML's reader refuses these (and treats \x85, \u2028, \u2029 as line breaks): not ours to judge
_ODD = re.compile("[^\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]")


_ASCII_OK = bytes([10, *range(32, 127)])
_SCALAR_STARTS = frozenset("'\"|>[{#")


class Unsupported(Exception):
    """The text holds something this reader leaves to PyYAML."""


def _tag(value: str) -> str:
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


def _plain(value: str) -> Any:
    """A one-line plain value, as PyYAML constructs it (dates stay as written: yamlfile._fast)."""
    if value[0] in _NOT_FIRST or ": " in value or " #" in value or value[-1] == ":":
        raise Unsupported
    resolvers = _RESOLVERS.get(value[0])
    if resolvers is None:
        return value
    tag = _STR
    for t, regexp in resolvers:
        if regexp.match(value):
            tag = t
            break
    if tag == _STR or tag == _TIMESTAMP:
        return value
    if tag == _BOOL:
        return _BOOLS[value.lower()]
    if tag == _NULL:
        return None
    if tag == _INT and _DECIMAL.fullmatch(value):
        return int(value)
    raise Unsupported  # floats, octal, sexagesimal...: PyYAML's own constructors


def _single(value: str) -> str:
    """A one-line single-quoted value ('' is a quote)."""
    inner = value[1:-1]
    if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
        raise Unsupported  # continued on the next line, or something after it
    return inner.replace("''", "'")


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t"}


def _double(value: str) -> str:
    """A one-line double-quoted value with the escapes \\" \\\\ \\/ \\n \\t (any other: PyYAML's)."""
    if len(value) < 2 or value[-1] != '"':
        raise Unsupported
    inner = value[1:-1]
    if "\\" not in inner:
        if '"' in inner:
            raise Unsupported
        return inner
    out = []
    i = 0
    while True:
        j = inner.find("\\", i)
        chunk = inner[i:] if j < 0 else inner[i:j]
        if '"' in chunk:
            raise Unsupported  # the value ended before the line did
        out.append(chunk)
        if j < 0:
            return "".join(out)
        if j + 1 >= len(inner) or inner[j + 1] not in _ESCAPES:
            raise Unsupported  # the closing quote escaped, or another escape
        out.append(_ESCAPES[inner[j + 1]])
        i = j + 2


def _quoted_end(text: str, i: int) -> int:
    """Where the quoted value starting at text[i] ends (the index after its closing quote)."""
    quote = text[i]
    j = i + 1
    n = len(text)
    while j < n:
        c = text[j]
        if quote == '"' and c == "\\":
            j += 2
            continue
        if c == quote:
            if quote == "'" and j + 1 < n and text[j + 1] == "'":
                j += 2
                continue
            return j + 1
        j += 1
    raise Unsupported


def _flow_sequence(value: str) -> list:
    """A one-line flow sequence of plain or quoted values: [a, "b c", 'd']."""
    if value[-1] != "]":
        raise Unsupported  # continued on the next line, or something after it
    inner = value[1:-1]
    items: list[Any] = []
    i, n = 0, len(inner)
    while True:
        while i < n and inner[i] == " ":
            i += 1
        if i == n:
            if items:
                raise Unsupported  # a trailing comma
            return items
        if inner[i] in "\"'":
            end = _quoted_end(inner, i)
            token = inner[i:end]
            items.append(_double(token) if token[0] == '"' else _single(token))
            i = end
            while i < n and inner[i] == " ":
                i += 1
        else:
            end = inner.find(",", i)
            end = n if end < 0 else end
            token = inner[i:end].rstrip(" ")
            if not token or any(c in token for c in "[]{}:#"):
                raise Unsupported  # nested collections, pairs, comments
            items.append(_plain(token))
            i = end
        if i == n:
            return items
        if inner[i] != ",":
            raise Unsupported
        i += 1


class _Reader:
    def __init__(self, text: str):
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.n = len(self.lines)

    def next_line(self, i: int) -> tuple[int, int, str]:
        """The first line at or after `i` that is neither blank nor a comment: (index, indent,
        content); (n, -1, "") at the end."""
        lines, n = self.lines, self.n
        while i < n:
            line = lines[i]
            content = line.lstrip(" ")
            if content and content[0] != "#":
                return i, len(line) - len(content), content
            i += 1
        return n, -1, ""

    # ---- nodes ---------------------------------------------------------------------------

    def node(self, i: int, indent: int, content: str, depth: int) -> tuple[Any, int]:
        """The collection starting at line `i` (indented `indent`); returns it and the next line."""
        if depth > MAX_DEPTH:
            raise Unsupported
        if content[:2] == "- " or content == "-":
            return self.sequence(i, indent, depth)
        return self.mapping(i, indent, content, depth)

    def sequence(self, i: int, col: int, depth: int) -> tuple[list, int]:
        if depth > MAX_DEPTH:
            raise Unsupported
        items: list[Any] = []
        while True:
            content = self.lines[i][col:]
            if content == "-":
                raise Unsupported  # an item on the lines below, or null: left to PyYAML
            rest = content[2:]
            body = rest.strip(" ")
            if not body or body[0] == "#":
                raise Unsupported
            icol = col + 2 + len(rest) - len(body)
            if body[:2] == "- " or body == "-":
                raise Unsupported  # "- - x"
            key_end = _key_end(body)
            if key_end >= 0:
                value, i = self.mapping(i, icol, body, depth + 1)
            else:
                value, i = self.scalar(i, body, col, depth)
            items.append(value)
            i, ind, content = self.next_line(i)
            if ind != col or not (content[:2] == "- " or content == "-"):
                if ind > col:
                    raise Unsupported
                return items, i

    def mapping(self, i: int, col: int, content: str, depth: int) -> tuple[dict, int]:
        """A mapping whose first key is `content`, at column `col` of line `i`."""
        if depth > MAX_DEPTH:
            raise Unsupported
        lines, n = self.lines, self.n
        out: dict[str, Any] = {}
        while True:
            end = content.find(": ")
            if end >= 0:
                rest = content[end + 2:].strip(" ")
            elif content[-1] == ":":
                end, rest = len(content) - 1, ""
            else:
                raise Unsupported  # a line in a mapping that is not `key: value`
            key = content[:end]
            if key in out or (key not in _PLAIN_KEYS and not _plain_key(key)):
                raise Unsupported  # duplicates (reported there), odd keys, keys PyYAML reads as booleans
            if not rest:
                j, ind, nxt = self.next_line(i + 1)
                if ind > col:
                    value, i = self.node(j, ind, nxt, depth + 1)
                elif ind == col and (nxt[:2] == "- " or nxt == "-"):
                    value, i = self.sequence(j, col, depth + 1)
                else:
                    value, i = None, j
            elif rest[0] in _SCALAR_STARTS:
                value, i = self.scalar(i, rest, col, depth)
            else:
                value, i = _plain(rest), i + 1
            out[key] = value
            while i < n:  # the next line that is neither blank nor a comment (next_line, inline)
                line = lines[i]
                content = line.lstrip(" ")
                if content and content[0] != "#":
                    break
                i += 1
            else:
                return out, i
            ind = len(line) - len(content)
            if ind != col or content[:2] == "- " or content == "-":
                if ind > col or ind == col:
                    raise Unsupported  # deeper than its mapping (a continued value?), or a stray item
                return out, i

    def scalar(self, i: int, value: str, col: int, depth: int) -> tuple[Any, int]:
        """The value written on line `i` after its key or dash (`col`: the column of the mapping
        or the sequence it belongs to); returns it and the next line to read."""
        first = value[0]
        if first == "'":
            return _single(value), i + 1
        if first == '"':
            return _double(value), i + 1
        if first == ">" or first == "|":
            return self.block(i, value, col)
        if first == "[":
            return _flow_sequence(value), i + 1
        if value == "{}":
            return {}, i + 1
        return _plain(value), i + 1

    def block(self, i: int, header: str, col: int) -> tuple[str, int]:
        """A block scalar: `>` folds its lines, `|` keeps them; `-` strips the last line break."""
        if header not in (">", ">-", "|", "|-"):
            raise Unsupported  # indentation indicators, keep (+), a comment after the header
        lines, n = self.lines, self.n
        j = i + 1
        body: list[str] = []
        indent = -1
        while j < n:
            line = lines[j]
            content = line.lstrip(" ")
            if not content:
                if line:
                    raise Unsupported  # spaces on an empty line may be content
                body.append("")
                j += 1
                continue
            ind = len(line) - len(content)
            if indent < 0:
                if ind <= col:
                    break
                indent = ind
            if ind < indent:
                if ind > col:
                    raise Unsupported
                break
            if ind > indent and header[0] == ">":
                raise Unsupported  # more-indented lines are not folded
            if line[-1] == " ":
                raise Unsupported
            body.append(line[indent:])
            j += 1
        while body and body[-1] == "":
            body.pop()
        if not body or body[0] == "":
            raise Unsupported  # empty, or leading empty lines
        if header[0] == "|":
            text = "\n".join(body)
        else:
            parts = [body[0]]
            empties = 0
            for line in body[1:]:
                if line == "":
                    empties += 1
                    continue
                parts.append("\n" * empties if empties else " ")
                parts.append(line)
                empties = 0
            text = "".join(parts)
        return (text if header.endswith("-") else text + "\n"), j


_PLAIN_KEYS: set[str] = set()


def _plain_key(key: str) -> bool:
    """A key of letters, digits and underscores that PyYAML reads as text (not `on`, `null`...)."""
    if _KEY.fullmatch(key) and _tag(key) == _STR:
        if len(_PLAIN_KEYS) < 10_000:
            _PLAIN_KEYS.add(key)
        return True
    return False


def _key_end(content: str) -> int:
    """Where the key of a `key: value` or `key:` line ends (-1: not such a line)."""
    end = content.find(": ")
    if end >= 0:
        return end
    return len(content) - 1 if content.endswith(":") else -1


def read(text: str) -> Any:
    """The value PyYAML gives the text, or Unsupported."""
    if "\t" in text or "\r" in text:
        raise Unsupported
    if text.isascii():  # the usual case, checked in one C pass: printable bytes and line breaks only
        if text.encode("ascii").translate(None, _ASCII_OK):
            raise Unsupported
    elif _ODD.search(text):
        raise Unsupported
    r = _Reader(text)
    i, indent, content = r.next_line(0)
    if i == r.n:
        raise Unsupported  # an empty document: PyYAML's None
    if indent != 0 or content.startswith(("---", "...", "%")):
        raise Unsupported
    value, i = r.node(i, 0, content, 1)
    if r.next_line(i)[0] != r.n:
        raise Unsupported  # a line after the top collection ends (less indented than it, or a stray)
    return value


def _reference(text: str) -> Any:
    """What PyYAML gives (the tests' reference): yamlfile's loader, dates as written."""
    from .yamlfile import _fast

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _fast(node, loader.construct_object, set())
    finally:
        loader.dispose()


__all__ = ["Unsupported", "read"]
