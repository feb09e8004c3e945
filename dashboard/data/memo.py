"""Values derived from a store, computed on first use and kept as long as the store lives.

The store is immutable, so anything computed from it alone stays true; live reload swaps in
a new store, whose memo starts empty, and the old one's goes with it."""
from __future__ import annotations

import weakref
from typing import Any, Callable

_MEMOS: dict[int, dict] = {}


def memo(store: Any) -> dict:
    """The memo dict of this store (by identity)."""
    key = id(store)
    cache = _MEMOS.get(key)
    if cache is None:
        cache = _MEMOS[key] = {}
        weakref.finalize(store, _MEMOS.pop, key, None)
    return cache


def recent(store: Any, name: str, key: Any, build: Callable[[], Any], size: int = 8) -> Any:
    """`build()`, kept in this store's memo under `name` for the last `size` keys asked for."""
    kept = memo(store).setdefault(name, {})
    if key not in kept:
        if len(kept) >= size:
            kept.pop(next(iter(kept)))
        kept[key] = build()
    return kept[key]
