"""Each check of dashboard/data/checks.py alone: a record, what is known, and the report."""
from __future__ import annotations

from pathlib import Path

from dashboard.data.checks import Known, Report, check_quote, check_topic, check_tradition
from dashboard.data.models import Quote, Topic, Tradition
from dashboard.data.yamlfile import read_yaml


def yaml_file(tmp_path: Path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    yf, errs = read_yaml(path, "x.yaml")
    assert not errs
    return yf


def test_a_tradition_that_is_its_own_ancestor_is_reported_at_its_parent(tmp_path):
    yf = yaml_file(tmp_path, "traditions:\n  - id: a\n    parent: b\n  - id: b\n    parent: a\n")
    a = Tradition(id="a", name="A", description="d", parent="b")
    b = Tradition(id="b", name="B", description="d", parent="a")
    known = Known(traditions={"a": (a, yf, ("traditions", 0)), "b": (b, yf, ("traditions", 1))})
    report = Report()
    check_tradition(a, yf, ("traditions", 0), known, report)
    assert [(i.line, i.message) for i in report.issues] == [(3, "tradition 'a' is its own ancestor")]


def test_an_unknown_parent_names_the_known_ones(tmp_path):
    yf = yaml_file(tmp_path, "traditions:\n  - id: a\n    parent: zz\n")
    a = Tradition(id="a", name="A", description="d", parent="zz")
    report = Report()
    check_tradition(a, yf, ("traditions", 0), Known(traditions={"a": (a, yf, ("traditions", 0))}), report)
    assert [(i.line, i.message, i.hint) for i in report.issues] == [(3, "unknown parent tradition 'zz'", "known: a")]


def test_a_topic_with_a_duplicate_position(tmp_path):
    yf = yaml_file(tmp_path, "topics:\n  - id: t\n    positions:\n      - id: p\n      - id: p\n")
    pos = {"id": "p", "label": "P", "definition": "d", "terms": ["p"]}
    t = Topic(id="t", name="T", question="q?", positions=[pos, pos])
    known, report = Known(), Report()
    check_topic(t, yf, ("topics", 0), known, report)
    assert [(i.line, i.message) for i in report.issues] == [(5, "duplicate position 'p' in topic 't'")]
    assert known.positions == {"t": {"p"}}


def test_a_quote_of_an_unknown_source_in_a_counter_view_in_its_own_words(tmp_path):
    yf = yaml_file(tmp_path, "stances:\n  - quotes:\n      - text: abc\n        source: s\n        attribution: self\n")
    q = Quote(text="abc", source="s", speaker="Someone", attribution="self")
    report = Report()
    ev = check_quote(q, yf, ("stances", 0, "quotes", 0), "org", "t", "p", "counter", "summary", Known(), report)
    assert ev is None
    assert [i.message for i in report.issues] == [
        "unknown source 's'", "a counter view holds critics' or observers' words, not 'self'"]
