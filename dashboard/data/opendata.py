"""Open data: the store as tables, the dataset version, quote anchors and citations.

Everything a researcher downloads or fetches is built here from the immutable store, once per
store (memoized), so that the SQLite database, the data package, the API and the About page
all show the same records and the same version:

- `SCHEMA` describes every table (columns, types, keys, indexes, descriptions); `tables(store)`
  gives its rows. `dashboard/data/export.py` writes them as SQLite and as a data package.
- `dataset_version(store)`: a content hash of the data as loaded and the date of the last data
  change (see its docstring for how the date is chosen).
- `selectors(store, ev)`: the quote's W3C Web Annotation selectors over its source text, and
  `anchor(text, selectors)` finds a quote again from them.
- `citation(store, ev, ...)`: a formatted citation and a BibTeX entry for a quote.

Nothing here imports Dash or Flask.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date as _date
from functools import lru_cache
from typing import Any, Iterable

from .memo import memo
from .store import STRENGTH_WORDS, Evidence, Store

SOFTWARE = "Tendency Atlas"
PREFIX_CHARS = SUFFIX_CHARS = 32  # context kept around a quote in its TextQuoteSelector
# The licence declared for the curated data (data/). The source texts in seeds/ are quoted from
# their publishers; their copyright stays with them (said in the package's description).
DATA_LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                "path": "https://creativecommons.org/licenses/by/4.0/"}
DESCRIPTION = ("Where socialist organizations stand on the questions that divide them, with the evidence: every "
               "stance rests on quotes proved verbatim in their source texts, and every quote says who is speaking "
               "(the organization itself, a critic, or an observer). The source texts are quoted from their "
               "publishers, whose copyright they remain.")


@lru_cache(maxsize=1)
def software_version() -> str:
    try:
        from importlib.metadata import version

        return version("tendency-atlas")
    except Exception:  # noqa: BLE001 - not installed (a bare checkout)
        return "0"


# ---- the tables ------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    type: str             # Table Schema type: string, integer, boolean, date, array
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()  # (fields, table, fields)
    indexes: tuple[tuple[str, ...], ...] = ()
    fts: tuple[str, ...] = ()  # columns in its full-text index (SQLite FTS5)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: str, description: str, required: bool = False) -> Column:
    return Column(name, type_, description, required)


SCHEMA: tuple[Table, ...] = (
    Table("traditions", "Political traditions, as a tree (each may name its parent).", (
        _c("id", "string", "The tradition's id.", True),
        _c("name", "string", "Its name.", True),
        _c("description", "string", "What it is.", True),
        _c("parent", "string", "The tradition it comes from, if any (traditions.id)."),
    ), ("id",), ((("parent",), "traditions", ("id",)),)),
    Table("topics", "The questions that divide the organizations.", (
        _c("id", "string", "The topic's id.", True),
        _c("name", "string", "Its short name.", True),
        _c("question", "string", "The question it asks.", True),
        _c("description", "string", "More on the topic."),
        _c("ordinal", "integer", "Its place in the data's order of topics (0 first).", True),
    ), ("id",)),
    Table("positions", "Each topic's vocabulary of positions.", (
        _c("topic", "string", "The topic (topics.id).", True),
        _c("id", "string", "The position's id, unique within its topic.", True),
        _c("label", "string", "Its label.", True),
        _c("definition", "string", "A one-line definition.", True),
        _c("family", "string", "Positions of one family are related (the agreement counts them as related)."),
        _c("color", "string", "The colour the dashboard shows it in.", True),
        _c("terms", "array", "Words by which the sources express it (a JSON list)."),
        _c("critics_term", "boolean", "Whether the label exists only as critics' characterization.", True),
        _c("ordinal", "integer", "Its place in the topic's vocabulary (0 first).", True),
    ), ("topic", "id"), ((("topic",), "topics", ("id",)),)),
    Table("organizations", "Organizations, parties, currents, internationals and publications.", (
        _c("id", "string", "The organization's id.", True),
        _c("name", "string", "Its name.", True),
        _c("short_name", "string", "Its short name, if any."),
        _c("country", "string", "Its country, if any."),
        _c("kind", "string", "organization, party, current, international or publication.", True),
        _c("tradition", "string", "Its tradition (traditions.id).", True),
        _c("tradition_note", "string", "A note on its tradition."),
        _c("description", "string", "What it is."),
        _c("aliases", "array", "Other names it goes by (a JSON list)."),
    ), ("id",), ((("tradition",), "traditions", ("id",)),), (("tradition",),)),
    Table("sources", "The source texts every quote and fact is proved in.", (
        _c("id", "string", "The source's id.", True),
        _c("title", "string", "Its title.", True),
        _c("authors", "array", "Its authors (a JSON list).", True),
        _c("publication", "string", "Where it was published.", True),
        _c("date", "string", "When (YYYY, YYYY-MM or YYYY-MM-DD), if known."),
        _c("date_note", "string", "A note on the date."),
        _c("kind", "string", "article, polemic, pamphlet, blog post with comments...", True),
        _c("organization", "string", "The organization it speaks for, if any (organizations.id)."),
        _c("file", "string", "Its file in seeds/.", True),
        _c("url", "string", "Where it can be read."),
        _c("notes", "string", "Notes on the source."),
        _c("characters", "integer", "The length of its text, in Unicode code points.", True),
        _c("sha256", "string", "The SHA-256 of its text (UTF-8).", True),
    ), ("id",), ((("organization",), "organizations", ("id",)),)),
    Table("source_texts", "The full text of each source, as the selectors count it.", (
        _c("source", "string", "The source (sources.id).", True),
        _c("text", "string", "Its text, unchanged (offsets count Unicode code points).", True),
    ), ("source",), ((("source",), "sources", ("id",)),)),
    Table("facts", "Facts about organizations (founded, split from...), each with the quote that proves it.", (
        _c("organization", "string", "The organization (organizations.id).", True),
        _c("ordinal", "integer", "Its place among the organization's facts (0 first).", True),
        _c("kind", "string", "founded, dissolved, split-from, expelled-from, member-of, publishes, related or other.",
           True),
        _c("text", "string", "The fact, in words.", True),
        _c("value", "string", "A value (a year, say), if any."),
        _c("related_organization", "string", "The other organization it names, if any (organizations.id)."),
        _c("source", "string", "The source that proves it (sources.id).", True),
        _c("quote", "string", "The words of the source that prove it.", True),
    ), ("organization", "ordinal"), ((("organization",), "organizations", ("id",)),
                                     (("related_organization",), "organizations", ("id",)),
                                     (("source",), "sources", ("id",)))),
    Table("stances", "Where an organization stands on a topic.", (
        _c("organization", "string", "The organization (organizations.id).", True),
        _c("topic", "string", "The topic (topics.id).", True),
        _c("position", "string", "Its position, in its own words where they are in the sources (positions.id).",
           True),
        _c("summary", "string", "The editors' summary of the stance.", True),
        _c("reading", "string", "The editors' reasoning, when the quotes imply the position but do not state it."),
        _c("contested", "boolean", "Whether critics or observers describe it otherwise.", True),
        _c("strength", "string", "How firmly the evidence states it: " + ", ".join(STRENGTH_WORDS) + ".", True),
        _c("strength_words", "string", "The wording that strength gives (\"holds\", \"has said\"...).", True),
        _c("quotes", "integer", "How many quotes it rests on, in every view.", True),
    ), ("organization", "topic"), ((("organization",), "organizations", ("id",)), (("topic",), "topics", ("id",)),
                                   (("topic", "position"), "positions", ("topic", "id"))),
        (("topic", "position"),), ("summary", "reading")),
    Table("views", "Each stance's views: its own (ordinal 0) and critics' or observers' counter views (1, 2...).", (
        _c("organization", "string", "The organization (organizations.id).", True),
        _c("topic", "string", "The topic (topics.id).", True),
        _c("ordinal", "integer", "0: the stance itself; 1, 2...: its counter views.", True),
        _c("kind", "string", "own or counter.", True),
        _c("position", "string", "The position this view takes (positions.id).", True),
        _c("summary", "string", "Its summary.", True),
        _c("reading", "string", "The editors' reasoning, if the position is implied, not stated."),
    ), ("organization", "topic", "ordinal"), ((("organization", "topic"), "stances", ("organization", "topic")),
                                              (("topic", "position"), "positions", ("topic", "id")))),
    Table("quotes", "Every quote: who says what, where, about whose stance; each anchored in its source text.", (
        _c("id", "string", "The quote's id (stable: the dashboard's /sources/<source>?quote=<id> shows it).", True),
        _c("organization", "string", "Whose stance it is evidence for (organizations.id).", True),
        _c("topic", "string", "On which topic (topics.id).", True),
        _c("view", "integer", "Which view of the stance it supports (views.ordinal: 0 the stance's own).", True),
        _c("position", "string", "The position it supports (positions.id).", True),
        _c("attribution", "string", "Who is speaking, relative to the organization: self, critic or observer.", True),
        _c("speaker", "string", "The speaker, as the source names them.", True),
        _c("speaker_org", "string", "The organization the speaker writes for, if any (organizations.id)."),
        _c("text", "string", "The quote, whitespace collapsed.", True),
        _c("states", "boolean", "Whether the quote states the position (rather than implying it).", True),
        _c("date", "string", "When it was said (YYYY, YYYY-MM or YYYY-MM-DD), if known."),
        _c("note", "string", "An editor's note."),
        _c("source", "string", "The source it is proved in (sources.id).", True),
        _c("start_offset", "integer", "TextPositionSelector start: where it begins in the source text.", True),
        _c("end_offset", "integer", "TextPositionSelector end: where it ends (exclusive).", True),
        _c("exact", "string", "TextQuoteSelector exact: the source's own characters for the quote.", True),
        _c("prefix", "string", "TextQuoteSelector prefix: up to 32 characters before it (empty at the start)."),
        _c("suffix", "string", "TextQuoteSelector suffix: up to 32 characters after it (empty at the end)."),
        _c("shared", "string", "The same passage's rows on the organization's other stances, if it counts on "
                               "several (quotes.id, space-separated, the quote as filed first)."),
        _c("occurrences", "integer", "How many times the quote occurs in the source.", True),
    ), ("id",), ((("organization", "topic"), "stances", ("organization", "topic")),
                 (("organization", "topic", "view"), "views", ("organization", "topic", "ordinal")),
                 (("topic", "position"), "positions", ("topic", "id")),
                 (("source",), "sources", ("id",)),
                 (("speaker_org",), "organizations", ("id",))),
        (("organization", "topic"), ("topic",), ("attribution",), ("source",), ("speaker_org",)),
        ("text", "speaker")),
    Table("corrections", "The public log of corrections to the data: what was, what is, and why.", (
        _c("id", "integer", "Its place in the log (0 first, in the order of the file).", True),
        _c("date", "date", "When (YYYY-MM-DD).", True),
        _c("organization", "string", "The organization (organizations.id).", True),
        _c("topic", "string", "The topic (topics.id), if the correction is about a stance."),
        _c("field", "string", "What changed: position, summary, attribution, reading, stance, quote or tradition.",
           True),
        _c("was", "string", "What it was."),
        _c("now", "string", "What it is now."),
        _c("reason", "string", "Why, citing the source's words where possible."),
    ), ("id",), ((("organization",), "organizations", ("id",)), (("topic",), "topics", ("id",))),
        (("organization", "topic"),)),
)
TABLES = {t.name: t for t in SCHEMA}


def corrections_of(store: Store) -> tuple:
    """The store's corrections log (empty for a store without one)."""
    got = getattr(store, "corrections", None)
    if got is None:
        return ()
    if isinstance(got, dict):  # per organization, say: flatten, keeping their order
        got = [c for v in got.values() for c in v]
    return tuple(got)


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def selector_parts(text: str, start: int, end: int) -> tuple[str, str, str]:
    """exact, prefix, suffix of the span [start, end) of `text`."""
    return text[start:end], text[max(0, start - PREFIX_CHARS):start], text[end:end + SUFFIX_CHARS]


