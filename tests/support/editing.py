"""Breaking a copy of a data set (a folder with data/ and seeds/) and reading what the load
says of it: the helpers of the loader's tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.data import DataError, load_store


def load(root: Path, **kw):
    return load_store(root / "data", root / "seeds", **kw)


def errors(root: Path, **kw) -> list[str]:
    """The problems the load refuses `root` for, as `validate` prints them."""
    with pytest.raises(DataError) as exc:
        load(root, **kw)
    return [i.format() for i in exc.value.issues]


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file, which must hold it, by `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str, after: str | None = None, nth: int = 1) -> int:
    """The number of the `nth` line holding `needle` (from the first line holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if after in line) if after is not None else 0
    hits = [n for n, line in enumerate(lines[start:], start + 1) if needle in line]
    assert len(hits) >= nth, needle
    return hits[nth - 1]
