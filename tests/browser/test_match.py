"""`/match` in the browser (issue 14): answers as someone close to the ISO would give them rank
the ISO first, with its quotes; the evidence mode changes the ranking; the address restores
the answers in a fresh browser; no request carries an answer; the browser's score equals the
Python reference (dashboard/data/fit.py) on many random answer sets; a phone shows one topic at
a time; "Start again" clears."""
from __future__ import annotations

import json
import random
import threading

import pytest
from flask import request
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from dashboard.config import load_config
from dashboard.data.fit import answer_options, match
from dashboard.pages.match import browser_data

from ..conftest import pytest_setup_options
from .conftest import free_port

ISO = {"ussr": "stalinist-counterrevolution", "syria": "supports-uprising-against-assad",
       "russia": "russia-also-imperialist", "elections": "independent-of-capitalist-parties",
       "internationalism": "internationalism-as-solidarity", "china": "no-loyalty-market-reforms"}

# Network.* and fetch/XHR bodies, as the page sends them: recorded before any page script runs
RECORD = """
window.__sent = [];
(function () {
  var f = window.fetch;
  window.fetch = function (input, init) {
    window.__sent.push(String(input && input.url || input) + " " + String(init && init.body || ""));
    return f.apply(this, arguments);
  };
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (m, u) { this.__u = u; return open.apply(this, arguments); };
  XMLHttpRequest.prototype.send = function (b) { window.__sent.push(String(this.__u) + " " + String(b || "")); return send.apply(this, arguments); };
})();
"""


@pytest.fixture
def matcher(dash_duo):
    """The app on the bundled data, with every request the server receives recorded."""
    app = create_app(load_config())
    seen: list[str] = []
    lock = threading.Lock()

    @app.server.before_request
    def record():  # type: ignore[no-untyped-def]
        with lock:
            seen.append(request.full_path + " " + request.get_data(as_text=True) + " "
                        + request.headers.get("Referer", ""))

    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD})
    dash_duo.start_server(app, port=free_port())
    dash_duo.seen = seen
    return dash_duo


def click(duo, element) -> None:
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
    element.click()


def choose(duo, topic: str, value: str) -> None:
    click(duo, duo.driver.find_element(By.CSS_SELECTOR, f'.match-q[data-topic="{topic}"] input[value="{value}"]'))


def ranking(duo) -> list[str]:
    return [li.get_attribute("data-org") for li in duo.driver.find_elements(By.CSS_SELECTOR, ".match-ranking > li")]


def wait_first(duo, org: str) -> None:
    duo.wait_for_element(f'.match-ranking > li[data-org="{org}"]:first-child', timeout=10)


def open_match(duo, fragment: str = "") -> None:
    duo.driver.get(duo.server_url + "/match" + fragment)
    duo.wait_for_element(".match-q", timeout=20)
    duo.driver.execute_script("window.__matchLoaded = true;")


