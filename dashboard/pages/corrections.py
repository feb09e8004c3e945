"""`/corrections[?org=A&org=B]`: the public corrections log, newest first, filterable by organization."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from ..components.context import get_store
from ..components.state import as_list, pick_known, query_string
from ..components.stated import corrections_list, feed_link
from ..components.ui import notice, org_choice, page_header
from ..data.store import Store
from . import plain_outputs, safe_layout


def parse(store: Store, query: dict) -> tuple[list[str], dict[str, list[str]]]:
    orgs, bad = pick_known(as_list(query.get("org")), store.organizations)
    return orgs, {"org": bad}


def render(store: Store, orgs: list[str]):
    shown = [c for c in store.corrections if not orgs or c.organization in orgs]
    if not shown:
        if not store.corrections:
            text = "No corrections yet: the editors have changed no stance since the log began."
        else:
            names = " or ".join(store.org_name(o) for o in orgs)
            text = f"No corrections to the record of {names}."
        return html.P(text, className="no-corrections alert alert-info")
    n = len(shown)
    return html.Div([
        html.P(f"{n} correction{'s' if n != 1 else ''}, newest first.", className="small text-body-secondary",
               **{"aria-live": "polite"}),
        html.P(feed_link(orgs), className="small"),
        corrections_list(store, shown, show_org=True),
    ])


@safe_layout
def layout(**query):
    store = get_store()
    orgs, dropped = parse(store, query)
    return html.Div([
        dcc.Location(id="corrections-url", refresh=False),
        page_header("Corrections",
                    "Every change the editors made to a stance's position, summary or attribution, with the date, "
                    "what it was, what it is, and why."),
        notice(dropped),
        html.P(["An organization or a reader who finds a stance wrong can ask for a correction: ",
                dcc.Link("how to ask, and what evidence the editors need", href="/reply"),
                "."], className="small"),
        dbc.Row(org_choice(store, "corr-org", orgs, "Organizations", "All organizations", lg=6), className="mb-3"),
        html.Div(render(store, orgs), id="corrections-body"),
    ], className="corrections-page")


def register(app) -> None:
    dash.register_page(__name__, path="/corrections", layout=layout,
                       title="Tendency Atlas: corrections", name="Corrections", order=11, nav="Explore")

    @app.callback(
        Output("corrections-body", "children"), Output("corrections-url", "search"),
        Input("corr-org", "value"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def update(orgs):
        store = get_store()
        orgs, _ = parse(store, {"org": orgs or []})
        return render(store, orgs), query_string({"org": orgs})
