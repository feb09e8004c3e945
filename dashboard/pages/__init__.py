"""One module per view. Each has `register(app)`, which registers the page with
`dash.register_page` and its callbacks with the app."""
from __future__ import annotations

import functools
import logging

import dash_bootstrap_components as dbc
from dash import html

log = logging.getLogger("dashboard")


def safe_layout(fn):
    """A page layout that never shows a traceback: unexpected errors become a friendly message."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the visitor must never see a traceback
            log.exception("error while building the page")
            return html.Div(dbc.Alert([
                html.H1("Something went wrong", className="h4"),
                html.P("This page could not be built from the address given. Try the matrix, or check the link."),
                html.A("Go to the matrix", href="/"),
            ], color="danger"), className="py-4")

    return wrapper
