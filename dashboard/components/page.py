"""What every page module uses around its layout and callbacks: reading a path variable, and
returning plain JSON values (see lite.py) that never show a traceback."""
from __future__ import annotations

import functools
import logging

import dash
import dash_bootstrap_components as dbc
from dash import html

from ..data.memo import memo
from .lite import freeze

log = logging.getLogger("dashboard")


def path_part(prefix: str, given: str) -> str:
    """A path variable as the address has it (`/organizations/<org_id>`: prefix "/organizations/").
    Dash's router passes query parameters after path variables, so `?org_id=x` would replace
    the organization in the path; the page reads it from the address itself instead."""
    try:
        pathname = dash.ctx.inputs.get("_pages_location.pathname")
    except Exception:  # noqa: BLE001 - not inside the router (a direct call, in tests)
        return given if isinstance(given, str) else ""
    if isinstance(pathname, str) and pathname.startswith(prefix):
        return pathname[len(prefix):].split("/")[0]
    return given if isinstance(given, str) else ""


def once_per_store(store, key: str, build):
    """A layout, or a part of one, that depends on the store alone: built by `build()` and frozen
    to plain JSON (lite.freeze) the first time, the same value after. Never change what it gives.
    (The match page: 4,000 components and 2 MB of data at scale took 110 ms a request to build
    and freeze, against about 20 ms to encode and compress once frozen.)"""
    cache = memo(store)
    if key not in cache:
        cache[key] = freeze(build())
    return cache[key]


def plain_outputs(fn):
    """A callback whose outputs are made plain JSON values (see components/lite.py) before
    Dash encodes them, so that the encoding is one fast pass."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        if isinstance(out, tuple):
            return tuple(freeze(v) for v in out)
        return freeze(out)

    return wrapper


def safe_layout(fn):
    """A page layout that never shows a traceback: unexpected errors become a friendly message.
    The layout is returned as plain JSON values (see `plain_outputs`)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return freeze(fn(*args, **kwargs))
        except Exception:  # noqa: BLE001 - the visitor must never see a traceback
            log.exception("error while building the page")
            return html.Div(dbc.Alert([
                html.H1("Something went wrong", className="h4"),
                html.P("This page could not be built from the address given. Try the matrix, or check the link."),
                html.A("Go to the matrix", href="/"),
            ], color="danger"), className="py-4")

    return wrapper
