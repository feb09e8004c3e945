"""`/match` as the server sends it (issue 14): the questions and the data the browser scores
with, and no callback that runs on the server."""
from __future__ import annotations

import gzip
import json

import brotli

from dashboard.data.fit import answer_options, strongest_quote
from dashboard.pages import match


def test_the_page_offers_the_positions_held_in_own_words_with_no_opinion_first(bundled_app, store):
    with bundled_app.server.test_request_context("/match"):
        page = json.dumps(match.layout())
    for t in store.topics.values():
        assert json.dumps(t.question)[1:-1] in page
        for p in t.positions:
            offered = p.id in {o.id for o in answer_options(store, t.id)}
            assert (f'"value": "{p.id}"' in page) == offered, (t.id, p.id)
    assert page.count('"No opinion"') == len(store.topics)
    assert "This matters more to me" in page and "How it works" in page


def test_the_browser_data_holds_every_stance_and_its_strongest_quote(store):
    data = match.browser_data(store)
    texts = json.loads(match.quotes_file(store)[0])["texts"]
    assert [t["id"] for t in data["topics"]] == list(store.topics)
    by_org = {o["id"]: o for o in data["orgs"]}
    for (o, t), st in store.stances.items():
        got = by_org[o]["stances"][t]
        assert got["p"] == st.position and got["own"] == st.has_own_words
        ev = strongest_quote(st)
        assert (got["quote"]["source"], got["quote"]["id"]) == (ev.source, ev.quote_id)
        assert got["quote"]["attribution"] == ev.attribution and got["quote"]["speaker"] == ev.speaker
        assert ev.text.startswith(texts[ev.quote_id].rstrip("\u2026"))  # in the quotes' file, not the page
        assert json.dumps(ev.text[:60])[1:-1] not in json.dumps(data)
        assert bool(got["reading"]) == st.is_reading
    names = sorted(by_org, key=lambda o: by_org[o]["rank"])
    assert names == sorted(by_org, key=store.org_name)


def test_the_quotes_file_is_one_static_file_cached_under_its_content_hash(bundled_app, store):
    """What match.js fetches for the explanations: the same address and bytes for every visitor
    (no answer could be in it), cached for a year at its version, not cached at another."""
    url = match.browser_data(store)["quotes"]
    body, version = match.quotes_file(store)
    assert url == f"{match.QUOTES_PATH}?v={version}"
    client = bundled_app.server.test_client()
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    assert resp.data == body and "immutable" in resp.headers["Cache-Control"]
    assert len(json.loads(body)["texts"]) == len({strongest_quote(st).quote_id for st in store.stances.values()})
    stale = client.get(match.QUOTES_PATH + "?v=older&ussr=x")
    assert stale.status_code == 200 and stale.data == body and stale.headers["Cache-Control"] == "no-cache"
    assert client.post(url).status_code == 405
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding and decode(packed.data) == body


def test_the_page_is_built_once_per_store_and_equals_a_fresh_build(bundled_app, store):
    from dashboard.components.lite import freeze

    with bundled_app.server.test_request_context("/match"):
        first, again = match.layout(), match.layout()
        assert first is again
        assert json.dumps(first, sort_keys=True) == json.dumps(freeze(match.page(store)), sort_keys=True)


def test_no_callback_of_the_match_page_runs_on_the_server(bundled_app):
    server_side = [k for k, v in bundled_app.callback_map.items() if "match-" in k and v.get("callback")]
    assert server_side == []
    clientside = [k for k in bundled_app.callback_map if "match-" in k]
    assert len(clientside) >= 4


def test_the_page_answers_get_and_ignores_any_query(bundled_app):
    client = bundled_app.server.test_client()
    assert client.get("/match").status_code == 200
    assert client.get("/match?ussr=stalinist-counterrevolution&x=%00").status_code == 200


def test_a_topic_no_one_answers_in_own_words_says_so(mini_copy):
    """The small fixture with one more topic, whose only stance (Alpha's) rests on Beta's words."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.data import load_store

    topics = mini_copy / "data" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + """  - id: lonely
    name: A lonely topic
    question: Does anyone answer?
    positions:
      - id: faction-only
        label: Faction (critics' term)
        definition: Only critics use it.
        terms: ["faction of the Democrats"]
        critics_term: true
""", encoding="utf-8")
    alpha = mini_copy / "data" / "organizations" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8") + """  - topic: lonely
    position: faction-only
    summary: Beta calls the Alpha League a faction of the Democrats.
    quotes:
      - text: "The Alpha League is a faction of the Democrats in all but name."
        source: beta-reply
        states: true
        speaker: Beta Party
        speaker_org: beta
        attribution: critic
""", encoding="utf-8")
    store = load_store(mini_copy / "data", mini_copy / "seeds")
    app = create_app(Config(data_dir=mini_copy / "data", seeds_dir=mini_copy / "seeds"), store=store)
    with app.server.test_request_context("/match"):
        page = json.dumps(match.layout())
    assert "there is nothing to answer here" in page
    assert page.count("there is nothing to answer here") == 1
