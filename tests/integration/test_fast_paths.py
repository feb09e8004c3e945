"""Fast paths of the views at scale, each held to its plain reference version: the organization
page draws every quote once and loads its second half when opened; a search answers without
the unchanged legend and draws its hidden cells directly."""
from __future__ import annotations

import json

import pytest

from dashboard.components import lite
from dashboard.components import ui
from dashboard.components import matrix
from dashboard.pages import organization
from tests.support.tree import nodes as walk


@pytest.fixture(autouse=True)
def request_context(bundled_app):
    with bundled_app.server.test_request_context("/"):
        yield


def figure_ids(tree) -> list[str]:
    return [n["props"]["id"][2:] for n in walk(tree)
            if n.get("type") == "Figure" and str(n.get("props", {}).get("id", "")).startswith("q-")]


def quotes_in_order(tree) -> list[str]:
    """Quote ids as a reader meets them: a drawn quote (its figure) or a reference to one."""
    out = []
    for n in walk(tree):
        props = n.get("props", {}) if isinstance(n.get("props"), dict) else {}
        if n.get("type") == "Figure" and str(props.get("id", "")).startswith("q-"):
            out.append(props["id"][2:])
        elif n.get("type") == "A" and "quote-ref-link" in str(props.get("className", "")):
            out.append(props.get("data-quote") or props["href"][len("#q-"):])
    return out


def quote_of(ref) -> str:
    return ref["props"].get("data-quote") or ref["props"]["href"][len("#q-"):]


def lazy_keys(tree) -> list[str]:
    return [n["props"]["id"]["key"] for n in walk(tree)
            if n.get("type") == "Details" and isinstance(n.get("props", {}).get("id"), dict)
            and n["props"]["id"].get("type") == ui.LAZY]


def opened(store, tree):
    """The tree as the reader sees it once every closed stance is opened: each one's body is
    what opening it loads (pages/lazy.py)."""
    from dashboard.pages import lazy

    tree = json.loads(json.dumps(lite.freeze(tree)))
    for n in walk(tree):
        ident = n.get("props", {}).get("id") if isinstance(n.get("props"), dict) else None
        if isinstance(ident, dict) and ident.get("type") == ui.LAZY_BODY:
            n["props"]["children"] = json.loads(json.dumps(lite.freeze(lazy.evidence_for(store, ident["key"]))))
    return tree


def section(tree, ident: str):
    return next(n for n in walk(tree) if isinstance(n.get("props"), dict) and n["props"].get("id") == ident)


@pytest.fixture(params=[None, 8, 3])
def budget(request, monkeypatch):
    """The bundled data fits the page; small budgets make the caps bite as at scale."""
    if request.param is not None:
        monkeypatch.setattr(organization, "QUOTE_BUDGET", request.param)
    return request.param


def test_stance_quotes_names_what_stance_block_draws(store):
    for st in store.stances.values():
        for cap in (None, 1, 2):
            drawn, named = set(), set()
            tree = ui.stance_block(store, st, max_quotes=cap, drawn=drawn)
            ui.stance_quotes(st, cap, named)
            assert drawn == named == set(figure_ids(tree))


def test_organization_page_draws_each_quote_once_and_refers_to_it(store, budget):
    for org_id in store.organizations:
        page = opened(store, organization.layout(org_id=org_id))  # every closed stance opened
        side = json.loads(json.dumps(lite.freeze(organization.side_of(store, org_id))))
        drawn = figure_ids(page) + figure_ids(side)
        assert len(drawn) == len(set(drawn)), f"{org_id}: a quote drawn twice"
        for ref in (n for n in walk(side) if n.get("type") == "A" and "quote-ref-link" in n["props"]["className"]):
            href, quote = ref["props"]["href"], quote_of(ref)
            if href.startswith("#q-"):  # drawn on the page: a link to it
                assert quote in figure_ids(page), f"{org_id}: a reference to a quote not on the page"
            else:  # in a stance that shows its quotes when opened: a link to that stance, which opens it
                assert href.startswith("#topic-") and lazy_keys(section(page, href[1:]))
                assert quote in figure_ids(section(page, href[1:])), (org_id, href, quote)
        # the plain version: each stance's own words, then others', up to the same cap
        stances = store.stances_of(org_id)
        cap = organization._cap(stances)
        expected = []
        for st in stances:
            own = [e.quote_id for e in st.all_evidence if e.attribution == "self"]
            others = [e.quote_id for e in st.all_evidence if e.attribution != "self"]
            if others:
                expected += own[:cap] + others[:cap]
        assert quotes_in_order(side) == expected
        # nothing silently dropped: every quote is drawn, or counted by a "more quotes" link
        text = json.dumps(page)
        for st in stances:
            shown = set()
            ui.stance_quotes(st, cap, shown)
            hidden = len(st.all_evidence) - len(shown)
            if hidden:
                assert f"{hidden} more quote" in text, (org_id, st.topic)


