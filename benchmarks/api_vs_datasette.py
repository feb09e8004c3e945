"""The JSON API against Datasette's JSON for the same rows, in one run, with the same client.

    GEN=$(mktemp -d)
    .venv/bin/python benchmarks/generate.py --orgs 200 --topics 30 --quotes 20000 --sources 500 --out "$GEN"
    .venv/bin/python benchmarks/api_vs_datasette.py --data "$GEN/data" --seeds "$GEN/seeds" --requests 50 \
        --json "$GEN/api.json"

It uses the side-by-side harness of ../shared/bench (peer_compare.py, peer_datasette.py; --bench
names another folder): its HTTP client (a fresh connection per request, gzip accepted, timed from
connect to the last body byte), its SQLite load (sqlite-utils: insert, indexes, full-text search)
and its venv with Datasette, its choice of the organization, topic and word. The project runs under
gunicorn with one sync worker (as peer_compare.py). Requests are interleaved round-robin, so a
busy machine's noise falls on both alike. Each pair asks for the same rows:

    api_org           /api/organizations/ORG (every stance, its quotes in full)   organization__exact=ORG, all rows
    api_topic         /api/topics/TOPIC (every stance, its quotes by id)          topic__exact=TOPIC, all rows
    api_topic_quotes  /api/quotes?topic=TOPIC&limit=100                           topic__exact=TOPIC, _size=100
    api_search        /api/quotes?text=WORD&limit=100                             _search=WORD, _size=100

(the API pages its quotes at most 100 at a time, so the quote lists are timed a page against a
page of Datasette's of the same size.) Counts are checked: the API's count of quotes equals
Datasette's count of rows (the search: the API matches text, Datasette FTS words; both counts
are printed). Prints a table and the worst ratio of p95s; --json writes the samples.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_harness(bench: Path):
    sys.path.insert(0, str(bench))
    sys.dont_write_bytecode = True
    import peer_compare as pc  # noqa: E402
    import peer_datasette as pd  # noqa: E402
    return pc, pd


def api_requests(v: dict) -> dict[str, str]:
    q = urllib.parse.quote
    return {
        "api_org": f"/api/organizations/{q(v['org'])}",
        "api_topic": f"/api/topics/{q(v['topic'])}",
        "api_topic_quotes": f"/api/quotes?topic={q(v['topic'])}&limit=100",
        "api_search": f"/api/quotes?text={q(v['word'])}&limit=100",
    }


def datasette_requests(pd, v: dict, major: int) -> dict[str, str]:
    def one(params):
        common = [("_nosuggest", "1")] + ([("_extra", "count")] if major >= 1 else [])
        return f"/{pd.DB_NAME}/{pd.TABLE}.json?" + urllib.parse.urlencode(params + common, doseq=True)
    return {
        "api_org": one([("organization__exact", v["org"]), ("_size", "max")]),
        "api_topic": one([("topic__exact", v["topic"]), ("_size", "max")]),
        "api_topic_quotes": one([("topic__exact", v["topic"]), ("_size", "100")]),
        "api_search": one([("_search", v["word"]), ("_size", "100")]),
    }


def api_count(key: str, doc: dict) -> int:
    if key == "api_org":
        return sum(len(s["quotes"]) + sum(len(c["quotes"]) for c in s.get("counters", []))
                   for s in doc["organization"]["stances"])
    if key == "api_topic":
        return sum(len(s["quote_ids"]) + sum(len(c["quote_ids"]) for c in s.get("counters", []))
                   for s in doc["topic"]["stances"])
    return doc["count"]


def run(a, pc, pd, out: dict, procs, tmp: Path) -> None:
    project = Path(a.project).resolve()
    ppy, gunicorn = project / ".venv" / "bin" / "python", project / ".venv" / "bin" / "gunicorn"
    data, seeds = Path(a.data).resolve(), Path(a.seeds).resolve()
    penv = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cfg = tmp / "config.yaml"
    pc.write_config(cfg, data, seeds, tmp / "project-cache")
    penv["TENDENCY_ATLAS_CONFIG"] = str(cfg)
    rows_path = tmp / "rows.json"
    pc.timed_run([str(ppy), "-m", "dashboard", "export", "--config", str(cfg), "--format", "json",
                  "--out", str(rows_path)], env=penv)
    bindir = pc.ensure_peer_venv() / "bin"
    rows = json.loads(rows_path.read_text())
    ns = argparse.Namespace(pick_topic=None, pick_tradition=None, pick_orgs=None, pick_org=None, pick_word=None)
    views, expect, _ = pd.pick_views(rows, ns)
    del rows
    out["views"] = views
    db = tmp / "db" / f"{pd.DB_NAME}.db"
    db.parent.mkdir()
    out["sqlite_load"] = pc.sqlite_load(bindir, rows_path, db, False)

    servers = {}
    cmds = {
        "datasette": ([str(bindir / "datasette"), "serve", "--host", pc.HOST, "--setting", "max_returned_rows", "1000",
                       "--setting", "sql_time_limit_ms", "5000", "-i", str(db)], os.environ.copy()),
        "gunicorn": ([str(gunicorn), "--no-control-socket", "--preload", "-w", "1", "dashboard.wsgi:server"], penv),
    }
    for name, (cmd, env) in cmds.items():
        port = pd.free_port()
        cmd = cmd + (["--port", str(port)] if name == "datasette" else ["-b", f"{pc.HOST}:{port}"])
        proc = procs.start(name, cmd, env=env, cwd=str(tmp), logpath=tmp / f"{name}.log")
        servers[name] = {"port": port, "ready_s": round(pc.wait_ready(proc, port), 3)}
        pc.log(f"{name} up on {pc.HOST}:{port} in {servers[name]['ready_s']:.2f}s")
    out["servers"] = servers
    _, _, enc, body = pc.request(servers["datasette"]["port"], "GET", "/-/versions.json")
    version = json.loads(pc.decode(enc, body)).get("datasette", {}).get("version", "0")
    out["datasette_version"] = version
    try:
        major = int(str(version).split(".")[0])
    except ValueError:
        major = 0
    dq, aq = datasette_requests(pd, views, major), api_requests(views)

    results = {}
    for key in aq:
        plan = [("datasette", dq[key]), ("gunicorn", aq[key])]
        for _ in range(a.warmup):
            for s, path in plan:
                pc.request(servers[s]["port"], "GET", path)
        samples, last = {s: [] for s, _ in plan}, {}
        for _ in range(a.requests):
            for s, path in plan:
                dt, st, enc, body = pc.request(servers[s]["port"], "GET", path)
                if st != 200:
                    raise RuntimeError(f"{s} {key}: HTTP {st}: {body[:200]!r}")
                samples[s].append(dt * 1000)
                last[s] = (enc, body)
        res = {"datasette_request": dq[key], "api_request": aq[key]}
        for s, xs in samples.items():
            enc, body = last[s]
            doc = json.loads(pc.decode(enc, body))
            srt = sorted(xs)
            res[s] = {"p50_ms": round(pd.pct(srt, .5), 2), "p95_ms": round(pd.pct(srt, .95), 2),
                      "wire_bytes": len(body), "body_bytes": len(pc.decode(enc, body)), "content_encoding": enc,
                      "samples_ms": [round(x, 3) for x in xs],
                      "count": (doc.get("filtered_table_rows_count", doc.get("count")) if s == "datasette"
                                else api_count(key, doc))}
        full = {"api_org": expect["d"], "api_topic": expect["c"]}.get(key)
        if full is not None and not (res["datasette"]["count"] == res["gunicorn"]["count"] == full):
            raise RuntimeError(f"{key}: counts differ: datasette {res['datasette']['count']}, "
                               f"API {res['gunicorn']['count']}, rows {full}")
        if key == "api_topic_quotes" and res["gunicorn"]["count"] != res["datasette"]["count"]:
            raise RuntimeError(f"{key}: counts differ: {res['datasette']['count']} / {res['gunicorn']['count']}")
        res["ratio_p95"] = round(res["gunicorn"]["p95_ms"] / res["datasette"]["p95_ms"], 2)
        results[key] = res
        pc.log(f"{key}: datasette p95 {res['datasette']['p95_ms']:.1f} ms, API p95 {res['gunicorn']['p95_ms']:.1f} ms")
    out["results"] = results


def print_table(out: dict) -> None:
    print(f"Datasette {out.get('datasette_version')} vs the project's API under gunicorn -w 1; "
          f"N={out['settings']['requests']} after {out['settings']['warmup']} warm-ups, interleaved; ms to last byte")
    hdr = f"{'endpoint':<18} {'ds p50':>7} {'ds p95':>7} {'api p50':>7} {'api p95':>7} {'ratio':>6} " \
          f"{'ds KB':>7} {'api KB':>7} {'ds rows':>7} {'api rows':>8}"
    print(hdr)
    print("-" * len(hdr))
    for key, r in out["results"].items():
        d, g = r["datasette"], r["gunicorn"]
        print(f"{key:<18} {d['p50_ms']:>7.1f} {d['p95_ms']:>7.1f} {g['p50_ms']:>7.1f} {g['p95_ms']:>7.1f} "
              f"{r['ratio_p95']:>6.2f} {d['wire_bytes'] / 1024:>7.1f} {g['wire_bytes'] / 1024:>7.1f} "
              f"{d['count']:>7} {g['count']:>8}")
    print("rows: matching rows (Datasette's count; the API's count of quotes); KB on the wire "
          "(Datasette sends identity, the API gzip)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True)
    p.add_argument("--seeds", required=True)
    p.add_argument("--project", default=str(ROOT))
    p.add_argument("--bench", default=str(ROOT.parent / "shared" / "bench"),
                   help="the folder of peer_compare.py (default: ../shared/bench beside the project)")
    p.add_argument("--requests", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--json", dest="json_out")
    a = p.parse_args(argv)
    bench = Path(a.bench)
    if not (bench / "peer_compare.py").is_file():
        alt = Path("/work/shared/bench")
        if not (alt / "peer_compare.py").is_file():
            p.error(f"no peer_compare.py in {bench}: pass --bench")
        bench = alt
    pc, pd = load_harness(bench)
    out = {"tool": "api_vs_datasette", "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
           "settings": {"requests": a.requests, "warmup": a.warmup}, "ok": False,
           "loadavg_start": [round(x, 2) for x in os.getloadavg()]}
    procs = pc.Procs()
    tmp = Path(tempfile.mkdtemp(prefix="api-vs-datasette-"))
    try:
        run(a, pc, pd, out, procs, tmp)
        out["ok"] = True
    finally:
        procs.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    out["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print_table(out)
    ratios = {k: r["ratio_p95"] for k, r in out["results"].items()}
    worst = max(ratios, key=ratios.get)
    out["worst"] = {"endpoint": worst, "ratio_p95": ratios[worst],
                    "median_ratio": round(statistics.median(ratios.values()), 2)}
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(out, indent=1) + "\n")
    print(f"worst ratio {ratios[worst]:.2f} on {worst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
