"""The stance matrix as drawn: its state (from the address), the evidence its filters keep, and
the table, legend and quote rows. The table has thousands of cells at scale, so it is drawn
with `lite` (plain component JSON); `pages/matrix.py` composes it into the page."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby

import dash_bootstrap_components as dbc

from ..data.memo import memo
from ..data.models import ATTRIBUTIONS
from ..data import search as text_search
from ..data.store import Evidence, Store
from . import lite
from .stated import READING_LABEL
from .state import as_list, first, pick_known
from .ui import ATTRIBUTION_LABELS, swatch, text_color


@dataclass(frozen=True)
class MatrixState:
    topics: tuple[str, ...] = ()
    traditions: tuple[str, ...] = ()
    orgs: tuple[str, ...] = ()
    attrs: tuple[str, ...] = ()
    q: str = ""
    stance: str = ""  # "org.topic": the stance whose evidence is open

    def allowed_attrs(self) -> set[str]:
        return set(self.attrs) or set(ATTRIBUTIONS)

    def search(self) -> dict:
        return {"topic": list(self.topics), "tradition": list(self.traditions), "org": list(self.orgs),
                "attr": list(self.attrs), "q": self.q, "stance": self.stance}


def parse_state(store: Store, query: dict) -> tuple[MatrixState, dict[str, list[str]]]:
    topics, bad_t = pick_known(as_list(query.get("topic")), store.topics)
    trads, bad_tr = pick_known(as_list(query.get("tradition")), store.traditions)
    orgs, bad_o = pick_known(as_list(query.get("org")), store.organizations)
    attrs, bad_a = pick_known(as_list(query.get("attr")), ATTRIBUTIONS)
    q = first(query.get("q"))[:200]
    stance = first(query.get("stance"))
    bad_s = []
    if stance and tuple(stance.split(".", 1)) not in store.stances:
        bad_s, stance = [stance], ""
    state = MatrixState(tuple(topics), tuple(trads), tuple(orgs), tuple(attrs), q, stance)
    return state, {"topic": bad_t, "tradition": bad_tr, "org": bad_o, "attr": bad_a, "stance": bad_s}


def visible_topics(store: Store, state: MatrixState) -> list[str]:
    return [t for t in store.topics if not state.topics or t in state.topics]


def visible_orgs(store: Store, state: MatrixState) -> list[str]:
    return [o.id for o in store.organizations.values()
            if (not state.orgs or o.id in state.orgs) and (not state.traditions or o.tradition in state.traditions)]


@dataclass(frozen=True)
class Cell:
    org: str
    topic: str
    status: str                  # "stance", "empty" (no evidence), "filtered" (filters hide it)
    position: str = ""
    critics_view: bool = False   # the position shown is a critic's or observer's characterization
    count: int = 0
    contested: bool = False
    attributions: frozenset = field(default_factory=frozenset)
    reading: bool = False        # the position shown is the editors' reading, not stated in the quotes


def cell_for(store: Store, state: MatrixState, org: str, topic: str, evs: list[Evidence] | None = None) -> Cell:
    """The cell of a stance under the filters; `evs`, when given, is the stance's evidence that
    passes them (in the stance's order), as `filtered_evidence` found it."""
    st = store.stances.get((org, topic))
    if st is None:
        return Cell(org, topic, "empty")
    if evs is None:
        allowed = state.allowed_attrs()
        needle = text_search.needle(state.q)
        evs = [e for e in st.all_evidence
               if e.attribution in allowed and (not needle or needle in store.haystack(e))]
    if not evs:
        return Cell(org, topic, "filtered")
    own = [e for e in evs if e.view == "own"]
    if own:
        position, critics_view = st.position, not any(e.attribution == "self" for e in own)
        reading = st.is_reading
    else:
        position, critics_view = evs[0].position, True
        reading = any(c.is_reading for c in st.counters if c.position == position)
    return Cell(org, topic, "stance", position, critics_view, len(evs), st.contested,
                frozenset(e.attribution for e in evs), reading)


def filtered_evidence(store: Store, state: MatrixState) -> list[Evidence]:
    if not (state.topics or state.traditions or state.orgs or state.attrs or state.q):
        return list(store.evidence)
    orgs, topics = set(visible_orgs(store, state)), set(visible_topics(store, state))
    allowed = state.allowed_attrs()
    needle = text_search.needle(state.q)
    if not needle:
        return [e for e in store.evidence if e.organization in orgs and e.topic in topics and e.attribution in allowed]
    return [e for e in text_search.search(store, needle)
            if e.organization in orgs and e.topic in topics and e.attribution in allowed]


# ---- rendering --------------------------------------------------------------------------

def _cell(store: Store, state: MatrixState, org: str, topic: str,
          by_cell: dict[tuple[str, str], list[Evidence]]) -> lite.Element:
    """A cell as drawn. Without attribution or text filters a cell depends on the store alone:
    those (the commonest: every page load, every topic, tradition or organization filter) are
    drawn once per store and reused. With them, `by_cell` holds each cell's passing evidence."""
    if state.attrs or state.q:
        evs = by_cell.get((org, topic))
        if not evs:  # what cell_for says of a cell no evidence passes (most cells of a search), directly
            return _FILTERED_TD if (org, topic) in store.stances else _EMPTY_TD
        return _cell_td(store, cell_for(store, state, org, topic, evs))
    cells = memo(store).setdefault("matrix_cells", {})
    td = cells.get((org, topic))
    if td is None:
        td = cells[(org, topic)] = _cell_td(store, cell_for(store, state, org, topic))
    return td


def _row_cells(store: Store, state: MatrixState, org: str, topics: list[str],
               by_cell: dict[tuple[str, str], list[Evidence]]) -> list[lite.Element]:
    """The cells of one organization's row: `_cell` for each topic, with its filtered branch
    inline (a search draws some 1,200 cells, nearly all hidden ones)."""
    if not (state.attrs or state.q):
        return [_cell(store, state, org, t, by_cell) for t in topics]
    stances = store.stances
    out: list[lite.Element] = []
    run, n = False, 0  # the hidden (True) or empty (False) cells met since the last drawn one
    for t in topics:
        evs = by_cell.get((org, t))
        if evs:
            if n:
                out.append(_spanning(run, n))
                n = 0
            out.append(_cell_td(store, cell_for(store, state, org, t, evs)))
            continue
        hidden = (org, t) in stances
        if n and hidden is run:
            n += 1
            continue
        if n:
            out.append(_spanning(run, n))
        run, n = hidden, 1
    if n:
        out.append(_spanning(run, n))
    return out  # merge_runs of the cells one by one (tests/integration/test_fast_paths.py)


def merge_runs(cells: list[lite.Element]) -> list[lite.Element]:
    """Neighbouring cells that say the same "hidden by filters" or "no evidence in the sources",
    drawn as one cell spanning their columns: a search's rows are mostly such runs. (The plain
    version of what `_row_cells` draws in one pass.)"""
    out: list[lite.Element] = []
    for _, run in groupby(cells, key=id):  # the shared cells are one object each: runs of it
        first = next(run)
        n = 1 + sum(1 for _ in run)
        if n == 1:
            out.append(first)
        elif first is _FILTERED_TD or first is _EMPTY_TD:
            out.append(_spanning(first is _FILTERED_TD, n))
        else:  # pragma: no cover - every other cell is its own object
            out += [first] * n
    return out


@lru_cache(maxsize=None)
def _spanning(filtered: bool, n: int) -> lite.Element:
    """The hidden (or empty) cell spanning `n` columns; the shared one-column cell for 1."""
    c = _FILTERED_TD if filtered else _EMPTY_TD
    return c if n == 1 else {**c, "props": {**c["props"], "colSpan": n}}


# the same for every cell without a stance, or whose evidence the filters hide (shared: never mutated)
# (the text straight in the cell, styled as .no-evidence by site.css: a search sends hundreds)
_EMPTY_TD = lite.html.Td("no evidence in the sources", className="cell cell-empty")
_FILTERED_TD = lite.html.Td("hidden by filters", className="cell cell-filtered")


def _cell_td(store: Store, c: Cell) -> lite.Element:
    h = lite.html
    if c.status == "empty":
        return _EMPTY_TD
    if c.status == "filtered":
        return _FILTERED_TD
    org = store.organizations[c.org].display_name
    topic = store.topics[c.topic].name
    pos = store.position(c.topic, c.position)
    color = store.color(c.topic, c.position)
    label = pos.label if pos else c.position
    marks = []  # symbols for the eye; their words are in the name
    if c.contested:
        marks.append(h.Span("\u21c4", className="mark-contested", **{"aria-hidden": "true"}))
    if c.critics_view:
        marks.append(h.Span("\u2691" if "critic" in c.attributions else "\u25cc",
                            className="mark-others", **{"aria-hidden": "true"}))
    if c.reading:
        marks.append(h.Span("\u2248 reading", className="mark-reading", **{"aria-hidden": "true"}))
    who = "only other organizations' or observers' words" if c.critics_view else "including its own words"
    count = f"{c.count} quote{'s' if c.count != 1 else ''}"
    # the name starts with the visible text (WCAG 2.5.3), then says whose stance it is
    aria = (f"{label}, {count}{', reading, the ' + READING_LABEL if c.reading else ''}: {org} on {topic}, {who}"
            f"{'; contested' if c.contested else ''}. Open the evidence.")
    ink = text_color(color)
    style = {"backgroundColor": color, "color": ink}
    button = h.Button([h.Span(label, className="cell-label"), " ",  # the space keeps the words apart when read
                       h.Span([h.Span(count, className="cell-count"), *marks], className="cell-meta")],
                      id={"type": "cell", "org": c.org, "topic": c.topic}, className="cell-button", style=style,
                      **{"aria-label": aria})  # shown on hover too, by site.css
    return h.Td(button, className="cell cell-stance" + (" critics-view" if c.critics_view else "")
                + (" ink-light" if ink == "#ffffff" else " ink-dark"))


MAX_ROWS = 40      # organizations drawn at once: filters reach the rest
MAX_GRID_ROWS = 300  # quotes sent to the table at once: the download has them all


def render_matrix(store: Store, state: MatrixState, evs: list[Evidence] | None = None) -> lite.Element:
    """The table. Only the rows drawn are computed: at most MAX_ROWS organizations (when
    searching, those with a matching quote, from `evs`, the filtered evidence)."""
    h, link = lite.html, lite.dcc.Link
    topics = visible_topics(store, state)
    orgs = visible_orgs(store, state)
    if not topics or not orgs:
        return h.Div(dbc.Alert("No organization or topic matches these filters. Clear a filter to see more.",
                               color="info"), className="matrix-empty")
    by_cell: dict[tuple[str, str], list[Evidence]] = {}
    if state.attrs or state.q:
        for e in filtered_evidence(store, state) if evs is None else evs:
            by_cell.setdefault((e.organization, e.topic), []).append(e)
    if state.q:
        matching = {o for o, _ in by_cell}
        orgs = [o for o in orgs if o in matching]
    shown, more = orgs[:MAX_ROWS], len(orgs[MAX_ROWS:])
    if not shown:
        return h.Div(dbc.Alert(f"No quote or summary matches \u201c{state.q}\u201d with these filters.",
                               color="info"), className="matrix-empty")
    head = h.Thead(h.Tr([h.Th("Organization", scope="col", className="org-col")] + [
        h.Th(link(store.topics[t].name, href=f"/topics/{t}", title=store.topics[t].question),
             scope="col", className="topic-col") for t in topics]))
    body = []
    current = None
    heads = memo(store).setdefault("matrix_row_heads", {})  # the same in every matrix: drawn once per store
    for org_id in shown:
        org = store.organizations[org_id]
        if org.tradition != current:
            current = org.tradition
            trad = store.traditions[current]
            body.append(h.Tr(h.Th(trad.name, colSpan=len(topics) + 1, scope="colgroup",
                                  className="tradition-row", title=trad.description)))
        row_head = heads.get(org_id)
        if row_head is None:
            row_head = heads[org_id] = h.Th([link(org.display_name, href=f"/organizations/{org_id}"),
                                             h.Div(org.name if org.short_name else "", className="org-full small")],
                                            scope="row", className="org-col")
        body.append(h.Tr([row_head] + _row_cells(store, state, org_id, topics, by_cell)))
    table = h.Div(h.Table([h.Caption("Stances by organization and topic. Select a cell to read its evidence."),
                           head, h.Tbody(body)], className="matrix-table"),
                  className="matrix-scroll", tabIndex="0", role="region", **{"aria-label": "Stance matrix"})
    if not more:
        return table
    return h.Div([dbc.Alert(f"Showing the first {len(shown)} of {len(shown) + more} organizations. Choose a tradition "
                            "or organizations above to see the others.", color="info", className="matrix-more py-2"),
                  table])


def render_legend(store: Store, state: MatrixState) -> lite.Element:
    h = lite.html
    blocks = []
    for t in visible_topics(store, state):
        topic = store.topics[t]
        blocks.append(h.Div([
            h.Div(topic.name, className="legend-topic fw-semibold small"),
            h.Ul([h.Li([swatch(store.color(t, p.id)), h.Span(p.label)], title=p.definition)
                  for p in topic.positions], className="legend-list"),
        ], className="legend-block"))
    marks = h.Ul([
        h.Li([h.Span("\u21c4", className="mark-contested"), " contested: its own words and critics disagree"]),
        h.Li([h.Span("\u2691", className="mark-others"), " rests only on other organizations' words (hatched cell)"]),
        h.Li([h.Span("\u25cc", className="mark-others"), " rests only on observers' words (hatched cell)"]),
        h.Li([h.Span("\u2248 reading", className="mark-reading"),
              " the editors' reading: the quotes imply the position but do not state it (open the cell for the "
              "reasoning)"]),
        h.Li([h.Span("no evidence in the sources", className="no-evidence"),
              ": the sources say nothing on it; nothing is guessed"]),
    ], className="legend-list legend-marks")
    return h.Details([h.Summary("Legend: colours and marks"),
                      h.Div([h.Div([h.Div("Marks", className="legend-topic fw-semibold small"), marks],
                                   className="legend-block")] + blocks, className="legend-grid")],
                     className="legend", open=True)


GRID_COLUMNS = [
    {"field": "organization", "headerName": "Organization", "minWidth": 130},
    {"field": "topic", "headerName": "Topic", "minWidth": 110},
    {"field": "position", "headerName": "Position", "minWidth": 170, "wrapText": True, "autoHeight": True},
    {"field": "attribution", "headerName": "Attribution", "minWidth": 110},
    {"field": "speaker", "headerName": "Speaker", "minWidth": 150, "wrapText": True, "autoHeight": True},
    {"field": "quote", "headerName": "Quote", "minWidth": 320, "flex": 2, "wrapText": True, "autoHeight": True},
    {"field": "source", "headerName": "Source", "minWidth": 180, "wrapText": True, "autoHeight": True},
    {"field": "date", "headerName": "Date", "minWidth": 100},
    {"field": "link", "headerName": "Context", "cellRenderer": "ContextLink", "minWidth": 120, "sortable": False,
     "filter": False},
]


def grid_rows(store: Store, evs: list[Evidence]) -> list[dict]:
    rows = lite.Data()
    for e in evs[:MAX_GRID_ROWS]:
        pos = store.position(e.topic, e.position)
        rows.append({
            "organization": store.organizations[e.organization].display_name,
            "topic": store.topics[e.topic].name,
            "position": (pos.label if pos else e.position) + ("" if e.view == "own" else " (others' view)"),
            "attribution": ATTRIBUTION_LABELS[e.attribution],
            "speaker": e.speaker,
            "quote": e.text,
            "source": store.sources[e.source].title,
            "date": e.date or "",
            "link": f"/sources/{e.source}?quote={e.quote_id}",
        })
    return rows


