"""The map of the organizations on the agreement page, through the real Dash endpoint."""
from __future__ import annotations

import json
import re

import pytest


from dashboard.data.orgmap import org_map
from tests.support.tree import nodes



def response_data(resp) -> dict:
    assert resp.status_code == 200, resp.data[:500]
    return json.loads(resp.data)["response"]


def the_map(page_json):
    graphs = [n for n in nodes(page_json) if n.get("type") == "Graph" and "org-map" in
              (n.get("props", {}).get("className") or "")]
    assert len(graphs) == 1
    return graphs[0]["props"]["figure"]


@pytest.mark.parametrize("mode", ["own", "all"])
def test_every_organization_with_enough_evidence_is_a_point(dash_client, store, mode):
    fig = the_map(json.loads(dash_client.page(f"/agreement?mode={mode}").data))
    m = org_map(store, None, mode == "all")
    drawn = {o: (x, y) for t in fig["data"] for o, x, y in zip(t["customdata"], t["x"], t["y"])}
    assert drawn == {o: c for o, c in zip(m.orgs, m.coords)}
    hollow = next((t for t in fig["data"] if t["marker"]["symbol"] == "circle-open"), None)
    thin = {o for o, t in zip(m.orgs, m.thin) if t}
    assert set(hollow["customdata"] if hollow else ()) == thin
    assert "too little evidence" in (hollow["name"] if hollow else "too little evidence")


def test_the_words_share_and_table_follow_the_mode(dash_client, store):
    own = response_data(dash_client.call("agreement-map.figure", {"a-topic.value": [], "a-mode.value": "own"},
                                         changed="a-mode.value"))
    both = response_data(dash_client.call("agreement-map.figure", {"a-topic.value": [], "a-mode.value": "all"},
                                          changed="a-mode.value"))
    for data, mode in ((own, False), (both, True)):
        m = org_map(store, None, mode)
        words = json.dumps(data["agreement-map-words"]["children"])
        assert f"{m.share:.0%} of the variation" in words
        low, high = m.poles[0]
        assert store.position(low[0].topic, low[0].position).label in words
        table = json.dumps(data["agreement-map-table"]["children"])
        assert all(f"/organizations/{o}" in table for o in m.orgs)
        assert table.count("too little evidence") == sum(m.thin) + 1  # + the caption
    assert len(both["agreement-map"]["figure"]["data"][0]["x"]) > len(own["agreement-map"]["figure"]["data"][0]["x"])


def test_a_topic_filter_that_leaves_too_few_makes_no_map(dash_client):
    data = response_data(dash_client.call("agreement-map.figure",
                                          {"a-topic.value": ["china"], "a-mode.value": "own"},  # one speaks for itself on it
                                          changed="a-topic.value"))
    assert data["agreement-map"]["figure"]["data"] == []
    assert "nothing to map" in json.dumps(data["agreement-map-table"]["children"])


def test_a_point_opens_its_organization(dash_client):
    click = {"points": [{"customdata": "wsws"}]}
    data = response_data(dash_client.call("agreement-map-nav.href", {"agreement-map.clickData": click}))
    assert data["agreement-map-nav"]["href"] == "/organizations/wsws"
    for bad in ({"points": [{"customdata": "no-such-org"}]}, {"points": []}, "x", {"points": [{"customdata": 3}]}):
        assert response_data(dash_client.call("agreement-map-nav.href", {"agreement-map.clickData": bad})) == {}


def test_organizations_that_agree_on_everything_sit_at_one_place(dash_client):
    data = response_data(dash_client.call("agreement-map.figure",
                                          {"a-topic.value": ["ecology"], "a-mode.value": "own"},  # three, one position
                                          changed="a-topic.value"))
    (trace,) = data["agreement-map"]["figure"]["data"]
    assert set(trace["x"]) == set(trace["y"]) == {0.0}
    assert len([t for t in trace["text"] if t]) == 1  # one label naming all three
    assert "agree on every topic they share" in json.dumps(data["agreement-map-words"]["children"])


def test_hostile_names_and_positions_arrive_escaped(hostile_client):
    fig = the_map(json.loads(hostile_client.page("/agreement?mode=all").data))
    texts = [fig["layout"]["xaxis"]["title"]["text"], fig["layout"]["yaxis"]["title"]["text"]]
    for t in fig["data"]:
        texts += t["text"] + t["hovertext"] + [t["name"]]
    assert any("&lt;" in t for t in texts)
    assert [t for t in texts if "<" in re.sub(r"</?b>|<br>|</?i>", "", t)] == []
