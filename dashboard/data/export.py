"""The data download: one row per quote, as CSV or JSON (`export` on the command line and
/download/evidence.<fmt> in the dashboard write the same text)."""
from __future__ import annotations

import csv
import io
import json

from .memo import memo
from .opendata import dataset_version
from .store import Store

EXPORT_COLUMNS = (
    "organization", "organization_name", "tradition", "topic", "topic_name", "position",
    "stance_summary", "contested", "attribution", "speaker", "source", "source_title",
    "source_file", "date", "quote", "quote_id", "start", "end", "dataset_version",
)
FORMATS = ("csv", "json")


def _rows(store: Store) -> list[dict]:
    """The rows, built once per store (shared: never handed out)."""
    memo_ = memo(store)
    if "export_rows" not in memo_:
        version = dataset_version(store).version  # every row names the data it comes from
        rows = []
        for e in store.evidence:
            org = store.organizations[e.organization]
            src = store.sources[e.source]
            rows.append({
                "organization": org.id,
                "organization_name": org.name,
                "tradition": org.tradition,
                "topic": e.topic,
                "topic_name": store.topics[e.topic].name,
                "position": e.position,
                "stance_summary": e.view_summary,
                "contested": store.stances[(e.organization, e.topic)].contested,
                "attribution": e.attribution,
                "speaker": e.speaker,
                "source": e.source,
                "source_title": src.title,
                "source_file": src.file,
                "date": e.date or "",
                "quote": e.text,
                "quote_id": e.quote_id,
                "start": e.start,
                "end": e.end,
                "dataset_version": version,
            })
        memo_["export_rows"] = rows
    return memo_["export_rows"]


def export_rows(store: Store) -> list[dict]:
    """One dict per quote, with the keys of EXPORT_COLUMNS in that order (copies: yours to change)."""
    return [dict(r) for r in _rows(store)]


def export_text(store: Store, fmt: str) -> str:
    """The whole download in `fmt` ("csv" or "json")."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    rows = _rows(store)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()
