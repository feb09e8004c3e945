"""An organization's reply beside the stance it answers (data/replies.py), as readers see it:
marked as the organization's reply (a word, not colour alone), its own words quoted from their
source, and the editors' answer (the correction made, or why the stance was kept)."""
from __future__ import annotations

from ..data.replies import correction_key
from ..data.store import Store
from . import lite

REPLY_LABEL = "The organization's reply"


def reply_note(store: Store, r) -> lite.Element:
    h = lite.html
    org = store.organizations[r.organization].display_name
    if r.answer == "corrected":
        c = next((c for c in store.corrections_for(r.organization, r.topic) if correction_key(c) == r.correction),
                 None)
        answer = ["The editors corrected the stance", f" on {c.date}" if c else "", ": ",
                  lite.dcc.Link("the correction", href=f"/corrections?org={r.organization}#{r.correction}"), "."]
    else:
        answer = ["The editors kept the stance: ", r.reason]
    # a note, not an <aside>: a complementary landmark belongs at the top level, not in every stance
    return h.Div([
        h.Div([h.Span(["\u21a9 ", REPLY_LABEL], className="badge reply-mark"), " ",
               h.Span(f"{org}, ", className="small"), h.Time(r.date, dateTime=r.date, className="small")],
              className="reply-head"),
        *[h.Blockquote(["\u201c", q.text, "\u201d"], className="reply-quote mb-1") for q in r.quotes],
        h.Div([h.Span(r.quotes[0].speaker, className="speaker"), " \u00b7 ",
               lite.dcc.Link(f"Read it in {store.sources[r.source].title}", href=f"/sources/{r.source}")],
              className="quote-meta small"),
        h.P(answer, className="reply-answer small mb-0"),
    ], className="reply-note small", role="note", **{"aria-label": f"{REPLY_LABEL}: {org}, {r.date}",
                                        "data-org": r.organization, "data-topic": r.topic})


def reply_notes(store: Store, org: str, topic: str) -> lite.Element | None:
    """Every reply of the organization to its stance on the topic, oldest first, or None."""
    replies = store.replies_to(org, topic)
    if not replies:
        return None
    return lite.html.Div([reply_note(store, r) for r in replies], className="replies")
