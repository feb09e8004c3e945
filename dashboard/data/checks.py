"""One check per kind of record. Each takes what it checks (a record, the file it is in and
its path there), what is known of the others (`Known`: the records by id) and the collection
of problems (`Report`), and adds to the report: every problem, none raised. The loader
(loader.py) reads and parses the files, then runs CHECKS in order; to check a new kind of
record, write its `check_<kind>` and add one line to CHECKS.

Each rule carries a comment on why it exists when the reason is not plain from its message.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from . import claims
from .errors import Issue, display_path
from .inputs import Recorder
from .matching import SourceText
from .models import Correction, Fact, Organization, Quote, QuoteRef, Source, Stance, Topic, Tradition
from .store import CounterView, Evidence, StanceRecord
from .yamlfile import YamlFile

Record = tuple[Any, YamlFile, tuple]  # a parsed record, its file, and its path in the file


@dataclass
class Report:
    """The collection of problems found: errors (the load fails) and warnings (it does not)."""

    issues: list[Issue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, yf: YamlFile, path: tuple, message: str, hint: str = "") -> None:
        self.issues.append(yf.issue(path, message, hint))

    def warn(self, yf: YamlFile, path: tuple, message: str) -> None:
        self.warnings.append(f"{yf.shown}:{yf.line_of(path)}: {message}")


@dataclass
class Known:
    """Every record parsed, by id, and what the checks work out for the later ones."""

    sources: dict[str, Record] = field(default_factory=dict)
    traditions: dict[str, Record] = field(default_factory=dict)
    topics: dict[str, Record] = field(default_factory=dict)
    organizations: dict[str, Record] = field(default_factory=dict)
    corrections: list[Record] = field(default_factory=list)
    replies: list[Record] = field(default_factory=list)  # data/replies.yaml, checked by replies.check_replies
    broken: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids written but whose record is invalid
    seeds_dir: Path = Path("seeds")
    max_file_bytes: int = 0
    recorder: Recorder = field(default_factory=Recorder)
    # worked out by the checks
    positions: dict[str, set[str]] = field(default_factory=dict)        # topic -> its position ids
    terms: dict = field(default_factory=dict)                            # (topic, position) -> claims terms
    texts: dict[str, SourceText] = field(default_factory=dict)           # source -> its text, proven readable
    quote_ids: dict[str, tuple[YamlFile, tuple]] = field(default_factory=dict)
    stances: list[StanceRecord] = field(default_factory=list)

    def ref(self, report: Report, ok: bool, yf: YamlFile, path: tuple, what: str, value: str, kind: str,
            known: Any = None) -> None:
        """A reference to a `kind` record (or to one of `known`): unknown is an error, unless the
        record exists but is itself invalid (reported there)."""
        if ok or value in self.broken.get(kind, ()):
            return
        known = getattr(self, kind) if known is None else known
        sample = ", ".join(sorted(known)[:8])
        report.error(yf, path, f"unknown {what} '{value}'",
                     f"known: {sample}{', ...' if len(known) > 8 else ''}" if known else "")


# ---- the editors' prose -------------------------------------------------------------------------

# a letter, a hyphen, whitespace, a letter: a word broken where a YAML line was folded ("pro- Putin");
# a hyphen left hanging before "and", "or", "nor" or "to" is English ("pro- and anti-war")
FOLDED = re.compile(r"(?<![\w'’-])[^\W\d_](?:[\w'’]|-(?=\w))*(?<=[^\W\d_])-\s+(?!(?:and|or|nor|to)\b)"
                    r"[^\W\d_](?:[\w'’]|-(?=\w))*")


def folded_words(text: str | None) -> list[tuple[str, str]]:
    """Each word of editors' prose broken at a line fold: (as written, joined)."""
    return [(m.group(0), re.sub(r"-\s+", "-", m.group(0))) for m in FOLDED.finditer(text or "")]


