from __future__ import annotations

import socket

import pytest

from dashboard.app import create_app
from dashboard.config import load_config


def free_port() -> int:
    """A port the system says is free, so that test runs side by side never collide."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def atlas(dash_duo):
    """The real app on the bundled data, served for the browser."""
    app = create_app(load_config())
    dash_duo.start_server(app, port=free_port())
    return dash_duo


def no_console_errors(duo) -> None:
    logs = [entry for entry in duo.get_logs() or [] if "favicon" not in entry.get("message", "")]
    assert logs == [], logs
