"""The JSON API: every endpoint answers with the dataset version, bad input is a 4xx in one error
shape (never a traceback), the organization endpoint shows the organization page's stances, and
the downloads on the About page are the exports."""
from __future__ import annotations

import copy
import json
import re
import sqlite3

import jsonschema
import pytest

from dashboard.data.opendata import anchor, dataset_version
from dashboard.pages import organization
from tests.support.tree import nodes


@pytest.fixture(scope="module")
def client(bundled_app):
    return bundled_app.server.test_client()


def get(client, url, status=200):
    resp = client.get(url)
    assert resp.status_code == status, (url, resp.get_data(as_text=True)[:500])
    assert resp.mimetype == "application/json", url
    body = json.loads(resp.data)
    assert body["dataset"]["version"], url
    return body


ENDPOINTS = ["/api/", "/api/organizations", "/api/organizations/iso", "/api/topics", "/api/topics/china",
             "/api/sources", "/api/corrections", "/api/quotes", "/api/quotes?topic=china&attribution=critic",
             "/api/quotes/q-bc0d4c1b12", "/api/openapi.json"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_endpoint_answers_with_the_dataset_version(client, store, url):
    resp = client.get(url)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = json.loads(resp.data)
    version = body["info"]["version"] if url.endswith("openapi.json") else body["dataset"]["version"]
    assert version == dataset_version(store).version


def test_lists_hold_every_record(client, store):
    orgs = get(client, "/api/organizations")
    assert orgs["count"] == len(store.organizations) == len(orgs["organizations"])
    assert [o["id"] for o in orgs["organizations"]] == list(store.organizations)
    assert get(client, "/api/topics")["count"] == len(store.topics)
    sources = get(client, "/api/sources")["sources"]
    assert {s["id"] for s in sources} == set(store.sources) and all("text" not in s for s in sources)
    corrections = get(client, "/api/corrections")["corrections"]  # the second reading's log (issue 13)
    assert len(corrections) == len(store.corrections) >= 101
    assert {c["organization"] for c in corrections} <= set(store.organizations)


def _page_stances(layout, org_id):
    """(topic, the stance's position label) of each stance block the page shows, in order."""
    out = []
    for el in nodes(layout):
        el_id = el.get("props", {}).get("id") if "props" in el else None
        if isinstance(el_id, str) and el_id.startswith(f"stance-{org_id}-"):
            badge = next(b for b in nodes(el) if "position-badge" in str(b.get("props", {}).get("className", "")))
            out.append((el_id[len(f"stance-{org_id}-"):], badge["props"]["children"]))
    return out


def test_organization_endpoint_matches_the_organization_page(client, bundled_app, store):
    for org_id in ("iso", "wsws", "psl"):
        api = get(client, f"/api/organizations/{org_id}")["organization"]
        with bundled_app.server.test_request_context(f"/organizations/{org_id}"):
            on_page = _page_stances(organization.layout(org_id=org_id), org_id)
        assert on_page and [(s["topic"], s["position_label"]) for s in api["stances"]] == on_page
        for s in api["stances"]:
            st = store.stances[(org_id, s["topic"])]
            assert s["position"] == st.position and s["strength"] == st.strength
            assert [q["id"] for q in s["quotes"]] == [e.quote_id for e in st.evidence]
            assert [[q["id"] for q in c["quotes"]] for c in s["counters"]] == [
                [e.quote_id for e in c.evidence] for c in st.counters]
        assert len(api["facts"]) == len(store.organizations[org_id].facts)


def test_topic_endpoint_has_every_stance(client, store):
    for topic_id in store.topics:
        t = get(client, f"/api/topics/{topic_id}")["topic"]
        assert [(s["organization"], s["position"]) for s in t["stances"]] == [
            (s.organization, s.position) for s in store.stances_on(topic_id)]
        assert [p["id"] for p in t["positions"]] == [p.id for p in store.topics[topic_id].positions]


def test_quote_search_filters(client, store):
    body = get(client, "/api/quotes?topic=china&attribution=critic&limit=100")
    expected = [e.quote_id for e in store.evidence if e.topic == "china" and e.attribution == "critic"]
    assert [q["id"] for q in body["quotes"]] == expected and body["count"] == len(expected) > 0
    body = get(client, "/api/quotes?organization=iso&organization=psl&limit=100")
    rest = get(client, "/api/quotes?organization=iso&organization=psl&limit=100&offset=100")["quotes"]
    assert {q["organization"] for q in body["quotes"] + rest} == {"iso", "psl"}  # the ISO's fill the first page
    assert body["count"] == sum(1 for e in store.evidence if e.organization in ("iso", "psl"))
    assert get(client, "/api/quotes?organization=iso,psl&limit=1")["count"] == body["count"]
    trad = store.organizations["iso"].tradition
    body = get(client, f"/api/quotes?tradition={trad}&limit=100")
    assert body["count"] == sum(1 for e in store.evidence if store.organizations[e.organization].tradition == trad)
    body = get(client, "/api/quotes?text=MINORITY%20ruling%20class")
    assert "q-bc0d4c1b12" in [q["id"] for q in body["quotes"]]
    assert all("minority ruling class" in store.haystack(store.quote(q["id"])) for q in body["quotes"])


def test_quote_search_pages(client, store):
    first = get(client, "/api/quotes?limit=7")
    assert first["count"] == len(store.evidence) and len(first["quotes"]) == 7
    ids, url = [], "/api/quotes?limit=50"
    while url:
        page = get(client, url)
        ids += [q["id"] for q in page["quotes"]]
        url = page["next"]
    assert ids == [e.quote_id for e in store.evidence]
    assert get(client, "/api/quotes?offset=100000")["quotes"] == []


def test_quotes_carry_selectors_that_re_anchor(client, store):
    for q in get(client, "/api/quotes?limit=100&offset=50")["quotes"]:
        assert anchor(store.source_texts[q["source"]], q["selectors"]) == (store.quote(q["id"]).start,
                                                                             store.quote(q["id"]).end)


def test_one_quote_has_its_citation(client, store):
    q = get(client, "/api/quotes/q-bc0d4c1b12")["quote"]
    assert q["permalink"] == "http://localhost/sources/iso-soul-of-international-socialism?quote=q-bc0d4c1b12"
    assert dataset_version(store).version in q["citation"]["text"]
    assert q["citation"]["bibtex"].startswith("@misc{atlas:q-bc0d4c1b12,")
    page = client.get(q["permalink"].replace("http://localhost", ""))
    assert page.status_code == 200  # the permalink is a page of the dashboard


ERROR_CASES = [
    ("/api/quotes?limit=0", 400, "limit"), ("/api/quotes?limit=101", 400, "limit"),
    ("/api/quotes?limit=abc", 400, "limit"), ("/api/quotes?offset=-1", 400, "offset"),
    ("/api/quotes?organization=nope", 400, "organization"), ("/api/quotes?topic=%3Cscript%3E", 400, "topic"),
    ("/api/quotes?attribution=friend", 400, "attribution"), ("/api/quotes?tradition=x", 400, "tradition"),
    ("/api/quotes?sort=date", 400, "sort"), ("/api/quotes?text=" + "a" * 201, 400, "text"),
    ("/api/organizations?x=1", 400, "x"), ("/api/quotes?" + "&".join(["topic=china"] * 51), 400, "topic"),
    ("/api/organizations/nope", 404, None), ("/api/topics/nope", 404, None), ("/api/quotes/nope", 404, None),
    ("/api/nothing/here", 404, None), ("/api/quotes?text=" + "a" * 5000, 400, "text"),
]


@pytest.mark.parametrize("url,status,parameter", ERROR_CASES)
def test_bad_input_is_a_4xx_in_one_shape(client, url, status, parameter):
    body = get(client, url, status)
    assert set(body) == {"error", "dataset"}
    err = body["error"]
    assert err["status"] == status and err["code"] and err["message"]
    assert err.get("parameter") == parameter
    assert "Traceback" not in json.dumps(body)


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch", "trace"])
def test_the_api_is_read_only(client, method):
    resp = client.open("/api/organizations", method=method.upper())
    assert resp.status_code == 405 and json.loads(resp.data)["error"]["code"] == "method_not_allowed"
    assert resp.headers["Allow"] == "GET, HEAD, OPTIONS"  # RFC 9110


def test_answers_are_bounded(client, store):
    body = get(client, "/api/quotes?limit=100")
    assert len(body["quotes"]) <= 100
    assert len(client.get("/api/organizations/iso").data) < 1_000_000


def _every_answer(client, store):
    """(described path, url) of every answer the bundled data gives, the errors too."""
    yield from (("/api/" + p, "/api/" + p) for p in ("", "organizations", "topics", "sources", "corrections"))
    for kind, ids in (("organizations", store.organizations), ("topics", store.topics),
                      ("quotes", [e.quote_id for e in store.evidence])):
        yield from ((f"/api/{kind}/{{id}}", f"/api/{kind}/{i}") for i in [*ids, "nope"])
    url = "/api/quotes?limit=37"
    while url:  # every page
        yield "/api/quotes", url
        url = json.loads(client.get(url).data)["next"]
    for url, _, _ in ERROR_CASES:
        path = re.sub(r"^(/api/\w+)/[^/?]+", r"\1/{id}", url.split("?")[0])
        if path != "/api/nothing/{id}":
            yield path, url


def test_every_answer_is_what_the_description_says(client, store):
    """Every answer of every endpoint on the bundled data, errors included, has a status its path
    declares and validates against the schema declared for it (the description is generated from
    the models that build the answers: a field added, renamed or dropped fails here)."""
    spec = json.loads(client.get("/api/openapi.json").data)
    assert spec["openapi"] == "3.1.0" and set(spec["paths"]) == {
        "/api/", "/api/organizations", "/api/organizations/{id}", "/api/topics", "/api/topics/{id}", "/api/sources",
        "/api/corrections", "/api/quotes", "/api/quotes/{id}"}
    statuses = set()
    for path, url in _every_answer(client, store):
        resp = client.get(url)
        declared = spec["paths"][path]["get"]["responses"]
        assert str(resp.status_code) in declared, (url, resp.status_code)
        schema = declared[str(resp.status_code)]["content"]["application/json"]["schema"]
        errors = list(jsonschema.Draft202012Validator({**schema, "components": spec["components"]})
                      .iter_errors(json.loads(resp.data)))
        assert not errors, (url, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"[:300] for e in errors[:3]])
        statuses.add(resp.status_code)
    assert statuses == {200, 400, 404}
    stance = get(client, "/api/topics/china")["topic"]["stances"][0]  # the drift issue 24 found, held
    assert "quotes" not in stance and stance["quote_ids"] and stance["quotes_url"]


def test_the_quote_filters_are_described_with_this_datasets_values(client, store):
    spec = json.loads(client.get("/api/openapi.json").data)
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/quotes"]["get"]["parameters"]}
    pattern = re.compile(params["topic"]["items"]["pattern"])
    assert all(pattern.match(t) for t in store.topics) and pattern.match("china,ussr")
    assert not pattern.match("nope") and not pattern.match("china,") and not pattern.match("")
    assert params["limit"]["maximum"] == 100 and params["text"]["maxLength"] == 200


def test_the_api_sends_no_html(client):
    resp = client.get("/api/quotes?limit=100")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Content-Type"].startswith("application/json")


# ---- downloads ----------------------------------------------------------------------------
def test_about_page_links_every_download_and_they_answer(client, bundled_app, store, tmp_path):
    from dashboard.pages import about

    with bundled_app.server.test_request_context("/about"):
        page = json.dumps(about.layout())
    assert dataset_version(store).version in page
    hrefs = re.findall(r'"href": "(/(?:download|api)/[^"]*)"', page)
    for href in ("/download/tendency-atlas.sqlite", "/download/tendency-atlas-datapackage.zip",
                 "/download/tendency-atlas.metadata.json", "/download/evidence.csv", "/download/evidence.json",
                 "/api/", "/api/openapi.json"):
        assert href in hrefs, href
        assert client.get(href).status_code == 200, href
    db = tmp_path / "atlas.sqlite"
    db.write_bytes(client.get("/download/tendency-atlas.sqlite").data)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM quotes").fetchone()[0] == len(store.evidence)
    assert con.execute("SELECT value FROM dataset WHERE key = 'version'").fetchone()[0] == \
        dataset_version(store).version
    con.close()


def test_hostile_data_goes_out_as_json_strings(hostile_client, tmp_path):
    """The hostile fixture's names and quotes (markup, control characters, long text) come back
    as JSON strings, every endpoint answers, and the exports build."""
    from dashboard.data.export import write_datapackage, write_sqlite

    c = hostile_client.client
    orgs = get(c, "/api/organizations")["organizations"]
    assert any("<" in o["name"] for o in orgs)  # the fixture's markup, kept as text
    for o in orgs:
        body = get(c, f"/api/organizations/{o['id']}")
        for s in body["organization"]["stances"]:
            for q in s["quotes"][:3]:
                get(c, f"/api/quotes/{q['id']}")
    for t in get(c, "/api/topics")["topics"]:
        get(c, f"/api/topics/{t['id']}")
    get(c, "/api/quotes?text=%3Cscript%3E")
    store = hostile_client.app.server.config["ATLAS_STORE"]
    con = sqlite3.connect(write_sqlite(store, tmp_path / "h.sqlite"))
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    con.close()
    assert (write_datapackage(store, tmp_path / "pkg") / "datapackage.json").is_file()


def test_text_search_agrees_with_a_plain_scan(store):
    """The joined-haystack search (a fast path) finds exactly what a scan of each quote finds."""
    import random

    from dashboard.app.api import index_of, text_hits

    ix = index_of(store)
    rng = random.Random(16)
    needles = ["the", "a", "stalin", "workers' state", "zzzz", " ", "\u201c", "e s"]
    for e in rng.sample(list(store.evidence), 30):
        words = e.text.casefold().split()
        i = rng.randrange(len(words))
        needles.append(" ".join(words[i:i + rng.randint(1, 3)]))
        needles.append(store.haystack(e)[-5:])  # the end of the last quote's haystack, too
    needles.append(ix.haystacks[-1][-3:])
    for needle in needles:
        assert text_hits(ix, needle) == {i for i, h in enumerate(ix.haystacks) if needle in h}, needle
    # both fast paths: one word (the word list), and the joined haystacks when the store is gone
    from dashboard.data.search import one_word

    assert any(one_word(n) for n in needles) and not all(one_word(n) for n in needles)
    ix_alone = copy.copy(ix)
    ix_alone.store = lambda: None
    for needle in needles:
        assert text_hits(ix_alone, needle) == {i for i, h in enumerate(ix.haystacks) if needle in h}, needle


def test_text_with_control_characters_is_refused(client):
    body = get(client, "/api/quotes?text=a%00b", 400)
    assert body["error"]["parameter"] == "text"
