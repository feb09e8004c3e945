"""`/reply`: how an organization replies to a stance, or anyone asks for a correction, and what
a reply needs (the About page's request, as a page of its own)."""
from __future__ import annotations

import dash
from dash import dcc, html

from ..components.context import get_store
from ..components.replies import REPLY_LABEL
from ..components.stated import feed_href
from ..components.ui import page_header
from . import safe_layout


@safe_layout
def layout(**_query):
    store = get_store()
    n = len(store.replies)
    return html.Div([
        page_header("Replies and corrections",
                    "An organization that finds one of its stances wrong can reply, in its own words; anyone can ask "
                    "for a correction."),
        html.H2("What a reply needs", className="h5", id="what-a-reply-needs"),
        html.Ol([
            html.Li(["Which stance: the organization and the topic (the address of the stance on the organization's "
                     "page is enough, for example ", html.Code("/organizations/iso#topic-china"), ")."]),
            html.Li("What is wrong with it: its position, its summary, or whose words it rests on."),
            html.Li(["The organization's own words, with where they are: a text it has published (a statement, a "
                     "programme, an article in its press), or a statement sent to the editors for the purpose. A "
                     "statement is kept as received, as a source text, with who sent it and when; the words shown "
                     "are quoted from it and proved, word for word, as every quote here is."]),
            html.Li("Who speaks for the organization in it, as the text names them."),
        ]),
        html.P("A stance changes on the organization's own words, never on a private message about them or on what "
               "others say of it. Other organizations' and observers' descriptions stay shown as theirs."),
        html.H2("What the editors do with it", className="h5 mt-4", id="what-the-editors-do"),
        html.Ul([
            html.Li(["Either they correct the stance: the change goes into ", dcc.Link("the corrections log",
                                                                                   href="/corrections"),
                     ", dated, with what it was, what it is and why; or they keep it, and say why."]),
            html.Li([f"Either way the reply is shown beside the stance, wherever the stance is shown, marked "
                     f"\u201c{REPLY_LABEL}\u201d, with the editors' answer, and it is an entry of ",
                     html.A("the feed of corrections and replies (Atom)", href=feed_href()), "."]),
        ]),
        html.P(f"{n} repl{'y is' if n == 1 else 'ies are'} recorded in this dataset." if n else
               "No organization has replied yet: no source holds a reply, and none is ever written for one.",
               className="small text-body-secondary"),
        html.H2("Asking for a correction", className="h5 mt-4", id="ask-for-a-correction"),
        html.P("Any reader who finds a stance wrong can ask the editors who publish this atlas for a correction, in "
               "the same way: which stance, what is wrong, and the evidence: a published text of the organization's "
               "own, with where it says so. Every correction made is logged, with its reason."),
    ], className="reply-page")


def register(app) -> None:
    dash.register_page("dashboard.pages.reply", path="/reply", layout=layout,
                       title="Tendency Atlas: replies and corrections", name="Replies")
