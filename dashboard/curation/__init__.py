"""The curator's commands: `add-source` (a file into seeds/ and its entry into
data/sources.yaml) and `find` (where words sit in the sources, with a quote ready to paste).

Both work on the files as they are, even while the rest of the data is being edited and
does not validate: they read only data/sources.yaml and seeds/.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml
from pydantic import ValidationError

from ..data import DataError, load_store
from ..data.errors import Issue, display_path
from ..data.matching import Match, SourceText, keyed
from ..data.models import KEBAB, Source
from ..data.yamlfile import DEFAULT_MAX_BYTES, read_yaml
from .extract import ExtractError, extract, normalize_date
from .transaction import LOCK_WAIT_SECONDS, Interrupted, Transaction

FIELD_ORDER = ("id", "title", "authors", "publication", "date", "date_note", "kind", "organization", "file", "url")
REQUIRED = ("title", "authors", "publication", "kind")
OPTION_OF = {"title": "--title", "authors": "--author", "publication": "--publication", "kind": "--kind",
             "date": "--date", "organization": "--organization", "url": "--url"}
DEFAULT_KIND = "article"
SEED_FACTOR = 10  # a source text may be 10 x max_file_bytes, as the loader allows
PLACEHOLDER = {"title": "TITLE", "authors": "NAME", "publication": "NAME", "kind": "KIND"}


class CurationError(Exception):
    """A refusal with a message for the curator; nothing was written."""


# ---- YAML text ----------------------------------------------------------------------------
def yaml_scalar(value: str, flow: bool = False) -> str:
    """`value` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    value = str(value)
    plain_ok = (
        value == value.strip() and value and "\n" not in value
        and not re.search(r"[#:]\s|\s#|[\"'\\]|:$", value)
        and not (flow and re.search(r"[,\[\]{}]", value))
    )
    if plain_ok:
        doc = f"k: [{value}]" if flow else f"k: {value}"
        try:
            back = yaml.safe_load(doc)
        except yaml.YAMLError:
            back = None
        if back == {"k": [value] if flow else value}:
            return value
    return json.dumps(value, ensure_ascii=False)


def quoted(text: str) -> str:
    """A quote's text as a YAML scalar, double-quoted as in the data files (single-quoted
    when the text itself holds double quotes, to keep it readable)."""
    if '"' in text and "'" not in text and "\\" not in text:
        return "'" + text + "'"
    return json.dumps(text, ensure_ascii=False)


def entry_lines(entry: dict[str, Any], indent: str) -> list[str]:
    lines = []
    first = True
    for key in FIELD_ORDER:
        if key not in entry or entry[key] in (None, "", []):
            continue
        value = entry[key]
        if key == "authors":
            text = "[" + ", ".join(yaml_scalar(a, flow=True) for a in value) + "]"
        elif key == "date":
            text = str(value)  # the loader keeps dates as written
        else:
            text = yaml_scalar(value)
        prefix = f"{indent}- " if first else f"{indent}  "
        lines.append(f"{prefix}{key}: {text}")
        first = False
    return lines


# ---- add-source -----------------------------------------------------------------------------
@dataclass
class AddResult:
    source_id: str
    seed: Path
    sources_file: Path
    line: int
    entry_text: str


def _issue_keys(issues: list[Issue]) -> list[tuple[str, str]]:
    return [(i.file, i.message) for i in issues]


def _validate(data_dir: Path, seeds_dir: Path, max_bytes: int) -> list[Issue]:
    try:
        load_store(data_dir, seeds_dir, max_bytes)
    except DataError as exc:
        return list(exc.issues)
    return []


