"""Pick up edits to data/ and seeds/ while the dashboard runs, and `validate --watch`.

A background thread polls a cheap fingerprint of the files (name, size, mtime, inode)
every half second. When it changes and the files' contents did change, the data is
loaded again in full. On success the new store replaces the old one in one assignment
(the store is immutable, so a request sees either the old data or the new, never a mix
of the two); on failure the last valid store stays and the problems are kept for the
banner the pages show. Only `serve` starts it (`--no-reload` turns it off); the WSGI
entry point for production never does.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

from .data import DataError, load_store
from .data.errors import Issue, display_path

log = logging.getLogger("dashboard.reload")

STORE_KEY = "ATLAS_STORE"            # the same key as dashboard.app.STORE_KEY
ERRORS_KEY = "ATLAS_RELOAD_ERRORS"   # tuple[Issue, ...]: the problems of the files on disk, () when valid
VERSION_KEY = "ATLAS_DATA_VERSION"   # int: bumped on every successful reload
RELOADER_KEY = "ATLAS_RELOADER"      # the Reloader, to stop it
POLL_SECONDS = 0.5
BANNER_POLL_MS = 1000
MAX_SHOWN = 20

_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".bak", ".orig")

Fingerprint = tuple


def _relevant(name: str) -> bool:
    return not name.startswith((".", "#")) and not name.endswith(_IGNORED_SUFFIXES) and name != "4913"


def watched_files(data_dir: Path, seeds_dir: Path) -> list[Path]:
    """The files the loader reads: data/*.yaml, data/organizations/*.yaml, and everything in seeds/
    (editors' swap and backup files left out)."""
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    files: list[Path] = []
    for folder in (data_dir, data_dir / "organizations"):
        if folder.is_dir():
            files += [p for p in folder.iterdir()
                      if p.suffix in (".yaml", ".yml") and _relevant(p.name) and p.is_file()]
    if seeds_dir.is_dir():
        for root, dirs, names in os.walk(seeds_dir):
            dirs[:] = [d for d in dirs if _relevant(d)]
            files += [Path(root) / n for n in names if _relevant(n)]
    return sorted(files)


def fingerprint(data_dir: Path, seeds_dir: Path) -> Fingerprint:
    """Cheap: names, sizes, modification times and inodes (an atomic save changes the inode)."""
    out = [("data", Path(data_dir).is_dir()), ("seeds", Path(seeds_dir).is_dir())]
    for p in watched_files(data_dir, seeds_dir):
        try:
            st = p.stat()
        except OSError:
            continue
        out.append((str(p), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(out)


def content_digest(data_dir: Path, seeds_dir: Path) -> str:
    """A hash of the watched files' names and contents: a save that changes nothing
    (or `touch`) is not a change."""
    h = hashlib.sha256()
    for p in watched_files(data_dir, seeds_dir):
        try:
            data = p.read_bytes()
        except OSError:
            continue
        h.update(str(p).encode() + b"\0" + len(data).to_bytes(8, "big") + data)
    return h.hexdigest()


def _relative_issues(issues: list[Issue], base: Path) -> tuple[Issue, ...]:
    """Issues with their file shown relative to the folder holding data/ and seeds/, when it can be."""
    out = []
    for i in issues:
        p = Path(i.file)
        if p.is_absolute():
            try:
                p = p.relative_to(base)
            except ValueError:
                pass
        out.append(Issue(str(p), i.line, i.message, i.snippet, i.hint))
    return tuple(out)


class Checker:
    """Loads the data when the files' contents change; remembers the last result."""

    def __init__(self, data_dir: Path, seeds_dir: Path, max_file_bytes: int,
                 baseline: Fingerprint | None = None, digest: str | None = None):
        self.data_dir, self.seeds_dir, self.max_file_bytes = Path(data_dir), Path(seeds_dir), max_file_bytes
        self.fp = baseline
        self.digest = digest
        self.base = self.data_dir.resolve().parent

    def poll(self):  # -> ("unchanged", None) | ("loaded", Store) | ("invalid", issues)
        fp = fingerprint(self.data_dir, self.seeds_dir)
        if fp == self.fp:
            return "unchanged", None
        digest = content_digest(self.data_dir, self.seeds_dir)
        if digest == self.digest:
            self.fp = fp
            return "unchanged", None
        try:
            store = load_store(self.data_dir, self.seeds_dir, self.max_file_bytes)
            result = ("loaded", store)
        except DataError as exc:
            result = ("invalid", _relative_issues(exc.issues, self.base))
        except Exception as exc:  # noqa: BLE001 - a file vanishing mid-read, say: report, keep serving
            log.exception("reloading the data failed")
            result = ("invalid", (Issue(str(self.data_dir), None, f"the data could not be read: {exc}"),))
        if fingerprint(self.data_dir, self.seeds_dir) != fp:
            return "unchanged", None  # saved again while loading: load again at the next poll
        self.fp, self.digest = fp, digest
        return result


class Reloader:
    """The background thread of a running dashboard. Daemon, and stops when `stop()` is called."""

    def __init__(self, server_config: dict, data_dir: Path, seeds_dir: Path, max_file_bytes: int,
                 baseline: Fingerprint | None = None, digest: str | None = None, interval: float = POLL_SECONDS):
        self.config = server_config
        self.checker = Checker(data_dir, seeds_dir, max_file_bytes,
                               baseline if baseline is not None else fingerprint(data_dir, seeds_dir),
                               digest if digest is not None else content_digest(data_dir, seeds_dir))
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="atlas-data-reload", daemon=True)
        server_config.setdefault(ERRORS_KEY, ())
        server_config.setdefault(VERSION_KEY, 0)

    def start(self) -> "Reloader":
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def check_once(self) -> str:
        status, value = self.checker.poll()
        if status == "loaded":
            self.config[STORE_KEY] = value          # one assignment: requests see old or new, never a mix
            self.config[ERRORS_KEY] = ()
            self.config[VERSION_KEY] = self.config.get(VERSION_KEY, 0) + 1
            log.info("data reloaded: %s", _describe(value))
        elif status == "invalid":
            self.config[ERRORS_KEY] = value
            log.warning("the data on disk has %d problem(s); still serving the last valid data:\n%s", len(value),
                        "\n".join(f"  {i.location()}: {i.message}" for i in value))
        return status

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check_once()
            except Exception:  # noqa: BLE001 - the thread must outlive any surprise
                log.exception("data reload check failed")


# ---- in the dashboard: the banner and the refresh ----------------------------------------------
def shell_components() -> list:
    """Put in the app shell when reload is on: a poll, what the browser last saw, and the banner."""
    from dash import dcc, html

    return [
        dcc.Interval(id="reload-tick", interval=BANNER_POLL_MS, n_intervals=0),
        dcc.Store(id="reload-state", data=None),
        dcc.Store(id="reload-seen", data=None),
        html.Div(id="reload-banner", role="status", **{"aria-live": "polite"}),
    ]


def banner(issues: tuple[Issue, ...]):  # type: ignore[no-untyped-def]
    import dash_bootstrap_components as dbc
    from dash import html

    if not issues:
        return None
    items = []
    for i in issues[:MAX_SHOWN]:
        items.append(html.Li([html.Code(i.location(), className="reload-loc"), ": ", i.message,
                              html.Div(f"hint: {i.hint}", className="small text-body-secondary") if i.hint else None]))
    more = len(issues) - MAX_SHOWN
    n = len(issues)
    return dbc.Container(dbc.Alert([
        html.Strong(f"The data on disk has {n} problem{'s' if n != 1 else ''}: "
                    "this page still shows the last valid data. "),
        "Fix the files and save; this notice goes away by itself.",
        html.Ul(items, className="mb-0 mt-2 reload-errors"),
        html.P(f"\u2026 and {more} more (run python -m dashboard validate)", className="mb-0") if more > 0 else None,
    ], color="danger", className="reload-banner mb-3"), fluid=True)


def register_callbacks(app) -> None:  # type: ignore[no-untyped-def]
    from dash import Input, Output, State
    from dash.exceptions import PreventUpdate

    server_config = app.server.config

    @app.callback(Output("reload-banner", "children"), Output("reload-state", "data"),
                  Input("reload-tick", "n_intervals"), State("reload-state", "data"))
    def poll_reload(_n, last):  # type: ignore[no-untyped-def]
        issues = server_config.get(ERRORS_KEY, ())
        state = {"version": server_config.get(VERSION_KEY, 0),
                 "errors": [f"{i.location()}: {i.message}" for i in issues]}
        if state == last:
            raise PreventUpdate
        return banner(issues), state

    # the data changed since this page was built: build it again (its address holds its state)
    app.clientside_callback(
        """
        function(state, seen) {
            if (!state) { return window.dash_clientside.no_update; }
            if (seen !== null && seen !== undefined && state.version !== seen) {
                window.location.reload();
            }
            return state.version;
        }
        """,
        Output("reload-seen", "data"),
        Input("reload-state", "data"),
        State("reload-seen", "data"),
    )


def log_to_console() -> None:
    """For `serve`: say on the console when the data is reloaded or refused."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s] %(message)s", "%H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def start(app, config, baseline: Fingerprint | None = None, digest: str | None = None) -> Reloader:  # type: ignore[no-untyped-def]
    """Register the banner's callbacks and start the thread for a built app."""
    register_callbacks(app)
    reloader = Reloader(app.server.config, config.data_dir, config.seeds_dir, config.max_file_bytes,
                        baseline, digest).start()
    app.server.config[RELOADER_KEY] = reloader
    return reloader


def stop(app) -> None:  # type: ignore[no-untyped-def]
    reloader = app.server.config.get(RELOADER_KEY)
    if reloader is not None:
        reloader.stop()


# ---- validate --watch ---------------------------------------------------------------------------
@dataclass
class _State:
    issues: tuple[Issue, ...] | None = None   # None: not loaded yet
    counts: dict | None = None


def _key(i: Issue) -> tuple[str, str, str]:
    return (i.file, i.message, i.hint)


def _describe(store) -> str:  # type: ignore[no-untyped-def]
    c = store.counts()
    return ", ".join(f"{c[k]} {k}" for k in ("organizations", "topics", "stances", "quotes", "sources", "traditions"))


def watch(data_dir: Path, seeds_dir: Path, max_file_bytes: int, out: TextIO, *,
          interval: float = POLL_SECONDS, iterations: int | None = None,
          sleep: Callable[[float], None] = time.sleep, clock: Callable[[], str] | None = None) -> int:
    """Validate now, then again whenever a file changes, printing only what changed:
    new problems, fixed problems, and the counts when the data is valid.
    `iterations` bounds the number of polls (for tests); None polls until interrupted."""
    clock = clock or (lambda: time.strftime("%H:%M:%S"))
    checker = Checker(data_dir, seeds_dir, max_file_bytes)
    state = _State()

    def say(text: str) -> None:
        out.write(f"[{clock()}] {text}\n")
        out.flush()

    def report(status: str, value) -> None:  # type: ignore[no-untyped-def]
        if status == "unchanged":
            return
        new_issues: tuple[Issue, ...] = value if status == "invalid" else ()
        old_issues = state.issues or ()
        remaining = [_key(i) for i in old_issues]
        added = []
        for i in new_issues:
            if _key(i) in remaining:
                remaining.remove(_key(i))
            else:
                added.append(i)
        fixed_keys = list(remaining)
        fixed = []
        for i in old_issues:
            if _key(i) in fixed_keys:
                fixed_keys.remove(_key(i))
                fixed.append(i)
        first = state.issues is None
        for i in fixed:
            say(f"fixed: {i.location()}: {i.message}")
        if added:
            n = len(added)
            say(f"{n} {'problem' if first else 'new problem'}{'s' if n != 1 else ''}:")
            for i in added:
                out.write("  " + i.format().replace("\n", "\n  ") + "\n")
        if status == "loaded":
            counts = value.counts()
            if first:
                say(f"The data is valid: {_describe(value)}.")
            elif old_issues:
                say(f"The data is valid again: {_describe(value)}.")
            elif counts != state.counts:
                changes = ", ".join(f"{k} {state.counts[k]} \u2192 {counts[k]}"
                                    for k in counts if state.counts and counts[k] != state.counts[k])
                say(f"Still valid: {changes}.")
            if first:
                for w in value.warnings:
                    out.write(f"  warning: {w}\n")
            state.counts = counts
        elif not added and not fixed and first:
            say("The data is not valid.")
        out.flush()
        state.issues = new_issues

    say(f"Watching {display_path(data_dir)} and {display_path(seeds_dir)} (every {interval:g} s; Ctrl+C to stop).")
    n = 0
    while True:
        report(*checker.poll())
        n += 1
        if iterations is not None and n >= iterations:
            break
        sleep(interval)
    return 0 if state.issues == () else 1
