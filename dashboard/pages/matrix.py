"""`/`: the stance matrix. Organizations as rows, grouped by tradition; topics as columns."""
from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, ctx, dcc, html, no_update

from ..components.context import get_store
from ..components.matrix import (GRID_COLUMNS, MAX_GRID_ROWS, MatrixState, filtered_evidence, grid_rows,
                                 parse_state, render_legend, render_matrix)
from ..components.state import query_string
from ..components.ui import (ATTRIBUTION_HELP, ATTRIBUTION_LABELS, choose, notice, org_choice, page_header,
                             stance_block, topic_choice)
from ..data.models import ATTRIBUTIONS
from ..data.store import Evidence, Store
from . import plain_outputs, safe_layout


def evidence_panel(store: Store, state: MatrixState):
    if not state.stance:
        return []
    org, topic = state.stance.split(".", 1)
    st = store.stances[(org, topic)]
    return [
        stance_block(store, st, attributions=state.allowed_attrs()),
        html.Div([
            dcc.Link(f"All of {store.organizations[org].display_name}'s stances", href=f"/organizations/{org}"),
            " · ",
            dcc.Link(f"Everyone on {store.topics[topic].name}", href=f"/topics/{topic}"),
        ], className="small mt-2"),
    ]


def panel_title(store: Store, state: MatrixState) -> html.Span:
    """The panel's title, which names the dialog (its `labelledby`)."""
    if not state.stance:
        return html.Span("Evidence", id="evidence-panel-title")
    org, topic = state.stance.split(".", 1)
    return html.Span(f"{store.organizations[org].name} on {store.topics[topic].name}", id="evidence-panel-title")


def result_summary(store: Store, state: MatrixState, evs: list[Evidence]) -> str:
    n_orgs = len({e.organization for e in evs})
    text = (f"{len(evs)} quote{'s' if len(evs) != 1 else ''} from {n_orgs} organization"
            f"{'s' if n_orgs != 1 else ''} match these filters.")
    if len(evs) > MAX_GRID_ROWS:
        text += f" The table below lists the first {MAX_GRID_ROWS}; the download on the About page has them all."
    return text


@safe_layout
def layout(**query):
    store = get_store()
    state, dropped = parse_state(store, query)
    evs = filtered_evidence(store, state)
    used = {o.tradition for o in store.organizations.values()}
    filters = dbc.Row([
        topic_choice(store, "f-topic", list(state.topics), md=6, lg=3),
        choose("Traditions", "f-tradition", list(state.traditions),
               ((t.id, t.name) for t in store.traditions.values() if t.id in used), "All traditions", md=6, lg=3),
        org_choice(store, "f-org", list(state.orgs), md=6, lg=3),
        dbc.Col([dbc.Label("Search quotes and summaries", html_for="f-q"),
                 dbc.Input(id="f-q", type="search", value=state.q, debounce=0.4, placeholder="e.g. Tiananmen",
                           maxLength=200)], md=6, lg=3),
        dbc.Col([html.Div("Whose words", className="form-label mb-1", id="f-attr-label"),
                 html.Div(dbc.Checklist(id="f-attr", inline=True, value=list(state.attrs),
                                        options=[{"label": html.Span(ATTRIBUTION_LABELS[a].capitalize(),
                                                                     title=ATTRIBUTION_HELP[a]), "value": a}
                                                 for a in ATTRIBUTIONS]),
                          role="group", **{"aria-labelledby": "f-attr-label"}),
                 html.Div("None ticked shows all.", className="form-text")], md=8),
        dbc.Col(html.Div(dcc.Link("Clear all filters", href="/", className="btn btn-outline-secondary btn-sm",
                                  id="f-clear"), className="mt-md-4"), md=4, className="text-md-end"),
    ], className="g-2 filters mb-2")
    return html.Div([
        dcc.Location(id="matrix-url", refresh=False),
        page_header("Where they stand",
                    "Each cell is an organization's stance on a topic, with the number of quotes behind it. "
                    "Select a cell to read the quotes."),
        notice(dropped),
        filters,
        html.P(result_summary(store, state, evs), id="matrix-count", className="small text-body-secondary",
               **{"aria-live": "polite"}),
        html.Div(render_matrix(store, state, evs), id="matrix"),
        html.Div(render_legend(store, state), id="matrix-legend", className="mt-2"),
        dbc.Offcanvas(evidence_panel(store, state), id="evidence-panel", title=panel_title(store, state),
                      labelledby="evidence-panel-title",
                      is_open=bool(state.stance), placement="end", scrollable=True, className="evidence-offcanvas"),
        dcc.Store(id="matrix-open", data=state.stance),
        html.Div(id="matrix-focus", hidden=True),
        html.H2("All matching quotes", className="h5 mt-4"),
        dag.AgGrid(id="evidence-grid", rowData=grid_rows(store, evs), columnDefs=GRID_COLUMNS,
                   defaultColDef={"sortable": True, "filter": True, "resizable": True},
                   dashGridOptions={"pagination": True, "paginationPageSize": 20, "domLayout": "autoHeight",
                                    "localeText": {"noRowsToShow": "No quotes match these filters."}},
                   columnSize="responsiveSizeToFit", style={"height": None}, className="ag-theme-quartz"),
    ], className="matrix-page")


