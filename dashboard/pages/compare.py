"""`/compare?org=A&org=B[...]`: organizations side by side, one row per topic."""
from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, dcc, html

from ..components.context import get_store
from ..components.blocks import AGREEMENT_TEXT, compare_row
from ..components.state import as_list, flag, pick_known, query_string
from ..components.ui import QUOTE_BUDGET, first_screen, notice, org_choice, page_header, quote_cap, topic_choice
from ..data.analysis import topic_agreement
from ..data.store import Store
from . import plain_outputs, safe_layout

MAX_ORGS = 4

def parse(store: Store, query: dict) -> tuple[list[str], list[str], bool, dict[str, list[str]]]:
    orgs, bad_o = pick_known(as_list(query.get("org")), store.organizations)
    topics, bad_t = pick_known(as_list(query.get("topic")), store.topics)
    extra = []
    if len(orgs) > MAX_ORGS:
        orgs, extra = orgs[:MAX_ORGS], orgs[MAX_ORGS:]
    dropped = {"org": bad_o, "topic": bad_t}
    if extra:
        dropped["more than four organizations"] = extra
    return orgs, topics, flag(query.get("hide")), dropped


def render(store: Store, orgs: list[str], topics: list[str], hide: bool):
    if len(orgs) < 2:
        suggestions = [("iso", "psl"), ("iso", "wsws"), ("fourth-international", "iso")]
        links = [html.Li(dcc.Link(" and ".join(store.organizations[o].name for o in pair),
                                  href=f"/compare?org={pair[0]}&org={pair[1]}"))
                 for pair in suggestions if all(o in store.organizations for o in pair)]
        return html.Div([dbc.Alert("Choose two to four organizations above to compare them side by side.",
                                   color="info", className="compare-prompt"),
                         html.P("For example:") if links else None, html.Ul(links) if links else None])
    topic_ids = [t for t in store.topics if not topics or t in topics]
    width = 12 // len(orgs)
    kinds = {t: topic_agreement(store, orgs, t) for t in topic_ids}
    shown = [t for t in topic_ids if not (hide and kinds[t] == "agree")]
    hidden = len(topic_ids) - len(shown)
    # half the page budget: four columns of stances, each with its counter views, are the
    # heaviest answer at scale (about 1.6 KB a quote); "more quotes" links reach the rest
    cap = quote_cap((st for t in shown for o in orgs if (st := store.stances.get((o, t))) is not None),
                    budget=QUOTE_BUDGET // 2)
    # the first rows draw their quotes; the later rows' stances load theirs when opened
    eager = first_screen(([st for o in orgs if (st := store.stances.get((o, t))) is not None] for t in shown), cap)
    rows = [compare_row(store, t, orgs, kinds[t], cap, lazy=i >= eager) for i, t in enumerate(shown)]
    header = dbc.Row([dbc.Col(html.Div(dcc.Link(store.organizations[o].name, href=f"/organizations/{o}"),
                                       className="compare-col-head"), lg=width, className="d-none d-lg-block")
                      for o in orgs], className="g-3 compare-header")
    note = html.P(f"{hidden} topic{'s' if hidden != 1 else ''} where they take the same position "
                  f"{'are' if hidden != 1 else 'is'} hidden.", className="small text-body-secondary") if hidden else None
    capped = html.P(f"Many quotes: each view shows its first {cap}; follow \u201cmore quotes\u201d for the rest.",
                    className="small text-body-secondary") if cap is not None else None
    if not rows:
        rows = [dbc.Alert("They take the same position on every topic shown.", color="info")]
    legend = html.Div([html.Span(AGREEMENT_TEXT[k], className=f"badge agreement-badge agreement-{k} me-1")
                       for k in ("agree", "related", "differ", "partial")], className="compare-legend small mb-2",
                      **{"aria-label": "Legend of row marks"})
    return html.Div([legend, note, capped, header, *rows])


@safe_layout
def layout(**query):
    store = get_store()
    orgs, topics, hide, dropped = parse(store, query)
    return html.Div([
        dcc.Location(id="compare-url", refresh=False),
        page_header("Compare organizations", "Their positions side by side, each with the quotes it rests on."),
        notice(dropped),
        dbc.Row([
            org_choice(store, "c-org", orgs, "Organizations (two to four)", "Choose organizations", lg=6),
            topic_choice(store, "c-topic", topics, lg=4),
            dbc.Col(dbc.Switch(id="c-hide", label="Hide rows where they agree", value=hide, className="mt-lg-4"),
                    lg=2),
        ], className="g-2 mb-3"),
        html.Div(render(store, orgs, topics, hide), id="compare-body"),
    ], className="compare-page")


def register(app) -> None:
    dash.register_page(__name__, path="/compare", layout=layout,
                       title="Tendency Atlas: compare", name="Compare", order=1, nav=True)

    @app.callback(
        Output("compare-body", "children"), Output("compare-url", "search"),
        Input("c-org", "value"), Input("c-topic", "value"), Input("c-hide", "value"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def update(orgs, topics, hide):
        store = get_store()
        orgs, topics, hide, _ = parse(store, {"org": orgs or [], "topic": topics or [], "hide": "1" if hide else ""})
        return render(store, orgs, topics, hide), query_string({"org": orgs, "topic": topics, "hide": hide})
