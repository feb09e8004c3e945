"""Components as the plain JSON the browser receives, for views that draw thousands of them.

`lite.html.Span("x", className="y")` is `{"type": "Span", "namespace": "dash_html_components",
"props": {"children": "x", "className": "y"}}`: exactly what `dash.html.Span(...).to_plotly_json()`
gives, without the component object. Building and encoding a Dash component costs about 60 µs;
this costs 1 µs, and a stance matrix at scale has thousands of them. The renderer cannot tell
the difference; real components and lite ones mix freely in a layout.

Use it where the count is large (matrix cells, quote blocks); keep real components elsewhere,
where their prop checking is worth more than the time. `tests/unit/test_lite.py` checks that
every lite element the views draw is a valid real component.
"""
from __future__ import annotations

from typing import Any, Callable

Element = dict


class _Namespace:
    def __init__(self, namespace: str):
        self._namespace = namespace
        self._makers: dict[str, Callable[..., Element]] = {}

    def __getattr__(self, type_: str) -> Callable[..., Element]:
        if type_.startswith("_"):
            raise AttributeError(type_)
        maker = self._makers.get(type_)
        if maker is None:
            namespace = self._namespace

            def maker(children: Any = None, **props: Any) -> Element:
                if children is not None:
                    props["children"] = children
                return {"type": type_, "namespace": namespace, "props": props}

            maker.__name__ = type_
            self._makers[type_] = maker
        return maker


html = _Namespace("dash_html_components")
dcc = _Namespace("dash_core_components")
dbc = _Namespace("dash_bootstrap_components")


def is_element(value: Any) -> bool:
    return isinstance(value, dict) and "namespace" in value and "type" in value and "props" in value


def walk(value: Any):
    """Every lite element in a tree (of lite elements, real components, lists and strings)."""
    if is_element(value):
        yield value
        yield from walk(value["props"].get("children"))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from walk(item)
    elif hasattr(value, "to_plotly_json") and hasattr(value, "children"):
        yield from walk(getattr(value, "children", None))


def text_of(value: Any) -> str:
    """The text a tree shows, for tests and for checks."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if is_element(value):
        return text_of(value["props"].get("children"))
    if isinstance(value, (list, tuple)):
        return " ".join(text_of(v) for v in value)
    return text_of(getattr(value, "children", None))