def add_source(path: Path | str, source_id: str, data_dir: Path, seeds_dir: Path, *,
               title: str | None = None, authors: list[str] | None = None, date: str | None = None,
               publication: str | None = None, kind: str | None = None, organization: str | None = None,
               url: str | None = None, dry_run: bool = False, out: TextIO,
               max_file_bytes: int = DEFAULT_MAX_BYTES, lock_wait: float = LOCK_WAIT_SECONDS) -> AddResult | None:
    """Extract the file's text into seeds/<id>.txt and append its entry to data/sources.yaml,
    as one transaction (dashboard/curation/transaction.py): under an exclusive lock, the new seed and
    sources.yaml are staged, the result validated, then published (the seed linked in, sources.yaml
    replaced atomically after checking it did not change).

    Refuses (CurationError or TransactionError, nothing written) an existing id or seed, a
    missing required field, a file too large or not text, or an entry that would not
    validate; prints what it proposed from the file. On a signal (Interrupted) data/ and
    seeds/ are as before unless the publish had completed (`exc.committed`)."""
    path, data_dir, seeds_dir = Path(path), Path(data_dir), Path(seeds_dir)
    if not re.match(KEBAB, source_id or ""):
        raise CurationError(f"the id {source_id!r} must be kebab-case: lower-case words joined by '-' "
                            f"(for example wsws-iso-anti-russia-campaign)")
    sources_file = data_dir / "sources.yaml"
    if not sources_file.is_file():
        raise CurationError(f"{display_path(sources_file)} does not exist (is --data right?)")
    if not seeds_dir.is_dir():
        raise CurationError(f"{display_path(seeds_dir)} does not exist (is --seeds right?)")
    tx = Transaction(data_dir, seeds_dir, out, lock_wait)
    try:
        with tx:
            return _add_source(tx, path, source_id, data_dir, seeds_dir, sources_file, title=title,
                               authors=authors, date=date, publication=publication, kind=kind,
                               organization=organization, url=url, dry_run=dry_run, out=out,
                               max_file_bytes=max_file_bytes)
    except Interrupted as exc:
        exc.committed = tx.committed  # type: ignore[attr-defined]
        raise


