from __future__ import annotations

import pytest

from tests.support.dash_client import DashClient

from dashboard.app import create_app
from dashboard.config import load_config


@pytest.fixture(scope="module")
def bundled_app():
    return create_app(load_config())


@pytest.fixture(scope="module")
def dash_client(bundled_app):
    return DashClient(bundled_app)
