"""Callbacks through the real Dash endpoint, no browser."""
from __future__ import annotations

import json

from dashboard.components.context import STORE_KEY


def response_data(resp) -> dict:
    assert resp.status_code == 200, resp.data[:500]
    return json.loads(resp.data)["response"]


def matrix_inputs(**kw):
    base = {"f-topic.value": [], "f-tradition.value": [], "f-org.value": [], "f-attr.value": [], "f-q.value": ""}
    base.update({f"f-{k}.value": v for k, v in kw.items()})
    return base


def test_matrix_filter_by_tradition(dash_client):
    data = response_data(dash_client.call("matrix.children", matrix_inputs(tradition=["orthodox-trotskyist"]),
                                          changed="f-tradition.value"))
    text = json.dumps(data["matrix"]["children"])
    assert "WSWS" in text
    assert "International Socialist Organization" not in text
    rows = data["evidence-grid"]["rowData"]
    assert rows and {r["organization"] for r in rows} == {"WSWS"}


def test_matrix_search_keeps_matching_rows_only(dash_client):
    data = response_data(dash_client.call("matrix.children", matrix_inputs(q="Tiananmen"), changed="f-q.value"))
    rows = data["evidence-grid"]["rowData"]
    assert rows and any("tiananmen" in r["quote"].lower() for r in rows)
    assert {r["organization"] for r in rows} <= {"ISO", "PSL"}
    assert "match these filters" in data["matrix-count"]["children"]


def test_matrix_attribution_filter_counts_only_those_words(dash_client):
    data = response_data(dash_client.call("matrix.children", matrix_inputs(attr=["critic"]), changed="f-attr.value"))
    assert {r["attribution"] for r in data["evidence-grid"]["rowData"]} == {"another organization"}


def test_matrix_empty_result_says_so(dash_client):
    data = response_data(dash_client.call("matrix.children", matrix_inputs(q="zzzz-no-such-words"),
                                          changed="f-q.value"))
    assert "No quote or summary matches" in json.dumps(data["matrix"]["children"])


def test_matrix_writes_state_to_url(dash_client):
    inputs = matrix_inputs(topic=["china"], org=["iso", "psl"], q="Tibet")
    inputs["matrix-open.data"] = "iso.china"
    data = response_data(dash_client.call("matrix-url.search", inputs, changed="f-q.value"))
    assert data["matrix-url"]["search"] == "?topic=china&org=iso&org=psl&q=Tibet&stance=iso.china"


def test_cell_click_opens_evidence(dash_client):
    key = dash_client.callback_key("matrix-open.data")
    cell_id = {"org": "iso", "topic": "ussr", "type": "cell"}
    body = {
        "output": key,
        "outputs": [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")],
        "inputs": [[{"id": cell_id, "property": "n_clicks", "value": 1}],
                   {"id": "evidence-panel", "property": "is_open", "value": False}],
        "state": [{"id": "f-attr", "property": "value", "value": []}],
        "changedPropIds": ['{"org":"iso","topic":"ussr","type":"cell"}.n_clicks'],
    }
    data = response_data(dash_client.client.post("/_dash-update-component", json=body))
    assert data["matrix-open"]["data"] == "iso.ussr"
    assert data["evidence-panel"]["is_open"] is True
    panel = json.dumps(data["evidence-panel"]["children"])
    assert "own words" in panel and "Read in context" in panel
    title = data["evidence-panel"]["title"]  # names the dialog (its labelledby)
    assert title["props"] == {"children": "International Socialist Organization on The USSR",
                              "id": "evidence-panel-title"}


def test_compare_callback_renders_quotes_and_url(dash_client):
    data = response_data(dash_client.call("compare-body.children",
                                          {"c-org.value": ["iso", "psl"], "c-topic.value": ["china"],
                                           "c-hide.value": False}, changed="c-org.value"))
    body = json.dumps(data["compare-body"]["children"])
    # one row, China's, with each organization's stance and its quotes
    assert body.count('"data-agreement"') == 1 and "/topics/china" in body
    assert "stance-iso-china" in body and "stance-psl-china" in body and "stance-iso-ussr" not in body
    assert "Read in context" in body
    assert data["compare-url"]["search"] == "?org=iso&org=psl&topic=china"


def test_compare_hides_agreeing_rows(dash_client, bundled_app):
    store = bundled_app.server.config[STORE_KEY]
    from dashboard.data.analysis import topic_agreement

    pair = ["anticapitalist-resistance", "fourth-international"]
    agreeing = [t for t in store.topics if topic_agreement(store, pair, t) == "agree"]
    assert agreeing, "ACR and the FI agree on at least one topic in the bundled data"
    data = response_data(dash_client.call("compare-body.children",
                                          {"c-org.value": pair, "c-topic.value": [],
                                           "c-hide.value": True}, changed="c-hide.value"))
    body = json.dumps(data["compare-body"]["children"])
    assert "where they take the same position" in body
    assert '"data-agreement": "agree"' not in body


def test_downloads_have_the_export_rows(dash_client):
    resp = dash_client.client.get("/download/evidence.csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert resp.data.decode().splitlines()[0].startswith("organization,organization_name,tradition")
    resp = dash_client.client.get("/download/evidence.json")
    rows = json.loads(resp.data)
    assert rows and "quote_id" in rows[0]
    assert dash_client.client.get("/download/evidence.exe").status_code == 404


def test_security_headers(dash_client):
    resp = dash_client.client.get("/")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_responses_are_compressed(dash_client):
    import gzip

    resp = dash_client.client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert resp.headers.get("Content-Encoding") == "gzip"
    plain = dash_client.client.get("/_dash-layout")
    assert gzip.decompress(resp.data) == plain.data  # the level changes the bytes sent, not what arrives
    assert dash_client.app.server.config["COMPRESS_LEVEL"] == 2


def test_agreement_figure_is_plain_and_keeps_plotlys_look_with_escaped_names(dash_client):
    """The chart is sent as a plain figure: it must still carry plotly's default template (axis
    margins that fit the names), and names in hover text are escaped."""
    data = response_data(dash_client.call("agreement-graph.figure",
                                          {"a-topic.value": [], "a-mode.value": "all", "a-org.value": "iso"},
                                          changed="a-mode.value"))
    fig = data["agreement-graph"]["figure"]
    assert fig["layout"]["template"]["layout"]["xaxis"]["automargin"] is True
    trace = fig["data"][0]
    assert trace["type"] == "scatter" and len(trace["x"]) == len(trace["y"]) == len(trace["customdata"]) > 0
    assert all(h.startswith("<b>") and h.count("<b>") == 1 for h in trace["hovertext"])
    rows = json.dumps(data["agreement-ranking"]["children"])
    assert "Toronto New Socialists" in rows and "Compare" in rows
