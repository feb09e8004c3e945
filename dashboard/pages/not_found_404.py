"""The page for unknown addresses."""
from __future__ import annotations

import dash
from dash import dcc, html


def layout(**_query):
    return html.Div([
        html.H1("Page not found", className="h3"),
        html.P("There is no page at this address."),
        html.Ul([
            html.Li(dcc.Link("The stance matrix", href="/")),
            html.Li(dcc.Link("Compare organizations", href="/compare")),
            html.Li(dcc.Link("About the data", href="/about")),
        ]),
    ], className="not-found py-4")


def register(app) -> None:
    dash.register_page(__name__, path="/404", layout=layout, title="Not found")
