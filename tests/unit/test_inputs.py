"""The cache and live reload rest on exactly what the loader read (dashboard/data/inputs.py):
any change to a file it read, of any name, or to a setting, invalidates the cache and
triggers a reload; a file it did not read changes nothing; and `load_cached` always agrees
with `load_store` (the same store, or both refuse)."""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.data import DataError, load_store
from dashboard.data.cache import load_cached, still_valid
from dashboard.data.export import export_text
from dashboard.data.watch import Checker
from tests.support.paths import MINI, copy_tree

LIMIT = 2_000_000


def paths(root: Path) -> tuple[Path, Path]:
    return root / "data", root / "seeds"


def outcome(fn, *args):
    """What a load gives, comparably: the store's export, warnings and counts, or the problems."""
    try:
        store = fn(*args)
    except DataError as exc:
        return ("refused", tuple((i.file, i.line, i.message) for i in exc.issues))
    return ("store", export_text(store, "json"), store.warnings, tuple(sorted(store.counts().items())))


def rename_seed(root: Path, old: str, new: str) -> None:
    data, seeds = paths(root)
    (seeds / old).rename(seeds / new)
    src = data / "sources.yaml"
    if not src.is_file():  # an earlier edit removed it: the seed is renamed, nothing refers to it
        return
    src.write_text(src.read_text(encoding="utf-8").replace(f"file: {old}", f"file: {new}"), encoding="utf-8")


def files_read(root: Path, absolute: bool = False) -> list[str]:
    data, seeds = paths(root)
    return [p if absolute else str(Path(p).relative_to(root)) for p, *_ in load_store(data, seeds).inputs.files]


def test_the_loader_lists_what_it_read_and_only_that(mini_copy):
    data, seeds = paths(mini_copy)
    (seeds / "unused.txt").write_text("never named in sources.yaml", encoding="utf-8")
    store = load_store(data, seeds)
    assert sorted(files_read(mini_copy)) == sorted([
        "data/sources.yaml", "data/traditions.yaml", "data/topics.yaml", "data/corrections.yaml",
        "data/replies.yaml",  # looked for (the fixture has none): its appearing is a change
        "data/organizations/alpha.yaml", "data/organizations/beta.yaml", "seeds/alpha.txt", "seeds/beta.txt"])
    assert dict(store.inputs.settings) == {"max_file_bytes": LIMIT}
    assert still_valid(store.inputs, LIMIT)


def test_a_seed_of_any_name_is_proven_against_the_cache(mini_copy, tmp_path):
    """The case from issue 12: a source text named alpha.md, cached, then emptied."""
    data, seeds = paths(mini_copy)
    rename_seed(mini_copy, "alpha.txt", "alpha.md")
    cache = tmp_path / "cache"
    assert len(load_cached(data, seeds, LIMIT, cache).evidence) == 5
    (seeds / "alpha.md").write_text("", encoding="utf-8")
    with pytest.raises(DataError) as fresh:
        load_store(data, seeds, LIMIT)
    with pytest.raises(DataError) as cached:
        load_cached(data, seeds, LIMIT, cache)
    assert cached.value.issues == fresh.value.issues and len(fresh.value.issues) == 4


def _change(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"\n# changed\n" if path.suffix == ".yaml" else path.read_bytes() + b" ")


def _remove(path: Path) -> None:
    path.unlink()


def _rename(path: Path) -> None:
    path.rename(path.with_name("renamed-" + path.name))


@pytest.mark.parametrize("edit", [_change, _remove, _rename], ids=["change", "remove", "rename"])
@pytest.mark.parametrize("name", ["data/sources.yaml", "data/traditions.yaml", "data/topics.yaml",
                                  "data/corrections.yaml", "data/organizations/beta.yaml", "seeds/alpha.md",
                                  "seeds/beta.txt"])
def test_any_edit_of_a_file_read_invalidates_the_cache_and_reloads(mini_copy, tmp_path, name, edit):
    data, seeds = paths(mini_copy)
    rename_seed(mini_copy, "alpha.txt", "alpha.md")
    cache = tmp_path / "cache"
    store = load_cached(data, seeds, LIMIT, cache)
    checker = Checker(data, seeds, LIMIT, store.inputs)
    assert checker.poll() == ("unchanged", None)
    edit(mini_copy / name)
    assert not still_valid(store.inputs, LIMIT)
    assert checker.poll()[0] in ("loaded", "invalid")
    assert outcome(load_cached, data, seeds, LIMIT, cache) == outcome(load_store, data, seeds, LIMIT)


