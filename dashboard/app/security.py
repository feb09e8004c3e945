"""Safe in public: security headers on every response, and no 500 or traceback for hostile requests.

`install(app)` is called once by `create_app`. It

- sets the security headers on every response: a Content-Security-Policy allowing only what
  the app needs (its own scripts, plus the hashes of Dash's few inline scripts; its own styles,
  images and fonts; requests to itself; no framing), X-Content-Type-Options, Referrer-Policy and
  X-Frame-Options;
- refuses malformed or forged callback requests to ``/_dash-update-component`` with a 400
  before Dash sees them (bad JSON, unknown outputs, wrong shapes), and turns any other
  error a forged callback still provokes into a 400 without a traceback;
- answers a request body that is too big (413) and a method a route does not take (405, with
  the `Allow` header RFC 9110 asks for) in the app's one error shape, `error_response`, the
  API's: ``{"error": {"status", "code", "message", "parameter"}, "dataset": {...}}``;
- answers unknown Dash resources with a 404 and any other unexpected error with a plain 500
  page that says nothing about the code;
- keeps debug mode off and caps the size of request bodies.
"""
from __future__ import annotations

import logging
from typing import Any

import orjson
from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, request
from werkzeug.exceptions import InternalServerError, MethodNotAllowed, RequestEntityTooLarge

from ..components.context import get_store
from ..data.opendata import dataset_version
from .api_models import Error

log = logging.getLogger("dashboard")

MAX_BODY_BYTES = 1_000_000  # a callback request is a few KB; anything near this is not from the app
CALLBACK_PATH = "_dash-update-component"
INSTALLED_KEY = "ATLAS_SECURITY_INSTALLED"

# Everything is served from the app itself. Scripts: only its own files and the hashes of the
# inline scripts Dash writes into the page (clientside callbacks, the renderer's start-up line).
# Styles: 'unsafe-inline' because React, Plotly and AG Grid set style attributes and inject
# <style> elements. Images and fonts: data: because Bootstrap's and AG Grid's CSS embed icons;
# blob: for images because Plotly draws a chart into an image to download it.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],  # + the inline scripts' hashes
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(app: Dash) -> str:
    """The policy, with the hashes of the inline scripts the app's index page holds now."""
    directives = {k: list(v) for k, v in POLICY.items()}
    directives["script-src"] += app.csp_hashes()
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def error_body(status: int, code: str, message: str, parameter: str | None = None,
               version: dict | None = None) -> dict:
    """The app's one error shape (api_models.Error)."""
    return Error(error={"status": status, "code": code, "message": message, "parameter": parameter},
                 dataset=version).model_dump(mode="json")


def error_response(status: int, code: str, message: str, parameter: str | None = None,
                   headers: dict | None = None) -> Response:
    """`error_body` as JSON, with the dataset version of the request's store."""
    body = error_body(status, code, message, parameter, dataset_version(get_store()).as_dict())
    return Response(orjson.dumps(body), status=status, mimetype="application/json", headers=headers)


def _bad_request(message: str) -> Response:
    return error_response(400, "bad_callback", message)


def check_callback_body(app: Dash, body: Any) -> str | None:
    """Why a callback request body is not one the app's own pages could send, or None."""
    if not isinstance(body, dict):
        return "the request body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or "callback" not in app.callback_map.get(output, {}):
        return "unknown callback output"  # unknown, or a clientside callback the browser runs itself
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not isinstance(items, list):
            return f"'{key}' must be a list"
        for item in items:
            # one dependency, or a list of them for pattern-matching (ALL) inputs
            for dep in (item if isinstance(item, list) else [item]):
                if not isinstance(dep, dict) or "id" not in dep or not isinstance(dep.get("property"), str):
                    return f"malformed item in '{key}'"
                if not isinstance(dep["id"], (str, dict)):
                    return f"malformed id in '{key}'"
    outputs = body.get("outputs", [])
    for dep in (outputs if isinstance(outputs, list) else [outputs]):
        for d in (dep if isinstance(dep, list) else [dep]):
            if not isinstance(d, dict) or not isinstance(d.get("property"), str) or "id" not in d:
                return "malformed 'outputs'"
    if "_pages_content" in output:  # Dash's own page router: it takes the address as text, nothing else
        for dep in body.get("inputs", []):
            if isinstance(dep, dict) and dep.get("id") == "_pages_location":
                value, prop = dep.get("value"), dep.get("property")
                if not (isinstance(value, str) or (value is None and prop == "search")):
                    return "the page address must be text"
                if prop == "pathname" and not value.startswith(app.config.requests_pathname_prefix):
                    return "the page address must start with the app's own prefix"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' must be a list of strings"
    return None


def install(app: Dash) -> None:
    server = app.server
    if server.config.get(INSTALLED_KEY):
        return
    server.config[INSTALLED_KEY] = True
    server.debug = False  # Werkzeug's debugger would show tracebacks (and a console) to visitors
    server.config["PROPAGATE_EXCEPTIONS"] = False
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES

    def is_callback() -> bool:
        return request.path.endswith("/" + CALLBACK_PATH)

    @server.before_request
    def refuse_forged_callbacks():  # type: ignore[no-untyped-def]
        if not is_callback() or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        problem = "the request body must be JSON" if body is None else check_callback_body(app, body)
        return _bad_request(problem) if problem else None

    @server.after_request
    def security_headers(resp):  # type: ignore[no-untyped-def]
        resp.headers["Content-Security-Policy"] = content_security_policy(app)
        for name, value in HEADERS.items():
            resp.headers[name] = value
        return resp

    @server.errorhandler(MethodNotAllowed)
    def method_not_allowed(err):  # type: ignore[no-untyped-def]
        allow = ", ".join(sorted(err.valid_methods or ()))
        return error_response(405, "method_not_allowed", f"{request.method} is not allowed here; use {allow}",
                              headers={"Allow": allow})

    @server.errorhandler(RequestEntityTooLarge)
    def too_large(_err):  # type: ignore[no-untyped-def]
        return error_response(413, "too_large", f"the request body is larger than {MAX_BODY_BYTES} bytes")

    @server.errorhandler(DependencyException)
    def unknown_resource(_err):  # type: ignore[no-untyped-def]
        # Dash raises this (a 500 by default) for a script path it does not serve
        return Response("Not found\n", status=404, mimetype="text/plain")

    @server.errorhandler(InternalServerError)
    def internal_error(_err):  # type: ignore[no-untyped-def]
        # Flask has logged the exception with its traceback; the visitor gets none of it
        if is_callback():
            return _bad_request("this callback request could not be handled")
        return Response("Something went wrong on our side. Go back to the start page: /\n", status=500,
                        mimetype="text/plain")
