"""`/match`: "Where do I fit?" A person answers the topics' questions and sees every
organization with evidence ranked by agreement, each match explained by the stances' words.

Privacy (issue 14): the answers never leave the browser. The page holds everything the match
needs (`browser_data`: the questions, the answers offered, every stance's position, strength
wording and its strongest quote's source, speaker and attribution); the score is computed by a
clientside callback (dashboard/assets/match.js, which follows dashboard/data/fit.py, the plain
reference), and the answers live in the address's fragment (`/match#ussr=...`), which browsers
never send. No callback of this page runs on the server.

The strongest quotes' texts (three quarters of the page's bytes at scale, issue 25) are one
static file, the same for every visitor (`quotes_file`, served at QUOTES_PATH by
dashboard/app/match_quotes.py and cached for a year under its content hash): match.js fetches it
once the reader has results, a request that carries no answer and says nothing of them.
"""
from __future__ import annotations

import hashlib
import json

import dash
import dash_bootstrap_components as dbc
from dash import ALL, ClientsideFunction, Input, Output, State, dcc, html

from ..components.context import get_store
from ..components.orgmap import axis_words, browser_map
from ..components.stated import READING_LABEL, READING_WHY
from ..components.ui import ATTRIBUTION_HELP, ATTRIBUTION_LABELS, page_header, shorten, strength_text
from ..data.analysis import FAMILY, MIN_SHARED, SAME
from ..data.fit import (AGREEMENT_WORDS, EVIDENCE_MODES, MODE_NOTES, NOT_IN_SOURCES, OTHERS_ONLY, answer_options,
                        strongest_quote)
from ..data.memo import memo
from ..data.orgmap import org_map
from ..data.store import Store
from . import once_per_store, safe_layout

QUOTE_CHARS = 280  # a strongest quote is shown up to this length; "Read in the source" has the rest
ANSWER = "match-answer"
WEIGHT = "match-weight"
QUESTION = "match-q"
QUOTES_PATH = "/match/quotes.json"  # quotes_file, served by dashboard/app/match_quotes.py


def browser_data(store: Store) -> dict:
    """What the page gives the browser to compute a match: no answer, only the data.

    topics: in the store's order, each with the answers offered (fit.answer_options);
    positions: per topic, every position's label and family (an organization may hold one that
    is not offered, a critics' term in "all" mode); orgs: in the store's order, with
    `rank`, their place in the order of names (the tie-break of fit.match), and per topic
    the stance's position, whether it rests on its own words, the strength wording, the
    editors' reasoning when it is a reading, and its strongest quote's source, quote id, speaker
    and attribution (its text is in `quotes_file`, at `quotes`)."""
    names = sorted(store.organizations, key=store.org_name)
    rank = {o: i for i, o in enumerate(names)}
    topics = [{"id": t.id, "name": t.name, "question": t.question,
               "options": [{"id": p.id, "label": p.label, "def": p.definition} for p in answer_options(store, t.id)]}
              for t in store.topics.values()]
    positions = {t.id: {p.id: {"label": p.label, "family": p.family or ""} for p in t.positions}
                 for t in store.topics.values()}
    by_org: dict[str, dict] = {o: {} for o in store.organizations}
    for (o, t), st in store.stances.items():
        ev = strongest_quote(st)
        by_org[o][t] = {
            "p": st.position,
            "own": st.has_own_words,
            "strength": strength_text(store, st),
            "reading": st.reading if st.is_reading else "",
            "quote": None if ev is None else {
                "id": ev.quote_id, "source": ev.source, "speaker": ev.speaker, "attribution": ev.attribution},
        }
    orgs = [{"id": o, "name": store.org_name(o), "rank": rank[o],
             "stances": {t: by_org[o][t] for t in store.topics if t in by_org[o]}}
            for o in store.organizations if by_org[o]]
    return {"topics": topics, "positions": positions, "orgs": orgs, "quotes": f"{QUOTES_PATH}?v={quotes_file(store)[1]}",
            "min_shared": MIN_SHARED,
            "same": SAME, "family": FAMILY, "modes": EVIDENCE_MODES, "mode_notes": MODE_NOTES,
            # the words the other views use, from their one definition (fit.py, ui.py, stated.py)
            "words": {"agreement": [[k, v] for k, v in AGREEMENT_WORDS.items()],
                      "not_in_sources": NOT_IN_SOURCES, "others_only": OTHERS_ONLY,
                      "attribution": ATTRIBUTION_LABELS, "attribution_help": ATTRIBUTION_HELP},
            "reading_label": READING_LABEL, "reading_why": READING_WHY}


