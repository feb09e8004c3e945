"""A cache of the validated data, so that a server starts fast.

The cache holds what the last successful load returned, with its `inputs`: the exact list of
files it read (each with a hash of its bytes), the folders it listed and the settings that
change what validation accepts (inputs.py). It is used only while every one of those inputs
is as it was, and while the data layer's code is the same: a change to any file the loader
read, of any name, or to a setting, and the data is validated afresh. A corrupt or
unreadable cache is ignored and rebuilt. `validate` never uses it: it proves every quote.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .errors import DataError
from .inputs import Inputs, observe
from .store import Store, build_store

_CODE = Path(__file__).resolve().parent


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


def still_valid(inputs: Inputs, max_file_bytes: int) -> bool:
    """Whether a load now, with these settings, would read exactly what `inputs` says was read."""
    return observe(inputs, {"max_file_bytes": max_file_bytes}) == inputs


def load_cached(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int,
                cache_dir: Path | str | None) -> Store:
    """The store from the cache when its inputs are unchanged; otherwise validate and cache it."""
    from .loader import no_cyclic_gc

    with no_cyclic_gc():
        return _load_cached(Path(data_dir), Path(seeds_dir), max_file_bytes, cache_dir)


def _load_cached(data_dir: Path, seeds_dir: Path, max_file_bytes: int, cache_dir: Path | str | None) -> Store:
    from .loader import load_inputs

    if cache_dir is None:
        return build_store(**load_inputs(data_dir, seeds_dir, max_file_bytes))
    path = cache_path(Path(cache_dir), data_dir, seeds_dir)
    code = code_digest()
    try:
        with open(path, "rb") as fh:
            cached = pickle.load(fh)
        if (isinstance(cached, dict) and cached.get("_code") == code and isinstance(cached.get("inputs"), Inputs)
                and still_valid(cached["inputs"], max_file_bytes)):
            cached.pop("_code")
            return build_store(**cached)
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a corrupt cache is ignored and rebuilt
        pass
    inputs = load_inputs(data_dir, seeds_dir, max_file_bytes)  # raises DataError: nothing is cached
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump({**inputs, "_code": code}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only disk only costs the next start its speed
    return build_store(**inputs)


__all__ = ["DataError", "cache_path", "code_digest", "load_cached", "still_valid"]
