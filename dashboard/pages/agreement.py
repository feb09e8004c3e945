"""`/agreement`: how often two organizations take the same position, and on how many topics."""
from __future__ import annotations

import functools
from html import escape

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from ..components.context import get_store
from ..components import orgmap
from ..components.blocks import ranking_table
from ..components.tables import agreement_pairs_table
from ..components.state import as_list, first, pick_known, query_string
from ..components.ui import notice, page_header, topic_choice
from ..data.analysis import agreement_grid, closest, ranked_others
from ..data.fit import EVIDENCE_MODES
from ..data.orgmap import org_map
from ..data.store import Store
from . import plain_outputs, safe_layout

MODES = EVIDENCE_MODES  # data/fit.py: the match page's modes, in the same words


def parse(store: Store, query: dict):
    topics, bad_t = pick_known(as_list(query.get("topic")), store.topics)
    mode = first(query.get("mode"), "own")
    bad_m = [] if mode in MODES else [mode]
    mode = mode if mode in MODES else "own"
    org = first(query.get("org"), "iso" if "iso" in store.organizations else next(iter(store.organizations), ""))
    bad_o = [] if org in store.organizations else [org]
    if bad_o:
        org = next(iter(store.organizations), "")
    return topics, mode, org, {"topic": bad_t, "mode": bad_m, "org": bad_o}


MAX_FIGURE_ORGS = 30


def chart_orgs(store: Store, topics: list[str], mode: str, focus: str = ""):
    """What the chart shows: (score matrix, shared counts, the indexes of the organizations
    drawn, a note when some are left out). The chart and its table both draw these."""
    score, shared = agreement_grid(store, topics or None, mode == "all")
    all_orgs = list(store.organizations)
    idx = [i for i in range(len(all_orgs)) if shared[i].any()]
    note = ""
    if len(idx) > MAX_FIGURE_ORGS:  # at scale: the organizations sharing most topics, and the one in focus
        keep = sorted(idx, key=lambda i: -int(shared[i].sum()))[:MAX_FIGURE_ORGS]
        if focus in all_orgs and all_orgs.index(focus) not in keep:
            keep[-1] = all_orgs.index(focus)
        note = f" (the {MAX_FIGURE_ORGS} of {len(idx)} organizations with most shared topics)"
        idx = sorted(keep)
    return score, shared, idx, note


def figure(store: Store, topics: list[str], mode: str, focus: str = "") -> dict:
    """The agreement chart, as a plain figure dict (plotly's figure objects validate every
    value, which costs more than drawing). Names in hover text are escaped: plotly renders
    a few HTML tags there."""
    score, shared, idx, note = chart_orgs(store, topics, mode, focus)
    all_orgs = list(store.organizations)
    orgs = [all_orgs[i] for i in idx]
    # plotly renders a few HTML tags in labels and decodes entities: escaped, names show as written
    names = [escape(store.organizations[o].display_name, quote=False) for o in orgs]
    safe = names
    xs, ys, colors, sizes, hover, custom = [], [], [], [], [], []
    for a_pos, i in enumerate(idx):
        for b_pos, j in enumerate(idx):
            if i == j or not shared[i, j]:
                continue
            n = int(shared[i, j])
            xs.append(names[b_pos])
            ys.append(names[a_pos])
            colors.append(round(float(score[i, j]), 4))
            sizes.append(8 + 7 * min(n, 8))
            hover.append(f"<b>{safe[a_pos]} and {safe[b_pos]}</b><br>agreement {score[i, j]:.0%} over {n} shared "
                         f"topic{'s' if n != 1 else ''}<br><i>click to compare them</i>")
            custom.append(f"{orgs[a_pos]}.{orgs[b_pos]}")
    layout = {
        "template": _template(),
        "title": {"text": "Agreement between organizations (square size = number of shared topics)" + note, "x": 0},
        "xaxis": {"title": {"text": "organization"}, "categoryorder": "array", "categoryarray": names,
                  "tickangle": -40},
        "yaxis": {"title": {"text": "organization"}, "categoryorder": "array", "categoryarray": names[::-1]},
        "height": max(420, 44 * len(orgs) + 180), "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "plot_bgcolor": "#fafafa", "paper_bgcolor": "#ffffff",
    }
    if not xs:
        layout["annotations"] = [{"text": "No two organizations share a topic with these filters.",
                                  "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper"}]
    trace = {
        "type": "scatter", "x": xs, "y": ys, "mode": "markers", "customdata": custom, "hovertext": hover,
        "hoverinfo": "text",
        "marker": {"symbol": "square", "size": sizes, "color": colors, "cmin": 0, "cmax": 1, "colorscale": "Cividis",
                   "line": {"width": 1, "color": "#333"},
                   "colorbar": {"title": {"text": "agreement"}, "tickvals": [0, .5, 1],
                                "ticktext": ["different", "related", "same"]}},
    }
    return {"data": [trace], "layout": layout}


@functools.lru_cache(maxsize=1)
def _template() -> dict:
    """Plotly's default template (axis margins that fit the labels, grid, fonts), as plotly's
    figure objects would add it."""
    import plotly.io as pio

    return pio.templates[pio.templates.default].to_plotly_json()


def chart_table(store: Store, topics: list[str], mode: str, focus: str = ""):
    """The chart as a table (components/tables.py), drawn from the chart's own selection."""
    score, shared, idx, note = chart_orgs(store, topics, mode, focus)
    return agreement_pairs_table(store, score, shared, idx, note)


MAX_RANKING = 25