def test_organization_side_section_loads_when_opened(dash_client):
    page = json.dumps(json.loads(dash_client.page("/organizations/iso").data)["response"])
    assert "What it says of itself, and what others say of it" in page
    assert "In its own words" not in page  # not sent until opened

    def opened(n_clicks):  # the request the browser sends when the section is clicked
        key = next(k for k in dash_client.app.callback_map if "org-side-body" in k)
        return dash_client.client.post("/_dash-update-component", json={
            "output": key, "outputs": {"id": {"org": "iso", "type": "org-side-body"}, "property": "children"},
            "inputs": [{"id": {"org": "iso", "type": "org-side"}, "property": "n_clicks", "value": n_clicks}],
            "changedPropIds": ['{"org":"iso","type":"org-side"}.n_clicks'], "state": []})

    resp = opened(1)
    assert resp.status_code == 200, resp.data[:300]
    text = json.dumps(json.loads(resp.data)["response"])
    assert "In its own words" in text and "What other organizations and observers say" in text
    assert "quote-ref-link" in text
    # later clicks (closing, clicks inside) keep what was loaded: nothing is sent again
    assert opened(2).status_code == 204


def _plain_cell(store, state, org, topic, by_cell):
    """The reference: every cell through cell_for."""
    if state.attrs or state.q:
        return matrix._cell_td(store, matrix.cell_for(store, state, org, topic, by_cell.get((org, topic), [])))
    return matrix._cell_td(store, matrix.cell_for(store, state, org, topic))


def _unmerged(tree):
    """The matrix with each cell spanning n columns drawn as n cells (matrix.merge_runs undone)."""
    for n in walk(tree):
        if n.get("type") == "Tr" and isinstance(n["props"].get("children"), list):
            cells = []
            for c in n["props"]["children"]:
                span = c.get("props", {}).get("colSpan") if isinstance(c, dict) else None
                if span:
                    c = {**c, "props": {k: v for k, v in c["props"].items() if k != "colSpan"}}
                cells += [c] * (span or 1)
            n["props"]["children"] = cells
    return tree


def test_merged_runs_are_the_plain_cells_and_say_what_they_hide(store):
    state, _ = matrix.parse_state(store, {"q": "the"})
    tree = json.loads(json.dumps(matrix.render_matrix(store, state)))
    spans = [n for n in walk(tree) if n.get("type") == "Td" and n["props"].get("colSpan")]
    assert spans and all(n["props"]["children"] in ("hidden by filters", "no evidence in the sources") for n in spans)
    widths = {len(ch) if isinstance(ch := n["props"]["children"], list) else ch["props"]["colSpan"]
              for n in walk(_unmerged(tree)) if n.get("type") == "Tr"}
    assert widths == {len(store.topics) + 1}  # every row still spans every topic's column


@pytest.mark.parametrize("query", [{"q": "Tiananmen"}, {"q": "the"}, {"q": "socialis"}, {"attr": ["critic"]},
                                   {"attr": ["observer"], "q": "state"}, {"tradition": ["orthodox-trotskyist"]}])
