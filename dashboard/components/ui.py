"""Small visual pieces: badges, position swatches, quotes with their source, notices."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..data.store import STRENGTH_WORDS, Evidence, StanceRecord, Store
from . import lite

ATTRIBUTION_LABELS = {
    "self": "own words",
    "critic": "critic",
    "observer": "observer",
}
ATTRIBUTION_HELP = {
    "self": "The organization itself, or a member speaking as one.",
    "critic": "A rival organization writing about it: a claim, not its own view.",
    "observer": "A third party: a blogger, a commenter, a journalist.",
}

FACT_LABELS = {"founded": "Founded", "dissolved": "Dissolved", "split-from": "Split from",
               "expelled-from": "Expelled from", "member-of": "Member of", "publishes": "Publishes",
               "related": "Related to", "other": "Also"}


def shorten(text: str, n: int) -> str:
    """`text` cut to `n` characters at most, with an ellipsis when cut."""
    return text if len(text) <= n else text[:n].rstrip() + "\u2026"


@lru_cache(maxsize=4096)
def text_color(hex_color: str) -> str:
    """Black or white, whichever reads better on the background."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if lum > 0.2 else "#ffffff"


def attribution_badge(attribution: str) -> lite.Element:
    return lite.html.Span(
        ATTRIBUTION_LABELS.get(attribution, attribution),
        className=f"badge attr-badge attr-{attribution}",
        title=ATTRIBUTION_HELP.get(attribution, ""),
    )


def position_badge(store: Store, topic: str, position: str, critics_view: bool = False) -> lite.Element:
    pos = store.position(topic, position)
    color = store.color(topic, position)
    label = pos.label if pos else position
    ink = text_color(color)
    cls = ("badge position-badge" + (" critics-view" if critics_view else "")
           + (" ink-light" if ink == "#ffffff" else " ink-dark"))
    return lite.html.Span(
        label,
        className=cls,
        style={"backgroundColor": color, "color": ink},
        title=pos.definition if pos else "",
    )


def swatch(color: str) -> lite.Element:
    return lite.html.Span(className="swatch", style={"backgroundColor": color}, **{"aria-hidden": "true"})


def source_href(ev: Evidence) -> str:
    return f"/sources/{ev.source}?quote={ev.quote_id}"


def cite_control(ev: Evidence) -> lite.Element:
    """"Cite": a small disclosure carrying only the quote's id (about 230 bytes; a page draws
    hundreds). Opening it fills it (dashboard/assets/cite.js) from the API's answer for the
    quote (/api/quotes/<id>: permalink, formatted citation, BibTeX, each with a copy button,
    and a link to that answer); the script also gives the summary its title."""
    return lite.html.Details(lite.html.Summary("Cite", className="cite-summary"),
                             className="cite", **{"data-quote": ev.quote_id})


def quote_block(store: Store, ev: Evidence, show_org: bool = False, heading: str | None = None) -> lite.Element:
    """A quote with its speaker, attribution, source and date, and a link to read it in context."""
    src = store.sources[ev.source]
    meta = [
        lite.html.Span(ev.speaker, className="speaker"),
        " ",
        attribution_badge(ev.attribution),
    ]
    if show_org:
        meta = [lite.html.Span(f"on {store.org_name(ev.organization)}: ", className="about-org")] + meta
    cite = [
        lite.html.Cite(src.title, className="source-title"),
        lite.html.Span(f", {ev.date}" if ev.date else " (undated)", className="source-date"),
        " · ",
        lite.dcc.Link("Read in context", href=source_href(ev), className="read-link",
                 title="Open the source at this quote"),
        " · ",
        cite_control(ev),
    ]
    children = []
    if heading:
        children.append(lite.html.Div(heading, className="quote-heading"))
    children += [
        lite.html.Blockquote(ev.text, className=f"blockquote quote-text quote-{ev.attribution}"),
        lite.html.Figcaption([lite.html.Div(meta, className="quote-meta"),
                              lite.html.Div(cite, className="quote-cite")]
                             + ([lite.html.Div(ev.note, className="quote-note")] if ev.note else []),
                        className="blockquote-footer-like"),
    ]
    return lite.html.Figure(children, className=f"quote quote-{ev.attribution}", id=f"q-{ev.quote_id}")


