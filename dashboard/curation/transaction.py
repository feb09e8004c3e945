"""Curation commands as transactions: data/ and seeds/ end whole, as before or as after.

A command holds an exclusive lock (flock on data/) while it runs, stages each file's new bytes,
validates a staged copy, then commits: each file written whole and synced as a hidden
`.NAME.atlas-tmp-RUN` beside its target; then, signals held back, each new file linked in (os.link:
never over a file that appeared meanwhile) and each replaced one, unchanged since it was read,
renamed over it (atomic). However a run ends, `recover` (under the lock) removes its temporary
files, and the new files of a run that did not finish: one whose temporary files are not all their targets."""
from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
import signal
import tempfile
import time
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import TextIO

TMP_MARK = ".atlas-tmp-"
LOCK_WAIT_SECONDS = 60.0
SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class TransactionError(Exception):
    """A refusal or a failure, with a message for the curator; data/ and seeds/ are as before."""


class Interrupted(BaseException):
    """A signal arrived: unwind, undoing everything (BaseException: nothing swallows it by accident)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum, self.name = signum, signal.Signals(signum).name


def _raise(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def signals_held() -> ExitStack:
    """The signals held back (pending, delivered as the stack closes) for calls that must run together."""
    held = ExitStack()
    held.callback(signal.pthread_sigmask, signal.SIG_SETMASK, signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS))
    return held


def _locked(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def recover(*folders: Path) -> int:
    """Under the lock: remove the temporary files of ended runs, and the new files of unfinished ones."""
    temps = [p for f in folders if f.is_dir() for p in f.iterdir() if p.name.startswith(".") and TMP_MARK in p.name]
    runs: dict[str, list[tuple[Path, Path]]] = {}
    for tmp in temps:
        name, run = tmp.name[1:].rsplit(TMP_MARK, 1)
        runs.setdefault(run, []).append((tmp, tmp.with_name(name)))
    for pairs in runs.values():
        linked = [target for tmp, target in pairs if target.exists() and os.path.samefile(tmp, target)]
        for target in linked if len(linked) < len(pairs) else ():
            target.unlink()
    for tmp in temps:
        tmp.unlink()
    return len(temps)


class Transaction:
    """`with Transaction(data, seeds, out) as tx:` locks and recovers, and recovers again on leaving
    (undoing a commit that failed); inside, `tx.stage(...)`, validate `tx.staged_tree()`, `tx.commit()`."""

    def __init__(self, data_dir: Path, seeds_dir: Path, out: TextIO | None = None, wait: float = LOCK_WAIT_SECONDS):
        self.data_dir, self.seeds_dir, self.out, self.wait = Path(data_dir), Path(seeds_dir), out, wait
        self.changes: list[tuple[Path, Path, bytes, bytes | None]] = []  # target, its temporary, new bytes, bytes read
        self.run, self.committed, self._held = f"{os.getpid()}-{secrets.token_hex(4)}", False, ExitStack()

    def __enter__(self) -> "Transaction":
        with ExitStack() as stack:
            for s in SIGNALS:  # signals raise Interrupted (where they can be set: in the main thread)
                with suppress(ValueError):
                    stack.callback(signal.signal, s, signal.signal(s, _raise))
            fd = os.open(self.data_dir, os.O_RDONLY | os.O_DIRECTORY)  # the lock: flock on data/ itself
            stack.callback(os.close, fd)  # releases it
            deadline = time.monotonic() + self.wait
            if not _locked(fd) and self.out is not None:
                print(f"Waiting for another curation command working on {self.data_dir} to finish...", file=self.out,
                      flush=True)
            while not _locked(fd):
                if time.monotonic() > deadline:
                    raise TransactionError(f"another curation command has held {self.data_dir} for over "
                                           f"{self.wait:g} s; nothing was written; try again when it is done")
                time.sleep(0.05)
            if recover(self.data_dir, self.seeds_dir) and self.out is not None:
                print("note: removed what an interrupted command had left half written.", file=self.out)
            self._held = stack.pop_all()
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        with self._held, signals_held():
            recover(self.data_dir, self.seeds_dir)

    def stage(self, target: Path, data: bytes, original: bytes | None = None) -> None:
        """`original`: the bytes `target` held when read (commit refuses if they changed); None: a new file."""
        self.changes.append((Path(target), Path(target).with_name(f".{Path(target).name}{TMP_MARK}{self.run}"),
                             data, original))

    def staged_tree(self) -> tuple[Path, Path]:
        """A copy of data/ and seeds/ with the staged changes (removed when the block is left)."""
        stage = Path(tempfile.mkdtemp(prefix="atlas-stage-"))
        self._held.callback(shutil.rmtree, stage, ignore_errors=True)
        for real, copy in ((self.data_dir, stage / "data"), (self.seeds_dir, stage / "seeds")):
            shutil.copytree(real, copy, ignore=shutil.ignore_patterns(".*"))
            for target, _, new, _ in self.changes:
                if target.is_relative_to(real):
                    (copy / target.relative_to(real)).write_bytes(new)
        return stage / "data", stage / "seeds"

    def commit(self) -> None:
        """Publish every staged change, or none (TransactionError; leaving the block undoes the rest)."""
        try:
            for _, tmp, new, _ in self.changes:
                _synced(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, new)
            with signals_held():
                for target, tmp, _, original in sorted(self.changes, key=lambda c: c[3] is not None):  # new files first
                    if original is None:
                        os.link(tmp, target)
                    elif target.read_bytes() != original:
                        raise TransactionError(f"{target} changed while the command ran (saved in an editor?); "
                                               f"nothing was written; run the command again")
                    else:
                        os.replace(tmp, target)
                self.committed = True
        except FileExistsError as exc:
            raise TransactionError(f"{exc.filename2} appeared while the command ran; nothing was written") from None
        except OSError as exc:
            full = exc.errno == errno.ENOSPC
            raise TransactionError((f"the disk is full ({exc.filename or self.data_dir}): nothing was written; free "
                                    "some space and run the command again") if full else
                                   f"cannot write {exc.filename or self.data_dir}: {exc.strerror or exc}; "
                                   "nothing was written") from None
        for folder in {target.parent for target, _, _, _ in self.changes}:  # published: the names made to last
            with suppress(OSError):
                _synced(folder, os.O_RDONLY | os.O_DIRECTORY)


def _synced(path: Path, flags: int, data: bytes = b"") -> None:  # opened with `flags`, `data` written whole, synced
    fd = os.open(path, flags, 0o644)
    try:
        while data:  # a short write (a disk filling up) is followed by the rest, or by its error
            data = data[os.write(fd, data):]
        os.fsync(fd)
    finally:
        os.close(fd)
