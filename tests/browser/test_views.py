"""Each view's main path in headless Chromium."""
from __future__ import annotations

import time

from selenium.webdriver.common.keys import Keys

from .conftest import no_console_errors


def wait_for_url(duo, fragment: str, timeout: float = 10) -> str:
    end = time.time() + timeout
    while time.time() < end:
        if fragment in duo.driver.current_url:
            return duo.driver.current_url
        time.sleep(0.1)
    raise AssertionError(f"{fragment!r} not in {duo.driver.current_url}")


def instant_scroll(duo) -> None:
    """Jumps within a page are smooth scrolls (Bootstrap's scroll-behavior), which a loaded
    headless browser may stall for seconds; a reader who asks for less motion gets an instant
    jump (site.css), and so does the test, which checks where the jump lands, not its animation."""
    duo.driver.execute_cdp_cmd("Emulation.setEmulatedMedia",
                               {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]})


def test_matrix_filters_by_tradition_and_url_round_trips(atlas):
    atlas.wait_for_element(".matrix-table", timeout=20)
    assert "Trotskyist (defence of the Soviet Union)".upper() in atlas.find_element(".matrix-table").text.upper()
    atlas.select_dcc_dropdown("#f-tradition", value='International Socialist ("Neither Washington nor Moscow")')
    atlas.wait_for_contains_text("#matrix-count", "from 3 organizations", timeout=10)
    table = atlas.find_element(".matrix-table").text
    assert "ISO" in table and "WSWS" not in table
    url = wait_for_url(atlas, "tradition=international-socialist")
    # reload: the same state comes back from the address
    atlas.driver.get(url)
    atlas.wait_for_element(".matrix-table", timeout=20)
    atlas.wait_for_contains_text("#matrix-count", "from 3 organizations", timeout=10)
    assert "WSWS" not in atlas.find_element(".matrix-table").text
    no_console_errors(atlas)


def test_matrix_cell_opens_evidence_with_keyboard(atlas):
    atlas.wait_for_element(".matrix-table", timeout=20)
    cell = atlas.find_element('button[id*="\\"org\\":\\"iso\\""][id*="\\"topic\\":\\"russia\\""]')
    cell.send_keys(Keys.ENTER)
    atlas.wait_for_element(".evidence-offcanvas .quote", timeout=10)
    panel = atlas.find_element(".evidence-offcanvas")
    assert "International Socialist Organization on Russia and Ukraine" in panel.text
    assert "own words" in panel.text and "critic" in panel.text
    wait_for_url(atlas, "stance=iso.russia")
    no_console_errors(atlas)


def test_compare_by_url_shows_quotes_then_reader_highlights(atlas):
    atlas.driver.get(atlas.server_url + "/compare?org=iso&org=psl&topic=ussr&topic=china")
    atlas.wait_for_element(".compare-row", timeout=20)
    rows = atlas.find_elements(".compare-row")
    assert len(rows) == 2
    body = atlas.find_element("#compare-body").text
    assert "Stalinist counterrevolution" in body and "Socialist state to be defended" in body
    assert "observer" in body and "own words" in body
    link = atlas.find_elements("#compare-body .read-link")[0]
    instant_scroll(atlas)
    link.click()
    atlas.wait_for_element(".reader-mark.is-target", timeout=20)
    assert "/sources/" in atlas.driver.current_url and "quote=" in atlas.driver.current_url
    mark = atlas.find_element(".reader-mark.is-target")
    assert mark.text.strip()
    # scrolled into view
    script = "var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top <= window.innerHeight;"
    end = time.time() + 10
    while not atlas.driver.execute_script(script, mark) and time.time() < end:
        time.sleep(0.2)
    assert atlas.driver.execute_script(script, mark), "the quote is scrolled into view"
    no_console_errors(atlas)


def test_compare_toggle_hides_agreeing_rows(atlas):
    atlas.driver.get(atlas.server_url + "/compare?org=anticapitalist-resistance&org=fourth-international")
    atlas.wait_for_element(".compare-row", timeout=20)
    before = len(atlas.find_elements(".compare-agree"))
    assert before >= 1
    atlas.find_element("#c-hide").click()
    atlas.wait_for_contains_text("#compare-body", "where they take the same position", timeout=10)
    assert len(atlas.find_elements(".compare-agree")) == 0
    wait_for_url(atlas, "hide=1")


