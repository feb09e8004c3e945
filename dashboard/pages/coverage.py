"""`/coverage`: how much evidence exists per organization and topic, split by attribution."""
from __future__ import annotations

import dash
from dash import dcc, html

from ..components.context import get_store
from ..components.ui import ATTRIBUTION_LABELS, page_header
from ..data.analysis import coverage
from ..data.models import ATTRIBUTIONS
from ..data.store import READING_HELP
from . import safe_layout

ATTRS = ATTRIBUTIONS


def cell(store, counts, org, topic):
    if not counts:
        return html.Td(html.Span("none", className="no-evidence"), className="cov-cell cov-none")
    total = sum(counts.values())
    flag = None
    if not counts.get("self"):
        flag = ("others' words only" if counts.get("critic") and not counts.get("observer") else
                "one remark" if total == 1 and counts.get("observer") else "no own words")
    bar = html.Div([html.Span(style={"flexGrow": counts.get(a, 0)}, className=f"cov-bar attr-{a}",
                              title=f"{counts.get(a, 0)} {ATTRIBUTION_LABELS[a]}")
                    for a in ATTRS if counts.get(a)], className="cov-bars", **{"aria-hidden": "true"})
    label = " / ".join(f"{counts.get(a, 0)}" for a in ATTRS)
    st = store.stances.get((org, topic))
    reading = html.Span("\u2248 editors' reading", className="cov-reading", title=READING_HELP) \
        if st is not None and st.is_reading else None
    return html.Td(dcc.Link([bar, html.Span(label, className="cov-numbers"),
                             html.Span(flag, className="cov-flag") if flag else None, reading],
                            href=f"/?stance={org}.{topic}",
                            title=f"{counts.get('self', 0)} own words, {counts.get('critic', 0)} other organizations, "
                                  f"{counts.get('observer', 0)} observers: open the quotes"),
                   className="cov-cell" + (" cov-weak" if flag else ""))


@safe_layout
def layout(**_query):
    store = get_store()
    cov = coverage(store)
    head = html.Thead(html.Tr([html.Th("Organization", scope="col", className="org-col")] +
                              [html.Th(dcc.Link(t.name, href=f"/topics/{t.id}"), scope="col")
                               for t in store.topics.values()]))
    rows = [html.Tr([html.Th(dcc.Link(o.display_name, href=f"/organizations/{o.id}"), scope="row",
                             className="org-col")] +
                    [cell(store, cov.get((o.id, t)), o.id, t) for t in store.topics])
            for o in store.organizations.values()]
    weak = sum(1 for c in cov.values() if not c.get("self"))
    return html.Div([
        page_header("Coverage", "How much evidence there is for each stance, and whose words it is: own words / "
                    "other organizations / observers. Cells marked in orange rest on others' words alone."),
        html.P(f"{len(cov)} stances; {weak} rest without any of the organization's own words.",
               className="small"),
        html.Div([html.Span("Legend: ", className="small")] +
                 [html.Span(ATTRIBUTION_LABELS[a], className=f"badge attr-badge attr-{a} me-1") for a in ATTRS] +
                 [html.Span(" numbers are own / other organizations' / observer quotes; select a cell to read them. ",
                            className="small"),
                  html.Span("\u2248 editors' reading", className="cov-reading"),
                  html.Span(": the quotes imply the position but do not state it.", className="small")],
                 className="mb-2"),
        html.Div(html.Table([html.Caption("Quotes per organization and topic, by attribution"), head,
                             html.Tbody(rows)], className="matrix-table coverage-table"),
                 className="matrix-scroll", tabIndex="0", role="region", **{"aria-label": "Coverage table"}),
    ], className="coverage-page")


def register(app) -> None:
    dash.register_page(__name__, path="/coverage", layout=layout,
                       title="Tendency Atlas: coverage", name="Coverage", order=8, nav="Explore")
