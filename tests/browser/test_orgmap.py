"""The map on /match in the browser: every organization with enough evidence is a linked point,
the reader's point is placed from their answers in the browser as the Python reference
(dashboard/data/orgmap.reader_point) places it, and it moves as they answer."""
from __future__ import annotations

import json

import pytest
from dash.testing.wait import until
from selenium.webdriver.common.by import By

from dashboard.components.orgmap import browser_map
from dashboard.data.orgmap import org_map, reader_point
from dashboard.pages.match import browser_data

from .conftest import no_console_errors
from .test_match import choose, click, open_match, random_answer_sets


def you(duo):
    """The reader's point as drawn (its path), or None."""
    return duo.driver.execute_script("var p = document.querySelector('.org-map .org-map-you path');"
                                     "return p ? p.getAttribute('d') + ' ' + p.parentNode.getAttribute('class') : null;")


def drawn(duo):
    """The organizations' points as drawn: (organization, link, hollow), in one read (the map is
    drawn afresh at each answer)."""
    return duo.driver.execute_script("""
        return Array.from(document.querySelectorAll('.org-map svg .org-map-point')).map(function (a) {
          return [a.getAttribute('data-org'), a.getAttribute('href'), a.classList.contains('thin')];
        });""")


def wait_moved(duo, before):
    until(lambda: you(duo) not in (None, before), timeout=10)


def test_the_reader_is_placed_as_the_python_reference_places_them(atlas, store):
    duo = atlas
    open_match(duo)
    data = json.loads(json.dumps(browser_data(store)))
    maps = {mode: browser_map(store, org_map(store, None, mode == "all")) for mode in ("own", "all")}
    cases = random_answer_sets(store, 27, 0.5)
    got = duo.driver.execute_script("""
        var data = arguments[0], maps = arguments[1], cases = arguments[2];
        return cases.map(function (c) {
          return window.tendencyOrgMap.place(data, maps[c.all ? "all" : "own"], c.answers, c.weights, c.all);
        });""", data, json.loads(json.dumps(maps)), cases)
    assert len(got) == 200 and sum(g is not None for g in got) > 150
    for case, js in zip(cases, got):
        m = org_map(store, None, case["all"])
        ref = reader_point(store, m, case["answers"], case["weights"], case["all"])
        if ref is None:
            assert js is None, case
            continue
        assert [js["x"], js["y"]] == pytest.approx(list(ref[:2]), abs=1e-9), case
        assert js["rests_on"] == ref[2], case


def test_every_organization_is_a_linked_point_and_the_reader_moves_as_they_answer(atlas, store):
    duo = atlas
    open_match(duo)
    duo.wait_for_contains_text("#match-map-status", "Answer a question", timeout=10)
    own = org_map(store, None, False)
    points = drawn(duo)
    assert sorted(p[0] for p in points) == sorted(own.orgs)
    assert {p[1] for p in points} == {f"/organizations/{o}" for o in own.orgs}
    assert {p[0] for p in points if p[2]} == {o for o, t in zip(own.orgs, own.thin) if t}
    assert you(duo) is None
    assert "Answer a question" in duo.find_element("#match-map-status").text

    choose(duo, "ussr", "stalinist-counterrevolution")
    wait_moved(duo, None)
    first = you(duo)
    assert first.endswith(" thin")  # one answer: too little evidence
    choose(duo, "syria", "supports-uprising-against-assad")
    wait_moved(duo, first)
    assert not you(duo).endswith(" thin")
    status = duo.find_element("#match-map-status").text
    assert "over 2 answered topics" in status and "nearest to" in status
    rows = duo.driver.execute_script("return Array.from(document.querySelectorAll('#match-map-table tbody tr'))"
                                     ".map(function (r) { return r.textContent; });")
    assert rows[0].startswith("You") and len(rows) == len(own.orgs) + 1

    # the other evidence mode: its map, its words
    both = org_map(store, None, True)
    second = you(duo)
    click(duo, duo.driver.find_element(By.CSS_SELECTOR, "#match-mode input[value=all]"))
    duo.wait_for_element("#match-map-words-own[hidden]", timeout=10)
    assert duo.find_element("#match-map-words-all").get_attribute("hidden") is None
    until(lambda: sorted(p[0] for p in drawn(duo)) == sorted(both.orgs), timeout=10)
    assert you(duo) != second
    no_console_errors(duo)
