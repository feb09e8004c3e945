"""What changed on disk: live reload in the dashboard (dashboard/app/reload.py) and `validate
--watch` (dashboard/curation/validate_watch.py) ask a Checker, which loads the data again when an
input of the last load changed. The inputs are exactly what that load read (inputs.py): the
files, of any name, the folders it listed, and the settings; nothing else is watched.
A cheap fingerprint (sizes, times, inodes, folder names) is polled; when it changes, the
inputs are looked at again, and only a change of what the loader would read loads again.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from .errors import DataError, Issue
from .inputs import Inputs, observe, stat_fingerprint


def load_store(*args):  # the loader, imported when first needed (a server's start does not)
    from .loader import load_store as load

    return load(*args)

log = logging.getLogger("dashboard.reload")

POLL_SECONDS = 0.5


def _relative_issues(issues: list[Issue], base: Path) -> tuple[Issue, ...]:
    """Issues with their file shown relative to the folder holding data/ and seeds/, when it can be."""
    out = []
    for i in issues:
        p = Path(i.file)
        if p.is_absolute():
            try:
                p = p.relative_to(base)
            except ValueError:
                pass
        out.append(Issue(str(p), i.line, i.message, i.snippet, i.hint))
    return tuple(out)


HOLD = ".hold"        # data/.hold: while it exists, live reload loads nothing (a multi-file change in progress)
SETTLE_SECONDS = 0.8  # live reload loads only files unchanged for this long (a save in several writes)


class Checker:
    """Loads the data when an input of the last load changes; remembers the last result.
    `inputs`: what the data being served was loaded from (`Store.inputs`); None loads at the
    first poll.

    A load whose inputs changed while it read them (what it noted as read is not what the
    files hold once it is done) is thrown away and done again. With `settle` > 0 (live
    reload) it publishes only whole data sets: besides, nothing while the hold marker
    data/.hold exists (nor a load during which it appeared), and nothing until the inputs
    have stayed unchanged for `settle` seconds. `state` says why a poll answered "unchanged": "same", "held", "settling"
    or "changed-during-build"."""

    def __init__(self, data_dir: Path, seeds_dir: Path, max_file_bytes: int, inputs: Inputs | None = None,
                 settle: float = 0.0, clock=time.monotonic):  # type: ignore[no-untyped-def]
        self.data_dir, self.seeds_dir, self.max_file_bytes = Path(data_dir), Path(seeds_dir), max_file_bytes
        self.inputs = inputs
        self.fp: tuple | None = None
        self.base = self.data_dir.resolve().parent
        self.settle, self.clock = settle, clock
        self.state = "same"
        self._pending: tuple[tuple | None, float] | None = None  # a change seen, and since when unchanged

    @property
    def settings(self) -> dict:
        return {"max_file_bytes": self.max_file_bytes}

    def held(self) -> bool:
        return bool(self.settle) and (self.data_dir / HOLD).exists()

    def changed(self) -> bool:
        """Whether a load now would read anything other than the last load read."""
        if self.inputs is None:
            return True
        fp = stat_fingerprint(self.inputs.paths)
        if fp == self.fp:
            return False
        if observe(self.inputs, self.settings) == self.inputs:
            self.fp = fp  # touched, or saved unchanged: not a change
            return False
        return True

    def _settling(self) -> bool:
        """Whether the change seen is younger than the settle time (any further save restarts it)."""
        if not self.settle:
            return False
        fp = stat_fingerprint(self.inputs.paths) if self.inputs is not None else None
        now = self.clock()
        if self._pending is None or self._pending[0] != fp:
            self._pending = (fp, now)
        return now - self._pending[1] < self.settle

    def poll(self):  # -> ("unchanged", None) | ("loaded", Store) | ("invalid", issues)
        if self.held():
            self.state, self._pending = "held", None
            return "unchanged", None
        if not self.changed():
            self.state, self._pending = "same", None
            return "unchanged", None
        if self._settling():
            self.state = "settling"
            return "unchanged", None
        try:
            store = load_store(self.data_dir, self.seeds_dir, self.max_file_bytes)
            result, inputs = ("loaded", store), store.inputs
        except DataError as exc:
            result, inputs = ("invalid", _relative_issues(exc.issues, self.base)), exc.inputs
        except Exception as exc:  # noqa: BLE001 - a file vanishing mid-read, say: report, keep serving
            log.exception("reloading the data failed")
            result, inputs = ("invalid", (Issue(str(self.data_dir), None, f"the data could not be read: {exc}"),)), None
        if self.held() or (inputs is not None and observe(inputs, self.settings) != inputs):
            self.state, self._pending, self.fp = "changed-during-build", None, None
            return "unchanged", None  # built from files that changed meanwhile: never published; again later
        if inputs is None:  # nothing known of what was read: watch what the last load read
            inputs = self.inputs
        self.inputs = inputs
        self.fp = None  # the next poll compares what the load read (noted as it read it) with the files
        self.state, self._pending = "same", None
        return result


COUNTED = ("organizations", "topics", "stances", "quotes", "sources", "traditions", "shared passages")


def describe(store) -> str:  # type: ignore[no-untyped-def]
    """The store's counts in one line: "7 organizations, 6 topics, ..."."""
    c = store.counts()
    return ", ".join(f"{c[k]} {k}" for k in COUNTED if c[k] or k != "shared passages")  # shared: when there are