def check_prose(text: str | None, yf: YamlFile, path: tuple, report: Report, verbatim: str = "") -> None:
    """Editors' words (summaries, readings, notes, facts' text, descriptions) have no word broken
    where a line was folded, unless the quotes they describe (`verbatim`) have it too: quotes
    are the sources' words, never checked this way."""
    for written, joined in folded_words(text):
        if " ".join(written.split()) not in " ".join(verbatim.split()):  # rare: only for a finding
            report.error(yf, path, f"{path[-1]}: a word broken where a line was folded: \"{written}\"",
                         f"join it: \"{joined}\"")


# ---- traditions ---------------------------------------------------------------------------------

def check_tradition(t: Tradition, yf: YamlFile, p: tuple, known: Known, report: Report) -> None:
    """Its parent exists, and it is not its own ancestor (the lineage is a tree)."""
    check_prose(t.description, yf, p + ("description",), report)
    if t.parent:
        known.ref(report, t.parent in known.traditions, yf, p + ("parent",), "parent tradition", t.parent,
                  "traditions")
    seen, cur = set(), t
    while cur is not None and cur.parent:
        if cur.id in seen:
            report.error(yf, p + ("parent",), f"tradition '{t.id}' is its own ancestor")
            break
        seen.add(cur.id)
        nxt = known.traditions.get(cur.parent)
        cur = nxt[0] if nxt else None


# ---- topics -------------------------------------------------------------------------------------

def check_topic(t: Topic, yf: YamlFile, p: tuple, known: Known, report: Report) -> None:
    """Its positions are unique (a stance names one), and list their terms (claims.py)."""
    ids: set[str] = set()
    check_prose(t.question, yf, p + ("question",), report)
    check_prose(t.description, yf, p + ("description",), report)
    for i, pos in enumerate(t.positions):
        check_prose(pos.label, yf, p + ("positions", i, "label"), report)
        check_prose(pos.definition, yf, p + ("positions", i, "definition"), report)
        if pos.id in ids:
            report.error(yf, p + ("positions", i, "id"), f"duplicate position '{pos.id}' in topic '{t.id}'")
        ids.add(pos.id)
    known.positions[t.id] = ids
    claims.check_position_terms(t, yf, p, report.issues, report.warnings)
    known.terms.update(claims.position_terms([t]))


# ---- sources ------------------------------------------------------------------------------------

def _read_seed(s: Source, yf: YamlFile, p: tuple, known: Known, report: Report) -> bytes | None:
    seeds_dir = known.seeds_dir
    fpath = seeds_dir / s.file
    # a source names a file of seeds/ only: never a path that reads the rest of the machine
    if Path(s.file).is_absolute() or not known.recorder.inside(seeds_dir, fpath):
        known.recorder.outside(fpath)
        report.error(yf, p + ("file",), f"the file '{s.file}' is outside the seeds folder",
                     "give a file name inside seeds/ (no '..', no absolute path, no link leading out of it)")
        return None
    limit = known.max_file_bytes * 10  # source texts are longer than data files
    got = known.recorder.read(fpath, limit)
    if got.seen[0] in ("absent", "stat-error") or isinstance(got.error, IsADirectoryError):
        report.error(yf, p + ("file",), f"the file '{s.file}' does not exist in {display_path(seeds_dir)}")
        return None
    if got.seen[0] == "over-limit":
        report.error(yf, p + ("file",), f"the file '{s.file}' is {got.size:,} bytes, over the limit of "
                                        f"{limit:,} for a source text (10 x max_file_bytes)",
                     "raise max_file_bytes in config.yaml if the text is genuine")
        return None
    if got.raw is None:
        report.error(yf, p + ("file",), f"the file '{s.file}' cannot be read: "
                                        f"{getattr(got.error, 'strerror', None) or got.error}")
        return None
    return got.raw


