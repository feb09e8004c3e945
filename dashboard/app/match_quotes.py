"""`/match/quotes.json?v=<version>`: the texts of the strongest quotes the match page explains
with (pages/match.py `quotes_file`), one static file, the same for every visitor.

The match page's own data leaves them out (at full scale they were three quarters of its
bytes); assets/match.js fetches this file once the reader has results. Its address carries the
file's content hash and no answer, and the one file holds every organization's quotes, so the
request says nothing of what the reader answered or opened. At its current version it is cached
for a year (the page asks for another address when the data changes); any other `v` gets the
current file, not cached. It is compressed once per store, better than flask-compress's level
for every response: 851 KB at full scale, 249 KB in brotli 9 (77 ms once), 273 KB in gzip 9,
against 347 KB and 30 ms a request at GZIP_LEVEL."""
from __future__ import annotations

import gzip
from typing import Callable

import brotli
from dash import Dash
from flask import Response, request

from ..data.memo import memo
from ..data.store import Store
from ..pages.match import QUOTES_PATH, quotes_file

CACHE = "public, max-age=31536000, immutable"


def encoded(store: Store, body: bytes, encoding: str) -> bytes:
    """`body` (the store's quotes file) in brotli or gzip at a high level, compressed once."""
    m = memo(store)
    key = f"match_quotes_{encoding}"
    if key not in m:
        m[key] = brotli.compress(body, quality=9) if encoding == "br" else gzip.compress(body, 9)
    return m[key]


def install(app: Dash, get_store: Callable[[], Store]) -> None:
    @app.server.route(QUOTES_PATH, methods=["GET"])
    def match_quotes():  # type: ignore[no-untyped-def]
        store = get_store()
        body, version = quotes_file(store)
        encoding = next((e for e in ("br", "gzip") if request.accept_encodings[e]), None)
        resp = Response(encoded(store, body, encoding) if encoding else body, mimetype="application/json")
        if encoding:  # flask-compress leaves an encoded body alone
            resp.headers["Content-Encoding"] = encoding
            resp.vary.add("Accept-Encoding")
        resp.headers["Cache-Control"] = CACHE if request.args.get("v") == version else "no-cache"
        return resp
