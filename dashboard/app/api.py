"""The read-only JSON API under /api/, and the open-data downloads (SQLite, data package).

`register(server, get_store)` adds Flask routes to the Dash app's server; `create_app` calls it.
Pages never import this module. Every answer reads the same immutable store as the views
(through `get_store`, the store of the current request), selects from records built once per
store (`opendata.tables` and the indexes below), and is JSON with stable field names and the
dataset version. Bad input is a 4xx with one error shape, never a traceback:

    {"error": {"status": 400, "code": "bad_parameter", "message": "...", "parameter": "limit"},
     "dataset": {...}}

No HTML is produced: strings go out as JSON strings, escaped by the encoder.
"""
from __future__ import annotations

import logging
import weakref
from bisect import bisect_right
from datetime import date
from typing import Callable

import orjson
from flask import Flask, Response, request

from ..data import export as exports
from ..data.memo import memo
from ..data.models import ATTRIBUTIONS
from ..data.opendata import TABLES, citation, dataset_version, permalink_path, selectors, tables
from ..data.search import one_word, word_hits
from ..data.store import STRENGTH_WORDS, Store

log = logging.getLogger("dashboard")

PREFIX = "/api"
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
MAX_TEXT = 200          # characters of a text search
MAX_VALUES = 50         # values of one filter
MAX_QUERY = 4000        # characters of the whole query string
QUOTE_FILTERS = ("organization", "topic", "tradition", "attribution")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


# ---- records, built once per store ------------------------------------------------------
def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


class Index:
    """What the API answers from, built on first use for one store."""

    def __init__(self, store: Store):
        t = tables(store)
        self.version = dataset_version(store).as_dict()
        self.positions = {(p["topic"], p["id"]): p for p in t["positions"]}
        self.quote_rows = {q["id"]: q for q in t["quotes"]}
        self.quotes: list[dict] = []
        self.by: dict[str, dict[str, list[int]]] = {f: {} for f in QUOTE_FILTERS}
        # every quote's haystack joined once: a search is str.find over one string, in C
        hay = store.haystacks
        self.haystacks = hay
        self.store = weakref.ref(store)  # for its word list (a strong reference would keep it alive)
        self.joined = "\x01".join(hay)
        starts, pos = [], 0
        for h in hay:
            starts.append(pos)
            pos += len(h) + 1
        self.starts = starts
        for i, e in enumerate(store.evidence):
            q = self.quote_rows[e.quote_id]
            org = store.organizations[e.organization]
            self.quotes.append(_drop_none({
                "id": e.quote_id, "organization": e.organization, "topic": e.topic, "tradition": org.tradition,
                "view": "own" if q["view"] == 0 else "counter", "position": e.position,
                "position_label": self._label(e.topic, e.position), "attribution": e.attribution,
                "speaker": e.speaker, "speaker_org": e.speaker_org, "text": e.text, "states": q["states"],
                "date": e.date, "note": e.note, "source": e.source, "source_title": store.sources[e.source].title,
                "permalink": permalink_path(e), "selectors": selectors(store, e),
            }))
            for f, v in (("organization", e.organization), ("topic", e.topic), ("tradition", org.tradition),
                         ("attribution", e.attribution)):
                self.by[f].setdefault(v, []).append(i)
        self.quote_at = {q["id"]: i for i, q in enumerate(self.quotes)}
        self.stances = {}
        for s in t["stances"]:
            key = (s["organization"], s["topic"])
            st = store.stances[key]
            own = [self.quotes[self.quote_at[e.quote_id]] for e in st.evidence]
            counters = [_drop_none({
                "position": c.position, "position_label": self._label(st.topic, c.position), "summary": c.summary,
                "reading": getattr(c, "reading", None),
                "quotes": [self.quotes[self.quote_at[e.quote_id]] for e in c.evidence]}) for c in st.counters]
            self.stances[key] = _drop_none({
                "organization": s["organization"], "topic": s["topic"], "position": s["position"],
                "position_label": self._label(s["topic"], s["position"]), "summary": s["summary"],
                "reading": s["reading"], "contested": s["contested"], "strength": s["strength"],
                "strength_words": s["strength_words"], "quote_count": s["quotes"], "quotes": own,
                "counters": counters})
        self.organizations = {}
        facts: dict[str, list] = {}
        for f in t["facts"]:
            facts.setdefault(f["organization"], []).append(_drop_none({k: v for k, v in f.items()
                                                                       if k != "organization"}))
        for o in t["organizations"]:
            topics = [tp for tp in store.topics if (o["id"], tp) in store.stances]
            self.organizations[o["id"]] = {**_drop_none(o), "stance_count": len(topics),
                                           "url": f"{PREFIX}/organizations/{o['id']}", "_topics": topics,
                                           "_facts": facts.get(o["id"], [])}
        self.topics = {}
        for tp in t["topics"]:
            self.topics[tp["id"]] = {**_drop_none(tp), "positions": [
                _drop_none({k: v for k, v in p.items() if k not in ("topic",)})
                for p in t["positions"] if p["topic"] == tp["id"]],
                "stance_count": sum(1 for o in store.organizations if (o, tp["id"]) in store.stances),
                "url": f"{PREFIX}/topics/{tp['id']}"}
        self.organization_list = [{k: v for k, v in o.items() if not k.startswith("_")}
                                  for o in self.organizations.values()]
        self.topic_list = [{k: v for k, v in tp.items() if k != "positions"} for tp in self.topics.values()]
        self.topic_stances: dict[str, list[dict]] = {tid: [] for tid in self.topics}
        for (o, tid), s in self.stances.items():
            self.topic_stances[tid].append(
                {k: v for k, v in s.items() if k not in ("quotes", "counters")}
                | {"quote_ids": [q["id"] for q in s["quotes"]],
                   "counters": [{k: v for k, v in c.items() if k != "quotes"}
                                | {"quote_ids": [q["id"] for q in c["quotes"]]} for c in s["counters"]],
                   "quotes_url": f"{PREFIX}/quotes?organization={o}&topic={tid}"})
        self.sources = [{**_drop_none(s), "url_dashboard": f"/sources/{s['id']}"} for s in t["sources"]]
        self.corrections = [_drop_none(c) for c in t["corrections"]]
        self.known = {"organization": set(store.organizations), "topic": set(store.topics),
                      "tradition": set(store.traditions), "attribution": set(ATTRIBUTIONS)}

    def _label(self, topic: str, position: str) -> str:
        p = self.positions.get((topic, position))
        return p["label"] if p else position


