"""benchmarks/load.py: loopback only, bounded, and its requests are ones the app answers (a short run)."""
from __future__ import annotations

import socket
import threading

import pytest
from werkzeug.serving import make_server

from benchmarks import load
from tests.support.paths import ROOT



@pytest.mark.parametrize("host", ["10.0.0.1", "192.168.1.1", "8.8.8.8"])
def test_refuses_addresses_beyond_this_machine(host):
    with pytest.raises(SystemExit, match="loopback only"):
        load.loopback_only(host)
    with pytest.raises(SystemExit):
        load.main(["--url", f"http://{host}:8050", "--seconds", "1"])


@pytest.mark.parametrize("args", [["--clients", "0"], ["--clients", "501"], ["--seconds", "601"],
                                  ["--url", "https://127.0.0.1:1"]])
def test_bounded(args):
    with pytest.raises(SystemExit):
        load.main(args)


def test_serve_prod_uses_preloaded_workers():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "gunicorn -c deploy/gunicorn.conf.py 'dashboard.wsgi:server'" in makefile
    cmd = load.gunicorn_command("127.0.0.1", 8050, 4)
    assert cmd[cmd.index("-c") + 1].endswith("deploy/gunicorn.conf.py") and cmd[-1] == "dashboard.wsgi:server"
    settings: dict = {}
    exec((ROOT / "deploy/gunicorn.conf.py").read_text(encoding="utf-8"), settings)
    assert settings["preload_app"] is True and settings["timeout"] > 0 and settings["graceful_timeout"] > 0


def test_a_short_run_against_the_app_has_no_errors(bundled_app, capsys):
    port = next(p for p in range(58150, 58200) if _free(p))
    server = make_server("127.0.0.1", port, bundled_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        code = load.main(["--url", f"http://127.0.0.1:{port}", "--clients", "4", "--seconds", "1.5"])
    finally:
        server.shutdown()
    out = capsys.readouterr().out
    assert code == 0, out
    assert "errors                0" in out
    for kind in ("page layout", "matrix filter", "compare", "cell click"):
        assert kind in out


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
