"""Accessibility (WCAG 2.2 AA): axe-core on every registered page and its main states, at
desktop and phone widths, in one browser session; reflow at 320 px; keyboard-only walks."""
from __future__ import annotations

import os
from dataclasses import dataclass

import dash
import pytest

from dashboard.data.analysis import critiques

from .axe import describe, dump, run_axe, tally
from .conftest import navigate, quiet, wait_until


@dataclass(frozen=True)
class View:
    name: str
    path: str
    page: str          # the module name in dash.page_registry this address shows
    ready: str         # a selector present once the view is drawn
    then: str = ""     # a script run once it is drawn (opening disclosures, to check what they hold)


MATCH_ANSWERS = ("ussr=stalinist-counterrevolution&syria=supports-uprising-against-assad"
                 "&russia=russia-also-imperialist&elections=independent-of-capitalist-parties"
                 "&camps=against-campism")  # the Toronto New Socialists' camps stance: an editors' reading


def views(store) -> list[View]:
    """Every page and its main states. A page registered without a view here fails the test."""
    quote = next(e for e in store.evidence if e.organization == "iso" and e.attribution == "self")
    edge = next(f"{c.critic}.{c.target}" for c in critiques(store, []))
    four = "&".join(f"org={o}" for o in ("iso", "psl", "wsws", "socialist-alternative"))
    return [
        View("matrix", "/", "dashboard.pages.matrix", ".matrix-table"),
        View("matrix filtered", "/?tradition=international-socialist&topic=ussr&topic=china&attr=self&q=state",
             "dashboard.pages.matrix", ".matrix-table"),
        View("matrix cell open", f"/?stance={quote.organization}.{quote.topic}", "dashboard.pages.matrix",
             ".evidence-offcanvas.show .quote"),
        View("compare empty", "/compare", "dashboard.pages.compare", ".compare-prompt"),
        View("compare four", f"/compare?{four}", "dashboard.pages.compare", ".compare-row"),
        View("topics", "/topics", "dashboard.pages.topics_index", ".topic-index"),
        View("topic", "/topics/china", "dashboard.pages.topic", ".vocab-table"),
        View("topic not found", "/topics/nope", "dashboard.pages.topic", ".not-found"),
        View("organizations", "/organizations", "dashboard.pages.organizations_index", "table"),
        View("organization", "/organizations/iso", "dashboard.pages.organization", ".facts-table"),
        View("organization not found", "/organizations/nope", "dashboard.pages.organization", ".not-found"),
        View("sources", "/sources", "dashboard.pages.sources_index", ".page-header"),
        View("reader at a quote", f"/sources/{quote.source}?quote={quote.quote_id}", "dashboard.pages.source",
             ".reader-mark.is-target"),
        View("source not found", "/sources/nope", "dashboard.pages.source", ".not-found"),
        View("match, no answer yet", "/match", "dashboard.pages.match", "#match-results .match-empty"),
        View("about", "/about", "dashboard.pages.about", ".about-page"),
        View("match answered, every explanation open", f"/match#mode=all&{MATCH_ANSWERS}&more=ussr",
             "dashboard.pages.match", ".match-ranking > li",
             then="document.querySelectorAll('.match-why > summary').forEach(function (s) { s.click(); });"
                  "document.querySelectorAll('.match-how, .match-why .reading-note')"
                  ".forEach(function (d) { d.open = true; });"),
        View("agreement", "/agreement?org=iso", "dashboard.pages.agreement", ".agreement-graph .point"),
        View("agreement all words", "/agreement?org=psl&mode=all", "dashboard.pages.agreement",
             ".agreement-graph .point"),
        View("match map with the reader's point, its words and table open", f"/match#{MATCH_ANSWERS}",
             "dashboard.pages.match", ".org-map .org-map-you",
             then="document.querySelectorAll('.match-map details').forEach(function (d) { d.open = true; });"),
        View("agreement map, its table open", "/agreement?mode=all", "dashboard.pages.agreement", ".org-map .point",
             then="document.querySelectorAll('.agreement-map details').forEach(function (d) { d.open = true; });"),
        View("debates", "/debates", "dashboard.pages.debates", "#debates-graph canvas"),
        View("debates edge", f"/debates?edge={edge}", "dashboard.pages.debates", "#debates-panel .quote"),
        View("coverage", "/coverage", "dashboard.pages.coverage", ".coverage-table"),
        View("timeline", "/timeline", "dashboard.pages.timeline", "#timeline-graph .point"),
        View("lineage", "/lineage", "dashboard.pages.lineage", ".lineage-tree"),
        View("matrix cell open on an editors' reading", "/?stance=toronto-new-socialists.camps",
             "dashboard.pages.matrix", ".evidence-offcanvas.show .reading-note"),
        View("organization with readings and corrections", "/organizations/toronto-new-socialists",
             "dashboard.pages.organization", ".reading-note"),
        View("corrections", "/corrections", "dashboard.pages.corrections", ".corrections-list .correction"),
        View("corrections of one organization", "/corrections?org=iso", "dashboard.pages.corrections",
             ".corrections-list .correction"),
        View("corrections none for an organization", "/corrections?org=socialist-alternative",
             "dashboard.pages.corrections", ".no-corrections"),
        View("replies and corrections", "/reply", "dashboard.pages.reply", ".reply-page"),
        View("page not found", "/no/such/page", "dashboard.pages.not_found_404", ".not-found"),
    ]


