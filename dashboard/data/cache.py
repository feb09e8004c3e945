"""A cache of the validated data, so that a server starts fast.

The key is a digest of every file in data/ and seeds/ (names and contents) and of the
data layer's own code: a change to any of them invalidates the cache. A corrupt or
unreadable cache is ignored and rebuilt. `validate` never uses it: it proves every quote.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .errors import DataError
from .store import Store, build_store

_CODE = Path(__file__).resolve().parent


def digest(data_dir: Path, seeds_dir: Path) -> str:
    h = hashlib.sha256()
    for root in (Path(data_dir), Path(seeds_dir), _CODE):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".txt", ".py")
                           and "__pycache__" not in p.parts):
            h.update(str(path.relative_to(root)).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def load_cached(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int,
                cache_dir: Path | str | None) -> Store:
    """The store from the cache when it matches the files; otherwise validate and cache it."""
    from .loader import no_cyclic_gc

    with no_cyclic_gc():
        return _load_cached(data_dir, seeds_dir, max_file_bytes, cache_dir)


def _load_cached(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int,
                 cache_dir: Path | str | None) -> Store:
    from .loader import load_inputs

    if cache_dir is None:
        return build_store(**load_inputs(data_dir, seeds_dir, max_file_bytes))
    cache_dir = Path(cache_dir)
    key = digest(Path(data_dir), Path(seeds_dir))
    path = cache_dir / f"store-{key[:32]}.pickle"
    try:
        with open(path, "rb") as fh:
            inputs = pickle.load(fh)
        if isinstance(inputs, dict) and inputs.get("_key") == key:
            inputs.pop("_key")
            return build_store(**inputs)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a corrupt cache is ignored and rebuilt
        pass
    inputs = load_inputs(data_dir, seeds_dir, max_file_bytes)  # raises DataError: nothing is cached
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob("store-*.pickle"):
            old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({**inputs, "_key": key}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only disk only costs the next start its speed
    return build_store(**inputs)


__all__ = ["DataError", "digest", "load_cached"]
