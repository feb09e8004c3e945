"""A stance's quotes loaded when the reader opens them (components/ui.py `lazy_evidence`):
the organization, topic and comparison pages draw the quotes of their first stances and,
for the others, a closed disclosure that says how many quotes there are. Opening it sends
one request; the answer is what `stance_evidence` draws, the same as the page would have
drawn in its place. The address does not change."""
from __future__ import annotations

from dash import MATCH, Input, Output, ctx
from dash.exceptions import PreventUpdate

from ..components.context import get_store
from ..components.ui import LAZY, LAZY_BODY, parse_lazy_key, stance_evidence
from . import plain_outputs


def evidence_for(store, key) -> list | None:
    """What opening the disclosure with this key shows, or None for a key no page draws."""
    found = parse_lazy_key(store, key)
    if found is None:
        return None
    st, cap, more_href = found
    return stance_evidence(store, st, max_quotes=cap, more_href=more_href)


def register(app) -> None:
    @app.callback(Output({"type": LAZY_BODY, "key": MATCH}, "children"),
                  Input({"type": LAZY, "key": MATCH}, "n_clicks"),
                  prevent_initial_call=True)
    @plain_outputs
    def load_quotes(n_clicks):
        # the first click opens it (a closed <details> shows only its summary); later clicks
        # (closing, reopening, inside) keep what was loaded
        trigger = ctx.triggered_id
        key = trigger.get("key") if isinstance(trigger, dict) else None
        if n_clicks != 1:
            raise PreventUpdate
        body = evidence_for(get_store(), key)
        if body is None:
            raise PreventUpdate
        return body
