"""The loader and validator: valid data loads; every error kind is reported with file:line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.data import DataError, load_store
from tests.support.editing import edit, errors, line_of, load


def test_fixture_data_loads(mini_store):
    assert mini_store.counts() == {"organizations": 2, "topics": 2, "traditions": 2, "stances": 3,
                                   "quotes": 5, "sources": 2, "shared passages": 0}
    st = mini_store.stances[("alpha", "elections")]
    assert st.contested and st.counters[0].position == "faction"
    assert not mini_store.stances[("alpha", "states")].contested


def test_quote_offsets_are_recorded(mini_store):
    ev = next(e for e in mini_store.evidence if e.organization == "beta" and e.attribution == "critic")
    text = mini_store.source_texts[ev.source]
    assert text[ev.start:ev.end].startswith("The Beta Party, by contrast")
    assert "social-\nist" in text[ev.start:ev.end]


def test_quote_date_defaults_to_source_date(mini_store):
    ev = next(e for e in mini_store.evidence if e.source == "beta-reply")
    assert ev.date == "2020-04"


def test_altered_quote_is_refused_with_file_line_and_closest_passage(mini_copy):
    org = mini_copy / "data/organizations/alpha.yaml"
    edit(org, "class societies run by a bureaucracy.", "class societies run by the bureaucracy.")
    errs = errors(mini_copy)
    assert len(errs) == 1
    line = line_of(org, "class societies run by the bureaucracy")
    assert errs[0].startswith(f"data/organizations/alpha.yaml:{line}: quote not found verbatim") or \
        f"alpha.yaml:{line}: quote not found verbatim" in errs[0]
    assert "closest passage" in errs[0] and '"the"' in errs[0]


def test_yaml_syntax_error_names_file_and_line(mini_copy):
    org = mini_copy / "data/organizations/beta.yaml"
    edit(org, "name: Beta Party", "name: [Beta Party")
    errs = errors(mini_copy)
    assert any(re.search(r"beta\.yaml:\d+: YAML syntax error", e) for e in errs)


def test_all_errors_are_reported_in_one_run(mini_copy):
    alpha = mini_copy / "data/organizations/alpha.yaml"
    beta = mini_copy / "data/organizations/beta.yaml"
    edit(alpha, "tradition: third-camp", "tradition: no-such-tradition")
    edit(alpha, "position: class-society", "position: no-such-position")
    edit(beta, "source: beta-reply", "source: no-such-source")
    edit(beta, "attribution: critic", "atribution: critic")
    errs = errors(mini_copy)
    joined = "\n".join(errs)
    assert f"alpha.yaml:{line_of(alpha, 'no-such-tradition')}: unknown tradition 'no-such-tradition'" in joined
    assert f"alpha.yaml:{line_of(alpha, 'no-such-position')}: unknown position for topic 'states'" in joined
    assert f"beta.yaml:{line_of(beta, 'no-such-source')}: unknown source 'no-such-source'" in joined
    assert f"beta.yaml:{line_of(beta, 'atribution')}: unknown field 'atribution'" in joined
    assert "'attribution' is required" in joined


@pytest.mark.parametrize("old,new,message", [
    ("speaker: Alpha League\n        speaker_org: alpha\n        attribution: self\n  - topic: elections",
     "speaker: Alpha League\n        speaker_org: alpha\n        attribution: selff\n  - topic: elections",
     "attribution' input should be 'self', 'critic' or 'observer'"),
    ("id: alpha\n", "id: Alpha League\n", "must be a kebab-case id"),
    ("    summary: The Alpha League does not support the Democrats.\n", "", "'summary' is required"),
    ("value: \"2020\"", "value: \"2020\"\n    organization: gamma", "unknown organization 'gamma'"),
    ("            attribution: critic", "            attribution: self",
     "a counter view holds critics' or observers' words"),
    ("      - position: faction", "      - position: independent", "a counter view must differ"),
    ("- topic: elections", "- topic: states", "a second stance on topic 'states'"),
    ("- topic: elections", "- topic: war", "unknown topic 'war'"),
    ("        speaker_org: beta\n            attribution: critic", "        speaker_org: alpha\n            attribution: critic",
     "the speaker speaks for 'alpha' itself, so attribution is 'self'"),
])
def test_each_error_kind_in_organization_files(mini_copy, old, new, message):
    org = mini_copy / "data/organizations/alpha.yaml"
    edit(org, old, new)
    errs = errors(mini_copy)
    assert any(message in e for e in errs), errs
    assert all(re.match(r"data/organizations/alpha\.yaml:\d+: |.*alpha\.yaml:\d+: ", e) for e in errs), errs


def test_counter_view_needs_own_words(mini_copy):
    org = mini_copy / "data/organizations/alpha.yaml"
    edit(org, "attribution: self\n    counter:", "attribution: observer\n    counter:")
    edit(org, "        speaker: Alpha League\n        speaker_org: alpha\n        attribution: observer",
         "        speaker: A blogger\n        attribution: observer")
    errs = errors(mini_copy)
    assert any("must rest on the organization's own words" in e for e in errs), errs


@pytest.mark.parametrize("old,new,message", [
    ("date: 2020-03-01", "date: 2020-13-01", "a date is written YYYY, YYYY-MM or YYYY-MM-DD"),
    ("file: alpha.txt", "file: ../../etc/passwd", "is outside the seeds folder"),
    ("file: alpha.txt", "file: /etc/passwd", "is outside the seeds folder"),
    ("file: alpha.txt", "file: missing.txt", "does not exist"),
    ("id: beta-reply", "id: alpha-statement", "duplicate source id 'alpha-statement'"),
    ("kind: polemic", "kind: polemic\n    colour: red", "unknown field 'colour'"),
])
def test_each_error_kind_in_sources(mini_copy, old, new, message):
    src = mini_copy / "data/sources.yaml"
    edit(src, old, new)
    errs = errors(mini_copy)
    assert any(message in e and re.match(r".*sources\.yaml:\d+: ", e) for e in errs), errs


def test_unknown_parent_tradition_and_duplicate_position(mini_copy):
    edit(mini_copy / "data/traditions.yaml", "parent: third-camp", "parent: fourth-camp")
    edit(mini_copy / "data/topics.yaml", "id: workers-state", "id: class-society")
    errs = errors(mini_copy)
    assert any("traditions.yaml:" in e and "unknown parent tradition 'fourth-camp'" in e for e in errs)
    assert any("topics.yaml:" in e and "duplicate position 'class-society'" in e for e in errs)


def test_file_name_must_match_id(mini_copy):
    (mini_copy / "data/organizations/beta.yaml").rename(mini_copy / "data/organizations/gamma.yaml")
    errs = errors(mini_copy)
    assert any("differs from the file name 'gamma.yaml'" in e for e in errs)


def test_duplicate_keys_and_aliases_are_refused(mini_copy):
    org = mini_copy / "data/organizations/beta.yaml"
    edit(org, "name: Beta Party", "name: Beta Party\nname: Beta Again")
    src = mini_copy / "data/traditions.yaml"
    edit(src, "description: Neither Washington nor Moscow.", "description: &d Neither Washington nor Moscow.")
    edit(src, "description: Defends the socialist states.", "description: *d")
    errs = errors(mini_copy)
    assert any("beta.yaml:3: duplicate key 'name'" in e for e in errs), errs
    assert any("traditions.yaml:" in e and "aliases" in e for e in errs), errs


@pytest.mark.parametrize("text", [  # what data files are written in (the hard cases of the reader that was removed)
    "a: 1\nb: true\nc: null\nd: ~\ng: yes\nh: Off\n",
    "s:\n- topic: t\n  quotes:\n  - text: Hello there.\n    states: true\n  reading: r\n- topic: u\n",
    "k: >-\n  one line\n  and the next\n\n  a paragraph\nn: 1\n",
    "k: |\n  kept\n    indented\n\n  lines\nm: |-\n  stripped\n",
    "q: 'it''s: fine'\nd: \"say \\\"hi\\\" \\\\ there\\n\"\n",
    "l: [a, b c, 'd e']\nx: []\nm: {}\n# a comment\nb: x#y\n",
    "u: caf\u00e9 \u201cquoted\u201d \u2014 dash\n",
])
def test_the_reader_gives_pyyamls_values_with_dates_as_written(tmp_path, text):
    import yaml

    from dashboard.data.yamlfile import read_yaml

    path = tmp_path / "x.yaml"
    path.write_text(text + "e: 2017-04-03\nf: 2017-04\n", encoding="utf-8")
    yf, issues = read_yaml(path, "x.yaml")
    assert not issues
    assert yf.data == {**yaml.safe_load(text), "e": "2017-04-03", "f": "2017-04"}
    assert yf.line_of(("e",)) == text.count("\n") + 1


def test_non_utf8_and_oversized_files_are_refused(mini_copy):
    (mini_copy / "data/organizations/beta.yaml").write_bytes(b"id: beta\nname: B\xe9ta\n")
    errs = errors(mini_copy)
    assert any("beta.yaml:2: the file is not valid UTF-8" in e for e in errs), errs
    errs = errors(mini_copy, max_file_bytes=100)
    assert any("over the limit of 100" in e for e in errs), errs


def test_missing_folders_give_a_hint(tmp_path):
    with pytest.raises(DataError) as exc:
        load_store(tmp_path / "nope", tmp_path)
    assert "--data" in exc.value.issues[0].format()


def test_an_organization_validated_at_once_equals_it_validated_part_by_part(tmp_path):
    """The loader validates a whole organization file in one call, and part by part only when
    that fails: on the bundled data and on generated data the two give equal models."""
    import subprocess
    import sys

    from dashboard.data.loader import _parse_organization, _parse_organization_parts
    from dashboard.data.yamlfile import read_yaml

    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, str(root / "benchmarks" / "generate.py"), "--orgs", "5", "--topics", "4",
                    "--quotes", "100", "--sources", "6", "--out", str(tmp_path)], check=True, capture_output=True)
    files = sorted((root / "data" / "organizations").glob("*.yaml")) + sorted(
        (tmp_path / "data" / "organizations").glob("*.yaml"))
    assert len(files) >= 25
    for path in files:
        yf, errs = read_yaml(path, path.name)
        assert not errs
        issues: list = []
        whole = _parse_organization(yf, issues, set())
        parts = _parse_organization_parts(yf, yf.data, issues)
        assert whole is not None and whole == parts and not issues, path.name
        assert whole.model_dump() == parts.model_dump()