def index_of(store: Store) -> Index:
    m = memo(store)
    if "api_index" not in m:
        m["api_index"] = Index(store)
    return m["api_index"]


# ---- answers ------------------------------------------------------------------------------
def _json(body: dict, status: int = 200) -> Response:
    resp = Response(orjson.dumps(body), status=status, mimetype="application/json")
    resp.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


def error_body(status: int, code: str, message: str, parameter: str | None = None,
               version: dict | None = None) -> dict:
    err = {"status": status, "code": code, "message": message}
    if parameter:
        err["parameter"] = parameter
    return {"error": err, "dataset": version}


def _args(allowed: tuple[str, ...]) -> dict[str, list[str]]:
    """The query's parameters, each a list; unknown or oversized ones refused."""
    if len(request.query_string) > MAX_QUERY:
        raise ApiError(414, "query_too_long", f"the query string is longer than {MAX_QUERY} characters")
    out: dict[str, list[str]] = {}
    for key in request.args:
        if key not in allowed:
            raise ApiError(400, "unknown_parameter",
                           f"unknown parameter '{key[:40]}'; this endpoint takes: {', '.join(allowed) or 'none'}",
                           key[:40])
        values = request.args.getlist(key)
        if len(values) > MAX_VALUES:
            raise ApiError(400, "bad_parameter", f"at most {MAX_VALUES} values of '{key}'", key)
        out[key] = values
    return out


def _int(args: dict, key: str, default: int, lo: int, hi: int) -> int:
    values = args.get(key)
    if not values:
        return default
    raw = values[-1]
    if not raw.isdigit() or len(raw) > 9:
        raise ApiError(400, "bad_parameter", f"'{key}' must be a whole number from {lo} to {hi}", key)
    n = int(raw)
    if not lo <= n <= hi:
        raise ApiError(400, "bad_parameter", f"'{key}' must be a whole number from {lo} to {hi}", key)
    return n


