"""Reading YAML files on two cores gives exactly what reading them one by one gives, and
falls back to reading here when the forked reader fails."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dashboard.data import parallel
from dashboard.data.yamlfile import read_yaml

BUNDLED = Path(__file__).resolve().parents[2] / "data" / "organizations"


def items(folder: Path, tmp_path: Path) -> list[tuple[Path, str]]:
    out = [(p, p.name) for p in sorted(folder.glob("*.yaml"))]
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    dup = tmp_path / "dup.yaml"
    dup.write_text("id: y\nid: z\n", encoding="utf-8")
    return out + [(bad, "broken.yaml"), (dup, "dup.yaml")]


def summary(results):
    return [(yf.data, [(i.file, i.line, i.message) for i in issues]) for yf, issues in results]


def test_two_cores_read_what_one_reads(tmp_path):
    todo = items(BUNDLED, tmp_path)
    serial = [read_yaml(p, s, 2_000_000) for p, s in todo]
    assert parallel.can_fork()
    both = parallel.read_many(todo, 2_000_000, min_bytes=0)
    assert summary(both) == summary(serial)
    assert both[-1][1] and "duplicate key" in both[-1][1][0].message  # issues come back with their lines
    assert both[-1][0].line_of(("id",)) == 2


def test_a_failing_reader_costs_only_time(tmp_path, monkeypatch):
    todo = items(BUNDLED, tmp_path)
    monkeypatch.setattr(parallel, "_worker", lambda conn, *_: conn.close())  # dies without an answer
    assert summary(parallel.read_many(todo, 2_000_000, min_bytes=0)) == \
        summary([read_yaml(p, s, 2_000_000) for p, s in todo])


def test_no_fork_off_the_main_thread_or_for_little_data(tmp_path, monkeypatch):
    def refuse(*_a, **_k):
        raise AssertionError("forked")

    monkeypatch.setattr(parallel.multiprocessing, "get_context", refuse)
    todo = items(BUNDLED, tmp_path)
    parallel.read_many(todo, 2_000_000)  # the bundled data is far below MIN_BYTES
    out = []
    t = threading.Thread(target=lambda: out.append(parallel.read_many(todo, 2_000_000, min_bytes=0)))
    t.start()
    t.join()
    assert len(out) == 1 and len(out[0]) == len(todo)


@pytest.mark.parametrize("n", [0, 1])
def test_nothing_or_one_file(tmp_path, n):
    todo = items(BUNDLED, tmp_path)[:n]
    assert len(parallel.read_many(todo, 2_000_000, min_bytes=0)) == n
