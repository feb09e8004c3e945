"""`validate --watch`: validate now, then again on every save, printing only what changed."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from ..data.errors import Issue, display_path
from ..data.watch import POLL_SECONDS, Checker, describe


@dataclass
class _State:
    issues: tuple[Issue, ...] | None = None   # None: not loaded yet
    counts: dict | None = None


def _key(i: Issue) -> tuple[str, str, str]:
    return (i.file, i.message, i.hint)


def watch(data_dir: Path, seeds_dir: Path, max_file_bytes: int, out: TextIO, *,
          interval: float = POLL_SECONDS, iterations: int | None = None,
          sleep: Callable[[float], None] = time.sleep, clock: Callable[[], str] | None = None) -> int:
    """Validate now, then again whenever a file changes, printing only what changed:
    new problems, fixed problems, and the counts when the data is valid.
    `iterations` bounds the number of polls (for tests); None polls until interrupted."""
    clock = clock or (lambda: time.strftime("%H:%M:%S"))
    checker = Checker(data_dir, seeds_dir, max_file_bytes)
    state = _State()

    def say(text: str) -> None:
        out.write(f"[{clock()}] {text}\n")
        out.flush()

    def report(status: str, value) -> None:  # type: ignore[no-untyped-def]
        if status == "unchanged":
            return
        new_issues: tuple[Issue, ...] = value if status == "invalid" else ()
        old_issues = state.issues or ()
        remaining = [_key(i) for i in old_issues]
        added = []
        for i in new_issues:
            if _key(i) in remaining:
                remaining.remove(_key(i))
            else:
                added.append(i)
        fixed_keys = list(remaining)
        fixed = []
        for i in old_issues:
            if _key(i) in fixed_keys:
                fixed_keys.remove(_key(i))
                fixed.append(i)
        first = state.issues is None
        for i in fixed:
            say(f"fixed: {i.location()}: {i.message}")
        if added:
            n = len(added)
            say(f"{n} {'problem' if first else 'new problem'}{'s' if n != 1 else ''}:")
            for i in added:
                out.write("  " + i.format().replace("\n", "\n  ") + "\n")
        if status == "loaded":
            counts = value.counts()
            if first:
                say(f"The data is valid: {describe(value)}.")
            elif old_issues:
                say(f"The data is valid again: {describe(value)}.")
            elif counts != state.counts:
                changes = ", ".join(f"{k} {state.counts[k]} \u2192 {counts[k]}"
                                    for k in counts if state.counts and counts[k] != state.counts[k])
                say(f"Still valid: {changes}.")
            if first:
                for w in value.warnings:
                    out.write(f"  warning: {w}\n")
            state.counts = counts
        elif not added and not fixed and first:
            say("The data is not valid.")
        out.flush()
        state.issues = new_issues

    say(f"Watching {display_path(data_dir)} and {display_path(seeds_dir)} (every {interval:g} s; Ctrl+C to stop).")
    n = 0
    while True:
        report(*checker.poll())
        n += 1
        if iterations is not None and n >= iterations:
            break
        sleep(interval)
    return 0 if state.issues == () else 1
