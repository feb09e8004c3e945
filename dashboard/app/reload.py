"""Live reload in a running dashboard: a background thread that swaps in the new data as the
files are saved, and the banner that shows the problems of invalid files.

The thread asks a `data.watch.Checker` every half second whether the files changed and, if
so, for the data loaded again. On success the new store replaces the old one in one
assignment (the store is immutable, so a request sees either the old data or the new, never
a mix of the two); on failure the last valid store stays and the problems are kept for the
banner the pages show. Only `serve` starts it (`--no-reload` turns it off); the WSGI entry
point for production never does.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate

from ..components.context import STORE_KEY, install_store
from ..data.errors import Issue
from ..data.inputs import Inputs
from ..data.watch import HOLD, POLL_SECONDS, SETTLE_SECONDS, Checker, describe

log = logging.getLogger("dashboard.reload")

ERRORS_KEY = "ATLAS_RELOAD_ERRORS"   # tuple[Issue, ...]: the problems of the files on disk, () when valid
VERSION_KEY = "ATLAS_DATA_VERSION"   # int: bumped on every successful reload
RELOADER_KEY = "ATLAS_RELOADER"      # the Reloader, to stop it
BANNER_POLL_MS = 1000
MAX_SHOWN = 20

class Reloader:
    """The background thread of a running dashboard. Daemon, and stops when `stop()` is called."""

    def __init__(self, server_config: dict, data_dir: Path, seeds_dir: Path, max_file_bytes: int,
                 inputs: Inputs | None = None, interval: float = POLL_SECONDS, settle: float = SETTLE_SECONDS):
        self.config = server_config
        served = server_config.get(STORE_KEY)
        # by default, watch what the data being served was loaded from
        self.checker = Checker(data_dir, seeds_dir, max_file_bytes,
                               inputs if inputs is not None else getattr(served, "inputs", None), settle=settle)
        self._said_held = False
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
        if (self.checker.state == "held") != self._said_held:
            self._said_held = not self._said_held
            log.info("reloads on hold while %s exists" if self._said_held else "%s removed: reloads resume",
                     self.checker.data_dir / HOLD)
        if status == "loaded":
            install_store(self.config, value)       # one assignment: requests see old or new, never a mix
            self.config[ERRORS_KEY] = ()
            self.config[VERSION_KEY] = self.config.get(VERSION_KEY, 0) + 1
            log.info("data reloaded: %s", describe(value))
        elif status == "invalid":
            self.config[ERRORS_KEY] = value
            log.warning("the data on disk has %d problem(s); still serving the last valid data:\n%s", len(value),
                        "\n".join(f"  {i.location()}: {i.message}" for i in value))
        return status

    def _run(self) -> None:
        wait = self.interval
        while not self._stop.wait(wait):
            try:
                self.check_once()
            except Exception:  # noqa: BLE001 - the thread must outlive any surprise
                log.exception("data reload check failed")
            # while a change settles, look again soon: it loads `settle` seconds after it stopped
            wait = min(self.interval, 0.1) if self.checker.state == "settling" else self.interval


# ---- the banner and the refresh ----------------------------------------------------------------
def shell_components() -> list:
    """Put in the app shell when reload is on: a poll, what the browser last saw, and the banner."""
    return [
        dcc.Interval(id="reload-tick", interval=BANNER_POLL_MS, n_intervals=0),
        dcc.Store(id="reload-state", data=None),
        dcc.Store(id="reload-seen", data=None),
        html.Div(id="reload-banner", role="status", **{"aria-live": "polite"}),
    ]


def banner(issues: tuple[Issue, ...]):  # type: ignore[no-untyped-def]
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
        ClientsideFunction("atlas", "reloadSeen"),
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


def start(app, config) -> Reloader:  # type: ignore[no-untyped-def]
    """Register the banner's callbacks and start the thread for a built app."""
    register_callbacks(app)
    reloader = Reloader(app.server.config, config.data_dir, config.seeds_dir, config.max_file_bytes).start()
    app.server.config[RELOADER_KEY] = reloader
    return reloader


def stop(app) -> None:  # type: ignore[no-untyped-def]
    reloader = app.server.config.get(RELOADER_KEY)
    if reloader is not None:
        reloader.stop()
