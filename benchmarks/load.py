"""Load test: many concurrent clients drive the dashboard's pages and callbacks over HTTP.

    .venv/bin/python benchmarks/load.py --start --url http://127.0.0.1:58199 --clients 50 --seconds 60

Each client (a thread with its own keep-alive connection) loops over what a visitor's browser
asks for: page layouts through the page router (the matrix, a comparison, a topic, an
organization, the evidence reader at a quote, the about page), the index page, the matrix
filter and its URL writer, a comparison, and a click on a matrix cell. Ids come from the
server's own data export, callback shapes from its /_dash-dependencies.

It reports requests per second, p50/p95/p99 latency and the errors (anything but a 200, or a
204 from a callback that changes nothing); the exit status is 1 if there was any error.

On loopback only: it refuses any address that is not this machine. It starts nothing unless
--start is given, which runs the production server (`make serve-prod`'s gunicorn command) on
the --url's port for the duration of the test and stops it afterwards.
"""
from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
MAX_SECONDS, MAX_CLIENTS = 600, 500
WORKERS = int(os.environ.get("WORKERS", "4"))


def gunicorn_command(host: str, port: int, workers: int) -> list[str]:
    """The command `make serve-prod` runs, on the given address."""
    return [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "-w", str(workers),
            "-b", f"{host}:{port}", "dashboard.wsgi:server"]


def loopback_only(host: str) -> None:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as exc:
        raise SystemExit(f"cannot resolve {host}: {exc}") from None
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"refusing {host} ({', '.join(sorted(addresses))}): this load test runs on loopback only")


class Target:
    """What to ask for: built once from the server's own data and callback list."""

    def __init__(self, host: str, port: int):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        self.deps = {d["output"]: d for d in self._get_json(conn, "/_dash-dependencies")}
        rows = self._get_json(conn, "/download/evidence.json")
        conn.close()
        self.orgs = sorted({r["organization"] for r in rows})
        self.topics = sorted({r["topic"] for r in rows})
        self.traditions = sorted({r["tradition"] for r in rows})
        self.stances = sorted({(r["organization"], r["topic"]) for r in rows})
        self.quotes = sorted({(r["source"], r["quote_id"]) for r in rows})
        self.words = sorted({w.strip(".,;:\"'()").lower() for r in rows for w in r["quote"].split() if len(w) > 6})

    @staticmethod
    def _get_json(conn, path):
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise SystemExit(f"GET {path}: {resp.status}")
        return json.loads(body)

    def key(self, first_output: str) -> str:
        for k in self.deps:
            if k.strip(".").startswith(first_output):
                return k
        raise SystemExit(f"the server has no callback for {first_output}")

    def body(self, first_output: str, values: dict, changed: str) -> bytes:
        key = self.key(first_output)
        spec = self.deps[key]
        outputs = [{"id": o.split(".")[0], "property": o.split(".")[1]} for o in key.strip(".").split("...")]

        def deps(items):
            out = []
            for d in items:
                value = values.get(f"{d['id']}.{d['property']}")
                if d["id"].startswith("{"):  # pattern-matching (ALL): the list of matching components
                    out.append(value or [])
                else:
                    out.append({"id": d["id"], "property": d["property"], "value": value})
            return out

        body = {"output": key, "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": deps(spec["inputs"]), "state": deps(spec.get("state", [])), "changedPropIds": [changed]}
        return json.dumps(body).encode()

    # ---- the requests ---------------------------------------------------------------------
    def page(self, rnd: random.Random):
        o1, o2 = rnd.sample(self.orgs, 2)
        src, qid = rnd.choice(self.quotes)
        path, search = rnd.choice([
            ("/", ""), ("/", "?" + urlencode({"topic": rnd.choice(self.topics)})),
            ("/compare", f"?org={o1}&org={o2}"), (f"/topics/{rnd.choice(self.topics)}", ""),
            (f"/organizations/{rnd.choice(self.orgs)}", ""), (f"/sources/{src}", f"?quote={qid}"), ("/about", ""),
        ])
        values = {"_pages_location.pathname": path, "_pages_location.search": search}
        return "page layout", "POST", "/_dash-update-component", self.body("_pages_content", values,
                                                                            "_pages_location.pathname")

    def index(self, rnd: random.Random):
        return "index + layout", "GET", rnd.choice(["/", "/compare?org=iso&org=psl", "/_dash-layout"]), None

    def matrix_values(self, rnd: random.Random) -> dict:
        return {"f-topic.value": rnd.sample(self.topics, rnd.randint(0, min(3, len(self.topics)))),
                "f-tradition.value": rnd.sample(self.traditions, rnd.randint(0, 1)),
                "f-org.value": [], "f-attr.value": rnd.choice([[], ["self"], ["critic", "observer"]]),
                "f-q.value": rnd.choice(["", "", rnd.choice(self.words) if self.words else ""])}

    def matrix(self, rnd: random.Random):
        return ("matrix filter", "POST", "/_dash-update-component",
                self.body("matrix.children", self.matrix_values(rnd), "f-topic.value"))

    def matrix_url(self, rnd: random.Random):
        values = self.matrix_values(rnd)
        values["matrix-open.data"] = ""
        return "matrix url", "POST", "/_dash-update-component", self.body("matrix-url", values, "f-q.value")

    def compare(self, rnd: random.Random):
        values = {"c-org.value": rnd.sample(self.orgs, rnd.randint(2, 4)),
                  "c-topic.value": rnd.sample(self.topics, rnd.randint(0, 2)), "c-hide.value": rnd.random() < .3}
        return "compare", "POST", "/_dash-update-component", self.body("compare-body", values, "c-org.value")

    def cell(self, rnd: random.Random):
        org, topic = rnd.choice(self.stances)
        cells = [{"id": {"org": o, "topic": t, "type": "cell"}, "property": "n_clicks",
                  "value": 1 if (o, t) == (org, topic) else None} for o, t in self.stances]
        pattern = next(i for d in self.deps.values() for i in d["inputs"] if i["id"].startswith("{"))
        values = {f"{pattern['id']}.n_clicks": cells,
                  "evidence-panel.is_open": False, "f-attr.value": []}
        changed = json.dumps({"org": org, "topic": topic, "type": "cell"}, separators=(",", ":")) + ".n_clicks"
        return "cell click", "POST", "/_dash-update-component", self.body("matrix-open", values, changed)

    def pick(self, rnd: random.Random):
        maker = rnd.choices([self.page, self.index, self.matrix, self.matrix_url, self.compare, self.cell],
                            weights=[35, 10, 20, 10, 13, 12])[0]
        return maker(rnd)


