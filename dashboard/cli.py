"""Command line: python -m dashboard serve|validate|export|add-source|add-reply|find."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .config import ConfigError, load_config
from .data import DataError
from .data.export import FORMATS, ROW_FORMATS
from .data.watch import COUNTED


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="settings file (default: ./config.yaml)")
    p.add_argument("--data", dest="data_dir", help="the data folder (default from config.yaml: data/)")
    p.add_argument("--seeds", dest="seeds_dir", help="the source texts folder (default from config.yaml: seeds/)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard",
                                     description="Tendency Atlas: where socialist organizations stand, with the evidence.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{serve,validate,export,add-source,add-reply,find}")
    p = sub.add_parser("serve", help="serve the dashboard (default http://127.0.0.1:8050)")
    _common(p)
    p.add_argument("--host", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, help="port (default 8050)")
    p.add_argument("--debug", action="store_true", default=None, help="Dash debug mode (never in production)")
    p.add_argument("--no-reload", dest="reload", action="store_false",
                   help="do not watch data/ and seeds/ for edits (for production)")
    p = sub.add_parser("validate", help="check the data and prove every quote; exit 0 or 1")
    _common(p)
    p.add_argument("--watch", action="store_true",
                   help="validate again on every save, printing only what changed (Ctrl+C to stop)")
    p = sub.add_parser("export", help="write the data: quote rows (CSV, JSON), a SQLite database, a data package")
    _common(p)
    p.add_argument("--format", choices=FORMATS, default="csv",
                   help="csv, json: one row per quote; sqlite: every table in one database, with a Datasette "
                        "metadata file beside it; datapackage: a Frictionless data package (a folder, or a zip "
                        "when --out ends in .zip)")
    p.add_argument("--out", help="output file or folder (default: standard output for csv and json, "
                                 "tendency-atlas.sqlite, tendency-atlas-datapackage/)")
    p = sub.add_parser("add-source", help="add a text, HTML or PDF file as a source (seeds/ and data/sources.yaml)")
    _common(p)
    p.add_argument("file", help="the file: plain text, a saved web page (HTML) or a PDF")
    p.add_argument("--id", required=True, dest="source_id", help="the new source's id, kebab-case")
    p.add_argument("--title", help="title (default: from the file's metadata, or its first line)")
    p.add_argument("--author", action="append", dest="authors", metavar="NAME",
                   help="an author; repeat for several (default: from the file's metadata)")
    p.add_argument("--date", help="YYYY, YYYY-MM or YYYY-MM-DD (default: from the file's metadata)")
    p.add_argument("--publication", help="where it was published (default: from the page's site name)")
    p.add_argument("--kind", help="article, polemic, pamphlet, blog post with comments... (default: article)")
    p.add_argument("--organization", help="the id of the organization the source speaks for, if any")
    p.add_argument("--url", help="where it can be read (default: from the page's canonical address)")
    p.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    p = sub.add_parser("add-reply", help="add an organization's reply to one of its stances (data/replies.yaml)")
    _common(p)
    p.add_argument("--organization", required=True, help="the organization replying (its id)")
    p.add_argument("--topic", required=True, help="the topic of the stance it answers (its id)")
    p.add_argument("--source", required=True,
                   help="the source holding its words (add-source it first: a published text, or the statement "
                        "sent to the editors, with its provenance in the source's notes)")
    p.add_argument("--date", required=True, help="when the reply was made, YYYY-MM-DD")
    p.add_argument("--quote", action="append", dest="quotes", required=True, metavar="TEXT",
                   help="the reply's words, verbatim from the source; repeat for several")
    p.add_argument("--speaker", required=True, help="who speaks (as the source names them)")
    p.add_argument("--answer", required=True, choices=("corrected", "kept"), help="the editors' answer")
    p.add_argument("--correction", help="with --answer corrected: the correction's key (c-...; listed if omitted)")
    p.add_argument("--reason", help="with --answer kept: why the stance stands")
    p.add_argument("--dry-run", action="store_true", help="show what would be written, write nothing")
    p = sub.add_parser("find", help="find words in the sources, with a quote ready to paste into the data")
    _common(p)
    p.add_argument("words", help='the words to find, as in the source; "first words ... last words" for a span')
    p.add_argument("--source", help="only this source (its id)")
    p.add_argument("-i", "--ignore-case", action="store_true", help="letters may differ in case (search only)")
    p.add_argument("--limit", type=int, default=20, help="show at most this many matches (default 20)")
    return parser


def _curate(args, cfg) -> int:  # type: ignore[no-untyped-def]
    """add-source, find and validate --watch: they work on the files even while the data is invalid."""
    from .curation import CurationError, add_source, find_command
    from .curation.transaction import Interrupted, TransactionError

    try:
        if args.command == "add-source":
            add_source(args.file, args.source_id, cfg.data_dir, cfg.seeds_dir, title=args.title,
                       authors=args.authors, date=args.date, publication=args.publication, kind=args.kind,
                       organization=args.organization, url=args.url, dry_run=args.dry_run, out=sys.stdout,
                       max_file_bytes=cfg.max_file_bytes)
            return 0
        if args.command == "add-reply":
            from .curation.replies import add_reply

            add_reply(cfg.data_dir, cfg.seeds_dir, organization=args.organization, topic=args.topic,
                      source=args.source, date=args.date, quotes=args.quotes, speaker=args.speaker,
                      answer=args.answer, correction=args.correction, reason=args.reason, dry_run=args.dry_run,
                      out=sys.stdout, max_file_bytes=cfg.max_file_bytes)
            return 0
        if args.command == "find":
            return find_command(args.words, cfg.data_dir, cfg.seeds_dir, source=args.source,
                                ignore_case=args.ignore_case, limit=max(1, args.limit), out=sys.stdout,
                                max_file_bytes=cfg.max_file_bytes)
    except (CurationError, TransactionError) as exc:
        sys.stdout.flush()
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        sys.stdout.flush()
        if getattr(exc, "committed", False):
            print(f"stopped by {exc.name}, after the {'reply' if args.command == 'add-reply' else 'source'} had been "
                  "added whole", file=sys.stderr)
        else:
            print(f"stopped by {exc.name}: nothing was written; data/ and seeds/ are as they were", file=sys.stderr)
        return 128 + exc.signum
    from .curation.validate_watch import watch

    try:
        return watch(cfg.data_dir, cfg.seeds_dir, cfg.max_file_bytes, sys.stdout)
    except KeyboardInterrupt:
        return 0


def _export_files(store, fmt: str, out: str | None) -> int:  # type: ignore[no-untyped-def]
    from .data import export
    from .data.opendata import dataset_version

    version = dataset_version(store).version
    if fmt == "sqlite":
        path = export.write_sqlite(store, out or export.SQLITE_NAME)
        meta = path.with_name(path.stem + ".metadata.json")
        meta.write_text(json.dumps(export.datasette_metadata(store, path.stem), ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")
        print(f"wrote {path} and its Datasette metadata {meta} (dataset version {version})", file=sys.stderr)
    else:
        path = export.write_datapackage(store, out or export.PACKAGE_NAME + "-datapackage")
        print(f"wrote the data package {path} (dataset version {version})", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args.config, data_dir=args.data_dir, seeds_dir=args.seeds_dir,
                          host=getattr(args, "host", None), port=getattr(args, "port", None),
                          debug=getattr(args, "debug", None))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command in ("add-source", "add-reply", "find") or (args.command == "validate" and args.watch):
        return _curate(args, cfg)
    if args.command == "serve":
        return _serve(args, cfg)
    from .data import load_store

    try:  # validate and export always prove every quote afresh
        store = load_store(cfg.data_dir, cfg.seeds_dir, cfg.max_file_bytes)
    except DataError as exc:
        return _invalid(exc)

    if args.command == "validate":
        c = store.counts()
        print("The data is valid: every reference resolves and every quote is verbatim in its source.")
        for key in COUNTED:
            print(f"  {key:<14}{c[key]:>6}")
        for w in store.warnings:
            print(f"warning: {w}")
        return 0

    if args.command == "export":
        if args.format not in ROW_FORMATS:
            return _export_files(store, args.format, args.out)
        from .data.export import export_text

        text = export_text(store, args.format)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"wrote {len(store.evidence)} rows to {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0

    return 0


def _invalid(exc: DataError) -> int:
    print(str(exc), file=sys.stderr)
    print(f"\nThe data is not valid: fix the {len(exc.issues)} problem(s) above "
          f"(docs/data-format.md explains the format).", file=sys.stderr)
    return 1


def build_serve_app(cfg, reload: bool, console: bool = False):  # type: ignore[no-untyped-def]
    """The app `serve` runs: create_app loads the data itself (from the cache when it matches),
    and live reload watches what that load read, as it read it: an edit saved while the server
    starts is picked up (tests/unit/test_reload_publish.py). `console`: say on the console
    when live reload loads or refuses the data."""
    from .app import create_app

    if console and reload:
        from .app.reload import log_to_console

        log_to_console()
    return create_app(cfg, reload=reload)


def _serve(args, cfg) -> int:  # type: ignore[no-untyped-def]
    try:
        app = build_serve_app(cfg, args.reload, console=True)
    except DataError as exc:
        return _invalid(exc)
    from .app import settle_heap

    settle_heap()
    print(f"Tendency Atlas on http://{cfg.host}:{cfg.port}/ (Ctrl+C to stop)")
    if args.reload:
        print("Edits to data/ and seeds/ show up as you save them (--no-reload to turn this off).")
    if cfg.host not in ("127.0.0.1", "localhost", "::1"):
        print("note: listening beyond this machine; put a reverse proxy in front (see README).")
    app.run(host=cfg.host, port=cfg.port, debug=cfg.debug)
    return 0


def entry() -> None:  # pragma: no cover
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        if os.environ.get("TENDENCY_ATLAS_DEBUG"):
            raise
        print(f"error: {type(exc).__name__}: {exc}\n(set TENDENCY_ATLAS_DEBUG=1 to see the details)", file=sys.stderr)
        sys.exit(3)
