"""Load and validate the data directory, collecting every problem in one run.

`load_store(data_dir, seeds_dir)` returns an immutable `Store` or raises `DataError`
with every issue found (file:line, message, snippet). Nothing half-loaded escapes.
"""
from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import claims
from .errors import DataError, Issue, display_path
from .inputs import Recorder, data_files
from .matching import SourceText
from .models import Correction, Fact, Organization, Quote, Source, Stance, Topic, Tradition, View
from .parallel import read_many
from .store import CounterView, Evidence, StanceRecord, Store, build_store
from .yamlfile import DEFAULT_MAX_BYTES, YamlFile, read_yaml

_FIELD_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "string_pattern_mismatch": "has the wrong form",
}


def _pydantic_issues(yf: YamlFile, base: tuple, exc: ValidationError, what: str) -> list[Issue]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        path = base + loc
        field = ".".join(str(p) for p in loc) or what
        etype = err["type"]
        if etype == "extra_forbidden":
            msg, hint = f"unknown field '{loc[-1]}' in {what}", "check the spelling against docs/data-format.md"
        elif etype == "missing":
            msg, hint = f"{what}: '{field}' is required", ""
        elif etype == "string_pattern_mismatch" and loc and loc[-1] in ("id", "source", "topic", "position",
                                                                        "tradition", "organization", "parent",
                                                                        "speaker_org", "family"):
            msg, hint = f"{what}: '{field}' must be a kebab-case id (lower-case words joined by '-')", ""
        elif etype == "literal_error":
            msg, hint = f"{what}: '{field}' {err['msg'].lower()}", ""
        else:
            msg, hint = f"{what}: '{field}' {err['msg'][0].lower() + err['msg'][1:]}", ""
        out.append(yf.issue(path, msg, hint))
    return out


def _records(yf: YamlFile, key: str, issues: list[Issue]) -> list[tuple[tuple, Any]]:
    """The list under `key` of a top-level mapping, with each item's path."""
    data = yf.data
    if not isinstance(data, dict) or key not in data:
        issues.append(yf.issue((), f"expected a top-level '{key}:' list"))
        return []
    extra = [k for k in data if k != key]
    for k in extra:
        issues.append(yf.issue((k,), f"unknown top-level key '{k}'", f"the file holds only '{key}:'"))
    items = data[key]
    if not isinstance(items, list):
        issues.append(yf.issue((key,), f"'{key}' must be a list"))
        return []
    return [((key, i), item) for i, item in enumerate(items)]


def _parse(model: type, yf: YamlFile, path: tuple, item: Any, what: str, issues: list[Issue]):
    if not isinstance(item, dict):
        issues.append(yf.issue(path, f"{what} must be a mapping of fields"))
        return None
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        issues.extend(_pydantic_issues(yf, path, exc, what))
        return None


def _parse_nested(model: type, yf: YamlFile, path: tuple, item: Any, what: str, nested: dict,
                  issues: list[Issue]):
    """Validate list fields item by item first, so that one bad quote does not hide the rest,
    then the record itself, without repeating the items' errors."""
    if not isinstance(item, dict):
        issues.append(yf.issue(path, f"{what} must be a mapping of fields"))
        return None
    item = dict(item)
    reported: set[str] = set()
    for fname, (sub, subwhat, subnested) in nested.items():
        raw = item.get(fname)
        if not isinstance(raw, list):
            continue
        good = []
        for i, x in enumerate(raw):
            obj = _parse_nested(sub, yf, path + (fname, i), x, subwhat, subnested, issues)
            if obj is not None:
                good.append(obj)
        if len(good) != len(raw):
            reported.add(fname)
        if good or not raw:
            item[fname] = good  # the validated items: a bad quote inside a good stance stays out
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        errs = [e for e in exc.errors() if not (e["loc"] and e["loc"][0] in reported)]
        if errs:
            issues.extend(_pydantic_issues(yf, path, ValidationError.from_exception_data(exc.title, errs), what))
        return None


_QUOTE = (Quote, "quote", {})
_ORG_PARTS = {
    "stances": (Stance, "stance", {"quotes": _QUOTE, "counter": (View, "counter view", {"quotes": _QUOTE})}),
    "facts": (Fact, "fact", {}),
}


