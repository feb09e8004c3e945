"""`/corrections.atom[?org=ID]`: the corrections log and the organizations' replies as an Atom feed
(RFC 4287), newest first.

One entry per correction and per reply: a stable id (a UUID named by the entry's key,
`replies.correction_key`, `Reply.key`),
its date, the organization and topic (as categories and in the title), what it was, what it is
and why, and a link to the stance on its organization's page. `?org=` (repeatable) keeps one
organization's entries. The XML is built with ElementTree, which escapes every text and
attribute: no data is pieced into markup by hand.

`install(app, get_store)` adds the route and announces the feed in the <head> of the pages it
belongs to (`<link rel="alternate" type="application/atom+xml">`: the corrections page and each
organization's page), through Dash's `interpolate_index`, which builds the page for every
address loaded from the server."""
from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from typing import Callable
from urllib.parse import urlencode

import orjson
from dash import Dash
from flask import Response, request

from ..components.stated import FIELD_LABELS, feed_href, shown_value
from ..data.models import Correction
from ..data.opendata import dataset_version
from ..data.replies import correction_key
from ..data.store import Store
from .api import MAX_QUERY, MAX_VALUES, ApiError, error_body

PATH = "/corrections.atom"
ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
MIME = "application/atom+xml"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "tendency-atlas:corrections")  # of every id in the feed
ET.register_namespace("", ATOM)


def entry_id(key: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, key)}"


def stance_path(store: Store, org: str, topic: str | None) -> str:
    """The stance on its organization's page (the organization's page when the stance is gone)."""
    if topic and (org, topic) in store.stances:
        return f"/organizations/{org}#topic-{topic}"
    return f"/organizations/{org}"


def _timestamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def _el(parent: ET.Element, tag: str, text: str | None = None, ns: str = ATOM, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ns}}}{tag}", attrib)
    if text is not None:
        el.text = text
    return el


def _entry(feed: ET.Element, store: Store, key: str, date: str, org_id: str, topic_id: str | None, what: str,
           lines: list[tuple[str, str]], base: str) -> None:
    """One entry: its id from `key`, titled '<organization> on <topic>: <what>', with `lines`
    ((label, text), ...) as its content."""
    org = store.org_name(org_id)
    topic = store.topics.get(topic_id) if topic_id else None
    where = f"{org} on {topic.name if topic else topic_id}" if topic_id else org
    entry = _el(feed, "entry")
    _el(entry, "id", entry_id(key))
    _el(entry, "title", f"{where}: {what}", type="text")
    _el(entry, "updated", _timestamp(date))
    _el(entry, "published", _timestamp(date))
    _el(entry, "link", rel="alternate", type="text/html", href=base + stance_path(store, org_id, topic_id))
    _el(entry, "category", term=org_id, label=org, scheme=base + "/organizations/")
    if topic_id:
        _el(entry, "category", term=topic_id, label=topic.name if topic else topic_id, scheme=base + "/topics/")
    content = _el(entry, "content", type="xhtml")
    div = _el(content, "div", ns=XHTML)
    for label, value in lines:
        p = _el(div, "p", ns=XHTML)
        _el(p, "strong", f"{label}:", ns=XHTML).tail = " " + value


def _correction(feed: ET.Element, store: Store, c: Correction, base: str) -> None:
    _entry(feed, store, correction_key(c), c.date, c.organization, c.topic,
           f"{FIELD_LABELS.get(c.field, c.field)} corrected",
           [("Was", shown_value(store, c, c.was)), ("Now", shown_value(store, c, c.now)), ("Why", c.reason)], base)


def _reply(feed: ET.Element, store: Store, r, base: str) -> None:
    lines = [("The organization's reply", " ".join(f"\u201c{q.text}\u201d ({q.speaker})" for q in r.quotes)),
             ("Source", store.sources[r.source].title)]
    if r.answer == "corrected":
        c = next((c for c in store.corrections_for(r.organization, r.topic) if correction_key(c) == r.correction),
                 None)
        lines.append(("The editors", "corrected the stance" + (f" on {c.date}: {c.reason}" if c else ".")))
    else:
        lines.append(("The editors", f"kept the stance: {r.reason}"))
    _entry(feed, store, r.key, r.date, r.organization, r.topic, f"the organization's reply ({r.answer})", lines,
           base)


