"""Prove that a quote is a verbatim span of its source, and find where it sits.

Tolerated, and nothing else: line breaks and runs of spaces; a word hyphenated at a
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
    offsets: tuple     # offsets[i]: index in the original text of key[i]


def keyed(text: str) -> Keyed:
    key: list[str] = []
    seps = bytearray()
    offsets: list[int] = []
    pending = NONE
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch in SPACES:
            if pending == NONE:
                pending = SPACE
            i += 1
            continue
        if ch in DASHES:
            run_start = i
            j = i
            while j < n and text[j] in DASHES:
                j += 1
            # a single ASCII hyphen right after a letter and before a line break: hyphenation
            k = j
            while k < n and text[k] in " \t":
                k += 1
            soft = (
                j - run_start == 1 and ch == "-" and k < n and text[k] == "\n"
                and run_start > 0 and text[run_start - 1].isalpha()
            )
            pending = SOFT if soft else DASH
            i = j
            continue
        ch = QUOTES.get(ch, ch)
        key.append(ch)
        seps.append(pending if len(key) > 1 else NONE)
        offsets.append(i)
        pending = NONE
        i += 1
    return Keyed("".join(key), bytes(seps), tuple(offsets))


def _seps_agree(src: int, quote: int) -> bool:
    if src == quote:
        return True
    if src == SOFT:  # hyphenation at a line end: the quote may undo it, keep it, or break the line
        return quote in (NONE, DASH, SPACE)
    return False


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
        self._k = keyed(text)

    @property
    def key(self) -> str:
        return self._k.key

    def find(self, quote: str) -> Match | None:
        q = keyed(quote.strip())
        if not q.key:
            return None
        key, seps = self._k.key, self._k.seps
        hits: list[int] = []
        pos = key.find(q.key)
        while pos != -1:
            if all(_seps_agree(seps[pos + j], q.seps[j]) for j in range(1, len(q.key))):
                hits.append(pos)
            pos = key.find(q.key, pos + 1)
        if not hits:
            return None
        first = hits[0]
        start = self._k.offsets[first]
        end = self._k.offsets[first + len(q.key) - 1] + 1
        return Match(start, end, len(hits))

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