def _ids(ix: Index, args: dict, key: str) -> list[str]:
    values = [v for raw in args.get(key, ()) for v in raw.split(",") if v]
    unknown = [v for v in values if v not in ix.known[key]]
    if unknown:
        shown = ", ".join(repr(v[:40]) for v in unknown[:5])
        raise ApiError(400, "unknown_value", f"unknown {key}: {shown}; the {key}s are listed at "
                       + (f"{PREFIX}/{key}s" if key in ("organization", "topic") else
                          "the matrix" if key == "tradition" else "self, critic, observer"), key)
    return values


def search_quotes(ix: Index, filters: dict[str, list[str]], text: str = "") -> list[int]:
    """Indexes of the quotes that pass every filter (any of a filter's values) and contain the text
    (case-folded, in the quote, its view's summary, its speaker or its stance's summary), in the
    store's order."""
    chosen: set[int] | None = None
    for f in QUOTE_FILTERS:
        values = filters.get(f)
        if not values:
            continue
        hits = {i for v in values for i in ix.by[f].get(v, ())}
        chosen = hits if chosen is None else chosen & hits
    order = range(len(ix.quotes)) if chosen is None else sorted(chosen)
    needle = text.casefold()
    if needle:
        hits = text_hits(ix, needle)
        order = [i for i in order if i in hits] if chosen is not None else sorted(hits)
    return list(order)


def text_hits(ix: Index, needle: str) -> set[int]:
    """The quotes whose haystack contains `needle`: found in the joined haystacks, each hit
    mapped back to its quote, then the search goes on from the next quote. The plain version
    is `{i for i, h in enumerate(ix.haystacks) if needle in h}` (tested to agree)."""
    if any(ord(ch) < 32 for ch in needle):  # the separators: the API refuses such text
        return {i for i, h in enumerate(ix.haystacks) if needle in h}
    store = ix.store()
    if store is not None and one_word(needle):  # one word: the list of distinct words (data/search.py)
        return set(word_hits(store, needle))
    joined, starts, hits = ix.joined, ix.starts, set()
    n = len(starts)
    pos = joined.find(needle)
    while pos != -1:
        i = bisect_right(starts, pos) - 1
        hits.add(i)
        if i + 1 >= n:
            break
        pos = joined.find(needle, starts[i + 1])
    return hits


