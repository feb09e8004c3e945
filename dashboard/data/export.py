"""The exports, all from the store (`opendata.tables`) and all carrying the dataset version: quote
rows (CSV, JSON: `export_text`), a SQLite database with a Datasette metadata file, and a
Frictionless data package. `python -m dashboard export --format <one of FORMATS>` and the
downloads call these. Nothing here imports Dash or Flask.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from .memo import memo
from .opendata import (DATA_LICENSE, DESCRIPTION, SCHEMA, SOFTWARE, TABLES, dataset_version, selector_parts,
                       software_version, tables)
from .store import Store

FORMATS = ("csv", "json", "sqlite", "datapackage")
ROW_FORMATS = FORMATS[:2]  # one row per quote (export_text)
SQLITE_NAME = "tendency-atlas.sqlite"
METADATA_NAME = "tendency-atlas.metadata.json"
PACKAGE_NAME = "tendency-atlas"


# ---- quote rows --------------------------------------------------------------------------
# each quote anchored as in the database: TextPositionSelector start/end, TextQuoteSelector exact/prefix/suffix
EXPORT_COLUMNS = (
    "organization", "organization_name", "tradition", "topic", "topic_name", "position",
    "stance_summary", "contested", "attribution", "speaker", "source", "source_title",
    "source_file", "date", "quote", "quote_id", "start", "end", "exact", "prefix", "suffix", "shared",
    "dataset_version",
)


def _rows(store: Store) -> list[dict]:
    """The rows, built once per store (shared: never handed out)."""
    memo_ = memo(store)
    if "export_rows" not in memo_:
        version = dataset_version(store).version  # every row names the data it comes from
        rows = []
        for e in store.evidence:
            org = store.organizations[e.organization]
            src = store.sources[e.source]
            exact, prefix, suffix = selector_parts(store.source_texts[e.source], e.start, e.end)
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
                "exact": exact,
                "prefix": prefix,
                "suffix": suffix,
                "shared": " ".join(e.shared),  # the same passage's rows on other stances (quote ids)
                "dataset_version": version,
            })
        memo_["export_rows"] = rows
    return memo_["export_rows"]


def export_rows(store: Store) -> list[dict]:
    """One dict per quote, with the keys of EXPORT_COLUMNS in that order (copies: yours to change)."""
    return [dict(r) for r in _rows(store)]


def export_text(store: Store, fmt: str) -> str:
    """The whole download in `fmt` ("csv" or "json")."""
    if fmt not in ROW_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(ROW_FORMATS)}")
    rows = _rows(store)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


# ---- SQLite --------------------------------------------------------------------------------
_SQL_TYPES = {"string": "TEXT", "integer": "INTEGER", "boolean": "INTEGER", "date": "TEXT", "array": "TEXT"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def create_statements() -> list[str]:
    """The schema's DDL: tables with primary and foreign keys, indexes, FTS5 tables."""
    out = []
    for t in SCHEMA:
        cols = []
        for c in t.columns:
            check = f" CHECK ({_q(c.name)} IN (0, 1))" if c.type == "boolean" else ""
            cols.append(f"{_q(c.name)} {_SQL_TYPES[c.type]}{' NOT NULL' if c.required else ''}{check}")
        cols.append("PRIMARY KEY (" + ", ".join(map(_q, t.primary_key)) + ")")
        for fields, other, refs in t.foreign_keys:
            cols.append(f"FOREIGN KEY ({', '.join(map(_q, fields))}) REFERENCES {_q(other)} "
                        f"({', '.join(map(_q, refs))})")
        out.append(f"CREATE TABLE {_q(t.name)} (\n  " + ",\n  ".join(cols) + "\n)")
        for idx in t.indexes:
            out.append(f"CREATE INDEX {_q('idx_' + t.name + '_' + '_'.join(idx))} ON {_q(t.name)} "
                       f"({', '.join(map(_q, idx))})")
        if t.fts:
            # external content: Datasette finds it (content="<table>") and offers its search box
            out.append(f"CREATE VIRTUAL TABLE {_q(t.name + '_fts')} USING fts5("
                       + ", ".join(map(_q, t.fts)) + f', content="{t.name}")')
    return out


def _sql_value(col_type: str, value):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    if col_type == "boolean":
        return 1 if value else 0
    if col_type == "array":
        return json.dumps(value, ensure_ascii=False)
    return value


