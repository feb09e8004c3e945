"""Hostile requests get a 4xx or a friendly page: never a 500, never a traceback; and every
response carries the security headers, set once."""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import re

import pytest

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
BIG = "a" * 100_000


def assert_no_traceback(resp) -> str:
    body = resp.get_data(as_text=True)
    for leak in ("Traceback", 'File "/', "Werkzeug Debugger", "site-packages"):
        assert leak not in body, f"{resp.request.path}: {leak!r} in the body"
    return body


def assert_friendly(resp, allowed=(200, 204, 400, 404, 405, 413)) -> str:
    assert resp.status_code in allowed, (resp.request.path, resp.status_code, resp.get_data()[:300])
    return assert_no_traceback(resp)


# ---- addresses -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [
    "/nope", "/organizations/nope", "/topics/%00", "/sources/..%2F..%2Fetc%2Fpasswd", "/sources/../../etc/passwd",
    "/assets/../config.yaml", "/assets/%2e%2e/config.yaml", "/assets/nope.css", "/_dash-component-suites/nope/x.js",
    "/_dash-component-suites/dash/../../../etc/passwd", "/_dash-component-suites/dash/deps/nope.js",
    "/download/evidence.exe", "/download/../config.yaml", "//evil.example/", "/" + "a/" * 2000, "/%ff%fe",
    "/_dash-layout/x", "/_reload-hash", "/_dash-update-component",
])
def test_unknown_paths_get_the_app_or_a_404(dash_client, path):
    resp = dash_client.client.get(path)
    assert_friendly(resp, allowed=(200, 404, 405, 308))
    assert "config.yaml" not in resp.get_data(as_text=True) or resp.status_code == 200


QUERIES = ["?org=<script>alert(1)</script>", "?org=iso&org=iso&org=psl&org=psl&org=wsws&org=fourth-international",
           "?q=" + BIG, "?org=" + BIG, "?" + "&".join(f"topic=t{i}" for i in range(3000)), "?%ff%fe%00=%00",
           "?%", "?=&&=", "?stance=.", "?stance=" + "." * 500, "?quote=" + "%00" * 100, "?hide=1&hide=0&hide[]=x",
           "?org_id=psl&org_id=iso", "?topic_id=x", "?source_id=%2e%2e"]
VIEWS = ["/", "/compare", "/topics/ussr", "/organizations/iso", "/sources/wsws-iso-anti-russia-campaign", "/about"]


@pytest.mark.parametrize("query", QUERIES)
def test_hostile_query_strings_get_the_page(dash_client, query):
    for view in VIEWS:
        resp = dash_client.client.get(view + query)
        assert resp.status_code == 200, (view, query[:50])
        body = assert_no_traceback(resp)
        assert "<script>alert(1)</script>" not in body  # the address is escaped where Dash echoes it


ROUTES = [("/organizations/nope", ""), ("/topics/%00", ""), ("/sources/../../etc/passwd", ""),
          ("/topics/" + BIG, ""), ("/" + "a/" * 5000, ""), ("//evil.example", ""), ("/sources/", "")]
ROUTES += [(view, query) for view in VIEWS for query in QUERIES]


def test_every_view_answers_hostile_addresses_through_the_page_router(dash_client):
    # what the browser asks for after loading the page: the layout for a path and a query
    for path, search in ROUTES:
        resp = dash_client.call("_pages_content", {"_pages_location.pathname": path,
                                                   "_pages_location.search": search})
        assert resp.status_code == 200, (path[:40], search[:40], resp.status_code)
        body = assert_no_traceback(resp)
        json.loads(body)
        if path.startswith(("/organizations/nope", "/topics/%00", "/sources/..")):
            assert "Not found" in body


@pytest.mark.parametrize("pathname, search", [(None, None), (123, ["x"]), ({"a": 1}, 5), ("/", {"q": 1})])
def test_page_router_with_wrong_types_is_a_400(dash_client, pathname, search):
    resp = dash_client.call("_pages_content", {"_pages_location.pathname": pathname,
                                               "_pages_location.search": search})
    assert_friendly(resp, allowed=(200, 400))


