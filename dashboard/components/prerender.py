"""A Dash layout as HTML: the page the server sends is the page itself, readable before (and
without) JavaScript. `to_html(tree, pathname)` renders the component JSON the browser would get
(lite.py's plain JSON, or real components: they are frozen first) as the HTML React makes of it,
element for element, so that Dash can take over without a visible jump (assets/takeover.js).

Every text and attribute is escaped (markupsafe); nothing from the data is ever raw HTML.
Components that only a browser can draw become a box of their size (a chart: its figure's
height) or the same data in plain HTML (a grid: a table of its first page of rows). A component
this module does not know is rendered as a plain <div> of its children; the no-JavaScript test
(tests/integration/test_no_javascript.py) fails when a page uses one, so that a new kind is
added here rather than drawn wrong.
"""
from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

from .lite import freeze

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# React's names for attributes whose HTML name differs (beyond lower case)
ATTRIBUTES = {"className": "class", "htmlFor": "for"}
# props of Dash's html components that are no attributes
NOT_ATTRIBUTES = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "setProps",
                  "key", "style", "id"}
# CSS properties React writes without "px" when given a number
UNITLESS = {"opacity", "zIndex", "flex", "flexGrow", "flexShrink", "fontWeight", "lineHeight", "order", "zoom",
            "gridRow", "gridColumn", "columnCount", "tabSize", "orphans", "widows"}
SPECIAL_TAGS = {"MapEl": "map", "ObjectEl": "object"}
# components that draw nothing
INVISIBLE = {("dash_core_components", t) for t in ("Location", "Store", "Interval", "Download", "ConfirmDialog")}

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


class UnknownComponents(set):
    """The (namespace, type) pairs a rendering met and does not know."""


def dom_id(value: Any) -> str:
    """An id as the DOM has it: a pattern-matching id (a dict) is its JSON with sorted keys."""
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def css(style: dict | None) -> str:
    if not style:
        return ""
    out = []
    for key, value in style.items():
        if value is None or value == "":
            continue
        name = key if key.startswith("--") else _CAMEL.sub("-", key).lower()
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key not in UNITLESS and value != 0:
            value = f"{value}px"
        out.append(f"{name}: {value}")
    return "; ".join(out)


def attrs(**given: Any) -> Markup:
    """` name="value"` for each attribute given; True as a bare name, False and None left out."""
    out = []
    for name, value in given.items():
        if value is None or value is False or value == "" and name in ("class", "style"):
            continue
        if value is True:
            out.append(f" {name}")
        else:
            out.append(f' {name}="{escape(value)}"')
    return Markup("".join(out))


def classes(*names: Any) -> str | None:
    joined = " ".join(str(n) for n in names if n)
    return joined or None