def _add_source(tx: Transaction, path: Path, source_id: str, data_dir: Path, seeds_dir: Path,
                sources_file: Path, *, title, authors, date, publication, kind, organization, url,  # type: ignore[no-untyped-def]
                dry_run: bool, out: TextIO, max_file_bytes: int) -> AddResult | None:
    seed = seeds_dir / f"{source_id}.txt"
    if os.path.lexists(seed):
        raise CurationError(f"{display_path(seed)} already exists: a seed is never overwritten; choose another id")
    original = _read_limited(sources_file, max_file_bytes)
    yf, errs = read_yaml(sources_file, display_path(sources_file), max_file_bytes)
    if errs and yf.data is None:
        raise CurationError(f"{display_path(sources_file)} cannot be read; fix it first:\n"
                            + "\n".join(i.format() for i in errs))
    existing = yf.data.get("sources") if isinstance(yf.data, dict) else None
    if not isinstance(existing, list):
        raise CurationError(f"{display_path(sources_file)} has no 'sources:' list")
    for i, item in enumerate(existing):
        if isinstance(item, dict) and item.get("id") == source_id:
            raise CurationError(f"a source with the id '{source_id}' already exists "
                                f"({yf.shown}:{yf.line_of(('sources', i))}); choose another id")

    seed_limit = max_file_bytes * SEED_FACTOR
    try:
        ex = extract(path, max_bytes=seed_limit)
    except ExtractError as exc:
        raise CurationError(f"{exc}\nnothing was written") from None
    seed_bytes = ex.text.encode("utf-8")
    if len(seed_bytes) > seed_limit:
        raise CurationError(f"{path}: its text is {len(seed_bytes):,} bytes, over the limit of {seed_limit:,} "
                            f"for a source text ({SEED_FACTOR} x max_file_bytes)\nnothing was written")

    what = {"pdf": "a PDF", "html": "an HTML page", "text": "plain text"}[ex.kind]
    pages = f", {ex.pages} page{'s' if ex.pages != 1 else ''}" if ex.pages is not None else ""
    out.write(f"Read {path.name} as {what}{pages}: {len(ex.text):,} characters, "
              f"{len(ex.text.splitlines()):,} lines.\n")
    for note in ex.notes:
        out.write(f"note: {note}\n")

    given = {"title": title, "authors": authors or None, "date": date, "publication": publication,
             "kind": kind, "organization": organization, "url": url}
    entry: dict[str, Any] = {"id": source_id}
    proposed: list[tuple[str, Any, str]] = []
    for key, value in given.items():
        if value:
            entry[key] = value
        elif key in ex.found:
            entry[key] = ex.found[key][0]
            proposed.append((key, entry[key], ex.found[key][1]))
    if "kind" not in entry:
        entry["kind"] = DEFAULT_KIND
        proposed.append(("kind", DEFAULT_KIND, "default"))
    if "date" in entry and any(k == "date" for k, _, _ in proposed):
        entry["date_note"] = f"Proposed from the file ({ex.found['date'][1]}); check it against the text."
    if "date" in entry and not any(k == "date" for k, _, _ in proposed):
        norm = normalize_date(entry["date"])
        entry["date"] = norm or entry["date"]  # a bad date is reported by the model below
    entry["file"] = seed.name

    if proposed:
        out.write("Proposed from the file (give the option to change it):\n")
        for key, value, origin in proposed:
            shown = ", ".join(value) if isinstance(value, list) else value
            out.write(f"  {key:<12} {shown}    ({origin}; {OPTION_OF[key]})\n")
    missing = [k for k in REQUIRED if k not in entry]
    if missing:
        raise CurationError("not found in the file, so give: "
                            + ", ".join(f"{OPTION_OF[k]} {PLACEHOLDER[k]}" for k in missing)
                            + "\nnothing was written")
    try:
        Source.model_validate(entry)
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise CurationError(f"the entry would not be valid: {msgs}\nnothing was written") from None

    try:
        text = original.decode("utf-8")
    except UnicodeDecodeError:
        raise CurationError(f"{display_path(sources_file)} is not UTF-8; fix it first\nnothing was written") from None
    indent = _item_indent(text)
    separator = "\n" if text.strip() and _blank_between_items(text) and not text.endswith("\n\n") else ""
    body = "\n".join(entry_lines(entry, indent)) + "\n"
    prefix = "" if text.endswith("\n") or not text else "\n"
    line = text.count("\n") + (1 if prefix else 0) + (1 if separator else 0) + 1
    if dry_run:
        out.write(f"Would write {display_path(seed)} and add to {display_path(sources_file)}:\n{body}")
        out.write("(dry run: nothing was written)\n")
        return None

    before = _validate(data_dir, seeds_dir, max_file_bytes)
    tx.stage(seed, seed_bytes)                                           # a new file: never overwrites
    tx.stage(sources_file, original + (prefix + separator + body).encode("utf-8"), original)
    staged_data, staged_seeds = tx.staged_tree()
    after = _as_real(_validate(staged_data, staged_seeds, max_file_bytes),
                     ((staged_data, data_dir), (staged_seeds, seeds_dir)))
    old = _issue_keys(before)
    new = [i for i in after if (i.file, i.message) not in old]
    if new:
        raise CurationError("the new entry does not validate, so nothing was written:\n"
                            + "\n".join(i.format() for i in new))
    tx.commit()

    out.write(f"Wrote {display_path(seed)} ({len(ex.text):,} characters; never edit it: quotes are proved "
              f"against it).\n")
    out.write(f"Added to {display_path(sources_file)} at line {line}:\n{body}")
    if before:
        out.write(f"note: the data already had {len(before)} problem(s) unrelated to this source; "
                  f"run `python -m dashboard validate`.\n")
    else:
        out.write("The data is valid with the new source.\n")
    out.write(f"Next: python -m dashboard find \"some words\" --source {source_id}\n")
    return AddResult(source_id, seed, sources_file, line, body)


