"""add-source refuses files too large or not text before anything is written."""
from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from dashboard.curation import CurationError, add_source
from dashboard.data import load_store

from .test_transaction import TEXT, tree


def test_files_too_large_or_not_text_are_refused_before_anything_is_written(mini_copy, tmp_path):
    data, seeds = mini_copy / "data", mini_copy / "seeds"
    before = tree(mini_copy)
    kw = dict(authors=["G"], publication="P", out=io.StringIO(), max_file_bytes=100_000)
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:  # 50 MB, sparse: refused on its size, never read
        fh.truncate(50_000_000)
    import tracemalloc

    tracemalloc.start()
    with pytest.raises(CurationError, match="50,000,000 bytes, over the limit of 1,000,000.*not read"):
        add_source(huge, "huge", data, seeds, **kw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000
    noise = tmp_path / "noise.txt"
    noise.write_bytes(random.Random(1).randbytes(20_000))
    with pytest.raises(CurationError, match="not text in a known encoding|does not look like text"):
        add_source(noise, "noise", data, seeds, **kw)
    small_noise = tmp_path / "small-noise.txt"  # short enough to decode as Windows-1252
    small_noise.write_bytes(bytes(b for b in random.Random(2).randbytes(400) if b not in b"\x81\x8d\x8f\x90\x9d"))
    with pytest.raises(CurationError, match="does not look like text"):
        add_source(small_noise, "small-noise", data, seeds, **kw)
    png = tmp_path / "picture.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(CurationError, match="does not look like text"):
        add_source(png, "picture", data, seeds, **kw)
    with pytest.raises(CurationError, match="not a regular file"):
        add_source(Path("/dev/zero"), "zero", data, seeds, **kw)
    assert tree(mini_copy) == before
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(TEXT.encode("utf-16"))
    add_source(utf16, "gamma-utf16", data, seeds, **kw)
    assert (seeds / "gamma-utf16.txt").read_text(encoding="utf-8") == TEXT
    latin = tmp_path / "cp1252.txt"
    latin.write_bytes("Der Staat ist eine Maschine der Klassenherrschaft, sagt der Kreis \u2013 r\u00e9plique.\n"
                      .encode("cp1252"))
    out = io.StringIO()
    add_source(latin, "gamma-cp1252", data, seeds, authors=["G"], publication="P", out=out)
    assert "Windows-1252" in out.getvalue()
    assert "r\u00e9plique" in (seeds / "gamma-cp1252.txt").read_text(encoding="utf-8")
    load_store(data, seeds)