# ---- forged callback requests -------------------------------------------------------------------
def post(dash_client, body: bytes, content_type="application/json"):
    return dash_client.client.post("/_dash-update-component", data=body, content_type=content_type)


def assert_error_shape(resp, status: int) -> dict:
    """The app's one error shape, the API's (dashboard/app/api_models.py: Error)."""
    assert resp.status_code == status and resp.mimetype == "application/json", (resp.request.path, resp.status_code)
    assert_no_traceback(resp)
    body = json.loads(resp.data)
    assert set(body) == {"error", "dataset"} and body["dataset"]["version"]
    assert body["error"]["status"] == status and body["error"]["code"] and body["error"]["message"]
    return body


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"),
    (b"", "application/json"),
    (bytes(range(256)), "application/json"),
    (b"\xff\xfe{}", "application/json"),
    (b'{"output": "x"}', "text/plain"),
    (b"[1, 2, 3]", "application/json"),
    (b'"just a string"', "application/json"),
    (b"null", "application/json"),
    (b'{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []}',
     "application/json"),
    (b'{"output": 5}', "application/json"),
    (b'{"inputs": []}', "application/json"),
    (b'{"output": "copy-status.children", "outputs": {"id": "copy-status", "property": "children"},'
     b' "inputs": [{"id": "copy-link", "property": "n_clicks", "value": 1}]}', "application/json"),
    (b'{"output": "matrix-url.search", "inputs": "x"}', "application/json"),
    (b'{"output": "matrix-url.search", "inputs": [1, 2]}', "application/json"),
    (b'{"output": "matrix-url.search", "inputs": [{"id": 5, "property": "value"}]}', "application/json"),
    (b'{"output": "matrix-url.search", "inputs": [], "state": {"a": 1}}', "application/json"),
    (b'{"output": "matrix-url.search", "inputs": [], "outputs": [1]}', "application/json"),
    (b'{"output": "matrix-url.search", "inputs": [], "changedPropIds": "f-q.value"}', "application/json"),
    (b'{"output": "matrix-url.search", "inputs": [], "changedPropIds": [1]}', "application/json"),
    (b'{"output": "matrix-url.search", "outputs": {"id": "matrix-url", "property": "search"}, "inputs": []}',
     "application/json"),
])
def test_forged_callback_requests_are_400_without_traceback(dash_client, body, content_type):
    assert_error_shape(post(dash_client, body, content_type), 400)


def test_oversized_callback_request_is_413(dash_client):
    body = json.dumps({"output": "matrix-url.search", "inputs": [{"id": "f-q", "property": "value",
                                                                  "value": "x" * 1_500_000}]}).encode()
    assert_error_shape(post(dash_client, body), 413)


HOSTILE_VALUES = [None, 0, -1, 1e308, True, "", BIG, "<script>alert(1)</script>", ["\x00", 5, None],
                  [BIG] * 3, {"a": [1, {"b": None}]}, [{"org": "iso"}], "iso.ussr", ["iso"] * 60]


def _body(key: str, spec: dict, value) -> dict:
    def deps(items):
        out = []
        for d in items:
            ident = d["id"]
            if isinstance(ident, str) and ident.startswith("{"):  # a pattern-matching (ALL, MATCH) input
                pattern = json.loads(ident)
                concrete = {k: ("iso" if v in (["ALL"], ["MATCH"]) else v) for k, v in pattern.items()}
                item = {"id": concrete, "property": d["property"], "value": value}
                out.append(item if ["MATCH"] in pattern.values() else [item])
            else:
                out.append({"id": ident, "property": d["property"], "value": value})
        return out

    def output(o):  # a MATCH output names the same item as its input
        ident, prop = o.rsplit(".", 1)
        if ident.startswith("{"):
            ident = {k: ("iso" if v == ["MATCH"] else v) for k, v in json.loads(ident).items()}
        return {"id": ident, "property": prop}

    outputs = [output(o) for o in key.strip(".").split("...")]
    inputs = deps(spec["inputs"])
    first = inputs[0][0] if isinstance(inputs[0], list) else inputs[0]
    ident = first["id"]
    name = json.dumps(ident, sort_keys=True, separators=(",", ":")) if isinstance(ident, dict) else ident
    return {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": inputs,
            "state": deps(spec["state"]), "changedPropIds": [f"{name}.{first['property']}"]}