def _state_from_inputs(store: Store, topics, trads, orgs, attrs, q, stance) -> MatrixState:
    state, _ = parse_state(store, {"topic": topics or [], "tradition": trads or [], "org": orgs or [],
                                   "attr": attrs or [], "q": q or "", "stance": stance or ""})
    return state


def register(app) -> None:
    dash.register_page(__name__, path="/", layout=layout, title="Tendency Atlas: stance matrix",
                       name="Matrix", order=0, nav=True)

    filter_inputs = [Input("f-topic", "value"), Input("f-tradition", "value"), Input("f-org", "value"),
                     Input("f-attr", "value"), Input("f-q", "value")]

    @app.callback(
        Output("matrix", "children"), Output("matrix-legend", "children"), Output("evidence-grid", "rowData"),
        Output("matrix-count", "children"),
        *filter_inputs,
        prevent_initial_call=True,
    )
    @plain_outputs
    def update_matrix(topics, trads, orgs, attrs, q):
        store = get_store()
        state = _state_from_inputs(store, topics, trads, orgs, attrs, q, "")
        evs = filtered_evidence(store, state)
        # the legend depends on the topics alone: the page drew it for the topics it opened with,
        # and only a change of topics changes it (a search, say, leaves it as it is)
        legend = render_legend(store, state) if "f-topic.value" in ctx.triggered_prop_ids else no_update
        return (render_matrix(store, state, evs), legend, grid_rows(store, evs), result_summary(store, state, evs))

    @app.callback(
        Output("matrix-open", "data"), Output("evidence-panel", "is_open"), Output("evidence-panel", "children"),
        Output("evidence-panel", "title"),
        Input({"type": "cell", "org": ALL, "topic": ALL}, "n_clicks"),
        Input("evidence-panel", "is_open"),
        State("f-attr", "value"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def open_cell(_clicks, is_open, attrs):
        trigger = ctx.triggered_id
        if isinstance(trigger, dict):
            if not ctx.triggered or not ctx.triggered[0].get("value"):
                return no_update, no_update, no_update, no_update
            store = get_store()
            stance = f"{trigger['org']}.{trigger['topic']}"
            state = _state_from_inputs(store, [], [], [], attrs, "", stance)
            return stance, True, evidence_panel(store, state), panel_title(store, state)
        if trigger == "evidence-panel" and not is_open:
            return "", no_update, no_update, no_update
        return no_update, no_update, no_update, no_update

    # Closing the evidence panel puts the keyboard focus back on its cell, also when the panel
    # was opened by the address (a shared link, the browser's Back) rather than by the cell.
    # The cell is remembered on the page while the panel is open: by the time the panel's close
    # reaches the callbacks, the server has already forgotten it ("matrix-open" is "" then).
    app.clientside_callback(ClientsideFunction("atlas", "rememberStance"), Output("matrix-focus", "title"),
                            Input("matrix-open", "data"))
    app.clientside_callback(
        ClientsideFunction("atlas", "focusCell"),
        Output("matrix-focus", "children"),
        Input("evidence-panel", "is_open"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("matrix-url", "search"),
        *filter_inputs, Input("matrix-open", "data"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def write_url(topics, trads, orgs, attrs, q, stance):
        store = get_store()
        state = _state_from_inputs(store, topics, trads, orgs, attrs, q, stance)
        return query_string(state.search())
