"""Text search over the quotes: which quotes' haystacks (see `Store.haystack`) hold the words.

`search` is the fast path: every haystack joined into one string, searched in one C scan,
hits mapped back to quotes. `scan` is the plain reference version, a test per quote;
tests/unit/test_search.py ties the two together."""
from __future__ import annotations

import numpy as np

from .memo import memo
from .store import Evidence, Store


def needle(q: str) -> str:
    """The search text as looked for: case-folded, without the separators of fields (NUL) and
    of quotes (\\x01) in the search index."""
    return q.replace("\0", "").replace("\x01", "").casefold()


def scan(store: Store, needle_: str) -> list[Evidence]:
    """The quotes whose haystack holds `needle_`, in store order, tested one by one."""
    return [e for e, hay in zip(store.evidence, store.haystacks) if needle_ in hay]


def _index(store: Store) -> tuple[str, np.ndarray]:
    index = memo(store).get("search_index")
    if index is None:
        joined = "\x01".join(store.haystacks)
        starts = np.cumsum([0] + [len(h) + 1 for h in store.haystacks[:-1]]) if store.haystacks else np.zeros(0)
        index = memo(store)["search_index"] = (joined, starts)
    return index


def search(store: Store, needle_: str) -> list[Evidence]:
    """The same as `scan`: the quotes whose haystack holds `needle_` (as `needle` makes it), in
    store order. All haystacks are searched as one string (joined by a separator no needle
    holds), hit positions mapped back to quotes."""
    if not needle_:
        return list(store.evidence)
    joined, starts = _index(store)
    many = len(store.evidence) // 4
    positions = []
    pos = joined.find(needle_)
    while pos != -1:
        positions.append(pos)
        if len(positions) > many:  # a needle found everywhere: testing quote by quote is faster
            return scan(store, needle_)
        pos = joined.find(needle_, pos + 1)
    hits = np.unique(np.searchsorted(starts, positions, side="right") - 1)
    evidence = store.evidence
    return [evidence[i] for i in hits.tolist()]
