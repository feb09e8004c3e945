"""What readers see of stated positions, editors' readings and corrections (issue 13), on the
mini fixture: beta's stance on the socialist states is an editors' reading and was corrected
(2026-11-20); alpha's elections summary was corrected (2026-11-21); the rest is stated."""
from __future__ import annotations
import re

import json
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.config import load_config
from dashboard.data import load_store
from dashboard.data.store import STRENGTHS

from benchmarks.dash_client import DashClient
from tests.support.paths import MINI, copy_tree
from tests.support.tree import components



def client_for(root: Path) -> DashClient:
    """The real app on a data set (no cache), through Dash's HTTP endpoint."""
    store = load_store(root / "data", root / "seeds")
    return DashClient(create_app(load_config(data_dir=root / "data", seeds_dir=root / "seeds"), store=store))


@pytest.fixture(scope="module")
def mini_client():
    return client_for(MINI)


def page(client, path: str) -> str:
    resp = client.page(path)
    assert resp.status_code == 200, resp.status_code
    return json.dumps(resp.get_json())


def find(tree, match) -> list:
    """Every component in a layout's JSON whose props satisfy `match`."""
    return [n for n in components(tree) if isinstance(n["props"], dict) and match(n["props"])]


def part(client, path: str, **props) -> str:
    """The JSON of the one component of the page with these props (e.g. id=..., className=...)."""
    found = find(client.page(path).get_json(), lambda p: all(p.get(k) == v for k, v in props.items()))
    assert len(found) == 1, (props, len(found))
    return json.dumps(found[0])


def test_the_reading_is_marked_with_its_reasoning_and_the_stated_stance_is_not(mini_client):
    out = page(mini_client, "/topics/states")
    assert out.count("editors' reading\"") >= 1
    assert "Why this is in the editors' reading" in out
    assert "editors read defending them against imperialism" in out
    assert "In the editors' reading, Beta Party has said: Workers' state." in out
    assert "AL has said: Class society." in out  # alpha's stated stance: the usual wording, no mark
    assert out.count("reading-mark") == 1 and out.count("reading-note") == 1
    beta = part(mini_client, "/topics/states", id="stance-beta-states")
    assert "reading-mark" in beta and "reading-note" in beta and '"Details"' in beta
    assert "reading" not in part(mini_client, "/topics/states", id="stance-alpha-states")


def test_the_matrix_cell_of_a_reading_says_so_in_text_and_to_screen_readers(mini_client):
    out = page(mini_client, "/")
    # the accessible name starts with the visible text (label, count, the reading mark), then whose stance
    assert re.search(r"Workers' state, \d+ quotes?, reading, the editors' reading: Beta( Party)? on The socialist states", out)
    assert out.count("\\u2248 reading") == 2  # the cell and the legend
    assert "Class society, 1 quote: AL on The socialist states" in out


def test_the_evidence_panel_compare_and_coverage_mark_the_reading(mini_client):
    assert "reading-note" in page(mini_client, "/?stance=beta.states")
    out = page(mini_client, "/compare?org=alpha&org=beta")
    assert out.count("reading-mark") == 1 and "Why this is in the editors' reading" in out
    out = page(mini_client, "/coverage")
    assert out.count('"cov-reading"') == 2  # beta's cell and the legend


def test_a_corrected_stance_says_revised_with_what_and_why(mini_client):
    out = page(mini_client, "/organizations/beta")
    assert "Revised on 2026-11-20" in out
    for text in ("Was", "Class society", "Now", "Workers' state", "they do not call them class societies"):
        assert text in out
    assert '"/corrections?org=beta"' in out
    out = page(mini_client, "/organizations/alpha")
    assert "Revised on 2026-11-21" in out and "The Alpha League runs against the Democrats." in out
    assert "Revised on" not in part(mini_client, "/topics/states", id="stance-alpha-states")
    assert "Revised on 2026-11-20" in part(mini_client, "/topics/states", id="stance-beta-states")


def test_the_organization_page_lists_its_corrections(mini_client):
    section = part(mini_client, "/organizations/beta", className="org-corrections")
    assert '"Corrections"' in section and "Workers' state" in section and "2026-11-20" in section
    assert "The Alpha League runs against" not in section


def test_the_corrections_page_lists_all_newest_first_and_filters_by_url(mini_client):
    out = page(mini_client, "/corrections")
    assert "2 corrections, newest first." in out
    assert out.index("2026-11-21") < out.index("2026-11-20")
    out = page(mini_client, "/corrections?org=beta")
    assert "1 correction, newest first." in out and "2026-11-21" not in out
    assert '"value": ["beta"]' in out
    out = page(mini_client, "/corrections?org=nobody")
    assert "were not recognised" in out and "2 corrections" in out


def test_the_corrections_filter_writes_the_address(mini_client):
    resp = mini_client.call("corrections-body", {"corr-org.value": ["alpha"]})
    assert resp.status_code == 200
    data = resp.get_json()["response"]
    assert data["corrections-url"]["search"] == "?org=alpha"
    body = json.dumps(data["corrections-body"]["children"])
    assert "1 correction" in body and "2026-11-21" in body and "2026-11-20" not in body


def test_the_corrections_page_has_empty_states(tmp_path):
    root = tmp_path / "mini"
    copy_tree(MINI, root)
    log = root / "data/corrections.yaml"
    text = log.read_text(encoding="utf-8")
    log.write_text("corrections:\n" + text[text.index("  - date: 2026-11-21"):], encoding="utf-8")  # alpha's only
    client = client_for(root)
    out = page(client, "/corrections?org=beta")
    assert "No corrections to the record of Beta Party." in out
    out = page(client, "/organizations/beta")
    assert "The editors have not corrected this organization's record." in out and "Revised on" not in out
    log.unlink()
    out = page(client_for(root), "/corrections")
    assert "No corrections yet" in out


def test_about_explains_readings_and_how_to_ask_for_a_correction(mini_client):
    out = page(mini_client, "/about")
    assert "in the editors' reading" in out and "Stated, or the editors' reading" in out
    assert "How to ask for a correction" in out and '"/reply"' in out  # the request is a page of its own
    assert "a published text of the organization's own" in page(mini_client, "/reply")
    assert '"/corrections"' in out
    assert any(key == "reading" for key, _, _ in STRENGTHS)


def test_navigation_links_the_corrections_page(mini_client):
    layout = mini_client.client.get("/_dash-layout").get_json()
    items = find(layout, lambda p: p.get("href") == "/corrections")
    assert [i["props"]["children"] for i in items] == ["Corrections"]


def test_bundled_data_pages_still_build_with_the_new_pieces(dash_client):
    for path in ("/corrections", "/about", "/organizations/iso", "/coverage"):
        resp = dash_client.page(path)
        assert resp.status_code == 200 and "Something went wrong" not in resp.get_data(as_text=True), path


def test_mini_store_is_what_the_tests_assume():
    store = load_store(MINI / "data", MINI / "seeds")
    assert store.stances[("beta", "states")].is_reading
    assert [c.date for c in store.corrections] == ["2026-11-20", "2026-11-21"]


@pytest.mark.parametrize("path", ["/", "/?stance=beta.states", "/compare?org=alpha&org=beta", "/topics/states",
                                  "/organizations/beta", "/corrections", "/corrections?org=beta", "/coverage",
                                  "/about"])
def test_every_element_of_the_new_pieces_is_a_valid_component(mini_client, path):
    from .test_lite import check

    found = list(components(mini_client.page(path).get_json()))
    assert len(found) > 10
    for node in found:
        check(node)