def test_iso_answers_rank_iso_first_explained_and_the_link_restores_them_and_no_request_carries_them(matcher,
                                                                                                     store):
    duo = matcher
    open_match(duo)
    duo.wait_for_text_to_equal("#match-results .match-empty",
                               "Choose an answer to any question to see the organizations ranked.", timeout=10)
    assert "Match" in duo.find_element("nav").text
    for topic, value in ISO.items():
        choose(duo, topic, value)
    wait_first(duo, "iso")
    first = duo.find_element(".match-ranking > li:first-child")
    assert first.find_element(By.CSS_SELECTOR, ".match-score").text == "100%"
    assert "over 4 of your 6 answers" in first.text  # its China and Syria stances rest on others' words only
    # why: topic by topic, with its own words and a link to read them in the source
    click(duo, first.find_element(By.CSS_SELECTOR, ".match-why > summary"))
    table = first.find_element(By.CSS_SELECTOR, ".match-why-table")
    assert "other organizations' or observers' words only" in table.text
    assert table.find_elements(By.CSS_SELECTOR, ".attr-badge.attr-self")
    read = table.find_element(By.CSS_SELECTOR, "a.read-link").get_attribute("href")
    assert "/sources/" in read and "quote=" in read
    # the quotes' texts come from the one file for every visitor (pages/match.py quotes_file)
    duo.wait_for_element(".match-result[data-org=iso] .match-why-table blockquote.match-quote", timeout=10)
    assert not first.find_elements(By.CSS_SELECTOR, ".match-quote-pending")
    compare = first.find_element(By.PARTIAL_LINK_TEXT, "Compare").get_attribute("href")
    assert "/compare?org=iso&org=" in compare
    # every organization with evidence is listed: ranked or apart
    ranked, apart = match(store, ISO)
    assert ranking(duo) == [r.organization for r in ranked]
    shown_apart = [li.get_attribute("data-org") for li in duo.driver.find_elements(By.CSS_SELECTOR, ".match-apart > li")]
    assert shown_apart == [r.organization for r in apart]

    # the evidence mode: other organizations' and observers' words change the ranking
    own = ranking(duo)
    click(duo, duo.driver.find_element(By.CSS_SELECTOR, '#match-mode input[value="all"]'))
    duo.wait_for_contains_text(".match-mode-note", "other organizations' and observers'", timeout=10)
    everyone, _ = match(store, ISO, include_others=True)
    assert ranking(duo) == [r.organization for r in everyone] != own
    assert "mode=all" in duo.driver.current_url

    # an explanation opened stays open as the results are drawn anew (the mode changed)
    assert duo.driver.execute_script(
        "return document.querySelector('.match-result[data-org=iso] .match-why').open;")
    # "Copy link" gives the address with the answers; a fresh browser at it shows the same result
    # (which explanations are open is not in the address)
    duo.driver.execute_script("document.querySelectorAll('.match-why[open]').forEach(function (d) { d.open = false; });")
    shown = duo.find_element("#match-results").text
    click(duo, duo.find_element("#match-copy"))
    duo.wait_for_contains_text("#match-status", "/match#", timeout=10)
    url = duo.find_element("#match-status").text.split(": ", 1)[1].strip()
    assert url == duo.driver.current_url
    fresh = webdriver.Chrome(options=pytest_setup_options())
    try:
        fresh.get(url)
        WebDriverWait(fresh, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".match-ranking > li"))
        WebDriverWait(fresh, 10).until(lambda d: "other organizations' and observers'" in d.find_element(By.ID, "match-results").text)
        assert fresh.find_element(By.ID, "match-results").text == shown
        checked = {t: fresh.find_element(By.CSS_SELECTOR, f'.match-q[data-topic="{t}"] input:checked')
                   .get_attribute("value") for t in ISO}
        assert checked == ISO
    finally:
        fresh.quit()
    # and a reload of this one (its requests recorded from the start of the page)
    duo.driver.get(url)
    duo.wait_for_element(".match-ranking > li", timeout=20)
    duo.wait_for_contains_text(".match-mode-note", "other organizations' and observers'", timeout=10)
    assert duo.find_element("#match-results").text == shown

    # no request, as the server received it or as the page sent it, carried an answer
    sent = duo.driver.execute_script("return window.__sent;")
    resources = duo.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name);")
    assert any("_dash-update-component" in s for s in duo.seen)  # the recorder saw the page's requests
    assert any(s.startswith("/match/quotes.json?v=") for s in duo.seen)  # and the quotes' file
    for value in ISO.values():
        for where, items in (("server", duo.seen), ("fetch/xhr", sent), ("resources", resources)):
            assert not [s for s in items if value in s], (where, value)
    assert not [s for s in duo.seen if "#" in s.split(" ")[0]]