def settle(duo, ready: str) -> None:
    """Wait for the view, its callbacks and any animation (offcanvas slide, fades) to finish."""
    duo.wait_for_element(ready, timeout=20)
    quiet(duo)


def visit(duo, view: View) -> None:
    """Open the view as a link in the app does (the page router draws it; no reload of the
    app's scripts), which keeps many views in one session fast."""
    navigate(duo, view.path, view.ready)


def set_width(duo, width: int, height: int = 900) -> None:
    """A viewport of exactly `width` CSS px (a window cannot be made that narrow)."""
    duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})


PAGE_SCROLLS = """
var doc = document.documentElement;
var wide = [];
if (doc.scrollWidth > window.innerWidth + 1) {
  document.querySelectorAll('body *').forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 && !el.closest('.matrix-scroll, .table-responsive, .visually-hidden, .visually-hidden-focusable')) {
      wide.push((el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className) + ' ' + Math.round(r.right));
    }
  });
}
return [doc.scrollWidth, window.innerWidth, wide.slice(0, 8)];
"""


def reduce_motion(duo) -> None:
    duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})


def sideways(duo, where: str) -> list[str]:
    scroll, inner, wide = duo.driver.execute_script(PAGE_SCROLLS)
    return [f"{where}: the page scrolls sideways ({scroll} > {inner} px): {wide}"] if scroll > inner + 1 else []


def test_every_page_passes_axe_at_desktop_and_phone_widths(atlas, store):
    all_views = views(store)
    registered = set(dash.page_registry)
    covered = {v.page for v in all_views}
    assert registered <= covered, f"pages with no accessibility check: {sorted(registered - covered)}"
    settle(atlas, ".matrix-table")
    # motion: transitions and animations stop when the reader asks for less motion
    moving = "return getComputedStyle(document.querySelector('.nav-link')).transitionDuration;"
    assert atlas.driver.execute_script(moving) != "0s"
    reduce_motion(atlas)
    assert max(float(d.rstrip("s")) for d in atlas.driver.execute_script(moving).split(",")) < 0.001
    results, failures = {}, []
    for view in all_views:
        set_width(atlas, 1400)
        visit(atlas, view)
        if view.then:
            atlas.driver.execute_script(view.then)
            quiet(atlas)
        for width, label in ((1400, "desktop"), (320, "phone")):
            if width != 1400:  # the same page, narrowed: layout changes, state stays
                set_width(atlas, width)
                quiet(atlas)
            where = f"{view.name} ({view.path}) at {label} width"
            found = run_axe(atlas.driver)
            results[where] = found
            if found:
                failures.append(describe(where, found))
            if width == 320:
                failures += sideways(atlas, where)
    set_width(atlas, 1400)
    if os.environ.get("A11Y_REPORT"):
        dump(os.environ["A11Y_REPORT"], results)
    assert not failures, f"axe-core violations by rule (nodes): {tally(results)}\n" + "\n".join(failures)


