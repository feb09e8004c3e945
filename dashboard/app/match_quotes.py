"""`/match/quotes.json?v=<version>`: the texts of the strongest quotes the match page explains
with (pages/match.py `quotes_file`), one static file, the same for every visitor.

The match page's own data leaves them out (at full scale they were three quarters of its
bytes); assets/match.js fetches this file once the reader has results. Its address carries the
file's content hash and no answer, and the one file holds every organization's quotes, so the
request says nothing of what the reader answered or opened. At its current version it is cached
for a year (the page asks for another address when the data changes); any other `v` gets the
current file, not cached."""
from __future__ import annotations

from typing import Callable

from dash import Dash
from flask import Response, request

from ..data.store import Store
from ..pages.match import QUOTES_PATH, quotes_file

CACHE = "public, max-age=31536000, immutable"


def install(app: Dash, get_store: Callable[[], Store]) -> None:
    @app.server.route(QUOTES_PATH, methods=["GET"])
    def match_quotes():  # type: ignore[no-untyped-def]
        body, version = quotes_file(get_store())
        resp = Response(body, mimetype="application/json")
        resp.headers["Cache-Control"] = CACHE if request.args.get("v") == version else "no-cache"
        return resp
