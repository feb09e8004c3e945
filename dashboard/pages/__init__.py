"""One module per view. Each has `register(app)`, which registers the page with
`dash.register_page` (its address, title, `order` and `nav`: True for a link of the navigation
bar, "Explore" for an item of that menu; the bar is drawn from `dash.page_registry`) and its
callbacks with the app (`app.callback`: tests build several apps in one process, and
`dash.callback` hands its callbacks to the first app only). `dashboard/app/__init__.py` lists
the pages; registering one again, for another app, gives it the same entry.

A page reads the data with `components.context.get_store()` (never from the app), composes
real components and the builders of `components/`, and wraps its layout in `safe_layout`
and its callbacks in `plain_outputs` (re-exported here from `components/page.py`)."""
from __future__ import annotations

from ..components.page import once_per_store, path_part, plain_outputs, safe_layout

__all__ = ["once_per_store", "path_part", "plain_outputs", "safe_layout"]
