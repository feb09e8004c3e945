"""Page layouts built from query strings: state from the URL, friendly answers to bad input."""
from __future__ import annotations

import json

import pytest

from dashboard.components.context import STORE_KEY
from dashboard.components import lite
from dashboard.pages import about, compare, matrix, organization, source, topic
from tests.support.tree import nodes


@pytest.fixture
def ctx(bundled_app):
    with bundled_app.server.test_request_context("/"):
        yield bundled_app.server.config[STORE_KEY]


def find_id(node, ident):
    """The component with this id in a layout's JSON."""
    return next((n for n in nodes(node) if n.get("props", {}).get("id") == ident), None)


def find_class(node, cls):
    """The first component whose className holds `cls`."""
    return next((n for n in nodes(node) if cls in str(n.get("props", {}).get("className", "")).split()), None)


def text(component) -> str:
    """A layout as the JSON sent to the browser (layouts are plain JSON values already)."""
    assert isinstance(component, dict), "layouts are frozen to plain JSON by safe_layout"
    return json.dumps(component)


def test_matrix_layout_reads_state_from_query(ctx):
    out = text(matrix.layout(topic="china", org=["iso", "psl"], attr="observer", stance="iso.china"))
    assert '"value": ["china"]' in out and '"value": ["iso", "psl"]' in out
    panel = find_id(json.loads(out), "evidence-panel")["props"]
    assert panel["is_open"] is True and panel["title"]["props"] == {"children": "International Socialist Organization on China", "id": "evidence-panel-title"}
    assert "stance-iso-china" in json.dumps(panel["children"])


def test_matrix_unknown_values_are_dropped_with_notice(ctx):
    out = text(matrix.layout(org=["iso", "<script>alert(1)</script>"], topic="nope"))
    notice = json.dumps(find_class(json.loads(out), "dropped-notice"))
    # the address's value is shown as text, exactly as given (React never renders a string as HTML)
    assert "were not recognised" in notice and "org: <script>alert(1)</script>" in notice
    assert '"type": "Script"' not in out and "dangerously" not in out


def test_compare_prompts_when_fewer_than_two(ctx):
    out = text(compare.layout(org="<script>"))
    assert "Choose two to four organizations" in out and "were not recognised" in out


def test_compare_keeps_at_most_four(ctx):
    orgs = list(ctx.organizations)[:6]
    out = text(compare.layout(org=orgs))
    assert "more than four organizations" in out


@pytest.mark.parametrize("fn,kw,word", [
    (organization.layout, {"org_id": "nope"}, "no organization called"),
    (topic.layout, {"topic_id": "nope"}, "no topic called"),
    (source.layout, {"source_id": "nope"}, "no source called"),
])
def test_unknown_ids_are_not_found(ctx, fn, kw, word):
    assert word in text(fn(**kw))


def test_source_reader_highlights_quotes_and_target(ctx):
    ev = next(e for e in ctx.evidence if e.source == "socialism-from-below-pamphlet")
    out = text(source.layout(source_id=ev.source, quote=ev.quote_id))
    assert f"mark-{ev.quote_id}" in out and "is-target" in out
    assert "Highlighted quote" in out


def test_source_reader_unknown_quote_gets_notice(ctx):
    out = text(source.layout(source_id="socialism-from-below-pamphlet", quote="q-nope"))
    assert "were not recognised" in out


def test_reader_cleaning_keeps_every_word(ctx):
    src = ctx.source_texts["socialism-from-below-pamphlet"]
    cleaned = " ".join(source.clean(src[a:b]) for _, a, b in source.blocks(src, []))
    assert "produced years of hardship" in cleaned
    assert cleaned.split() and len(cleaned.split()) <= len(src.split())
    assert "page 22" not in cleaned
    kinds = [k for k, _, _ in source.blocks(src, [])]
    assert "page" in kinds


def test_about_lists_strength_rules_and_downloads(ctx):
    out = text(about.layout())
    assert "according to one observer" in out and "/download/evidence.csv" in out


def test_organization_page_shows_critics_beside_own_words(ctx):
    out = text(organization.layout(org_id="iso"))
    assert "What it says of itself, and what others say of it" in out  # opened, it loads (test_fast_paths)
    side = json.dumps(lite.freeze(organization.side_of(ctx, "iso")))
    assert "In its own words" in side and "What other organizations and observers say" in side
    assert "Founded" in out


def _h1(node):
    """The text of the first H1 of a layout (plain JSON)."""
    return next((json.dumps(n["props"].get("children")) for n in nodes(node) if n.get("type") == "H1"), None)


@pytest.mark.parametrize("path, title, shown, not_shown", [
    ("/organizations/iso?org_id=psl", "International Socialist Organization", "stance-iso-ussr", "stance-psl-"),
    ("/topics/china?topic_id=ussr", "China", "stance-iso-china", "stance-iso-ussr"),
    ("/sources/iso-soul-of-international-socialism?source_id=blog-iso-vs-psl-china", "soul of international",
     "reader-text", "blog-iso-vs-psl-china"),
])
def test_a_query_parameter_named_like_the_path_variable_does_not_replace_it(dash_client, path, title, shown,
                                                                           not_shown):
    resp = dash_client.page(path)
    assert resp.status_code == 200
    page = json.loads(resp.data)["response"]["_pages_content"]["children"]
    assert title in _h1(page)
    body = json.dumps(page)
    assert shown in body and not_shown not in body  # the body is the path's, not the parameter's
