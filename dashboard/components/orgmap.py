"""The map of the organizations (data/orgmap.py) as readers see it: the figure (a plain plotly
figure dict, for the agreement page), the words that explain its axes, and the map as a table.
/match draws the same map as SVG in the browser (assets/orgmap.js) from `OrgMap.browser`."""
from __future__ import annotations

from html import escape

from ..data.analysis import MIN_SHARED
from ..data.orgmap import OrgMap, Pole
from ..data.store import Store
from . import lite

THIN_WORDS = f"too little evidence (fewer than {MIN_SHARED} shared topics)"
NO_MAP = "Fewer than three organizations share a topic with these filters: there is nothing to map."


def pole_words(store: Store, poles: tuple[Pole, ...]) -> str:
    """'Socialism from below (on From below or above), ...': the positions at one end of an axis."""
    return "; ".join(f"{_label(store, q)} (on {store.topics[q.topic].name})" for q in poles) or \
        "no position that stands out"


def axis_share(m: OrgMap, a: int) -> float:
    """The share of the variation axis `a` shows (of the two axes' `share`, in proportion)."""
    total = sum(v for v in m.eigenvalues if v > 1e-12)
    return m.share * (max(m.eigenvalues[a], 0) / total) if total else 0.0


def axis_words(store: Store, m: OrgMap) -> lite.Element:
    """What the axes mean, in words drawn from the positions that load on them."""
    h = lite.html
    if not any(v > 1e-12 for v in m.eigenvalues):
        return h.P("The organizations on the map agree on every topic they share: they sit at one place.",
                   className="org-map-words")
    items = []
    for a, (low, high) in enumerate(m.poles):
        name = "Across (left to right)" if a == 0 else "Up and down (bottom to top)"
        items.append(h.Li([h.Strong(f"{name}, {axis_share(m, a):.0%} of the variation: "),
                           f"from {pole_words(store, low)}, to {pole_words(store, high)}."]))
    return h.Div([
        h.P(f"The two axes show {m.share:.0%} of the variation in the distances between the organizations. "
            "What they stand for, from the positions that lie farthest towards each end:", className="mb-1"),
        h.Ul(items, className="mb-1"),
        h.P(["Distance is 1 \u2212 agreement over the topics two organizations share (the agreement page's "
             "scale: same position 1, related \u00bd, different 0); a pair "
             "sharing no topic is set at the typical distance. Points drawn hollow rest on ", THIN_WORDS, "."],
            className="small text-body-secondary mb-0"),
    ], className="org-map-words")


def _short(words: str, limit: int) -> str:
    return words if len(words) <= limit else words[:limit - 1].rstrip() + "\u2026"


def _label(store: Store, q: Pole) -> str:
    pos = store.position(q.topic, q.position)
    return pos.label if pos else q.position


def _joined(names: list[str], coords: list[tuple[float, float]]) -> list[str]:
    """Points at one place share one label ("Podemos, Syriza"), so that no two labels overlap."""
    first: dict[tuple[float, float], int] = {}
    out = list(names)
    for i, c in enumerate(coords):
        if c in first:
            out[first[c]] += ", " + names[i]
            out[i] = ""
        else:
            first[c] = i
    return out


def figure(store: Store, m: OrgMap | None, template: dict | None = None) -> dict:
    """The map as a plain figure dict. Names are escaped: plotly renders a few HTML tags in text."""
    layout: dict = {"template": template or {}, "height": 520, "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
                    "plot_bgcolor": "#fafafa", "paper_bgcolor": "#ffffff", "showlegend": True,
                    "legend": {"orientation": "h", "y": -0.12}}
    if m is None:
        layout["annotations"] = [{"text": NO_MAP, "showarrow": False, "x": 0.5, "y": 0.5,
                                  "xref": "paper", "yref": "paper"}]
        layout["xaxis"] = layout["yaxis"] = {"visible": False}
        return {"data": [], "layout": layout}
    traces = []
    for thin, label, symbol in ((False, "enough evidence", "circle"), (True, THIN_WORDS, "circle-open")):
        pts = [i for i, t in enumerate(m.thin) if t == thin]
        if not pts:
            continue
        names = [escape(store.organizations[m.orgs[i]].display_name, quote=False) for i in pts]
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": label,
            "x": [m.coords[i][0] for i in pts], "y": [m.coords[i][1] for i in pts],
            "text": _joined(names, [m.coords[i] for i in pts]), "textposition": "top center", "customdata": [m.orgs[i] for i in pts],
            "hovertext": [f"<b>{n}</b><br>over {m.rests_on[i]} shared topic{'s' if m.rests_on[i] != 1 else ''}"
                          f"<br><i>click to open its page</i>" for n, i in zip(names, pts)],
            "hoverinfo": "text",
            "marker": {"symbol": symbol, "size": 13, "color": "#0072B2", "line": {"width": 2, "color": "#0072B2"}},
        })
    titles = []
    for low, high in m.poles:  # the strongest position at each end (all of them are in the words below)
        lo, hi = (_short(_label(store, ends[0]) if ends else "", 26) for ends in (low, high))
        titles.append(escape(f"\u2190 {lo}  \u00b7  {hi} \u2192", quote=False))
    layout.update({
        "xaxis": {"title": {"text": titles[0], "font": {"size": 12}}, "zeroline": False, "showticklabels": False},
        "yaxis": {"title": {"text": titles[1], "font": {"size": 12}}, "zeroline": False, "showticklabels": False,
                  "scaleanchor": "x", "scaleratio": 1},
    })
    return {"data": traces, "layout": layout}


def map_table(store: Store, m: OrgMap | None) -> lite.Element:
    """The map as a table: each organization's place, and the evidence it rests on."""
    h, link = lite.html, lite.dcc.Link
    if m is None:
        return h.P(NO_MAP, className="no-evidence")
    rows = [h.Tr([h.Th(link(store.organizations[o].name, href=f"/organizations/{o}"), scope="row"),
                  h.Td(f"{x:+.2f}"), h.Td(f"{y:+.2f}"), h.Td(str(n)),
                  h.Td("too little evidence" if thin else "enough")], className="org-map-row", **{"data-org": o})
            for o, (x, y), n, thin in zip(m.orgs, m.coords, m.rests_on, m.thin)]
    return h.Table([
        h.Caption(f"Each organization on the map: across (left \u2212, right +) and up (+) or down (\u2212); the "
                  f"topics its place rests on (shared with another organization); fewer than {MIN_SHARED} is "
                  "too little evidence."),
        h.Thead(h.Tr([h.Th(c, scope="col") for c in ("Organization", "Across", "Up", "Shared topics", "Evidence")])),
        h.Tbody(rows)], className="table table-sm org-map-table")


def browser_map(store: Store, m: OrgMap | None) -> dict | None:
    """The map as /match ships it to the browser (assets/orgmap.js draws it and places the
    reader): the numbers of `OrgMap.browser`, the names, and each axis's end labels."""
    if m is None:
        return None
    out = m.browser()
    out["names"] = [store.organizations[o].display_name for o in m.orgs]
    out["full"] = [store.organizations[o].name for o in m.orgs]
    out["ends"] = [[_short(_label(store, ends[0]), 26) if ends else "" for ends in (low, high)]
                   for low, high in m.poles]
    return out
