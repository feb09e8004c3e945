"""Prove that a quote is a verbatim span of its source, and find where it sits.

A quote is whole words: it may not begin or end inside a word of the source ("campist" is not
found in "campists"). Tolerated, and nothing else: line breaks and runs of spaces; a word hyphenated at a
line end (``pro-\\nduced`` matches ``produced`` and ``pro-duced``); curly versus
straight quotes; dash variants (``-``, ``--``, ``–``, ``—``), with or without spaces
around them. Letters, digits, punctuation and case must be the same.

Both texts are reduced to a *key*: whitespace collapsed, quotes straightened, every
hyphen and dash removed. For each key character we remember what separated it from
the one before (nothing, a space, a hyphen or dash, or a line-end hyphen), and a
candidate found in the key is accepted only if those separators agree.
"""
from __future__ import annotations

import difflib
import re

import numpy as np
from dataclasses import dataclass
from functools import cached_property

QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
}
DASHES = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
SPACES = set(" \t\r\n\f\v\u00a0\u2002\u2003\u2009\u200a\u202f\u3000")

# separator kinds before a key character
NONE, SPACE, DASH, SOFT = 0, 1, 2, 3


@dataclass(frozen=True)
class Keyed:
    key: str
    seps: bytes        # seps[i]: what stood between key[i-1] and key[i]
    offsets: np.ndarray  # offsets[i]: index in the original text of key[i]


_SPACE_CODES = np.array(sorted(ord(c) for c in SPACES), dtype=np.uint32)
_DASH_CODES = np.array(sorted(ord(c) for c in DASHES), dtype=np.uint32)
_QUOTE_FROM = np.array([ord(k) for k in QUOTES], dtype=np.uint32)
_QUOTE_TO = np.array([ord(v) for v in QUOTES.values()], dtype=np.uint32)


_TABLE_SIZE = 0x10000  # the Basic Multilingual Plane


def _table(codes: np.ndarray) -> np.ndarray:
    table = np.zeros(_TABLE_SIZE, dtype=bool)
    table[codes] = True
    return table


_IS_SPACE, _IS_DASH, _IS_QUOTE = _table(_SPACE_CODES), _table(_DASH_CODES), _table(_QUOTE_FROM)


def keyed(text: str) -> Keyed:
    """The key of a text: whitespace and dashes removed, quotes straightened, with the
    separator before each key character and its offset in the text."""
    return _keyed_short(text) if len(text) < 4096 else _keyed_long(text)


_RUN = re.compile("[^" + re.escape("".join(sorted(SPACES | DASHES))) + "]+")
_QUOTE_TABLE = str.maketrans(QUOTES)


def _gap_sep(text: str, a: int, b: int) -> int:
    """The separator kind of text[a:b] (whitespace and dashes only), b being the next kept char."""
    gap = text[a:b]
    if gap.isspace():
        return SPACE
    last = max(gap.rfind(d) for d in DASHES) if any(d in gap for d in DASHES) else -1
    if last < 0:
        return SPACE
    p = a + last  # the last dash of the gap
    if text[p] == "-" and p > 0 and text[p - 1] not in DASHES and text[p - 1].isalpha():
        rest = text[p + 1:b]
        stripped = rest.lstrip(" \t")
        if stripped.startswith("\n") and not any(d in rest for d in DASHES):
            return SOFT
    return DASH


def _keyed_short(text: str) -> Keyed:
    """Word runs at a time: fastest for quotes and other short texts."""
    key: list[str] = []
    seps = bytearray()
    offsets: list[int] = []
    prev_end = None
    for m in _RUN.finditer(text):
        a, b = m.span()
        if prev_end is None:
            seps.append(NONE)
        elif a == prev_end:
            seps.append(NONE)  # pragma: no cover - runs are maximal, so a gap always lies between
        else:
            seps.append(_gap_sep(text, prev_end, a))
        seps.extend(bytes(b - a - 1))
        key.append(m.group(0))
        offsets.extend(range(a, b))
        prev_end = b
    return Keyed("".join(key).translate(_QUOTE_TABLE), bytes(seps), np.array(offsets, dtype=np.int64))


_SPLIT = re.compile("([" + re.escape("".join(sorted(SPACES | DASHES))) + "]+)")


