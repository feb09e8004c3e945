"""`/`: the stance matrix. Organizations as rows, grouped by tradition; topics as columns."""
from __future__ import annotations

from dataclasses import dataclass, field

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import numpy as np
from dash import ALL, Input, Output, State, ctx, dcc, html, no_update

from ..app import get_store
from ..components import lite
from ..components.state import as_list, first, pick_known, query_string
from ..components.ui import (ATTRIBUTION_HELP, ATTRIBUTION_LABELS, notice, page_header,
                             stance_block, swatch, text_color)
from ..data.memo import memo
from ..data.models import ATTRIBUTIONS
from ..data.store import Evidence, StanceRecord, Store
from . import plain_outputs, safe_layout


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


def _needle(q: str) -> str:
    """The search text as looked for: case-folded, without the separators of fields (NUL) and
    of quotes (\\x01) in the search index."""
    return q.replace("\0", "").replace("\x01", "").casefold()


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


def cell_for(store: Store, state: MatrixState, org: str, topic: str, evs: list[Evidence] | None = None) -> Cell:
    """The cell of a stance under the filters; `evs`, when given, is the stance's evidence that
    passes them (in the stance's order), as `filtered_evidence` found it."""
    st = store.stances.get((org, topic))
    if st is None:
        return Cell(org, topic, "empty")
    if evs is None:
        allowed = state.allowed_attrs()
        needle = _needle(state.q)
        evs = [e for e in st.all_evidence
               if e.attribution in allowed and (not needle or needle in store.haystack(e))]
    if not evs:
        return Cell(org, topic, "filtered")
    own = [e for e in evs if e.view == "own"]
    if own:
        position, critics_view = st.position, not any(e.attribution == "self" for e in own)
    else:
        position, critics_view = evs[0].position, True
    return Cell(org, topic, "stance", position, critics_view, len(evs), st.contested,
                frozenset(e.attribution for e in evs))


def filtered_evidence(store: Store, state: MatrixState) -> list[Evidence]:
    if not (state.topics or state.traditions or state.orgs or state.attrs or state.q):
        return list(store.evidence)
    orgs, topics = set(visible_orgs(store, state)), set(visible_topics(store, state))
    allowed = state.allowed_attrs()
    needle = _needle(state.q)
    if not needle:
        return [e for e in store.evidence if e.organization in orgs and e.topic in topics and e.attribution in allowed]
    return [e for e in _search(store, needle)
            if e.organization in orgs and e.topic in topics and e.attribution in allowed]


def _search(store: Store, needle: str) -> list[Evidence]:
    """The quotes whose haystack holds `needle`, in store order. All haystacks are searched as
    one string (joined by a separator no needle holds), hit positions mapped back to quotes:
    one C scan instead of a Python test per quote."""
    index = memo(store).get("search_index")
    if index is None:
        joined = "\x01".join(store.haystacks)
        starts = np.cumsum([0] + [len(h) + 1 for h in store.haystacks[:-1]]) if store.haystacks else np.zeros(0)
        index = memo(store)["search_index"] = (joined, starts)
    joined, starts = index
    many = len(store.evidence) // 4
    positions = []
    pos = joined.find(needle)
    while pos != -1:
        positions.append(pos)
        if len(positions) > many:  # a needle found everywhere: testing quote by quote is faster
            return [e for e, hay in zip(store.evidence, store.haystacks) if needle in hay]
        pos = joined.find(needle, pos + 1)
    hits = np.unique(np.searchsorted(starts, positions, side="right") - 1)
    evidence = store.evidence
    return [evidence[i] for i in hits.tolist()]


# ---- rendering --------------------------------------------------------------------------

def _cell(store: Store, state: MatrixState, org: str, topic: str,
          by_cell: dict[tuple[str, str], list[Evidence]]) -> lite.Element:
    """A cell as drawn. Without attribution or text filters a cell depends on the store alone:
    those (the commonest: every page load, every topic, tradition or organization filter) are
    drawn once per store and reused. With them, `by_cell` holds each cell's passing evidence."""
    if state.attrs or state.q:
        return _cell_td(store, cell_for(store, state, org, topic, by_cell.get((org, topic), [])))
    cells = memo(store).setdefault("matrix_cells", {})
    td = cells.get((org, topic))
    if td is None:
        td = cells[(org, topic)] = _cell_td(store, cell_for(store, state, org, topic))
    return td


# the same for every cell without a stance, or whose evidence the filters hide (shared: never mutated)
_EMPTY_TD = lite.html.Td(lite.html.Span("no evidence in the sources", className="no-evidence"),
                         className="cell cell-empty")
