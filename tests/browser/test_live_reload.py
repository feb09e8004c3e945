"""Live reload in the running dashboard: an edit shows up without a restart; invalid data keeps
the last valid data on screen with a banner naming file:line, until it is fixed.

Ports 58250-58299 only (other browser tests run on this machine at the same time)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

from dashboard.app import reload as live
from dashboard.components.context import STORE_KEY
from dashboard.app import create_app
from dashboard.config import load_config
from tests.support.editing import edit

from .conftest import TAKEN_OVER, free_port, no_console_errors

OLD_SUMMARY = "The Alpha League calls the socialist states class societies."
NEW_SUMMARY = "The Alpha League calls those states class societies (edited while serving)."


@pytest.fixture
def live_atlas(request, dash_duo, mini_copy: Path):
    """The app with reload on, over a copy of the mini data, on its own port; the reload
    thread is stopped when the test ends."""
    cfg = load_config(data_dir=mini_copy / "data", seeds_dir=mini_copy / "seeds")
    app = create_app(cfg, reload=True)
    reloader = app.server.config[live.RELOADER_KEY]
    request.addfinalizer(reloader.stop)
    dash_duo.start_server(app, port=free_port())
    dash_duo.mini = mini_copy
    dash_duo.reloader = reloader
    return dash_duo


def wait_until(fn, timeout: float, what: str):
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = fn()
        except (StaleElementReferenceException, NoSuchElementException):
            value = None  # the page is re-rendering: look again
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# the data version the page was built on, as the page's store `reload-seen` holds it (Dash's state)
SEEN = """
var s = window.store && window.store.getState(), path = s && s.paths && s.paths.strs['reload-seen'];
if (!path) { return null; }
var node = s.layout;
path.forEach(function (k) { node = node && node[k]; });
return node && node.props && node.props.data !== undefined && node.props.data !== null ? [node.props.data] : null;
"""


@pytest.mark.parametrize("live_atlas", [58250], indirect=True)
def test_an_edit_shows_up_without_a_restart(live_atlas):
    duo = live_atlas
    duo.driver.get(duo.server_url + "/organizations/alpha")
    duo.wait_for_contains_text(".organization-page", OLD_SUMMARY, timeout=20)
    # the page's first poll of the data version has come back: it knows the version it was built on
    wait_until(lambda: duo.driver.execute_script(SEEN) == [0], 10, "the page's first poll")
    edit(duo.mini / "data/organizations/alpha.yaml", OLD_SUMMARY, NEW_SUMMARY)
    saved = time.time()
    config = duo.reloader.config
    picked = wait_until(lambda: config.get(live.VERSION_KEY) == 1 and time.time(), 10, "the server's reload")
    # the server picks the edit up within 2 s once the file has stayed unchanged for the settle time
    assert picked - saved < 2 + live.SETTLE_SECONDS, picked - saved
    # the page polls every second and then loads itself again (bounded by the wait: a loaded
    # machine is slow); read once Dash has the page (the server's copy goes at the takeover)
    wait_until(lambda: duo.driver.execute_script(TAKEN_OVER) and NEW_SUMMARY in (
        text := duo.find_element(".organization-page").text) and OLD_SUMMARY not in text, 15, "the edited summary")
    assert not duo.find_elements(".reload-banner")
    no_console_errors(duo)


@pytest.mark.parametrize("live_atlas", [58251], indirect=True)
def test_invalid_data_keeps_the_old_data_and_shows_a_banner_until_fixed(live_atlas):
    duo = live_atlas
    org_file = duo.mini / "data/organizations/alpha.yaml"
    lines = org_file.read_text(encoding="utf-8").splitlines()
    bad_line = next(i for i, line in enumerate(lines) if "We do not support the Democrats." in line) + 1
    duo.driver.get(duo.server_url + "/organizations/alpha")
    duo.wait_for_contains_text(".organization-page", OLD_SUMMARY, timeout=20)
    store_before = duo.reloader.config[STORE_KEY]

    # a mistyped quote, and a summary edit in the same save: nothing of it may show
    edit(org_file, "We do not support the Democrats.", "We do not support teh Democrats.")
    edit(org_file, OLD_SUMMARY, NEW_SUMMARY)
    duo.wait_for_element(".reload-banner", timeout=10)
    banner = duo.find_element(".reload-banner").text
    assert f"data/organizations/alpha.yaml:{bad_line}" in banner, banner
    assert "quote not found verbatim in source 'alpha-statement'" in banner
    assert "last valid data" in banner
    page = duo.find_element(".organization-page").text
    assert OLD_SUMMARY in page and NEW_SUMMARY not in page
    assert duo.reloader.config[STORE_KEY] is store_before  # the old store, whole

    # a fresh visit still gets the old data and the banner
    duo.driver.get(duo.server_url + "/organizations/alpha")
    duo.wait_for_contains_text(".organization-page", OLD_SUMMARY, timeout=20)
    duo.wait_for_element(".reload-banner", timeout=10)

    # fixed: the banner goes and the new (valid) data shows
    edit(org_file, "We do not support teh Democrats.", "We do not support the Democrats.")
    wait_until(lambda: NEW_SUMMARY in duo.find_element(".organization-page").text, 10, "the fixed data")
    wait_until(lambda: not duo.find_elements(".reload-banner"), 10, "the banner to go")
    assert duo.reloader.config[STORE_KEY] is not store_before
    no_console_errors(duo)
