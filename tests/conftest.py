"""Shared fixtures: the small fixture data set, copies to break, apps, and Chrome options."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the small fixture data set (data/ and seeds/)."""
    dest = tmp_path / "mini"
    shutil.copytree(MINI, dest)
    return dest


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled data and seeds."""
    dest = tmp_path / "bundled"
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "seeds", dest / "seeds")
    return dest


@pytest.fixture(scope="session")
def bundled_store():
    from dashboard.data import load_store

    return load_store(ROOT / "data", ROOT / "seeds")


@pytest.fixture(scope="session")
def mini_store():
    from dashboard.data import load_store

    return load_store(MINI / "data", MINI / "seeds")


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
