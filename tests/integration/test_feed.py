"""/corrections.atom read as a feed reader reads it (feedparser), and announced by its pages."""
from __future__ import annotations

import re

import feedparser
import pytest
import yaml

from dashboard.app.feed import feed_xml
from dashboard.data import load_store
from dashboard.data.replies import correction_key



@pytest.fixture(scope="module")
def client(bundled_app):
    return bundled_app.server.test_client()


def parse(client, url: str):
    resp = client.get(url)
    assert resp.status_code == 200, resp.data[:300]
    assert resp.mimetype == "application/atom+xml"
    feed = feedparser.parse(resp.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_every_correction_is_an_entry_newest_first(client, store):
    feed = parse(client, "/corrections.atom")
    assert len(store.corrections) > 50
    newest_first = list(reversed(store.corrections))
    assert [e.id for e in feed.entries] == [feed_entry_id(c) for c in newest_first]
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    dates = [e.updated[:10] for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert feed.feed.updated[:10] == dates[0]
    for entry, c in zip(feed.entries, newest_first):
        assert entry.updated == f"{c.date}T00:00:00Z"
        org = store.organizations[c.organization]
        assert org.name in entry.title
        assert c.organization in [t.term for t in entry.tags]
        if c.topic:
            assert c.topic in [t.term for t in entry.tags]
            assert store.topics[c.topic].name in entry.title
        body = entry.content[0].value
        assert "Was:" in body and "Now:" in body and "Why:" in body
        assert entry.link.startswith("http://localhost/organizations/" + c.organization)
        if c.topic and (c.organization, c.topic) in store.stances:
            assert entry.link.endswith(f"#topic-{c.topic}")


def feed_entry_id(c) -> str:
    from dashboard.app.feed import entry_id

    return entry_id(correction_key(c))


def test_ids_are_stable_across_loads_and_a_reordered_log(mini_copy):
    first = load_store(mini_copy / "data", mini_copy / "seeds")
    log = mini_copy / "data" / "corrections.yaml"
    doc = yaml.safe_load(log.read_text(encoding="utf-8"))
    assert len(doc["corrections"]) >= 2
    doc["corrections"].reverse()
    for c in doc["corrections"]:
        c["reason"] += " (reworded)"  # a reason reworded is the same correction
    log.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    second = load_store(mini_copy / "data", mini_copy / "seeds")

    def ids(store):
        return sorted(e.id for e in feedparser.parse(feed_xml(store, [], "http://x")).entries)

    assert ids(first) == ids(second)
    assert len(set(ids(first))) == len(first.corrections)


def test_one_organizations_feed(client, store):
    org = store.corrections[0].organization
    feed = parse(client, f"/corrections.atom?org={org}")
    assert len(feed.entries) == len(store.corrections_of(org)) > 0
    assert all(org in [t.term for t in e.tags] for e in feed.entries)
    assert store.organizations[org].name in feed.feed.title
    assert feed.feed.links[0].href.endswith(f"/corrections.atom?org={org}")


@pytest.mark.parametrize("query, status, parameter", [
    ("?org=no-such-org", 404, "org"),
    ("?org=%3Cscript%3E", 404, "org"),
    ("?topic=ussr", 400, "topic"),
    ("?" + "&".join(["org=iso"] * 51), 400, "org"),
    ("?org=" + "x" * 5000, 414, None),
])
def test_bad_queries_get_the_apps_error_shape(client, query, status, parameter):
    resp = client.get("/corrections.atom" + query)
    assert resp.status_code == status
    body = resp.get_json()
    assert set(body) == {"error", "dataset"}
    assert body["error"]["status"] == status
    assert body["error"].get("parameter") == parameter


def test_hostile_strings_are_escaped(hostile_client):
    resp = hostile_client.client.get("/corrections.atom")
    raw = resp.get_data(as_text=True)
    assert "<script" not in raw and "<img" not in raw and "<svg" not in raw  # only as &lt;...
    feed = feedparser.parse(resp.data)
    assert not feed.bozo
    titles = " ".join(e.title for e in feed.entries)
    assert '<script>alert("xss-script")</script>' in titles  # kept as text, read back as text
    reasons = " ".join(e.content[0].value for e in feed.entries)
    assert "&lt;img src=x onerror=alert(1)&gt;" in reasons  # text in the XHTML, never an element
    assert "<img" not in reasons
    assert "&amp;lt;b&amp;gt;" in reasons  # an entity written in the data is shown as written


def test_pages_announce_their_feed(client, store):
    def alternates(path):
        page = client.get(path).get_data(as_text=True)
        head = page.split("</head>")[0]
        return re.findall(r'<link rel="alternate" type="application/atom\+xml" title="([^"]*)" href="([^"]*)">', head)

    assert alternates("/corrections") == [("Corrections (Atom)", "/corrections.atom")]
    assert alternates("/corrections?org=iso") == \
        [(f"Corrections to {store.organizations['iso'].name} (Atom)", "/corrections.atom?org=iso")]
    assert alternates("/organizations/iso") == \
        [(f"Corrections to {store.organizations['iso'].name} (Atom)", "/corrections.atom?org=iso")]
    assert alternates("/organizations/no-such-org") == []
    assert alternates("/") == [] and alternates("/organizations") == []
    for _, href in alternates("/organizations/iso") + alternates("/corrections"):
        parse(client, href.replace("&amp;", "&"))