def quote_texts(store: Store) -> dict[str, str]:
    """The text of every stance's strongest quote, by quote id, as the explanation shows it."""
    return {ev.quote_id: shorten(ev.text, QUOTE_CHARS)
            for ev in map(strongest_quote, store.stances.values()) if ev is not None}


def quotes_file(store: Store) -> tuple[bytes, str]:
    """`quote_texts` as the JSON file served at QUOTES_PATH, and its version (the start of its
    content hash, which the page's address of it carries): built once per store."""
    m = memo(store)
    if "match_quotes" not in m:
        body = json.dumps({"texts": quote_texts(store)}, ensure_ascii=False, separators=(",", ":")).encode()
        m["match_quotes"] = (body, hashlib.sha256(body).hexdigest()[:16])
    return m["match_quotes"]


def question(store: Store, n: int, total: int, topic) -> html.Fieldset:
    options = answer_options(store, topic.id)
    legend_id = f"match-legend-{topic.id}"
    return html.Fieldset([
        html.Legend([html.Span(f"Topic {n} of {total}: ", className="match-step-of"),
                     html.Span(topic.name, className="match-topic-name"),
                     html.Span(topic.question, className="match-question d-block")],
                    id=legend_id, className="match-legend"),
        dbc.RadioItems(
            id={"type": ANSWER, "topic": topic.id}, value="",
            options=[{"label": html.Span([html.Span("No opinion", className="match-option-label"),
                                          html.Span(" (this topic counts for nothing)",
                                                    className="match-option-def")]), "value": ""}]
            + [{"label": html.Span([html.Span(p.label, className="match-option-label"),
                                    html.Span(f": {p.definition}", className="match-option-def")]), "value": p.id}
               for p in options],
            className="match-options", labelClassName="match-option"),
        dbc.Switch(id={"type": WEIGHT, "topic": topic.id}, value=False, label="This matters more to me (counts twice)",
                   className="match-weight mt-1"),
        None if options else html.P("No organization takes a position on this topic in its own words in the "
                                    "sources yet: there is nothing to answer here.", className="small match-no-options"),
    ], id={"type": QUESTION, "topic": topic.id}, className="match-q" + (" current" if n == 1 else ""),
        **{"data-topic": topic.id})


HOW_IT_WORKS = [
    html.P(["Each organization's score is the weighted share of agreement over the topics that both you and it "
            "have a position on: ", html.Code("score = Σ weight × agreement ÷ Σ weight"),
            ", where agreement is 1 for the same position, ½ for a related one (the same family of positions) "
            "and 0 for a different one, and the weight is 1, or 2 for a topic that matters more to you. "
            "A topic you leave at “No opinion” counts for nothing. This is the agreement page's scale."]),
    html.P("Every organization with evidence on at least one of your answered topics is listed; none is excluded "
           "and the list is never cut to a top few. One that shares fewer than two of your answered topics is "
           "listed apart, as too little evidence to compare, not ranked. Ties are broken by the number of topics "
           "shared, then by name."),
    html.P("The questions, their order and the wording of the answers come from the sources' vocabularies: each "
           "answer is a position that at least one organization takes in its own words. A label that only critics "
           "use for an organization is not offered as an answer."),
    html.P("With “own words only”, an organization's position counts where the sources hold its own words; "
           "with other organizations' and observers' descriptions, a stance resting only on what others say of it "
           "counts as well. A stance that is the editors' reading of the words counts, and is marked so in the "
           "explanation."),
    html.P("The result describes how your answers agree with what the sources record of each organization. It is "
           "not a recommendation, and what the sources do not record is not held against anyone."),
]


