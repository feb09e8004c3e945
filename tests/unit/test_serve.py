"""`serve` binds to loopback with debug off unless told otherwise; the WSGI module runs with debug off."""
from __future__ import annotations

import dash
import pytest

from dashboard.cli import main
from dashboard.config import load_config


@pytest.fixture
def runs(monkeypatch):
    calls = []
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kw: calls.append((self, kw)))
    return calls


def test_serve_defaults_to_loopback_without_debug(runs, capsys):
    assert main(["serve"]) == 0
    app, kw = runs[0]
    assert kw == {"host": "127.0.0.1", "port": 8050, "debug": False}
    assert app.server.debug is False
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8050/" in out and "reverse proxy" not in out


def test_another_address_is_an_explicit_option_with_a_warning(runs, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    assert runs[0][1] == {"host": "0.0.0.0", "port": 8123, "debug": False}
    assert "reverse proxy" in capsys.readouterr().out


def test_debug_only_when_asked(runs):
    assert main(["serve", "--debug"]) == 0
    assert runs[0][1]["debug"] is True


def test_settings_default_to_loopback_and_no_debug():
    cfg = load_config()
    assert (cfg.host, cfg.debug) == ("127.0.0.1", False)


def test_wsgi_app_has_debug_off():
    from dashboard import wsgi

    assert wsgi.server.debug is False
    assert wsgi.server.config["PROPAGATE_EXCEPTIONS"] is False
    assert "Content-Security-Policy" in wsgi.server.test_client().get("/").headers
