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
