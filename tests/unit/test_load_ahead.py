"""A server's load begun ahead (cache.begin_load): validated in a forked process while the
server imports Dash, it gives what load_cached gives, errors included, writes the cache, and
falls back to loading in the server's own process when the child fails."""
from __future__ import annotations

import os

import pytest

from dashboard.data import DataError, load_store
from dashboard.data import cache as cache_mod
from dashboard.data.cache import begin_load, cache_path


def _args(root, cache):
    return root / "data", root / "seeds", 2_000_000, cache


def test_a_load_begun_ahead_is_the_load_and_writes_the_cache(mini_copy, tmp_path):
    cache = tmp_path / "cache"
    plain = load_store(mini_copy / "data", mini_copy / "seeds")
    loading = begin_load(*_args(mini_copy, cache))
    assert loading._child is not None  # validated in a forked process
    store = loading.store()
    loading.finish()  # the cache is written after the store is sent
    assert loading.ahead  # the child's answer, not a load here after all
    assert store.evidence == plain.evidence and store.stances == plain.stances and store.inputs == plain.inputs
    assert cache_path(cache, mini_copy / "data", mini_copy / "seeds").exists()  # written by the child
    again = begin_load(*_args(mini_copy, cache))
    assert again._child is None  # from the cache, at once
    assert again.store().evidence == plain.evidence


def test_invalid_data_raises_the_same_error_through_the_child(mini_copy, tmp_path):
    path = mini_copy / "data" / "organizations" / "alpha.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("tradition:", "tradition: nowhere\nx_tradition:", 1),
                    encoding="utf-8")
    with pytest.raises(DataError) as plain:
        load_store(mini_copy / "data", mini_copy / "seeds")
    loading = begin_load(*_args(mini_copy, tmp_path / "cache"))
    with pytest.raises(DataError) as ahead:
        loading.store()
    assert loading.ahead
    assert [i.format() for i in ahead.value.issues] == [i.format() for i in plain.value.issues]
    assert ahead.value.inputs == plain.value.inputs  # live reload watches what the failed load read
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())  # nothing cached


def test_a_failing_child_costs_only_time(mini_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_mod, "_load_child", lambda fd, *_: os.close(fd))  # dies without an answer
    plain = load_store(mini_copy / "data", mini_copy / "seeds")
    loading = begin_load(*_args(mini_copy, tmp_path / "cache"))
    assert loading._child is not None
    assert loading.store().evidence == plain.evidence and not loading.ahead


def test_no_cache_folder_or_no_fork_loads_here(mini_copy, monkeypatch):
    from dashboard.data import parallel

    assert begin_load(*_args(mini_copy, None))._child is None
    monkeypatch.setattr(parallel, "can_fork", lambda: False)
    loading = begin_load(*_args(mini_copy, mini_copy / "cache"))
    assert loading._child is None and loading.store().evidence


def test_the_load_ahead_still_reads_and_proves_on_two_cores(mini_copy, tmp_path, monkeypatch):
    """The forked loader may start processes of its own (it is no daemon: multiprocessing
    forbids a daemon that): at scale it reads the YAML and finds the quotes on both cores."""
    from dashboard.data import parallel

    said = tmp_path / "child-can-fork"
    real = cache_mod._validate

    def validate(*a, **k):  # type: ignore[no-untyped-def]
        said.write_text(str(parallel.can_fork()))  # asked in the forked loader itself
        return real(*a, **k)

    monkeypatch.setattr(cache_mod, "_validate", validate)
    loading = begin_load(*_args(mini_copy, tmp_path / "cache"))
    assert loading.store().evidence and loading.ahead
    assert said.read_text() == "True"


def test_a_daemonic_process_does_not_fork():
    import multiprocessing

    from dashboard.data import parallel

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=lambda: send.send(parallel.can_fork()), daemon=True)
    child.start()
    assert receive.recv() is False
    child.join(5)


def test_a_server_that_fails_before_asking_for_the_store_still_exits(tmp_path):
    """If the server fails after the load was begun and before it reads the store, the loader,
    writing into a pipe nobody reads, must not keep the process from exiting (multiprocessing
    waits for its children at exit): the pipe is closed at exit and the loader stops."""
    import subprocess
    import sys

    from ..conftest import ROOT

    # the bundled data: its pickle is larger than a pipe holds, so the loader would block on it
    code = (f"from dashboard.data.cache import begin_load\n"
            f"begin_load({str(ROOT / 'data')!r}, {str(ROOT / 'seeds')!r}, 50_000_000, "
            f"{str(tmp_path / 'cache')!r})\n"
            f"raise SystemExit('the app failed to build')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, cwd=ROOT)
    assert out.returncode == 1 and "the app failed to build" in out.stderr


def test_abandoning_a_load_stops_its_loader(mini_copy, tmp_path):
    loading = begin_load(*_args(mini_copy, tmp_path / "cache"))
    loading.abandon()
    assert not loading._child.is_alive()
    loading.abandon()  # twice is nothing
