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
