"""`add-reply` (dashboard/curation/replies.py): a reply added to data/replies.yaml, checked and
atomic like add-source; on the replies fixture without its replies file."""
from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.curation import CurationError
from dashboard.curation.replies import add_reply
from dashboard.data import load_store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "replies"
KEPT = dict(organization="alpha", topic="states", source="alpha-letter-to-the-editors", date="2026-11-19",
            quotes=["That is right, and we stand by it: the bureaucracy ruled as a class."],
            speaker="The Alpha League", answer="kept", reason="The League confirms the stance.")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "replies"
    shutil.copytree(FIXTURE, dest)
    (dest / "data" / "replies.yaml").unlink()
    return dest


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_reply_is_added_and_the_data_stays_valid(root):
    out = io.StringIO()
    added = add_reply(root / "data", root / "seeds", out=out, **KEPT)
    assert added.line == 3 and "The data is valid with the reply." in out.getvalue()
    store = load_store(root / "data", root / "seeds")
    (reply,) = store.replies_to("alpha", "states")
    assert reply.quotes[0].text == KEPT["quotes"][0] and reply.reason == KEPT["reason"]
    add_reply(root / "data", root / "seeds", out=io.StringIO(),
              **{**KEPT, "topic": "elections", "answer": "corrected", "correction": "c-3847be3a64", "reason": None,
                 "quotes": ["We never said so."]})
    assert len(load_store(root / "data", root / "seeds").replies) == 2


@pytest.mark.parametrize("change, message", [
    ({"quotes": ["We never said that."]}, "quote not found verbatim"),
    ({"topic": "nothing"}, "a reply to no stance"),
    ({"source": "no-such-source"}, "unknown source"),
    ({"answer": "corrected", "reason": None, "correction": "c-d746f009b2"}, "not of this stance"),
    ({"answer": "corrected", "reason": None, "topic": "elections"}, "c-3847be3a64"),  # the stance's corrections, listed by key
    ({"reason": None}, "says why"),
    ({"date": "yesterday"}, "date"),
])
def test_a_reply_that_would_not_validate_writes_nothing(root, change, message):
    before = files(root)
    with pytest.raises(CurationError) as exc:
        add_reply(root / "data", root / "seeds", out=io.StringIO(), **{**KEPT, **change})
    assert message in str(exc.value)
    assert files(root) == before


def test_a_dry_run_writes_nothing(root):
    before = files(root)
    out = io.StringIO()
    assert add_reply(root / "data", root / "seeds", out=out, dry_run=True, **KEPT) is None
    assert "dry run: nothing was written" in out.getvalue() and "answer: kept" in out.getvalue()
    assert files(root) == before


def test_the_command_line(root, capsys):
    args = ["add-reply", "--data", str(root / "data"), "--seeds", str(root / "seeds"), "--organization", "alpha",
            "--topic", "states", "--source", "alpha-letter-to-the-editors", "--date", "2026-11-19",
            "--speaker", "The Alpha League", "--answer", "kept"]
    assert main(args + ["--quote", KEPT["quotes"][0]]) == 2  # kept without a reason
    assert "says why" in capsys.readouterr().err
    assert main(args + ["--quote", KEPT["quotes"][0], "--reason", "Confirmed."]) == 0
    assert "Added to" in capsys.readouterr().out
    assert len(load_store(root / "data", root / "seeds").replies) == 1