def client(host, port, target: Target, stop_at: float, seed: int, results: list, errors: list) -> None:
    rnd = random.Random(seed)
    conn = http.client.HTTPConnection(host, port, timeout=30)
    while time.perf_counter() < stop_at:
        kind, method, path, body = target.pick(rnd)
        headers = {"Accept-Encoding": "gzip"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            elapsed = time.perf_counter() - start
            ok = resp.status == 200 and data or (resp.status == 204 and method == "POST")
            if not ok:
                errors.append((kind, f"HTTP {resp.status}: {data[:120]!r}"))
            if resp.will_close:
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            elapsed = time.perf_counter() - start
            errors.append((kind, f"{type(exc).__name__}: {exc}"))
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        results.append((kind, elapsed))
    conn.close()


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return {"p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000, "max": max(values) * 1000}


def wait_until_up(host: str, port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer within 90 s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="http://127.0.0.1:8050", help="the server (loopback only)")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--start", action="store_true", help="run the production server (gunicorn) for the test")
    p.add_argument("--workers", type=int, default=WORKERS, help="gunicorn workers with --start (default 4)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", help="also write the figures to this file")
    args = p.parse_args(argv)
    if not 1 <= args.clients <= MAX_CLIENTS or not 0 < args.seconds <= MAX_SECONDS:
        p.error(f"--clients must be 1..{MAX_CLIENTS} and --seconds 0..{MAX_SECONDS}")
    url = urlsplit(args.url)
    if url.scheme != "http" or not url.hostname:
        p.error("--url must be http://HOST:PORT")
    host, port = url.hostname, url.port or 80
    loopback_only(host)

    proc = None
    if args.start:
        cmd = gunicorn_command(host, port, args.workers)
        print("starting:", " ".join(cmd), file=sys.stderr)
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
    try:
        if proc is not None:
            t0 = time.time()
            wait_until_up(host, port, proc)
            print(f"server up in {time.time() - t0:.1f} s", file=sys.stderr)
        target = Target(host, port)
        results: list[tuple[str, float]] = []
        errors: list[tuple[str, str]] = []
        started = time.perf_counter()
        stop_at = started + args.seconds
        threads = [threading.Thread(target=client, args=(host, port, target, stop_at, args.seed * 1000 + i,
                                                         results, errors), daemon=True)
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + 60)
        duration = time.perf_counter() - started
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, elapsed in results:
        by_kind[kind].append(elapsed)
    overall = percentiles([e for _, e in results])
    report = {"clients": args.clients, "seconds": round(duration, 1), "requests": len(results),
              "requests_per_second": round(len(results) / duration, 1),
              **{k: round(v, 1) for k, v in overall.items()}, "errors": len(errors),
              "by_kind": {k: {"requests": len(v), **{q: round(x, 1) for q, x in percentiles(v).items()}}
                          for k, v in sorted(by_kind.items())}}
    print(f"{args.clients} clients for {duration:.1f} s against {args.url}")
    print(f"  requests       {len(results):>8}")
    print(f"  requests/s     {report['requests_per_second']:>8.1f}")
    print(f"  latency ms     p50 {overall['p50']:.0f}  p95 {overall['p95']:.0f}  p99 {overall['p99']:.0f}"
          f"  max {overall['max']:.0f}")
    print(f"  errors         {len(errors):>8}")
    for kind, stats in report["by_kind"].items():
        print(f"    {kind:<15} {stats['requests']:>6} requests  p50 {stats['p50']:.0f}  p95 {stats['p95']:.0f}"
              f"  p99 {stats['p99']:.0f} ms")
    for (kind, message), n in Counter(errors).most_common(5):
        print(f"  error x{n}: {kind}: {message}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