def _gap_kind(gap: str, before: str) -> int:
    """`_gap_sep` for a gap given as a string, `before` being the kept character before it."""
    if gap == " " or gap.isspace():
        return SPACE
    last = max(gap.rfind(d) for d in DASHES)
    if last < 0:  # pragma: no cover - a gap that is not all space holds a dash
        return SPACE
    prev = gap[last - 1] if last > 0 else before
    if gap[last] == "-" and prev not in DASHES and prev.isalpha():
        rest = gap[last + 1:]
        if rest.lstrip(" \t").startswith("\n") and not any(d in rest for d in DASHES):
            return SOFT
    return DASH


_OTHER_SEPS = re.compile("[" + re.escape("".join(sorted((SPACES | DASHES) - {" "}))) + "]|  ")
_WORD_SEPS = [b""] + [bytes([SPACE]) + bytes(n - 1) for n in range(1, 64)]  # a word of n letters after a space


_SPACES_KEPT = bytes(32 if b == 32 else 0 for b in range(256))
_SPACE_BYTE = bytes([SPACE])


def _key_and_seps(text: str) -> tuple[str, bytes]:
    """The key and separators of a short text, without offsets: all a quote needs to be found."""
    if text.isascii():  # the same test without a regex: the other separators in ASCII
        simple = not ("-" in text or "  " in text or "\n" in text or "\t" in text or "\r" in text
                      or "\f" in text or "\v" in text)
    else:
        simple = not _OTHER_SEPS.search(text)
    if simple and not text.startswith(" ") and not text.endswith(" "):
        # the common case, words separated by single spaces: "ab cde" -> SPACE 0 SPACE 0 0, the first NONE
        if text.isascii():  # in two C passes: every byte 0 but spaces, then each space and the byte after it SPACE
            return (text.replace(" ", "").translate(_QUOTE_TABLE),
                    text.encode("ascii").translate(_SPACES_KEPT).replace(b" \0", _SPACE_BYTE))
        words = text.split(" ")
        seps = b"".join([_WORD_SEPS[len(w)] if len(w) < 64 else bytes([SPACE]) + bytes(len(w) - 1)
                         for w in words])
        return "".join(words).translate(_QUOTE_TABLE), bytes([NONE]) + seps[1:] if seps else b""
    parts = _SPLIT.split(text)  # word run, gap, word run, gap, ... (the first and last run may be "")
    runs: list[str] = []
    seps = bytearray()
    for i in range(0, len(parts), 2):
        run = parts[i]
        if not run:
            continue
        seps.append(_gap_kind(parts[i - 1], runs[-1][-1]) if runs else NONE)
        seps.extend(bytes(len(run) - 1))
        runs.append(run)
    return "".join(runs).translate(_QUOTE_TABLE), bytes(seps)