def _parse_organization(yf: YamlFile, issues: list[Issue], declared: set[str]) -> Organization | None:
    data = yf.data
    declared.add(yf.path.stem)
    if not isinstance(data, dict):
        issues.append(yf.issue((), "an organization file must be a mapping of fields (id, name, tradition...)"))
        return None
    if isinstance(data.get("id"), str):
        declared.add(data["id"])
    return _parse_nested(Organization, yf, (), data, "organization", _ORG_PARTS, issues)


def quote_id_for(org: str, topic: str, q: Quote) -> str:
    digest = hashlib.sha1(f"{org}|{topic}|{q.source}|{' '.join(q.text.split())}".encode()).hexdigest()
    return f"q-{digest[:10]}"


def _inside(base: Path, candidate: Path) -> bool:
    """Whether `candidate`, once every symbolic link is followed, lies inside `base`.
    A link loop or a path the system refuses (a NUL byte) counts as outside."""
    try:
        candidate.resolve().relative_to(base.resolve())
        return True
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symbolic link loop
        return False


@contextmanager
def no_cyclic_gc():
    """Loading builds a few hundred thousand small acyclic objects (nodes, dicts, models), each
    allocation burst waking the cyclic collector to scan what is already built: pausing it
    makes a cold load about a fifth faster. Reference counting still frees everything."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_store(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int = DEFAULT_MAX_BYTES) -> Store:
    """Validate everything and build the immutable store (or raise DataError with every issue)."""
    with no_cyclic_gc():
        return build_store(**load_inputs(data_dir, seeds_dir, max_file_bytes))


def load_inputs(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Parse and validate; return what `build_store` needs (plain, picklable values), with
    `inputs`, the exact list of what was read (inputs.py). A DataError carries it too."""
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    issues: list[Issue] = []
    warnings: list[str] = []
    rec = Recorder(settings={"max_file_bytes": max_file_bytes})

    if rec.folder(data_dir) == ("no-folder",):
        raise DataError([Issue(display_path(data_dir), None, "the data folder does not exist",
                               hint="pass --data DIR or set data_dir in config.yaml")], rec.inputs())
    if rec.folder(seeds_dir) == ("no-folder",):
        raise DataError([Issue(display_path(seeds_dir), None, "the seeds folder does not exist",
                               hint="pass --seeds DIR or set seeds_dir in config.yaml")], rec.inputs())

    prefetched: dict[Path, tuple[YamlFile, list[Issue]]] = {}

    def read(path: Path) -> YamlFile | None:
        if not _inside(data_dir, path):
            rec.outside(path)
            issues.append(Issue(str(path), None, "the file is a link leading out of the data folder",
                                "put the file itself in the data folder"))
            return None
        if path in prefetched:
            yf, errs = prefetched.pop(path)
        else:
            yf, errs = read_yaml(path, display_path(path), max_file_bytes)
        rec.file(path, max_file_bytes, yf.seen)
        issues.extend(errs)
        return None if errs and yf.data is None else yf

    # ---- parse every file -------------------------------------------------
    declared: dict[str, set[str]] = {}  # ids written in the files, even in records that failed to parse
    def parse_list(name: str, key: str, model: type, what: str) -> list[tuple[Any, YamlFile, tuple]]:
        path = data_dir / name
        if not path.exists():
            rec.read(path, max_file_bytes)  # looked for: its appearing is a change
            issues.append(Issue(display_path(path), None, "file is missing", hint=f"create it with a '{key}:' list"))
            return []
        yf = read(path)
        if yf is None:
            return []
        out = []
        for p, item in _records(yf, key, issues):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                declared.setdefault(key, set()).add(item["id"])
            obj = _parse(model, yf, p, item, what, issues)
            if obj is not None:
                out.append((obj, yf, p))
        return out

    sources = parse_list("sources.yaml", "sources", Source, "source")
    traditions = parse_list("traditions.yaml", "traditions", Tradition, "tradition")
    topics = parse_list("topics.yaml", "topics", Topic, "topic")

    orgs: list[tuple[Organization, YamlFile, tuple]] = []
    declared_orgs: set[str] = set()
    org_dir = data_dir / "organizations"
    if rec.folder(org_dir, "data-files") == ("no-folder",):
        issues.append(Issue(display_path(org_dir), None, "the organizations folder is missing"))
        org_files: list[Path] = []
    else:
        org_files = data_files(org_dir)
    inside = [p for p in org_files if _inside(data_dir, p)]
    prefetched.update(zip(inside, read_many([(p, display_path(p)) for p in inside], max_file_bytes)))
    for path in org_files:
        yf = read(path)
        if yf is None:
            continue
        org = _parse_organization(yf, issues, declared_orgs)
        if org is None:
            continue
        if org.id != path.stem:
            issues.append(yf.issue(("id",), f"the id '{org.id}' differs from the file name '{path.name}'",
                                   f"rename the file to {org.id}.yaml or change the id"))
        orgs.append((org, yf, ()))

    # ---- duplicate ids ----------------------------------------------------------
    def unique(items: list, what: str) -> dict:
        seen: dict[str, tuple] = {}
        for obj, yf, p in items:
            if obj.id in seen:
                first = seen[obj.id]
                issues.append(yf.issue(p + ("id",), f"duplicate {what} id '{obj.id}' "
                                                    f"(first in {first[1].shown}:{first[1].line_of(first[2])})"))
            else:
                seen[obj.id] = (obj, yf, p)
        return seen

    src_by_id = unique(sources, "source")
    trad_by_id = unique(traditions, "tradition")
    topic_by_id = unique(topics, "topic")
    org_by_id = unique(orgs, "organization")
    broken = {
        id(src_by_id): declared.get("sources", set()) - set(src_by_id),
        id(trad_by_id): declared.get("traditions", set()) - set(trad_by_id),
        id(topic_by_id): declared.get("topics", set()) - set(topic_by_id),
        id(org_by_id): declared_orgs - set(org_by_id),
    }

    def ref(ok: bool, yf: YamlFile, path: tuple, what: str, value: str, known: dict) -> None:
        if not ok and value in broken.get(id(known), set()):
            return  # it exists but is itself invalid: reported there
        if not ok:
            sample = ", ".join(sorted(known)[:8])
            issues.append(yf.issue(path, f"unknown {what} '{value}'",
                                   f"known: {sample}{', ...' if len(known) > 8 else ''}" if known else ""))

    # ---- traditions: parents exist, no cycles --------------------------------
    for t, yf, p in trad_by_id.values():
        if t.parent:
            ref(t.parent in trad_by_id, yf, p + ("parent",), "parent tradition", t.parent, trad_by_id)
    for t, yf, p in trad_by_id.values():
        seen, cur = set(), t
        while cur is not None and cur.parent:
            if cur.id in seen:
                issues.append(yf.issue(p + ("parent",), f"tradition '{t.id}' is its own ancestor"))
                break
            seen.add(cur.id)
            nxt = trad_by_id.get(cur.parent)
            cur = nxt[0] if nxt else None

    # ---- topics: unique positions ----------------------------------------------
    positions: dict[str, set[str]] = {}
    for t, yf, p in topic_by_id.values():
        ids: set[str] = set()
        for i, pos in enumerate(t.positions):
            if pos.id in ids:
                issues.append(yf.issue(p + ("positions", i, "id"), f"duplicate position '{pos.id}' in topic '{t.id}'"))
            ids.add(pos.id)
        positions[t.id] = ids
        claims.check_position_terms(t, yf, p, issues, warnings)
    terms = claims.position_terms(t for t, _, _ in topic_by_id.values())

    # ---- sources: files exist inside seeds/, readable ------------------------------
    texts: dict[str, SourceText] = {}
    for s, yf, p in src_by_id.values():
        fpath = seeds_dir / s.file
        if Path(s.file).is_absolute() or not _inside(seeds_dir, fpath):
            rec.outside(fpath)
            issues.append(yf.issue(p + ("file",), f"the file '{s.file}' is outside the seeds folder",
                                   "give a file name inside seeds/ (no '..', no absolute path, "
                                   "no link leading out of it)"))
            continue
        limit = max_file_bytes * 10  # source texts are longer than data files
        got = rec.read(fpath, limit)
        if got.seen[0] in ("absent", "stat-error") or isinstance(got.error, IsADirectoryError):
            issues.append(yf.issue(p + ("file",), f"the file '{s.file}' does not exist in {display_path(seeds_dir)}"))
            continue
        if got.seen[0] == "over-limit":
            issues.append(yf.issue(p + ("file",), f"the file '{s.file}' is {got.size:,} bytes, over the limit of "
                                                  f"{limit:,} for a source text (10 x max_file_bytes)",
                                   "raise max_file_bytes in config.yaml if the text is genuine"))
            continue
        if got.raw is None:
            exc = got.error
            issues.append(yf.issue(p + ("file",), f"the file '{s.file}' cannot be read: "
                                                  f"{getattr(exc, 'strerror', None) or exc}"))
            continue
        raw = got.raw
        try:
            texts[s.id] = SourceText(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            issues.append(yf.issue(p + ("file",), f"the file '{s.file}' is not valid UTF-8 (byte {exc.start})"))
            continue
        for i, line in enumerate(s.set_aside):
            if texts[s.id].find(line, whole_words=False) is None:
                issues.append(yf.issue(p + ("set_aside", i), f"set_aside line not found in {s.file}: \"{line[:60]}\""))
        if s.organization:
            ref(s.organization in org_by_id, yf, p + ("organization",), "organization", s.organization, org_by_id)

    # ---- quotes ------------------------------------------------------------------------
    def prove(text: str, source_id: str, yf: YamlFile, path: tuple, text_key: str):
        st = texts.get(source_id)
        if st is None:
            return None  # the source itself is broken or unknown: reported elsewhere
        m = st.find(text)
        if m is None:
            miss = st.closest(text)
            shown = " ".join(miss.closest.split())
            issues.append(yf.issue(path + (text_key,),
                                   f"quote not found verbatim in source '{source_id}' "
                                   f"({src_by_id[source_id][0].file})",
                                   f"closest passage: \"{shown[:300]}\"; {miss.differences}"))
            return None
        if m.count > 1:
            warnings.append(f"{yf.shown}:{yf.line_of(path)}: quote occurs {m.count} times in '{source_id}'; "
                            f"the first is highlighted")
        return m

    stance_records: list[StanceRecord] = []
    quote_ids: dict[str, tuple[YamlFile, tuple]] = {}

    for org, yf, p in org_by_id.values():
        ref(org.tradition in trad_by_id, yf, ("tradition",), "tradition", org.tradition, trad_by_id)
        for i, fact in enumerate(org.facts):
            fp = ("facts", i)
            ok_src = fact.source in src_by_id
            ref(ok_src, yf, fp + ("source",), "source", fact.source, src_by_id)
            if fact.organization:
                ref(fact.organization in org_by_id, yf, fp + ("organization",), "organization",
                    fact.organization, org_by_id)
            if ok_src:
                prove(fact.quote, fact.source, yf, fp, "quote")

        seen_topics: dict[str, int] = {}
        for si, st in enumerate(org.stances):
            sp = ("stances", si)
            if st.topic in seen_topics:
                issues.append(yf.issue(sp + ("topic",), f"a second stance on topic '{st.topic}' "
                                                        f"(first at line {yf.line_of(('stances', seen_topics[st.topic]))})",
                                       "merge them: one stance per topic, with counter views for disagreement"))
                continue
            seen_topics[st.topic] = si
            topic_ok = st.topic in topic_by_id
            ref(topic_ok, yf, sp + ("topic",), "topic", st.topic, topic_by_id)
            vocab = positions.get(st.topic, set())

            def check_pos(pos: str, path: tuple) -> None:
                if topic_ok and pos not in vocab:
                    ref(False, yf, path, f"position for topic '{st.topic}'", pos, {v: 1 for v in vocab})

            check_pos(st.position, sp + ("position",))
            claims.check_stated("stance", terms.get((st.topic, st.position)), st.quotes, st.reading,
                                yf, sp, issues, warnings)

            def resolve(quotes: list[Quote], qpath: tuple, position: str, view: str, summary: str,
                        counter: bool) -> list[Evidence]:
                out = []
                for qi, q in enumerate(quotes):
                    path = qpath + (qi,)
                    src_ok = q.source in src_by_id
                    ref(src_ok, yf, path + ("source",), "source", q.source, src_by_id)
                    if q.speaker_org:
                        ref(q.speaker_org in org_by_id, yf, path + ("speaker_org",), "organization",
                            q.speaker_org, org_by_id)
                    claims.check_attribution(q, org.id, yf, path, issues, warnings)
                    if counter and q.attribution == "self":
                        issues.append(yf.issue(path + ("attribution",),
                                               "a counter view holds critics' or observers' words, not 'self'",
                                               "move the quote to the stance's own quotes"))
                    if q.speaker_org and q.speaker_org == org.id and q.attribution != "self":
                        issues.append(yf.issue(path + ("attribution",),
                                               f"the speaker speaks for '{org.id}' itself, so attribution is 'self'"))
                    if q.speaker_org and q.speaker_org != org.id and q.attribution == "self":
                        issues.append(yf.issue(path + ("attribution",),
                                               f"the speaker speaks for '{q.speaker_org}', not '{org.id}': "
                                               f"attribution cannot be 'self'"))
                    qid = q.id or quote_id_for(org.id, st.topic, q)
                    if qid in quote_ids:
                        first_yf, first_path = quote_ids[qid]
                        issues.append(yf.issue(path, f"duplicate quote (id '{qid}', first at "
                                                     f"{first_yf.shown}:{first_yf.line_of(first_path)})",
                                               "a quote appears once per stance"))
                        continue
                    quote_ids[qid] = (yf, path)  # where, worked out only if needed
                    m = prove(q.text, q.source, yf, path, "text") if src_ok else None
                    if m is None:
                        continue
                    date = q.date or (src_by_id[q.source][0].date if src_ok else None)
                    out.append(Evidence(
                        quote_id=qid, organization=org.id, topic=st.topic, position=position, view=view,
                        view_summary=summary, text=" ".join(q.text.split()), source=q.source,
                        speaker=q.speaker, speaker_org=q.speaker_org, attribution=q.attribution,
                        date=date, note=q.note, start=m.start, end=m.end, occurrences=m.count,
                        states=q.states,
                    ))
                return out

            own = resolve(st.quotes, sp + ("quotes",), st.position, "own", st.summary, False)
            counters = []
            for ci, c in enumerate(st.counter):
                cp = sp + ("counter", ci)
                check_pos(c.position, cp + ("position",))
                claims.check_stated("counter view", terms.get((st.topic, c.position)), c.quotes, c.reading,
                                    yf, cp, issues, warnings)
                if c.position == st.position:
                    issues.append(yf.issue(cp + ("position",),
                                           "a counter view must differ from the stance's position",
                                           "put agreeing quotes among the stance's own quotes"))
                ev = resolve(c.quotes, cp + ("quotes",), c.position, "counter", c.summary, True)
                counters.append(CounterView(c.position, c.summary, tuple(ev), reading=c.reading))
            if st.counter and not any(q.attribution == "self" for q in st.quotes):
                issues.append(yf.issue(sp + ("quotes",),
                                       "a stance with a counter view must rest on the organization's own words "
                                       "(at least one 'self' quote)",
                                       "if only critics speak, make their view the stance and drop the counter"))
            stance_records.append(StanceRecord(org.id, st.topic, st.position, st.summary,
                                               tuple(own), tuple(counters), reading=st.reading))

    # ---- corrections (data/corrections.yaml, optional) -------------------------------------
    corrections: list[tuple[Correction, YamlFile, tuple]] = []
    if not (data_dir / "corrections.yaml").exists():
        rec.read(data_dir / "corrections.yaml", max_file_bytes)  # optional, but its appearing is a change
    elif (yf := read(data_dir / "corrections.yaml")) is not None:
        for p, item in _records(yf, "corrections", issues):
            if (obj := _parse(Correction, yf, p, item, "correction", issues)) is not None:
                corrections.append((obj, yf, p))
    claims.check_corrections(corrections, set(org_by_id), declared_orgs - set(org_by_id), positions,
                             {(s.organization, s.topic): {s.position, *(c.position for c in s.counters)}
                              for s in stance_records}, issues)

    if issues:
        issues.sort(key=lambda i: (i.file, i.line or 0))
        raise DataError(issues, rec.inputs())

    return dict(
        sources=[s for s, _, _ in src_by_id.values()],
        source_texts={k: v.text for k, v in texts.items()},
        traditions=[t for t, _, _ in trad_by_id.values()],
        topics=[t for t, _, _ in topic_by_id.values()],
        # the stances live, resolved, in `stances`: the organizations keep only their own fields
        organizations=[o.model_copy(update={"stances": []}) for o, _, _ in org_by_id.values()],
        stances=stance_records,
        warnings=warnings,
        corrections=[c for c, _, _ in corrections],
        inputs=rec.inputs(),
    )


