"""`/debates`: who characterizes whom. An edge runs from a critic organization to the
organization its words describe, labelled by topic and count; each edge opens its quotes."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import dash_cytoscape as cyto
from dash import Input, Output, State, dcc, html, no_update

from ..components.context import get_store
from ..components.state import as_list, first, pick_known, query_string
from ..components.ui import notice, page_header, quote_block, topic_choice
from ..data.analysis import critiques
from ..data.store import Store, named
from . import plain_outputs, safe_layout

TRADITION_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#332288",
                    "#117733", "#882255", "#44AA99", "#AA4499", "#DDCC77")
# tradition is shown by shape as well as colour (never by colour alone), with the legend's glyph for each
TRADITION_SHAPES = (("ellipse", "\u25cf"), ("triangle", "\u25b2"), ("rectangle", "\u25a0"), ("diamond", "\u25c6"),
                    ("star", "\u2605"), ("hexagon", "\u2b22"), ("vee", "\u25bc"), ("pentagon", "\u2b1f"))


def parse(store: Store, query: dict):
    topics, bad_t = pick_known(as_list(query.get("topic")), store.topics)
    edge = first(query.get("edge"))
    known = {f"{c.critic}.{c.target}" for c in critiques(store, topics)}
    bad_e = [] if not edge or edge in known else [edge]
    return topics, (edge if not bad_e else ""), {"topic": bad_t, "edge": bad_e}


def edge_label(store: Store, c) -> str:
    return ", ".join(f"{store.topics[t].name} {n}" for t, n in c.topics)


def elements(store: Store, topics: list[str]) -> list[dict]:
    edges = critiques(store, topics)
    nodes = sorted({c.critic for c in edges} | {c.target for c in edges})
    trad_index = {t: i for i, t in enumerate(store.traditions)}
    def look(n):
        i = trad_index[store.organizations[n].tradition]
        return TRADITION_COLORS[i % len(TRADITION_COLORS)], TRADITION_SHAPES[i % len(TRADITION_SHAPES)]

    out = [{"data": {"id": n, "label": store.organizations[n].display_name, "color": look(n)[0],
                     "shape": look(n)[1][0], "glyph": look(n)[1][1],
                     "tradition": store.traditions[store.organizations[n].tradition].name}} for n in nodes]
    out += [{"data": {"id": f"{c.critic}.{c.target}", "source": c.critic, "target": c.target,
                      "label": edge_label(store, c), "weight": c.count}} for c in edges]
    return out


STYLESHEET = [
    {"selector": "node", "style": {"label": "data(label)", "background-color": "data(color)", "color": "#111",
                                   "shape": "data(shape)",
                                   "font-size": 13, "text-valign": "bottom", "text-margin-y": 4,
                                   "width": 26, "height": 26, "border-width": 1, "border-color": "#333"}},
    {"selector": "edge", "style": {"label": "data(label)", "curve-style": "bezier", "target-arrow-shape": "triangle",
                                   "line-color": "#a33a00", "target-arrow-color": "#a33a00", "line-style": "dashed",
                                   "width": "mapData(weight, 1, 20, 1.5, 8)", "font-size": 10,
                                   "text-background-color": "#fff", "text-background-opacity": 0.85,
                                   "text-rotation": "autorotate", "color": "#333"}},
    {"selector": ":selected", "style": {"line-color": "#0d6efd", "target-arrow-color": "#0d6efd",
                                        "border-color": "#0d6efd", "border-width": 3}},
]


def legend(store: Store, els: list[dict]) -> list:
    seen = {}
    for el in els:
        d = el["data"]
        if "source" not in d:
            seen.setdefault(d["tradition"], (d["color"], d["glyph"]))
    return [html.Span("Node shape and colour = tradition: ")] + [
        html.Span([html.Span(glyph, className="legend-glyph", style={"color": c}, **{"aria-hidden": "true"}),
                   " ", name], className="me-2 text-nowrap")
        for name, (c, glyph) in seen.items()]


def edge_table(store: Store, topics: list[str]) -> html.Div:
    edges = critiques(store, topics)
    if not edges:
        return dbc.Alert("No organization characterizes another on these topics in the sources.", color="info")
    rows = [html.Tr([
        html.Td(dcc.Link(store.organizations[c.critic].name, href=f"/organizations/{c.critic}")),
        html.Td(dcc.Link(store.organizations[c.target].name, href=f"/organizations/{c.target}")),
        html.Td(edge_label(store, c)),
        html.Td(dcc.Link("Read the quotes", href=f"/debates{query_string({'topic': topics, 'edge': f'{c.critic}.{c.target}'})}",
                         className="edge-link")),
    ]) for c in edges]
    return html.Table([
        html.Caption("Every edge of the network, as a table: who writes about whom, on which topics, "
                     "with how many quotes."),
        html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Whose words", "About", "Topics (quotes)")]
                           + [html.Th(html.Span("Quotes", className="visually-hidden"), scope="col")])),
        html.Tbody(rows)], className="table table-sm")


def edge_panel(store: Store, topics: list[str], edge: str) -> list:
    if not edge:
        return [html.P("Select an edge in the network, or a row of the table, to read its quotes.",
                       className="text-body-secondary")]
    c = next((c for c in critiques(store, topics) if f"{c.critic}.{c.target}" == edge), None)
    if c is None:
        return []
    return [html.H2(f"{store.organizations[c.critic].name} on {store.organizations[c.target].name}",
                    className="h5"),
            html.P(f"{c.count} quote{'s' if c.count != 1 else ''}: {named(store.organizations[c.critic])}\u2019s "
                   "description of the other, favourable or critical, not the other's own view.",
                   className="small text-body-secondary"),
            *[quote_block(store, e, heading=store.topics[e.topic].name) for e in c.evidence]]


@safe_layout
def layout(**query):
    store = get_store()
    topics, edge, dropped = parse(store, query)
    els = elements(store, topics)
    return html.Div([
        dcc.Location(id="debates-url", refresh=False),
        page_header("Debates", "Who characterizes whom: an arrow runs from the organization whose words they are to "
                    "the organization they describe, labelled by topic and number of quotes."),
        notice(dropped),
        dbc.Row([topic_choice(store, "d-topic", topics, lg=6)], className="mb-2"),
        dbc.Row([
            dbc.Col(html.Div([
                cyto.Cytoscape(id="debates-graph", elements=els, stylesheet=STYLESHEET,
                               layout={"name": "circle", "padding": 30}, style={"width": "100%", "height": "520px"},
                               userZoomingEnabled=True, minZoom=0.4, maxZoom=2.5),
                html.Div(legend(store, els), className="small debates-legend"),
                html.P("Thicker arrows carry more quotes. Dashed red arrows: another organization's words, never the target's own.",
                       className="small text-body-secondary mb-0"),
            ], className="debates-graph-wrap", role="img",
                **{"aria-label": "Network of which organization characterizes which; the same data is in the "
                                 "table below."}), lg=7),
            dbc.Col(html.Div(edge_panel(store, topics, edge), id="debates-panel", **{"aria-live": "polite"}), lg=5),
        ], className="g-3"),
        html.Div(edge_table(store, topics), id="debates-table", className="table-responsive mt-3",
                 tabIndex="0", role="region", **{"aria-label": "Every edge of the network"}),
        dcc.Store(id="debates-edge", data=edge),
    ], className="debates-page")


def register(app) -> None:
    dash.register_page(__name__, path="/debates", layout=layout,
                       title="Tendency Atlas: debates", name="Debates", order=7, nav="Explore")

    @app.callback(
        Output("debates-graph", "elements"), Output("debates-table", "children"),
        Output("debates-panel", "children"), Output("debates-edge", "data"), Output("debates-url", "search"),
        Input("d-topic", "value"), Input("debates-graph", "tapEdgeData"),
        State("debates-edge", "data"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def update(topics, tapped, edge):
        store = get_store()
        topics, _, _ = parse(store, {"topic": topics or []})
        trigger = dash.ctx.triggered_id
        if trigger == "debates-graph":
            if not isinstance(tapped, dict) or not isinstance(tapped.get("source"), str) \
                    or not isinstance(tapped.get("target"), str):
                return no_update, no_update, no_update, no_update, no_update
            edge = f"{tapped['source']}.{tapped['target']}"
        known = {f"{c.critic}.{c.target}" for c in critiques(store, topics)}
        edge = edge if isinstance(edge, str) and edge in known else ""  # forged values of any type: none
        return (elements(store, topics) if trigger == "d-topic" else no_update, edge_table(store, topics),
                edge_panel(store, topics, edge), edge, query_string({"topic": topics, "edge": edge}))
