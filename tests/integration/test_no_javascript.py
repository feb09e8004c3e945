"""What a reader gets before (and without) JavaScript: the HTML the server sends for an address,
fetched as a browser with scripts off would (Flask's test client), carries the page's main text,
and its links are links. Every registered page has a check: a new page without one fails."""
from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser

import dash
import pytest
from dash import html

from dashboard.app import prerender
from dashboard.components import lite
from dashboard.components.prerender import to_html


class Text(HTMLParser):
    """The text inside #prerendered (the server's page), whitespace collapsed; and its links."""

    def __init__(self):
        super().__init__()
        self.depth, self.parts, self.links = 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or attrs.get("id") == "prerendered":
            if tag not in ("input", "br", "img", "hr", "meta", "link", "col", "wbr"):
                self.depth += 1
            if tag == "a" and attrs.get("href"):
                self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return squash("".join(self.parts))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", unescape(text)).strip()


def page(client, url: str) -> Text:
    resp = client.get(url)
    assert resp.status_code in (200, 404), (url, resp.status_code)
    parsed = Text()
    parsed.feed(resp.get_data(as_text=True))
    return parsed


def org_name(store, org_id):
    return store.organizations[org_id].name


# module -> (address, what its HTML must say, from the data)
CHECKS = {
    "dashboard.pages.matrix": ("/", lambda s: [t.name for t in s.topics.values()]
                               + [o.display_name for o in s.organizations.values()]),
    "dashboard.pages.organization": ("/organizations/iso", lambda s: [org_name(s, "iso")]
                                     + [st.summary for st in s.stances_of("iso")]),
    "dashboard.pages.topic": ("/topics/ussr", lambda s: [s.topics["ussr"].question]
                              + [p.label for p in s.topics["ussr"].positions]),
    "dashboard.pages.compare": ("/compare?org=iso&org=psl", lambda s: [org_name(s, "iso"), org_name(s, "psl")] + [
        s.topics[t].name for t in {st.topic for st in s.stances_of("iso")} & {st.topic for st in s.stances_of("psl")}]),
    "dashboard.pages.source": ("/sources/iso-soul-of-international-socialism", lambda s: [
        e.text for e in s.evidence if e.source == "iso-soul-of-international-socialism"]),
    "dashboard.pages.corrections": ("/corrections", lambda s: [c.reason for c in s.corrections]),
    "dashboard.pages.match": ("/match", lambda s: [t.question for t in s.topics.values()]),
    "dashboard.pages.about": ("/about", lambda s: [src.title for src in s.sources.values()]),
    "dashboard.pages.agreement": ("/agreement?org=iso", lambda s: [org_name(s, "iso")] + [  # own words
        org_name(s, o) for o in {st.organization for t in {x.topic for x in s.stances_of("iso") if x.has_own_words}
                                 for st in s.stances_on(t) if st.has_own_words}]),
    "dashboard.pages.debates": ("/debates", lambda s: sorted({
        s.organizations[e.speaker_org].name for e in s.evidence
        if e.attribution == "critic" and e.speaker_org in s.organizations})),
    "dashboard.pages.coverage": ("/coverage", lambda s: [o.display_name for o in s.organizations.values()]),
    "dashboard.pages.timeline": ("/timeline", lambda s: sorted({s.topics[e.topic].name for e in s.evidence if e.date})),
    "dashboard.pages.lineage": ("/lineage", lambda s: [t.name for t in s.traditions.values()]),
    "dashboard.pages.organizations_index": ("/organizations", lambda s: [o.name for o in s.organizations.values()]),
    "dashboard.pages.sources_index": ("/sources", lambda s: [src.title for src in s.sources.values()]),
    "dashboard.pages.topics_index": ("/topics", lambda s: [t.name for t in s.topics.values()]),
    "dashboard.pages.not_found_404": ("/no/such/page", lambda s: ["not found"]),
    "dashboard.pages.reply": ("/reply", lambda s: ["What a reply needs", "What the editors do with it"]),
}


@pytest.fixture(scope="module")
def client(bundled_app):
    return bundled_app.server.test_client()


def test_every_registered_page_has_a_check(bundled_app):
    assert set(dash.page_registry) == set(CHECKS), "add the new page to CHECKS"


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_the_page_is_in_the_html_the_server_sends(client, store, module):
    url, expected = CHECKS[module]
    got = page(client, url)
    text = got.text.lower()
    wanted = [squash(w) for w in expected(store)]
    assert wanted, module
    missing = [w for w in wanted if w.lower() not in text]
    assert not missing, (url, missing[:3])
    assert "/" in got.links and "/about" in got.links  # the shell's links, as links