class Renderer:
    def __init__(self, pathname: str = "/", slots: dict | None = None):
        self.pathname = pathname
        self.slots = slots or {}
        self.unknown = UnknownComponents()

    # -- the tree ---------------------------------------------------------------------------
    def render(self, node: Any) -> str:
        if node is None or node is False or node is True:
            return ""
        if isinstance(node, Markup):  # drawn here already
            return str(node)
        if isinstance(node, (str, int, float)):
            return str(escape(str(node)))
        if isinstance(node, (list, tuple)):
            return "".join(self.render(n) for n in node)
        if isinstance(node, dict) and "type" in node and "namespace" in node:
            return self.component(node["namespace"], node["type"], node.get("props") or {})
        return ""  # anything else (a figure dict given as a child, say) is no content

    def component(self, namespace: str, type_: str, props: dict) -> str:
        if (namespace, type_) in INVISIBLE:
            return ""
        if self.slots and isinstance(props.get("id"), str) and props["id"] in self.slots:
            props = {**props, "children": self.slots[props["id"]]}
        if namespace == "dash_html_components":
            return self.html(SPECIAL_TAGS.get(type_, type_.lower()), props)
        method = getattr(self, f"{namespace}__{type_}", None)
        if method is None:
            self.unknown.add((namespace, type_))
            return self.tag("div", props.get("children"), id=self.id(props), **{"class": props.get("className")})
        return method(props)

    def id(self, props: dict) -> str | None:
        return dom_id(props["id"]) if props.get("id") is not None else None

    def tag(self, name: str, children: Any = None, **attributes: Any) -> Markup:
        open_ = f"<{name}{attrs(**attributes)}>"
        if name in VOID:
            return Markup(open_)
        return Markup(f"{open_}{self.render(children)}</{name}>")

    def html(self, tag: str, props: dict) -> str:
        given: dict[str, Any] = {"id": self.id(props)}
        for key, value in props.items():
            if key in NOT_ATTRIBUTES or isinstance(value, (dict, list)):
                continue
            name = ATTRIBUTES.get(key) or (key if "-" in key else key.lower())
            given[name] = value
        given["style"] = css(props.get("style")) or None
        return self.tag(tag, props.get("children"), **given)

    # -- dcc --------------------------------------------------------------------------------
    def dash_core_components__Link(self, p: dict) -> str:
        return self.tag("a", p.get("children"), id=self.id(p), href=p.get("href"), title=p.get("title"),
                        target=p.get("target"), style=css(p.get("style")) or None, **{"class": p.get("className")})

    def dash_core_components__Loading(self, p: dict) -> str:
        parent = p.get("parent_className")
        return self.tag("div", Markup(self.tag("div", p.get("children"), **{"class": parent})),
                        style="position: relative;", **{"class": parent})

    def dash_core_components__Graph(self, p: dict) -> str:
        figure = p.get("figure") or {}
        layout = figure.get("layout") or {} if isinstance(figure, dict) else {}
        height = (p.get("style") or {}).get("height") or layout.get("height") or 450
        height = f"{height}px" if isinstance(height, (int, float)) else height
        return self.tag("div", "", id=self.id(p), style=f"height: {height};",
                        **{"class": classes("dash-graph", p.get("className"), "prerendered-placeholder")})

    def dash_core_components__Dropdown(self, p: dict) -> str:
        """Dash's closed dropdown: its chosen values (or placeholder), the count and the clear
        control when it has them, and room for its chevron; site.css styles it (#prerendered)
        as dcc's own style sheet, which its script brings, will."""
        ident = self.id(p) or ""
        labels = self._chosen_labels(p)
        if labels:
            shown = Markup("").join(self.tag("span", Markup(self.tag("span", label)),
                                             **{"class": "dash-dropdown-value-item"}) for label in labels)
            parts = [self.tag("span", shown, id=f"{ident}-value", **{"class": "dash-dropdown-value"})]
            if p.get("multi"):
                parts.append(self.tag("span", f"{len(labels)} selected", id=f"{ident}-value-count",
                                      **{"class": "dash-dropdown-value-count"}))
            if p.get("clearable", True):
                parts.append(self.tag("span", "", **{"class": "dash-dropdown-clear"}))
        else:
            parts = [self.tag("span", p.get("placeholder") or "Select...", id=f"{ident}-value",
                              **{"class": "dash-dropdown-value dash-dropdown-placeholder"})]
        parts.append(self.tag("span", "", **{"class": "dash-dropdown-trigger-icon"}))
        button = self.tag("button", Markup(self.tag("span", Markup("".join(parts)),
                                                    **{"class": "dash-dropdown-grid-container dash-dropdown-trigger"})),
                          id=ident or None, type="button", tabindex="-1",
                          **{"class": "dash-dropdown ", "aria-haspopup": "listbox", "aria-expanded": "false"})
        return self.tag("div", button, **{"class": "dash-dropdown-wrapper"})

    def _chosen_labels(self, p: dict) -> list:
        value = p.get("value")
        chosen = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        options = p.get("options") or []
        if isinstance(options, dict):
            options = [{"value": k, "label": v} for k, v in options.items()]
        by_value = {}
        for o in options:
            if isinstance(o, dict):
                by_value[o.get("value")] = o.get("label", o.get("value"))
            else:
                by_value[o] = o
        return [by_value.get(v, v) for v in chosen]

    # -- dash-bootstrap-components ----------------------------------------------------------
    def dash_bootstrap_components__Row(self, p: dict) -> str:
        return self.tag("div", p.get("children"), id=self.id(p), **{"class": classes(p.get("className"), "row")})

    def dash_bootstrap_components__Col(self, p: dict) -> str:
        sizes = []
        for bp in ("width", "xs", "sm", "md", "lg", "xl", "xxl"):
            size = p.get(bp)
            infix = "" if bp in ("width", "xs") else f"-{bp}"
            if isinstance(size, dict):
                if size.get("size") is not None:
                    sizes.append(f"col{infix}" if size["size"] is True else f"col{infix}-{size['size']}")
                if size.get("offset") is not None:
                    sizes.append(f"offset{infix}-{size['offset']}")
                if size.get("order") is not None:
                    sizes.append(f"order{infix}-{size['order']}")
            elif size is True:
                sizes.append(f"col{infix}")
            elif size is not None:
                sizes.append(f"col{infix}-{size}")
        if not any(s.startswith("col") for s in sizes):
            sizes.insert(0, "col")
        return self.tag("div", p.get("children"), id=self.id(p), **{"class": classes(p.get("className"), *sizes)})

    def dash_bootstrap_components__Container(self, p: dict) -> str:
        fluid = p.get("fluid")
        kind = "container-fluid" if fluid is True else f"container-{fluid}" if fluid else "container"
        return self.tag("div", p.get("children"), id=self.id(p), **{"class": classes(p.get("className"), kind)})

    def dash_bootstrap_components__Alert(self, p: dict) -> str:
        if p.get("is_open") is False:
            return ""
        color = p.get("color") or "secondary"
        return self.tag("div", p.get("children"), id=self.id(p), role="alert",
                        **{"class": classes(p.get("className"), "alert", f"alert-{color}")})

    def dash_bootstrap_components__Label(self, p: dict) -> str:
        return self.tag("label", p.get("children"), id=self.id(p), **{"for": p.get("html_for"),
                        "class": classes(p.get("className"), "form-label")})

    def dash_bootstrap_components__Input(self, p: dict) -> str:
        return self.tag("input", id=self.id(p), type=p.get("type") or "text", value=p.get("value"),
                        placeholder=p.get("placeholder"), maxlength=p.get("maxLength"),
                        **{"class": classes("form-control", p.get("className"))})

    def _choices(self, p: dict, kind: str, input_type: str) -> str:
        ident = self.id(p) or ""
        value = p.get("value")
        chosen = value if isinstance(value, list) else [value]
        items = []
        for o in p.get("options") or []:
            o = o if isinstance(o, dict) else {"label": o, "value": o}
            input_id = f"_dbcprivate_{kind}_{ident}_input_{o.get('value')}"
            box = self.tag("input", id=input_id, type=input_type, value=o.get("value"),
                           checked=o.get("value") in chosen, **{"class": "form-check-input"})
            label = self.tag("label", o.get("label"), **{"for": input_id, "class": classes(
                "form-check-label", p.get("labelClassName"))})
            items.append(self.tag("div", Markup(box + label),
                                  **{"class": classes("form-check", "form-check-inline" if p.get("inline") else "")}))
        return self.tag("div", Markup("".join(items)), id=ident or None, **{"class": p.get("className")})

    def dash_bootstrap_components__Checklist(self, p: dict) -> str:
        return self._choices(p, "checklist", "checkbox")

    def dash_bootstrap_components__RadioItems(self, p: dict) -> str:
        return self._choices(p, "radioitems", "radio")

    def dash_bootstrap_components__Switch(self, p: dict) -> str:
        ident = self.id(p)
        box = self.tag("input", id=ident, type="checkbox", checked=bool(p.get("value")),
                       **{"class": "form-check-input"})
        label = self.tag("label", p.get("label"), **{"for": ident, "class": classes(
            "form-check-label form-label", p.get("label_class_name"))})
        return self.tag("div", Markup(box + label), **{"class": classes("form-check form-switch", p.get("className"))})

    def dash_bootstrap_components__Offcanvas(self, p: dict) -> str:
        if not p.get("is_open"):
            return ""
        placement = p.get("placement") or "start"
        header = self.tag("div", Markup(self.tag("h5", p.get("title"), **{"class": "offcanvas-title"})),
                          **{"class": "offcanvas-header"})
        body = self.tag("div", p.get("children"), **{"class": "offcanvas-body"})
        return self.tag("div", Markup(header + body), id=self.id(p), role="dialog", tabindex="-1",
                        **{"aria-labelledby": p.get("labelledby"), "aria-modal": "true",
                           "class": classes("offcanvas", f"offcanvas-{placement}", "show", p.get("className"))})

    def dash_bootstrap_components__Navbar(self, p: dict) -> str:
        expand = p.get("expand")
        expand = "navbar-expand" if expand is True else f"navbar-expand-{expand}" if expand else None
        return self.tag("nav", p.get("children"), id=self.id(p), **{"class": classes(
            p.get("className"), "navbar", expand, "navbar-dark" if p.get("dark") else "navbar-light",
            f"bg-{p['color']}" if p.get("color") else None)})

    def dash_bootstrap_components__NavbarBrand(self, p: dict) -> str:
        return self.tag("a" if p.get("href") else "span", p.get("children"), id=self.id(p), href=p.get("href"),
                        **{"class": classes(p.get("className"), "navbar-brand")})

    def dash_bootstrap_components__NavbarToggler(self, p: dict) -> str:
        icon = self.tag("span", "", **{"class": "navbar-toggler-icon"})
        return self.tag("button", Markup(icon), id=self.id(p), type="button",
                        **{"aria-label": "Toggle navigation", "class": classes(p.get("className"),
                                                                               "navbar-toggler collapsed")})

    def dash_bootstrap_components__Collapse(self, p: dict) -> str:
        return self.tag("div", p.get("children"), id=self.id(p), **{"class": classes(
            p.get("className"), "navbar-collapse" if p.get("navbar") else None, "collapse",
            "show" if p.get("is_open") else None)})

    def dash_bootstrap_components__Nav(self, p: dict) -> str:
        return self.tag("div", p.get("children"), id=self.id(p), **{"class": classes(
            p.get("className"), "navbar-nav" if p.get("navbar") else "nav")})

    def dash_bootstrap_components__NavItem(self, p: dict) -> str:
        return self.tag("div", p.get("children"), id=self.id(p), **{"class": classes(p.get("className"), "nav-item")})

    def _active(self, href: str | None, active: Any) -> bool:
        if active is True or not href:
            return bool(active)
        if active == "exact":
            return self.pathname == href
        if active == "partial":
            return self.pathname == href or self.pathname.startswith(href.rstrip("/") + "/")
        return False

    def dash_bootstrap_components__NavLink(self, p: dict) -> str:
        href = p.get("href")
        return self.tag("a", p.get("children"), id=self.id(p), href=href, **{"class": classes(
            p.get("className"), "nav-link", "active" if self._active(href, p.get("active")) else None)})

    def dash_bootstrap_components__DropdownMenu(self, p: dict) -> str:
        toggle = self.tag("a", p.get("label"), role="button", href="#", **{
            "aria-expanded": "false", "class": classes("dropdown-toggle", "nav-link" if p.get("nav") else "btn")})
        menu = self.tag("div", p.get("children"), **{"class": "dropdown-menu"})
        return self.tag("div", Markup(toggle + menu), id=self.id(p), **{"class": classes(
            "dropdown", "nav-item" if p.get("nav") else None, p.get("className"))})

    def dash_bootstrap_components__DropdownMenuItem(self, p: dict) -> str:
        return self.tag("a", p.get("children"), id=self.id(p), href=p.get("href"),
                        **{"class": classes(p.get("className"), "dropdown-item")})

    # -- the heavy libraries: drawn as what they show --------------------------------------
    def dash_ag_grid__AgGrid(self, p: dict) -> str:
        """A plain table of the grid's first page: its columns' headers and its rows' values
        (a column of links, `cellRenderer` set, as links)."""
        columns = [c for c in p.get("columnDefs") or [] if isinstance(c, dict) and c.get("field")]
        options = p.get("dashGridOptions") or {}
        rows = (p.get("rowData") or [])[: options.get("paginationPageSize") or 20]
        head = "".join(self.tag("th", c.get("headerName") or c["field"], scope="col") for c in columns)

        def cell(c: dict, row: dict) -> str:
            value = row.get(c["field"], "")
            if c.get("cellRenderer") and isinstance(value, str) and value.startswith("/"):
                return self.tag("td", Markup(self.tag("a", "Read in context", href=value, **{"class": "read-link"})))
            return self.tag("td", "" if value is None else value)

        body = "".join(self.tag("tr", Markup("".join(cell(c, r) for c in columns))) for r in rows)
        if not rows:
            body = self.tag("tr", Markup(self.tag("td", (options.get("localeText") or {}).get("noRowsToShow", ""),
                                                   colspan=len(columns) or 1)))
        table = self.tag("table", Markup(self.tag("thead", Markup(self.tag("tr", Markup(head))))
                                         + self.tag("tbody", Markup(body))), **{"class": "table table-sm"})
        return self.tag("div", Markup(table), id=self.id(p),
                        **{"class": classes(p.get("className"), "prerendered-grid table-responsive")})

    def dash_cytoscape__Cytoscape(self, p: dict) -> str:
        style = {"width": "100%", "height": "600px", **(p.get("style") or {})}
        return self.tag("div", "", id=self.id(p), style=css(style),
                        **{"class": classes(p.get("className"), "prerendered-placeholder")})


def to_html(tree: Any, pathname: str = "/", slots: dict | None = None) -> tuple[Markup, UnknownComponents]:
    """The HTML of a layout (components, lite elements or both) at `pathname` (which decides the
    navigation links marked active), and the kinds of component it did not know. `slots` gives
    the children of components by id (the page router's `_pages_content`: the page)."""
    renderer = Renderer(pathname, {k: freeze(v) for k, v in (slots or {}).items()})
    out = renderer.render(freeze(tree))
    return Markup(out), renderer.unknown
