"""`/lineage`: traditions as a tree, each with its organizations and their dated facts
(founding, splits, relations), every fact linked to its source."""
from __future__ import annotations

import dash
from dash import dcc, html

from ..components.context import get_store
from ..components.ui import FACT_LABELS, page_header
from ..data.store import Store
from . import safe_layout

DATED = ("founded", "dissolved", "split-from", "expelled-from", "member-of", "related", "publishes")


def org_item(store: Store, org_id: str) -> html.Li:
    org = store.organizations[org_id]
    facts = [f for f in org.facts if f.kind in DATED]
    dissolved = any(f.kind == "dissolved" for f in org.facts)
    items = []
    for f in facts:
        src = store.sources[f.source]
        other = store.organizations[f.organization].name if f.organization in store.organizations else None
        items.append(html.Li([
            html.Span(FACT_LABELS.get(f.kind, f.kind), className="fw-semibold"), ": ",
            (f.value + " \u00b7 ") if f.value else "",
            (dcc.Link(other, href=f"/organizations/{f.organization}") if other else None),
            (" \u00b7 " if other else ""), f.text, " ",
            html.Span(["(", html.Cite(src.title), f", {src.date}" if src.date else "", ")"],
                      className="small text-body-secondary", title=f.quote),
        ]))
    return html.Li([
        dcc.Link(org.name, href=f"/organizations/{org.id}", className="fw-semibold"),
        html.Span(" (no longer active, per the sources)", className="badge bg-secondary ms-1") if dissolved else None,
        html.Span(f" \u00b7 {org.country}" if org.country else "", className="small"),
        html.Ul(items, className="small lineage-facts") if items else
        html.Div("The sources give no founding or split dates.", className="no-evidence"),
    ], className="lineage-org")


def tradition_item(store: Store, trad_id: str, children: dict[str, list[str]]) -> html.Li:
    t = store.traditions[trad_id]
    orgs = [o.id for o in store.organizations.values() if o.tradition == trad_id]
    kids = children.get(trad_id, [])
    return html.Li([
        html.Details([
            html.Summary([html.Span(t.name, className="fw-bold"), " ",
                          html.Span(f"\u2014 {t.description}", className="small text-body-secondary")]),
            html.Ul([org_item(store, o) for o in orgs], className="lineage-orgs") if orgs else None,
            html.Ul([tradition_item(store, k, children) for k in kids], className="lineage-tree") if kids else None,
        ], open=True),
    ], className="lineage-tradition")


@safe_layout
def layout(**_query):
    store = get_store()
    children: dict[str, list[str]] = {}
    roots = []
    for t in store.traditions.values():
        if t.parent and t.parent in store.traditions:
            children.setdefault(t.parent, []).append(t.id)
        else:
            roots.append(t.id)
    return html.Div([
        page_header("Lineage", "Which current came from which, and the founding and split dates the sources give. "
                    "The tree of traditions is the editors' classification; each dated fact is quoted from a source "
                    "(hover the source for the words)."),
        html.Ul([tradition_item(store, r, children) for r in roots], className="lineage-tree lineage-root"),
    ], className="lineage-page")


def register(app) -> None:
    dash.register_page(__name__, path="/lineage", layout=layout,
                       title="Tendency Atlas: lineage", name="Lineage", order=10, nav="Explore")
