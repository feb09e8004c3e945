"""`/organizations` and `/organizations/<id>`: facts, stances, and what critics say beside what it says."""
from __future__ import annotations

import dash
from dash import MATCH, Input, Output, ctx, dcc, html
from dash.exceptions import PreventUpdate

from ..components.context import get_store
from ..components.blocks import closest_list, facts_table, quote_links, side_by_side, stance_sections
from ..components.ui import QUOTE_BUDGET, first_screen, not_found, page_header, quote_cap
from ..components.stated import corrections_section
from ..data.analysis import closest
from ..data.memo import memo
from . import path_part, plain_outputs, safe_layout

@safe_layout
def index_layout(**_query):
    store = get_store()
    rows = []
    for o in store.organizations.values():
        n = len(store.stances_of(o.id))
        rows.append(html.Tr([
            html.Td(dcc.Link(o.name, href=f"/organizations/{o.id}")),
            html.Td(store.traditions[o.tradition].name),
            html.Td(o.country or "not stated"),
            html.Td(f"{n} of {len(store.topics)}"),
        ]))
    return html.Div([
        page_header("Organizations", "Every organization and current the sources characterize."),
        html.Div(html.Table([html.Thead(html.Tr([html.Th(h, scope="col") for h in
                                                 ("Name", "Tradition", "Country", "Topics with evidence")])),
                             html.Tbody(rows)], className="table table-sm"), className="table-responsive",
                 tabIndex="0", role="region", **{"aria-label": "Organizations"}),
    ])


def _spoken_by(store, org_id: str) -> list:
    """Quotes whose speaker speaks for `org_id` (indexed once per store)."""
    index = memo(store).get("spoken_by")
    if index is None:
        index = {}
        for e in store.evidence:
            if e.speaker_org:
                index.setdefault(e.speaker_org, []).append(e)
        memo(store)["spoken_by"] = index
    return index.get(org_id, [])


def _cap(stances) -> int | None:
    # each quote is drawn once, in its stance; "own words beside others'" refers to it there
    # (a reference costs about a quarter of a quote, hence half the budget for the quotes)
    return quote_cap(stances, budget=QUOTE_BUDGET // 2)


def side_section(org_id: str, n: int) -> html.Details:
    """Own words beside others' (blocks.side_by_side): closed at first, filled when the reader
    opens it (`load_side`), so that the page's first answer carries only what shows; the
    address stays the same."""
    return html.Details([
        html.Summary(html.H2(f"What it says of itself, and what others say of it ({n} topic{'s' if n != 1 else ''})",
                             className="h5 d-inline"), className="mt-4 mb-2"),
        html.Div(html.P("Loading\u2026", className="text-body-secondary small"),
                 id={"type": "org-side-body", "org": org_id}, **{"aria-live": "polite"}),
    ], id={"type": "org-side", "org": org_id}, className="org-side")


def _eager(stances, cap) -> int:
    """How many stances, from the first, draw their quotes in the page's first answer (the
    others' load when opened: ui.first_screen)."""
    return first_screen(([st] for st in stances), cap)


def side_of(store, org_id: str) -> list:
    """What `load_side` sends when the section is opened."""
    stances = store.stances_of(org_id)
    cap = _cap(stances)
    return side_by_side(store, stances, cap, _eager(stances, cap))


@safe_layout
def layout(org_id: str = "", **_query):
    org_id = path_part("/organizations/", org_id)
    store = get_store()
    org = store.organizations.get(org_id)
    if org is None:
        return not_found("organization", org_id, "/organizations", "See all organizations")
    stances = store.stances_of(org.id)
    cap = _cap(stances)
    sections = stance_sections(store, stances, cap, _eager(stances, cap))
    silent = [t.name for t in store.topics.values() if (org.id, t.id) not in store.stances]
    n_side = sum(1 for st in stances if any(e.attribution != "self" for e in st.all_evidence))
    said_by_it = [e for e in _spoken_by(store, org.id) if e.organization != org.id]
    near = closest(store, org.id, limit=5)
    near_block = closest_list(store, org.id, near) if near else None
    return html.Div([
        page_header(org.name, " · ".join(x for x in (org.short_name, org.country, store.traditions[org.tradition].name)
                                         if x)),
        html.P(org.description) if org.description else None,
        html.H2("Facts", className="h5"),
        facts_table(store, org),
        html.H2("Stances", className="h5 mt-4"),
        *(sections or [html.P("The sources characterize no stance of this organization on the topics.",
                              className="no-evidence")]),
        html.P(f"No evidence in the sources on: {', '.join(silent)}.", className="text-body-secondary")
        if silent else None,
        corrections_section(store, org.id),
        near_block,
        side_section(org.id, n_side) if n_side else None,
        html.H2(f"What {org.display_name} says of others", className="h5 mt-4") if said_by_it else None,
        quote_links(store, said_by_it) if said_by_it else None,
        html.P(dcc.Link("Compare with another organization", href=f"/compare?org={org.id}"), className="mt-3"),
    ], className="organization-page")


def register(app) -> None:
    @app.callback(Output({"type": "org-side-body", "org": MATCH}, "children"),
                  Input({"type": "org-side", "org": MATCH}, "n_clicks"),
                  prevent_initial_call=True)
    @plain_outputs
    def load_side(n_clicks):
        # the first click opens the section (a closed <details> shows only its summary); later
        # clicks (closing, reopening, inside) keep what was loaded
        store = get_store()
        trigger = ctx.triggered_id
        org_id = trigger.get("org") if isinstance(trigger, dict) else None
        if n_clicks != 1 or not isinstance(org_id, str) or org_id not in store.organizations:
            raise PreventUpdate
        return side_of(store, org_id)

    dash.register_page("dashboard.pages.organizations_index", path="/organizations", layout=index_layout,
                       title="Tendency Atlas: organizations", name="Organizations", order=3, nav=True)
    dash.register_page(__name__, path_template="/organizations/<org_id>", layout=layout,
                       title="Tendency Atlas: organization", name="Organization")
