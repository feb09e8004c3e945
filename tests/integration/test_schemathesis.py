"""Schemathesis, run as an API user would (`schemathesis run URL/api/openapi.json --checks all`),
against the app on the bundled data served on a free port: every phase (coverage, fuzzing,
stateful), every check (status codes and answers as described, schema-valid requests accepted and
invalid ones refused, undeclared methods answered 405 with an Allow header, no server error).
Deterministic (no random seed) and bounded in examples, so it finds the same things every run."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from werkzeug.serving import make_server

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def test_schemathesis_finds_nothing(bundled_app, tmp_path):
    server = make_server("127.0.0.1", 0, bundled_app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = subprocess.run(
            [str(SCHEMATHESIS), "run", f"http://127.0.0.1:{server.server_port}/api/openapi.json", "--checks", "all",
             "--generation-deterministic", "--max-examples", "25", "--request-timeout", "10"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    assert run.returncode == 0 and "No issues found" in run.stdout, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Coverage" in run.stdout and "Stateful" in run.stdout  # every phase ran
