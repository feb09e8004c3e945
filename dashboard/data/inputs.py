"""What a load read: the exact list of inputs, so that nothing else decides what counts as one.

The loader notes every file it reads (or looks for and does not find), with what it found
there (a hash of the bytes, or why it read none), every folder it lists with the names it
found, and the settings that change what validation accepts. The cache (cache.py) is valid
while every input is as noted; live reload (watch.py) loads again when one is not. A file the
loader never read, of any name, changes nothing; a file it read, of any name, always counts.

`observe(inputs)` looks at the same inputs again, the same way, now: equal means unchanged.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

OUTSIDE = -1  # the limit noted for a file refused unread (a link leading out of its folder)


@dataclass(frozen=True)
class FileRead:
    """A file as the loader found it: `seen` says what, in a form that compares equal only when
    a new reading would find the same (the bytes' hash, or why there were none)."""

    seen: tuple
    raw: bytes | None = None
    size: int | None = None
    error: Exception | None = None


def read_file(path: Path, limit: int) -> FileRead:
    """Read `path` unless it is over `limit` bytes. Never raises for a missing or unreadable file.
    The error kept is without its traceback, whose frames would hold the caller's (the whole load's
    records) in a cycle only the cyclic collector frees."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError as exc:
        return FileRead(("absent",), error=exc.with_traceback(None))
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        return FileRead(("stat-error", getattr(exc, "errno", None)), error=exc.with_traceback(None))
    if size > limit:
        return FileRead(("over-limit", size), size=size)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:  # a folder named like a data file, a file gone meanwhile
        return FileRead(("read-error", exc.errno), size=size, error=exc.with_traceback(None))
    return FileRead(("bytes", len(raw), hashlib.blake2b(raw, digest_size=16).hexdigest()), raw, size)


def _resolved(path: Path) -> str | None:
    """Where the path leads once links are followed: a link moved elsewhere is another input."""
    try:
        return str(path.resolve())
    except (OSError, RuntimeError, ValueError):
        return None


def inside(base: Path, candidate: Path) -> bool:
    """Whether `candidate`, once every symbolic link is followed, lies inside `base`.
    A link loop or a path the system refuses (a NUL byte) counts as outside."""
    try:
        candidate.resolve().relative_to(base.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return False


def data_files(folder: Path) -> list[Path]:
    """The data files of a folder the loader reads whole (data/organizations/), in its order."""
    return sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))


def _listing(folder: Path, kind: str) -> tuple:
    if not folder.is_dir():
        return ("no-folder",)
    if kind == "data-files":
        return tuple(p.name for p in data_files(folder))
    return ("folder",)


@dataclass(frozen=True)
class Inputs:
    """Everything a load read, in the order it read it."""

    files: tuple[tuple[str, int, str | None, tuple], ...] = ()   # (path, limit, resolved, seen)
    folders: tuple[tuple[str, str, tuple], ...] = ()              # (path, kind, what it held)
    settings: tuple[tuple[str, object], ...] = ()

    @property
    def paths(self) -> list[Path]:
        """Every file and folder looked at (for messages and for watching)."""
        return [Path(p) for p, _, _, _ in self.files] + [Path(p) for p, _, _ in self.folders]

    def key(self) -> str:
        """A digest of everything noted: equal keys, equal inputs."""
        return hashlib.sha256(repr((self.files, self.folders, self.settings)).encode()).hexdigest()


@dataclass
class Recorder:
    """Noted by the loader as it reads; `inputs()` is the result."""

    settings: dict = field(default_factory=dict)
    _files: dict = field(default_factory=dict)
    _folders: dict = field(default_factory=dict)

    def inside(self, base: Path, candidate: Path) -> bool:  # (asked by the loader and the checks)
        return inside(base, candidate)

    def file(self, path: Path, limit: int, seen: tuple) -> None:
        """Note a file read elsewhere (read_yaml notes what it found in YamlFile.seen)."""
        key = str(path)
        if key not in self._files:
            self._files[key] = (key, limit, _resolved(Path(path)), seen)

    def read(self, path: Path, limit: int) -> FileRead:
        got = read_file(path, limit)
        self.file(path, limit, got.seen)
        return got

    def outside(self, path: Path) -> None:
        """A link leading out of its folder: refused, never read; where it leads is noted."""
        self._files.setdefault(str(path), (str(path), OUTSIDE, _resolved(Path(path)), ("outside",)))

    def folder(self, path: Path, kind: str = "exists") -> tuple:
        """Note a folder the loader looks at: "exists" (is it there?) or "data-files" (its data files)."""
        held = _listing(Path(path), kind)
        self._folders.setdefault(str(path), (str(path), kind, held))
        return held

    def inputs(self) -> Inputs:
        return Inputs(tuple(self._files.values()), tuple(self._folders.values()),
                      tuple(sorted(self.settings.items())))


def stat_key(path: str) -> tuple | None:
    """What the file system says of a file without reading it: size, modification and change
    times, inode and device (None when it cannot say). Any write changes the change time,
    which no program can set back."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


# a file changed this close before a load began may have changed again within the file
# system's clock tick without its times showing it: it is never vouched for by its times
TICK_NS = 2_000_000_000


def settled_stats(inputs: Inputs, loaded_since_ns: int) -> dict[str, tuple]:
    """For the files a load read (it began at `loaded_since_ns`, time.time_ns()), their
    `stat_key`, for those untouched since well before it began: such a file still holds the
    bytes the load read while its `stat_key` is the same (the racy-git rule)."""
    out = {}
    for p, limit, _, seen in inputs.files:
        if limit == OUTSIDE or seen[0] != "bytes":
            continue
        key = stat_key(p)
        if key is not None and max(key[1], key[2]) < loaded_since_ns - TICK_NS:
            out[p] = key
    return out


def observe(inputs: Inputs, settings: dict | None = None, stats: dict[str, tuple] | None = None) -> Inputs:
    """The same inputs looked at again now (with `settings`, if given, in place of the noted
    ones): equal to `inputs` when a load now would read exactly what it read. With `stats`
    (`settled_stats` of the load), a file whose `stat_key` is as noted there is not read
    again: what was seen is still what is there."""
    stats = stats or {}

    def seen_now(p: str, limit: int, seen: tuple) -> tuple:
        if limit == OUTSIDE:
            return seen
        key = stats.get(p)
        if key is not None and stat_key(p) == key:
            return seen
        return read_file(Path(p), limit).seen

    files = tuple((p, limit, _resolved(Path(p)), seen_now(p, limit, seen)) for p, limit, _, seen in inputs.files)
    folders = tuple((p, kind, _listing(Path(p), kind)) for p, kind, _ in inputs.folders)
    return Inputs(files, folders, tuple(sorted(settings.items())) if settings is not None else inputs.settings)


def stat_fingerprint(paths: Iterable[Path]) -> tuple:
    """Cheap: each path's size, modification time and inode (an atomic save changes the inode),
    and each folder's names. A change here may be no change of content; `observe` decides."""
    out = []
    for p in paths:
        try:
            st = os.stat(p)
        except (OSError, ValueError):
            out.append((str(p), None))
            continue
        names = tuple(sorted(os.listdir(p))) if os.path.isdir(p) else None
        out.append((str(p), st.st_size, st.st_mtime_ns, st.st_ino, names))
    return tuple(out)