def test_an_explanation_says_when_its_quotes_could_not_be_loaded_and_links_to_them(atlas):
    duo = atlas
    duo.driver.execute_cdp_cmd("Network.enable", {})
    duo.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/match/quotes.json*"]})
    try:
        open_match(duo, "#ussr=stalinist-counterrevolution&elections=independent-of-capitalist-parties")
        wait_first(duo, "iso")
        first = duo.find_element(".match-ranking > li:first-child")
        click(duo, first.find_element(By.CSS_SELECTOR, ".match-why > summary"))
        duo.wait_for_contains_text(".match-result[data-org=iso] .match-quote-failed", "could not be loaded", timeout=10)
        assert not first.find_elements(By.CSS_SELECTOR, "blockquote.match-quote")
        assert "quote=" in first.find_element(By.CSS_SELECTOR, "a.read-link").get_attribute("href")
        # the file reachable again: the next explanation opened loads it, and fills this one too
        duo.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        second = duo.find_element(".match-ranking > li:nth-child(2)")
        click(duo, second.find_element(By.CSS_SELECTOR, ".match-why > summary"))
        duo.wait_for_element(".match-result[data-org=iso] blockquote.match-quote", timeout=10)
        assert not duo.driver.find_elements(By.CSS_SELECTOR, ".match-quote-pending")
    finally:
        duo.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})


def test_start_again_clears_and_a_bad_fragment_is_named(atlas):
    duo = atlas
    open_match(duo, "#ussr=stalinist-counterrevolution&syria=nonsense&elections=independent-of-capitalist-parties"
                    "&more=ussr")
    wait_first(duo, "iso")
    duo.wait_for_contains_text("#match-status", "syria=nonsense", timeout=10)
    assert duo.driver.find_element(By.CSS_SELECTOR, '.match-q[data-topic="ussr"] .match-weight input').is_selected()
    assert "more=ussr" in duo.driver.current_url and "nonsense" not in duo.driver.current_url
    click(duo, duo.find_element("#match-reset"))
    duo.wait_for_element("#match-results .match-empty", timeout=10)
    assert not duo.driver.find_elements(By.CSS_SELECTOR, ".match-q input:checked:not([value=''])")
    assert not duo.driver.find_element(By.CSS_SELECTOR, '.match-q[data-topic="ussr"] .match-weight input').is_selected()
    assert duo.driver.execute_script("return window.location.hash;") == ""
    # another fragment given on this page (a pasted link) is read again
    duo.driver.execute_script("window.location.hash = '#elections=independent-of-capitalist-parties';")
    duo.wait_for_contains_text("#match-status", "1 answer", timeout=10)
    assert duo.driver.find_element(
        By.CSS_SELECTOR, '.match-q[data-topic="elections"] input:checked').get_attribute("value") != ""


def test_an_editors_reading_is_marked_with_its_reasoning_in_the_explanation(atlas, store):
    duo = atlas
    open_match(duo, "#camps=against-campism&elections=independent-of-capitalist-parties")
    item = '.match-ranking > li[data-org="toronto-new-socialists"]'
    duo.wait_for_element(item, timeout=10)
    tns = duo.find_element(item)
    click(duo, tns.find_element(By.CSS_SELECTOR, ".match-why > summary"))
    mark = tns.find_element(By.CSS_SELECTOR, ".match-why-table .reading-mark")
    assert "editors' reading" in mark.text
    click(duo, tns.find_element(By.CSS_SELECTOR, ".reading-note > summary"))
    reading = store.stances[("toronto-new-socialists", "camps")].reading
    assert tns.find_element(By.CSS_SELECTOR, ".reading-note .reading-text").text.endswith(reading.strip()[-40:])


def test_an_explanation_link_opens_the_organization_and_back_restores_the_match(atlas):
    duo = atlas
    open_match(duo, "#ussr=stalinist-counterrevolution&russia=russia-also-imperialist&more=russia")
    wait_first(duo, "iso")
    first = duo.find_element(".match-ranking > li:first-child")
    click(duo, first.find_element(By.CSS_SELECTOR, ".match-why > summary"))
    click(duo, first.find_element(By.PARTIAL_LINK_TEXT, "'s page"))
    duo.wait_for_element(".facts-table", timeout=20)
    assert duo.driver.current_url.endswith("/organizations/iso")
    assert duo.driver.execute_script("return !!window.__matchLoaded;")  # no reload: the same page session
    duo.driver.back()
    wait_first(duo, "iso")
    assert "more=russia" in duo.driver.current_url
    assert duo.driver.find_element(By.CSS_SELECTOR, '.match-q[data-topic="russia"] .match-weight input').is_selected()


