"""Components as the plain JSON the browser receives, for views that draw thousands of them.

`lite.html.Span("x", className="y")` is `{"type": "Span", "namespace": "dash_html_components",
"props": {"children": "x", "className": "y"}}`: exactly what `dash.html.Span(...).to_plotly_json()`
gives, without the component object. Building and encoding a Dash component costs about 60 µs;
this costs 1 µs, and a stance matrix at scale has thousands of them. The renderer cannot tell
the difference; real components and lite ones mix freely in a layout.

Use it where the count is large (matrix cells, quote blocks); keep real components elsewhere,
where their prop checking is worth more than the time. `tests/integration/test_lite.py` checks
that every element the views draw is a valid real component.

`freeze` turns a tree that mixes both into plain JSON values, so that the whole response is
encoded by orjson in one C pass (plotly's encoder, which Dash uses, tries that first and falls
back to walking the tree in Python when it meets a component object). Lite elements keep
themselves plain: a real component given as a child is frozen on the spot, so `freeze` never
needs to look inside a lite element.
"""
from __future__ import annotations

from typing import Any, Callable

Element = dict
_PLAIN = (str, int, float, bool, type(None))


class Data(list):
    """A list of plain JSON values (rows for a table, say) that `freeze` need not look into."""


def freeze(value: Any) -> Any:
    """`value` with every component object (Dash component, plotly figure) replaced by its JSON
    form, recursively; lite elements are returned as they are (they are plain already)."""
    cls = value.__class__
    if cls in _PLAIN:
        return value
    if cls is dict:
        if "namespace" in value and "props" in value and "type" in value:
            return value
        return {k: freeze(v) for k, v in value.items()}
    if cls is list or cls is tuple:
        return [freeze(v) for v in value]
    to_json = getattr(value, "to_plotly_json", None)
    if to_json is None:
        return value  # numbers of other kinds, numpy arrays, no_update...: left to the encoder
    out = to_json()
    if "props" in out and "namespace" in out:  # a Dash component: its props may hold more of them
        out["props"] = {k: freeze(v) for k, v in out["props"].items()}
        return out
    return freeze(out)


def _plain_children(children: Any) -> Any:
    cls = children.__class__
    if cls in _PLAIN or cls is dict:
        return children
    if cls is list:
        for c in children:
            if c.__class__ not in _PLAIN and c.__class__ is not dict:
                return freeze(children)
        return children
    return freeze(children)


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
                    props["children"] = _plain_children(children)
                return {"type": type_, "namespace": namespace, "props": props}

            maker.__name__ = type_
            self._makers[type_] = maker
            setattr(self, type_, maker)  # later lookups find the attribute without __getattr__
        return maker


html = _Namespace("dash_html_components")
dcc = _Namespace("dash_core_components")
dbc = _Namespace("dash_bootstrap_components")

