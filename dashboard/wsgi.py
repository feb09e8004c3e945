"""For production servers: `gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server`.
Builds the app on import (this module exists only to be imported by a WSGI server).

It refuses to start, with the reason on standard error, in two cases, and in a way that can
only ever stop a server that is starting, never one that is running:

- the data does not validate: it exits before serving anything (under gunicorn --preload
  that is the master, before any worker exists; a USR2 re-exec that fails leaves the old
  master serving);
- it is imported inside a gunicorn worker, which means gunicorn runs without --preload: each
  worker would then load the data itself, and one replaced while the data on disk is being
  edited would fail to boot and halt the whole server. Refusing in the first worker halts
  gunicorn at start-up instead, with the fix in the message.
"""
from __future__ import annotations

import sys

NO_PRELOAD = ("dashboard.wsgi refuses to start without --preload: every gunicorn worker would load the data "
              "itself, and a worker replaced while the data is being edited would halt the server. Use "
              "`gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server` (preload_app = True).")


def inside_gunicorn_worker() -> bool:
    """Whether this import runs in a gunicorn worker's boot (Worker.load_wsgi on the stack)."""
    try:
        from gunicorn.workers.base import Worker
    except ImportError:
        return False
    frame = sys._getframe(1)
    while frame is not None:
        if isinstance(frame.f_locals.get("self"), Worker):
            return True
        frame = frame.f_back
    return False


def build():  # type: ignore[no-untyped-def]
    if inside_gunicorn_worker():  # checked before anything heavy is imported
        print(f"error: {NO_PRELOAD}", file=sys.stderr, flush=True)
        raise RuntimeError(NO_PRELOAD)  # gunicorn: "Worker failed to boot", at start-up only
    from .app import create_app
    from .config import load_config
    from .data import DataError

    config = load_config()
    try:
        return create_app(config)
    except DataError as exc:
        print(f"{exc}\n\nerror: the data is not valid ({len(exc.issues)} problem(s) above): not starting. "
              f"Run `python -m dashboard validate`.", file=sys.stderr, flush=True)
        raise SystemExit(1) from None


app = build()
server = app.server

from .app import settle_heap  # noqa: E402

settle_heap()