def test_matrix_fast_cells_equal_the_plain_cells(store, query, monkeypatch):
    state, _ = matrix.parse_state(store, query)
    fast = json.dumps(_unmerged(json.loads(json.dumps(matrix.render_matrix(store, state)))))
    merged = json.dumps(matrix.render_matrix(store, state))
    plain = matrix.merge_runs if state.attrs or state.q else (lambda cells: cells)
    monkeypatch.setattr(matrix, "_row_cells", lambda store, state, org, topics, by_cell:
                        plain([_plain_cell(store, state, org, t, by_cell) for t in topics]))
    assert merged == json.dumps(matrix.render_matrix(store, state))  # one pass = the plain cells, merged
    monkeypatch.setattr(matrix, "_row_cells", lambda store, state, org, topics, by_cell:
                        [_plain_cell(store, state, org, t, by_cell) for t in topics])
    assert fast == json.dumps(matrix.render_matrix(store, state))  # the spans undone: the plain cells


def _inputs(**kw):
    base = {"f-topic.value": [], "f-tradition.value": [], "f-org.value": [], "f-attr.value": [], "f-q.value": ""}
    base.update({f"f-{k}.value": v for k, v in kw.items()})
    return base


def test_search_leaves_the_legend_and_topics_redraw_it(dash_client, store):
    resp = json.loads(dash_client.call("matrix.children", _inputs(q="Tiananmen"), changed="f-q.value").data)
    assert "matrix-legend" not in resp["response"] and "matrix" in resp["response"]
    resp = json.loads(dash_client.call("matrix.children", _inputs(topic=["china"], q="Tiananmen"),
                                       changed="f-topic.value").data)
    state, _ = matrix.parse_state(store, {"topic": ["china"]})
    assert resp["response"]["matrix-legend"]["children"] == json.loads(json.dumps(matrix.render_legend(store, state)))


def test_compare_caps_at_half_the_budget_and_says_what_it_hides(store, monkeypatch):
    from dashboard.pages import compare

    orgs, topics = ["iso", "psl", "wsws", "toronto-new-socialists"], ["ussr", "china", "syria", "russia"]
    full = json.dumps(lite.freeze(compare.render(store, orgs, topics, False)))
    assert "Many quotes" not in full  # these four topics' bundled quotes fit: every quote is drawn
    monkeypatch.setattr(compare, "QUOTE_BUDGET", 40)
    capped = json.dumps(lite.freeze(compare.render(store, orgs, topics, False)))
    assert "Many quotes: each view shows its first" in capped
    assert len(figure_ids(json.loads(capped))) < len(figure_ids(json.loads(full)))
    assert "more quote" in capped


# ---- a stance's quotes loaded when opened (ui.lazy_evidence, pages/lazy.py) --------------------

def _splice_opened(store, block):
    """A lazy stance block with its closed disclosure replaced by what opening it loads."""
    block = opened(store, block)
    children = []
    for c in block["props"]["children"]:
        if isinstance(c, dict) and c.get("type") == "Details" and isinstance(c["props"].get("id"), dict):
            children += c["props"]["children"][1]["props"]["children"]  # the body, once loaded
        else:
            children.append(c)
    return {**block, "props": {**block["props"], "children": children}}


@pytest.mark.parametrize("flags", [{}, {"show_org": True}, {"show_topic": True, "level": 3}])
def test_a_lazy_stance_once_opened_is_the_plain_stance(store, flags):
    for st in store.stances.values():
        for cap in (None, 1, 2):
            for more in (None, ui.stance_href(st)):
                plain = json.loads(json.dumps(ui.stance_block(store, st, max_quotes=cap, more_href=more, **flags)))
                lazy = ui.stance_block(store, st, max_quotes=cap, more_href=more, lazy=True, **flags)
                assert not figure_ids(lazy)  # nothing drawn until opened
                n = len(st.all_evidence)
                assert f"{n} quote{'s' if n != 1 else ''}: show them" in json.dumps(lazy)  # says what it holds
                assert _splice_opened(store, lazy) == plain, (st.organization, st.topic, cap, more)


