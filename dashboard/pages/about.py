"""`/about`: what the dashboard shows and how, the sources, and the data download."""
from __future__ import annotations

import dash
from dash import dcc, html

from ..components.context import get_store
from ..components.ui import ATTRIBUTION_HELP, ATTRIBUTION_LABELS, page_header
from ..data.models import ATTRIBUTIONS
from ..data.opendata import dataset_version
from ..data.store import STRENGTHS, strength_words
from . import safe_layout


@safe_layout
def layout(**_query):
    store = get_store()
    c = store.counts()
    ver = dataset_version(store)
    return html.Div([
        page_header("About Tendency Atlas", "What it shows, how, and on what evidence."),
        html.P(f"The atlas maps {c['organizations']} organizations and currents on {c['topics']} topics: "
               f"{c['stances']} stances resting on {c['quotes']} quotes from {c['sources']} source texts."),
        html.H2("Every claim rests on quoted words", className="h5 mt-4"),
        html.P("A stance is never an editor's opinion. It rests on one or more quotes, each proved to be a verbatim "
               "span of its source text when the data is loaded (tolerating only line breaks, hyphenation at line "
               "ends, curly versus straight quotes and dash variants). Every quote links to the source, where it "
               "is highlighted."),
        html.H2("Who is speaking: attribution", className="h5 mt-4"),
        html.Ul([html.Li([html.Span(ATTRIBUTION_LABELS[a], className=f"badge attr-badge attr-{a}"), " ",
                          ATTRIBUTION_HELP[a]]) for a in ATTRIBUTIONS]),
        html.P("Another organization's words about an organization are never shown as that organization's own "
               "view: they are shown as that organization's description, naming it (\u201cas described by the "
               "ISO\u201d), favourable or not. They are called critics' only where they are hostile: where they "
               "disagree with the organization's own words (a counter view, and the stance is contested), or give "
               "it a label only its critics use. When a critic quotes its target's words, those words are the "
               "target's own; the critic's words around them are its claim."),
        html.H2("How firmly a stance is stated", className="h5 mt-4"),
        html.P("The wording follows the evidence, and is derived from it, never typed by hand:"),
        html.Table([html.Thead(html.Tr([html.Th("Wording"), html.Th("When")])),
                    html.Tbody([html.Tr([html.Td(strength_words(key)), html.Td(why)]) for key, _, why in STRENGTHS])],
                   className="table table-sm"),
        html.H2("Stated, or the editors' reading", className="h5 mt-4", id="stated-or-reading"),
        html.P("Quotes prove the words; a position label is a claim drawn from them. So each stance marks the "
               "quotes that state its position, and each position lists the terms by which the sources express "
               "it. When a stating quote uses one of those terms, the position is stated, and shown in the usual "
               "style. When the words imply the position but no quote states it, the stance is the editors' "
               "reading: it is marked \u201c\u2248 editors' reading\u201d wherever it appears (matrix, comparison, "
               "topic and organization pages, coverage), its wording says \u201cin the editors' reading\u201d, and "
               "the editors' reasoning, in a sentence or two, opens with one click. The editors prefer a literal "
               "position from the vocabulary, or add one, over a reading: a reading is for the cases where no "
               "literal label fits."),
        html.H2("Positions", className="h5 mt-4"),
        html.P("Each topic has its own vocabulary of positions, each a term the sources use or a plain description "
               "of them, with a one-line definition. Colours come from a palette chosen to stay distinguishable "
               "with common colour-vision deficiencies, and every colour has a label."),
        html.H2("Contested, and no evidence", className="h5 mt-4"),
        html.P([html.Strong("Contested"), " means the organization's own words and its critics' or observers' "
                "description disagree; both are shown, the organization's own view first. ",
                html.Strong("No evidence in the sources"), " means the texts say nothing of that organization on "
                "that topic: nothing is guessed."]),
        html.H2("Corrections", className="h5 mt-4", id="corrections"),
        html.P(["When the editors change a stance's position, summary or attribution, the change is logged with its "
                "date, what it was, what it is and why. A corrected stance says \u201crevised on\u201d with the "
                "date, the organization's page lists its corrections, and ",
                dcc.Link("the corrections log", href="/corrections"), " lists them all."]),
        html.H3("How to ask for a correction, or reply", className="h6", id="ask-for-a-correction"),
        html.P(["An organization that finds one of its stances wrong can reply in its own words, and any reader can "
                "ask for a correction: ", dcc.Link("what a reply needs, and what the editors do with it", href="/reply"),
                ". A reply is shown beside the stance it answers, with the editors' answer."]),
        html.H2("Sources", className="h5 mt-4"),
        html.Ul([html.Li([dcc.Link(s.title, href=f"/sources/{s.id}"),
                          f" ({', '.join(s.authors)}; {s.publication}; {s.date or 'undated'}; {s.kind})"])
                 for s in store.sources.values()]),
        html.H2("Download the data", className="h5 mt-4", id="data"),
        html.P(["Dataset version ", html.Code(ver.version, id="dataset-version"),
                f" (last data change {ver.date or 'undated'}; SHA-256 of the data as loaded: ",
                html.Code(ver.sha256, className="text-break"), "). Every download and every answer of the API "
                "carries it: cite it with the data, so that a citation names exactly the data it used."]),
        html.Ul([
            html.Li([html.A("SQLite database", href="/download/tendency-atlas.sqlite", id="download-sqlite"),
                     ": every table (traditions, topics, positions, organizations, facts, sources and their texts, "
                     "stances, views, quotes, corrections) with primary and foreign keys and a full-text index "
                     "over quotes and summaries; open it with ", html.Code("sqlite3"), " or Datasette, with its ",
                     html.A("metadata file", href="/download/tendency-atlas.metadata.json", id="download-metadata"),
                     " (table and column descriptions)."]),
            html.Li([html.A("Data package", href="/download/tendency-atlas-datapackage.zip",
                            id="download-datapackage"),
                     " (Frictionless): one CSV per table and a datapackage.json with types, keys, licence and "
                     "version; check it with ", html.Code("frictionless validate"), "."]),
            html.Li(["One row per quote, the same rows as ", html.Code("python -m dashboard export"), ": ",
                     html.A("CSV", href="/download/evidence.csv", id="download-csv"), " · ",
                     html.A("JSON", href="/download/evidence.json", id="download-json"), "."]),
            html.Li(["A read-only JSON API: ", html.A("/api/", href="/api/", id="api-link"),
                     " (organizations, topics, sources, corrections, quote search), described in ",
                     html.A("OpenAPI", href="/api/openapi.json", id="openapi-link"), "."]),
        ]),
        html.P(["Every quote has a ", html.Strong("Cite"), " control: a permalink to the quote in its source, a "
                "formatted citation and a BibTeX entry, each with the dataset version. Each quote is anchored in "
                "its source text by W3C Web Annotation selectors (the exact words with the characters before and "
                "after them, and their offsets), in the downloads and the API, so that it can be found again."]),
    ], className="about-page")


def register(app) -> None:
    dash.register_page(__name__, path="/about", layout=layout, title="Tendency Atlas: about",
                       name="About & data", order=12, nav=True)
