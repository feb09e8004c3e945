"""Larger builders of the views, drawn with `lite` because at scale they repeat hundreds of
times (rows of the comparison, stance cards, quote lists, the agreement ranking). Pages
compose these and real components; only `components/` uses `lite` itself."""
from __future__ import annotations

from typing import Iterable

from ..data.analysis import MIN_SHARED, Agreement
from ..data.store import Evidence, StanceRecord, Store
from . import lite
from .ui import FACT_LABELS, quote_block, quote_ref, shorten, stance_block, stance_href, stance_quotes

AGREEMENT_TEXT = {
    "agree": "Same position",
    "related": "Related positions (same family)",
    "differ": "Different positions",
    "partial": "Not comparable: evidence for fewer than two",
}


def compare_row(store: Store, topic_id: str, orgs: list[str], kind: str, cap: int | None,
                lazy: bool = False) -> lite.Element:
    """One topic of the comparison: each organization's stance side by side, marked by `kind`
    (a key of AGREEMENT_TEXT); `lazy`: each stance's quotes load when opened."""
    h, link, col = lite.html, lite.dcc.Link, lite.dbc.Col
    topic = store.topics[topic_id]
    width = 12 // len(orgs)
    cols = []
    for o in orgs:
        st = store.stances.get((o, topic_id))
        content = (stance_block(store, st, max_quotes=cap, lazy=lazy) if st is not None else
                   h.P("No evidence in the sources.", className="no-evidence"))
        cols.append(col(h.Div([h.Div(store.organizations[o].display_name, className="compare-org-label"), content],
                              className="compare-cell"), xs=12, lg=width))
    return h.Section([
        h.Div([
            h.H2(link(topic.name, href=f"/topics/{topic_id}"), className="h5 mb-0"),
            h.Span(topic.question, className="text-body-secondary small ms-2"),
            h.Span(AGREEMENT_TEXT[kind], className=f"badge agreement-badge agreement-{kind} ms-auto"),
        ], className="compare-row-head d-flex flex-wrap align-items-center gap-1"),
        lite.dbc.Row(cols, className="g-3"),
    ], className=f"compare-row compare-{kind}", **{"data-agreement": kind})


def stance_cards(store: Store, stances: Iterable[StanceRecord], cap: int | None,
                 eager: int | None = None) -> lite.Element:
    """Stances as cards in a grid, each naming its organization (a topic's page). With
    `eager`, only the first `eager` draw their quotes; the others' load when opened."""
    return lite.dbc.Row([lite.dbc.Col(lite.html.Div(stance_block(store, s, show_org=True, max_quotes=cap,
                                                                 lazy=eager is not None and i >= eager),
                                                    className="card card-body h-100"), md=6, xl=4, className="mb-3")
                         for i, s in enumerate(stances)], className="g-3")


def stance_sections(store: Store, stances: Iterable[StanceRecord], cap: int | None,
                    eager: int | None = None) -> list[lite.Element]:
    """Stances one under the other, each naming its topic (an organization's page). With
    `eager`, only the first `eager` draw their quotes; the others' load when opened."""
    return [lite.html.Section(stance_block(store, st, show_topic=True, max_quotes=cap, more_href=stance_href(st),
                                           level=3,  # under the page's h2 "Stances"
                                           lazy=eager is not None and i >= eager),
                              className="card card-body mb-3",
                              id=f"topic-{st.topic}") for i, st in enumerate(stances)]


def own_beside_others(store: Store, st: StanceRecord, cap: int | None,
                      drawn: set[str] | None = None, closed: dict[str, str] | None = None) -> lite.Element | None:
    """A stance's own words beside what other organizations and observers say (None when only it speaks).
    With `drawn` (the ids of quotes already drawn on the page), those are referred to there by
    `quote_ref` instead of drawn again; the quotes drawn here are added to it. `closed` maps
    quotes whose stance shows them only when opened to that stance's anchor: referred to there."""
    h = lite.html
    own = [e for e in st.all_evidence if e.attribution == "self"]
    others = [e for e in st.all_evidence if e.attribution != "self"]
    if not others:
        return None

    def once(e):  # the full quote where it is first drawn, a reference to it after
        if drawn is None:
            return quote_block(store, e)
        if e.quote_id in drawn:
            return quote_ref(store, e)
        if closed and e.quote_id in closed:
            return quote_ref(store, e, href=closed[e.quote_id])
        drawn.add(e.quote_id)
        return quote_block(store, e)

    more = len(own[cap:]) + len(others[cap:]) if cap is not None else 0
    return h.Section([
        h.H3(store.topics[st.topic].name, className="h6"),
        lite.dbc.Row([
            lite.dbc.Col([h.Div("In its own words", className="side-label"),
                          *([once(e) for e in own[:cap]] or
                            [h.P("Its own words on this are not in the sources.", className="no-evidence")])],
                         md=6),
            lite.dbc.Col([h.Div("What other organizations and observers say", className="side-label"),
                          *[once(e) for e in others[:cap]]], md=6),
        ]),
        lite.dcc.Link(f"{more} more quote{'s' if more != 1 else ''} with the stance's evidence",
                      href=stance_href(st), className="small more-quotes") if more else None,
    ], className="mb-4")