@pytest.mark.parametrize("module", sorted(CHECKS))
def test_every_component_of_the_page_is_drawn(bundled_app, module):
    url = CHECKS[module][0]
    with bundled_app.server.test_request_context(url):
        from flask import request
        layout, _ = prerender.page_for(bundled_app, request.path, prerender.query_of(request.args))
        _, unknown = to_html(layout, request.path)
    assert not unknown, f"{url}: teach components/prerender.py to draw {sorted(unknown)}"


def test_the_shell_is_drawn(bundled_app):
    _, unknown = to_html(bundled_app.layout, "/")
    assert not unknown, f"teach components/prerender.py to draw {sorted(unknown)}"


def test_links_go_where_the_app_goes(client, store):
    got = page(client, "/topics/ussr")
    orgs = {f"/organizations/{st.organization}" for st in store.stances_on("ussr")}
    assert orgs <= set(got.links)


def test_the_page_router_gets_the_same_page(bundled_app, client):
    """The server's page is the layout Dash's router builds for the same path and query."""
    from tests.support.dash_client import DashClient

    routed = DashClient(bundled_app).page("/compare?org=iso&org=psl").get_json()["response"]
    layout = routed["_pages_content"]["children"]
    server, _ = to_html(layout, "/compare")
    sent = bundled_app.server.test_client().get("/compare?org=iso&org=psl").get_data(as_text=True)
    assert str(server) in sent


def test_the_page_title_is_the_pages(client):
    assert "<title>Tendency Atlas: about</title>" in client.get("/about").get_data(as_text=True)


def test_text_and_attributes_from_data_are_escaped():
    hostile = '<script>alert("x")</script>'
    out, _ = to_html(html.Div([hostile, lite.html.A(hostile, href='/" onmouseover="x', title=hostile)],
                              id="a<b", className='c" d'))
    assert "<script>" not in out and "onmouseover=\"x" not in out
    assert "&lt;script&gt;" in out and 'href="/&#34; onmouseover=&#34;x"' in out


def test_pattern_matching_ids_are_as_dash_writes_them():
    out, _ = to_html(html.Button("x", id={"type": "cell", "org": "iso", "topic": "ussr"}))
    assert f'id="{unescape(json.dumps({"org": "iso", "topic": "ussr", "type": "cell"}, separators=(",", ":")))}"' \
        in unescape(str(out))


def test_scripts_every_page_loads(client):
    sent = client.get("/about").get_data(as_text=True)
    for asset in ("bootstrap.min.css", "site.css", "match.js", "a11y.js", "takeover.js", "libraries.js"):
        assert f"/assets/{asset}?m=" in sent, asset
    assert "polyfill@" not in sent
    scripts = re.findall(r'<script src="([^"]+)"', sent)
    assert not [s for s in scripts if any(f"/{lib}/" in s for lib in prerender.DEFERRED)], scripts
    libraries = json.loads(re.search(r'<script id="atlas-libraries" type="application/json">(.*?)</script>',
                                     sent).group(1))
    assert set(libraries) == {"dash_ag_grid", "dash_cytoscape", "dash_table"}
    assert all(client.get(u).status_code == 200 for urls in libraries.values() for u in urls)


def test_fingerprinted_assets_are_cached_for_a_year(client):
    sent = client.get("/about").get_data(as_text=True)
    css = re.search(r'href="(/assets/site\.css\?m=[^"]+)"', sent).group(1)
    assert client.get(css).headers["Cache-Control"] == prerender.ASSET_CACHE
    assert "immutable" not in (client.get("/assets/site.css").headers.get("Cache-Control") or "")


def test_fingerprinted_scripts_go_out_as_brotli_at_its_best(client):
    import brotli

    sent = client.get("/about").get_data(as_text=True)
    script = re.search(r'src="(/_dash-component-suites/dash/dcc/dash_core_components[^"]+)"', sent).group(1)
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    best = client.get(script, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert "Content-Encoding" not in plain.headers
    assert best.headers["Content-Encoding"] == "br" and "Accept-Encoding" in best.headers["Vary"]
    assert brotli.decompress(best.get_data()) == plain.get_data()
    assert len(best.get_data()) == int(best.headers["Content-Length"]) < len(plain.get_data()) / 5
    css = re.search(r'href="(/assets/bootstrap\.min\.css\?m=[^"]+)"', sent).group(1)
    styles = client.get(css, headers={"Accept-Encoding": "br"})
    assert styles.headers["Content-Encoding"] == "br" and brotli.decompress(styles.get_data()).startswith(b"@charset")