FOCUS = """
var el = document.activeElement;
if (!el || el === document.body) { return {tag: "body"}; }
var s = getComputedStyle(el), r = el.getBoundingClientRect();
var ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== "none");
return {tag: el.tagName.toLowerCase(), id: el.id, cls: String(el.className), text: (el.innerText || "").slice(0, 60),
        href: el.getAttribute("href") || "", ring: ring, inViewport: r.bottom > 0 && r.top < window.innerHeight
        && r.right > 0 && r.left < window.innerWidth && r.width > 0 && r.height > 0,
        inDialog: !!el.closest(".offcanvas")};
"""


def focused(duo) -> dict:
    return duo.driver.execute_script(FOCUS)


def press(duo, key, times: int = 1) -> dict:
    from selenium.webdriver.common.action_chains import ActionChains

    for _ in range(times):
        ActionChains(duo.driver).send_keys(key).perform()
    return focused(duo)


def assert_visible_focus(where: str, f: dict) -> None:
    assert f["tag"] != "body", f"{where}: focus was lost"
    assert f["ring"], f"{where}: no visible focus indicator on {f}"
    assert f["inViewport"], f"{where}: the focused element is off screen: {f}"


def tab_to(duo, where: str, want, limit: int = 80) -> dict:
    """Tab forward until `want(focus)` holds, checking a visible focus at every stop."""
    from selenium.webdriver.common.keys import Keys

    for i in range(limit):
        f = press(duo, Keys.TAB)
        assert_visible_focus(f"{where}, tab {i + 1}", f)
        if want(f):
            return f
    raise AssertionError(f"{where}: not reached in {limit} tabs; last focus {f}")


def assert_focus_on_cell(duo, where: str, cell: dict) -> None:
    """Focus returns to the very cell button the panel was opened from (after the panel's
    slide out and Bootstrap's own focus hand-back), with a visible ring."""
    wait_until(lambda: focused(duo).get("id") == cell["id"], 10, f"{where}: focus never came back to the cell")
    quiet(duo)  # and it stays there once the panel has finished closing
    f = focused(duo)
    assert f.get("id") == cell["id"], f"{where}: focus is not back on the cell {cell['id']}: {f}"
    assert '"org":"iso"' in f["id"] and '"topic":"ussr"' in f["id"], f
    assert f["tag"] == "button", f
    assert_visible_focus(where, f)


def test_keyboard_alone_matrix_to_evidence_to_source_and_back(atlas):
    from selenium.webdriver.common.keys import Keys

    settle(atlas, ".matrix-table")
    # the first stop is the skip link, shown when focused; it moves focus to the main content
    f = press(atlas, Keys.TAB)
    assert "skip-link" in f["cls"], f
    assert_visible_focus("skip link", f)
    press(atlas, Keys.ENTER)
    assert atlas.driver.execute_script("return document.activeElement.id") == "main"
    # through the filters to the first cell: ISO on the USSR
    cell = tab_to(atlas, "matrix", lambda f: '"org":"iso"' in f["id"] and '"topic":"ussr"' in f["id"])
    press(atlas, Keys.ENTER)
    atlas.wait_for_element(".evidence-offcanvas.show .quote", timeout=15)
    quiet(atlas)
    f = focused(atlas)
    assert f["inDialog"], f"focus moves into the evidence panel: {f}"
    # Escape closes the panel and focus returns to the cell that opened it, visibly
    press(atlas, Keys.ESCAPE)
    assert_focus_on_cell(atlas, "after Escape", cell)
    press(atlas, Keys.ENTER)
    atlas.wait_for_element(".evidence-offcanvas.show .quote", timeout=15)
    quiet(atlas)
    assert focused(atlas)["inDialog"], "focus moves into the evidence panel when reopened"
    # within the panel to a quote's source
    link = tab_to(atlas, "evidence panel", lambda f: f["inDialog"] and "read-link" in f["cls"], limit=40)
    press(atlas, Keys.ENTER)
    atlas.wait_for_element(".reader-mark.is-target", timeout=20)
    wait_until(lambda: "reader-mark-link" in focused(atlas).get("cls", ""), 10, "focus never reached the quote")
    f = focused(atlas)
    assert "reader-mark-link" in f["cls"], f"focus lands on the quote in its source: {f}"
    assert_visible_focus("quote in the source", f)
    assert link["href"].split("quote=")[1] in atlas.driver.current_url
    # back (the browser's Back, Alt+Left): the matrix with the panel open and focus in it;
    # Escape closes it, focus stays visible on the page and the address forgets the cell
    atlas.driver.back()
    atlas.wait_for_element(".evidence-offcanvas.show .quote", timeout=20)
    quiet(atlas)
    press(atlas, Keys.ESCAPE)
    assert_focus_on_cell(atlas, "back on the matrix, after Escape", cell)
    wait_until(lambda: "stance=" not in atlas.driver.current_url, 10, "the address still names the cell")


