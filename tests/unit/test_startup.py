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


def test_a_load_leaves_what_it_built_old_and_collectable():
    """no_cyclic_gc ends without a collection over everything the load built (at scale the
    first allocation after it scanned the whole new heap): the objects are counted old, not
    young, and garbage cycles among them are still found by the next full collection."""
    import weakref

    from dashboard.data.heap import no_cyclic_gc

    class Node:
        pass

    gc.unfreeze()  # an earlier test may have settled the heap as a server does
    gc.collect()
    assert gc.get_freeze_count() == 0
    with no_cyclic_gc():
        built = [[i] for i in range(50_000)]
        cycle = Node()
        cycle.me = cycle
        gone = weakref.ref(cycle)
        del cycle
    assert len(gc.get_objects(generation=0)) < 5_000  # not left young, to be scanned at the next allocation
    assert gc.get_freeze_count() == 0  # nor kept from the collector
    assert gc.collect() >= 1 and gone() is None
    assert built[-1] == [49_999]


def test_a_load_in_a_frozen_heap_keeps_it_frozen():
    """A serving server's heap is frozen (settle_heap); reloading its data must not thaw it."""
    from dashboard.data.heap import no_cyclic_gc

    gc.collect()
    try:
        gc.freeze()
        before = gc.get_freeze_count()
        with no_cyclic_gc():
            built = [[i] for i in range(10_000)]
        assert gc.get_freeze_count() >= before + len(built)
    finally:
        gc.unfreeze()