def ranking(store: Store, org: str, topics: list[str], mode: str):
    """The organizations closest to `org`, best first: ranked from the agreement grid, the
    first MAX_RANKING spelled out (which topics they agree on)."""
    others = ranked_others(store, org, topics or None, mode == "all")
    if not others:
        return html.P(f"{store.organizations[org].name} shares no topic with another organization under these "
                      "filters.", className="no-evidence")
    return ranking_table(store, org, closest(store, org, mode == "all", MAX_RANKING, topics or None), len(others))


@safe_layout
def layout(**query):
    store = get_store()
    topics, mode, org, dropped = parse(store, query)
    return html.Div([
        dcc.Location(id="agreement-url", refresh=False),
        dcc.Location(id="agreement-nav", refresh="callback-nav"),
        page_header("Agreement", "How often two organizations take the same position, on the topics where both "
                    "have stances. A score over one shared topic is a small square; over six, a large one."),
        notice(dropped),
        dbc.Row([
            topic_choice(store, "a-topic", topics, lg=5),
            dbc.Col([html.Div("Whose words count", className="form-label", id="a-mode-label"),
                     html.Div(dbc.RadioItems(id="a-mode", value=mode, options=[{"label": v, "value": k}
                                                                               for k, v in MODES.items()]),
                              role="radiogroup", **{"aria-labelledby": "a-mode-label"})], lg=4),
            dbc.Col([dbc.Label("Closest to", html_for="a-org"),
                     dcc.Dropdown(id="a-org", value=org, clearable=False,
                                  options=[{"label": o.name, "value": o.id} for o in store.organizations.values()])],
                    lg=3),
        ], className="g-2 mb-2"),
        html.Div(ranking(store, org, topics, mode), id="agreement-ranking", className="table-responsive",
                 tabIndex="0", role="region", **{"aria-label": "Closest organizations"}),
        dcc.Graph(id="agreement-graph", figure=figure(store, topics, mode, org), config={"displaylogo": False},
                  className="agreement-graph"),
        html.Details([html.Summary("The chart as a table"),
                      html.Div(chart_table(store, topics, mode, org), id="agreement-table",
                               className="table-responsive", tabIndex="0", role="region",
                               **{"aria-label": "The chart as a table"})],
                     className="chart-table mt-2"),
        map_section(store, topics, mode),
    ], className="agreement-page")


def map_parts(store: Store, topics: list[str], mode: str):
    """The map's figure, the words for its axes, and its table (components/orgmap.py)."""
    m = org_map(store, topics or None, mode == "all")
    return (orgmap.figure(store, m, _template()), orgmap.axis_words(store, m) if m else None,
            orgmap.map_table(store, m))


def map_section(store: Store, topics: list[str], mode: str) -> html.Section:
    fig, words, table = map_parts(store, topics, mode)
    return html.Section([
        dcc.Location(id="agreement-map-nav", refresh="callback-nav"),
        html.H2("A map of the organizations", className="h5 mt-4", id="agreement-map-heading"),
        html.P("Organizations that agree more sit closer together: the agreement above, laid out on the two axes "
               "that keep its distances best (classical multidimensional scaling). Select a point to open its "
               "organization's page.", className="small"),
        dcc.Graph(id="agreement-map", figure=fig, config={"displaylogo": False}, className="org-map"),
        html.Div(words, id="agreement-map-words"),
        html.Details([html.Summary("The map as a table"),
                      html.Div(table, id="agreement-map-table", className="table-responsive", tabIndex="0",
                               role="region", **{"aria-label": "The map as a table"})],
                     className="chart-table mt-2"),
    ], className="agreement-map", **{"aria-labelledby": "agreement-map-heading"})


def register(app) -> None:
    dash.register_page(__name__, path="/agreement", layout=layout,
                       title="Tendency Atlas: agreement", name="Agreement", order=6, nav="Explore")

    @app.callback(
        Output("agreement-graph", "figure"), Output("agreement-ranking", "children"),
        Output("agreement-table", "children"), Output("agreement-url", "search"),
        Input("a-topic", "value"), Input("a-mode", "value"), Input("a-org", "value"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def update(topics, mode, org):
        store = get_store()
        topics, mode, org, _ = parse(store, {"topic": topics or [], "mode": mode or "own", "org": org or ""})
        return (figure(store, topics, mode, org), ranking(store, org, topics, mode),
                chart_table(store, topics, mode, org), query_string({"topic": topics, "mode": mode if mode != "own" else "", "org": org}))

    @app.callback(
        Output("agreement-map", "figure"), Output("agreement-map-words", "children"),
        Output("agreement-map-table", "children"),
        Input("a-topic", "value"), Input("a-mode", "value"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def update_map(topics, mode):
        store = get_store()
        topics, mode, _, _ = parse(store, {"topic": topics or [], "mode": mode or "own"})
        return map_parts(store, topics, mode)

    @app.callback(
        Output("agreement-map-nav", "href"),
        Input("agreement-map", "clickData"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def open_organization(click):
        store = get_store()
        try:
            org = click["points"][0]["customdata"]
        except (TypeError, KeyError, IndexError):
            return dash.no_update
        return f"/organizations/{org}" if isinstance(org, str) and org in store.organizations else dash.no_update

    @app.callback(
        Output("agreement-nav", "href"),
        Input("agreement-graph", "clickData"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def open_compare(click):
        try:
            a, b = click["points"][0]["customdata"].split(".")
        except (TypeError, KeyError, IndexError, ValueError, AttributeError):
            return dash.no_update
        return f"/compare?org={a}&org={b}"
