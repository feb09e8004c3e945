"""Load and validate the data directory, collecting every problem in one run.

`load_store(data_dir, seeds_dir)` returns an immutable `Store` or raises `DataError`
with every issue found (file:line, message, snippet). Nothing half-loaded escapes.
This module reads and parses the files; checks.py holds one check per kind of record.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .checks import CHECKS, Known, Record, Report
from .errors import DataError, Issue, display_path
from .heap import no_cyclic_gc
from .inputs import Recorder, data_files
from .models import Correction, Fact, Organization, Quote, QuoteRef, Source, Stance, Topic, Tradition, View
from .replies import Reply, check_replies
from .store import Store, build_store
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
            if sub is Quote and isinstance(x, dict) and "ref" in x:  # a passage filed under another stance
                obj = _parse_nested(QuoteRef, yf, path + (fname, i), x, "quote reference", {}, issues)
            else:
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
    try:  # the whole file in one validation: what the parts give when nothing is wrong, in half the time
        return Organization.model_validate(data)
    except ValidationError:
        pass  # part by part, so that every problem is reported, each at its line
    return _parse_organization_parts(yf, data, issues)


def _parse_organization_parts(yf: YamlFile, data: dict, issues: list[Issue]) -> Organization | None:
    """The organization validated item by item (`_parse_nested`): the reference for the
    one-call validation above (tests/unit/test_loader.py holds them equal)."""
    return _parse_nested(Organization, yf, (), data, "organization", _ORG_PARTS, issues)


def load_store(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int = DEFAULT_MAX_BYTES) -> Store:
    """Validate everything and build the immutable store (or raise DataError with every issue)."""
    with no_cyclic_gc():
        return build_store(**load_inputs(data_dir, seeds_dir, max_file_bytes))


def load_inputs(data_dir: Path | str, seeds_dir: Path | str, max_file_bytes: int = DEFAULT_MAX_BYTES) -> dict:
    """Parse and validate; return what `build_store` needs (plain, picklable values), with
    `inputs`, the exact list of what was read (inputs.py). A DataError carries it too.

    Three steps: read and parse every file (a record that does not parse is reported and left
    out, its id noted as broken so that references to it say nothing more); keep one record
    per id; run each check of checks.CHECKS. Any problem, and nothing is returned."""
    data_dir, seeds_dir = Path(data_dir), Path(seeds_dir)
    rec = Recorder(settings={"max_file_bytes": max_file_bytes})
    report = Report()

    if rec.folder(data_dir) == NO_FOLDER:
        raise DataError([Issue(display_path(data_dir), None, "the data folder does not exist",
                               hint="pass --data DIR or set data_dir in config.yaml")], rec.inputs())
    if rec.folder(seeds_dir) == NO_FOLDER:
        raise DataError([Issue(display_path(seeds_dir), None, "the seeds folder does not exist",
                               hint="pass --seeds DIR or set seeds_dir in config.yaml")], rec.inputs())

    files = _Files(data_dir, max_file_bytes, rec, report)
    declared: dict[str, set[str]] = {}  # ids written in the files, even in records that failed to parse
    parsed = {key: files.records(name, key, model, what, declared, required)
              for name, key, model, what, required in LISTS}
    parsed["organizations"] = files.organizations(declared)

    known = Known(seeds_dir=seeds_dir, max_file_bytes=max_file_bytes, recorder=rec)
    for kind, what in (("sources", "source"), ("traditions", "tradition"), ("topics", "topic"),
                       ("organizations", "organization")):
        by_id = _unique(parsed[kind], what, report)
        setattr(known, kind, by_id)
        known.broken[kind] = declared.get(kind, set()) - set(by_id)
    known.corrections = parsed["corrections"]
    known.replies = parsed["replies"]
    for check in (*CHECKS, check_replies):
        check(known, report)

    if report.issues:
        report.issues.sort(key=lambda i: (i.file, i.line or 0))
        raise DataError(report.issues, rec.inputs())

    return dict(
        sources=[s for s, _, _ in known.sources.values()],
        source_texts={k: v.text for k, v in known.texts.items()},
        traditions=[t for t, _, _ in known.traditions.values()],
        topics=[t for t, _, _ in known.topics.values()],
        # the stances live, resolved, in `stances`: the organizations keep only their own fields
        organizations=[o.model_copy(update={"stances": []}) for o, _, _ in known.organizations.values()],
        stances=known.stances,
        warnings=report.warnings,
        corrections=[c for c, _, _ in known.corrections],
        replies=[r for r, _, _ in known.replies],
        inputs=rec.inputs(),
    )


NO_FOLDER = ("no-folder",)

# The files of records: (file in data/, its top-level key, model, what one is called, required).
# The organizations are one file each, in data/organizations/.
LISTS = (
    ("sources.yaml", "sources", Source, "source", True),
    ("traditions.yaml", "traditions", Tradition, "tradition", True),
    ("topics.yaml", "topics", Topic, "topic", True),
    ("corrections.yaml", "corrections", Correction, "correction", False),
    ("replies.yaml", "replies", Reply, "reply", False),
)


def _unique(items: list[Record], what: str, report: Report) -> dict[str, Record]:
    """One record per id, the first; a later one is an error naming where the first is."""
    seen: dict[str, Record] = {}
    for obj, yf, p in items:
        if obj.id in seen:
            first = seen[obj.id]
            report.error(yf, p + ("id",), f"duplicate {what} id '{obj.id}' "
                                          f"(first in {first[1].shown}:{first[1].line_of(first[2])})")
        else:
            seen[obj.id] = (obj, yf, p)
    return seen


class _Files:
    """Reading and parsing the data files, every problem into the report, every file read noted."""

    def __init__(self, data_dir: Path, max_file_bytes: int, rec: Recorder, report: Report):
        self.data_dir, self.max_file_bytes, self.rec, self.report = data_dir, max_file_bytes, rec, report

    def read(self, path: Path) -> YamlFile | None:
        if not self.rec.inside(self.data_dir, path):  # a data file is in data/: never a link to the rest of the machine
            self.rec.outside(path)
            self.report.issues.append(Issue(str(path), None, "the file is a link leading out of the data folder",
                                            "put the file itself in the data folder"))
            return None
        yf, errs = read_yaml(path, display_path(path), self.max_file_bytes)
        self.rec.file(path, self.max_file_bytes, yf.seen)
        self.report.issues.extend(errs)
        return None if errs and yf.data is None else yf

    def records(self, name: str, key: str, model: type, what: str, declared: dict[str, set[str]],
                required: bool) -> list[Record]:
        path = self.data_dir / name
        if not path.exists():
            self.rec.read(path, self.max_file_bytes)  # looked for: its appearing is a change
            if required:
                self.report.issues.append(Issue(display_path(path), None, "file is missing",
                                                hint=f"create it with a '{key}:' list"))
            return []
        yf = self.read(path)
        if yf is None:
            return []
        out = []
        for p, item in _records(yf, key, self.report.issues):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                declared.setdefault(key, set()).add(item["id"])
            obj = _parse(model, yf, p, item, what, self.report.issues)
            if obj is not None:
                out.append((obj, yf, p))
        return out

    def organizations(self, declared: dict[str, set[str]]) -> list[Record]:
        org_dir = self.data_dir / "organizations"
        if self.rec.folder(org_dir, "data-files") == NO_FOLDER:
            self.report.issues.append(Issue(display_path(org_dir), None, "the organizations folder is missing"))
            return []
        org_files = data_files(org_dir)
        names = declared.setdefault("organizations", set())
        orgs = []
        for path in org_files:
            yf = self.read(path)
            if yf is None:
                continue
            org = _parse_organization(yf, self.report.issues, names)
            if org is None:
                continue
            if org.id != path.stem:  # links and the cache name an organization by its file
                self.report.error(yf, ("id",), f"the id '{org.id}' differs from the file name '{path.name}'",
                                  f"rename the file to {org.id}.yaml or change the id")
            orgs.append((org, yf, ()))
        return orgs
