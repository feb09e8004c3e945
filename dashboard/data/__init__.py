"""The data layer: models, YAML loading with line numbers, quote matching,
validation, and the immutable store the views select from."""
from .errors import DataError, Issue
from .store import Store


def __getattr__(name: str):
    # the loader (YAML, pydantic checks, quote matching, numpy) only when asked for: a server
    # starting from its cache never needs it
    if name == "load_store":
        from .loader import load_store

        return load_store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DataError", "Issue", "Store", "load_store"]