def test_keyboard_alone_answers_the_match_and_reads_why(atlas):
    """/match by keyboard: to the first question, an answer by arrow key, its weight by Space,
    then to the result's explanation and the quote's link, a visible focus at every stop."""
    from selenium.webdriver.common.keys import Keys

    reduce_motion(atlas)  # focus scrolls the page at once, not smoothly (site.css)
    atlas.driver.get(atlas.server_url + "/match")
    settle(atlas, "#match-results .match-empty")
    ussr = tab_to(atlas, "match", lambda f: f["tag"] == "input" and "match-answer" in f["id"] and "ussr" in f["id"])
    press(atlas, Keys.ARROW_DOWN)  # from "No opinion" to the first answer
    atlas.wait_for_element(".match-ranking > li, .match-apart > li", timeout=10)
    assert atlas.driver.execute_script(
        "return document.querySelector('.match-q[data-topic=ussr] input:checked').value;") != ""
    f = tab_to(atlas, "match weight", lambda f: f["tag"] == "input" and "match-weight" in f["id"], limit=3)
    press(atlas, Keys.SPACE)
    atlas.wait_for_contains_text("#match-status", "1 answer", timeout=10)
    assert "more=ussr" in atlas.driver.current_url
    # one more answer ranks organizations; then on to the first one's explanation
    elections = atlas.driver.find_element("css selector", '.match-q[data-topic="elections"] input[value=""]')
    atlas.driver.execute_script("arguments[0].focus();", elections)
    press(atlas, Keys.ARROW_DOWN)
    atlas.wait_for_element(".match-ranking > li", timeout=10)
    why = tab_to(atlas, "match results", lambda f: f["tag"] == "summary" and "Why" in f["text"])
    press(atlas, Keys.ENTER)  # the explanation is there for the very next Tab
    link = tab_to(atlas, "match explanation", lambda f: "read-link" in f["cls"], limit=12)
    assert "/sources/" in link["href"] and "quote=" in link["href"], (ussr, why, link)
    # the results drawn anew while the reader is inside them (the address changed: a pasted
    # link, Back): the explanation stays open and the focus stays on the same link
    org = atlas.driver.execute_script("return document.activeElement.closest('[data-org]').dataset.org;")
    atlas.driver.execute_script(  # a third answer, on the first other topic that offers one
        "var i = Array.from(document.querySelectorAll('.match-q input[type=radio]:not([value=\"\"])'))"
        ".filter(function (i) { var t = i.closest('.match-q').dataset.topic; return t !== 'ussr' && t !== 'elections'; })[0];"
        "window.location.hash = window.location.hash + '&' + i.closest('.match-q').dataset.topic + '=' + i.value;")
    atlas.wait_for_contains_text("#match-status", "3 answers", timeout=10)
    quiet(atlas)
    f = focused(atlas)
    assert_visible_focus("match explanation, drawn anew", f)
    assert f["href"] == link["href"] and "read-link" in f["cls"], (link, f)
    assert atlas.driver.execute_script(
        "var a = document.activeElement; return a.closest('[data-org]').dataset.org === arguments[0]"
        " && a.closest('.match-why').open && a.closest('.match-why').dataset.drawn === '1';", org)