def quote_ref(store: Store, ev: Evidence, n: int = 120) -> lite.Element:
    """A quote drawn elsewhere on the same page (by `quote_block`, at the anchor `#q-<id>`):
    its speaker, attribution and opening words, and a link to it there. A page that shows one
    quote in two places draws it once and refers to it from the second."""
    h = lite.html
    text = ev.text if len(ev.text) <= n else ev.text[:n].rstrip() + "\u2026"
    return h.Div([h.Span(ev.speaker, className="speaker"), " ", attribution_badge(ev.attribution), " ",
                  h.A(f"\u201c{text}\u201d", href=f"#q-{ev.quote_id}", className="quote-ref-link",
                      title="Go to this quote, with its source, above")],
                 className=f"quote-ref quote-{ev.attribution}")


def strength_text(store: Store, st: StanceRecord) -> str:
    org = store.organizations[st.organization].display_name
    pos = store.position(st.topic, st.position)
    label = pos.label if pos else st.position
    key = st.strength
    if key == "contested":
        return f"{org}'s stance is contested: in its own words, \u201c{label}\u201d; critics or observers describe it otherwise."
    if key in ("holds", "has-said"):
        return f"{org} {STRENGTH_WORDS[key]}: {label}."
    if key in ("critics", "critics-observers"):
        return f"{org} {STRENGTH_WORDS[key]}: {label}. Its own words on this are not in the sources."
    return f"{STRENGTH_WORDS[key].capitalize()}, {org}: {label}. Its own words on this are not in the sources."


QUOTE_BUDGET = 300  # quotes drawn on one page at most; beyond it each view shows its first few


def quote_cap(stances: Iterable[StanceRecord], budget: int = QUOTE_BUDGET, floor: int = 1) -> int | None:
    """How many quotes per view (a stance's own quotes, each counter view) keep a page of these
    stances within `budget` quotes: None when all fit, else the largest cap that fits (at least
    `floor`). Pages with the bundled data show everything; pages at scale stay fast."""
    sizes = [len(v) for st in stances for v in (st.evidence, *(c.evidence for c in st.counters)) if v]
    if sum(sizes) <= budget:
        return None
    cap = max(sizes)
    while cap > floor and sum(min(n, cap) for n in sizes) > budget:
        cap -= 1
    return cap


def stance_quotes(st: StanceRecord, max_quotes: int | None, drawn: set[str]) -> None:
    """Adds to `drawn` the ids of the quotes `stance_block(st, max_quotes=max_quotes)` draws,
    without drawing them (a test holds the two together)."""
    for evs in (st.evidence, *(c.evidence for c in st.counters)):
        drawn.update(e.quote_id for e in (evs if max_quotes is None else evs[:max_quotes]))


def stance_href(st: StanceRecord) -> str:
    """Where every quote of a stance can be read: the matrix with its evidence panel open."""
    return f"/?stance={st.organization}.{st.topic}"


