from __future__ import annotations

import json

import pytest

from dashboard.app import create_app
from dashboard.config import load_config


class DashClient:
    """Calls the app's callbacks through Dash's real HTTP endpoint with Flask's test client."""

    def __init__(self, app):
        self.app = app
        self.client = app.server.test_client()
        assert self.client.get("/").status_code == 200  # first request sets up the pages router

    def callback_key(self, first_output: str) -> str:
        for key in self.app.callback_map:
            if key.strip(".").startswith(first_output):
                return key
        raise KeyError(first_output)

    def call(self, first_output: str, inputs: dict, state: dict | None = None, changed: str | None = None):
        key = self.callback_key(first_output)
        spec = self.app.callback_map[key]
        outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]}
                   for o in key.strip(".").split("...")]

        def values(deps, given):
            out = []
            for d in deps:
                ident = d["id"]
                name = json.dumps(ident, sort_keys=True, separators=(",", ":")) if isinstance(ident, dict) else ident
                out.append({"id": ident, "property": d["property"],
                            "value": given.get(f"{name}.{d['property']}")})
            return out

        body = {
            "output": key,
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": values(spec["inputs"], inputs),
            "state": values(spec["state"], state or {}),
            "changedPropIds": [changed or next(iter(inputs))],
        }
        resp = self.client.post("/_dash-update-component", json=body)
        return resp


@pytest.fixture(scope="module")
def bundled_app():
    return create_app(load_config())


@pytest.fixture(scope="module")
def dash_client(bundled_app):
    return DashClient(bundled_app)
