"""The fast YAML reader (data/fastyaml.py) against PyYAML, its reference: on every data file
of the project, on generated data, on documents of every shape PyYAML writes, on documents
pieced together from awkward lines (where PyYAML may refuse them), and on the hard cases.
Whatever it reads, it reads as PyYAML does; whatever PyYAML refuses, it refuses."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from dashboard.data import fastyaml
from dashboard.data.fastyaml import Unsupported, _reference

ROOT = Path(__file__).resolve().parents[2]


def outcome(reader, text: str):
    try:
        return ("value", reader(text))
    except (Unsupported, yaml.YAMLError):
        return ("refused", None)


def agrees(text: str) -> bool:
    """True when the fast reader read the text (and so must agree); False when it left it."""
    fast = outcome(fastyaml.read, text)
    if fast[0] == "refused":
        return False
    ref = outcome(_reference, text)
    assert ref[0] == "value", f"PyYAML refuses what the fast reader read:\n{text}"
    assert fast[1] == ref[1] and type(fast[1]) is type(ref[1]), text
    return True


def test_every_data_file_of_the_project_reads_as_pyyaml_reads_it():
    files = sorted((ROOT / "data").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
    read = [f for f in files if agrees(f.read_text(encoding="utf-8"))]
    bundled = [f for f in files if f.is_relative_to(ROOT / "data")]
    assert len([f for f in read if f in bundled]) >= 0.75 * len(bundled)  # the real data takes the fast path


def test_generated_data_reads_as_pyyaml_reads_it(tmp_path):
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--orgs", "6", "--topics", "4",
                    "--quotes", "120", "--sources", "8", "--out", str(tmp_path)], check=True, capture_output=True)
    files = sorted((tmp_path / "data").rglob("*.yaml"))
    assert files and all(agrees(f.read_text(encoding="utf-8")) for f in files)


@pytest.mark.parametrize("text", [
    "a: 1\nb: true\nc: null\nd: ~\ne: 2017-04-03\nf: 2017-04\ng: yes\nh: Off\n",
    "a:\n- x\n- y\nb:\n  - z\n",
    "s:\n- topic: t\n  quotes:\n  - text: Hello there.\n    states: true\n  reading: r\n- topic: u\n",
    "k: >-\n  one line\n  and the next\n\n  a paragraph\nn: 1\n",
    "k: >\n  folded\n  text\n\n\nn: 1\n",
    "k: |\n  kept\n    indented\n\n  lines\nm: |-\n  stripped\n",
    "- a: >-\n    in a sequence\n  b: 2\n",
    "q: 'it''s: fine'\nd: \"say \\\"hi\\\" \\\\ there\\n\"\n",
    "l: [a, b c, 'd e', \"f\\\"g\"]\ne: []\nm: {}\n",
    "t: [\"state capitalism\", \"state capitalist\"]\n",
    "# a comment\na: 1  \n\n# another\nb: x#y\n",
    "u: caf\u00e9 \u201cquoted\u201d \u2014 dash\n",
    "a:\n  b:\n    c:\n      - 1\n      - 2\n",
])
def test_what_data_files_use_is_read_fast(text):
    assert agrees(text)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                  # anchors and aliases: refused by the careful reader
    "a: !!python/object:os.system x\n",  # tags
    "a: 1\na: 2\n",                      # duplicate keys: reported with their lines
    "a: one\n  continued\n",             # a plain value over two lines
    "a: 'one\n  continued'\n",
    "a: [x,\n  y]\n",
    "a: 1.5\nb: 0x1F\nc: 1_000\nd: 012\n",  # numbers PyYAML constructs its own way
    "on: 1\n",                           # a key PyYAML reads as a boolean
    "a:\tb\n",                           # tabs
    "a: b: c\n",                         # an error
    "a: b # a comment\n",
    "- - x\n",
    "a: 1\n b: 2\n",                     # a stray indentation: an error
    "a: >+\n  keep\n",
    "a: >2\n   x\n",
    "a: >-\n    x\n  y\n",               # less indented inside a block: an error
    "a: \"\\u00e9\"\n",                  # escapes other than \" \\ \/ \n \t
    "---\na: 1\n",
    "a: 1\n...\n",
    "\u00ef\u00bb\u00bfa: 1\n",
    "a: x\u2028y\n",
    "a: [x, y,]\n",
    "a: [x: 1]\n",
    "",
    "# only a comment\n",
    "a\n",
    "- x\nb: 1\n",
])
def test_what_data_files_should_not_hold_is_left_to_pyyaml(text):
    assert not agrees(text)


KEYS = st.sampled_from(["id", "name", "text", "quotes", "a_b", "stances", "x1", "on", "null", "yes", "N"])
WORDS = st.sampled_from(["word", "two words", ": ", " #", "#", "'", '"', "\\", "\n", "\n\n", "-", "- ", "[", "]",
                         ",", "&", "*", "!", "|", ">", "\u00e9", "\u2014", " ", "  ", "~", "null", "yes", "No",
                         "1", "0.5", "-3", "2020-01-01", "0x1F", "1_000", "?", "%", "@", "`", "{", "}", "\t", "=",
                         "<<", "\u2028", "\x85", "\ufeff"])
SCALARS = st.one_of(st.lists(WORDS, max_size=6).map("".join), st.integers(-5, 5), st.booleans(), st.none())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(KEYS, VALUES, min_size=1, max_size=5), width=st.sampled_from([20, 60, 1000]),
       indent=st.sampled_from([2, 4]), flow=st.sampled_from([False, None]))
def test_documents_pyyaml_writes_read_the_same(value, width, indent, flow):
    text = yaml.safe_dump(value, allow_unicode=True, width=width, indent=indent, default_flow_style=flow,
                          sort_keys=False)
    if agrees(text):
        assert fastyaml.read(text) == yaml.safe_load(text)


LINES = st.sampled_from([
    "a: 1", "b:", "  - x", "- y", "  c: 'q''s'", "    d: >-", "      folded", "      more", "", "# note",
    "  # indented note", "e: [a, 'b c', \"d\"]", "  f: |", "    lit", "      deeper", "g: x: y", " h: 2",
    "- i: j", "  k: true", "  - - z", "l: \"e\\\"s\"", "m: &a 1", "n: *a", "a: 2", "o: one", "  two",
    "p: {}", "q: []", "r: >", "   s: t", "u: 'open", "  close'", "v: [w,", "  x]", "y: ~", "z: #c",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=12))
def test_documents_pieced_from_awkward_lines_are_read_as_pyyaml_reads_them_or_left_to_it(lines):
    text = "\n".join(lines) + "\n"
    agrees(text)  # equal when read; never reading what PyYAML refuses


def test_deep_nesting_is_left_to_the_careful_reader():
    from dashboard.data.yamlfile import MAX_DEPTH

    text = "".join("  " * d + f"k{d}:\n" for d in range(MAX_DEPTH + 2)) + "  " * (MAX_DEPTH + 2) + "leaf: 1\n"
    with pytest.raises(Unsupported):
        fastyaml.read(text)
    shallow = "".join("  " * d + f"k{d}:\n" for d in range(5)) + "  " * 5 + "leaf: 1\n"
    assert agrees(shallow)


MILD = st.sampled_from(["word", "two words", "caf\u00e9", "it's", 'say "x"', "a-b", "1917", "yes", "2020-01-01",
                        "x:y", "a#b", "[note]", "end.", "\u2014", "back\\slash"])
MILD_KEYS = st.sampled_from(["id", "name", "text", "quotes", "a_b", "stances", "x1"])
MILD_VALUES = st.recursive(st.one_of(st.lists(MILD, min_size=1, max_size=4).map(" ".join), st.integers(0, 9),
                                     st.booleans(), st.none()),
                           lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(MILD_KEYS, inner, max_size=4)),
                           max_leaves=25)
GOOD = st.sampled_from(["a: 1", "b:", "  - x", "  - y: z", "    w: 2", "c: 'q''s'", "d: >-", "  folded", "  more",
                        "", "# note", "e: [a, 'b c', \"d\"]", "f: |", "  lit", "g: \"e\\\"s\"", "h: two words",
                        "- i", "j: ~", "k: []", "l:", "- m: n", "  o: p"])


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(MILD_KEYS, MILD_VALUES, min_size=1, max_size=6), width=st.sampled_from([30, 1000]))
def test_data_like_documents_are_read_fast_and_the_same(value, width):
    text = yaml.safe_dump(value, allow_unicode=True, width=width, default_flow_style=False, sort_keys=False)
    agrees(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(GOOD, min_size=1, max_size=14))
def test_documents_pieced_from_data_like_lines_agree(lines):
    agrees("\n".join(lines) + "\n")
