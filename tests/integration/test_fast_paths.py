"""Fast paths of the views at scale, each held to its plain reference version: the organization
page draws every quote once and loads its second half when opened; a search answers without
the unchanged legend and draws its hidden cells directly."""
from __future__ import annotations

import json

import pytest

from dashboard.components import lite
from dashboard.components import ui
from dashboard.components import matrix
from dashboard.components.context import STORE_KEY
from dashboard.pages import organization


@pytest.fixture
def store(bundled_app):
    with bundled_app.server.test_request_context("/"):
        yield bundled_app.server.config[STORE_KEY]


def walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from walk(v)


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
            out.append(props["href"][len("#q-"):])
    return out


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
        page = organization.layout(org_id=org_id)
        side = lite.freeze(organization.side_of(store, org_id))
        drawn = figure_ids(page) + figure_ids(side)
        assert len(drawn) == len(set(drawn)), f"{org_id}: a quote drawn twice"
        refs = [q for q in quotes_in_order(side) if q not in figure_ids(side)]
        assert set(refs) <= set(figure_ids(page)), f"{org_id}: a reference to a quote not on the page"
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
    assert "In its own words" in text and "What critics and observers say" in text
    assert "quote-ref-link" in text
    # later clicks (closing, clicks inside) keep what was loaded: nothing is sent again
    assert opened(2).status_code == 204


def _plain_cell(store, state, org, topic, by_cell):
    """The reference: every cell through cell_for."""
    if state.attrs or state.q:
        return matrix._cell_td(store, matrix.cell_for(store, state, org, topic, by_cell.get((org, topic), [])))
    return matrix._cell_td(store, matrix.cell_for(store, state, org, topic))


@pytest.mark.parametrize("query", [{"q": "Tiananmen"}, {"q": "the"}, {"q": "socialis"}, {"attr": ["critic"]},
                                   {"attr": ["observer"], "q": "state"}, {"tradition": ["orthodox-trotskyist"]}])
def test_matrix_fast_cells_equal_the_plain_cells(store, query, monkeypatch):
    state, _ = matrix.parse_state(store, query)
    fast = json.dumps(matrix.render_matrix(store, state))
    monkeypatch.setattr(matrix, "_row_cells", lambda store, state, org, topics, by_cell:
                        [_plain_cell(store, state, org, t, by_cell) for t in topics])
    assert fast == json.dumps(matrix.render_matrix(store, state))


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
