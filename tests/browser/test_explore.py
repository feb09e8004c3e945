"""The analysis views: agreement, debates, coverage, timeline, lineage."""
from __future__ import annotations


from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from .conftest import no_console_errors, quiet
from .test_views import wait_for_url


def test_agreement_ranks_closest_and_opens_comparison(atlas):
    atlas.driver.get(atlas.server_url + "/agreement?org=iso")
    atlas.wait_for_element(".ranking-table", timeout=20)
    rows = [r.text for r in atlas.find_elements(".ranking-table tbody tr")]
    # the pamphlet shares the most topics with the ISO in their own words (8) and ranks near the
    # top; a one-topic full agreement (the Combahee River Collective, on oppression) can rank above it
    tns = next(i for i, r in enumerate(rows) if "Toronto New Socialists" in r)
    assert tns <= 1 and "8" in rows[tns]  # shared topics shown
    atlas.wait_for_element(".agreement-graph .point", timeout=20)
    point = atlas.find_elements(".agreement-graph .point")[0]
    ActionChains(atlas.driver).move_to_element(point).pause(0.5).click().perform()
    wait_for_url(atlas, "/compare?org=", timeout=15)
    atlas.wait_for_element(".compare-row", timeout=20)
    no_console_errors(atlas)


def test_agreement_mode_is_in_the_url(atlas):
    atlas.driver.get(atlas.server_url + "/agreement")
    atlas.wait_for_element("#a-mode", timeout=20)
    atlas.find_elements("#a-mode input")[1].click()
    url = wait_for_url(atlas, "mode=all")
    atlas.driver.get(url)
    atlas.wait_for_element("#a-mode", timeout=20)
    assert atlas.find_elements("#a-mode input")[1].is_selected()


def test_debates_shows_wsws_attacking_iso_with_quotes(atlas):
    atlas.driver.get(atlas.server_url + "/debates")
    atlas.wait_for_element("#debates-graph canvas", timeout=20)
    table = atlas.find_element("#debates-table").text
    assert "World Socialist Web Site" in table and "Syria" in table and "Russia" in table
    row = next(r for r in atlas.find_elements("#debates-table tbody tr")
               if r.text.startswith("World Socialist Web Site") and "International Socialist Organization" in r.text)
    link = row.find_element("css selector", ".edge-link")
    atlas.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
    link.send_keys(Keys.ENTER)  # keyboard, as a keyboard user would
    atlas.wait_for_contains_text("#debates-panel", "World Socialist Web Site on International Socialist Organization",
                                 timeout=15)
    panel = atlas.find_element("#debates-panel").text
    assert "Syria" in panel and "critic" in panel
    wait_for_url(atlas, "edge=wsws.iso")
    no_console_errors(atlas)


def test_coverage_marks_critics_only_and_opens_quotes(atlas):
    atlas.driver.get(atlas.server_url + "/coverage")
    atlas.wait_for_element(".coverage-table", timeout=20)
    assert "others' words only" in atlas.find_element(".coverage-table").text
    weak = atlas.find_elements(".cov-weak a")[0]
    href = weak.get_attribute("href")
    weak.click()
    atlas.wait_for_element(".evidence-offcanvas .quote", timeout=20)
    assert "stance=" in href
    no_console_errors(atlas)


def test_timeline_and_lineage(atlas):
    atlas.driver.get(atlas.server_url + "/timeline?topic=russia")
    atlas.wait_for_element("#timeline-graph .point", timeout=20)
    assert "undated" in atlas.find_element(".timeline-page").text
    atlas.driver.get(atlas.server_url + "/lineage")
    atlas.wait_for_element(".lineage-tree", timeout=20)
    text = atlas.find_element(".lineage-page").text
    assert "International Socialist Organization" in text and "1977" in text
    quiet(atlas)
    no_console_errors(atlas)
