"""The Dash application. `create_app(config)` builds it; nothing happens at import time.
Only the command line (cli.py) and the WSGI entry (wsgi.py) import this module."""
from __future__ import annotations

import gc
import itertools
import logging
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html
from flask import Response

from . import reload as live
from . import prerender, security, static
from ..components.context import get_store, install_store
from ..config import Config, load_config
from ..data import Store
from ..data.cache import load_cached
from ..data.export import ROW_FORMATS, export_text
from ..pages import (about, agreement, compare, corrections, coverage, debates, lazy, lineage, match, matrix, not_found_404,
                    organization, reply, source, timeline, topic)

ASSETS = Path(__file__).resolve().parent.parent / "assets"  # dashboard/assets
# gzip level for responses, chosen by measurement (docs/performance.md): on the views at scale
# (70-900 KB of JSON) level 2 takes 0.3-2.7 ms, a fifth less than level 3, for 1-4% more bytes
# (level 6: three times as long, 15% fewer bytes). Clients offering zstd or brotli (browsers)
# get those at flask-compress's defaults.
GZIP_LEVEL = 2
log = logging.getLogger("dashboard")
# every view; each registers itself with Dash (its address, title, and place in the navigation)
PAGES = (matrix, compare, topic, organization, source, match, about, agreement, debates, lineage, timeline, coverage,
         corrections, reply, not_found_404)


# Objects a request may hold at once before the cyclic collector looks at the youngest: a page
# at scale builds several thousand dicts and lists at a time, all freed by reference counting
# when it is sent. At Python's default of 700 the collector ran some six times per request and
# its older generation every other one (about 0.8 ms a request at scale, measured with
# gc.callbacks); with 10,000 it runs when that many objects outlive their requests, which
# only cyclic garbage does: the memory it can hold is bounded the same way.
SERVING_GC_THRESHOLD = 10_000


def settle_heap() -> None:
    """For a server about to serve: move everything alive (the store above all: hundreds of
    thousands of objects at scale) out of the cyclic collector's sight. Its later passes then
    scan only what requests allocate, which keeps them from pausing a request for tens of
    milliseconds, and forked workers (gunicorn --preload) stop touching, and so copying, the
    shared store's pages; and let requests build their answers without waking it
    (SERVING_GC_THRESHOLD). Not called by `create_app`: tests build many apps.
    No collection first: loading leaves next to no cyclic garbage (tests/unit/test_startup.py
    holds that), and a full collection over the store cost a start about a tenth of its time."""
    gc.freeze()
    serving_gc()


