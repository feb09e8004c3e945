"""Finding the quotes in their sources on two cores: half the sources in a forked process,
half here, at once (`find_many`).

Keying a source text and finding its quotes is a pure function of the two texts, so the
forked child works on its share and sends back only where each quote sits; if it fails in any
way, its share is worked out here when asked: the results are the same either way, only slower.

Used only where forking is safe and worth it: on the main thread (a fork copies only the
calling thread, so a lock held by another thread, the live-reload watcher's say, could never
be released in the child), with fork available, two or more cores, not in a daemonic process,
and enough text to search.

The organization files were read here on two cores too, until the fast YAML reader
(fastyaml.py) made reading them cheaper than sending their values back from another process:
at full scale the start without a cache went 1.76 -> 1.62 s (median of 10, interleaved) when
they were read in one process.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the matcher (numpy) is imported when used: `can_fork` is asked at every
    from .matching import SourceText  # server start, even from the cache

MIN_BYTES = 1_000_000  # below this, starting a process costs more than it saves


def can_fork() -> bool:
    """Two cores or more, on the main thread, with fork, and not in a daemonic process (which
    multiprocessing forbids to start any)."""
    return ((os.cpu_count() or 1) >= 2 and threading.current_thread() is threading.main_thread()
            and "fork" in multiprocessing.get_all_start_methods()
            and not multiprocessing.current_process().daemon)


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
