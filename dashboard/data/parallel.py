"""Read many YAML files on two cores: half in a forked process, half here, at once.

Parsing YAML is most of a cold load at scale, and each file is independent. The forked
child reads its share and sends the results back through a pipe; if it fails in any way,
its share is read here after all: the results are the same either way, only slower.

Used only where forking is safe and worth it: on the main thread (a fork copies only the
calling thread, so a lock held by another thread, the live-reload watcher's say, could never
be released in the child), with fork available, two or more cores, and enough bytes to read.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import Issue

if TYPE_CHECKING:  # the readers and the matcher (PyYAML, numpy) are imported when used: `can_fork`
    from .matching import SourceText  # is asked at every server start, even from the cache
    from .yamlfile import YamlFile

MIN_BYTES = 1_000_000  # below this, starting a process costs more than it saves

Result = tuple["YamlFile", list[Issue]]


def _worker(conn, items: list[tuple[Path, str]], max_bytes: int) -> None:  # pragma: no cover - runs in the child
    from .yamlfile import read_yaml

    try:
        conn.send([read_yaml(path, shown, max_bytes) for path, shown in items])
    finally:
        conn.close()


def can_fork() -> bool:
    """Two cores or more, on the main thread, with fork, and not in a daemonic process (which
    multiprocessing forbids to start any)."""
    return ((os.cpu_count() or 1) >= 2 and threading.current_thread() is threading.main_thread()
            and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


def read_many(items: list[tuple[Path, str]], max_bytes: int, min_bytes: int = MIN_BYTES) -> list[Result]:
    """`read_yaml` of every (path, shown) item, in order."""
    from .yamlfile import read_yaml

    sizes = []
    for path, _ in items:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    if len(items) < 2 or sum(sizes) < min_bytes or not can_fork():
        return [read_yaml(path, shown, max_bytes) for path, shown in items]

    # share the bytes evenly: biggest first, each to the lighter side
    here: list[int] = []
    there: list[int] = []
    load = [0, 0]
    for i in sorted(range(len(items)), key=lambda i: -sizes[i]):
        side = 0 if load[0] <= load[1] else 1
        (here if side == 0 else there).append(i)
        load[side] += sizes[i]

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_worker, args=(send, [items[i] for i in there], max_bytes), daemon=True)
    try:
        child.start()
    except OSError:  # no process to spare: read everything here
        send.close()
        receive.close()
        return [read_yaml(path, shown, max_bytes) for path, shown in items]
    send.close()
    results: dict[int, Result] = {i: read_yaml(*items[i], max_bytes) for i in here}
    try:
        theirs = receive.recv()
        if not (isinstance(theirs, list) and len(theirs) == len(there)):
            raise EOFError("an incomplete answer")
    except (EOFError, OSError, ValueError, TypeError):  # the child died or sent nothing usable
        theirs = [read_yaml(*items[i], max_bytes) for i in there]
    finally:
        receive.close()
        child.join(timeout=5)
        if child.is_alive():  # pragma: no cover - it has sent its answer or died
            child.kill()
    results.update(zip(there, theirs))
    return [results[i] for i in range(len(items))]


# ---- finding quotes in their sources ----------------------------------------------------------

def _find_worker(conn, texts: dict[str, "SourceText"], share: list[tuple[str, list[str]]]) -> None:  # pragma: no cover - runs in the child
    try:
        out = []
        for sid, quotes in share:
            st = texts[sid]
            out.append([None if m is None else (m.start, m.end, m.count) for m in map(st.find, quotes)])
        conn.send(out)
    finally:
        conn.close()


def find_many(texts: dict[str, "SourceText"], wanted: dict[str, list[str]], min_chars: int | None = None) -> int:
    """Find every wanted quote in its source (source id -> the quotes' texts) ahead of the
    checks, half the sources (and their quotes) in a forked process, so that keying a source
    and finding its quotes run on both cores; each answer is remembered by its SourceText,
    whose `find` then returns it. Nothing is reported here: the checks ask `find` as before
    and report what it says. If the child fails, its share is simply left for `find` to work
    out when asked. Returns how many quotes were found ahead."""
    from .matching import Match

    ids = [sid for sid in wanted if sid in texts and wanted[sid]]
    cost = {sid: len(texts[sid].text) + sum(map(len, wanted[sid])) for sid in ids}
    if len(ids) < 2 or sum(cost.values()) < (MIN_BYTES if min_chars is None else min_chars) or not can_fork():
        return 0
    here: list[str] = []
    there: list[str] = []
    load = [0, 0]
    for sid in sorted(ids, key=lambda s: -cost[s]):
        side = 0 if load[0] <= load[1] else 1
        (here if side == 0 else there).append(sid)
        load[side] += cost[sid]
    share = [(sid, wanted[sid]) for sid in there]
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_find_worker, args=(send, texts, share), daemon=True)
    try:
        child.start()
    except OSError:
        send.close()
        receive.close()
        return 0
    send.close()
    done = 0
    for sid in here:
        st = texts[sid]
        for quote in wanted[sid]:
            st.remember(quote, st.find(quote))
            done += 1
    try:
        theirs = receive.recv()
        if isinstance(theirs, list) and len(theirs) == len(share):
            for (sid, quotes), found in zip(share, theirs):
                st = texts[sid]
                for quote, m in zip(quotes, found):
                    st.remember(quote, None if m is None else Match(*m))
                done += len(quotes)
    except (EOFError, OSError, ValueError, TypeError):
        pass  # the child died or sent nothing usable: `find` works its share out when asked
    finally:
        receive.close()
        child.join(timeout=5)
        if child.is_alive():  # pragma: no cover - it has sent its answer or died
            child.kill()
    return done
