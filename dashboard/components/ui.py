"""Small visual pieces: badges, position swatches, quotes with their source, notices."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import dash_bootstrap_components as dbc
from dash import dcc, html

from ..data.store import STRENGTH_WORDS, Evidence, StanceRecord, Store, named
from . import lite
from .replies import reply_notes
from .stated import reading_mark, reading_note, revision_note

ATTRIBUTION_LABELS = {
    "self": "own words",
    "critic": "another organization",
    "observer": "observer",
}
ATTRIBUTION_HELP = {
    "self": "The organization itself, or a member speaking as one.",
    "critic": "Another organization writing about it, an ally or a critic: its description, not the "
              "organization's own view.",
    "observer": "A third party: a blogger, a commenter, a journalist.",
}
CRITIC_HELP = ("A critic: another organization's words that disagree with the organization's own, or give a "
               "label only its critics use.")

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


def attribution_badge(attribution: str, label: str | None = None, help: str | None = None) -> lite.Element:
    return lite.html.Span(
        label or ATTRIBUTION_LABELS.get(attribution, attribution),
        className=f"badge attr-badge attr-{attribution}",
        title=help or ATTRIBUTION_HELP.get(attribution, ""),
    )


def whose_words(store: Store, ev: Evidence) -> lite.Element:
    """The badge of a quote: own words, an observer, or another organization named as what it
    is here: a critic where its words are hostile (`Store.hostile`), else its description."""
    if ev.attribution != "critic" or not ev.speaker_org or ev.speaker_org not in store.organizations:
        return attribution_badge(ev.attribution)
    org = named(store.organizations[ev.speaker_org])
    if store.hostile(ev):
        return attribution_badge("critic", f"critic: {org}", CRITIC_HELP)
    return attribution_badge("critic", f"{org}’s description")


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
        whose_words(store, ev),
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
                             + ([lite.html.Div(ev.note, className="quote-note")] if ev.note else [])
                             + ([also_evidence_on(store, ev)] if ev.shared else []),
                        className="blockquote-footer-like"),
    ]
    return lite.html.Figure(children, className=f"quote quote-{ev.attribution}", id=f"q-{ev.quote_id}")


def also_evidence_on(store: Store, ev: Evidence) -> lite.Element:
    """The other stances one passage counts on (`Evidence.shared`), each a link to it."""
    links: list = []
    for other in filter(None, map(store.quote, ev.shared)):
        topic = store.topics[other.topic].name
        links += ["; " if links else "", lite.dcc.Link(
            topic if other.view == "own" else f"{topic} (a counter view)",
            href=f"/organizations/{other.organization}#topic-{other.topic}")]
    return lite.html.Div(["The same passage is evidence on: ", *links], className="quote-shared small")


def quote_ref(store: Store, ev: Evidence, n: int = 120, href: str | None = None) -> lite.Element:
    """A quote drawn elsewhere on the same page (by `quote_block`, at the anchor `#q-<id>`, or
    inside the closed stance at `href`): its speaker, attribution and opening words, and a link
    to it there. A page that shows one quote in two places draws it once and refers to it from
    the second."""
    h = lite.html
    text = ev.text if len(ev.text) <= n else ev.text[:n].rstrip() + "\u2026"
    return h.Div([h.Span(ev.speaker, className="speaker"), " ", whose_words(store, ev), " ",
                  h.A(f"\u201c{text}\u201d", href=href or f"#q-{ev.quote_id}", className="quote-ref-link",
                      title="Go to this quote, with its source, above",
                      **({"data-quote": ev.quote_id} if href else {}))],
                 className=f"quote-ref quote-{ev.attribution}")


def strength_text(store: Store, st: StanceRecord) -> str:
    """How firmly the stance is worded: from its evidence (STRENGTHS), and "in the editors' reading"
    when no quote states the position in so many words."""
    org = store.organizations[st.organization].display_name
    pos = store.position(st.topic, st.position)
    label = pos.label if pos else st.position
    key = st.strength
    reading = STRENGTH_WORDS["reading"]
    if key == "contested":
        own = f"{reading} of its own words" if st.is_reading else "in its own words"
        return f"{org}'s stance is contested: {own}, \u201c{label}\u201d; critics or observers describe it otherwise."
    lead = f"{reading[0].upper()}{reading[1:]}, " if st.is_reading else ""
    if key in ("holds", "has-said"):
        return f"{lead}{org} {STRENGTH_WORDS[key]}: {label}."
    if key in ("described", "described-observers", "critics", "critics-observers"):
        return f"{lead}{org} {store.strength_words(st)}: {label}. Its own words on this are not in the sources."
    words = STRENGTH_WORDS[key]
    return (f"{lead}{words if lead else words.capitalize()}, {org}: {label}. "
            "Its own words on this are not in the sources.")


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


LAZY = "lazy-quotes"        # the id type of a stance's quotes loaded when opened (pages/lazy.py)
LAZY_BODY = "lazy-quotes-body"
FIRST_SCREEN = 20  # quotes a page's first answer draws at most: later stances' quotes load when opened


def lazy_key(st: StanceRecord, max_quotes: int | None, more_href: str | None) -> str:
    """What `stance_evidence` needs to draw a stance's quotes later, as the id's key:
    organization|topic|cap|whether "more quotes" leads to the stance's evidence."""
    more = "e" if more_href is not None and more_href == stance_href(st) else ""
    return f"{st.organization}|{st.topic}|{'' if max_quotes is None else max_quotes}|{more}"


