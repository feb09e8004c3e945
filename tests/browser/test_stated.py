"""Editors' readings and corrections in headless Chromium (issue 13), on the mini fixture, whose
beta stance on the socialist states is an editors' reading corrected on 2026-11-20."""
from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from dashboard.config import load_config
from dashboard.data import load_store

from .conftest import free_port, no_console_errors
from tests.support.paths import MINI

REASONING = "the editors read defending them against imperialism"


@pytest.fixture
def mini_atlas(dash_duo):
    store = load_store(MINI / "data", MINI / "seeds")
    app = create_app(load_config(data_dir=MINI / "data", seeds_dir=MINI / "seeds"), store=store)
    dash_duo.start_server(app, port=free_port())
    return dash_duo


def wait_until(check, timeout: float, what: str) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_an_editors_reading_is_marked_and_its_reasoning_opens_by_keyboard(mini_atlas):
    duo = mini_atlas
    duo.wait_for_element(".matrix-table", timeout=20)
    cell = duo.find_element('button[id*="\\"org\\":\\"beta\\""][id*="\\"topic\\":\\"states\\""]')
    assert "reading" in cell.text and "editors' reading" in cell.get_attribute("aria-label")
    stated = duo.find_element('button[id*="\\"org\\":\\"alpha\\""][id*="\\"topic\\":\\"states\\""]')
    assert "reading" not in stated.text
    cell.send_keys(Keys.ENTER)
    duo.wait_for_element(".evidence-offcanvas .reading-note", timeout=10)
    panel = duo.find_element(".evidence-offcanvas")
    mark = duo.find_element(".evidence-offcanvas .reading-mark")
    # the panel slides in: its text is read once it is shown
    wait_until(lambda: "\u2248 editors' reading" in mark.text, 10, "the reading mark in the open panel")
    assert "In the editors' reading, Beta Party has said: Workers' state." in panel.text
    reasoning = duo.find_element(".evidence-offcanvas .reading-text")
    assert not reasoning.is_displayed()  # one click away, closed at first
    summary = duo.find_element(".evidence-offcanvas .reading-summary")
    summary.send_keys(Keys.ENTER)  # a <summary> is reached and opened by keyboard
    wait_until(reasoning.is_displayed, 5, "the reasoning to open")
    assert REASONING in reasoning.text
    no_console_errors(duo)


def test_a_corrected_stance_shows_its_revision(mini_atlas):
    duo = mini_atlas
    duo.driver.get(duo.server_url + "/organizations/beta")
    duo.wait_for_element("#stance-beta-states .revision-note", timeout=20)
    note = duo.find_element("#stance-beta-states .revision-note")
    assert "Revised on 2026-11-20" in note.text
    body = duo.find_element("#stance-beta-states .revision-note .correction-reason")
    assert not body.is_displayed()
    duo.find_element("#stance-beta-states .revision-summary").click()
    wait_until(body.is_displayed, 5, "what changed and why")
    assert "they do not call them class societies" in body.text
    assert "Class society" in duo.find_element("#stance-beta-states .correction-was").text
    assert "Workers' state" in duo.find_element("#stance-beta-states .correction-now").text
    # the stance on the topic page carries the same mark and revision
    corrections = duo.find_element(".org-corrections")
    assert "Corrections" in corrections.text and "2026-11-20" in corrections.text
    no_console_errors(duo)


def test_the_corrections_page_filters_by_organization_in_the_address(mini_atlas):
    duo = mini_atlas
    duo.driver.get(duo.server_url + "/corrections")
    duo.wait_for_element(".corrections-list", timeout=20)
    assert len(duo.find_elements(".corrections-list .correction")) == 2
    assert "2 corrections, newest first." in duo.find_element("#corrections-body").text
    duo.select_dcc_dropdown("#corr-org", value="Alpha League")
    duo.wait_for_contains_text("#corrections-body", "1 correction, newest first.", timeout=10)
    wait_until(lambda: "org=alpha" in duo.driver.current_url, 10, "the address to hold the filter")
    assert "The Alpha League runs against the Democrats." in duo.find_element("#corrections-body").text
    duo.driver.get(duo.server_url + "/corrections?org=beta")
    duo.wait_for_contains_text("#corrections-body", "1 correction, newest first.", timeout=20)
    assert "Workers' state" in duo.find_element("#corrections-body").text
    duo.find_element("nav .dropdown-toggle").click()
    duo.wait_for_element('a.dropdown-item[href="/corrections"]', timeout=5)
    no_console_errors(duo)