_FILTERED_TD = lite.html.Td(lite.html.Span("hidden by filters", className="no-evidence"), className="cell cell-filtered")


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
    marks = []
    if c.contested:
        marks.append(h.Span("\u21c4", className="mark-contested", title="contested"))
    if c.critics_view:
        marks.append(h.Span("\u2691" if "critic" in c.attributions else "\u25cc",
                            className="mark-others", title="rests only on critics' or observers' words"))
    who = "only critics' or observers' words" if c.critics_view else "including its own words"
    count = f"{c.count} quote{'s' if c.count != 1 else ''}"
    aria = f"{org} on {topic}: {label}; {count}, {who}{'; contested' if c.contested else ''}. Open the evidence."
    style = {"backgroundColor": color, "color": text_color(color)}
    button = h.Button([h.Span(label, className="cell-label"),
                       h.Span([h.Span(count, className="cell-count"), *marks], className="cell-meta")],
                      id={"type": "cell", "org": c.org, "topic": c.topic}, className="cell-button", style=style,
                      **{"aria-label": aria})  # shown on hover too, by site.css
    return h.Td(button, className="cell cell-stance" + (" critics-view" if c.critics_view else ""))


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
    for org_id in shown:
        org = store.organizations[org_id]
        if org.tradition != current:
            current = org.tradition
            trad = store.traditions[current]
            body.append(h.Tr(h.Th(trad.name, colSpan=len(topics) + 1, scope="colgroup",
                                  className="tradition-row", title=trad.description)))
        row_head = h.Th([link(org.display_name, href=f"/organizations/{org_id}"),
                         h.Div(org.name if org.short_name else "", className="org-full small")],
                        scope="row", className="org-col")
        body.append(h.Tr([row_head] + [_cell(store, state, org_id, t, by_cell) for t in topics]))
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
        h.Li([h.Span("\u2691", className="mark-others"), " rests only on critics' words (hatched cell)"]),
        h.Li([h.Span("\u25cc", className="mark-others"), " rests only on observers' words (hatched cell)"]),
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


def evidence_panel(store: Store, state: MatrixState):
    if not state.stance:
        return []
    org, topic = state.stance.split(".", 1)
    st = store.stances[(org, topic)]
    return [
        stance_block(store, st, attributions=state.allowed_attrs()),
        html.Div([
            dcc.Link(f"All of {store.organizations[org].display_name}'s stances", href=f"/organizations/{org}"),
            " · ",
            dcc.Link(f"Everyone on {store.topics[topic].name}", href=f"/topics/{topic}"),
        ], className="small mt-2"),
    ]


def panel_title(store: Store, state: MatrixState) -> str:
    if not state.stance:
        return "Evidence"
    org, topic = state.stance.split(".", 1)
    return f"{store.organizations[org].name} on {store.topics[topic].name}"


def result_summary(store: Store, state: MatrixState, evs: list[Evidence]) -> str:
    n_orgs = len({e.organization for e in evs})
    text = (f"{len(evs)} quote{'s' if len(evs) != 1 else ''} from {n_orgs} organization"
            f"{'s' if n_orgs != 1 else ''} match these filters.")
    if len(evs) > MAX_GRID_ROWS:
        text += f" The table below lists the first {MAX_GRID_ROWS}; the download on the About page has them all."
    return text


