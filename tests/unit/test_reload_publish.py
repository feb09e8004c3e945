"""Live reload publishes whole data sets, under a polling client: a file saved in two writes
with a pause, a change to several files held by the marker data/.hold, a store built while a
file changed (thrown away), and an edit saved while the server starts (served). The client
asks the running app (Flask's test client, in-process) for its data export every 10 ms and
every answer is compared with the states that were saved whole.

Each test prints its figures (polls, states seen): run with -s to see them."""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from dashboard.app import reload as live
from dashboard.app import create_app
from dashboard.components.context import STORE_KEY
from dashboard.config import load_config
from dashboard.data import watch
from dashboard.data.export import export_rows

ORG = "data/organizations/alpha.yaml"
CUT = "  - topic: elections\n"  # a stance boundary: the text before it is valid YAML, one stance short


def state_of(client) -> tuple:  # type: ignore[no-untyped-def]
    """What a visitor would see: every (organization, topic, stance summary) in the served data."""
    resp = client.get("/download/evidence.json")
    assert resp.status_code == 200
    return tuple(sorted({(r["organization"], r["topic"], r["stance_summary"]) for r in json.loads(resp.data)}))


class Poller:
    def __init__(self, app):  # type: ignore[no-untyped-def]
        self.client = app.server.test_client()
        self.seen: list[tuple] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.seen.append(state_of(self.client))
            time.sleep(0.01)

    def __enter__(self) -> "Poller":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self._stop.set()
        self._thread.join(5)

    def wait_for(self, state: tuple, timeout: float = 10) -> float:
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if self.seen and self.seen[-1] == state:
                return time.monotonic() - t0
            time.sleep(0.02)
        raise AssertionError("the saved state was never served")


@pytest.fixture
def served(mini_copy):
    cfg = load_config(None, data_dir=mini_copy / "data", seeds_dir=mini_copy / "seeds")
    app = create_app(cfg, reload=False)
    reloader = live.Reloader(app.server.config, cfg.data_dir, cfg.seeds_dir, cfg.max_file_bytes,
                             interval=0.1).start()  # the default settle time
    try:
        yield app, mini_copy
    finally:
        reloader.stop()


def expected(mini: Path, app, edit) -> tuple:  # type: ignore[no-untyped-def]
    """The state a whole save gives, from a scratch copy of the files with `edit` applied."""
    import shutil

    from dashboard.data import load_store

    scratch = mini.parent / f"scratch-{time.monotonic_ns()}"
    shutil.copytree(mini, scratch)
    edit(scratch)
    store = load_store(scratch / "data", scratch / "seeds")
    rows = export_rows(store)
    shutil.rmtree(scratch)
    return tuple(sorted({(r["organization"], r["topic"], r["stance_summary"]) for r in rows}))


def test_a_file_saved_in_two_writes_is_served_only_whole(served):
    app, mini = served
    org = mini / ORG
    text = org.read_text(encoding="utf-8")
    final = text.replace("summary: The Alpha League does not support the Democrats.", "summary: Edited whole.")
    head, tail = final[:final.index(CUT)], final[final.index(CUT):]

    def edit(root: Path) -> None:
        (root / ORG).write_text(final, encoding="utf-8")

    with Poller(app) as poll:
        poll.wait_for(state_of(poll.client))
        start = poll.seen[-1]
        after = expected(mini, app, edit)
        trials = 3
        for n in range(trials):  # a slow editor: the first part, a pause, the rest (in place)
            content = final if n % 2 == 0 else text
            h, t = content[:content.index(CUT)], content[content.index(CUT):]
            with open(org, "w", encoding="utf-8") as fh:
                fh.write(h)
                fh.flush()
                os.fsync(fh.fileno())
                time.sleep(0.4)  # half the settle time
                fh.write(t)
            poll.wait_for(after if n % 2 == 0 else start)
        seen = list(poll.seen)
    assert head and tail
    allowed = {start, after}
    bad = [s for s in seen if s not in allowed]
    assert not bad, f"{len(bad)} of {len(seen)} answers showed a state never saved whole"
    print(f"\nsaved in two writes 0.4 s apart, {trials} times: {len(seen)} polls, {len(bad)} showing a "
          f"half-saved file; states served: {len(set(seen))} (the two saved whole)")