def parse_lazy_key(store: Store, key) -> tuple[StanceRecord, int | None, str | None] | None:
    """The stance, cap and "more quotes" address of a `lazy_key`, or None for anything else."""
    if not isinstance(key, str) or key.count("|") != 3 or len(key) > 600:
        return None
    org, topic, cap, more = key.split("|")
    st = store.stances.get((org, topic))
    if st is None or more not in ("", "e") or not (cap == "" or (cap.isdigit() and 0 < int(cap) < 10_000)):
        return None
    return st, (int(cap) if cap else None), (stance_href(st) if more else None)


def drawn_count(st: StanceRecord, max_quotes: int | None) -> int:
    """How many quotes `stance_block(st, max_quotes=max_quotes)` draws."""
    views = (st.evidence, *(c.evidence for c in st.counters))
    return sum(len(v) if max_quotes is None else min(len(v), max_quotes) for v in views)


def first_screen(groups: Iterable[Iterable[StanceRecord]], max_quotes: int | None,
                 budget: int = FIRST_SCREEN) -> int:
    """How many of the groups (a page's stances in its order, grouped as they are drawn
    together: one each, or a comparison's row) draw their quotes in the page's first answer:
    the first, and those after it while all drawn fit in `budget` quotes. The others' quotes
    load when the reader opens them (`stance_block(lazy=True)`)."""
    n = used = 0
    for group in groups:
        k = sum(drawn_count(st, max_quotes) for st in group)
        if n and used + k > budget:
            break
        used += k
        n += 1
    return n


def stance_evidence(store: Store, st: StanceRecord, attributions: Iterable[str] | None = None,
                    max_quotes: int | None = None, more_href: str | None = None,
                    drawn: set[str] | None = None) -> list[lite.Element]:
    """A stance's quotes as `stance_block` draws them under its head: its own quotes, then
    critics' and observers' views, then a link to the quotes the cap leaves out."""
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

    body = [quote_block(store, e) for e in keep(st.evidence)]
    for c in st.counters:
        evs = keep(c.evidence)
        if not evs:
            continue
        body.append(lite.html.Div([
            lite.html.Div([lite.html.Span("How others describe it: ", className="counter-label"),
                      position_badge(store, st.topic, c.position, critics_view=True),
                      reading_mark() if c.is_reading else None], className="counter-head"),
            reading_note(c.reading) if c.is_reading else None,
            lite.html.P(c.summary, className="stance-summary"),
            *[quote_block(store, e) for e in evs],
        ], className="counter-view"))
    if hidden:
        where = "on the organization's page" if more_href is None else "with the stance's evidence"
        body.append(lite.dcc.Link(f"{hidden} more quote{'s' if hidden != 1 else ''} {where}",
                                  href=more_href or f"/organizations/{st.organization}#topic-{st.topic}",
                                  className="small more-quotes"))
    return body


def lazy_evidence(st: StanceRecord, max_quotes: int | None, more_href: str | None) -> lite.Element:
    """A stance's quotes, closed: the summary says how many there are; opening it loads
    `stance_evidence` (pages/lazy.py) in place, at the same address."""
    n = len(st.all_evidence)
    key = lazy_key(st, max_quotes, more_href)
    return lite.html.Details([
        lite.html.Summary(f"{n} quote{'s' if n != 1 else ''}: show them", className="lazy-summary"),
        lite.html.Div(lite.html.P("Loading\u2026", className="text-body-secondary small"),
                      id={"type": LAZY_BODY, "key": key}, **{"aria-live": "polite"}),
    ], id={"type": LAZY, "key": key}, className="lazy-quotes")


def stance_block(store: Store, st: StanceRecord, attributions: Iterable[str] | None = None,
                 show_topic: bool = False, show_org: bool = False, max_quotes: int | None = None,
                 more_href: str | None = None, drawn: set[str] | None = None,
                 level: int = 4, lazy: bool = False) -> lite.Element:
    """A stance: position, strength, summary, own quotes, then critics' and observers' views.
    With `max_quotes`, each view shows at most that many quotes and links to the rest (at
    `more_href`, by default the organization's page). `drawn`, when given, gains the id of
    every quote drawn (so that a second place on the page can refer to it: `quote_ref`).
    `lazy`: the quotes are not drawn but closed, loaded when opened (`lazy_evidence`)."""
    head = []
    heading = getattr(lite.html, f"H{level}")  # the level below the section it sits in
    if show_org:
        head.append(heading(lite.dcc.Link(store.organizations[st.organization].name,
                                     href=f"/organizations/{st.organization}"), className="h6 mb-1"))
    if show_topic:
        head.append(heading(lite.dcc.Link(store.topics[st.topic].name, href=f"/topics/{st.topic}"),
                                 className="h6 mb-1"))
    body = [
        lite.html.Div([position_badge(store, st.topic, st.position, critics_view=not st.has_own_words),
                  reading_mark() if st.is_reading else None,
                  contested_mark() if st.contested else None], className="stance-head"),
        lite.html.P(strength_text(store, st), className="strength small text-body-secondary mb-1"),
        reading_note(st.reading) if st.is_reading else None,
        lite.html.P(st.summary, className="stance-summary"),
        revision_note(store, st.organization, st.topic),
        reply_notes(store, st.organization, st.topic),
    ]
    if lazy and attributions is None:
        body.append(lazy_evidence(st, max_quotes, more_href))
    else:
        body += stance_evidence(store, st, attributions, max_quotes, more_href, drawn)
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
