"""The files every page loads, in as few bytes as they can go: the fingerprinted scripts and
style sheets (Dash's component suites, `/_dash-component-suites/...v4_4_1m<time>.js`, and the
site's assets, `/assets/x.css?m=<time>`) are sent to browsers that take brotli at its highest
quality, compressed once and kept.

flask-compress compresses every response at one level, chosen for the callbacks' answers
(fast); for files that never change under their address the best compression is worth its
time once: Dash's scripts, React and Bootstrap's CSS go from 335 to 252 KB (zstd 3 -> brotli 11)
on every page's first visit. A file takes up to 0.7 s to compress (dcc's 346 KB); the result
is kept in memory and, when the app has a cache folder, on disk (`<cache_dir>/static-br/`,
named by the SHA-256 of the file), so a restarted server does not pay it again.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

import brotli
from dash import Dash
from flask import request

log = logging.getLogger("dashboard")

QUALITY = 11
SUITES = "/_dash-component-suites/"
TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
YEAR = 31536000


def install(app: Dash, cache_dir: Path | None = None) -> None:
    assets = app.get_relative_path("/" + app.config.assets_url_path.strip("/") + "/")
    kept: dict[str, bytes] = {}
    lock = threading.Lock()
    folder = Path(cache_dir) / "static-br" if cache_dir else None

    def fingerprinted(resp) -> bool:  # type: ignore[no-untyped-def]
        if request.path.startswith(assets):
            return "m" in request.args
        return SUITES in request.path and resp.cache_control.max_age == YEAR

    def compressed(body: bytes) -> bytes:
        name = hashlib.sha256(body).hexdigest()
        with lock:
            if name in kept:
                return kept[name]
        path = folder / f"{name}.br" if folder else None
        out = None
        if path is not None and path.is_file():
            out = path.read_bytes()
        if out is None:
            out = brotli.compress(body, quality=QUALITY)
            if path is not None:
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                    tmp = path.with_suffix(".tmp")
                    tmp.write_bytes(out)
                    tmp.replace(path)
                except OSError:
                    log.warning("could not keep %s", path)
        with lock:
            kept[name] = out
        return out

    @app.server.after_request
    def brotli_fingerprinted(resp):  # type: ignore[no-untyped-def]
        # runs before flask-compress's hook (registered earlier), which leaves an encoded body alone
        if (resp.status_code != 200 or "Content-Encoding" in resp.headers or request.method != "GET"
                or not request.accept_encodings["br"] or not (resp.mimetype or "").startswith(TYPES)
                or not fingerprinted(resp)):
            return resp
        resp.direct_passthrough = False
        resp.set_data(compressed(resp.get_data()))
        resp.headers["Content-Encoding"] = "br"
        resp.vary.add("Accept-Encoding")
        return resp