def test_a_multi_file_change_under_the_hold_marker_is_published_once(served):
    app, mini = served
    orgs = [mini / "data/organizations/alpha.yaml", mini / "data/organizations/beta.yaml"]
    old = [p.read_text(encoding="utf-8") for p in orgs]
    new = [old[0].replace("summary: The Alpha League does not support the Democrats.", "summary: Alpha, renamed."),
           old[1].replace("summary: The Beta Party defends the socialist states.", "summary: Beta, renamed.")]

    def edit(root: Path) -> None:
        for p, t in zip(orgs, new):
            (root / p.relative_to(mini)).write_text(t, encoding="utf-8")

    with Poller(app) as poll:
        poll.wait_for(state_of(poll.client))
        start = poll.seen[-1]
        after = expected(mini, app, edit)
        hold = mini / "data" / watch.HOLD
        hold.touch()
        for p, t in zip(orgs, new):  # one file, then the other, slower than the settle time
            p.write_text(t, encoding="utf-8")
            time.sleep(1.2)
        assert poll.seen[-1] == start  # held: nothing published yet
        hold.unlink()
        waited = poll.wait_for(after)
        seen = list(poll.seen)
    bad = [s for s in seen if s not in (start, after)]
    assert not bad
    changes = sum(1 for a, b in zip(seen, seen[1:]) if a != b)
    assert changes == 1
    print(f"\ntwo files saved 1.2 s apart under data/.hold: {len(seen)} polls, {len(bad)} mixed, published "
          f"once ({changes} change), {waited:.2f} s after the marker went")


def test_a_store_built_while_a_file_changed_is_thrown_away(mini_copy, monkeypatch):
    data, seeds = mini_copy / "data", mini_copy / "seeds"
    org = data / "organizations" / "alpha.yaml"
    text = org.read_text(encoding="utf-8")
    from dashboard.data import load_store

    first = load_store(data, seeds)
    config = {STORE_KEY: first}
    r = live.Reloader(config, data, seeds, 2_000_000, settle=0)
    org.write_text(text.replace("does not support the Democrats.\n", "does not support them (1).\n", 1))
    real = watch.load_store

    def load_while_saved(*a, **k):  # type: ignore[no-untyped-def]
        store = real(*a, **k)
        org.write_text(text.replace("does not support the Democrats.\n", "does not support them (2).\n", 1))
        return store

    monkeypatch.setattr(watch, "load_store", load_while_saved)
    assert r.check_once() == "unchanged" and r.checker.state == "changed-during-build"
    assert config[STORE_KEY] is first
    monkeypatch.setattr(watch, "load_store", real)
    assert r.check_once() == "loaded"
    assert config[STORE_KEY].stances[("alpha", "elections")].summary.endswith("them (2).")


def test_an_edit_saved_while_serve_starts_is_served(mini_copy, monkeypatch):
    import dashboard.app
    from dashboard.cli import build_serve_app

    org = mini_copy / ORG
    text = org.read_text(encoding="utf-8")
    real = dashboard.app.load_cached

    def load_then_edit(*a, **k):  # type: ignore[no-untyped-def]
        got = real(*a, **k)  # the files were read: now the curator saves
        org.write_text(text.replace("does not support the Democrats.\n", "saved during start-up.\n", 1))
        return got

    monkeypatch.setattr(dashboard.app, "load_cached", load_then_edit)
    cfg = load_config(None, data_dir=mini_copy / "data", seeds_dir=mini_copy / "seeds")
    app = build_serve_app(cfg, reload=True)
    try:
        client = app.server.test_client()
        t0 = time.monotonic()
        while time.monotonic() - t0 < 10:
            if any(s[2].endswith("saved during start-up.") for s in state_of(client)):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the edit saved during start-up was never served")
        print(f"\nedit saved during start-up: served {time.monotonic() - t0:.2f} s after the server was up")
    finally:
        live.stop(app)
