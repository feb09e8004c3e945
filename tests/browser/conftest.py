from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import load_config


@pytest.fixture
def atlas(dash_duo):
    """The real app on the bundled data, served for the browser."""
    app = create_app(load_config())
    dash_duo.start_server(app)
    return dash_duo


def no_console_errors(duo) -> None:
    logs = [entry for entry in duo.get_logs() or [] if "favicon" not in entry.get("message", "")]
    assert logs == [], logs
