"""A reply on the fixture (tests/fixtures/replies) beside its stance on the organization, topic
and comparison pages, and in the feed; none on the bundled data, which holds none."""
from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from tests.support.dash_client import DashClient

from dashboard.app import create_app
from dashboard.components.replies import REPLY_LABEL
from dashboard.config import load_config
from dashboard.data.replies import correction_key

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "replies"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    cfg = load_config(data_dir=FIXTURE / "data", seeds_dir=FIXTURE / "seeds",
                      cache_dir=tmp_path_factory.mktemp("cache"))
    return DashClient(create_app(cfg))


def notes(client, path: str) -> list[dict]:
    """The reply notes of a page, as (organization, topic, text)."""
    resp = client.page(path)
    assert resp.status_code == 200
    out = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props") or {}
            if "reply-note" in str(props.get("className") or ""):
                out.append((props["data-org"], props["data-topic"], json.dumps(node, ensure_ascii=False)))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(json.loads(resp.data))
    return out


@pytest.mark.parametrize("path, expected", [
    ("/organizations/alpha", {("alpha", "states"), ("alpha", "elections")}),
    ("/topics/states", {("alpha", "states")}),
    ("/topics/elections", {("alpha", "elections")}),
    ("/compare?org=alpha&org=beta", {("alpha", "states"), ("alpha", "elections")}),
    ("/organizations/beta", set()),
])
def test_a_reply_is_shown_beside_the_stance_it_answers(client, path, expected):
    found = notes(client, path)
    assert {(o, t) for o, t, _ in found} == expected
    for org, topic, text in found:
        assert REPLY_LABEL in text  # marked as the organization's reply, in words
        if topic == "states":
            assert "the bureaucracy ruled as a class" in text and "The editors kept the stance" in text
            assert "/sources/alpha-letter-to-the-editors" in text
        else:
            assert "The editors corrected the stance" in text and "/corrections?org=alpha#c-" in text


def test_the_correction_a_reply_names_is_an_anchor_on_the_corrections_page(client):
    store = client.app.server.config["ATLAS_STORE"]
    key = store.replies_to("alpha", "elections")[0].correction
    page = client.page("/corrections?org=alpha").data.decode()
    assert f'"id": "{key}"' in page or f'"id":"{key}"' in page
    assert key in {correction_key(c) for c in store.corrections}


def test_replies_are_entries_of_the_feed(client):
    feed = feedparser.parse(client.client.get("/corrections.atom").data)
    assert not feed.bozo
    # newest first; of one date, the later entry of the file first
    assert [e.title for e in feed.entries] == [
        "Alpha League on Elections: summary corrected",                          # 2026-11-21
        "Beta Party on The socialist states: position corrected",                # 2026-11-20
        "Alpha League on Elections: the organization's reply (corrected)",       # 2026-11-19
        "Alpha League on The socialist states: the organization's reply (kept)",  # 2026-11-19
    ]
    assert len({e.id for e in feed.entries}) == 4
    kept = next(e for e in feed.entries if "(kept)" in e.title)
    assert "the bureaucracy ruled as a class" in kept.content[0].value
    assert kept.link.endswith("/organizations/alpha#topic-states")
    only_beta = feedparser.parse(client.client.get("/corrections.atom?org=beta").data)
    assert [e.title for e in only_beta.entries] == ["Beta Party on The socialist states: position corrected"]


def test_the_bundled_data_holds_no_reply(dash_client):
    store = dash_client.app.server.config["ATLAS_STORE"]
    assert store.replies == ()  # no source holds one: none is shown, none invented
    assert notes(dash_client, "/organizations/iso") == []


def test_the_reply_page_says_what_a_reply_needs(client, dash_client):
    def text(c, path):
        return json.dumps(json.loads(c.page(path).data), ensure_ascii=False)

    page = text(client, "/reply")
    assert "What a reply needs" in page and "2 replies are recorded" in page and "/corrections.atom" in page
    assert "No organization has replied yet" in text(dash_client, "/reply")
    assert '"href": "/reply"' in text(dash_client, "/about")  # the About page's request points to it