def test_every_server_callback_survives_hostile_values(dash_client, bundled_app, caplog):
    """Every callback takes any value in every input without an error: no 500, no traceback in
    the answer, and no exception in the log either (a crash turned into a 400 is still a crash)."""
    keys = [k for k, spec in bundled_app.callback_map.items() if "callback" in spec]
    assert len(keys) >= 5
    for key in keys:
        spec = bundled_app.callback_map[key]
        for value in HOSTILE_VALUES:
            caplog.clear()
            resp = dash_client.client.post("/_dash-update-component", json=_body(key, spec, value))
            assert resp.status_code in (200, 204, 400, 413), (key[:60], repr(value)[:40], resp.status_code)
            assert_no_traceback(resp)
            crashes = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
            assert not crashes, (key[:60], repr(value)[:40], crashes[0].getMessage()[:300])


@pytest.mark.parametrize("method, path", [("put", "/"), ("delete", "/_dash-update-component"),
                                          ("post", "/_dash-layout"), ("patch", "/download/evidence.csv")])
def test_other_methods_are_405(dash_client, method, path):
    resp = getattr(dash_client.client, method)(path)
    assert_error_shape(resp, 405)
    allowed = set(resp.headers["Allow"].split(", "))  # RFC 9110: a 405 says what is allowed
    assert allowed and method.upper() not in allowed and "OPTIONS" in allowed


# ---- headers -------------------------------------------------------------------------------------
def test_security_headers_on_every_response_set_once(dash_client):
    c = dash_client.client
    responses = {
        "index": c.get("/"),
        "deep page": c.get("/organizations/iso?x=1"),
        "layout": c.get("/_dash-layout"),
        "dependencies": c.get("/_dash-dependencies"),
        "callback": dash_client.call("compare-body", {"c-org.value": ["iso", "psl"], "c-topic.value": [],
                                                      "c-hide.value": False}),
        "bad callback": post(dash_client, b"{"),
        "stylesheet": c.get("/assets/site.css"),
        "script": c.get("/assets/dashAgGridComponentFunctions.js"),
        "download": c.get("/download/evidence.csv"),
        "missing asset": c.get("/assets/nope.css"),
        "unknown suite": c.get("/_dash-component-suites/nope/x.js"),
        "wrong method": c.put("/"),
    }
    for name, resp in responses.items():
        for header, value in HEADERS.items():
            assert resp.headers.getlist(header) == [value], (name, header, resp.headers.getlist(header))
        assert len(resp.headers.getlist("Content-Security-Policy")) == 1, name
    assert responses["callback"].status_code == 200


def test_content_security_policy_allows_only_what_the_app_needs(dash_client):
    resp = dash_client.client.get("/")
    csp = dict(d.strip().split(" ", 1) for d in resp.headers["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'" and csp["form-action"] == "'self'" and csp["connect-src"] == "'self'"
    script = csp["script-src"].split()
    assert script[0] == "'self'" and all(s.startswith("'sha256-") for s in script[1:])
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "http" not in resp.headers["Content-Security-Policy"]  # nothing from elsewhere
    # every inline script of the page is allowed by its hash, and nothing more
    html = resp.get_data(as_text=True)
    html = re.sub(r"<!--.*?-->", "", html, flags=re.S)
    inline = [m.group(2) for m in re.finditer(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
              if "application/json" not in m.group(1)]
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}
    assert inline and hashes == set(script[1:])


def test_debug_is_off_and_errors_show_no_details(bundled_app):
    assert bundled_app.server.debug is False
    assert bundled_app.server.config["PROPAGATE_EXCEPTIONS"] is False
    from dashboard.config import load_config

    assert load_config().debug is False  # the settings the app was built from
