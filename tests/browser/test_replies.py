"""A reply beside its stance, in the browser (the replies fixture: the bundled data holds none):
shown on the organization, topic and comparison pages, marked in words, and passing axe-core at
desktop and phone widths."""
from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import load_config

from ..support.paths import FIXTURES
from .axe import describe, run_axe
from .conftest import free_port, no_console_errors, wait_until
from .test_a11y import set_width

REPLIES = FIXTURES / "replies"


@pytest.fixture
def replies_app(dash_duo, tmp_path):
    app = create_app(load_config(data_dir=REPLIES / "data", seeds_dir=REPLIES / "seeds", cache_dir=tmp_path))
    dash_duo.start_server(app, port=free_port())
    return dash_duo


@pytest.mark.parametrize("path, count", [("/organizations/alpha", 2), ("/topics/states", 1),
                                         ("/compare?org=alpha&org=beta", 2)])
def test_a_reply_is_beside_its_stance_and_passes_axe(replies_app, path, count):
    duo = replies_app
    duo.driver.get(duo.server_url + path)
    wait_until(lambda: len(duo.driver.find_elements("css selector", ".reply-note[role=note]")) == count,
               message=f"{count} replies on {path}")
    marks = [e.text for e in duo.driver.find_elements("css selector", ".reply-note .reply-mark")]
    assert marks == ["\u21a9 The organization's reply"] * count
    failures = []
    for width in (1400, 320):
        set_width(duo, width)
        found = run_axe(duo.driver)
        if found:
            failures.append(describe(f"{path} at {width} px", found))
    assert not failures, "\n".join(failures)
    no_console_errors(duo)