def _build_tables(store: Store) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {t.name: [] for t in SCHEMA}
    for t in store.traditions.values():
        out["traditions"].append({"id": t.id, "name": t.name, "description": t.description, "parent": t.parent})
    for i, t in enumerate(store.topics.values()):
        out["topics"].append({"id": t.id, "name": t.name, "question": t.question, "description": t.description,
                              "ordinal": i})
        for j, p in enumerate(t.positions):
            out["positions"].append({
                "topic": t.id, "id": p.id, "label": p.label, "definition": p.definition, "family": p.family,
                "color": store.color(t.id, p.id), "terms": list(getattr(p, "terms", ()) or ()),
                "critics_term": bool(getattr(p, "critics_term", False)), "ordinal": j})
    for o in store.organizations.values():
        out["organizations"].append({
            "id": o.id, "name": o.name, "short_name": o.short_name, "country": o.country, "kind": o.kind,
            "tradition": o.tradition, "tradition_note": o.tradition_note, "description": o.description,
            "aliases": list(o.aliases)})
        for i, f in enumerate(o.facts):
            out["facts"].append({
                "organization": o.id, "ordinal": i, "kind": f.kind, "text": f.text, "value": f.value,
                "related_organization": f.organization, "source": f.source, "quote": f.quote})
    for s in store.sources.values():
        text = store.source_texts.get(s.id, "")
        out["sources"].append({
            "id": s.id, "title": s.title, "authors": list(s.authors), "publication": s.publication, "date": s.date,
            "date_note": s.date_note, "kind": s.kind, "organization": s.organization, "file": s.file, "url": s.url,
            "notes": s.notes, "characters": len(text), "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
        out["source_texts"].append({"source": s.id, "text": text})
    view_of: dict[str, int] = {}
    for org in store.organizations:
        for st in store.stances_of(org):
            out["stances"].append({
                "organization": st.organization, "topic": st.topic, "position": st.position, "summary": st.summary,
                "reading": getattr(st, "reading", None), "contested": st.contested, "strength": st.strength,
                "strength_words": store.strength_words(st), "quotes": len(st.all_evidence)})
            views = [("own", st.position, st.summary, getattr(st, "reading", None), st.evidence)]
            views += [("counter", c.position, c.summary, getattr(c, "reading", None), c.evidence) for c in st.counters]
            for i, (kind, pos, summary, reading, evs) in enumerate(views):
                out["views"].append({"organization": st.organization, "topic": st.topic, "ordinal": i, "kind": kind,
                                     "position": pos, "summary": summary, "reading": reading})
                for e in evs:
                    view_of[e.quote_id] = i
    for e in store.evidence:
        exact, prefix, suffix = selector_parts(store.source_texts[e.source], e.start, e.end)
        out["quotes"].append({
            "id": e.quote_id, "organization": e.organization, "topic": e.topic, "view": view_of[e.quote_id],
            "position": e.position, "attribution": e.attribution, "speaker": e.speaker, "speaker_org": e.speaker_org,
            "text": e.text, "states": bool(getattr(e, "states", False)), "date": e.date, "note": e.note,
            "source": e.source, "start_offset": e.start, "end_offset": e.end, "exact": exact, "prefix": prefix,
            "suffix": suffix, "shared": " ".join(e.shared) or None, "occurrences": e.occurrences})
    for i, c in enumerate(corrections_of(store)):
        out["corrections"].append({
            "id": i, "date": _text(c.date), "organization": c.organization, "topic": getattr(c, "topic", None),
            "field": c.field, "was": _text(getattr(c, "was", None)), "now": _text(getattr(c, "now", None)),
            "reason": _text(getattr(c, "reason", None))})
    return out


def tables(store: Store) -> dict[str, list[dict]]:
    """Every table's rows (dicts keyed by `SCHEMA`'s column names), built once per store. Read-only."""
    m = memo(store)
    if "opendata_tables" not in m:
        m["opendata_tables"] = _build_tables(store)
    return m["opendata_tables"]


# ---- the dataset version ------------------------------------------------------------------
def _content_hash(store: Store) -> str:
    """SHA-256 over every record of every table (as canonical JSON) and every source text."""
    h = hashlib.sha256()
    for name, rows in tables(store).items():
        h.update(name.encode() + b"\0")
        for row in rows:
            h.update(json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))
            h.update(b"\n")
    return h.hexdigest()


def last_change_date(store: Store) -> str | None:
    """The date of the last data change, from the data itself (no git, no file times, which a
    checkout resets): the latest date in the corrections log, or when the log is empty or older,
    the newest source's date (a new source is the other kind of dated change)."""
    dates = [str(c.date) for c in corrections_of(store)]
    dates += [s.date for s in store.sources.values() if s.date]
    return max(dates) if dates else None


@dataclass(frozen=True)
class DatasetVersion:
    version: str     # "<date>.<first 12 hex digits of sha256>": what a citation names
    date: str | None
    sha256: str
    software: str = field(default_factory=software_version)

    def as_dict(self) -> dict:
        return {"version": self.version, "date": self.date, "sha256": self.sha256,
                "software": f"{SOFTWARE} {self.software}"}


def dataset_version(store: Store) -> DatasetVersion:
    """The dataset version of a store: the content hash of the data as loaded from data/ and
    seeds/ (every record and every source text: the same data gives the same hash, wherever it
    lies and whatever its files' comments or layout), with the date of the last data change."""
    m = memo(store)
    if "dataset_version" not in m:
        digest = _content_hash(store)
        day = last_change_date(store)
        m["dataset_version"] = DatasetVersion(f"{day or 'undated'}.{digest[:12]}", day, digest)
    return m["dataset_version"]


# ---- W3C Web Annotation selectors ------------------------------------------------------
def selectors(store: Store, ev: Evidence) -> list[dict]:
    """The quote's anchor in its source's text, as W3C Web Annotation selectors."""
    exact, prefix, suffix = selector_parts(store.source_texts[ev.source], ev.start, ev.end)
    return [{"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": ev.start, "end": ev.end}]


def anchor(text: str, sels: Iterable[dict]) -> tuple[int, int] | None:
    """Where the selectors' quote is in `text`, as a reader of the annotation would find it:
    the position if the characters there are still the exact ones, else the occurrence of the
    exact text whose prefix and suffix agree best (so it is found again when offsets shift)."""
    by_type = {s["type"]: s for s in sels}
    q, p = by_type.get("TextQuoteSelector"), by_type.get("TextPositionSelector")
    if q is None:
        return (p["start"], p["end"]) if p and 0 <= p["start"] <= p["end"] <= len(text) else None
    exact, prefix, suffix = q["exact"], q.get("prefix", ""), q.get("suffix", "")
    if p is not None and text[p["start"]:p["end"]] == exact \
            and text[:p["start"]].endswith(prefix) and text[p["end"]:].startswith(suffix):
        return p["start"], p["end"]
    best, best_score = None, -1
    i = text.find(exact)
    while i != -1:
        before, after = text[:i], text[i + len(exact):]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        if score > best_score:
            best, best_score = (i, i + len(exact)), score
        i = text.find(exact, i + 1)
    return best


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


# ---- citations ----------------------------------------------------------------------------
def permalink_path(ev: Evidence) -> str:
    """The quote in its source, highlighted (the evidence reader)."""
    return f"/sources/{ev.source}?quote={ev.quote_id}"


def citation(store: Store, ev: Evidence, base_url: str = "", accessed: str | None = None) -> dict:
    """A formatted citation and a BibTeX entry for a quote. `base_url` makes the permalink
    absolute (https://host); `accessed` is the access date (default today)."""
    src = store.sources[ev.source]
    ver = dataset_version(store)
    accessed = accessed or _date.today().isoformat()
    link = base_url.rstrip("/") + permalink_path(ev)
    when = ev.date or src.date
    text = (f"{ev.speaker}, in \u201c{src.title}\u201d, {src.publication}, {when or 'undated'}. "
            f"Quoted in {SOFTWARE} {software_version()}, dataset version {ver.version}, quote {ev.quote_id}: "
            f"{link} (accessed {accessed}).")
    fields = [("author", _bib_name(ev.speaker)), ("title", _bib(src.title)), ("howpublished", _bib(src.publication))]
    if when:
        fields.append(("year", when[:4]))
        if len(when) >= 7:
            fields.append(("month", str(int(when[5:7]))))
    fields += [("url", _bib_url(link)), ("urldate", accessed),
               ("note", _bib(f"Quoted in {SOFTWARE} {software_version()}, dataset version {ver.version}, "
                             f"quote {ev.quote_id}" + (f"; source: {src.url}" if src.url else "")))]
    key = re.sub(r"[^A-Za-z0-9:_-]", "", f"atlas:{ev.quote_id}")
    bibtex = "@misc{" + key + ",\n" + ",\n".join(f"  {k} = {{{v}}}" for k, v in fields) + "\n}\n"
    return {"permalink": link, "text": text, "bibtex": bibtex, "accessed": accessed}


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib(value: str) -> str:
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in " ".join(value.split()))


def _bib_name(value: str) -> str:
    """A speaker as one BibTeX name (braced, so that "Alan Maass and Todd Chretien, Socialist
    Worker" is not split at "and" or reordered at the comma)."""
    return "{" + _bib(value) + "}"


def _bib_url(value: str) -> str:
    return "".join(ch for ch in value if ch not in "{}\\ \n")