def serving_gc() -> None:
    """The collector's thresholds for serving (SERVING_GC_THRESHOLD; the older generations as
    Python sets them)."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(SERVING_GC_THRESHOLD, older, oldest)


# Dash's page, with the language set and its scripts outside any <footer> (Dash puts them in one,
# which made a second, empty footer landmark beside the site's own).
INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


def _nav_links() -> list:
    """The navigation bar, from the pages' metadata in Dash's page registry, in their order:
    `nav=True` a link of its own, `nav="Explore"` an item of the menu of that name."""
    links: list = []
    pages = [page for page in dash.page_registry.values() if page.get("nav")]
    for menu, group in itertools.groupby(pages, key=lambda page: page["nav"]):
        if menu is True:
            links += [dbc.NavItem(dbc.NavLink(p["name"], href=p["path"], active="exact" if p["path"] == "/" else "partial"))
                      for p in group]
        else:
            links.append(dbc.DropdownMenu([dbc.DropdownMenuItem(p["name"], href=p["path"]) for p in group],
                                          label=menu, nav=True, in_navbar=True, id=f"nav-{menu.lower()}"))
    return links


def _shell(title: str, reload: bool = False) -> html.Div:
    navbar = dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(title, href="/", className="fw-bold"),
            dbc.NavbarToggler(id="nav-toggler"),
            dbc.Collapse(dbc.Nav(_nav_links(), navbar=True, className="me-auto"), id="nav-collapse", navbar=True),
            html.Div([
                html.Button("Copy link", id="copy-link", type="button", title="Copy a link to this view",
                            className="btn btn-outline-light btn-sm"),
                html.Span(id="copy-status", className="copy-status small text-light", **{"aria-live": "polite"}),
            ], className="d-flex align-items-center gap-2 copy-wrap"),
        ], fluid=True),
        color="dark", dark=True, expand="lg", className="mb-3",
    )
    return html.Div([
        html.A("Skip to content", href="#main", className="visually-hidden-focusable skip-link"),
        navbar,
        *(live.shell_components() if reload else []),
        html.Main(dbc.Container(
            dcc.Loading(dash.page_container, type="default", delay_show=300,
                        parent_className="page-loading", overlay_style={"visibility": "visible", "opacity": .6}),
            fluid=True), id="main", tabIndex="-1"),
        html.Footer(dbc.Container([
            "Every stance rests on quotes proved verbatim in their sources. ",
            dcc.Link("How this works", href="/about"), " · ",
            html.A("Download the data (CSV)", href="/download/evidence.csv"),
        ], fluid=True), className="site-footer text-body-secondary small py-3 mt-4"),
    ])


def create_app(config: Config | None = None, store: Store | None = None, *, reload: bool = False) -> Dash:
    """`reload=True` (what `serve` does unless --no-reload) watches the files the data was loaded
    from and swaps in the new data as they are saved; see dashboard/app/reload.py. Never on by default."""
    config = config or load_config()
    if store is None:
        store = load_cached(config.data_dir, config.seeds_dir, config.max_file_bytes, config.cache_dir)
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title=config.title,
        update_title=None,
        suppress_callback_exceptions=True,
        serve_locally=True,
        compress=True,
        external_stylesheets=[],
        index_string=INDEX,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Where socialist organizations stand, with the evidence."}],
    )
    app.server.config["COMPRESS_LEVEL"] = GZIP_LEVEL  # read by flask-compress at each response
    for page in PAGES:
        page.register(app)
    lazy.register(app)  # a stance's quotes, loaded when opened (organization, topic, compare)

    app.layout = _shell(config.title, reload=reload)
    _register_shell_callbacks(app)
    _register_routes(app)
    from . import api

    api.register(app.server, get_store)  # the JSON API under /api/ and the open-data downloads
    from . import feed

    feed.install(app, get_store)  # /corrections.atom, announced in the <head> of the pages it belongs to
    from . import match_quotes

    match_quotes.install(app, get_store)  # /match/quotes.json: the match page's quote texts, fetched when needed
    security.install(app)  # headers on every response, no 500 or traceback for hostile requests
    prerender.install(app)  # the page drawn in the HTML sent; the scripts only where needed
    static.install(app, config.cache_dir)  # the fingerprinted scripts and styles, brotli at quality 11
    install_store(app.server.config, store)
    if reload:
        live.start(app, config)
    return app


def _register_shell_callbacks(app: Dash) -> None:
    app.clientside_callback(ClientsideFunction("atlas", "copyLink"), Output("copy-status", "children"),
                            Input("copy-link", "n_clicks"), prevent_initial_call=True)
    app.clientside_callback(ClientsideFunction("atlas", "toggle"), Output("nav-collapse", "is_open"),
                            Input("nav-toggler", "n_clicks"), State("nav-collapse", "is_open"), prevent_initial_call=True)


def _register_routes(app: Dash) -> None:
    server = app.server

    @server.route("/download/evidence.<fmt>")
    def download(fmt: str):  # type: ignore[no-untyped-def]
        if fmt not in ROW_FORMATS:
            return Response("Unknown format: use evidence.csv or evidence.json\n", status=404, mimetype="text/plain")
        body = export_text(get_store(), fmt)
        mime = "text/csv" if fmt == "csv" else "application/json"
        return Response(body, mimetype=f"{mime}; charset=utf-8",
                        headers={"Content-Disposition": f"attachment; filename=tendency-atlas-evidence.{fmt}"})