@safe_layout
def layout(**query):
    store = get_store()
    state, dropped = parse_state(store, query)
    evs = filtered_evidence(store, state)
    opts = lambda items: [{"label": label, "value": value} for value, label in items]  # noqa: E731
    filters = dbc.Row([
        dbc.Col([dbc.Label("Topics", html_for="f-topic"),
                 dcc.Dropdown(id="f-topic", multi=True, value=list(state.topics), placeholder="All topics",
                              options=opts((t.id, t.name) for t in store.topics.values()))], md=6, lg=3),
        dbc.Col([dbc.Label("Traditions", html_for="f-tradition"),
                 dcc.Dropdown(id="f-tradition", multi=True, value=list(state.traditions), placeholder="All traditions",
                              options=opts((t.id, t.name) for t in store.traditions.values()
                                           if any(o.tradition == t.id for o in store.organizations.values())))],
                md=6, lg=3),
        dbc.Col([dbc.Label("Organizations", html_for="f-org"),
                 dcc.Dropdown(id="f-org", multi=True, value=list(state.orgs), placeholder="All organizations",
                              options=opts((o.id, o.name) for o in store.organizations.values()))], md=6, lg=3),
        dbc.Col([dbc.Label("Search quotes and summaries", html_for="f-q"),
                 dbc.Input(id="f-q", type="search", value=state.q, debounce=0.4, placeholder="e.g. Tiananmen",
                           maxLength=200)], md=6, lg=3),
        dbc.Col([html.Div("Whose words", className="form-label mb-1", id="f-attr-label"),
                 dbc.Checklist(id="f-attr", inline=True, value=list(state.attrs),
                               options=[{"label": html.Span(ATTRIBUTION_LABELS[a].capitalize(),
                                                            title=ATTRIBUTION_HELP[a]), "value": a}
                                        for a in ATTRIBUTIONS],
                               ),
                 html.Div("None ticked shows all.", className="form-text")], md=8),
        dbc.Col(html.Div(dcc.Link("Clear all filters", href="/", className="btn btn-outline-secondary btn-sm",
                                  id="f-clear"), className="mt-md-4"), md=4, className="text-md-end"),
    ], className="g-2 filters mb-2")
    return html.Div([
        dcc.Location(id="matrix-url", refresh=False),
        page_header("Where they stand",
                    "Each cell is an organization's stance on a topic, with the number of quotes behind it. "
                    "Select a cell to read the quotes."),
        notice(dropped),
        filters,
        html.P(result_summary(store, state, evs), id="matrix-count", className="small text-body-secondary",
               **{"aria-live": "polite"}),
        html.Div(render_matrix(store, state, evs), id="matrix"),
        html.Div(render_legend(store, state), id="matrix-legend", className="mt-2"),
        dbc.Offcanvas(evidence_panel(store, state), id="evidence-panel", title=panel_title(store, state),
                      is_open=bool(state.stance), placement="end", scrollable=True, className="evidence-offcanvas"),
        dcc.Store(id="matrix-open", data=state.stance),
        html.H2("All matching quotes", className="h5 mt-4"),
        dag.AgGrid(id="evidence-grid", rowData=grid_rows(store, evs), columnDefs=GRID_COLUMNS,
                   defaultColDef={"sortable": True, "filter": True, "resizable": True},
                   dashGridOptions={"pagination": True, "paginationPageSize": 20, "domLayout": "autoHeight",
                                    "localeText": {"noRowsToShow": "No quotes match these filters."}},
                   columnSize="responsiveSizeToFit", style={"height": None}, className="ag-theme-quartz"),
    ], className="matrix-page")


def _state_from_inputs(store: Store, topics, trads, orgs, attrs, q, stance) -> MatrixState:
    state, _ = parse_state(store, {"topic": topics or [], "tradition": trads or [], "org": orgs or [],
                                   "attr": attrs or [], "q": q or "", "stance": stance or ""})
    return state


def register(app) -> None:
    dash.register_page("dashboard.pages.matrix", path="/", layout=layout, title="Tendency Atlas: stance matrix",
                       name="Matrix")

    filter_inputs = [Input("f-topic", "value"), Input("f-tradition", "value"), Input("f-org", "value"),
                     Input("f-attr", "value"), Input("f-q", "value")]

    @app.callback(
        Output("matrix", "children"), Output("matrix-legend", "children"), Output("evidence-grid", "rowData"),
        Output("matrix-count", "children"),
        *filter_inputs,
        prevent_initial_call=True,
    )
    @plain_outputs
    def update_matrix(topics, trads, orgs, attrs, q):
        store = get_store()
        state = _state_from_inputs(store, topics, trads, orgs, attrs, q, "")
        evs = filtered_evidence(store, state)
        return (render_matrix(store, state, evs), render_legend(store, state), grid_rows(store, evs),
                result_summary(store, state, evs))

    @app.callback(
        Output("matrix-open", "data"), Output("evidence-panel", "is_open"), Output("evidence-panel", "children"),
        Output("evidence-panel", "title"),
        Input({"type": "cell", "org": ALL, "topic": ALL}, "n_clicks"),
        Input("evidence-panel", "is_open"),
        State("f-attr", "value"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def open_cell(_clicks, is_open, attrs):
        trigger = ctx.triggered_id
        if isinstance(trigger, dict):
            if not ctx.triggered or not ctx.triggered[0].get("value"):
                return no_update, no_update, no_update, no_update
            store = get_store()
            stance = f"{trigger['org']}.{trigger['topic']}"
            state = _state_from_inputs(store, [], [], [], attrs, "", stance)
            return stance, True, evidence_panel(store, state), panel_title(store, state)
        if trigger == "evidence-panel" and not is_open:
            return "", no_update, no_update, no_update
        return no_update, no_update, no_update, no_update

    @app.callback(
        Output("matrix-url", "search"),
        *filter_inputs, Input("matrix-open", "data"),
        prevent_initial_call=True,
    )
    @plain_outputs
    def write_url(topics, trads, orgs, attrs, q, stance):
        store = get_store()
        state = _state_from_inputs(store, topics, trads, orgs, attrs, q, stance)
        return query_string(state.search())
