"""One module per view. Each has `register(app)`, which registers the page with
`dash.register_page` and its callbacks with the app."""
from __future__ import annotations

import functools
import logging

import dash_bootstrap_components as dbc
from dash import html

from ..components.lite import freeze

log = logging.getLogger("dashboard")


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