def stance_block(store: Store, st: StanceRecord, attributions: Iterable[str] | None = None,
                 show_topic: bool = False, show_org: bool = False, max_quotes: int | None = None,
                 more_href: str | None = None, drawn: set[str] | None = None,
                 level: int = 4) -> lite.Element:
    """A stance: position, strength, summary, own quotes, then critics' and observers' views.
    With `max_quotes`, each view shows at most that many quotes and links to the rest (at
    `more_href`, by default the organization's page). `drawn`, when given, gains the id of
    every quote drawn (so that a second place on the page can refer to it: `quote_ref`)."""
    allowed = set(attributions) if attributions else None
    hidden = 0

    def keep(evs):
        nonlocal hidden
        evs = [e for e in evs if allowed is None or e.attribution in allowed]
        if max_quotes is not None and len(evs) > max_quotes:
            hidden += len(evs) - max_quotes
            evs = evs[:max_quotes]
        if drawn is not None:
            drawn.update(e.quote_id for e in evs)
        return evs

    head = []
    heading = getattr(lite.html, f"H{level}")  # the level below the section it sits in
    if show_org:
        head.append(heading(lite.dcc.Link(store.organizations[st.organization].name,
                                     href=f"/organizations/{st.organization}"), className="h6 mb-1"))
    if show_topic:
        head.append(heading(lite.dcc.Link(store.topics[st.topic].name, href=f"/topics/{st.topic}"),
                                 className="h6 mb-1"))
    own = keep(st.evidence)
    body = [
        lite.html.Div([position_badge(store, st.topic, st.position, critics_view=not st.has_own_words),
                  contested_mark() if st.contested else None], className="stance-head"),
        lite.html.P(strength_text(store, st), className="strength small text-body-secondary mb-1"),
        lite.html.P(st.summary, className="stance-summary"),
    ]
    if own:
        body += [quote_block(store, e) for e in own]
    for c in st.counters:
        evs = keep(c.evidence)
        if not evs:
            continue
        body.append(lite.html.Div([
            lite.html.Div([lite.html.Span("How others describe it: ", className="counter-label"),
                      position_badge(store, st.topic, c.position, critics_view=True)], className="counter-head"),
            lite.html.P(c.summary, className="stance-summary"),
            *[quote_block(store, e) for e in evs],
        ], className="counter-view"))
    if hidden:
        where = "on the organization's page" if more_href is None else "with the stance's evidence"
        body.append(lite.dcc.Link(f"{hidden} more quote{'s' if hidden != 1 else ''} {where}",
                                  href=more_href or f"/organizations/{st.organization}#topic-{st.topic}",
                                  className="small more-quotes"))
    return lite.html.Div(head + body, className="stance-block", id=f"stance-{st.organization}-{st.topic}")


def contested_mark() -> lite.Element:
    return lite.html.Span("\u21c4 contested", className="badge contested-mark",
                     title="The organization's own words and its critics' description disagree: both are shown.")


def notice(dropped: dict[str, list[str]]) -> html.Div | None:
    """A visible notice for query values that were not recognised and were dropped."""
    parts = [f"{k}: {', '.join(v)}" for k, v in dropped.items() if v]
    if not parts:
        return None
    return dbc.Alert(["Some values in the address were not recognised and were left out (",
                      "; ".join(parts), ")."], color="warning", className="dropped-notice", dismissable=True)


def not_found(what: str, value: str, href: str, link_text: str) -> html.Div:
    return html.Div([
        html.H1("Not found", className="h3"),
        html.P([f"There is no {what} called ", html.Code(value), " in the data."]),
        html.P(dcc.Link(link_text, href=href)),
    ], className="not-found py-4")


def page_header(title: str, subtitle: str | None = None) -> html.Div:
    return html.Div([
        html.H1(title, className="h3 mb-1"),
        html.P(subtitle, className="text-body-secondary mb-2") if subtitle else None,
    ], className="page-header")


def choose(label: str, id: str, value, options, placeholder: str, multi: bool = True, **col) -> "dbc.Col":
    """A labelled dropdown in a grid column: the filters every view shares."""
    return dbc.Col([dbc.Label(label, html_for=id),
                    dcc.Dropdown(id=id, multi=multi, value=value, placeholder=placeholder,
                                 clearable=multi, options=[{"label": n, "value": v} for v, n in options])], **col)


def topic_choice(store: Store, id: str, value, **col) -> "dbc.Col":
    return choose("Topics", id, value, ((t.id, t.name) for t in store.topics.values()), "All topics", **col)


def org_choice(store: Store, id: str, value, label: str = "Organizations",
               placeholder: str = "All organizations", **col) -> "dbc.Col":
    return choose(label, id, value, ((o.id, o.name) for o in store.organizations.values()), placeholder, **col)
