"""What a server's start skips is safe to skip."""
from __future__ import annotations

import gc

from dashboard.data.cache import load_cached

from ..conftest import ROOT


def test_loading_leaves_next_to_no_cyclic_garbage(tmp_path):
    """settle_heap freezes the heap without collecting it first: whatever garbage the load
    leaves stays for good, so there must be next to none, from the cache or without it."""
    for _ in range(2):  # the first builds the cache, the second reads it
        gc.collect()
        store = load_cached(ROOT / "data", ROOT / "seeds", 50_000_000, tmp_path)
        assert store.evidence
        assert gc.collect() < 200


def test_a_serving_server_still_collects_cyclic_garbage():
    """settle_heap raises the collector's first threshold (requests build thousands of objects,
    freed by reference counting): garbage in cycles is still collected, once that many pile up."""
    import weakref

    from dashboard.app import SERVING_GC_THRESHOLD, serving_gc

    before = gc.get_threshold()
    try:
        serving_gc()
        assert gc.get_threshold()[0] == SERVING_GC_THRESHOLD

        class Node:
            pass

        first = Node()
        first.me = first  # a cycle: reference counting alone never frees it
        gone = weakref.ref(first)
        del first
        for _ in range(3 * SERVING_GC_THRESHOLD):  # more cyclic garbage, as leaky requests would leave
            n = Node()
            n.me = n
        del n
        assert gone() is None, "the collector never ran"
    finally:
        gc.set_threshold(*before)
