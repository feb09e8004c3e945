"""The data layer: models, YAML loading with line numbers, quote matching,
validation, and the immutable store the views select from."""
from .errors import DataError, Issue
from .loader import load_store
from .store import Store

__all__ = ["DataError", "Issue", "Store", "load_store"]
