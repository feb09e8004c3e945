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

import atexit
import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError
from .heap import no_cyclic_gc
from .inputs import Inputs, observe, settled_stats

if TYPE_CHECKING:
    from .store import Store


def build_store(**parts):  # type: ignore[no-untyped-def]
    """store.build_store, imported when first used: a server starting without a cache forks its
    loader before importing the models (pydantic), which the loader imports itself meanwhile."""
    from .store import build_store as build

    return build(**parts)

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
    if cache_dir is None:
        from .loader import load_inputs

        return build_store(**load_inputs(data_dir, seeds_dir, max_file_bytes))
    path = cache_path(Path(cache_dir), data_dir, seeds_dir)
    code = code_digest()
    store = _from_cache(path, code, max_file_bytes)
    if store is not None:
        return store
    return _validate_here(data_dir, seeds_dir, max_file_bytes, path, code)


def _validate_here(data_dir: Path, seeds_dir: Path, max_file_bytes: int, path: Path, code: str) -> Store:
    inputs, cached = _validate(data_dir, seeds_dir, max_file_bytes, code)  # raises DataError: nothing is cached
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


def _validate(data_dir: Path, seeds_dir: Path, max_file_bytes: int, code: str) -> tuple[dict, dict]:
    """Validate afresh: what `build_store` needs, and what the cache holds for it."""
    from .loader import load_inputs  # the validating loader: only when the cache cannot serve

    began = now_ns()
    inputs = load_inputs(data_dir, seeds_dir, max_file_bytes)
    return inputs, {**inputs, "_code": code, "_stats": settled_stats(inputs["inputs"], began)}


def _write(path: Path, blob: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only disk only costs the next start its speed


# ---- a load begun ahead, while the server imports the rest ----------------------------------

class Loading:
    """A load begun by `begin_load`; `store()` waits for it."""

    def __init__(self, args: tuple, store: Store | None = None, child=None, fd: int | None = None):  # type: ignore[no-untyped-def]
        self._args, self._store, self._child, self._fd = args, store, child, fd
        self.ahead = False  # whether the store came from the forked process (tests ask)

    def store(self) -> Store:
        """The store, as `load_cached` would return it (or its DataError, raised)."""
        if self._store is not None:
            return self._store
        kind, body = None, None
        fd, self._fd = self._fd, None
        try:
            with no_cyclic_gc(), os.fdopen(fd, "rb", buffering=_PIPE_BUFFER) as pipe:
                kind = pipe.read(1)
                body = pickle.load(pipe)  # as the child writes it: unpickling keeps pace with its pickling
        except Exception:  # noqa: BLE001 - the child died or sent nothing usable: load here
            kind = None
        # the child writes the cache after sending: not waited for here (reaped when it is done,
        # by multiprocessing or at exit); `finish` waits
        self._child.join(timeout=0)
        if kind == b"e" and isinstance(body, DataError):
            self.ahead = True
            raise body
        if kind == b"o" and isinstance(body, dict) and isinstance(body.get("inputs"), Inputs):
            body.pop("_code", None)
            body.pop("_stats", None)
            with no_cyclic_gc():
                self._store = build_store(**body)
            self.ahead = True
        else:  # anything else: the child failed; the same load here says why, or succeeds
            self._store = load_cached(*self._args)
        return self._store

    def abandon(self) -> None:
        """Never read (the server failed before it asked for the store): close the pipe, so that
        the loader, writing to it, stops instead of waiting for a reader for ever (and the
        process's exit, which waits for its children, with it). Registered at exit."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        os.close(fd)
        if self._child is not None:
            self._child.join(timeout=0.5)
            if self._child.is_alive():
                self._child.terminate()
                self._child.join(timeout=5)

    def finish(self, timeout: float = 30) -> None:
        """Wait for the forked loader to end (it has written the cache, when it could)."""
        if self._child is not None:
            self._child.join(timeout=timeout)
            if self._child.is_alive():  # pragma: no cover - a write that hangs
                self._child.kill()


_PIPE_BUFFER = 1 << 16


class _Tee:
    """A file that writes to the pipe and keeps a copy: the pickle, made once, streams to the
    server as it is made and becomes the cache's bytes."""

    def __init__(self, pipe):  # type: ignore[no-untyped-def]
        self.pipe, self.parts = pipe, []

    def write(self, data) -> int:  # type: ignore[no-untyped-def]
        self.parts.append(bytes(data))
        return self.pipe.write(data)


def _load_child(fd: int, data_dir: Path, seeds_dir: Path, max_file_bytes: int, path: Path, code: str) -> None:  # pragma: no cover - runs in the child
    try:
        with os.fdopen(fd, "wb", buffering=_PIPE_BUFFER) as pipe, no_cyclic_gc():
            try:
                _, cached = _validate(data_dir, seeds_dir, max_file_bytes, code)
            except DataError as exc:
                pipe.write(b"e")
                pickle.dump(exc, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                return
            pipe.write(b"o")
            tee = _Tee(pipe)
            pickle.dump(cached, tee, protocol=pickle.HIGHEST_PROTOCOL)
            pipe.flush()
        _write(path, b"".join(tee.parts))  # after the pipe is closed: the server has all it needs
    except Exception:  # noqa: BLE001 - the parent loads again, and reports what goes wrong
        pass


def begin_load(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int,
               cache_dir: Path | str | None) -> Loading:
    """`load_cached`, begun: from the cache at once when it serves (unpickling it is this
    process's work either way); otherwise validated in a forked process while this one goes
    on (a server imports Dash and its components meanwhile: half a second), which streams
    what it loaded, pickled as the cache holds it, and then writes the cache. Where forking is
    unsafe or pointless (parallel.can_fork), or without a cache folder, it loads here, now."""
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    args = (data_dir, seeds_dir, max_file_bytes, cache_dir)
    if cache_dir is None:
        return Loading(args, store=load_cached(*args))
    path = cache_path(Path(cache_dir), data_dir, seeds_dir)
    code = code_digest()
    with no_cyclic_gc():
        store = _from_cache(path, code, max_file_bytes)
        if store is not None:
            return Loading(args, store=store)
        from .parallel import can_fork

        if not can_fork():
            return Loading(args, store=_validate_here(data_dir, seeds_dir, max_file_bytes, path, code))
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = os.pipe()
    # not a daemon: a daemon may not start processes, and the load reads and proves on two cores
    child = ctx.Process(target=_load_child, args=(send, data_dir, seeds_dir, max_file_bytes, path, code))
    try:
        child.start()
    except OSError:  # no process to spare
        os.close(send)
        os.close(receive)
        return Loading(args, store=load_cached(*args))
    os.close(send)
    loading = Loading(args, child=child, fd=receive)
    atexit.register(loading.abandon)  # before multiprocessing's own handler, which waits for the child
    return loading


__all__ = ["DataError", "Loading", "begin_load", "cache_path", "code_digest", "load_cached", "still_valid"]
