"""The production app (dashboard.wsgi, preloaded) with one extra address for the deployment
tests: /__test/slow?s=SECONDS&tag=NAME answers after SECONDS, having written its worker's pid
to $ATLAS_TEST_PIDS/NAME, so that a test can hold requests in flight and kill their worker."""
from __future__ import annotations

import os
import time
from pathlib import Path
from urllib.parse import parse_qs

from dashboard.wsgi import server as atlas


def server(environ, start_response):  # type: ignore[no-untyped-def]
    if environ.get("PATH_INFO") != "/__test/slow":
        return atlas(environ, start_response)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    tag = query.get("tag", [""])[0]
    if tag and os.environ.get("ATLAS_TEST_PIDS"):
        (Path(os.environ["ATLAS_TEST_PIDS"]) / tag).write_text(str(os.getpid()))
    time.sleep(min(10.0, float(query.get("s", ["1"])[0])))
    out = f"slow done {tag} ({len(body)} bytes in)".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(out)))])
    return [out]
