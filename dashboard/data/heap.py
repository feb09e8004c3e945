"""Pausing the cyclic collector while a load builds (the loader and the cache both do)."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc():
    """Loading builds a few hundred thousand small acyclic objects (nodes, dicts, models), each
    allocation burst waking the cyclic collector to scan what is already built: pausing it
    makes a cold load about a fifth faster. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _age_without_collecting()
            gc.enable()


def _age_without_collecting() -> None:
    """Count what the load built as old, without scanning it: a paused collector keeps counting
    allocations, and the first one after `gc.enable()` set off a collection of everything built
    (0.14 s at scale, at every start, for next to no garbage: tests/unit/test_startup.py).
    Freezing moves every tracked object to the permanent generation and resets the counts;
    unfreezing puts them all back into the oldest generation, where the next full collection,
    whenever the usual thresholds call it, still looks at them: nothing is kept from it. In a
    process whose heap is already frozen (a serving server reloading its data), unfreezing
    would undo that: what the load built is frozen with it, as `settle_heap` would."""
    already = gc.get_freeze_count() > 0
    gc.freeze()
    if not already:
        gc.unfreeze()
