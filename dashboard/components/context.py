"""The store of the current request: what every page and callback reads the data from.

The app puts its store in the Flask server's config under STORE_KEY (`install_store`); live
reload replaces it there in one assignment. A request reads it once (`get_store`) and keeps
that same store to its end, even if a reload swaps in new data meanwhile. Pages import this
module, never the app."""
from __future__ import annotations

from flask import current_app, g

from ..data.store import Store

STORE_KEY = "ATLAS_STORE"


def install_store(server_config: dict, store: Store) -> None:
    """Serve `store` from now on (one assignment: a request sees the old store or the new)."""
    server_config[STORE_KEY] = store


def get_store() -> Store:
    """The store of the app serving the current request: the same one for the whole request."""
    store = g.get("atlas_store")
    if store is None:
        store = g.atlas_store = current_app.config[STORE_KEY]
    return store