def check_source(s: Source, yf: YamlFile, p: tuple, known: Known, report: Report) -> None:
    """Its text is a readable UTF-8 file inside seeds/; its set-aside lines are in it; the
    organization it speaks for exists. A readable text joins `known.texts`."""
    check_prose(s.notes, yf, p + ("notes",), report)
    raw = _read_seed(s, yf, p, known, report)
    if raw is None:
        return
    try:
        text = known.texts[s.id] = SourceText(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        report.error(yf, p + ("file",), f"the file '{s.file}' is not valid UTF-8 (byte {exc.start})")
        return
    for i, line in enumerate(s.set_aside):
        if text.find(line, whole_words=False) is None:
            report.error(yf, p + ("set_aside", i), f"set_aside line not found in {s.file}: \"{line[:60]}\"")
    if s.organization:
        known.ref(report, s.organization in known.organizations, yf, p + ("organization",), "organization",
                  s.organization, "organizations")


def prove(text: str, source_id: str, yf: YamlFile, path: tuple, text_key: str, known: Known, report: Report):
    """Where `text` stands verbatim in its source (a Match), or None and an error with the
    closest passage. Every quote and fact rests on its words being in the source."""
    st = known.texts.get(source_id)
    if st is None:
        return None  # the source itself is broken or unknown: reported elsewhere
    m = st.find(text)
    if m is None:
        miss = st.closest(text)
        shown = " ".join(miss.closest.split())
        report.error(yf, path + (text_key,),
                     f"quote not found verbatim in source '{source_id}' ({known.sources[source_id][0].file})",
                     f"closest passage: \"{shown[:300]}\"; {miss.differences}")
        return None
    if m.count > 1:
        report.warn(yf, path, f"quote occurs {m.count} times in '{source_id}'; the first is highlighted")
    return m


# ---- organizations: facts, stances, quotes ---------------------------------------------------------

def check_fact(fact: Fact, yf: YamlFile, path: tuple, known: Known, report: Report) -> None:
    """Its source and organization exist, and its quote is verbatim in the source."""
    check_prose(fact.text, yf, path + ("text",), report, fact.quote)
    ok_src = fact.source in known.sources
    known.ref(report, ok_src, yf, path + ("source",), "source", fact.source, "sources")
    if fact.organization:
        known.ref(report, fact.organization in known.organizations, yf, path + ("organization",), "organization",
                  fact.organization, "organizations")
    if ok_src:
        prove(fact.quote, fact.source, yf, path, "quote", known, report)


def quote_id_for(org: str, topic: str, q: Quote) -> str:
    digest = hashlib.sha1(f"{org}|{topic}|{q.source}|{' '.join(q.text.split())}".encode()).hexdigest()
    return f"q-{digest[:10]}"


def check_quote(q: Quote, yf: YamlFile, path: tuple, org: str, topic: str, position: str, view: str,
                summary: str, known: Known, report: Report, shared: bool = False) -> Evidence | None:
    """A quote of a stance (`view` "own") or of a counter view ("counter"): its source and
    speaker exist, its attribution fits who speaks, it appears once, and it is verbatim in the
    source. Returns it resolved, or None. `shared`: a copy of a quote filed elsewhere (a `ref:`),
    whose words are proved, and reported if wrong, at the original."""
    src_ok = q.source in known.sources
    known.ref(report, src_ok, yf, path + ("source",), "source", q.source, "sources")
    if q.speaker_org:
        known.ref(report, q.speaker_org in known.organizations, yf, path + ("speaker_org",), "organization",
                  q.speaker_org, "organizations")
    claims.check_attribution(q, org, yf, path, report.issues, report.warnings)
    # a counter view is how others describe the stance: the organization's own words go above
    if view == "counter" and q.attribution == "self":
        report.error(yf, path + ("attribution",), "a counter view holds critics' or observers' words, not 'self'",
                     "move the quote to the stance's own quotes")
    if q.speaker_org and q.speaker_org == org and q.attribution != "self":
        report.error(yf, path + ("attribution",), f"the speaker speaks for '{org}' itself, so attribution is 'self'")
    if q.speaker_org and q.speaker_org != org and q.attribution == "self":
        report.error(yf, path + ("attribution",),
                     f"the speaker speaks for '{q.speaker_org}', not '{org}': attribution cannot be 'self'")
    qid = q.id or quote_id_for(org, topic, q)
    if qid in known.quote_ids:  # links (?quote=) name a quote by its id
        first_yf, first_path = known.quote_ids[qid]
        report.error(yf, path, f"duplicate quote (id '{qid}', first at {first_yf.shown}:{first_yf.line_of(first_path)})",
                     "a quote appears once per stance")
        return None
    known.quote_ids[qid] = (yf, path)
    if shared:
        m = known.texts[q.source].find(q.text) if src_ok and q.source in known.texts else None
    else:
        m = prove(q.text, q.source, yf, path, "text", known, report) if src_ok else None
    if m is None:
        return None
    return Evidence(
        quote_id=qid, organization=org, topic=topic, position=position, view=view, view_summary=summary,
        text=" ".join(q.text.split()), source=q.source, speaker=q.speaker, speaker_org=q.speaker_org,
        attribution=q.attribution, date=q.date or known.sources[q.source][0].date, note=q.note,
        start=m.start, end=m.end, occurrences=m.count, states=q.states,
    )


def check_stance(st: Stance, yf: YamlFile, sp: tuple, org: str, known: Known, report: Report,
                 filed: Filed | None = None) -> StanceRecord:
    """Its topic and positions exist, it is stated by its quotes (claims.py), its counter views
    differ from it, and a contested stance rests on the organization's own words. A `ref:`
    among its quotes is resolved against `filed` (the organization's quotes, `Filed`) first and
    then checked as a quote of this stance."""
    filed = filed or Filed(org)
    for key in ("summary", "reading"):
        check_prose(getattr(st, key), yf, sp + (key,), report, filed.verbatim)
    for ci, c in enumerate(st.counter):
        for key in ("summary", "reading"):
            check_prose(getattr(c, key), yf, sp + ("counter", ci, key), report, filed.verbatim)

    def quotes(items: list, qp: tuple) -> list[tuple[Quote, bool, tuple]]:
        for qi, q in enumerate(items):
            check_prose(q.note, yf, qp + (qi, "note"), report, filed.verbatim)
        return [r for qi, q in enumerate(items)
                if (r := filed.resolve(q, sp, st.topic, qp + (qi,), yf, report)) is not None]
    topic_ok = st.topic in known.topics
    known.ref(report, topic_ok, yf, sp + ("topic",), "topic", st.topic, "topics")
    vocab = known.positions.get(st.topic, set())
    if topic_ok and st.position not in vocab:
        known.ref(report, False, yf, sp + ("position",), f"position for topic '{st.topic}'", st.position,
                  "positions", vocab)
    own_quotes = quotes(st.quotes, sp + ("quotes",))
    claims.check_stated("stance", known.terms.get((st.topic, st.position)), [q for q, _, _ in own_quotes],
                        st.reading, yf, sp, report.issues, report.warnings)
    own = [e for q, shared, qp in own_quotes
           if (e := check_quote(q, yf, qp, org, st.topic, st.position, "own", st.summary,
                                known, report, shared)) is not None]
    counters = []
    for ci, c in enumerate(st.counter):
        cp = sp + ("counter", ci)
        if topic_ok and c.position not in vocab:
            known.ref(report, False, yf, cp + ("position",), f"position for topic '{st.topic}'", c.position,
                      "positions", vocab)
        resolved = quotes(c.quotes, cp + ("quotes",))
        claims.check_stated("counter view", known.terms.get((st.topic, c.position)), [q for q, _, _ in resolved],
                            c.reading, yf, cp, report.issues, report.warnings)
        if c.position == st.position:
            report.error(yf, cp + ("position",), "a counter view must differ from the stance's position",
                         "put agreeing quotes among the stance's own quotes")
        ev = [e for q, shared, qp in resolved
              if (e := check_quote(q, yf, qp, org, st.topic, c.position, "counter", c.summary,
                                   known, report, shared)) is not None]
        counters.append(CounterView(c.position, c.summary, tuple(ev), reading=c.reading))
    # "contested" means its own words and its critics disagree: without its own words, nothing is
    if st.counter and not any(q.attribution == "self" for q, _, _ in own_quotes):
        report.error(yf, sp + ("quotes",), "a stance with a counter view must rest on the organization's own words "
                                           "(at least one 'self' quote)",
                     "if only critics speak, make their view the stance and drop the counter")
    # a label only critics use is never the organization's own: with its own words, it is a counter view
    terms = known.terms.get((st.topic, st.position))
    critics_term = terms is not None and terms[0].critics_term
    # (a warning: readers then see other organizations' words on it as critics', which may be unfair)
    if critics_term and any(q.attribution == "self" for q, _, _ in own_quotes):
        report.warn(yf, sp + ("position",), f"'{st.position}' is a critics' term (critics_term in topics.yaml), "
                                            "but the stance rests on the organization's own words: make the stance "
                                            "the position its own words state, and the critics' words its counter view")
    return StanceRecord(org, st.topic, st.position, st.summary, tuple(own), tuple(counters), reading=st.reading,
                        critics_term=critics_term)


def check_organization(org: Organization, yf: YamlFile, p: tuple, known: Known, report: Report) -> None:
    """Its tradition exists; each fact and stance is checked; one stance per topic. Its
    resolved stances join `known.stances`."""
    known.ref(report, org.tradition in known.traditions, yf, ("tradition",), "tradition", org.tradition,
              "traditions")
    filed = Filed.of(org)
    for key in ("tradition_note", "description"):
        check_prose(getattr(org, key), yf, (key,), report, filed.verbatim)
    for i, fact in enumerate(org.facts):
        check_fact(fact, yf, ("facts", i), known, report)
    seen_topics: dict[str, int] = {}
    records = []
    for si, st in enumerate(org.stances):
        sp = ("stances", si)
        if st.topic in seen_topics:  # the matrix has one cell per organization and topic
            report.error(yf, sp + ("topic",), f"a second stance on topic '{st.topic}' "
                                              f"(first at line {yf.line_of(('stances', seen_topics[st.topic]))})",
                         "merge them: one stance per topic, with counter views for disagreement")
            continue
        seen_topics[st.topic] = si
        records.append(check_stance(st, yf, sp, org.id, known, report, filed))
    known.stances.extend(filed.share(records))


# ---- one passage on several stances (`ref:`) -------------------------------------------------------

@dataclass
class Filed:
    """An organization's quotes as filed, by id (`quote_id_for`, or the `id:` given), each with
    the path of its stance; the ids its references (`ref:`) are given; and, as they resolve,
    each original's copies."""

    org: str
    quotes: dict[str, tuple[Quote, tuple]] = field(default_factory=dict)
    ref_ids: set[str] = field(default_factory=set)
    copies: dict[str, list[str]] = field(default_factory=dict)  # original's id -> its copies' ids
    verbatim: str = ""  # every quote's words, for the prose check (check_prose)

    @classmethod
    def of(cls, org: Organization) -> Filed:
        out = cls(org.id)
        for si, st in enumerate(org.stances):
            for q in _items(st):
                if isinstance(q, Quote):  # a duplicate id is reported by check_quote
                    out.quotes.setdefault(q.id or quote_id_for(org.id, st.topic, q), (q, ("stances", si)))
        out.verbatim = "\n".join(q.text for q, _ in out.quotes.values())
        out.ref_ids = {quote_id_for(org.id, st.topic, out.quotes[q.ref][0])
                       for st in org.stances for q in _items(st) if isinstance(q, QuoteRef) and q.ref in out.quotes}
        return out

    def resolve(self, q: Quote | QuoteRef, sp: tuple, topic: str, qp: tuple, yf: YamlFile,
                report: Report) -> tuple[Quote, bool, tuple] | None:
        """A quote as it is, or a reference as a copy of the quote it names with this stance's
        `states` and `note`: (quote, whether a copy, its path). None, and an error at the
        reference, when it names no quote filed under another stance of the organization."""
        if isinstance(q, Quote):
            return q, False, qp
        hit = self.quotes.get(q.ref)
        if hit is None:
            if q.ref in self.ref_ids:  # one original per passage: a chain would hide where the words are
                report.error(yf, qp + ("ref",), f"'{q.ref}' is itself a reference",
                             "name the quote it refers to, the one filed with its text")
            else:
                report.error(yf, qp + ("ref",), f"no quote '{q.ref}' in this organization's file",
                             "a ref names the id of a quote filed under another stance or counter view of the "
                             "same organization (the id the app shows, or the quote's `id:`)")
            return None
        original, where = hit
        if where == sp:  # its topic is this stance's: the copy would be the same quote twice
            report.error(yf, qp + ("ref",), f"'{q.ref}' is a quote of this same stance",
                         "a ref counts a passage on another topic's stance; here, list the quote once")
            return None
        copy = original.model_copy(update={"id": None, "states": q.states, "note": q.note})
        self.copies.setdefault(q.ref, []).append(quote_id_for(self.org, topic, copy))
        return copy, True, qp

    def share(self, records: list[StanceRecord]) -> list[StanceRecord]:
        """Each row of a passage counted on several stances names the others' quote ids
        (`Evidence.shared`), the quote as filed first."""
        present = {e.quote_id for r in records for e in r.all_evidence}
        groups = [[orig, *(c for c in copies if c in present)] for orig, copies in self.copies.items() if orig in present]
        others = {qid: tuple(o for o in g if o != qid) for g in groups if len(g) > 1 for qid in g}
        if not others:
            return records

        def mark(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
            return tuple(e._replace(shared=others[e.quote_id]) if e.quote_id in others else e for e in evidence)

        return [replace(r, evidence=mark(r.evidence),
                        counters=tuple(replace(c, evidence=mark(c.evidence)) for c in r.counters)) for r in records]


def _items(st: Stance):
    """Every item of a stance's quote lists, its own and its counter views'."""
    yield from st.quotes
    for c in st.counter:
        yield from c.quotes


# ---- corrections ----------------------------------------------------------------------------------

def check_all_corrections(known: Known, report: Report) -> None:
    """The corrections log names organizations and topics that exist, and agrees with the
    stances it corrects (claims.py)."""
    claims.check_corrections(known.corrections, set(known.organizations), known.broken.get("organizations", set()),
                             known.positions, {(s.organization, s.topic): {s.position, *(c.position for c in s.counters)}
                                               for s in known.stances}, report.issues)


def _each(kind: str, check: Callable[..., None]) -> Callable[[Known, Report], None]:
    def run(known: Known, report: Report) -> None:
        for obj, yf, p in getattr(known, kind).values():
            check(obj, yf, p, known, report)

    run.__name__ = f"check_all_{kind}"
    return run


# The checks in the order they run: a later one may use what an earlier one worked out
# (positions for stances, source texts for quotes). One line per kind of record.
CHECKS: tuple[Callable[[Known, Report], None], ...] = (
    _each("traditions", check_tradition),
    _each("topics", check_topic),
    _each("sources", check_source),
    _each("organizations", check_organization),
    check_all_corrections,
)

__all__ = ["CHECKS", "Correction", "Known", "Report", "check_fact", "check_organization", "check_quote",
           "check_source", "check_stance", "check_topic", "check_tradition", "prove", "quote_id_for"]
