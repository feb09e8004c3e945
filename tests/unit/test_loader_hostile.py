"""Hostile data files: the loader refuses each with a clear file:line error, never a crash."""
from __future__ import annotations

import os
import time

import pytest

from dashboard.cli import main
from dashboard.data import load_store
from tests.support.paths import HOSTILE
from tests.support.editing import edit, errors



def has(errs: list[str], *parts: str) -> bool:
    return any(all(p in e for p in parts) for e in errs)


def test_hostile_fixture_validates_and_is_the_generators_output(capsys):
    assert main(["validate", "--data", str(HOSTILE / "data"), "--seeds", str(HOSTILE / "seeds")]) == 0
    import importlib.util

    spec = importlib.util.spec_from_file_location("hostile_generate", HOSTILE / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for rel, text in gen.files().items():
        assert (HOSTILE / rel).read_text(encoding="utf-8") == text, f"{rel}: run tests/fixtures/hostile/generate.py"
    assert 95_000 <= len(gen.BIG_SUMMARY) <= 110_000 and len(gen.LONG_WORD) == 5000


def test_billion_laughs_is_refused_at_once_at_the_first_anchor(mini_copy):
    levels = ['traditions:', '  - id: lol', '    name: x', '    description: &a ["lol","lol","lol","lol","lol"]']
    for i in range(1, 10):  # 5**10 strings if it were expanded
        levels.append(f"    d{i}: &{'a' * (i + 1)} [" + ", ".join([f"*{'a' * i}"] * 5) + "]")
    (mini_copy / "data/traditions.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    start = time.perf_counter()
    errs = errors(mini_copy)
    assert time.perf_counter() - start < 2
    assert has(errs, "traditions.yaml:4: YAML aliases and anchors (&, *) are not allowed"), errs
    assert sum("aliases" in e for e in errs) == 1  # one clear message, not one per alias


def test_alias_alone_is_refused_at_its_line(mini_copy):
    org = mini_copy / "data/organizations/beta.yaml"
    edit(org, "name: Beta Party", "name: *undefined")
    errs = errors(mini_copy)
    assert has(errs, "beta.yaml:2:") and (has(errs, "aliases") or has(errs, "YAML syntax error")), errs


def test_duplicate_key_deep_in_a_quote_names_its_line(mini_copy):
    org = mini_copy / "data/organizations/alpha.yaml"
    edit(org, "        attribution: self\n", "        attribution: self\n        attribution: critic\n")
    errs = errors(mini_copy)
    line = next(n for n, text in enumerate(org.read_text().splitlines(), 1) if "attribution: critic" in text)
    assert has(errs, f"alpha.yaml:{line}: duplicate key 'attribution' (first at line {line - 1})"), errs


def test_non_utf8_source_text_is_refused_at_its_sources_entry(mini_copy):
    (mini_copy / "seeds/beta.txt").write_bytes("Beta r\u00e9plique".encode("latin-1"))
    errs = errors(mini_copy)
    line = next(n for n, t in enumerate((mini_copy / "data/sources.yaml").read_text().splitlines(), 1)
                if "file: beta.txt" in t)
    assert has(errs, f"sources.yaml:{line}: the file 'beta.txt' is not valid UTF-8 (byte 6)"), errs


def test_size_limit_from_config_applies_to_data_files_and_source_texts(mini_copy, tmp_path, capsys):
    config = tmp_path / "config.yaml"
    config.write_text("max_file_bytes: 300\n", encoding="utf-8")
    code = main(["validate", "--config", str(config), "--data", str(mini_copy / "data"),
                 "--seeds", str(mini_copy / "seeds")])
    err = capsys.readouterr().err
    assert code == 1
    size = (mini_copy / "data/organizations/alpha.yaml").stat().st_size
    assert f"alpha.yaml: the file is {size:,} bytes, over the limit of 300" in err, err
    assert "Traceback" not in err
    # source texts may be ten times larger; beyond that they are refused, unread
    (mini_copy / "seeds/beta.txt").write_text("x" * 4501, encoding="utf-8")
    errs = errors(mini_copy, max_file_bytes=450)  # sources.yaml (406 bytes) passes
    assert has(errs, "sources.yaml:17: the file 'beta.txt' is 4,501 bytes, over the limit of 4,500"), errs


@pytest.mark.parametrize("file_value", ["../../etc/passwd", "/etc/passwd", "sub/../../alpha.txt"])
def test_source_path_outside_seeds_is_refused(mini_copy, file_value):
    edit(mini_copy / "data/sources.yaml", "file: beta.txt", f"file: {file_value}")
    errs = errors(mini_copy)
    assert has(errs, "sources.yaml:17:", f"the file '{file_value}' is outside the seeds folder"), errs


def test_symlinks_out_of_seeds_and_loops_are_refused_links_inside_are_fine(mini_copy, tmp_path):
    seeds = mini_copy / "seeds"
    outside = tmp_path / "secret.txt"
    outside.write_bytes((seeds / "beta.txt").read_bytes())
    (seeds / "beta.txt").unlink()
    os.symlink(outside, seeds / "beta.txt")
    errs = errors(mini_copy)
    assert has(errs, "sources.yaml:17:", "the file 'beta.txt' is outside the seeds folder"), errs

    (seeds / "beta.txt").unlink()
    os.symlink("loop-b.txt", seeds / "loop-a.txt")
    os.symlink("loop-a.txt", seeds / "loop-b.txt")
    edit(mini_copy / "data/sources.yaml", "file: beta.txt", "file: loop-a.txt")
    errs = errors(mini_copy)
    assert has(errs, "sources.yaml:17:", "the file 'loop-a.txt' is outside the seeds folder"), errs

    (seeds / "real").mkdir()
    (seeds / "real/beta.txt").write_bytes(outside.read_bytes())
    os.symlink("real/beta.txt", seeds / "inside.txt")
    edit(mini_copy / "data/sources.yaml", "file: loop-a.txt", "file: inside.txt")
    assert load_store(mini_copy / "data", seeds).counts()["sources"] == 2


def test_data_file_linking_out_of_the_data_folder_is_refused(mini_copy, tmp_path):
    org_dir = mini_copy / "data/organizations"
    target = tmp_path / "elsewhere.yaml"
    target.write_bytes((org_dir / "beta.yaml").read_bytes())
    (org_dir / "beta.yaml").unlink()
    os.symlink(target, org_dir / "beta.yaml")
    errs = errors(mini_copy)
    assert has(errs, "beta.yaml: the file is a link leading out of the data folder"), errs


@pytest.mark.parametrize("text, message", [
    ("traditions: !!python/object/apply:os.system ['true']\n", "YAML tags such as"),
    ("traditions: !!binary aGVsbG8=\n", "YAML tags such as"),
    ("traditions:\n  - " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than 40 levels deep"),
    ("traditions:\n  - {a: " * 1 + "{b: " * 60 + "1" + "}" * 61 + "\n", "nested more than 40 levels deep"),
])
def test_tags_and_deep_nesting_are_refused_without_crashing(mini_copy, text, message):
    # 100,000 nested lists would crash libyaml's composer (a segmentation fault) if it were built
    (mini_copy / "data/traditions.yaml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    errs = errors(mini_copy)
    assert time.perf_counter() - start < 3
    assert has(errs, "traditions.yaml:", message), errs


def test_a_folder_named_like_a_data_file_is_an_error_not_a_crash(mini_copy):
    (mini_copy / "data/organizations/gamma.yaml").mkdir()
    errs = errors(mini_copy)
    assert has(errs, "gamma.yaml: cannot read the file"), errs


def test_a_quote_matching_several_places_is_a_warning_and_the_first_is_highlighted(mini_copy):
    # Ambiguity only matters for highlighting: the words are proved either way. The loader keeps
    # the first place, records how many there are, and says so in a warning (file:line).
    seed = mini_copy / "seeds/alpha.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nAgain: We do not support the Democrats.\n",
                    encoding="utf-8")
    store = load_store(mini_copy / "data", mini_copy / "seeds")
    ev = next(e for e in store.evidence if e.text == "We do not support the Democrats.")
    assert ev.occurrences == 2
    assert store.source_texts["alpha-statement"][ev.start:ev.end] == ev.text
    assert ev.start < store.source_texts["alpha-statement"].index("Again:")
    assert any("alpha.yaml:" in w and "occurs 2 times in 'alpha-statement'" in w for w in store.warnings)