RESIZED = [
    ("matrix", "/", ".matrix-table"),
    ("compare two", "/compare?org=iso&org=psl", ".compare-row"),
    ("topic", "/topics/china", ".vocab-table"),
    ("organization", "/organizations/iso", ".facts-table"),
    ("agreement", "/agreement?org=iso", ".agreement-graph .point"),
    ("coverage", "/coverage", ".coverage-table"),
    ("timeline", "/timeline", "#timeline-graph .point"),
    ("about", "/about", ".about-page"),
    ("match", "/match#ussr=stalinist-counterrevolution&elections=independent-of-capitalist-parties",
     ".match-ranking > li"),
    ("corrections", "/corrections", ".corrections-list .correction"),
]

def test_text_resized_to_200_percent_without_loss(atlas):
    """WCAG 1.4.4: with the text at 200 % (the root font size doubled) at a 1280 px wide
    window, no page scrolls sideways: no text runs beyond the window, except inside the tables
    that scroll on their own (.matrix-scroll, .table-responsive)."""
    failures = []
    set_width(atlas, 1280)
    try:
        for name, path, ready in RESIZED:
            visit(atlas, View(name, path, "", ready))
            atlas.driver.execute_script("document.documentElement.style.fontSize = '200%';")
            quiet(atlas)
            where = f"{name} ({path}) at 200 % text"
            failures += sideways(atlas, where)
            atlas.driver.execute_script("document.documentElement.style.fontSize = '';")
    finally:
        atlas.driver.execute_script("document.documentElement.style.fontSize = '';")
        set_width(atlas, 1400)
    assert not failures, "\n".join(failures)


CHART_META = """
var graph = document.querySelector(arguments[0]);
var points = graph.querySelectorAll('.scatterlayer .trace .points .point').length;
var labels = Array.from(graph.querySelectorAll('.scatterlayer .trace .text text')).map(function (t) { return t.textContent; });
var legend = Array.from(graph.querySelectorAll('.legend .legendtext')).map(function (t) { return t.textContent; });
return [points, labels, legend];
"""

# every chart and the table or list that says the same, one control (or none) away
CHARTS = [
    ("/timeline", "#timeline-graph .point", "#timeline-graph", "details.chart-table #timeline-table table"),
    ("/agreement?org=iso", ".agreement-graph .point", "#agreement-graph", "details.chart-table #agreement-table table"),
    ("/agreement", ".org-map .point", "#agreement-map", "details.chart-table #agreement-map-table table"),
    ("/match#ussr=stalinist-counterrevolution", ".org-map .org-map-you", "#match-map-box",
     "details.chart-table #match-map-table table"),
    ("/debates", "#debates-graph canvas", "#debates-graph", "#debates-table table"),
    ("/coverage", ".coverage-table", ".coverage-table", ".coverage-table"),
]


def test_charts_mean_the_same_without_colour_and_have_a_table_at_hand(atlas):
    """WCAG 1.4.1: the timeline names each point's topic by a number (its legend entry's),
    not by colour alone; every chart has its table next to it, behind at most one control
    (a <details> right after the chart)."""
    settle(atlas, ".matrix-table")
    visit(atlas, View("timeline", "/timeline", "", "#timeline-graph .point"))
    points, labels, legend = atlas.driver.execute_script(CHART_META, "#timeline-graph")
    assert points and len(labels) == points, f"each of the {points} points has a text label: {len(labels)}"
    numbers = {entry.split(" ", 1)[0] for entry in legend}
    assert set(labels) <= numbers, f"every point's number is a legend entry's: {set(labels) - numbers}"
    topic_names = [entry.split(" ", 1)[1] for entry in legend]
    assert all(n for n in topic_names), legend
    for path, ready, chart, table in CHARTS:
        visit(atlas, View(path, path, "", ready))
        found = atlas.driver.execute_script("""
            var chart = document.querySelector(arguments[0]), table = document.querySelector(arguments[1]);
            if (!chart || !table) { return null; }
            var details = table.closest('details');
            return {rows: table.querySelectorAll('tbody tr').length,
                    controls: details ? 1 : 0,
                    summary: details ? details.querySelector('summary').textContent : ''};
        """, chart, table)
        assert found and found["rows"] > 0, f"{path}: no table of the chart ({table}): {found}"
        assert found["controls"] <= 1, found