def random_answer_sets(store, seed: int, share: float) -> list[dict]:
    """200 answer sets as the page holds them: about `share` of the topics answered, each
    weighed 1 or 2, now and then an answer that is no position, and either evidence mode."""
    rng = random.Random(seed)
    cases = []
    for _ in range(200):
        answers, weights = {}, {}
        for t in store.topics:
            options = [p.id for p in answer_options(store, t)]
            if options and rng.random() < share:
                answers[t] = rng.choice(options)
                weights[t] = rng.choice((1, 2))
        if rng.random() < 0.1:
            answers["ussr"] = "not-an-answer"
        cases.append({"answers": answers, "weights": weights, "all": rng.random() < 0.5})
    return cases


def test_the_browser_scores_as_the_python_reference_on_random_answer_sets(atlas, store):
    duo = atlas
    open_match(duo)
    data = browser_data(store)
    cases = random_answer_sets(store, 14, 0.6)
    got = duo.driver.execute_script("""
        var data = arguments[0], cases = arguments[1];
        return cases.map(function (c) {
          var r = window.tendencyMatch.score(data, c.answers, c.weights, c.all);
          function row(x) { return [x.org.id, x.score, x.shared]; }
          return {ranked: r.ranked.map(row), apart: r.apart.map(row)};
        });""", json.loads(json.dumps(data)), cases)
    assert len(got) == 200
    for case, js in zip(cases, got):
        ranked, apart = match(store, case["answers"], case["weights"], case["all"])
        assert js["ranked"] == [[r.organization, r.score, r.shared] for r in ranked], case
        assert js["apart"] == [[r.organization, r.score, r.shared] for r in apart], case


def test_a_phone_shows_one_topic_at_a_time_with_progress_and_the_keyboard_answers(atlas):
    duo = atlas
    duo.driver.set_window_size(390, 844)
    open_match(duo)
    duo.wait_for_text_to_equal("#match-progress", f"Topic 1 of {len(duo.driver.find_elements(By.CSS_SELECTOR, '.match-q'))}"
                               " \u00b7 0 answered", timeout=10)
    shown = [q for q in duo.driver.find_elements(By.CSS_SELECTOR, ".match-q") if q.is_displayed()]
    assert [q.get_attribute("data-topic") for q in shown] == ["ussr"]
    # keyboard: the first topic's "No opinion" radio, arrow down to the first answer
    radio = duo.driver.find_element(By.CSS_SELECTOR, '.match-q[data-topic="ussr"] input[value=""]')
    radio.send_keys(Keys.SPACE)
    radio.send_keys(Keys.ARROW_DOWN)
    duo.wait_for_contains_text("#match-progress", "1 answered", timeout=10)
    click(duo, duo.find_element("#match-next"))
    duo.wait_for_contains_text("#match-progress", "Topic 2 of", timeout=10)
    shown = [q.get_attribute("data-topic") for q in duo.driver.find_elements(By.CSS_SELECTOR, ".match-q")
             if q.is_displayed()]
    assert shown == ["china"]
    active = duo.driver.execute_script("return document.activeElement.closest('.match-q').dataset.topic;")
    assert active == "china"
    assert duo.find_element("#match-results .match-none, #match-results .match-ranking, #match-results .match-apart")
    width = duo.driver.execute_script("return document.documentElement.scrollWidth;")
    assert width <= 390
    # "Results" and the skip link move focus without replacing the answers in the address
    hash_before = duo.driver.execute_script("return window.location.hash;")
    assert "ussr=" in hash_before
    click(duo, duo.find_element("#match-to-results"))
    assert duo.driver.execute_script("return document.activeElement.id;") == "match-results"
    skip = duo.find_element(".skip-link")
    duo.driver.execute_script("arguments[0].focus();", skip)
    skip.send_keys(Keys.ENTER)
    assert duo.driver.execute_script("return document.activeElement.id;") == "main"
    assert duo.driver.execute_script("return window.location.hash;") == hash_before
    duo.wait_for_contains_text("#match-progress", "1 answered", timeout=5)
