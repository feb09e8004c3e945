"""The read-only JSON API under /api/, and the open-data downloads (SQLite, data package).

`register(server, get_store)` adds the routes; `create_app` calls it. Every answer reads the
store of the request (`get_store`), is built through the models of `api_models.py` from records
built once per store (`Index`), and carries the dataset version; /api/openapi.json is generated
from the same models and `ROUTES`. Bad input is a 4xx in the app's one error shape
(`security.error_response`), never a traceback. Strings go out as JSON strings, never HTML.
"""
from __future__ import annotations

import logging
import weakref
from bisect import bisect_right
from datetime import date
from typing import Callable
from urllib.parse import urlencode

import orjson
from flask import Flask, Response, request
from pydantic import BaseModel, ValidationError

from ..data import export
from ..data.heap import no_cyclic_gc
from ..data.memo import memo
from ..data.models import ATTRIBUTIONS
from ..data.opendata import citation, dataset_version, permalink_path, selectors, tables
from ..data.search import one_word, word_hits
from ..data.store import Store
from . import api_models as m
from .api_models import MAX_VALUES  # noqa: F401 - feed.py's too
from .security import error_body, error_response  # noqa: F401 - error_body: feed.py's

log = logging.getLogger("dashboard")

PREFIX = "/api"
MAX_QUERY = 4000  # feed.py's limit; the API takes any query its description allows (the HTTP server caps its length)
QUOTE_FILTERS = ("organization", "topic", "tradition", "attribution")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


# ---- records, built once per store ------------------------------------------------------
class Index:
    """What the API answers from, built on first use for one store: the models' instances."""

    def __init__(self, store: Store):
        t = tables(store)
        self.version = m.Dataset(**dataset_version(store).as_dict())
        labels = {(p["topic"], p["id"]): p["label"] for p in t["positions"]}
        label = lambda topic, position: labels.get((topic, position), position)  # noqa: E731
        views = {q["id"]: q["view"] for q in t["quotes"]}
        self.quotes: list[m.Quote] = []
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
            tradition = store.organizations[e.organization].tradition
            self.quotes.append(m.Quote(
                id=e.quote_id, organization=e.organization, topic=e.topic, tradition=tradition,
                view="own" if views[e.quote_id] == 0 else "counter", position=e.position,
                position_label=label(e.topic, e.position), attribution=e.attribution, speaker=e.speaker,
                speaker_org=e.speaker_org, text=e.text, states=bool(getattr(e, "states", False)), date=e.date,
                note=e.note, source=e.source, source_title=store.sources[e.source].title, permalink=permalink_path(e),
                selectors=selectors(store, e), shared=list(e.shared)))
            for f, v in zip(QUOTE_FILTERS, (e.organization, e.topic, tradition, e.attribution)):
                self.by[f].setdefault(v, []).append(i)
        self.quote_at = {q.id: i for i, q in enumerate(self.quotes)}
        quotes_of = lambda evs: [self.quotes[self.quote_at[e.quote_id]] for e in evs]  # noqa: E731
        self.stances: dict[tuple[str, str], m.Stance] = {}
        topic_stances: dict[str, list[m.TopicStance]] = {tid: [] for tid in store.topics}
        for s in t["stances"]:
            st = store.stances[(s["organization"], s["topic"])]
            fields = {**{k: v for k, v in s.items() if k != "quotes"}, "quote_count": s["quotes"],
                      "position_label": label(st.topic, st.position)}
            counters = [({"position": c.position, "position_label": label(st.topic, c.position), "summary": c.summary,
                          "reading": getattr(c, "reading", None)}, c.evidence) for c in st.counters]
            self.stances[(st.organization, st.topic)] = m.Stance(
                **fields, quotes=quotes_of(st.evidence), counters=[m.Counter(**c, quotes=quotes_of(evs))
                                                                   for c, evs in counters])
            topic_stances[st.topic].append(m.TopicStance(
                **fields, quote_ids=[e.quote_id for e in st.evidence],
                counters=[m.CounterIds(**c, quote_ids=[e.quote_id for e in evs]) for c, evs in counters],
                quotes_url=f"{PREFIX}/quotes?organization={st.organization}&topic={st.topic}"))
        facts: dict[str, list] = {}
        for f in t["facts"]:
            facts.setdefault(f["organization"], []).append(m.Fact(**{k: v for k, v in f.items()
                                                                      if k != "organization"}))
        self.organizations, self.lists = {}, {"organizations": [], "topics": []}
        for o in t["organizations"]:
            topics = [tp for tp in store.topics if (o["id"], tp) in store.stances]
            fields = {**o, "stance_count": len(topics), "url": f"{PREFIX}/organizations/{o['id']}"}
            self.lists["organizations"].append(m.Organization(**fields))
            self.organizations[o["id"]] = m.OrganizationDetail(
                **fields, facts=facts.get(o["id"], []), stances=[self.stances[(o["id"], tp)] for tp in topics])
        self.topics = {}
        for tp in t["topics"]:
            fields = {**tp, "stance_count": len(topic_stances[tp["id"]]), "url": f"{PREFIX}/topics/{tp['id']}"}
            self.lists["topics"].append(m.Topic(**fields))
            self.topics[tp["id"]] = m.TopicDetail(
                **fields, stances=topic_stances[tp["id"]],
                positions=[m.Position(**{k: v for k, v in p.items() if k != "topic"})
                           for p in t["positions"] if p["topic"] == tp["id"]])
        self.lists["sources"] = [m.Source(**s, url_dashboard=f"/sources/{s['id']}") for s in t["sources"]]
        self.lists["corrections"] = [m.Correction(**c) for c in t["corrections"]]
        self.known = {"organization": set(store.organizations), "topic": set(store.topics),
                      "tradition": set(store.traditions), "attribution": set(ATTRIBUTIONS)}


