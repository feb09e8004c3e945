"""Watching the data files: `validate --watch` (curation/validate_watch.py) and the live
dashboard's reloader (app/reload.py over data/watch.py). On tmp copies of the mini data; how a
save settles before it is loaded: tests/unit/test_reload_publish.py."""
from __future__ import annotations

import io
import re
import threading
import time

import pytest

from dashboard.app import reload as live
from dashboard.cli import build_parser
from dashboard.components.context import STORE_KEY
from dashboard.curation.validate_watch import watch
from dashboard.data import load_store
from tests.support.paths import ROOT


@pytest.fixture
def mini(mini_copy):
    """The data and seeds folders of a writable copy of the mini data."""
    return mini_copy / "data", mini_copy / "seeds"


# ---- validate --watch -------------------------------------------------------------------------------
def test_watch_prints_only_what_changed(mini):
    data, seeds = mini
    org = data / "organizations" / "alpha.yaml"
    good = org.read_text(encoding="utf-8")
    bad_line = next(i for i, line in enumerate(good.splitlines()) if "We do not support the Democrats." in line) + 1
    steps = {
        # (each save changes the size too: saves microseconds apart may share a modification time)
        1: lambda: org.write_text(good.replace("We do not support the Democrats.",
                                               "We do not support thee Democrats."), encoding="utf-8"),
        2: lambda: (data / "topics.yaml").touch(),                   # no change in content: nothing printed
        3: lambda: (seeds / "unused.txt").write_text("x\n", encoding="utf-8"),  # still the same problem
        4: lambda: org.write_text(good, encoding="utf-8"),           # fixed
        5: lambda: org.write_text(good.replace("Alpha League calls", "The League calls")
                                  .replace("summary: The", "summary:"), encoding="utf-8"),  # valid, same counts
        6: lambda: (data / "sources.yaml").write_text(
            (data / "sources.yaml").read_text(encoding="utf-8")
            + "  - id: alpha-again\n    title: T\n    authors: [A]\n    publication: P\n    kind: article\n"
              "    file: alpha.txt\n", encoding="utf-8"),                # valid, one more source
    }
    tick = {"n": 0}

    def sleep(_seconds):
        tick["n"] += 1
        if tick["n"] in steps:
            steps[tick["n"]]()

    out = io.StringIO()
    rc = watch(data, seeds, 2_000_000, out, iterations=8, sleep=sleep, clock=lambda: "12:00:00")
    text = out.getvalue()
    lines = text.splitlines()
    assert rc == 0
    assert lines[0].startswith("[12:00:00] Watching ")
    assert lines[1] == ("[12:00:00] The data is valid: 2 organizations, 2 topics, 3 stances, 5 quotes, "
                        "2 sources, 2 traditions.")
    assert lines[2] == "[12:00:00] 1 new problem:"
    assert f"alpha.yaml:{bad_line}: quote not found verbatim in source 'alpha-statement'" in lines[3]
    assert 'quote has "thee" where the source has "the"' in text
    fixed = [line for line in lines if line.startswith("[12:00:00] fixed: ")]
    assert len(fixed) == 1 and f"alpha.yaml:{bad_line}" in fixed[0]
    assert lines[-2].startswith("[12:00:00] The data is valid again: ")
    assert lines[-1] == "[12:00:00] Still valid: sources 2 \u2192 3."
    assert text.count("new problem") == 1  # the touch, the unrelated seed and the reworded summary printed nothing
    assert len([line for line in lines if line.startswith("[")]) == 6


def test_watch_starting_on_invalid_data_lists_every_problem(mini):
    data, seeds = mini
    (data / "organizations" / "beta.yaml").write_text("id: beta\nname: Beta\n", encoding="utf-8")
    out = io.StringIO()
    rc = watch(data, seeds, 2_000_000, out, iterations=1, sleep=lambda s: None, clock=lambda: "t")
    assert rc == 1
    assert "[t] 1 problem:" in out.getvalue() and "beta.yaml" in out.getvalue()