def test_adding_an_organization_file_invalidates_and_reloads(mini_copy, tmp_path):
    data, seeds = paths(mini_copy)
    store = load_cached(data, seeds, LIMIT, tmp_path / "cache")
    checker = Checker(data, seeds, LIMIT, store.inputs)
    shutil.copy(data / "organizations" / "beta.yaml", data / "organizations" / "gamma.yml")
    assert not still_valid(store.inputs, LIMIT)
    status, issues = checker.poll()
    assert status == "invalid" and any("gamma.yml" in i.file for i in issues)  # its id says beta


def test_adding_a_missing_optional_file_invalidates_and_reloads(mini_copy, tmp_path):
    data, seeds = paths(mini_copy)
    text = (data / "corrections.yaml").read_text(encoding="utf-8")
    (data / "corrections.yaml").unlink()
    store = load_cached(data, seeds, LIMIT, tmp_path / "cache")
    assert store.corrections == ()
    checker = Checker(data, seeds, LIMIT, store.inputs)
    (data / "corrections.yaml").write_text(text, encoding="utf-8")
    assert not still_valid(store.inputs, LIMIT)
    status, new = checker.poll()
    assert status == "loaded" and new.corrections
    assert load_cached(data, seeds, LIMIT, tmp_path / "cache").corrections == new.corrections


def test_a_file_the_loader_did_not_read_changes_nothing(mini_copy, tmp_path):
    data, seeds = paths(mini_copy)
    store = load_cached(data, seeds, LIMIT, tmp_path / "cache")
    checker = Checker(data, seeds, LIMIT, store.inputs)
    (seeds / "notes.md").write_text("an editor's notes", encoding="utf-8")
    (data / "README.txt").write_text("not data", encoding="utf-8")
    os.utime(data / "sources.yaml", (time.time() + 5, time.time() + 5))  # touched, not changed
    assert still_valid(store.inputs, LIMIT)
    assert checker.poll() == ("unchanged", None)


def test_a_setting_that_changes_validation_invalidates_and_reloads(mini_copy, tmp_path):
    data, seeds = paths(mini_copy)
    cache = tmp_path / "cache"
    store = load_cached(data, seeds, LIMIT, cache)
    small = 1000  # below topics.yaml's size, above the others'... every file is checked against it
    assert not still_valid(store.inputs, small)
    with pytest.raises(DataError):
        load_store(data, seeds, small)
    with pytest.raises(DataError):
        load_cached(data, seeds, small, cache)
    assert Checker(data, seeds, small, store.inputs).poll()[0] == "invalid"
    assert Checker(data, seeds, LIMIT + 1, store.inputs).poll()[0] == "loaded"


def test_a_link_moved_elsewhere_is_another_input(mini_copy, tmp_path):
    data, seeds = paths(mini_copy)
    (seeds / "real.txt").write_bytes((seeds / "alpha.txt").read_bytes())
    (seeds / "alpha.txt").unlink()
    (seeds / "alpha.txt").symlink_to(seeds / "real.txt")
    store = load_cached(data, seeds, LIMIT, tmp_path / "cache")
    outside = tmp_path / "outside.txt"
    outside.write_bytes((seeds / "real.txt").read_bytes())  # the same bytes, out of seeds/
    (seeds / "alpha.txt").unlink()
    (seeds / "alpha.txt").symlink_to(outside)
    assert not still_valid(store.inputs, LIMIT)
    assert outcome(load_cached, data, seeds, LIMIT, tmp_path / "cache")[0] == "refused"


# ---- the property: load_cached and load_store always agree ------------------------------------

FILES = ["data/sources.yaml", "data/topics.yaml", "data/traditions.yaml", "data/corrections.yaml",
         "data/organizations/alpha.yaml", "data/organizations/beta.yaml", "seeds/alpha.txt", "seeds/beta.txt"]
EDITS = st.one_of(
    st.tuples(st.just("truncate"), st.sampled_from(FILES), st.integers(0, 400)),
    st.tuples(st.just("append"), st.sampled_from(FILES), st.sampled_from(["\n", " x", "\n# note\n", "\0"])),
    st.tuples(st.just("replace"), st.sampled_from(FILES), st.sampled_from(["the", "state", "alpha", ":", "-"])),
    st.tuples(st.just("remove"), st.sampled_from(FILES), st.just(0)),
    st.tuples(st.just("rename-seed"), st.sampled_from(["alpha.txt", "beta.txt"]),
              st.sampled_from(["x.md", "y", "z.TXT", "w.yaml"])),
    st.tuples(st.just("limit"), st.just(""), st.sampled_from([300, 1000, LIMIT])),
    st.tuples(st.just("load"), st.just(""), st.just(0)),
)


