"""Shared fixtures: one store per data set, copies to break, and Chrome options. The paths and
the copying helper are in tests/support/paths.py."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.paths import DATA, FIT, MINI, ROOT, SEEDS, SHARED, copy_tree


def _load(folder: Path):
    from tests.support.editing import load  # the package is imported by the tests, not at collection

    return load(folder)


@pytest.fixture(scope="session")
def store():
    """The bundled data."""
    return _load(ROOT)


@pytest.fixture(scope="session")
def mini_store():
    return _load(MINI)


@pytest.fixture(scope="session")
def shared_store():
    """tests/fixtures/shared: a passage counted on two stances (`ref:`)."""
    return _load(SHARED)


@pytest.fixture(scope="session")
def fit_store():
    """tests/fixtures/fit: made for the match's score (tests/unit/test_fit.py)."""
    return _load(FIT)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the small fixture data set (data/ and seeds/)."""
    return copy_tree(MINI, tmp_path / "mini")


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data and seeds."""
    copy_tree(DATA, tmp_path / "bundled" / "data")
    copy_tree(SEEDS, tmp_path / "bundled" / "seeds")
    return tmp_path / "bundled"


def pytest_setup_options():
    """Chrome options for dash_duo: headless Debian Chromium as root."""
    from selenium.webdriver.chrome.options import Options

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"):
        options.add_argument(arg)
    if Path("/usr/bin/chromium").exists():
        options.binary_location = "/usr/bin/chromium"
    return options


def pytest_sessionfinish(session, exitstatus):
    """In CI every test must run: a skipped test fails the run."""
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.stats.get("skipped"):
        reporter.write_line("CI: tests were skipped; every test must run in CI", red=True)
        session.exitstatus = 1
