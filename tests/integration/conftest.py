from __future__ import annotations

import pytest

from tests.support.dash_client import DashClient

from dashboard.app import create_app
from dashboard.config import load_config
from tests.support.paths import HOSTILE


@pytest.fixture(scope="module")
def bundled_app():
    return create_app(load_config())


@pytest.fixture(scope="module")
def dash_client(bundled_app):
    return DashClient(bundled_app)


@pytest.fixture(scope="module")
def hostile_client():
    """The app on tests/fixtures/hostile (markup, scripts and odd characters in every field)."""
    return DashClient(create_app(load_config(data_dir=HOSTILE / "data", seeds_dir=HOSTILE / "seeds")))
