"""`/sources` and `/sources/<id>[?quote=<quote_id>]`: the evidence reader."""
from __future__ import annotations

import re

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, dcc, html

from ..components.context import get_store
from ..components.state import first
from ..components.ui import ATTRIBUTION_LABELS, attribution_badge, cite_control, not_found, notice, page_header
from ..data.models import ATTRIBUTIONS
from ..data.store import Evidence, Store, passage_id
from . import path_part, safe_layout

_HYPHEN_BREAK = re.compile(r"(?<=[a-z])-[ \t]*\n[ \t]*(?=[a-z])")
_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def clean(text: str) -> str:
    """Rejoin a paragraph's lines for reading: undo hyphenation at line ends, lines become spaces.
    Only line breaks and hyphenation hyphens go; no word changes."""
    return _BREAK.sub(" ", _HYPHEN_BREAK.sub("", text))


def blocks(text: str, set_aside: list[str]) -> list[tuple[str, int, int]]:
    """Split a source into display blocks (kind, start, end): paragraphs, page numbers and
    set-aside lines (captions). Offsets are in the original text."""
    aside = {" ".join(s.split()) for s in set_aside}
    out: list[tuple[str, int, int]] = []
    para_start = None
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line)
        pos = end
        stripped = line.strip()
        kind = None
        if not stripped:
            kind = "blank"
        elif _PAGE_NUMBER.match(line):
            kind = "page"
        elif " ".join(stripped.split()) in aside:
            kind = "aside"
        if kind is None:
            if para_start is None:
                para_start = start
            continue
        if para_start is not None:
            out.append(("para", para_start, start))
            para_start = None
        if kind != "blank":
            out.append((kind, start, end))
    if para_start is not None:
        out.append(("para", para_start, len(text)))
    return out


def _segments(text: str, start: int, end: int, quotes: list[Evidence]):
    """Pieces of text[start:end], each with the quotes covering it."""
    points = {start, end}
    for q in quotes:
        if q.end > start and q.start < end:
            points.add(max(q.start, start))
            points.add(min(q.end, end))
    cuts = sorted(points)
    for a, b in zip(cuts, cuts[1:]):
        covering = [q for q in quotes if q.start <= a and q.end >= b]
        yield a, b, covering


def render_text(store: Store, source_id: str, target: str) -> list:
    src = store.sources[source_id]
    text = store.source_texts[source_id]
    quotes = store.evidence_in_source(source_id)
    first_mark: set[str] = set()
    out = []
    for kind, start, end in blocks(text, list(src.set_aside)):
        if kind == "page":
            out.append(html.Div(f"page {text[start:end].strip()}", className="reader-page", role="note"))
            continue
        if kind == "aside":
            out.append(html.Div(text[start:end].strip(), className="reader-aside", role="note",
                                title="Caption or pull quote, set aside from the text"))
            continue
        pieces = []
        for a, b, covering in _segments(text, start, end, quotes):
            piece = clean(text[a:b])
            if not covering:
                pieces.append(piece)
                continue
            ev = covering[-1]
            attrs = " ".join(sorted({f"attr-{q.attribution}" for q in covering}))
            label = "; ".join(f"{store.org_name(q.organization)} on {store.topics[q.topic].name} "
                              f"({ATTRIBUTION_LABELS[q.attribution]}: {q.speaker})" for q in covering)
            mark_id = None
            for q in covering:  # a passage counted on several stances is marked once, by its passage_id
                if passage_id(q) not in first_mark:
                    first_mark.add(passage_id(q))
                    mark_id = f"mark-{passage_id(q)}"
                    break
            cls = "reader-mark " + attrs + (" is-target" if any(passage_id(q) == target for q in covering) else "")
            extra = {"id": mark_id} if mark_id else {}
            pieces.append(dcc.Link(html.Mark(piece, className=cls),
                                   href=f"/organizations/{ev.organization}#topic-{ev.topic}",
                                   title=label, className="reader-mark-link", **extra))
        out.append(html.P(pieces, className="reader-para"))
    return out


