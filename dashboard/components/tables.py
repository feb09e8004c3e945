"""Charts as tables: the data each chart draws, for screen readers and anyone who prefers a
table, one control away from the chart ("The chart as a table"). Drawn with `lite`: at scale
they hold hundreds of rows. The pages pass in exactly what their chart draws."""
from __future__ import annotations

from ..data.store import Evidence, Store
from . import lite
from .ui import ATTRIBUTION_LABELS, source_href


def agreement_pairs_table(store: Store, score, shared, idx: list[int], note: str) -> lite.Element:
    """Every pair of organizations the agreement chart draws (once each: agreement is
    symmetric), with its score and its number of shared topics. `score`, `shared`: the
    agreement grid; `idx`: the organizations drawn, as indexes into store.organizations."""
    h, link = lite.html, lite.dcc.Link
    all_orgs = list(store.organizations)
    rows = []
    for a_pos, i in enumerate(idx):
        for j in idx[a_pos + 1:]:
            if not shared[i, j]:
                continue
            a, b = all_orgs[i], all_orgs[j]
            rows.append(h.Tr([h.Th(store.organizations[a].name, scope="row"), h.Td(store.organizations[b].name),
                              h.Td(f"{score[i, j]:.0%}"), h.Td(str(int(shared[i, j]))),
                              h.Td(link("Compare", href=f"/compare?org={a}&org={b}"))]))
    if not rows:
        return h.P("No two organizations share a topic with these filters.", className="no-evidence")
    return h.Table([
        h.Caption("Every pair in the chart" + note + ": agreement over the topics both have stances on."),
        h.Thead(h.Tr([h.Th(c, scope="col") for c in ("Organization", "And", "Agreement", "Shared topics")]
                     + [h.Th(h.Span("Side by side", className="visually-hidden"), scope="col")])),
        h.Tbody(rows)], className="table table-sm agreement-table")


def dated_quotes_table(store: Store, rows: list[tuple[object, Evidence]], note: str, limit: int) -> lite.Element:
    """The timeline's dated quotes (`rows` of (date, evidence), as the chart draws them),
    oldest first, with who said them and a link to each in its source; at most `limit`."""
    h, link = lite.html, lite.dcc.Link
    if not rows:
        return h.P("No dated evidence matches these filters.", className="no-evidence")
    ordered = sorted(rows, key=lambda r: (r[0], r[1].organization))
    body = [h.Tr([h.Td(e.date or ""), h.Th(store.organizations[e.organization].display_name, scope="row"),
                  h.Td(store.topics[e.topic].name), h.Td(ATTRIBUTION_LABELS[e.attribution]), h.Td(e.speaker),
                  h.Td(link("Read in context", href=source_href(e)))]) for _, e in ordered[:limit]]
    caption = ("Every dated quote in the chart" + note + ", oldest first."
               + (f" The first {limit} of {len(ordered)}: choose organizations or topics to narrow it."
                  if len(ordered) > limit else ""))
    return h.Table([h.Caption(caption),
                    h.Thead(h.Tr([h.Th(c, scope="col") for c in
                                  ("Date", "Organization", "Topic", "Whose words", "Speaker", "Quote")])),
                    h.Tbody(body)], className="table table-sm timeline-table")
