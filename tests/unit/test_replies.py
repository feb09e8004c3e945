"""Replies (data/replies.yaml, dashboard/data/replies.py): loaded and checked like any record."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from dashboard.data import load_store
from dashboard.data.errors import DataError
from dashboard.data.replies import correction_key

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "replies"


@pytest.fixture
def replies_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "replies"
    shutil.copytree(FIXTURE, dest)
    return dest


def load(root: Path):
    return load_store(root / "data", root / "seeds")


def rewrite(root: Path, change) -> None:
    path = root / "data" / "replies.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc["replies"])
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as exc:
        load(root)
    return [f"{i.file}:{i.line}: {i.message}" for i in exc.value.issues]


def test_the_fixtures_replies_load_beside_their_stances():
    store = load(FIXTURE)
    assert [(r.organization, r.topic, r.answer) for r in store.replies] == \
        [("alpha", "states", "kept"), ("alpha", "elections", "corrected")]
    assert store.replies_to("alpha", "states")[0].quotes[0].text.startswith("That is right")
    assert store.replies_to("beta", "states") == ()
    corrected = store.replies_to("alpha", "elections")[0]
    assert corrected.correction in {correction_key(c) for c in store.corrections_for("alpha", "elections")}
    assert len({r.key for r in store.replies}) == 2


def test_no_replies_file_is_no_replies(mini_store):
    assert mini_store.replies == ()


@pytest.mark.parametrize("change, message", [
    (lambda rs: rs[0].update(topic="elections", organization="beta"), "a reply to no stance: beta has no stance"),
    (lambda rs: rs[0].update(organization="gamma"), "unknown organization 'gamma'"),
    (lambda rs: rs[0].update(source="no-such-source"), "unknown source 'no-such-source'"),
    (lambda rs: rs[0]["quotes"][0].update(text="That is right, and we stand by it: the bureaucracy rules."),
     "quote not found verbatim in source 'alpha-letter-to-the-editors'"),
    (lambda rs: rs[0].pop("reason"), "answered 'kept' says why"),
    (lambda rs: rs[1].update(correction="c-0000000000"), "no correction 'c-0000000000' in corrections.yaml"),
    (lambda rs: rs[1].pop("correction"), "answered 'corrected' names its correction"),
    (lambda rs: rs[1].update(correction="c-d746f009b2"), "is of beta on states, not of this stance"),
    (lambda rs: rs[1].update(answer="ignored"), "answer"),
    (lambda rs: rs[1].update(date="2026-11"), "date"),
])
def test_a_bad_reply_is_an_error_at_its_line(replies_copy, change, message):
    rewrite(replies_copy, change)
    found = problems(replies_copy)
    assert any(message in p and "replies.yaml:" in p for p in found), found