def side_by_side(store: Store, stances: Iterable[StanceRecord], cap: int | None,
                 eager: int | None = None) -> list[lite.Element]:
    """Own words beside others' for each stance of an organization's page, below its
    `stance_sections(store, stances, cap, eager)`: each quote those draw (the same cap, so the
    same quotes) is referred to there, so that every quote is drawn once on the page; a quote
    of a stance whose quotes load when opened is referred to that stance (#topic-<id>), which
    opens it (assets/lazy.js)."""
    stances = list(stances)
    drawn: set[str] = set()
    closed: dict[str, str] = {}
    for i, st in enumerate(stances):
        if eager is None or i < eager:
            stance_quotes(st, cap, drawn)
        else:
            later: set[str] = set()
            stance_quotes(st, cap, later)
            closed.update((q, f"#topic-{st.topic}") for q in later)
    return [s for st in stances if (s := own_beside_others(store, st, cap, drawn, closed)) is not None]


def quote_links(store: Store, evidence: Iterable[Evidence]) -> lite.Element:
    """Quotes as a list of links to the stances they are about, each quote shortened."""
    h = lite.html
    return h.Ul([h.Li([lite.dcc.Link(f"{store.org_name(e.organization)} on {store.topics[e.topic].name}",
                                     href=f"/organizations/{e.organization}#topic-{e.topic}"),
                       ": \u201c" + shorten(e.text, 140) + "\u201d"])
                 for e in evidence])


def ranking_table(store: Store, org: str, rows: list[Agreement], total: int) -> lite.Element:
    """The organizations closest to `org`, best first (`rows` of `total` ranked)."""
    h, link = lite.html, lite.dcc.Link
    body = [h.Tr([
        h.Td(link(store.organizations[ag.b].name, href=f"/organizations/{ag.b}")),
        h.Td(f"{ag.score:.0%}"),
        h.Td(f"{len(ag.shared)}" + (" (too few to rank)" if len(ag.shared) < MIN_SHARED else "")),
        h.Td(", ".join(store.topics[t].name for t in ag.same) or "none"),
        h.Td(link("Compare", href=f"/compare?org={org}&org={ag.b}")),
    ]) for ag in rows]
    caption = (f"Closest to {store.organizations[org].name}: agreement over the topics where both have "
               "stances (same position 1, related 0.5, different 0). Organizations sharing fewer than "
               f"{MIN_SHARED} topics, too little evidence to rank, come after the others."
               + (f" The {len(rows)} closest of {total}." if total > len(rows) else ""))
    return h.Table([
        h.Caption(caption),
        h.Thead(h.Tr([h.Th(c, scope="col") for c in ("Organization", "Agreement", "Shared topics", "Same position on")]
                     + [h.Th(h.Span("Side by side", className="visually-hidden"), scope="col")])),
        h.Tbody(body)], className="table table-sm ranking-table")


def facts_table(store: Store, org) -> lite.Element:
    """An organization's tradition, country and facts, each fact with its source and quote."""
    h, link = lite.html, lite.dcc.Link
    trad = " \u2192 ".join(t.name for t in store.tradition_path(org.tradition))
    rows = [h.Tr([h.Th("Tradition", scope="row"), h.Td([trad, h.Div(org.tradition_note, className="small")
                                                        if org.tradition_note else None]),
                  h.Td("editors' classification", className="small text-body-secondary")])]
    if org.country:
        rows.append(h.Tr([h.Th("Country", scope="row"), h.Td(org.country), h.Td("")]))
    for f in org.facts:
        src = store.sources[f.source]
        other = (link(store.organizations[f.organization].name, href=f"/organizations/{f.organization}")
                 if f.organization and f.organization in store.organizations else None)
        rows.append(h.Tr([
            h.Th(FACT_LABELS.get(f.kind, f.kind), scope="row"),
            h.Td([h.Div([f.value + " " if f.value else "", other, " " if other else "", f.text]),
                  h.Blockquote(f.quote, className="fact-quote small mb-0")]),
            h.Td([h.Cite(src.title), f", {src.date}" if src.date else ""], className="small"),
        ]))
    return h.Div(h.Table(h.Tbody(rows), className="table table-sm facts-table"), className="table-responsive",
                 tabIndex="0", role="region", **{"aria-label": "Facts"})


def closest_list(store: Store, org_id: str, near: list[Agreement]) -> lite.Element:
    """The organizations closest to `org_id` (analysis.closest), each linked to the comparison."""
    h, link = lite.html, lite.dcc.Link
    return h.Div([
        h.H2("Closest organizations", className="h5 mt-4"),
        h.Ul([h.Li([link(store.organizations[a.b].name, href=f"/compare?org={org_id}&org={a.b}"),
                    f": same or related position on {len(a.same) + len(a.related)} of {len(a.shared)} "
                    f"shared topic{'s' if len(a.shared) != 1 else ''} ({a.score:.0%})"
                    + (", too few to rank" if len(a.shared) < MIN_SHARED else "")]) for a in near]),
        link("See all agreement scores", href=f"/agreement?org={org_id}"),
    ])
