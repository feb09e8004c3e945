"""Call a Dash app's callbacks through its real HTTP endpoint with Flask's test client
(used by the integration tests and the benchmarks)."""
from __future__ import annotations

import json

PAGES_CONTENT = "_pages_content.children"


class DashClient:
    def __init__(self, app):
        self.app = app
        self.client = app.server.test_client()
        resp = self.client.get("/")  # the first request sets up the pages router
        assert resp.status_code == 200, resp.status_code

    def callback_key(self, first_output: str) -> str:
        for key in self.app.callback_map:
            if key.strip(".").startswith(first_output):
                return key
        raise KeyError(first_output)

    def body(self, first_output: str, inputs: dict, state: dict | None = None, changed: str | None = None) -> dict:
        key = self.callback_key(first_output)
        spec = self.app.callback_map[key]
        outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]

        def values(deps, given):
            out = []
            for d in deps:
                ident = d["id"]
                name = json.dumps(ident, sort_keys=True, separators=(",", ":")) if isinstance(ident, dict) else ident
                out.append({"id": ident, "property": d["property"], "value": given.get(f"{name}.{d['property']}")})
            return out

        return {
            "output": key,
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": values(spec["inputs"], inputs),
            "state": values(spec["state"], state or {}),
            "changedPropIds": [changed or next(iter(inputs))],
        }

    def call(self, first_output: str, inputs: dict, state: dict | None = None, changed: str | None = None,
             headers: dict | None = None):
        return self.client.post("/_dash-update-component", json=self.body(first_output, inputs, state, changed),
                                headers=headers or {})

    def page(self, path: str, headers: dict | None = None):
        """The page router's response for an address, as the browser asks for it."""
        pathname, _, search = path.partition("?")
        return self.call(PAGES_CONTENT, {"_pages_location.pathname": pathname,
                                         "_pages_location.search": f"?{search}" if search else ""},
                         changed="_pages_location.pathname", headers=headers)