def test_unknown_organization_shows_not_found(atlas):
    atlas.driver.get(atlas.server_url + "/organizations/nope")
    atlas.wait_for_contains_text(".not-found", "Not found", timeout=20)
    atlas.driver.get(atlas.server_url + "/compare?org=%3Cscript%3Ealert(1)%3C/script%3E")
    atlas.wait_for_element(".compare-prompt", timeout=20)
    assert "were not recognised" in atlas.find_element(".dropped-notice").text
    atlas.driver.get(atlas.server_url + "/no/such/page")
    atlas.wait_for_contains_text(".not-found", "Page not found", timeout=20)
    no_console_errors(atlas)


def test_topic_and_organization_pages(atlas):
    atlas.driver.get(atlas.server_url + "/topics/china")
    atlas.wait_for_element(".vocab-table", timeout=20)
    assert "What is the Chinese state" in atlas.find_element(".page-header").text
    assert "No evidence in the sources" in atlas.find_element(".topic-page").text
    atlas.driver.get(atlas.server_url + "/organizations/iso")
    atlas.wait_for_element(".facts-table", timeout=20)
    instant_scroll(atlas)
    assert "1977" in atlas.find_element(".facts-table").text
    page = atlas.find_element(".organization-page")
    assert "what other organizations and observers say" not in page.text.lower()  # loaded when opened
    summary = atlas.find_element(".org-side summary")
    atlas.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", summary)
    atlas.wait_for_element(".org-side .quote-ref-link", timeout=10)
    assert "what other organizations and observers say" in atlas.find_element(".org-side").text.lower()
    # each quote is drawn once: the second place links to it
    ref = atlas.find_element(".org-side .quote-ref-link")
    target = ref.get_attribute("href").split("#", 1)[1]
    atlas.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", ref)
    wait_for_url(atlas, "#" + target)
    in_view = "var r = document.getElementById(arguments[0]).getBoundingClientRect(); " \
              "return r.top >= -1 && r.top < window.innerHeight;"
    end = time.time() + 10
    while not atlas.driver.execute_script(in_view, target) and time.time() < end:
        time.sleep(0.1)
    assert atlas.driver.execute_script(in_view, target), atlas.driver.execute_script(
        "return [document.getElementById(arguments[0]).getBoundingClientRect().top, window.scrollY]", target)
    assert "/organizations/iso" in atlas.driver.current_url
    assert len(atlas.driver.find_elements("css selector", f"[id='{target}']")) == 1
    no_console_errors(atlas)


def test_phone_width_matrix_scrolls_with_sticky_names(atlas):
    atlas.driver.set_window_size(390, 844)
    atlas.driver.get(atlas.server_url + "/")
    atlas.wait_for_element(".matrix-table", timeout=20)
    scroller = atlas.find_element(".matrix-scroll")
    widths = atlas.driver.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth, "
                                         "document.documentElement.scrollWidth, window.innerWidth];", scroller)
    assert widths[0] > widths[1], widths          # the matrix scrolls inside its box
    assert widths[2] <= widths[3] + 1, widths     # the page itself does not
    atlas.driver.execute_script("arguments[0].scrollLeft = 400;", scroller)
    org_cell = atlas.find_element("tbody .org-col")
    left = atlas.driver.execute_script("return arguments[0].getBoundingClientRect().left - "
                                       "arguments[1].getBoundingClientRect().left;", org_cell, scroller)
    assert abs(left) < 3  # the organization names stay in place
    atlas.driver.set_window_size(1400, 1000)


def test_bootstrap_theme_is_served_locally(atlas):
    atlas.wait_for_element(".navbar", timeout=20)
    color = atlas.driver.execute_script(
        "return getComputedStyle(document.querySelector('.navbar')).backgroundColor;")
    assert color in ("rgb(33, 37, 41)", "rgba(33, 37, 41, 1)"), color
    links = atlas.driver.execute_script(
        "return Array.from(document.querySelectorAll('link[rel=stylesheet]')).map(l => l.href);")
    assert all(link.startswith(atlas.server_url) for link in links), links


def test_copy_link_copies_the_address_with_its_state(atlas):
    atlas.driver.get(atlas.server_url + "/compare?org=iso&org=psl")
    atlas.wait_for_element(".compare-row", timeout=20)
    atlas.find_element("#copy-link").send_keys(Keys.ENTER)
    atlas.wait_for_contains_text("#copy-status", "/compare?org=iso&org=psl", timeout=10)
    no_console_errors(atlas)
