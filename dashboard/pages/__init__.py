"""One module per view. Each has `register(app)`, which registers the page with
`dash.register_page` and its callbacks with the app; `dashboard/app/__init__.py` lists them.

A page reads the data with `components.context.get_store()` (never from the app), composes
real components and the builders of `components/`, and wraps its layout in `safe_layout`
and its callbacks in `plain_outputs` (re-exported here from `components/page.py`)."""
from __future__ import annotations

from ..components.page import once_per_store, path_part, plain_outputs, safe_layout

__all__ = ["once_per_store", "path_part", "plain_outputs", "safe_layout"]