def map_section(store: Store) -> html.Section:
    """Where the reader stands among the organizations: the agreement page's map, drawn with the
    reader's own point in the browser (assets/orgmap.js), from the answers, which stay there."""
    return html.Section([
        html.H3("Where you stand among them", className="h6", id="match-map-heading"),
        html.P(id="match-map-status", className="small mb-1"),
        # drawn by orgmap.js, never by the server: React leaves the box empty
        html.Div(id="match-map-box", className="org-map match-map-box"),
        *[html.Details([html.Summary(f"What the two axes mean ({m.share:.0%} of the variation)" if m else
                                     "What the two axes mean"),
                        axis_words(store, m) if m else None],
                       id=f"match-map-words-{mode}", hidden=mode != "own", className="small mb-1")
          for mode, m in (("own", org_map(store, None, False)), ("all", org_map(store, None, True)))],
        html.P("Your point (\u25c6) is placed by the same rule, from 1 \u2212 your score with each organization, "
               "in this browser.", className="small text-body-secondary mb-1"),
        html.Details([html.Summary("The map as a table"),
                      html.Div(id="match-map-table", className="table-responsive", tabIndex="0", role="region",
                               **{"aria-label": "The map as a table"})], className="chart-table"),
    ], className="match-map mb-3", **{"aria-labelledby": "match-map-heading"})


@safe_layout
def layout(**_query):
    """The same page for every address (the answers are in the fragment, which the server never
    sees): built once per store."""
    store = get_store()
    return once_per_store(store, "match_layout", lambda: page(store))


def page(store: Store) -> html.Div:
    topics = list(store.topics.values())
    total = len(topics)
    return html.Div([
        page_header("Where do I fit?", "Answer the questions you have a view on, and see how each organization's "
                    "recorded positions compare with yours, explained by their own words."),
        dbc.Alert([html.Strong("Your answers stay in this browser. "),
                   "They are scored here, kept only in this page's address after the “#”, which browsers never "
                   "send to a server, and no request this page makes carries them. A link you share shares your "
                   "answers; “Start again” clears them."],
                  color="light", className="match-privacy small py-2"),
        dcc.Store(id="match-data", data=browser_data(store)),
        dcc.Store(id="match-map-data", data={mode: browser_map(store, org_map(store, None, mode == "all"))
                                             for mode in ("own", "all")}),
        dcc.Store(id="match-restored"),
        dcc.Store(id="match-step", data=0),
        # clicked by match.js when the reader changes the address's fragment on this page
        html.Button(id="match-reread", type="button", hidden=True, tabIndex="-1", **{"aria-hidden": "true"}),
        html.Div([
            html.Div([html.Div("Whose words count", className="form-label mb-0", id="match-mode-label"),
                      html.Div(dbc.RadioItems(id="match-mode", value="own", inline=True,
                                              options=[{"label": v, "value": k} for k, v in EVIDENCE_MODES.items()]),
                               role="radiogroup", **{"aria-labelledby": "match-mode-label"})],
                     className="match-mode"),
            html.Div([
                html.Button("Copy link", id="match-copy", type="button", className="btn btn-outline-dark btn-sm",
                            title="Copy this page's address, with your answers, to share or keep"),
                html.Button("Start again", id="match-reset", type="button", className="btn btn-outline-secondary btn-sm",
                            title="Clear every answer"),
            ], className="d-flex gap-2 flex-wrap"),
        ], className="match-toolbar d-flex flex-wrap gap-3 align-items-end mb-2"),
        html.P(id="match-status", className="match-status small mb-2", role="status"),
        dbc.Row([
            dbc.Col([
                html.H2("Your views", className="h5"),
                html.Div([
                    html.Div(id="match-progress", className="match-progress small w-100", **{"aria-live": "polite"}),
                    html.Button("\u2190 Previous", id="match-prev", type="button",
                                className="btn btn-outline-secondary btn-sm", title="The previous topic"),
                    html.Button("Results \u2193", id="match-to-results", type="button",
                                className="btn btn-outline-dark btn-sm", title="Go to the results"),
                    html.Button("Next topic \u2192", id="match-next", type="button",
                                className="btn btn-primary btn-sm"),
                ], className="match-stepper d-flex flex-wrap align-items-center justify-content-between gap-2 mb-2"),
                # not a <form>: nothing here is ever submitted
                html.Div([question(store, i + 1, total, t) for i, t in enumerate(topics)],
                         className="match-form"),
            ], lg=5, className="match-questions"),
            dbc.Col([
                html.H2("How the organizations compare", className="h5", id="match-results-heading"),
                # drawn by match.js, never by the server: React leaves the inner box empty
                html.Div([map_section(store), html.Div(id="match-results-body")],
                         id="match-results", role="region", tabIndex="0",
                         **{"aria-labelledby": "match-results-heading"}),
            ], lg=7, className="match-results-col"),
        ], className="g-4"),
        html.Details([html.Summary("How it works", className="h6 mb-0"), html.Div(HOW_IT_WORKS, className="mt-2")],
                     className="match-how mt-4", id="match-how"),
    ], className="match-page")


