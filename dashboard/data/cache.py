"""A cache of the validated data, so that a server starts fast.

The cache holds what the last successful load returned, with its `inputs`: the exact list of
files it read (each with a hash of its bytes), the folders it listed and the settings that
change what validation accepts (inputs.py). It is used only while every one of those inputs
is as it was, and while the data layer's code is the same: a change to any file the loader
read, of any name, or to a setting, and the data is validated afresh. A file's bytes are
hashed again unless its size, times, inode and device are those noted when the cache was
written and it had not been touched for a while before that load began (`settled_stats`):
then the file system vouches that its bytes are the ones read. At scale that spares hashing
17 MB at every start. A corrupt or
unreadable cache is ignored and rebuilt. `validate` never uses it: it proves every quote.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path

from .errors import DataError
from .heap import no_cyclic_gc
from .inputs import Inputs, observe, settled_stats
from .store import Store, build_store

_CODE = Path(__file__).resolve().parent
now_ns = time.time_ns  # when a load begins (a test moves it)


def code_digest() -> str:
    """The data layer's own code: a new loader may accept or build differently."""
    h = hashlib.sha256()
    for path in sorted(_CODE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def cache_path(cache_dir: Path, data_dir: Path, seeds_dir: Path) -> Path:
    """One cache file per pair of folders (the settings are checked inside it)."""
    where = hashlib.sha256(f"{Path(data_dir).resolve()}\0{Path(seeds_dir).resolve()}".encode()).hexdigest()
    return Path(cache_dir) / f"store-{where[:24]}.pickle"


def still_valid(inputs: Inputs, max_file_bytes: int, stats: dict[str, tuple] | None = None) -> bool:
    """Whether a load now, with these settings, would read exactly what `inputs` says was read
    (files whose `stats` are unchanged are not read again: inputs.observe)."""
    return observe(inputs, {"max_file_bytes": max_file_bytes}, stats) == inputs


def load_cached(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int,
                cache_dir: Path | str | None) -> Store:
    """The store from the cache when its inputs are unchanged; otherwise validate and cache it."""
    with no_cyclic_gc():
        return _load_cached(Path(data_dir), Path(seeds_dir), max_file_bytes, cache_dir)


def _load_cached(data_dir: Path, seeds_dir: Path, max_file_bytes: int, cache_dir: Path | str | None) -> Store:
    path = None if cache_dir is None else cache_path(Path(cache_dir), data_dir, seeds_dir)
    code = code_digest()
    if path is not None:
        store = _from_cache(path, code, max_file_bytes)
        if store is not None:
            return store
    from .loader import load_inputs  # the validating loader (numpy, the checks): only when the cache cannot serve

    began = now_ns()
    inputs = load_inputs(data_dir, seeds_dir, max_file_bytes)  # raises DataError: nothing is cached
    if path is not None:
        cached = {**inputs, "_code": code, "_stats": settled_stats(inputs["inputs"], began)}
        _write(path, pickle.dumps(cached, protocol=pickle.HIGHEST_PROTOCOL))
    return build_store(**inputs)


def _from_cache(path: Path, code: str, max_file_bytes: int) -> Store | None:
    """The store the cache at `path` holds, if its inputs are unchanged (None otherwise)."""
    try:
        with open(path, "rb") as fh:
            cached = pickle.load(fh)
        stats = cached.pop("_stats", None) if isinstance(cached, dict) else None
        if (isinstance(cached, dict) and cached.get("_code") == code and isinstance(cached.get("inputs"), Inputs)
                and still_valid(cached["inputs"], max_file_bytes, stats if isinstance(stats, dict) else None)):
            cached.pop("_code")
            return build_store(**cached)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a corrupt cache is ignored and rebuilt
        pass
    return None


def _write(path: Path, blob: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only disk only costs the next start its speed


__all__ = ["DataError", "cache_path", "code_digest", "load_cached", "still_valid"]
