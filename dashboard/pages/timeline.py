"""`/timeline`: the dated evidence over time, by organization and topic."""
from __future__ import annotations

from html import escape

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, dcc, html, no_update

from ..components.context import get_store
from ..components.state import as_list, pick_known, query_string
from ..components.tables import dated_quotes_table
from ..components.ui import (ATTRIBUTION_LABELS, notice, org_choice, page_header, quote_block, shorten,
                             topic_choice)
from ..data.analysis import dated_evidence, undated_evidence
from ..data.models import ATTRIBUTIONS
from ..data.store import PALETTE, Store
from . import plain_outputs, safe_layout

# whose words by shape (never by colour alone); every marker outlined in near-black, so that it stands
# out at 3:1 or more from the plot's background whatever its topic's colour
SYMBOLS = {"self": "circle", "critic": "x", "observer": "diamond"}
OUTLINE = "#222222"
# which topic by text as well as colour (WCAG 1.4.1): every point carries its topic's number,
# the legend and the hover name the topic, and a shaded span's dash is its topic's
DASHES = ("solid", "dot", "dash", "longdash", "dashdot", "longdashdot")


def topic_numbers(store: Store) -> dict[str, int]:
    return {t: i + 1 for i, t in enumerate(store.topics)}


def parse(store: Store, query: dict):
    orgs, bad_o = pick_known(as_list(query.get("org")), store.organizations)
    topics, bad_t = pick_known(as_list(query.get("topic")), store.topics)
    return orgs, topics, {"org": bad_o, "topic": bad_t}


def esc(text: str) -> str:
    """Text for a plotly label: plotly renders a few HTML tags (<b>, <a>...) in labels, and
    decodes entities, so escaping shows names and quotes exactly as written."""
    return escape(text, quote=False)


MAX_POINTS = 1500  # beyond this the chart shows the organizations with most dated quotes


def chart_rows(store: Store, orgs: list[str], topics: list[str]):
    """The dated quotes the chart draws, and a note when some are left out: the chart and its
    table both draw these."""
    rows = [(d, e) for d, e in dated_evidence(store)
            if (not orgs or e.organization in orgs) and (not topics or e.topic in topics)]
    note = ""
    if len(rows) > MAX_POINTS:
        per_org: dict[str, int] = {}
        for _, e in rows:
            per_org[e.organization] = per_org.get(e.organization, 0) + 1
        keep, total = set(), 0
        for o, n in sorted(per_org.items(), key=lambda x: -x[1]):
            if total + n > MAX_POINTS and keep:
                break
            keep.add(o)
            total += n
        note = (f" (the {len(keep)} of {len(per_org)} organizations with most dated quotes: "
                "choose organizations or topics to see others)")
        rows = [(d, e) for d, e in rows if e.organization in keep]
    return rows, note


MAX_TABLE_ROWS = 300  # the table beside the chart lists this many; filters narrow it


def chart_table(store: Store, orgs: list[str], topics: list[str]):
    """The chart as a table (components/tables.py), drawn from the chart's own rows."""
    rows, note = chart_rows(store, orgs, topics)
    return dated_quotes_table(store, rows, note, MAX_TABLE_ROWS)