def write_sqlite(store: Store, path: Path | str) -> Path:
    """The whole dataset as one SQLite file (replaced atomically if it exists)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".sqlite.tmp")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode = OFF")
            for stmt in create_statements():
                con.execute(stmt)
            data = tables(store)
            for t in SCHEMA:
                types = [c.type for c in t.columns]
                con.executemany(
                    f"INSERT INTO {_q(t.name)} ({', '.join(map(_q, t.names))}) VALUES ({', '.join('?' * len(types))})",
                    ([_sql_value(ty, row[n]) for ty, n in zip(types, t.names)] for row in data[t.name]))
                if t.fts:
                    con.execute(f"INSERT INTO {_q(t.name + '_fts')}({_q(t.name + '_fts')}) VALUES ('rebuild')")
            ver = dataset_version(store)
            con.execute("CREATE TABLE dataset (key TEXT PRIMARY KEY NOT NULL, value TEXT)")
            con.executemany("INSERT INTO dataset VALUES (?, ?)", sorted(ver.as_dict().items()))
            con.commit()
        finally:
            con.close()
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def sqlite_bytes(store: Store) -> bytes:
    """The SQLite file's bytes, built once per store (for the download)."""
    m = memo(store)
    if "sqlite_bytes" not in m:
        with tempfile.TemporaryDirectory() as d:
            m["sqlite_bytes"] = write_sqlite(store, Path(d) / SQLITE_NAME).read_bytes()
    return m["sqlite_bytes"]


def datasette_metadata(store: Store, db_name: str = PACKAGE_NAME) -> dict:
    """Datasette's metadata file for the database: title, licence, version, and every table's and
    column's description (`datasette tendency-atlas.sqlite -m tendency-atlas.metadata.json`)."""
    ver = dataset_version(store)
    tables_meta = {}
    for t in SCHEMA:
        entry = {"description": t.description, "columns": {c.name: c.description for c in t.columns}}
        if t.fts:
            entry.update({"fts_table": t.name + "_fts", "fts_pk": "rowid"})
        tables_meta[t.name] = entry
    tables_meta["dataset"] = {"description": "The dataset version: cite it with the data.",
                              "columns": {"key": "version, date, sha256 or software", "value": "Its value."}}
    return {
        "title": f"{SOFTWARE}, dataset {ver.version}",
        "description": DESCRIPTION,
        "license": DATA_LICENSE["name"],
        "license_url": DATA_LICENSE["path"],
        "databases": {db_name: {"title": SOFTWARE, "description": f"Dataset version {ver.version} "
                                f"(sha256 {ver.sha256}).", "tables": tables_meta}},
    }


# ---- Frictionless data package --------------------------------------------------------
def _csv_value(col_type: str, value):  # type: ignore[no-untyped-def]
    if value is None:
        return ""
    if col_type == "boolean":
        return "true" if value else "false"
    if col_type == "array":
        return json.dumps(value, ensure_ascii=False)
    return value


def _table_csv(name: str, store: Store) -> str:
    t = TABLES[name]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(t.names)
    types = [c.type for c in t.columns]
    for row in tables(store)[name]:
        writer.writerow([_csv_value(ty, row[n]) for ty, n in zip(types, t.names)])
    return buf.getvalue()


def datapackage_descriptor(store: Store) -> dict:
    ver = dataset_version(store)
    resources = []
    for t in SCHEMA:
        fields = []
        for c in t.columns:
            f = {"name": c.name, "type": c.type, "description": c.description}
            if c.required:
                f["constraints"] = {"required": True}
            fields.append(f)
        schema: dict = {"fields": fields, "primaryKey": list(t.primary_key)}
        if t.foreign_keys:
            schema["foreignKeys"] = [{"fields": list(fs), "reference": {"resource": other, "fields": list(refs)}}
                                     for fs, other, refs in t.foreign_keys]
        resources.append({"name": t.name, "path": f"data/{t.name}.csv", "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "description": t.description, "schema": schema})
    sources = [{"title": s.title, **({"path": s.url} if s.url else {})} for s in store.sources.values()]
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": SOFTWARE,
        "description": DESCRIPTION,
        "version": ver.version,
        "licenses": [DATA_LICENSE],
        "sources": sources,
        "keywords": ["socialism", "political organizations", "stances", "quotes", "evidence"],
        "contributors": [{"title": f"{SOFTWARE} editors", "role": "author"}],
        "sha256": ver.sha256,
        "dataset_date": ver.date,
        "software": f"{SOFTWARE} {software_version()}",
        "resources": resources,
    }


def _package_files(store: Store) -> dict[str, str]:
    desc = datapackage_descriptor(store)
    files = {"datapackage.json": json.dumps(desc, ensure_ascii=False, indent=1) + "\n"}
    for t in SCHEMA:
        files[f"data/{t.name}.csv"] = _table_csv(t.name, store)
    return files


def write_datapackage(store: Store, path: Path | str) -> Path:
    """The data package as a folder (datapackage.json and data/*.csv), or as a zip when `path`
    ends in .zip."""
    path = Path(path)
    files = _package_files(store)
    if path.suffix == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_zip(files))
        return path
    for rel, text in files.items():
        dest = path / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
    return path


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel, text in files.items():
            info = zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def datapackage_zip_bytes(store: Store) -> bytes:
    m = memo(store)
    if "datapackage_zip" not in m:
        m["datapackage_zip"] = _zip(_package_files(store))
    return m["datapackage_zip"]