def register(server: Flask, get_store: Callable[[], Store]) -> None:
    def ix() -> Index:
        return index_of(get_store())

    def route(rule: str, allowed: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        def deco(fn):  # type: ignore[no-untyped-def]
            def view(**kwargs):  # type: ignore[no-untyped-def]
                index = None
                try:
                    index = ix()
                    args = _args(allowed)
                    body = fn(index, args, **kwargs)
                    return _json({**body, "dataset": index.version})
                except ApiError as exc:
                    return _json(error_body(exc.status, exc.code, exc.message, exc.parameter,
                                            index.version if index else None), exc.status)
                except Exception:  # noqa: BLE001 - the client never sees a traceback
                    log.exception("API error at %s", request.path)
                    return _json(error_body(500, "internal", "this request could not be answered",
                                            version=index.version if index else None), 500)

            view.__name__ = "api_" + fn.__name__
            server.add_url_rule(PREFIX + rule, view.__name__, view, methods=["GET"])
            return fn
        return deco

    @route("/")
    def root(index, args):  # type: ignore[no-untyped-def]
        return {"endpoints": {
            "organizations": f"{PREFIX}/organizations", "organization": f"{PREFIX}/organizations/{{id}}",
            "topics": f"{PREFIX}/topics", "topic": f"{PREFIX}/topics/{{id}}", "sources": f"{PREFIX}/sources",
            "corrections": f"{PREFIX}/corrections", "quotes": f"{PREFIX}/quotes",
            "quote": f"{PREFIX}/quotes/{{id}}", "openapi": f"{PREFIX}/openapi.json"}}

    @route("/organizations")
    def organizations(index, args):  # type: ignore[no-untyped-def]
        return {"count": len(index.organization_list), "organizations": index.organization_list}

    @route("/organizations/<org_id>")
    def organization(index, args, org_id):  # type: ignore[no-untyped-def]
        o = index.organizations.get(org_id)
        if o is None:
            raise ApiError(404, "not_found", f"no organization '{org_id[:80]}'; see {PREFIX}/organizations")
        body = {k: v for k, v in o.items() if not k.startswith("_")}
        body["facts"] = o["_facts"]
        body["stances"] = [index.stances[(org_id, t)] for t in o["_topics"]]
        return {"organization": body}

    @route("/topics")
    def topics(index, args):  # type: ignore[no-untyped-def]
        return {"count": len(index.topic_list), "topics": index.topic_list}

    @route("/topics/<topic_id>")
    def topic(index, args, topic_id):  # type: ignore[no-untyped-def]
        t = index.topics.get(topic_id)
        if t is None:
            raise ApiError(404, "not_found", f"no topic '{topic_id[:80]}'; see {PREFIX}/topics")
        stances = index.topic_stances[topic_id]
        return {"topic": {**t, "stances": stances}}

    @route("/sources")
    def sources(index, args):  # type: ignore[no-untyped-def]
        return {"count": len(index.sources), "sources": index.sources}

    @route("/corrections")
    def corrections(index, args):  # type: ignore[no-untyped-def]
        return {"count": len(index.corrections), "corrections": index.corrections}

    @route("/quotes", QUOTE_FILTERS + ("text", "limit", "offset"))
    def quotes(index, args):  # type: ignore[no-untyped-def]
        filters = {f: _ids(index, args, f) for f in QUOTE_FILTERS if f in args}
        text = " ".join((args.get("text") or [""])[-1].split())
        if len(text) > MAX_TEXT:
            raise ApiError(400, "bad_parameter", f"'text' is longer than {MAX_TEXT} characters", "text")
        if any(ord(ch) < 32 for ch in text):
            raise ApiError(400, "bad_parameter", "'text' must not hold control characters", "text")
        limit = _int(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        offset = _int(args, "offset", 0, 0, 10 ** 9)
        found = search_quotes(index, filters, text)
        page = [index.quotes[i] for i in found[offset:offset + limit]]
        nxt = None
        if offset + limit < len(found):
            params = [(k, v) for k, vs in args.items() if k not in ("offset", "limit") for v in vs]
            params += [("limit", str(limit)), ("offset", str(offset + limit))]
            from urllib.parse import urlencode

            nxt = f"{PREFIX}/quotes?{urlencode(params)}"
        return {"count": len(found), "offset": offset, "limit": limit, "next": nxt, "quotes": page}

    @route("/quotes/<quote_id>")
    def quote(index, args, quote_id):  # type: ignore[no-untyped-def]
        i = index.quote_at.get(quote_id)
        if i is None:
            raise ApiError(404, "not_found", f"no quote '{quote_id[:80]}'; search them at {PREFIX}/quotes")
        store = get_store()
        ev = store.quote(quote_id)
        cite = citation(store, ev, request.host_url, date.today().isoformat())
        return {"quote": {**index.quotes[i], "permalink": cite["permalink"],
                          "citation": {"text": cite["text"], "bibtex": cite["bibtex"], "accessed": cite["accessed"]}}}

    @server.route(PREFIX + "/openapi.json")
    def api_openapi():  # type: ignore[no-untyped-def]
        return _json(openapi(get_store()))

    @server.route(PREFIX + "/<path:rest>")
    def api_unknown(rest):  # type: ignore[no-untyped-def]
        return _json(error_body(404, "not_found", f"no such endpoint; see {PREFIX}/ and {PREFIX}/openapi.json",
                                version=ix().version), 404)

    @server.errorhandler(405)
    def method_not_allowed(err):  # type: ignore[no-untyped-def]
        if request.path.startswith(PREFIX + "/") or request.path == PREFIX:
            return _json(error_body(405, "method_not_allowed", "the API is read-only: use GET",
                                    version=ix().version), 405)
        return err

    # ---- downloads -----------------------------------------------------------------------
    def attachment(body: bytes, mime: str, name: str) -> Response:
        return Response(body, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={name}"})

    @server.route("/download/" + exports.SQLITE_NAME)
    def download_sqlite():  # type: ignore[no-untyped-def]
        return attachment(exports.sqlite_bytes(get_store()), "application/vnd.sqlite3", exports.SQLITE_NAME)

    @server.route("/download/" + exports.METADATA_NAME)
    def download_metadata():  # type: ignore[no-untyped-def]
        body = orjson.dumps(exports.datasette_metadata(get_store()), option=orjson.OPT_INDENT_2)
        return attachment(body, "application/json", exports.METADATA_NAME)

    @server.route("/download/" + exports.PACKAGE_NAME + "-datapackage.zip")
    def download_datapackage():  # type: ignore[no-untyped-def]
        return attachment(exports.datapackage_zip_bytes(get_store()), "application/zip",
                          exports.PACKAGE_NAME + "-datapackage.zip")


# ---- OpenAPI --------------------------------------------------------------------------------
def openapi(store: Store) -> dict:
    ver = dataset_version(store)
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731

    def ok(schema_name: str, description: str) -> dict:
        return {"200": {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}},
                "4XX": {"description": "Bad input or not found", "content": {"application/json": {
                    "schema": ref("Error")}}}}

    def param(name: str, description: str, schema: dict, where: str = "query", required: bool = False) -> dict:
        return {"name": name, "in": where, "description": description, "required": required, "schema": schema}

    def columns(table: str, extra: dict | None = None) -> dict:
        t = TABLES[table]
        props = {c.name: {"type": {"integer": "integer", "boolean": "boolean", "array": "array"}.get(c.type, "string"),
                          "description": c.description, **({"items": {"type": "string"}} if c.type == "array" else {})}
                 for c in t.columns}
        return {"type": "object", "properties": {**props, **(extra or {})}}

    listing = lambda key, item: {"type": "object", "properties": {  # noqa: E731
        "count": {"type": "integer"}, key: {"type": "array", "items": ref(item)}, "dataset": ref("Dataset")}}
    id_list = {"type": "array", "items": {"type": "string"}}
    quote_params = [
        param("organization", "Only quotes on these organizations' stances (repeat, or comma-separated ids).", id_list),
        param("topic", "Only these topics.", id_list),
        param("tradition", "Only organizations of these traditions.", id_list),
        param("attribution", "Only these speakers: self, critic, observer.",
              {"type": "array", "items": {"type": "string", "enum": list(ATTRIBUTIONS)}}),
        param("text", f"Words the quote, its summary or its speaker contain (case-insensitive; at most {MAX_TEXT} "
                      "characters).", {"type": "string", "maxLength": MAX_TEXT}),
        param("limit", f"Quotes per page (1 to {MAX_LIMIT}, default {DEFAULT_LIMIT}).",
              {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
        param("offset", "How many matching quotes to skip.", {"type": "integer", "minimum": 0, "default": 0}),
    ]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tendency Atlas API", "version": ver.version,
                 "description": "Read-only JSON over the Tendency Atlas dataset: organizations, topics, stances and "
                                "the quotes they rest on, each anchored in its source by W3C Web Annotation "
                                "selectors. Every answer carries the dataset version; errors share one shape.",
                 "license": {"name": "CC-BY-4.0 (the curated data)", "identifier": "CC-BY-4.0"}},
        "paths": {
            f"{PREFIX}/organizations": {"get": {"summary": "Every organization", "responses": ok(
                "OrganizationList", "The organizations")}},
            f"{PREFIX}/organizations/{{id}}": {"get": {"summary": "One organization with its facts, stances and quotes",
                                                       "parameters": [param("id", "Its id", {"type": "string"},
                                                                            "path", True)],
                                                       "responses": ok("OrganizationAnswer", "The organization")}},
            f"{PREFIX}/topics": {"get": {"summary": "Every topic", "responses": ok("TopicList", "The topics")}},
            f"{PREFIX}/topics/{{id}}": {"get": {"summary": "One topic with its positions and every stance on it",
                                                "parameters": [param("id", "Its id", {"type": "string"}, "path",
                                                                     True)],
                                                "responses": ok("TopicAnswer", "The topic")}},
            f"{PREFIX}/sources": {"get": {"summary": "Every source text's metadata",
                                          "responses": ok("SourceList", "The sources")}},
            f"{PREFIX}/corrections": {"get": {"summary": "The corrections log",
                                              "responses": ok("CorrectionList", "The corrections")}},
            f"{PREFIX}/quotes": {"get": {"summary": "Search the quotes, a page at a time", "parameters": quote_params,
                                         "responses": ok("QuotePage", "A page of matching quotes")}},
            f"{PREFIX}/quotes/{{id}}": {"get": {"summary": "One quote, with its citation and BibTeX",
                                                "parameters": [param("id", "Its id", {"type": "string"}, "path",
                                                                     True)],
                                                "responses": ok("QuoteAnswer", "The quote")}},
        },
        "components": {"schemas": {
            "Dataset": {"type": "object", "description": "The dataset version: cite it with the data.",
                        "properties": {"version": {"type": "string"}, "date": {"type": ["string", "null"]},
                                       "sha256": {"type": "string"}, "software": {"type": "string"}}},
            "Error": {"type": "object", "properties": {
                "error": {"type": "object", "properties": {
                    "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"},
                    "parameter": {"type": "string"}}, "required": ["status", "code", "message"]},
                "dataset": ref("Dataset")}},
            "Selector": {"type": "object", "description": "A W3C Web Annotation selector over the source text "
                                                          "(offsets count Unicode code points).",
                         "properties": {"type": {"enum": ["TextQuoteSelector", "TextPositionSelector"]},
                                        "exact": {"type": "string"}, "prefix": {"type": "string"},
                                        "suffix": {"type": "string"}, "start": {"type": "integer"},
                                        "end": {"type": "integer"}}},
            "Quote": {"type": "object", "properties": {
                **{k: {"type": "string"} for k in ("id", "organization", "topic", "tradition", "view", "position",
                                                    "position_label", "attribution", "speaker", "speaker_org",
                                                    "text", "date", "note", "source", "source_title", "permalink")},
                "states": {"type": "boolean"}, "selectors": {"type": "array", "items": ref("Selector")}}},
            "Stance": {"type": "object", "properties": {
                **{k: {"type": "string"} for k in ("organization", "topic", "position", "position_label", "summary",
                                                    "reading", "strength", "strength_words")},
                "contested": {"type": "boolean"}, "quote_count": {"type": "integer"},
                "quotes": {"type": "array", "items": ref("Quote")},
                "counters": {"type": "array", "items": {"type": "object"}}},
                "description": "strength is one of: " + ", ".join(STRENGTH_WORDS)},
            "Organization": columns("organizations", {"stance_count": {"type": "integer"}, "url": {"type": "string"}}),
            "OrganizationList": listing("organizations", "Organization"),
            "OrganizationAnswer": {"type": "object", "properties": {
                "organization": {"allOf": [ref("Organization")], "properties": {
                    "facts": {"type": "array", "items": columns("facts")},
                    "stances": {"type": "array", "items": ref("Stance")}}}, "dataset": ref("Dataset")}},
            "Topic": columns("topics", {"stance_count": {"type": "integer"}, "url": {"type": "string"}}),
            "TopicList": listing("topics", "Topic"),
            "TopicAnswer": {"type": "object", "properties": {
                "topic": {"allOf": [ref("Topic")], "properties": {
                    "positions": {"type": "array", "items": columns("positions")},
                    "stances": {"type": "array", "items": ref("Stance")}}}, "dataset": ref("Dataset")}},
            "Source": columns("sources", {"url_dashboard": {"type": "string"}}),
            "SourceList": listing("sources", "Source"),
            "Correction": columns("corrections"),
            "CorrectionList": listing("corrections", "Correction"),
            "QuotePage": {"type": "object", "properties": {
                "count": {"type": "integer"}, "offset": {"type": "integer"}, "limit": {"type": "integer"},
                "next": {"type": ["string", "null"]}, "quotes": {"type": "array", "items": ref("Quote")},
                "dataset": ref("Dataset")}},
            "QuoteAnswer": {"type": "object", "properties": {
                "quote": {"allOf": [ref("Quote")], "properties": {"citation": {"type": "object", "properties": {
                    "text": {"type": "string"}, "bibtex": {"type": "string"}, "accessed": {"type": "string"}}}}},
                "dataset": ref("Dataset")}},
        }},
    }