def _label(store: Store, ev: Evidence) -> str:
    pos = store.position(ev.topic, ev.position)
    return pos.label if pos else ev.position


@safe_layout
def index_layout(**_query):
    store = get_store()
    items = []
    for s in store.sources.values():
        n = len({passage_id(e) for e in store.evidence_in_source(s.id)})
        items.append(html.Li([
            dcc.Link(s.title, href=f"/sources/{s.id}", className="fw-semibold"),
            html.Div(f"{', '.join(s.authors)} · {s.publication} · {s.date or 'undated'} · {s.kind} · "
                     f"{n} quote{'s' if n != 1 else ''}", className="small text-body-secondary"),
        ], className="mb-2"))
    return html.Div([page_header("Sources", "The texts every quote is taken from, unchanged."),
                     html.Ul(items, className="list-unstyled")])


@safe_layout
def layout(source_id: str = "", **query):
    source_id = path_part("/sources/", source_id)
    store = get_store()
    src = store.sources.get(source_id)
    if src is None:
        return not_found("source", source_id, "/sources", "See all sources")
    target = first(query.get("quote"))
    ev = store.quote(target) if target else None
    dropped = {}
    if target and (ev is None or ev.source != source_id):
        dropped, target, ev = {"quote": [target]}, "", None
    quotes = store.evidence_in_source(source_id)
    meta = [
        ("Author(s)", ", ".join(src.authors)),
        ("Publication", src.publication),
        ("Date", (src.date or "undated") + (f" ({src.date_note})" if src.date_note else "")),
        ("Kind", src.kind),
        ("Speaks for", store.org_name(src.organization) if src.organization else "no organization"),
        ("File", f"seeds/{src.file}"),
    ]
    focus, mark = None, passage_id(ev) if ev else ""  # a passage on several stances is marked once
    if ev is not None:
        also = [f"{store.topics[o.topic].name}, {_label(store, o)}" for o in map(store.quote, ev.shared) if o]
        focus = dbc.Alert([
            html.Div([html.Strong("Highlighted quote: "), f"{store.org_name(ev.organization)} on "
                      f"{store.topics[ev.topic].name}, {_label(store, ev)}. ",
                      "Speaker: ", ev.speaker, " ", attribution_badge(ev.attribution)]),
            html.Div("The same passage is evidence on: " + "; ".join(also) + ".") if also else None,
            html.Div([dcc.Link("Back to the stance", href=f"/organizations/{ev.organization}#topic-{ev.topic}"),
                      " · ", cite_control(ev)]),
        ], color="light", className="reader-focus")
    return html.Div([
        page_header(src.title),
        notice(dropped),
        html.Dl([x for k, v in meta for x in (html.Dt(k), html.Dd(v))], className="source-meta"),
        html.P(src.notes, className="small") if src.notes else None,
        focus,
        html.Div([html.Span("Highlights: ", className="small"),
                  *[html.Span(ATTRIBUTION_LABELS[a], className=f"reader-mark attr-{a} legend-mark me-1")
                    for a in ATTRIBUTIONS],
                  html.Span(f" · {(n := len({passage_id(q) for q in quotes}))} quote{'s' if n != 1 else ''} "
                            "from this source; page numbers and captions are set apart; line breaks and hyphenation undone, "
                            "no words changed.", className="small text-body-secondary")],
                 className="reader-legend"),
        html.Article(render_text(store, source_id, mark), className="reader-text", lang="en"),
        dcc.Store(id="reader-target", data=f"mark-{mark}" if mark else ""),
        html.Div(id="reader-scrolled", hidden=True),
    ], className="source-page")


def register(app) -> None:
    dash.register_page("dashboard.pages.sources_index", path="/sources", layout=index_layout,
                       title="Tendency Atlas: sources", name="Sources", order=4, nav=True)
    dash.register_page(__name__, path_template="/sources/<source_id>", layout=layout,
                       title="Tendency Atlas: source", name="Source")
    app.clientside_callback(
        ClientsideFunction("atlas", "scrollToMark"),
        Output("reader-scrolled", "children"),
        Input("reader-target", "data"),
    )
