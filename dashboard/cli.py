"""Command line: python -m dashboard serve|validate|export."""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path

from .config import ConfigError, load_config
from .data import DataError, load_store
from .data.store import EXPORT_COLUMNS


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="settings file (default: ./config.yaml)")
    p.add_argument("--data", dest="data_dir", help="the data folder (default from config.yaml: data/)")
    p.add_argument("--seeds", dest="seeds_dir", help="the source texts folder (default from config.yaml: seeds/)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard",
                                     description="Tendency Atlas: where socialist organizations stand, with the evidence.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="{serve,validate,export}")
    p = sub.add_parser("serve", help="serve the dashboard (default http://127.0.0.1:8050)")
    _common(p)
    p.add_argument("--host", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, help="port (default 8050)")
    p.add_argument("--debug", action="store_true", default=None, help="Dash debug mode (never in production)")
    p = sub.add_parser("validate", help="check the data and prove every quote; exit 0 or 1")
    _common(p)
    p = sub.add_parser("export", help="write one row per evidence quote (CSV or JSON)")
    _common(p)
    p.add_argument("--format", choices=("json", "csv"), default="csv")
    p.add_argument("--out", help="output file (default: standard output)")
    return parser


def export_text(store, fmt: str) -> str:
    rows = store.export_rows()
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args.config, data_dir=args.data_dir, seeds_dir=args.seeds_dir,
                          host=getattr(args, "host", None), port=getattr(args, "port", None),
                          debug=getattr(args, "debug", None))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        store = load_store(cfg.data_dir, cfg.seeds_dir, cfg.max_file_bytes)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        print(f"\nThe data is not valid: fix the {len(exc.issues)} problem(s) above "
              f"(docs/data-format.md explains the format).", file=sys.stderr)
        return 1

    if args.command == "validate":
        c = store.counts()
        print("The data is valid: every reference resolves and every quote is verbatim in its source.")
        for key in ("organizations", "topics", "stances", "quotes", "sources", "traditions"):
            print(f"  {key:<14}{c[key]:>6}")
        for w in store.warnings:
            print(f"warning: {w}")
        return 0

    if args.command == "export":
        text = export_text(store, args.format)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
            print(f"wrote {len(store.evidence)} rows to {args.out}", file=sys.stderr)
        else:
            sys.stdout.write(text)
        return 0

    # serve
    from .app import create_app

    app = create_app(cfg, store=store)
    print(f"Tendency Atlas on http://{cfg.host}:{cfg.port}/ (Ctrl+C to stop)")
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
