"""Where the tests find things: the checkout, its bundled data, and the fixture data sets
(each a folder with data/ and seeds/); and the one helper that copies such a tree."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA, SEEDS = ROOT / "data", ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures"
MINI, HOSTILE, SHARED, FIT = (FIXTURES / name for name in ("mini", "hostile", "shared", "fit"))


def copy_tree(source: Path, dest: Path) -> Path:
    """A writable copy of `source` (a data set: data/ and seeds/) at `dest`."""
    shutil.copytree(source, dest)
    return dest
