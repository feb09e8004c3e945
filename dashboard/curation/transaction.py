"""Curation commands as transactions: data/ and seeds/ end whole, as before or as after.

A command that writes data/ or seeds/ (`add-source`) runs inside `Transaction`:

- it holds an exclusive lock (flock on the data folder itself: no lock file) for its whole
  run, so two commands never interleave; a second one waits, then gives up with a message;
- it stages the new contents of each file it writes (`stage`), and `staged_tree()` builds a
  copy of data/ and seeds/ with those changes applied, for validating the result before
  anything is published;
- `commit()` writes each file beside its target under a hidden temporary name, syncs it,
  records a journal (the targets and their new digests), checks that no target changed
  since it was read, then renames: new files first, replaced files last, each rename atomic;
- a failure anywhere (an OSError, a full disk, SIGTERM/SIGINT/SIGHUP: they are turned into
  an exception, and held back during the renames) leaves data/ and seeds/ exactly as they
  were, with the temporary files removed;
- a process killed outright (SIGKILL, power loss) can leave only hidden files
  (`.NAME.atlas-tmp-*`, `.NAME.atlas-old-*`, `.atlas-journal`), which nothing reads; the
  next command, under the lock, finishes or undoes the interrupted publish by the journal
  and removes them (`recover`).

The data layer is not involved: it only ever reads. Names ending in .yaml or .txt are never
used for temporary files, so neither the loader, the cache key nor the reload watcher sees them.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, TextIO

JOURNAL = ".atlas-journal"
TMP_MARK = ".atlas-tmp-"
OLD_MARK = ".atlas-old-"
LOCK_WAIT_SECONDS = 60.0
SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class TransactionError(Exception):
    """A refusal or a failure, with a message for the curator; data/ and seeds/ are as before."""


class Interrupted(BaseException):
    """A signal arrived: unwind, undoing everything (BaseException: nothing swallows it by accident)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    """Create `path` (it must not exist) with `data`, synced; on failure nothing is left."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


# ---- signals -------------------------------------------------------------------------------------
@contextmanager
def signals_raise() -> Iterator[None]:
    """SIGTERM, SIGINT and SIGHUP raise `Interrupted` in the main thread (elsewhere: unchanged)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, _frame):  # type: ignore[no-untyped-def]
        raise Interrupted(signum)

    old = {s: signal.signal(s, handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold the signals back (they stay pending) for a few system calls that must run together."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)  # a pending signal is delivered here


# ---- the lock ------------------------------------------------------------------------------------
@contextmanager
def exclusive(folder: Path, out: TextIO | None = None, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """An exclusive lock on `folder` (flock on the folder itself) for as long as the block runs."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise TransactionError(f"cannot open {folder}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if out is not None:
                out.write(f"Waiting for another curation command working on {folder} to finish...\n")
                out.flush()
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TransactionError(f"another curation command has held {folder} for over "
                                               f"{wait:g} s; nothing was written; try again when it is done") from None
                    time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


# ---- recovery ------------------------------------------------------------------------------------
def _debris(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.name.startswith(".") and (TMP_MARK in p.name or OLD_MARK in p.name)]


def recover(data_dir: Path, seeds_dir: Path) -> str | None:
    """Under the lock: finish or undo a publish a killed command left half done, and remove its
    temporary files. Returns what was done, or None when there was nothing to do."""
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    journal = data_dir / JOURNAL
    said = None
    if journal.exists():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError):
            entries = []
        done = all(Path(e["target"]).is_file() and _sha(Path(e["target"]).read_bytes()) == e["sha"]
                   for e in entries) and bool(entries)
        if not done:  # undo: the originals come back, the new files go
            for e in entries:
                target, backup = Path(e["target"]), e.get("backup")
                if backup and Path(backup).exists():
                    os.replace(backup, target)
                elif not backup and target.is_file() and _sha(target.read_bytes()) == e["sha"]:
                    target.unlink()
        said = ("finished" if done else "undid") + " a change an interrupted command had left half published"
        for folder in {Path(e["target"]).parent for e in entries}:
            _fsync_dir(folder)
        journal.unlink(missing_ok=True)
        _fsync_dir(data_dir)
    leftovers = _debris(data_dir) + _debris(seeds_dir)
    for p in leftovers:
        p.unlink(missing_ok=True)
    if leftovers and said is None:
        said = f"removed {len(leftovers)} temporary file(s) an interrupted command had left"
    return said


# ---- the transaction -----------------------------------------------------------------------------
@dataclass
class _Change:
    target: Path
    data: bytes
    original: bytes | None   # None: a new file (it must not exist)


class Transaction:
    """`with Transaction(data, seeds, out) as tx:` holds the lock, recovers, and on leaving the
    block removes every temporary file. `tx.stage(...)`, validate `tx.staged_tree()`, `tx.commit()`."""

    def __init__(self, data_dir: Path, seeds_dir: Path, out: TextIO | None = None,
                 wait: float = LOCK_WAIT_SECONDS, *, before_rename: Callable[[], None] | None = None):
        self.data_dir, self.seeds_dir = Path(data_dir), Path(seeds_dir)
        self.out, self.wait = out, wait
        self.changes: list[_Change] = []
        self.token = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.committed = False
        self._temps: list[Path] = []
        self._stage: Path | None = None
        self._before_rename = before_rename  # tests: a fault between the writes and the renames
        self._stack: list = []

    def __enter__(self) -> "Transaction":
        sig = signals_raise()
        sig.__enter__()
        self._stack.append(sig)
        try:
            lock = exclusive(self.data_dir, self.out, self.wait)
            lock.__enter__()
            self._stack.append(lock)
            note = recover(self.data_dir, self.seeds_dir)
            if note and self.out is not None:
                self.out.write(f"note: {note}.\n")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        try:
            with signals_held():
                self._cleanup()
        finally:
            while self._stack:
                self._stack.pop().__exit__(None, None, None)

    # -- staging --
    def stage(self, target: Path, data: bytes, original: bytes | None = None) -> None:
        """Write `data` to `target` at commit. `original`: the bytes the file held when read
        (commit refuses if it changed since); None: a new file, which must not exist."""
        self.changes.append(_Change(Path(target), data, original))

    def staged_tree(self) -> tuple[Path, Path]:
        """A copy of data/ and seeds/ (seeds hard-linked when possible) with the staged changes."""
        if self._stage is None:
            self._stage = Path(tempfile.mkdtemp(prefix="atlas-stage-"))
        data, seeds = self._stage / "data", self._stage / "seeds"
        if data.exists():
            shutil.rmtree(data)
            shutil.rmtree(seeds)
        hidden = shutil.ignore_patterns(".*")
        shutil.copytree(self.data_dir, data, ignore=hidden, symlinks=False)

        def link_or_copy(src: str, dst: str) -> None:
            try:
                os.link(src, dst)
            except OSError:
                shutil.copy2(src, dst)

        shutil.copytree(self.seeds_dir, seeds, ignore=hidden, copy_function=link_or_copy)
        for c in self.changes:
            dest = self._staged_path(c.target, data, seeds)
            dest.unlink(missing_ok=True)  # a hard link: never write through it
            dest.write_bytes(c.data)
        return data, seeds

    def _staged_path(self, target: Path, data: Path, seeds: Path) -> Path:
        for real, staged in ((self.data_dir, data), (self.seeds_dir, seeds)):
            try:
                return staged / target.relative_to(real)
            except ValueError:
                continue
        raise ValueError(f"{target} is outside data/ and seeds/")

    # -- publishing --
    def commit(self) -> None:
        """Publish every staged change, or none (TransactionError, everything as before)."""
        try:
            for c in self.changes:  # everything written and synced beside its target first
                tmp = c.target.with_name(f".{c.target.name}{TMP_MARK}{self.token}")
                self._temps.append(tmp)
                _write_synced(tmp, c.data)
            if self._before_rename is not None:
                self._before_rename()
            with signals_held():
                self._check_unchanged()
                self._publish()
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise TransactionError(f"the disk is full ({exc.filename or self.data_dir}): nothing was "
                                       f"written; free some space and run the command again") from None
            raise TransactionError(f"cannot write {exc.filename or self.data_dir}: {exc.strerror or exc}; "
                                   f"nothing was written") from None

    def _check_unchanged(self) -> None:
        for c in self.changes:
            if c.original is None:
                if os.path.lexists(c.target):
                    raise TransactionError(f"{c.target} appeared while the command ran; nothing was written")
            else:
                try:
                    now = c.target.read_bytes()
                except OSError:
                    now = None
                if now != c.original:
                    raise TransactionError(f"{c.target} changed while the command ran (saved in an editor?); "
                                           f"nothing was written; run the command again")

    def _publish(self) -> None:
        """Renames only (no new space needed), with the signals held; undone if one fails."""
        entries = []
        order = sorted(self.changes, key=lambda c: c.original is not None)  # new files first, replaced last
        for c in order:
            backup = c.target.with_name(f".{c.target.name}{OLD_MARK}{self.token}") if c.original is not None else None
            entries.append({"target": str(c.target), "sha": _sha(c.data), "backup": str(backup) if backup else None})
        journal = self.data_dir / JOURNAL
        self._temps.append(journal)
        _write_synced(journal, json.dumps({"files": entries}).encode())
        _fsync_dir(self.data_dir)
        done: list[tuple[_Change, Path | None]] = []
        try:
            for c, e in zip(order, entries):
                tmp = c.target.with_name(f".{c.target.name}{TMP_MARK}{self.token}")
                backup = Path(e["backup"]) if e["backup"] else None
                if backup is not None:
                    self._temps.append(backup)
                    os.link(c.target, backup)  # the original stays reachable until the end
                os.rename(tmp, c.target) if backup is not None else os.link(tmp, c.target)
                done.append((c, backup))
                if backup is None:
                    tmp.unlink()  # os.link: a new file never replaces one that appeared meanwhile
        except BaseException:
            for c, backup in reversed(done):
                if backup is not None:
                    os.replace(backup, c.target)
                else:
                    c.target.unlink(missing_ok=True)
            raise
        self.committed = True  # every target renamed in: published, whatever follows
        try:
            for folder in {c.target.parent for c in self.changes}:
                _fsync_dir(folder)
            journal.unlink()
            for _c, backup in done:
                if backup is not None:
                    backup.unlink(missing_ok=True)
            _fsync_dir(self.data_dir)
        except OSError:
            pass  # what is left is hidden, and the next command removes it (`recover`)

    def _cleanup(self) -> None:
        for p in self._temps:
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass
        self._temps.clear()
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
            self._stage = None
