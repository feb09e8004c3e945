"""The "Cite" control on a quote, as a researcher uses it: open it, copy the citation, and find the
quote again from its permalink."""
from __future__ import annotations

import json
import time
import urllib.request

from selenium.common.exceptions import ElementClickInterceptedException

from .conftest import no_console_errors


def click(duo, element, tries: int = 50) -> None:
    """Scroll the element to the middle of the window and click it (once the loading overlay is gone)."""
    for _ in range(tries):
        duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        try:
            element.click()
            return
        except ElementClickInterceptedException:
            time.sleep(0.2)
    element.click()


def test_cite_shows_permalink_citation_bibtex_and_copies(atlas):
    atlas.driver.get(atlas.server_url + "/organizations/iso")
    atlas.wait_for_element(".stance-block .quote .cite", timeout=20)
    quote = atlas.find_elements(".stance-block .quote")[0]
    quote_id = quote.get_attribute("id")[len("q-"):]
    click(atlas, quote.find_element("css selector", ".cite > summary"))
    atlas.wait_for_element(f'[id="q-{quote_id}"] .cite-filled', timeout=10)
    box = quote.find_element("css selector", ".cite-filled")
    # the quote carries only its id: the script made the body, with the link to the API's answer
    assert quote.find_element("css selector", ".cite-json").get_attribute("href").endswith(f"/api/quotes/{quote_id}")
    assert quote.find_element("css selector", ".cite-summary").get_attribute("title").startswith("Cite this quote")
    # what the page shows is the API's citation: one formatter, in the data layer
    with urllib.request.urlopen(f"{atlas.server_url}/api/quotes/{quote_id}") as resp:
        api = json.loads(resp.read())["quote"]
    assert box.find_element("css selector", ".cite-text .cite-value").text == api["citation"]["text"]
    assert box.find_element("css selector", ".cite-bibtex .cite-value").text.strip() == \
        api["citation"]["bibtex"].strip()
    link = box.find_element("css selector", ".cite-permalink a")
    assert link.get_attribute("href") == api["permalink"]
    assert "dataset version" in api["citation"]["text"]
    click(atlas, box.find_element("css selector", ".cite-text .cite-copy"))
    atlas.wait_for_contains_text(f'[id="q-{quote_id}"] .cite-status', "Copied the citation", timeout=5)
    # find it again from its permalink: the source opens with the quote highlighted
    atlas.driver.get(api["permalink"])
    atlas.wait_for_element(".reader-mark.is-target", timeout=20)
    assert atlas.find_elements(f'[id="mark-{quote_id}"]')  # the quote's own mark, scrolled to
    assert f"quote={quote_id}" in atlas.driver.current_url
    assert atlas.find_element(".reader-focus .cite")  # and it can be cited from there too
    no_console_errors(atlas)