def _read_limited(path: Path, limit: int) -> bytes:
    """A data file's bytes, its size checked before it is read whole."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise CurationError(f"{display_path(path)} is {size:,} bytes, over the limit of {limit:,} "
                                f"(max_file_bytes)\nnothing was written")
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise CurationError(f"cannot read {display_path(path)}: {exc.strerror or exc}\nnothing was written") from None
    if len(data) > limit:
        raise CurationError(f"{display_path(path)} grew over the limit of {limit:,} bytes while read\n"
                            f"nothing was written")
    return data


def _as_real(issues: list[Issue], pairs: tuple[tuple[Path, Path], ...]) -> list[Issue]:
    """Issues found in the staged copy, shown with the real files' paths."""
    subs = []
    for staged, real in pairs:
        for form in (display_path(staged), str(staged), str(staged.resolve())):
            subs.append((form, display_path(real)))
    subs.sort(key=lambda s: -len(s[0]))

    def fix(text: str) -> str:
        for a, b in subs:
            text = text.replace(a, b)
        return text

    return [Issue(fix(i.file), i.line, fix(i.message), i.snippet, fix(i.hint)) for i in issues]


def _item_indent(text: str) -> str:
    m = re.search(r"^( *)- +id:", text, flags=re.MULTILINE)
    return m.group(1) if m else "  "


def _blank_between_items(text: str) -> bool:
    lines = text.splitlines()
    items = [i for i, line in enumerate(lines) if re.match(r"^ *- +id:", line)]
    return len(items) > 1 and all(i > 0 and not lines[i - 1].strip() for i in items[1:])


# ---- find -------------------------------------------------------------------------------------
@dataclass
class SearchSource:
    id: str
    file: str
    text: SourceText
    authors: list[str]
    organization: str | None


def searchable_sources(data_dir: Path, seeds_dir: Path, max_file_bytes: int = DEFAULT_MAX_BYTES
                       ) -> tuple[list[SearchSource], list[str]]:
    """The sources listed in data/sources.yaml whose file can be read, and notes on those that can't."""
    path = Path(data_dir) / "sources.yaml"
    yf, errs = read_yaml(path, display_path(path), max_file_bytes)
    if errs and yf.data is None:
        raise CurationError(f"{display_path(path)} cannot be read:\n" + "\n".join(i.format() for i in errs))
    items = yf.data.get("sources") if isinstance(yf.data, dict) else None
    out, notes = [], []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("file"), str):
            continue
        fpath = Path(seeds_dir) / item["file"]
        try:
            text = fpath.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            notes.append(f"skipped '{item['id']}': cannot read {item['file']} ({exc})")
            continue
        authors = item.get("authors") if isinstance(item.get("authors"), list) else []
        org = item.get("organization") if isinstance(item.get("organization"), str) else None
        out.append(SearchSource(item["id"], item["file"], SourceText(text), [str(a) for a in authors], org))
    return out, notes


def quote_text(src: SourceText, start: int, end: int) -> str:
    """The span of the source as a quote: whitespace collapsed and line-end hyphenation
    undone (kept where the source writes the word with a hyphen elsewhere). The result
    is checked to match the same span; if not, only whitespace is collapsed."""
    full = src.text
    span = full[start:end]

    def rejoin(m: re.Match) -> str:
        left, right = m.group(1), m.group(2)
        hyphenated = re.search(rf"(?<!\w){re.escape(left)}-{re.escape(right)}(?!\w)", full)
        joined = re.search(rf"(?<!\w){re.escape(left + right)}(?!\w)", full)
        return f"{left}-{right}" if hyphenated and not joined else left + right

    text = re.sub(r"([^\W\d_]+)-[ \t]*\n\s*(\w+)", rejoin, span)
    text = " ".join(text.split())
    if any((m.start, m.end) == (start, end) for m in src.find_all(text)):
        return text
    return " ".join(span.split())


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def search(sources: list[SearchSource], words: str, ignore_case: bool = False) -> list[tuple[SearchSource, Match]]:
    """Every hit of `words` in the sources, as whole words (the matcher finds only those, as it
    proves quotes: "campist" is not in "campists"). "first words ... last words" finds
    the span from the first part to the nearest following occurrence of the last part."""
    parts = [p.strip() for p in re.split(r"\s*(?:\.\.\.|\u2026)\s*", words.strip()) if p.strip()]
    if not parts:
        return []
    hits = []
    for s in sources:
        if len(parts) == 1:
            found = s.text.find_all(parts[0], ignore_case)
            hits.extend((s, Match(m.start, m.end, len(found))) for m in found)
            continue
        heads = s.text.find_all(parts[0], ignore_case)
        tails = s.text.find_all(parts[-1], ignore_case)
        spans = []
        for h in heads:
            t = next((t for t in tails if t.start >= h.end), None)
            if t is not None and t.end - h.start <= 5000:
                spans.append((h.start, t.end))
        hits.extend((s, Match(a, b, len(spans))) for a, b in spans)
    return hits