def feed_xml(store: Store, orgs: list[str], base: str) -> bytes:
    """The feed of every correction (of `orgs`, if given), newest first; links under `base`."""
    # newest first: by date, and within a date the later entries of each log first
    shown = sorted([("correction", c) for c in reversed(store.corrections) if not orgs or c.organization in orgs]
                   + [("reply", r) for r in reversed(store.replies) if not orgs or r.organization in orgs],
                   key=lambda kv: kv[1].date, reverse=True)
    names = " and ".join(store.org_name(o) for o in orgs)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _el(feed, "id", f"urn:uuid:{uuid.uuid5(NAMESPACE, feed_href(sorted(orgs)))}")
    _el(feed, "title", "Tendency Atlas: corrections" + (f" to {names}" if orgs else ""), type="text")
    _el(feed, "subtitle", "Every change the editors made to a stance's position, summary or attribution: "
                          "what it was, what it is, and why.", type="text")
    _el(feed, "link", rel="self", type=MIME, href=base + feed_href(orgs))
    _el(feed, "link", rel="alternate", type="text/html",
        href=base + "/corrections" + ("?" + urlencode([("org", o) for o in orgs]) if orgs else ""))
    day = shown[0][1].date if shown else (dataset_version(store).date or "1970-01-01")
    _el(feed, "updated", _timestamp(day))
    _el(_el(feed, "author"), "name", "The Tendency Atlas editors")
    for kind, item in shown:
        (_correction if kind == "correction" else _reply)(feed, store, item, base)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _orgs(store: Store) -> list[str]:
    """The query's organizations: ApiError 400 for anything but `org`, 404 for an unknown one."""
    if len(request.query_string) > MAX_QUERY:
        raise ApiError(414, "query_too_long", f"the query string is longer than {MAX_QUERY} characters")
    for key in request.args:
        if key != "org":
            raise ApiError(400, "unknown_parameter", f"unknown parameter '{key[:40]}'; this feed takes: org",
                           key[:40])
    orgs = request.args.getlist("org")
    if len(orgs) > MAX_VALUES:
        raise ApiError(400, "bad_parameter", f"at most {MAX_VALUES} values of 'org'", "org")
    for o in orgs:
        if o not in store.organizations:
            raise ApiError(404, "not_found", f"no organization '{o[:80]}': the feed of every organization is at "
                                             f"{PATH}, and the organizations are listed at /organizations", "org")
    return list(dict.fromkeys(orgs))


def alternate_link(store: Store, path: str, orgs: list[str]) -> str:
    """The <link rel="alternate"> announcing the feed that belongs to the page at `path`, or ''."""
    if path.startswith("/organizations/") and path.count("/") == 2:
        orgs = [path.rsplit("/", 1)[1]]
        if orgs[0] not in store.organizations:
            return ""
    elif path != "/corrections":
        return ""
    orgs = [o for o in orgs if o in store.organizations]
    title = "Corrections" + (" to " + " and ".join(store.org_name(o) for o in orgs) if orgs else "") + " (Atom)"
    link = ET.Element("link", rel="alternate", type=MIME, title=title, href=feed_href(orgs))
    return ET.tostring(link, encoding="unicode", method="html")


def install(app: Dash, get_store: Callable[[], Store]) -> None:
    server = app.server

    @server.route(PATH, methods=["GET"])
    def corrections_feed():  # type: ignore[no-untyped-def]
        store = get_store()
        try:
            orgs = _orgs(store)
        except ApiError as exc:
            body = error_body(exc.status, exc.code, exc.message, exc.parameter, dataset_version(store).as_dict())
            return Response(orjson.dumps(body), status=exc.status, mimetype="application/json")
        resp = Response(feed_xml(store, orgs, request.url_root.rstrip("/")), mimetype=MIME)
        resp.headers["Cache-Control"] = "public, max-age=300"
        return resp

    index = app.interpolate_index

    def interpolate_index(**kwargs):  # type: ignore[no-untyped-def]
        link = alternate_link(get_store(), request.path, request.args.getlist("org"))
        if link:
            kwargs["metas"] = link + "\n      " + kwargs.get("metas", "")
        return index(**kwargs)

    app.interpolate_index = interpolate_index  # type: ignore[method-assign]
