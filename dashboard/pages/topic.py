"""`/topics` and `/topics/<id>`: a topic's question, vocabulary, and every stance on it."""
from __future__ import annotations

import dash
from dash import dcc, html

from ..components.context import get_store
from ..components.blocks import stance_cards
from ..components.ui import first_screen, not_found, page_header, quote_cap, swatch
from . import path_part, safe_layout


@safe_layout
def index_layout(**_query):
    store = get_store()
    items = []
    for t in store.topics.values():
        n = len(store.stances_on(t.id))
        items.append(html.Li([dcc.Link(t.name, href=f"/topics/{t.id}", className="fw-semibold"), ": ", t.question,
                              html.Span(f" ({n} organization{'s' if n != 1 else ''} with evidence)",
                                        className="text-body-secondary small")]))
    return html.Div([page_header("Topics", "The questions that divide the organizations."),
                     html.Ul(items, className="topic-index")])


@safe_layout
def layout(topic_id: str = "", **_query):
    topic_id = path_part("/topics/", topic_id)
    store = get_store()
    topic = store.topics.get(topic_id)
    if topic is None:
        return not_found("topic", topic_id, "/topics", "See all topics")
    stances = store.stances_on(topic.id)
    vocab = html.Table([
        html.Thead(html.Tr([html.Th("Position", scope="col"), html.Th("Definition", scope="col"),
                            html.Th("Organizations", scope="col")])),
        html.Tbody([html.Tr([
            html.Td([swatch(store.color(topic.id, p.id)), p.label]),
            html.Td(p.definition),
            html.Td(str(sum(1 for s in stances if s.position == p.id))),
        ]) for p in topic.positions]),
    ], className="table table-sm vocab-table")
    groups = []
    cap = min(4, quote_cap(stances) or 4)  # at most four quotes per view, fewer if the topic has many stances
    by_position = [(p, [s for s in stances if s.position == p.id]) for p in topic.positions]
    # the first stances, in the page's order, draw their quotes; the others' load when opened
    eager = first_screen(([s] for _, holders in by_position for s in holders), cap)
    for p, holders in by_position:
        if not holders:
            continue
        groups.append(html.Section([
            html.H3([swatch(store.color(topic.id, p.id)), p.label], className="h5 mt-4", id=f"position-{p.id}"),
            html.P(p.definition, className="text-body-secondary small"),
            stance_cards(store, holders, cap, eager=max(eager, 0)),
        ]))
        eager -= len(holders)
    silent = [o for o in store.organizations.values() if (o.id, topic.id) not in store.stances]
    return html.Div([
        page_header(topic.name, topic.question),
        html.P(topic.description) if topic.description else None,
        html.H2("Positions", className="h5"),
        html.Div(vocab, className="table-responsive", tabIndex="0", role="region", **{"aria-label": "Positions"}),
        *groups,
        html.H2("No evidence in the sources", className="h5 mt-4"),
        html.P(("The sources say nothing on this topic about: " + ", ".join(o.name for o in silent) + ".")
               if silent else "Every organization has evidence on this topic.", className="text-body-secondary"),
    ], className="topic-page")


def register(app) -> None:
    dash.register_page("dashboard.pages.topics_index", path="/topics", layout=index_layout,
                       title="Tendency Atlas: topics", name="Topics", order=2, nav=True)
    dash.register_page(__name__, path_template="/topics/<topic_id>", layout=layout,
                       title="Tendency Atlas: topic", name="Topic")
