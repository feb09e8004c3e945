"""Text search over the quotes: which quotes' haystacks (see `Store.haystack`) hold the words.

`search` is the fast path. A needle without spaces lies inside one word of a haystack (its
runs of characters between spaces and field separators), so it is looked for in the list of
distinct words only (a few hundred KB at scale instead of 5 MB of quotes) and the quotes of
the words holding it are the answer. Any other needle: every haystack joined into one
string, searched in one C scan, hits mapped back to quotes. `scan` is the plain reference
version, a test per quote; tests/unit/test_search.py ties them together."""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from .memo import memo
from .store import Evidence, Store


def needle(q: str) -> str:
    """The search text as looked for: case-folded, without the separators of fields (NUL) and
    of quotes (\\x01) in the search index."""
    return q.replace("\0", "").replace("\x01", "").casefold()


def scan(store: Store, needle_: str) -> list[Evidence]:
    """The quotes whose haystack holds `needle_`, in store order, tested one by one."""
    return [e for e, hay in zip(store.evidence, store.haystacks) if needle_ in hay]


def _starts(parts) -> list[int]:
    """Where each part begins once they are joined with one separator between them."""
    return list(accumulate((len(p) + 1 for p in parts[:-1]), initial=0)) if parts else []


def _which(starts: list[int], positions: list[int]) -> list[int]:
    """The parts (indexes, ascending, once each) the positions fall in."""
    return sorted({bisect_right(starts, p) - 1 for p in positions})


def _index(store: Store) -> tuple[str, list[int]]:
    index = memo(store).get("search_index")
    if index is None:
        joined = "\x01".join(store.haystacks)
        index = memo(store)["search_index"] = (joined, _starts(store.haystacks))
    return index


def _words(store: Store) -> tuple[str, list[int], list[list[int]]]:
    """Every distinct word of the haystacks (split at white space and at field separators),
    joined by newlines, where each word starts in that string, and for each word the indexes
    of the quotes holding it, ascending. Built at the first search (about 0.2 s at scale)."""
    index = memo(store).get("search_words")
    if index is None:
        postings: dict[str, list[int]] = {}
        for i, hay in enumerate(store.haystacks):
            for word in set(hay.replace("\0", " ").split()):
                quotes = postings.get(word)
                if quotes is None:
                    postings[word] = [i]
                else:
                    quotes.append(i)
        words = list(postings)
        index = memo(store)["search_words"] = ("\n".join(words), _starts(words), [postings[w] for w in words])
    return index


def one_word(needle_: str) -> bool:
    """Whether `needle_` lies inside one word wherever it occurs: no white space, no separator."""
    return needle_.split() == [needle_] and "\0" not in needle_ and "\x01" not in needle_


def search(store: Store, needle_: str) -> list[Evidence]:
    """The same as `scan`: the quotes whose haystack holds `needle_` (as `needle` makes it), in
    store order. All haystacks are searched as one string (joined by a separator no needle
    holds), hit positions mapped back to quotes."""
    if not needle_:
        return list(store.evidence)
    if one_word(needle_):
        return _search_words(store, needle_)
    joined, starts = _index(store)
    many = len(store.evidence) // 4
    positions = []
    pos = joined.find(needle_)
    while pos != -1:
        positions.append(pos)
        if len(positions) > many:  # a needle found everywhere: testing quote by quote is faster
            return scan(store, needle_)
        pos = joined.find(needle_, pos + 1)
    evidence = store.evidence
    return [evidence[i] for i in _which(starts, positions)]


def word_hits(store: Store, needle_: str) -> list[int]:
    """For a `one_word` needle: the indexes (in `store.evidence`, ascending) of the quotes
    whose haystack holds it, from the list of distinct words."""
    vocab, starts, postings = _words(store)
    positions = []
    pos = vocab.find(needle_)
    while pos != -1:
        positions.append(pos)
        pos = vocab.find(needle_, pos + 1)
    found = _which(starts, positions)
    if len(found) == 1:
        return postings[found[0]]
    hits: set[int] = set()
    for w in found:
        hits.update(postings[w])
    return sorted(hits)


def _search_words(store: Store, needle_: str) -> list[Evidence]:
    evidence = store.evidence
    return [evidence[i] for i in word_hits(store, needle_)]
