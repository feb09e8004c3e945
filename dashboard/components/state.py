"""Reading view state from the URL query, and writing it back.

Every view's state lives in the query string. Values arrive from Dash's page router
as a string (``?org=a``) or a list (``?org=a&org=b``); anything unknown is dropped and
reported so the view can show a visible notice.
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import urlencode

MAX_VALUES = 50
MAX_LEN = 200


def as_list(value: Any) -> list[str]:
    """Normalize a query value (str, list, None, anything) to a list of short strings."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = value
    else:
        items = [value]
    out: list[str] = []
    for item in items[:MAX_VALUES]:
        if not isinstance(item, str):
            item = str(item)
        for part in item.split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part[:MAX_LEN])
    return out


def first(value: Any, default: str = "") -> str:
    items = as_list(value)
    return items[0] if items else default


def pick_known(values: Iterable[str], known: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split values into (known, dropped), keeping order and dropping duplicates."""
    known_set = set(known)
    kept, dropped = [], []
    for v in values:
        (kept if v in known_set else dropped).append(v)
    return kept, dropped


def flag(value: Any) -> bool:
    return first(value).lower() in ("1", "true", "yes", "on")


def query_string(params: dict[str, Any]) -> str:
    """Build ``?a=1&b=x&b=y`` from a mapping, leaving out empty values."""
    pairs: list[tuple[str, str]] = []
    for key, val in params.items():
        if val is None or val == "" or val == [] or val is False:
            continue
        if val is True:
            pairs.append((key, "1"))
        elif isinstance(val, (list, tuple)):
            pairs.extend((key, str(v)) for v in val)
        else:
            pairs.append((key, str(val)))
    return ("?" + urlencode(pairs)) if pairs else ""