def _apply(root: Path, edit: tuple) -> int | None:
    kind, name, arg = edit
    path = root / name
    if kind == "limit":
        return arg
    if kind == "load" or (kind != "rename-seed" and not path.is_file()):
        return None
    if kind == "truncate":
        path.write_bytes(path.read_bytes()[:arg])
    elif kind == "append":
        path.write_bytes(path.read_bytes() + arg.encode())
    elif kind == "replace":
        path.write_bytes(path.read_bytes().replace(arg.encode(), b"the " + arg.encode(), 1))
    elif kind == "remove":
        path.unlink()
    elif kind == "rename-seed" and (root / "seeds" / name).is_file():
        rename_seed(root, name, arg)
    return None


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_load_cached_always_agrees_with_load_store(edits):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "mini"
        copy_tree(MINI, root)
        data, seeds = paths(root)
        cache = Path(tmp) / "cache"
        limit = LIMIT
        outcome(load_cached, data, seeds, limit, cache)  # a cache of the data before the edits
        for edit in edits:
            limit = _apply(root, edit) or limit
            assert outcome(load_cached, data, seeds, limit, cache) == outcome(load_store, data, seeds, limit), edit


# ---- the fast check: a file's times vouch for its bytes only when they can --------------------

@pytest.fixture
def settled(monkeypatch):
    """Loads that begin a minute from now: every file then counts as untouched well before the
    load began, so that the cache notes every file's stat_key (as at a real server's start)."""
    from dashboard.data import cache as cache_module

    monkeypatch.setattr(cache_module, "now_ns", lambda: time.time_ns() + 60_000_000_000)


def _reads(monkeypatch) -> list[str]:
    from dashboard.data import inputs as inputs_module

    seen, real = [], inputs_module.read_file
    monkeypatch.setattr(inputs_module, "read_file", lambda path, limit: seen.append(str(path)) or real(path, limit))
    return seen


def test_the_cache_reads_no_file_its_times_vouch_for(mini_copy, tmp_path, settled, monkeypatch):
    data, seeds = paths(mini_copy)
    first = load_cached(data, seeds, LIMIT, tmp_path / "cache")
    reads = _reads(monkeypatch)
    again = load_cached(data, seeds, LIMIT, tmp_path / "cache")
    # nothing hashed: every file's size, times, inode are as noted (a file looked for and absent,
    # data/replies.yaml here, is only looked for again: there is nothing to hash)
    assert [r for r in reads if os.path.exists(r)] == []
    assert export_text(again, "json") == export_text(first, "json")


def test_a_file_changed_just_before_the_load_is_hashed_at_every_start(mini_copy, tmp_path, monkeypatch):
    data, seeds = paths(mini_copy)  # just copied: its times cannot vouch for its bytes
    load_cached(data, seeds, LIMIT, tmp_path / "cache")
    reads = _reads(monkeypatch)
    load_cached(data, seeds, LIMIT, tmp_path / "cache")
    assert sorted(reads) == sorted(files_read(mini_copy, absolute=True))


def test_an_edit_keeping_size_and_modification_time_is_still_seen(mini_copy, tmp_path, settled):
    data, seeds = paths(mini_copy)
    load_cached(data, seeds, LIMIT, tmp_path / "cache")
    time.sleep(0.05)  # past the file system's clock tick
    seed = seeds / "beta.txt"
    before = os.stat(seed)
    raw = seed.read_bytes()
    seed.write_bytes(raw.replace(b"e", b"o", 1))  # the same size
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same modification time
    assert os.stat(seed).st_size == before.st_size and os.stat(seed).st_mtime_ns == before.st_mtime_ns
    fresh = outcome(load_store, data, seeds, LIMIT)
    assert outcome(load_cached, data, seeds, LIMIT, tmp_path / "cache") == fresh
    if fresh[0] == "store":  # the text served is the edited one, not the cached one
        texts = load_cached(data, seeds, LIMIT, tmp_path / "cache").source_texts.values()
        assert raw.replace(b"e", b"o", 1).decode() in texts and raw.decode() not in texts


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=4))
def test_load_cached_with_the_fast_check_always_agrees_with_load_store(edits):
    from unittest import mock

    from dashboard.data import cache as cache_module

    with tempfile.TemporaryDirectory() as tmp, \
            mock.patch.object(cache_module, "now_ns", lambda: time.time_ns() + 60_000_000_000):
        root = Path(tmp) / "mini"
        copy_tree(MINI, root)
        data, seeds = paths(root)
        cache = Path(tmp) / "cache"
        limit = LIMIT
        outcome(load_cached, data, seeds, limit, cache)  # a cache noting every file's stat_key
        for edit in edits:
            time.sleep(0.01)
            limit = _apply(root, edit) or limit
            assert outcome(load_cached, data, seeds, limit, cache) == outcome(load_store, data, seeds, limit), edit