def _first_group(monkeypatch, render):
    """The page drawn with no room for quotes: its first stance (or row) alone, always drawn."""
    from dashboard.components import ui as ui_module

    monkeypatch.setattr(ui_module, "FIRST_SCREEN", 0)
    monkeypatch.setattr(ui_module.first_screen, "__defaults__", (0,))
    first = json.loads(json.dumps(lite.freeze(render())))
    monkeypatch.undo()
    return first


def _plain_and_opened(monkeypatch, render):
    from dashboard.components import ui as ui_module

    first = render()
    monkeypatch.setattr(ui_module, "FIRST_SCREEN", 10**9)
    monkeypatch.setattr(ui_module.first_screen, "__defaults__", (10**9,))
    plain = render()
    monkeypatch.undo()
    return first, plain


@pytest.mark.parametrize("view", ["organization", "topic", "compare"])
def test_pages_opened_show_what_the_plain_pages_show(store, monkeypatch, view):
    """Each page's first answer draws at most the first screen's quotes; with every closed
    stance opened it shows exactly the quotes, in the same order, of the page drawn whole."""
    from dashboard.pages import compare, topic

    if view == "organization":
        renders = [lambda o=o: organization.layout(org_id=o) for o in store.organizations]
    elif view == "topic":
        renders = [lambda t=t: topic.layout(topic_id=t) for t in store.topics]
    else:
        orgs = list(store.organizations)
        renders = [lambda: compare.render(store, orgs[:4], [], False),
                   lambda: compare.render(store, ["iso", "psl", "wsws", "toronto-new-socialists"], [], False),
                   lambda: compare.render(store, ["iso", "psl"], ["ussr", "china"], False)]
    lazy_seen = 0
    for render in renders:
        first, plain = _plain_and_opened(monkeypatch, render)
        first = json.loads(json.dumps(lite.freeze(first)))
        plain = json.loads(json.dumps(lite.freeze(plain)))
        assert not lazy_keys(plain)
        keys = lazy_keys(first)
        lazy_seen += len(keys)
        if keys:  # the first answer is the first screen: later stances' quotes load when opened
            # (the first stance or row is drawn whatever its size: ui.first_screen)
            assert len(figure_ids(first)) <= max(ui.FIRST_SCREEN, len(figure_ids(_first_group(monkeypatch, render))))
        assert figure_ids(opened(store, first)) == figure_ids(plain)
        assert json.dumps(opened(store, first)).count("more quote") == json.dumps(plain).count("more quote")
    assert lazy_seen, f"the bundled data's {view} pages all fit the first screen: the test would prove nothing"


def _open_lazy(dash_client, key, n_clicks=1):
    cb = next(k for k in dash_client.app.callback_map if ui.LAZY_BODY in k)
    return dash_client.client.post("/_dash-update-component", json={
        "output": cb, "outputs": {"id": {"key": key, "type": ui.LAZY_BODY}, "property": "children"},
        "inputs": [{"id": {"key": key, "type": ui.LAZY}, "property": "n_clicks", "value": n_clicks}],
        "changedPropIds": [json.dumps({"key": key, "type": ui.LAZY}, separators=(",", ":")) + ".n_clicks"],
        "state": []})


def test_opening_a_closed_stance_loads_its_quotes(dash_client, store):
    page = json.loads(dash_client.page("/organizations/iso").data)["response"]
    keys = lazy_keys(page)
    assert keys, "ISO's page has more quotes than its first screen"
    resp = _open_lazy(dash_client, keys[-1])
    assert resp.status_code == 200, resp.data[:300]
    body = json.loads(resp.data)["response"]
    org, topic, cap, _ = keys[-1].split("|")
    st = store.stances[(org, topic)]
    assert cap == ""  # the bundled page draws every quote: all of the stance's, in its order
    assert figure_ids(body) == [e.quote_id for e in st.all_evidence]
    assert _open_lazy(dash_client, keys[-1], n_clicks=2).status_code == 204  # later clicks keep it
    for bad in ("iso|nope||", "iso|ussr|0|", "iso|ussr|x|", "iso|ussr||zz", "|||", "a" * 700, "iso|ussr"):
        assert _open_lazy(dash_client, bad).status_code == 204, bad
