"""Measure the dashboard at scale: load times, callback latency through the real Dash
endpoint, layout size, and memory.

    python benchmarks/run.py --orgs 200 --topics 30 --quotes 20000 --sources 500 --json bench.json
    python benchmarks/run.py --data DIR --seeds DIR --json bench.json
    python benchmarks/run.py --scales 0.25,0.5,1 --json bench.json   # growth at 1/4, 1/2 and full scale

Prints a table and writes JSON. Each scale runs in a fresh process, so memory is its own.
"""
from __future__ import annotations

import argparse
import gc
import gzip
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEAT = 30
LOAD_RUNS = 3


def p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def machine_reference() -> float:
    """Seconds for a fixed pure-Python workload (best of three): how fast this machine is at
    the moment, so that figures taken at different times, or on a shared machine whose speed
    wanders, can be compared. About 0.25 s on the machine of the figures in the README."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        d: dict = {}
        for i in range(1_500_000):
            d[i % 1000] = str(i)
        best = min(best, time.perf_counter() - t)
    return round(best, 3)


def measure(data: Path, seeds: Path, repeat: int = REPEAT) -> dict:
    from tests.support.dash_client import DashClient
    from dashboard.app import create_app, settle_heap
    from dashboard.config import load_config
    from dashboard.data import load_store
    from dashboard.data.cache import load_cached

    out: dict = {}
    out["machine_ref_s"] = machine_reference()
    # loads are timed LOAD_RUNS times and the median reported (a shared machine's noise is large)
    runs = []
    for _ in range(LOAD_RUNS):
        gc.collect()  # each load starts as a fresh server's would, not amid the last one's garbage
        t = time.perf_counter()
        store = load_store(data, seeds, 50_000_000)
        runs.append(round(time.perf_counter() - t, 3))
        del store
    out["cold_load_s"] = statistics.median(runs)
    out["cold_load_runs_s"] = runs
    with tempfile.TemporaryDirectory() as cache:
        load_cached(data, seeds, 50_000_000, cache)  # writes the cache
        runs = []
        for _ in range(LOAD_RUNS):
            store = None
            gc.collect()
            t = time.perf_counter()
            store = load_cached(data, seeds, 50_000_000, cache)
            runs.append(round(time.perf_counter() - t, 3))
        out["warm_load_s"] = statistics.median(runs)
        out["warm_load_runs_s"] = runs
    out["counts"] = store.counts()

    app = create_app(load_config(data_dir=data, seeds_dir=seeds), store=store)
    settle_heap()  # as `serve` and the WSGI entry point do
    dc = DashClient(app)
    orgs = list(store.organizations)
    topics = list(store.topics)
    trad = next(iter(store.traditions))
    ev = store.evidence[len(store.evidence) // 2]
    word = ev.text.split()[3].strip(".,;?!").lower()
    base = {"f-topic.value": [], "f-tradition.value": [], "f-org.value": [], "f-attr.value": [], "f-q.value": ""}
    calls = {
        "matrix_filter": lambda: dc.call("matrix.children", {**base, "f-tradition.value": [trad]},
                                         changed="f-tradition.value"),
        "text_search": lambda: dc.call("matrix.children", {**base, "f-q.value": word}, changed="f-q.value"),
        "compare_4_orgs": lambda: dc.call("compare-body.children", {"c-org.value": orgs[:4], "c-topic.value": [],
                                                                    "c-hide.value": False}, changed="c-org.value"),
        "topic_page": lambda: dc.page(f"/topics/{topics[0]}"),
        "organization_page": lambda: dc.page(f"/organizations/{ev.organization}"),
        "source_reader": lambda: dc.page(f"/sources/{ev.source}?quote={ev.quote_id}"),
        "agreement": lambda: dc.call("agreement-graph.figure", {"a-topic.value": [], "a-mode.value": "own",
                                                                "a-org.value": orgs[0]}, changed="a-mode.value"),
        "matrix_page": lambda: dc.page("/"),
        "match_page": lambda: dc.page("/match"),  # the page and all its data; the match itself runs in the browser
    }
    rules = {r.rule for r in app.server.url_map.iter_rules()}
    if "/api/organizations/<org_id>" in rules:  # the JSON API (docs: README, Data): its main endpoints
        calls.update({
            "api_organization": lambda: dc.client.get(f"/api/organizations/{ev.organization}"),
            "api_topic": lambda: dc.client.get(f"/api/topics/{topics[0]}"),
            "api_quote_search": lambda: dc.client.get(f"/api/quotes?text={word}"),
        })
    lat = {}
    for name, fn in calls.items():
        samples = []
        for i in range(repeat):
            t = time.perf_counter()
            resp = fn()
            samples.append((time.perf_counter() - t) * 1000)
            if resp.status_code != 200:
                raise SystemExit(f"{name}: HTTP {resp.status_code}: {resp.data[:300]!r}")
        lat[name] = round(p95(samples), 1)
    out["callbacks_p95_ms"] = lat

    layout = dc.client.get("/_dash-layout").data
    views = {"matrix": "/", "compare": f"/compare?org={orgs[0]}&org={orgs[1]}&org={orgs[2]}&org={orgs[3]}",
             "topic": f"/topics/{topics[0]}", "organization": f"/organizations/{ev.organization}",
             "source": f"/sources/{ev.source}?quote={ev.quote_id}", "agreement": "/agreement",
             "debates": "/debates", "coverage": "/coverage", "timeline": "/timeline", "lineage": "/lineage",
             "about": "/about", "match": "/match"}
    sizes = {}
    for name, path in views.items():
        body = dc.page(path).data
        sizes[name] = round(len(gzip.compress(layout + body)) / 1024, 1)
    out["layout_kb_gzip_by_view"] = sizes
    out["layout_kb_gzip"] = max(sizes.values())
    resp = dc.page("/", headers={"Accept-Encoding": "gzip"})
    out["responses_compressed"] = resp.headers.get("Content-Encoding") == "gzip"
    out["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def run_scale(args, scale: float) -> dict:
    """Generate a data set at `scale` and measure it in a fresh process."""
    n = lambda v: max(2, int(round(v * scale)))  # noqa: E731
    with tempfile.TemporaryDirectory() as tmp:
        gen = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--orgs", str(n(args.orgs)),
               "--topics", str(n(args.topics)), "--quotes", str(n(args.quotes)), "--sources", str(n(args.sources)),
               "--out", tmp]
        subprocess.run(gen, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, __file__, "--data", f"{tmp}/data", "--seeds", f"{tmp}/seeds",
                              "--json", f"{tmp}/out.json", "--quiet", "--repeat", str(args.repeat)], check=True)
        out = json.loads(Path(f"{tmp}/out.json").read_text())
    out["scale"] = scale
    return out


def table(results: list[dict]) -> str:
    rows = [("scale", lambda r: str(r.get("scale", "-"))),
            ("quotes", lambda r: str(r["counts"]["quotes"])),
            ("machine_ref_s", lambda r: str(r["machine_ref_s"])),
            ("cold_load_s", lambda r: str(r["cold_load_s"])),
            ("warm_load_s", lambda r: str(r["warm_load_s"])),
            ("layout_kb_gzip", lambda r: str(r["layout_kb_gzip"])),
            ("rss_mb", lambda r: str(r["rss_mb"]))]
    for name in results[0]["callbacks_p95_ms"]:
        rows.append((f"p95 {name} ms", lambda r, n=name: str(r["callbacks_p95_ms"].get(n, "-"))))
    width = max(len(r[0]) for r in rows)
    lines = []
    for label, fn in rows:
        lines.append(f"{label:<{width}}  " + "  ".join(f"{fn(r):>10}" for r in results))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.generate import add_size_arguments

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_size_arguments(p)
    p.add_argument("--scales", default="1", help="comma-separated fractions of the sizes above, e.g. 0.25,0.5,1")
    p.add_argument("--data")
    p.add_argument("--seeds")
    p.add_argument("--repeat", type=int, default=REPEAT)
    p.add_argument("--json", dest="json_out")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args(argv)
    if a.data:
        results = [measure(Path(a.data), Path(a.seeds or Path(a.data).parent / "seeds"), a.repeat)]
    else:
        results = [run_scale(a, float(s)) for s in a.scales.split(",")]
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(results if len(results) > 1 else results[0], indent=1))
    if not a.quiet:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