def index_of(store: Store) -> Index:
    memo_ = memo(store)
    if "api_index" not in memo_:
        with no_cyclic_gc():  # tens of thousands of models, none cyclic (as a load: data/heap.py)
            memo_["api_index"] = Index(store)
    return memo_["api_index"]


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


# ---- the endpoints: each answers its model, and the description lists them ----------------
ROUTES: list[tuple[str, str, type[BaseModel], type[BaseModel], Callable]] = []  # path, summary, answer, query, fn


def endpoint(path: str, answer: type[BaseModel], query: type[BaseModel] = m.NoQuery):  # type: ignore[no-untyped-def]
    def deco(fn):  # type: ignore[no-untyped-def]
        ROUTES.append((PREFIX + path, fn.__doc__, answer, query, fn))
        return fn
    return deco


def _query(model: type[BaseModel]) -> BaseModel:
    """The query's parameters as `model` (lists for its list fields, else the last value)."""
    lists = {name for name, f in model.model_fields.items() if f.annotation == list[str]}
    try:
        return model.model_validate({k: vs if k in lists else vs[-1] for k, vs in request.args.lists()})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0])[:40] if err["loc"] else ""
        if err["type"] == "extra_forbidden":
            raise ApiError(400, "unknown_parameter", f"unknown parameter '{name}'; this endpoint takes: "
                           f"{', '.join(model.model_fields) or 'none'}", name) from None
        raise ApiError(400, "bad_parameter", f"'{name}': {err['msg']}", name) from None


def _ids(ix: Index, values: list[str], key: str) -> list[str]:
    values = [v for raw in values for v in raw.split(",")]
    unknown = [v for v in values if v not in ix.known[key]]
    if unknown:
        shown = ", ".join(repr(v[:40]) for v in unknown[:5])
        raise ApiError(400, "unknown_value", f"unknown {key}: {shown}; the {key}s are listed at "
                       + (f"{PREFIX}/{key}s" if key in ("organization", "topic") else
                          "the matrix" if key == "tradition" else "self, critic, observer"), key)
    return values


def _not_found(what: str, value: str, where: str) -> ApiError:
    return ApiError(404, "not_found", f"no {what} '{value[:80]}'; see {PREFIX}/{where}")


@endpoint("/", m.Endpoints)
def root(ix: Index, q: m.NoQuery) -> m.Endpoints:
    """Where the endpoints are"""
    return m.Endpoints(dataset=ix.version, endpoints={  # /api/topics: topics, /api/topics/{id}: topic
        (p.split("/")[-2][:-1] if p.endswith("{id}") else p.split("/")[-1]): p for p, *_ in ROUTES if p != PREFIX + "/"}
        | {"openapi": f"{PREFIX}/openapi.json"})


for _key, _model, _summary in (("organizations", m.OrganizationList, "Every organization"),
                               ("topics", m.TopicList, "Every topic"),
                               ("sources", m.SourceList, "Every source text's metadata"),
                               ("corrections", m.CorrectionList, "The corrections log")):
    def listing(ix: Index, q: m.NoQuery, key: str = _key, model: type = _model) -> BaseModel:
        return model(dataset=ix.version, count=len(ix.lists[key]), **{key: ix.lists[key]})
    listing.__name__, listing.__doc__ = _key, _summary
    endpoint("/" + _key, _model)(listing)


@endpoint("/organizations/{id}", m.OrganizationAnswer)
def organization(ix: Index, q: m.NoQuery, id: str) -> m.OrganizationAnswer:  # noqa: A002
    """One organization with its facts, stances and quotes"""
    if id not in ix.organizations:
        raise _not_found("organization", id, "organizations")
    return m.OrganizationAnswer(dataset=ix.version, organization=ix.organizations[id])


