"""What changed on disk: the files the loader reads, a cheap fingerprint of them, and a
checker that loads the data again when their contents change. Used by live reload in the
dashboard (dashboard/reload.py) and by `validate --watch` (dashboard/validate_watch.py).
"""
from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

from .errors import DataError, Issue
from .loader import load_store

log = logging.getLogger("dashboard.reload")

POLL_SECONDS = 0.5

_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".bak", ".orig")

Fingerprint = tuple


def _relevant(name: str) -> bool:
    return not name.startswith((".", "#")) and not name.endswith(_IGNORED_SUFFIXES) and name != "4913"


def watched_files(data_dir: Path, seeds_dir: Path) -> list[Path]:
    """The files the loader reads: data/*.yaml, data/organizations/*.yaml, and everything in seeds/
    (editors' swap and backup files left out)."""
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    files: list[Path] = []
    for folder in (data_dir, data_dir / "organizations"):
        if folder.is_dir():
            files += [p for p in folder.iterdir()
                      if p.suffix in (".yaml", ".yml") and _relevant(p.name) and p.is_file()]
    if seeds_dir.is_dir():
        for root, dirs, names in os.walk(seeds_dir):
            dirs[:] = [d for d in dirs if _relevant(d)]
            files += [Path(root) / n for n in names if _relevant(n)]
    return sorted(files)


def fingerprint(data_dir: Path, seeds_dir: Path) -> Fingerprint:
    """Cheap: names, sizes, modification times and inodes (an atomic save changes the inode)."""
    out = [("data", Path(data_dir).is_dir()), ("seeds", Path(seeds_dir).is_dir())]
    for p in watched_files(data_dir, seeds_dir):
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((str(p), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def content_digest(data_dir: Path, seeds_dir: Path) -> str:
    """A hash of the watched files' names and contents: a save that changes nothing
    (or `touch`) is not a change."""
    h = hashlib.sha256()
    for p in watched_files(data_dir, seeds_dir):
        try:
            data = p.read_bytes()
        except OSError:
            continue
        h.update(str(p).encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


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


class Checker:
    """Loads the data when the files' contents change; remembers the last result."""

    def __init__(self, data_dir: Path, seeds_dir: Path, max_file_bytes: int,
                 baseline: Fingerprint | None = None, digest: str | None = None):
        self.data_dir, self.seeds_dir, self.max_file_bytes = Path(data_dir), Path(seeds_dir), max_file_bytes
        self.fp = baseline
        self.digest = digest
        self.base = self.data_dir.resolve().parent

    def poll(self):  # -> ("unchanged", None) | ("loaded", Store) | ("invalid", issues)
        fp = fingerprint(self.data_dir, self.seeds_dir)
        if fp == self.fp:
            return "unchanged", None
        digest = content_digest(self.data_dir, self.seeds_dir)
        if digest == self.digest:
            self.fp = fp
            return "unchanged", None
        try:
            store = load_store(self.data_dir, self.seeds_dir, self.max_file_bytes)
            result = ("loaded", store)
        except DataError as exc:
            result = ("invalid", _relative_issues(exc.issues, self.base))
        except Exception as exc:  # noqa: BLE001 - a file vanishing mid-read, say: report, keep serving
            log.exception("reloading the data failed")
            result = ("invalid", (Issue(str(self.data_dir), None, f"the data could not be read: {exc}"),))
        if fingerprint(self.data_dir, self.seeds_dir) != fp:
            return "unchanged", None  # saved again while loading: load again at the next poll
        self.fp, self.digest = fp, digest
        return result




COUNTED = ("organizations", "topics", "stances", "quotes", "sources", "traditions")


def describe(store) -> str:  # type: ignore[no-untyped-def]
    """The store's counts in one line: "7 organizations, 6 topics, ..."."""
    c = store.counts()
    return ", ".join(f"{c[k]} {k}" for k in COUNTED)