def register(app) -> None:
    dash.register_page(__name__, path="/match", layout=layout,
                       title="Tendency Atlas: where do I fit?", name="Match", order=5, nav=True)
    # every callback runs in the browser (assets/match.js): the answers never reach the server
    app.clientside_callback(
        ClientsideFunction("match", "restore"),
        Output({"type": ANSWER, "topic": ALL}, "value"), Output({"type": WEIGHT, "topic": ALL}, "value"),
        Output("match-mode", "value"), Output("match-restored", "data"),
        Input("match-data", "data"), Input("match-reset", "n_clicks"), Input("match-reread", "n_clicks"),
        State({"type": ANSWER, "topic": ALL}, "id"),
    )
    app.clientside_callback(
        ClientsideFunction("match", "compute"),
        Output("match-status", "children"),
        Input({"type": ANSWER, "topic": ALL}, "value"), Input({"type": WEIGHT, "topic": ALL}, "value"),
        Input("match-mode", "value"), Input("match-restored", "data"),
        State({"type": ANSWER, "topic": ALL}, "id"), State("match-data", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("match", "step"),
        Output({"type": QUESTION, "topic": ALL}, "className"), Output("match-progress", "children"),
        Output("match-step", "data"), Output("match-prev", "disabled"), Output("match-next", "disabled"),
        Input("match-prev", "n_clicks"), Input("match-next", "n_clicks"),
        Input({"type": ANSWER, "topic": ALL}, "value"),
        State("match-step", "data"),
    )
    app.clientside_callback(  # the map's reader point (assets/orgmap.js), placed in the browser too
        ClientsideFunction("orgmap", "place"),
        Output("match-map-status", "children"), Output("match-map-words-own", "hidden"),
        Output("match-map-words-all", "hidden"),
        Input({"type": ANSWER, "topic": ALL}, "value"), Input({"type": WEIGHT, "topic": ALL}, "value"),
        Input("match-mode", "value"),
        State({"type": ANSWER, "topic": ALL}, "id"), State("match-data", "data"), State("match-map-data", "data"),
    )
    app.clientside_callback(
        ClientsideFunction("match", "copy"),
        Output("match-status", "children", allow_duplicate=True),
        Input("match-copy", "n_clicks"),
        prevent_initial_call=True,
    )
