"""The page the server sends: the page itself, and only the scripts every page needs.

`install(app)` (called once by `create_app`) makes Dash's index page

- carry the page, rendered on the server (components/prerender.py) from the layout the page
  router will build for the same path and query, in `<div id="prerendered">` beside the app's
  entry point: a reader sees it before any script has run, and without JavaScript. Dash renders
  into `#react-entry-point`, hidden meanwhile; assets/takeover.js shows Dash's page in the same
  frame as it removes the server's, keeping the scroll position and the focused element;
- leave out Dash's @babel/polyfill (core-js 2, for browsers older than React 18 runs on): it
  cost the phone of Lighthouse's mobile preset about a second of script start-up a page;
- leave out the component libraries few pages use (DEFERRED) from every page: their script
  addresses go into the page as data, and assets/libraries.js loads one when a component of it
  first comes into view;
- carry the page's own title;

and serves the fingerprinted asset files (`/assets/x.js?m=<mtime>`) with a year's caching:
their address changes when they do (Dash's component suites are cached so already).
"""
from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict

import dash
from dash import Dash, _pages
from flask import request
from markupsafe import Markup, escape

from ..components.context import get_store
from ..components.lite import freeze
from ..components.prerender import to_html
from ..data.memo import memo

log = logging.getLogger("dashboard")

DROPPED = ("/deps/polyfill@",)
# component libraries loaded only when a page draws one of their components (AG Grid: the
# matrix's table of quotes; Cytoscape: the debates network; Dash's DataTable: no page)
DEFERRED = ("dash_ag_grid", "dash_cytoscape", "dash_table")
# a script of a component suite: its address, and the library (dash_table's is served from dash's)
SUITE = re.compile(r'<script src="([^"]*/_dash-component-suites/(?:dash/(?=dash_table/))?([A-Za-z0-9_]+)/[^"]*)"></script>\n?')
ASSET_CACHE = "public, max-age=31536000, immutable"
CONTENT_ID = "_pages_content"
CACHED_PAGES = 64  # drawings kept per store (at most some 2.5 MB each, at full scale: coverage)
_lock = threading.Lock()


def split_scripts(scripts: str) -> tuple[str, dict[str, list[str]]]:
    """Dash's script tags without the dropped and deferred ones, and the deferred libraries'
    script addresses, in order, by library."""
    deferred: dict[str, list[str]] = {}

    def keep(match: re.Match) -> str:
        url, library = match.group(1), match.group(2)
        if any(d in url for d in DROPPED):
            return ""
        if library in DEFERRED:
            deferred.setdefault(library, []).append(url)
            return ""
        return match.group(0)

    return SUITE.sub(keep, scripts), deferred


def page_for(app: Dash, pathname: str, query: dict) -> tuple[object, str]:
    """The layout and title the page router gives for this address (dash/dash.py, `update`):
    the page whose path matches, or the not-found page. A path variable wins over a query
    parameter of the same name, as `components.page.path_part` makes it in the router."""
    page, variables = _pages._path_to_page(app.strip_relative_path(pathname))
    if not page:
        page = next((p for m, p in dash.page_registry.items() if m.split(".")[-1] == "not_found_404"), {})
    layout, title = page.get("layout", ""), page.get("title", app.title)
    if callable(layout):
        layout = layout(**{**query, **(variables or {})})
    if callable(title):
        title = title(**(variables or {}))
    return layout, title


def query_of(args) -> dict:
    """Query parameters as the router passes them: one value as text, several as a list."""
    return {k: (v[0] if len(v) == 1 else v) for k, v in args.lists()}


def prerendered(app: Dash, shell) -> tuple[Markup, str]:
    """The page for this request's address, drawn; the last CACHED_PAGES addresses' drawings
    are kept with the store (a page depends on the store and its address alone), so that a
    page read often (the matrix, first of all) costs its drawing once: at full scale the
    matrix takes 9 ms to build and 85 ms to draw."""
    cache, key = memo(get_store()).setdefault("prerendered", OrderedDict()), request.full_path
    with _lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    layout, title = page_for(app, request.path, query_of(request.args))
    html, unknown = to_html(shell, request.path, {CONTENT_ID: layout})
    if unknown:
        log.debug("prerender: components drawn as plain <div>: %s", sorted(unknown))
    with _lock:
        cache[key] = html, title
        while len(cache) > CACHED_PAGES:
            cache.popitem(last=False)
    return html, title


def install(app: Dash) -> None:
    shell = freeze(app.layout)
    dash_interpolate = app.interpolate_index

    def interpolate_index(**kw):  # type: ignore[no-untyped-def]
        scripts, deferred = split_scripts(kw["scripts"])
        kw["scripts"] = scripts
        libraries = json.dumps(deferred).replace("<", "\\u003c")
        kw["config"] += f'\n<script id="atlas-libraries" type="application/json">{libraries}</script>'
        try:
            html, title = prerendered(app, shell)
        except Exception:  # noqa: BLE001 - the page then starts as Dash's own does
            log.exception("prerender failed for %s", request.full_path)
            return dash_interpolate(**kw)
        kw["title"] = str(escape(title))
        kw["app_entry"] = (f'<div id="prerendered">{html}</div>\n'
                           '<div id="react-entry-point" class="prerendering"></div>')
        return dash_interpolate(**kw)

    app.interpolate_index = interpolate_index

    assets = app.get_relative_path("/" + app.config.assets_url_path.strip("/") + "/")

    @app.server.after_request
    def cache_fingerprinted_assets(resp):  # type: ignore[no-untyped-def]
        if resp.status_code == 200 and request.path.startswith(assets) and "m" in request.args:
            resp.headers["Cache-Control"] = ASSET_CACHE
        return resp