def format_hit(s: SearchSource, m: Match, context: int = 80) -> str:
    text = s.text.text
    before = re.sub(r"\s+", " ", text[max(0, m.start - context * 2):m.start]).lstrip()
    after = re.sub(r"\s+", " ", text[m.end:m.end + context * 2]).rstrip()
    inside = " ".join(text[m.start:m.end].split())
    head = "\u2026" if len(before) > context else ""
    tail = "\u2026" if len(after) > context else ""
    before, after = before[-context:], after[:context]
    line = _line_of(text, m.start)
    quote = quote_text(s.text, m.start, m.end)
    speaker = " and ".join(s.authors) if s.authors else ""
    snippet = [
        f"      - text: {quoted(quote)}",
        f"        source: {s.id}",
        f"        speaker: {yaml_scalar(speaker) if speaker else ''}".rstrip()
        + "    # who speaks, as the text names them (the source's authors by default)",
    ]
    if s.organization:
        snippet.append(f"        speaker_org: {s.organization}    # the organization the speaker speaks for, "
                       f"if any (the source's by default)")
    occurrences = len(s.text.find_all(quote))
    if occurrences > 1:
        snippet.append(f"        # these words occur {occurrences} times in the source: the first is the one "
                       f"highlighted; quote more to point at another")
    snippet += [
        "        attribution:    # self | critic | observer: the speaker's relation to the organization "
        "whose stance this is (docs/curating.md)",
        f"        # {s.file}: characters {m.start}-{m.end}, line {line}",
    ]
    return (f"{s.id} ({s.file}), line {line}, characters {m.start}-{m.end}:\n"
            f"  {head}{before}\u00bb{inside}\u00ab{after}{tail}\n\n" + "\n".join(snippet) + "\n")


def find_command(words: str, data_dir: Path, seeds_dir: Path, *, source: str | None = None,
                 ignore_case: bool = False, limit: int = 20, out: TextIO,
                 max_file_bytes: int = DEFAULT_MAX_BYTES) -> int:
    sources, notes = searchable_sources(data_dir, seeds_dir, max_file_bytes)
    for note in notes:
        out.write(f"note: {note}\n")
    if source:
        known = [s.id for s in sources]
        sources = [s for s in sources if s.id == source]
        if not sources:
            raise CurationError(f"unknown source '{source}'; known: {', '.join(known)}")
    if not keyed(words).key:
        raise CurationError("give some words to look for")
    hits = search(sources, words, ignore_case)
    if not hits:
        out.write(f"No verbatim match for \"{words}\" in {len(sources)} source(s).\n")
        best = None
        for s in sources:
            probe = re.split(r"\s*(?:\.\.\.|\u2026)\s*", words.strip())[0]
            miss = s.text.closest(probe)
            if best is None or miss.ratio > best[1].ratio:
                best = (s, miss)
        if best is not None and best[1].ratio > 0.3:
            s, miss = best
            out.write(f"Closest passage, in {s.id} ({s.file}) line {_line_of(s.text.text, miss.start)}:\n"
                      f"  \"{' '.join(miss.closest.split())}\"\n  {miss.differences}\n")
        return 1
    shown = hits[:limit]
    out.write(f"{len(hits)} match{'es' if len(hits) != 1 else ''} for \"{words}\""
              f"{' (ignoring case)' if ignore_case else ''}"
              f"{f'; showing the first {limit}' if len(hits) > limit else ''}:\n\n")
    for s, m in shown:
        out.write(format_hit(s, m) + "\n")
    return 0
