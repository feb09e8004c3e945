"""Every element drawn as plain JSON (dashboard/components/lite.py) must be a valid Dash
component: same type, same namespace, props the real component accepts. Checked on every
view of the bundled data, through the real callback endpoint."""
from __future__ import annotations

import json
import re

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
import pytest
from dash import dcc, html

from dashboard.components import lite
from tests.support.tree import components, nodes

NAMESPACES = {"dash_ag_grid": dag, "dash_cytoscape": cyto, "dash_html_components": html, "dash_core_components": dcc, "dash_bootstrap_components": dbc}

VIEWS = ["/", "/?attr=critic&q=state", "/?stance=iso.ussr", "/compare?org=iso&org=wsws&org=psl&org=comintern",
         "/topics/ussr", "/topics/elections", "/organizations/iso", "/organizations/comintern", "/agreement",
         "/sources/iso-soul-of-international-socialism?quote=x", "/debates", "/coverage", "/timeline", "/lineage"]


def check(node: dict) -> None:
    module = NAMESPACES.get(node["namespace"])
    assert module is not None, f"unknown namespace {node['namespace']}"
    cls = getattr(module, node["type"], None)
    assert cls is not None, f"{node['namespace']}.{node['type']} does not exist"
    props = {k: v for k, v in node["props"].items() if k != "children"}
    cls(**props)  # raises TypeError on a prop the component does not have


@pytest.mark.parametrize("path", VIEWS)
def test_every_drawn_element_is_a_valid_component(dash_client, path):
    resp = dash_client.page(path)
    assert resp.status_code == 200
    found = list(components(json.loads(resp.data)))
    assert len(found) > 10
    for node in found:
        check(node)


def test_a_misspelt_prop_is_caught_by_the_check():
    with pytest.raises(TypeError):
        check(lite.html.Span("x", classname="wrong"))


def test_lite_elements_are_the_json_of_real_components():
    real = html.Td(html.Span("x", className="a"), colSpan=3, **{"aria-label": "b"}).to_plotly_json()
    fast = lite.html.Td(lite.html.Span("x", className="a"), colSpan=3, **{"aria-label": "b"})
    encode = lambda v: json.dumps(v, sort_keys=True, default=lambda o: o.to_plotly_json())  # noqa: E731
    assert encode(real) == encode(fast)


OWN_TAGS = re.compile(r"</?b>|<br>|</?i>")


def figures(node):
    return (n["props"]["figure"] for n in nodes(node) if n.get("type") == "Graph")


@pytest.mark.parametrize("path", ["/agreement?mode=all&org=xss-league", "/timeline"])
def test_chart_labels_carry_no_markup_from_the_data(hostile_client, path):
    """Plotly renders <b>, <i>, <a>... in labels and hover text: whatever the data holds
    arrives escaped, so the only tags left are the chart's own."""
    resp = hostile_client.page(path)
    figs = list(figures(json.loads(resp.data)))
    assert figs
    texts = []
    for fig in figs:
        layout = fig.get("layout", {})
        for trace in fig["data"]:
            for key in ("x", "y", "hovertext", "text"):
                texts += [v for v in trace.get(key) or [] if isinstance(v, str)]
            texts.append(trace.get("name") or "")
        for axis in ("xaxis", "yaxis"):
            texts += [v for v in layout.get(axis, {}).get("categoryarray") or []]
    assert any("XSS&lt;img" in t for t in texts)  # the hostile short name is there, escaped
    leftovers = [t for t in texts if "<" in OWN_TAGS.sub("", t)]
    assert leftovers == []