_ASCII_ALPHA = np.zeros(128, dtype=bool)
_ASCII_ALPHA[[ord(c) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"]] = True


def _soft_hyphens(text: str, arr: np.ndarray, is_dash: np.ndarray) -> np.ndarray:
    """The positions of line-end hyphens: a single ASCII hyphen after a letter, followed by
    spaces or tabs, if any, and a line break (the test `_gap_sep` makes, for every hyphen)."""
    n = arr.size
    cand = np.flatnonzero(arr == 45)
    cand = cand[(cand > 0) & (cand + 1 < n)]
    if cand.size == 0:
        return cand
    cand = cand[~is_dash[cand - 1] & ~is_dash[cand + 1]]
    prev = arr[cand - 1]
    ascii_prev = prev < 128
    alpha = np.zeros(cand.size, dtype=bool)
    alpha[ascii_prev] = _ASCII_ALPHA[prev[ascii_prev]]
    for i in np.flatnonzero(~ascii_prev).tolist():  # a letter beyond ASCII: str.isalpha decides
        alpha[i] = text[int(cand[i]) - 1].isalpha()
    cand = cand[alpha]
    after = arr[cand + 1]
    soft = after == 10  # the common case: the line break right after the hyphen
    for i in np.flatnonzero((after == 32) | (after == 9)).tolist():
        k = int(cand[i]) + 1
        while k < n and text[k] in " \t":
            k += 1
        soft[i] = k < n and text[k] == "\n"
    return cand[soft]


def _keyed_long(text: str) -> Keyed:
    """The same, vectorized with numpy: for whole source texts (tests hold it equal to
    `_keyed_short`, tests/unit/test_matching.py and test_properties.py)."""
    n = len(text)
    if n == 0:
        return Keyed("", b"", np.zeros(0, dtype=np.int64))
    arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    top = int(arr.max())
    if top < _TABLE_SIZE:  # a table lookup per character (almost every text); np.isin otherwise
        is_space, is_dash = _IS_SPACE[arr], _IS_DASH[arr]
    else:
        is_space, is_dash = np.isin(arr, _SPACE_CODES), np.isin(arr, _DASH_CODES)
    keep = ~(is_space | is_dash)
    offsets = np.flatnonzero(keep)
    if offsets.size == 0:
        return Keyed("", b"", offsets)
    chars = arr[offsets]
    qmask = _IS_QUOTE[chars] if top < _TABLE_SIZE else np.isin(chars, _QUOTE_FROM)
    if qmask.any():
        chars = chars.copy()
        lookup = dict(zip(_QUOTE_FROM.tolist(), _QUOTE_TO.tolist()))
        idx = np.flatnonzero(qmask)
        chars[idx] = [lookup[c] for c in chars[idx].tolist()]
    key = chars.astype("<u4").tobytes().decode("utf-32-le")

    # separators: what lies between consecutive kept characters (a space, unless the gap holds
    # a dash; a dash, unless the gap's last dash is a line-end hyphen)
    seps = np.zeros(offsets.size, dtype=np.uint8)
    seps[1:][np.diff(offsets) > 1] = SPACE
    dash_at = np.flatnonzero(is_dash)
    if dash_at.size:
        # the key character each dash stands before; a gap's last dash is the last one before it
        after = np.searchsorted(offsets, dash_at)
        inside = after < offsets.size  # dashes after the last kept character separate nothing
        dash_at, after = dash_at[inside], after[inside]
        with_dash = after[after > 0]
        seps[with_dash] = DASH
        soft = _soft_hyphens(text, arr, is_dash)
        if soft.size:
            k = np.searchsorted(offsets, soft)
            ok = (k > 0) & (k < offsets.size)
            soft, k = soft[ok], k[ok]
            # the hyphen is its gap's last dash: the next dash, if any, stands before a later key character
            nxt = np.searchsorted(dash_at, soft, side="right")
            last = (nxt >= dash_at.size) | (after[np.minimum(nxt, dash_at.size - 1)] != k)
            seps[k[last]] = SOFT
    return Keyed(key, seps.tobytes(), offsets)


_NO_OFFSETS = np.zeros(0, dtype=np.int64)


def _fold(key: str) -> str:
    """Lower-case, one character for one (so that key positions stay valid)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in key)


def _soft_agree(src: bytes, quote: bytes) -> bool:
    """Separators agree where they are equal or the source has a line-end hyphenation (the
    quote may undo it, keep it, or break the line there)."""
    s, q = np.frombuffer(src, dtype=np.uint8), np.frombuffer(quote, dtype=np.uint8)
    return len(src) == len(quote) and bool(np.all((s == q) | ((s == SOFT) & (q != SOFT))))


@dataclass(frozen=True)
class Match:
    start: int   # character offsets in the source text, end exclusive
    end: int
    count: int   # how many places in the source the quote matches


@dataclass(frozen=True)
class Miss:
    closest: str     # the closest passage of the source, as written
    start: int
    end: int
    differences: str  # a short description of how the quote differs
    ratio: float


class SourceText:
    """A source text prepared once for matching many quotes."""

    def __init__(self, text: str):
        self.text = text

    @cached_property
    def _k(self) -> Keyed:  # keyed when first searched
        return keyed(self.text)

    @property
    def key(self) -> str:
        return self._k.key

    def _hits(self, q: Keyed, key: str, whole_words: bool = True) -> list[int]:
        """Key positions where the keyed quote `q` sits in `key` (the source's key, or a
        same-length variant of it) with agreeing separators (and, with `whole_words`, neither
        starting nor ending inside a word)."""
        seps = self._k.seps
        hits: list[int] = []
        n = len(q.key)
        cut_start, cut_end = whole_words and q.key[0].isalnum(), whole_words and q.key[-1].isalnum()
        pos = key.find(q.key)
        while pos != -1:
            src = seps[pos + 1:pos + n]
            if (src == q.seps[1:] or _soft_agree(src, q.seps[1:])) \
                    and not (cut_start and self._joined(key, pos)) and not (cut_end and self._joined(key, pos + n)):
                hits.append(pos)
            pos = key.find(q.key, pos + 1)
        return hits

    def _joined(self, key: str, i: int) -> bool:
        """Whether key[i-1] and key[i] are letters or digits of one word (nothing between them, or
        a line-end hyphenation): a quote may not start or end there, in the middle of a word."""
        if i <= 0 or i >= len(key):
            return False
        return self._k.seps[i] in (NONE, SOFT) and key[i - 1].isalnum() and key[i].isalnum()

    def _span(self, pos: int, length: int) -> tuple[int, int]:
        return int(self._k.offsets[pos]), int(self._k.offsets[pos + length - 1]) + 1

    def find(self, quote: str, whole_words: bool = True) -> Match | None:
        """The first place the quote sits in the source, and how many places it does. Quotes are
        whole words; `whole_words=False` is for lines set aside (captions that may interrupt a
        hyphenated word)."""
        q = Keyed(*_key_and_seps(quote.strip()), _NO_OFFSETS)
        if not q.key:
            return None
        hits = self._hits(q, self._k.key, whole_words)
        if not hits:
            return None
        start, end = self._span(hits[0], len(q.key))
        return Match(start, end, len(hits))

    @cached_property
    def _folded_key(self) -> str:
        return _fold(self._k.key)

    def find_all(self, quote: str, ignore_case: bool = False) -> list[Match]:
        """Every place the quote matches, in order, with the validator's tolerance
        (`find` is the first of these). With `ignore_case`, letters may differ in case
        too: for searching only, never for proving a quote."""
        q = Keyed(*_key_and_seps(quote.strip()), _NO_OFFSETS)
        if not q.key:
            return []
        if ignore_case:
            q = Keyed(_fold(q.key), q.seps, q.offsets)
            hits = self._hits(q, self._folded_key)
        else:
            hits = self._hits(q, self._k.key)
        return [Match(*self._span(h, len(q.key)), len(hits)) for h in hits]

    @cached_property
    def _words(self) -> list[tuple[str, int, int]]:
        return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", self.text)]

    def closest(self, quote: str) -> Miss:
        """The passage most like the quote, and how they differ (for error messages)."""
        words = self._words
        qwords = quote.split()
        if not words or not qwords:
            return Miss("", 0, 0, "the quote or the source is empty", 0.0)

        def norm(w: str) -> str:
            return "".join(QUOTES.get(c, c) for c in w if c not in DASHES).lower()

        swn = [norm(w) for w, _, _ in words]
        qn = [norm(w) for w in qwords]
        qset = set(qn)
        width = len(qn)
        # score every window of the quote's length by shared words; keep the best few
        best = []
        count = sum(1 for w in swn[:width] if w in qset)
        for i in range(0, max(1, len(swn) - width + 1)):
            if i:
                count += (swn[i + width - 1] in qset if i + width - 1 < len(swn) else 0) - (swn[i - 1] in qset)
            best.append((count, i))
        best.sort(reverse=True)
        top = None
        for _, i in best[:20]:
            window = swn[i:i + width]
            r = difflib.SequenceMatcher(None, qn, window, autojunk=False).ratio()
            if top is None or r > top[0]:
                top = (r, i)
        ratio, i = top
        seg = words[i:i + width]
        start, end = seg[0][1], seg[-1][2]
        passage = self.text[start:end]
        sm = difflib.SequenceMatcher(None, qn, swn[i:i + width], autojunk=False)
        diffs = []
        for op, a0, a1, b0, b1 in sm.get_opcodes():
            if op == "equal":
                continue
            qa = " ".join(qwords[a0:a1])
            sb = " ".join(w for w, _, _ in seg[b0:b1])
            if op == "replace":
                diffs.append(f'quote has "{qa}" where the source has "{sb}"')
            elif op == "delete":
                diffs.append(f'quote adds "{qa}"')
            else:
                diffs.append(f'quote leaves out "{sb}"')
        if not diffs:
            diffs.append("the words agree but punctuation, case or a hyphen differs")
        return Miss(passage, start, end, "; ".join(diffs[:4]), ratio)
