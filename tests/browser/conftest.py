from __future__ import annotations

import socket
import time

import pytest

from dashboard.app import create_app
from dashboard.config import load_config


def free_port() -> int:
    """A port the system says is free, so that test runs side by side never collide."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The server sends each page drawn (#prerendered, dashboard/app/prerender.py); Dash draws it again
# and then removes the server's copy (assets/takeover.js). Until then a selector can find the
# server's copy, which does nothing and is about to go.
TAKEN_OVER = "return !document.getElementById('prerendered');"


def waits_for_dash(driver) -> None:
    """Make every full load of a page (get, refresh) wait until Dash has taken the page over."""
    for name in ("get", "refresh"):
        load = getattr(driver, name)

        def load_then_wait(*args, _load=load, **kwargs):
            _load(*args, **kwargs)
            end = time.monotonic() + 20
            while not driver.execute_script(TAKEN_OVER):
                assert time.monotonic() < end, "Dash never took the page over (waited 20 s)"
                time.sleep(0.05)

        setattr(driver, name, load_then_wait)


@pytest.fixture
def dash_duo(dash_duo):
    """Dash's own fixture, whose full page loads wait until Dash has taken the page over."""
    waits_for_dash(dash_duo.driver)
    return dash_duo


@pytest.fixture
def atlas(dash_duo):
    """The real app on the bundled data, served for the browser."""
    app = create_app(load_config())
    dash_duo.start_server(app, port=free_port())
    return dash_duo


def no_console_errors(duo) -> None:
    logs = [entry for entry in duo.get_logs() or [] if "favicon" not in entry.get("message", "")]
    assert logs == [], logs


def wait_until(condition, timeout: float = 15, message: str = "the condition never held"):
    """Poll `condition()` until it gives a true value (returned), or fail after `timeout` s."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"{message} (waited {timeout} s)")
        time.sleep(0.05)


# Nothing moving: no transition or animation running (offcanvas slides, fades, focus rings),
# every chart drawn at its box's width (plotly follows a change of the window's width a moment
# later), the document and its fonts loaded.
STILL = """
var charts = Array.prototype.every.call(document.querySelectorAll('.js-plotly-plot'), function (g) {
  var svg = g.querySelector('.main-svg');
  return !svg || g.clientWidth === 0 || Math.abs(svg.getBoundingClientRect().width - g.clientWidth) <= 1;
});
if (!charts) { return false; }
var moving = document.getAnimations ? document.getAnimations().some(function (a) {
  return a.playState === 'running' && (!a.effect || !a.effect.getTiming || a.effect.getTiming().iterations !== Infinity);
}) : false;
return !moving && document.readyState === 'complete' && (!document.fonts || document.fonts.status === 'loaded');
"""
PAINTED = """
var done = arguments[arguments.length - 1];
requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); });
"""


def quiet(duo, timeout: float = 20) -> None:
    """Wait until the page is at rest: no Dash callback pending, nothing moving, and a frame
    painted since (what a fixed sleep used to guess at)."""
    wait_until(lambda: duo._wait_for_callbacks() and duo.driver.execute_script(STILL), timeout,
               "the page never came to rest (callbacks pending or something still moving)")
    duo.driver.execute_async_script(PAINTED)


# Open a page as a link in the app does (the page router draws it; no reload of the scripts),
# forgetting the requests made so far, so that the router's answer can be waited for.
NAVIGATE = """
performance.setResourceTimingBufferSize(10000);
performance.clearResourceTimings();
window.history.pushState({}, "", arguments[0]);
window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
"""
ROUTED = """
return performance.getEntriesByType('resource').some(function (e) {
  return e.name.indexOf('_dash-update-component') >= 0; });
"""


def navigate(duo, path: str, ready: str, timeout: float = 20) -> None:
    """To `path` inside the running app, then wait for its page: the router's answer received,
    `ready` present, the page at rest. A full load the first time, and for the page already shown
    (the router would not draw it again)."""
    here = duo.driver.execute_script("return window.location.pathname + window.location.search;")
    if duo.driver.execute_script("return !!window.dash_clientside;") and here != path.split("#")[0]:
        duo.driver.execute_script(NAVIGATE, path)
        wait_until(lambda: duo.driver.execute_script(ROUTED), timeout, f"the page router never answered for {path}")
    else:
        duo.driver.get(duo.server_url + path)
    duo.wait_for_element(ready, timeout=timeout)
    quiet(duo, timeout)
