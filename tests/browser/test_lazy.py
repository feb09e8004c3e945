"""A stance whose quotes load when opened (pages/lazy.py), as a reader meets it: the summary says
how many quotes there are, one click shows them in place, the address stays the same, and the
organization page's "what others say" leads to such a stance's quote and opens it."""
from __future__ import annotations

import time

from .conftest import no_console_errors


def js_click(duo, element) -> None:
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def test_a_closed_stance_shows_its_quotes_when_opened(atlas):
    atlas.driver.get(atlas.server_url + "/organizations/iso")
    atlas.wait_for_element(".facts-table", timeout=20)
    closed = atlas.find_elements(".lazy-quotes")
    assert closed, "ISO's page has more quotes than its first screen"
    last = closed[-1]
    summary = last.find_element("css selector", "summary")
    assert summary.text.endswith("quotes: show them") or summary.text.endswith("quote: show them")
    n = int(summary.text.split()[0])
    assert not last.find_elements("css selector", ".quote")  # not sent until opened
    url = atlas.driver.current_url
    js_click(atlas, summary)
    end = time.time() + 10
    while len(last.find_elements("css selector", ".quote")) < 1 and time.time() < end:
        time.sleep(0.1)
    quotes = last.find_elements("css selector", ".quote")
    assert quotes and len(quotes) <= n
    assert quotes[0].find_element("css selector", ".read-link").get_attribute("href")  # read in context
    assert atlas.driver.current_url == url
    no_console_errors(atlas)


def test_what_others_say_opens_the_stance_it_refers_to(atlas):
    atlas.driver.get(atlas.server_url + "/organizations/iso")
    atlas.wait_for_element(".facts-table", timeout=20)
    js_click(atlas, atlas.find_element(".org-side summary"))
    atlas.wait_for_element(".org-side .quote-ref-link", timeout=10)
    refs = [r for r in atlas.find_elements(".org-side .quote-ref-link")
            if r.get_attribute("href").split("#", 1)[1].startswith("topic-")]
    assert refs, "some quote the section refers to is in a stance whose quotes load when opened"
    ref = refs[0]
    quote_id, anchor = ref.get_attribute("data-quote"), ref.get_attribute("href").split("#", 1)[1]
    js_click(atlas, ref)
    atlas.wait_for_element(f'#{anchor} details.lazy-quotes[open] [id="q-{quote_id}"]', timeout=10)
    assert len(atlas.driver.find_elements("css selector", f'[id="q-{quote_id}"]')) == 1  # drawn once
    no_console_errors(atlas)
