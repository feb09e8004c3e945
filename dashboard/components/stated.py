"""Stated positions, editors' readings and the corrections log, as readers see them (issue 13).

A stated position keeps its usual style. An editors' reading carries a text mark ("editors'
reading") and its reasoning behind a disclosure (<details>, reachable and opened by keyboard).
A corrected stance says "revised on <date>", with what changed and why behind a disclosure,
and links to the corrections page."""
from __future__ import annotations

from typing import Iterable
from urllib.parse import urlencode

from ..data.models import Correction
from ..data.replies import correction_key
from ..data.store import READING_HELP, STRENGTH_WORDS, Store
from . import lite

READING_LABEL = "editors' reading"
READING_WHY = f"Why this is {STRENGTH_WORDS['reading']}"  # the disclosure of the editors' reasoning

FIELD_LABELS = {
    "position": "position", "summary": "summary", "attribution": "attribution", "reading": "editors' reading",
    "stance": "stance", "quote": "quote", "tradition": "tradition",
}


def reading_mark() -> lite.Element:
    """The text mark of an editors' reading (not colour alone)."""
    return lite.html.Span(["\u2248 ", READING_LABEL], className="badge reading-mark", title=READING_HELP)


def reading_note(reading: str) -> lite.Element:
    """The editors' reasoning, one click (or Enter) away."""
    return lite.html.Details([
        lite.html.Summary(READING_WHY, className="reading-summary"),
        lite.html.P([lite.html.Span("The editors' reasoning: ", className="visually-hidden"), reading],
                    className="reading-text mb-0"),
    ], className="reading-note small")


def corrections_href(org: str | None = None) -> str:
    return f"/corrections?org={org}" if org else "/corrections"


def feed_href(orgs: Iterable[str] = ()) -> str:
    """The corrections log as an Atom feed (dashboard/app/feed.py), of `orgs` or of all."""
    query = urlencode([("org", o) for o in orgs])
    return "/corrections.atom" + ("?" + query if query else "")


def feed_link(orgs: Iterable[str] = ()) -> lite.Element:
    """A visible link to the feed (the page's <head> announces it to feed readers)."""
    return lite.html.A("Follow the corrections (Atom feed)", href=feed_href(orgs), className="feed-link")


def shown_value(store: Store, c: Correction, value: str) -> str:
    """A position id shown as its label, other values as written (the corrections page, the feed)."""
    if c.field in ("position", "stance") and c.topic:
        pos = store.position(c.topic, value)
        if pos is not None:
            return pos.label
    return value


def correction_item(store: Store, c: Correction, show_org: bool = False) -> lite.Element:
    h = lite.html
    what = FIELD_LABELS.get(c.field, c.field)
    where = []
    if show_org:
        where.append(lite.dcc.Link(store.org_name(c.organization), href=f"/organizations/{c.organization}"))
        where.append(" on ")
    if c.topic:
        topic = store.topics.get(c.topic)
        where.append(lite.dcc.Link(topic.name if topic else c.topic, href=f"/topics/{c.topic}"))
        where.append(": ")
    return h.Li([
        h.Div([h.Time(c.date, dateTime=c.date, className="correction-date fw-semibold"), " \u00b7 ", *where,
               h.Span(what, className="correction-field")], className="correction-head"),
        h.Dl([h.Dt("Was"), h.Dd(shown_value(store, c, c.was), className="correction-was"),
              h.Dt("Now"), h.Dd(shown_value(store, c, c.now), className="correction-now"),
              h.Dt("Why"), h.Dd(c.reason, className="correction-reason")], className="correction-body mb-0"),
    ], className="correction", **{"data-org": c.organization, "data-topic": c.topic or ""},
        # the log's own page: each entry is an anchor, by its stable key (a reply links to it)
        **({"id": correction_key(c)} if show_org else {}))


def corrections_list(store: Store, corrections: Iterable[Correction], show_org: bool = False) -> lite.Element:
    """Newest first."""
    return lite.html.Ol([correction_item(store, c, show_org) for c in reversed(tuple(corrections))],
                        className="corrections-list list-unstyled", reversed=True)


def revision_note(store: Store, org: str, topic: str) -> lite.Element | None:
    """'Revised on <date>' on a corrected stance, with what changed and why one click away."""
    cs = store.corrections_for(org, topic)
    if not cs:
        return None
    n = len(cs)
    return lite.html.Details([
        lite.html.Summary([f"Revised on {cs[-1].date}",
                           f" ({n} correction{'s' if n != 1 else ''})" if n > 1 else ""],
                          className="revision-summary"),
        corrections_list(store, cs),
        lite.dcc.Link(f"All corrections of {store.org_name(org)}", href=corrections_href(org), className="small"),
    ], className="revision-note small")


def corrections_section(store: Store, org: str) -> lite.Element:
    """The organization page's corrections: every change to its record, newest first, or a line
    saying there is none, and how to ask for one."""
    h = lite.html
    cs = store.corrections_of(org)
    body = ([corrections_list(store, cs)] if cs else
            [h.P("The editors have not corrected this organization's record.", className="no-corrections")])
    return h.Section([
        h.H2("Corrections", className="h5 mt-4", id="corrections"),
        *body,
        h.P([lite.dcc.Link("The corrections log", href=corrections_href(org)), " · ", feed_link([org]), " · ",
             lite.dcc.Link("How to reply, or ask for a correction", href="/reply")], className="small"),
    ], className="org-corrections")