@endpoint("/topics/{id}", m.TopicAnswer)
def topic(ix: Index, q: m.NoQuery, id: str) -> m.TopicAnswer:  # noqa: A002
    """One topic with its positions and every stance on it"""
    if id not in ix.topics:
        raise _not_found("topic", id, "topics")
    return m.TopicAnswer(dataset=ix.version, topic=ix.topics[id])


@endpoint("/quotes", m.QuotePage, m.QuoteQuery)
def quotes(ix: Index, q: m.QuoteQuery) -> m.QuotePage:
    """Search the quotes, a page at a time"""
    filters = {f: _ids(ix, getattr(q, f), f) for f in QUOTE_FILTERS if getattr(q, f)}
    found = search_quotes(ix, filters, " ".join(q.text.split()))
    nxt = None
    if q.offset + q.limit < len(found):
        params = [(k, v) for k, vs in request.args.lists() if k not in ("offset", "limit") for v in vs]
        nxt = f"{PREFIX}/quotes?{urlencode(params + [('limit', q.limit), ('offset', q.offset + q.limit)])}"
    return m.QuotePage(dataset=ix.version, count=len(found), offset=q.offset, limit=q.limit, next=nxt,
                       quotes=[ix.quotes[i] for i in found[q.offset:q.offset + q.limit]])


@endpoint("/quotes/{id}", m.QuoteAnswer)
def quote(ix: Index, q: m.NoQuery, id: str) -> m.QuoteAnswer:  # noqa: A002
    """One quote, with its citation and BibTeX"""
    store = ix.store()
    if id not in ix.quote_at or store is None:
        raise _not_found("quote", id, "quotes")
    cite = citation(store, store.quote(id), request.host_url, date.today().isoformat())
    return m.QuoteAnswer(dataset=ix.version, quote=m.CitedQuote(
        **{**dict(ix.quotes[ix.quote_at[id]]), "permalink": cite["permalink"]},
        citation=m.Citation(text=cite["text"], bibtex=cite["bibtex"], accessed=cite["accessed"])))


def _api(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


def openapi(store: Store) -> dict:
    ix = index_of(store)
    return m.openapi(ROUTES, ix.known, ix.version.version)


def register(server: Flask, get_store: Callable[[], Store]) -> None:
    def view(fn: Callable, query: type[BaseModel]):  # type: ignore[no-untyped-def]
        def answer(**kwargs):  # type: ignore[no-untyped-def]
            try:
                ix = index_of(get_store())
                body = fn(ix, _query(query), **kwargs).model_dump_json()
                return _api(Response(body, mimetype="application/json"))
            except ApiError as exc:
                return _api(error_response(exc.status, exc.code, exc.message, exc.parameter))
            except Exception:  # noqa: BLE001 - the client never sees a traceback
                log.exception("API error at %s", request.path)
                return _api(error_response(500, "internal", "this request could not be answered"))
        return answer

    for path, _, _, query, fn in ROUTES:
        server.add_url_rule(path.replace("{id}", "<id>"), "api_" + fn.__name__, view(fn, query))

    @server.route(PREFIX + "/openapi.json")
    def api_openapi():  # type: ignore[no-untyped-def]
        return _api(Response(orjson.dumps(openapi(get_store())), mimetype="application/json"))

    @server.route(PREFIX + "/<path:rest>")
    def api_unknown(rest):  # type: ignore[no-untyped-def]
        return _api(error_response(404, "not_found", f"no such endpoint; see {PREFIX}/ and {PREFIX}/openapi.json"))

    # ---- downloads -----------------------------------------------------------------------
    def attachment(body: bytes, mime: str, name: str) -> Response:
        return Response(body, mimetype=mime, headers={"Content-Disposition": f"attachment; filename={name}"})

    @server.route("/download/" + export.SQLITE_NAME)
    def download_sqlite():  # type: ignore[no-untyped-def]
        return attachment(export.sqlite_bytes(get_store()), "application/vnd.sqlite3", export.SQLITE_NAME)

    @server.route("/download/" + export.METADATA_NAME)
    def download_metadata():  # type: ignore[no-untyped-def]
        body = orjson.dumps(export.datasette_metadata(get_store()), option=orjson.OPT_INDENT_2)
        return attachment(body, "application/json", export.METADATA_NAME)

    @server.route("/download/" + export.PACKAGE_NAME + "-datapackage.zip")
    def download_datapackage():  # type: ignore[no-untyped-def]
        return attachment(export.datapackage_zip_bytes(get_store()), "application/zip",
                          export.PACKAGE_NAME + "-datapackage.zip")