def figure(store: Store, orgs: list[str], topics: list[str]) -> go.Figure:
    rows, note = chart_rows(store, orgs, topics)
    fig = go.Figure()
    topic_color = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(store.topics)}
    number = topic_numbers(store)
    # spans: a stance whose evidence spans several dates
    spans = {}
    for d, e in rows:
        spans.setdefault((e.organization, e.topic), []).append(d)
    for (o, t), ds in spans.items():
        if min(ds) != max(ds):
            fig.add_trace(go.Scatter(x=[min(ds), max(ds)], y=[esc(store.organizations[o].display_name)] * 2,
                                     mode="lines", line=dict(color=topic_color[t], width=6,
                                               dash=DASHES[(number[t] - 1) % len(DASHES)]), opacity=0.35,
                                     hoverinfo="skip", showlegend=False))
    for t in store.topics:
        for attr in ATTRIBUTIONS:
            pts = [(d, e) for d, e in rows if e.topic == t and e.attribution == attr]
            if not pts:
                continue
            fig.add_trace(go.Scatter(
                x=[d for d, _ in pts], y=[esc(store.organizations[e.organization].display_name) for _, e in pts],
                mode="markers+text", text=[str(number[t])] * len(pts), textposition="top center",
                textfont=dict(size=10, color=OUTLINE),
                name=f"{number[t]} {esc(store.topics[t].name)} \u00b7 {ATTRIBUTION_LABELS[attr]}",
                marker=dict(color=topic_color[t], symbol=SYMBOLS[attr], size=12, line=dict(width=1.2, color=OUTLINE)),
                customdata=[e.quote_id for _, e in pts],
                hovertext=[f"<b>{esc(store.organizations[e.organization].display_name)}</b> on "
                           f"{esc(store.topics[t].name)} (topic {number[t]}), {esc(e.date or '')}<br>{esc(e.speaker)} "
                           f"({ATTRIBUTION_LABELS[attr]})<br>\u201c{esc(shorten(e.text, 90))}\u201d" for _, e in pts],
                hoverinfo="text"))
    fig.update_layout(
        title=dict(text="When each position was stated (click a point to read the quote; the number by a point "
                        "is its topic's)" + note, x=0),
        xaxis=dict(title="date of the words (as precise as the source allows)"),
        yaxis=dict(title="organization"), legend=dict(title="topic (its number on each point) \u00b7 whose words"),
        height=max(380, 40 * len({e.organization for _, e in rows}) + 220), margin=dict(l=10, r=10, t=60, b=10),
        plot_bgcolor="#fafafa",
    )
    if not rows:
        fig.add_annotation(text="No dated evidence matches these filters.", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
    return fig


@safe_layout
def layout(**query):
    store = get_store()
    orgs, topics, dropped = parse(store, query)
    undated = len(undated_evidence(store))
    return html.Div([
        dcc.Location(id="timeline-url", refresh=False),
        page_header("Timeline", "The dated evidence: when each organization's position was stated, and by whom. "
                    "A shaded bar shows a stance whose evidence spans several dates."),
        notice(dropped),
        dbc.Row([
            org_choice(store, "t-org", orgs, lg=6),
            topic_choice(store, "t-topic", topics, lg=6),
        ], className="g-2 mb-2"),
        dcc.Graph(id="timeline-graph", figure=figure(store, orgs, topics), config={"displaylogo": False}),
        html.Details([html.Summary("The chart as a table"),
                      html.Div(chart_table(store, orgs, topics), id="timeline-table", className="table-responsive",
                               tabIndex="0", role="region", **{"aria-label": "The chart as a table"})],
                     className="chart-table mt-2"),
        html.P(f"{undated} quote{'s are' if undated != 1 else ' is'} undated in the sources and not shown. "
               "Each stance holds one position per organization and topic, so a change of position would appear "
               "as a contested stance or a counter view; none of the bundled sources records one.",
               className="small text-body-secondary"),
        html.Div(id="timeline-quote", **{"aria-live": "polite"}),
    ], className="timeline-page")


def register(app) -> None:
    dash.register_page(__name__, path="/timeline", layout=layout,
                       title="Tendency Atlas: timeline", name="Timeline", order=9, nav="Explore")

    @app.callback(
        Output("timeline-graph", "figure"), Output("timeline-table", "children"), Output("timeline-url", "search"),
        Input("t-org", "value"), Input("t-topic", "value"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def update(orgs, topics):
        store = get_store()
        orgs, topics, _ = parse(store, {"org": orgs or [], "topic": topics or []})
        return figure(store, orgs, topics), chart_table(store, orgs, topics), query_string({"org": orgs, "topic": topics})

    @app.callback(Output("timeline-quote", "children"), Input("timeline-graph", "clickData"),
                  prevent_initial_call=True)
    @plain_outputs
    def show_quote(click):
        store = get_store()
        try:
            ev = store.quote(click["points"][0]["customdata"])
        except (TypeError, KeyError, IndexError):
            return no_update
        if ev is None:
            return no_update
        return quote_block(store, ev, show_org=True, heading=store.topics[ev.topic].name)