def test_cli_options_for_watch_and_reload():
    parser = build_parser()
    assert parser.parse_args(["validate", "--watch"]).watch is True
    assert parser.parse_args(["serve"]).reload is True
    assert parser.parse_args(["serve", "--no-reload"]).reload is False


# ---- the reload checker behind the live dashboard ------------------------------------------------
def test_reloader_swaps_whole_stores_and_keeps_the_last_valid_one(mini):
    data, seeds = mini
    org = data / "organizations" / "alpha.yaml"
    good = org.read_text(encoding="utf-8")
    first = load_store(data, seeds)
    config = {STORE_KEY: first}
    r = live.Reloader(config, data, seeds, 2_000_000, settle=0)  # settling: tests/unit/test_reload_publish.py
    assert r.check_once() == "unchanged" and config[live.VERSION_KEY] == 0

    org.write_text(good.replace("summary: The Alpha League calls the socialist states class societies.",
                                "summary: Edited.").replace("We do not support the Democrats.",
                                                            "We do not support thee Democrats."), encoding="utf-8")
    assert r.check_once() == "invalid"
    assert config[STORE_KEY] is first                     # the old store, untouched
    issues = config[live.ERRORS_KEY]
    assert [i.file for i in issues] == ["data/organizations/alpha.yaml"]  # shown from the data's folder
    assert issues[0].line and "quote not found verbatim" in issues[0].message
    assert config[live.VERSION_KEY] == 0

    org.write_text(good.replace("summary: The Alpha League calls the socialist states class societies.",
                                "summary: Edited."), encoding="utf-8")
    assert r.check_once() == "loaded"
    new = config[STORE_KEY]
    assert new is not first and new.stances[("alpha", "states")].summary == "Edited."
    assert config[live.ERRORS_KEY] == () and config[live.VERSION_KEY] == 1

    (data / "organizations" / "alpha.yaml").touch()            # same content: not a change
    (data / "organizations" / ".alpha.yaml.swp").write_text("x")  # an editor's swap file: ignored
    assert r.check_once() == "unchanged" and config[live.VERSION_KEY] == 1


def test_reloader_thread_stops_and_apps_do_not_reload_by_default(mini):
    from dashboard.app import create_app
    from dashboard.config import load_config

    data, seeds = mini
    cfg = load_config(data_dir=data, seeds_dir=seeds)
    threads_before = sum(t.name == "atlas-data-reload" for t in threading.enumerate())
    app = create_app(cfg)
    assert live.RELOADER_KEY not in app.server.config
    assert "reload-tick" not in str(app.layout) and "reload-state.data" not in "".join(app.callback_map)
    assert sum(t.name == "atlas-data-reload" for t in threading.enumerate()) == threads_before
    app = create_app(cfg, reload=True)
    reloader = app.server.config[live.RELOADER_KEY]
    try:
        assert reloader.running and reloader._thread.daemon
        # the banner's callback answers through Dash's real endpoint
        client = app.server.test_client()
        assert client.get("/").status_code == 200
        assert "reload-state.data" in "".join(app.callback_map)
    finally:
        reloader.stop()
    assert not reloader.running


def test_wsgi_entry_point_does_not_watch_files():
    text = (ROOT / "dashboard" / "wsgi.py").read_text(encoding="utf-8")
    assert "create_app(config)" in text and not re.search(r"\breload", text)  # ("preload" is not "reload")


def test_reloader_thread_picks_up_a_save_within_two_seconds(mini):
    data, seeds = mini
    config = {STORE_KEY: load_store(data, seeds)}
    reloader = live.Reloader(config, data, seeds, 2_000_000).start()
    try:
        org = data / "organizations" / "alpha.yaml"
        org.write_text(org.read_text(encoding="utf-8").replace(
            "The Alpha League does not support the Democrats.", "Saved while serving."), encoding="utf-8")
        saved = time.monotonic()
        while config.get(live.VERSION_KEY) != 1 and time.monotonic() - saved < 5:
            time.sleep(0.05)
        assert time.monotonic() - saved < 2.0
        assert config[STORE_KEY].stances[("alpha", "elections")].summary == "Saved while serving."
    finally:
        reloader.stop()
    assert not reloader.running
