"""Which gunicorn worker class, measured: the deployment (nginx in front of gunicorn with
deploy/gunicorn.conf.py, benchmarks/stack.py) on loopback, for each worker class installed.

    .venv/bin/python benchmarks/workers.py --seconds 20 --clients 20

For each setting it reports, through nginx: throughput and p50/p95/p99 of benchmarks/load.py's
visitor mix, and the slowest of a few normal requests made while 50 slow clients trickle their
headers and bodies; and, straight at gunicorn (what nginx protects it from), how many of 10
normal requests failed or took over 1 s while as many slow sockets as the setting has
workers x threads, plus 4, were open.
"""
from __future__ import annotations

import argparse
import http.client
import importlib.util
import random
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import Target, client, percentiles  # noqa: E402
from benchmarks.stack import Stack  # noqa: E402

SETTINGS = [("sync", 3, 1), ("sync", 6, 1), ("gthread", 3, 4), ("gthread", 2, 8), ("gthread", 3, 8)]


def timed_get(port: int, path: str, timeout: float = 3.0) -> float:
    t0 = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            return float("inf")
    except OSError:
        return float("inf")
    finally:
        conn.close()
    return time.monotonic() - t0


def trickling(port: int, n: int) -> tuple[list[socket.socket], threading.Event]:
    socks, stop = [], threading.Event()
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" if i % 2 else b"GET / HTTP/1.1\r\n")
        socks.append(s)

    def trickle() -> None:
        while not stop.wait(0.3):
            for s in socks:
                try:
                    s.send(b"X")
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    return socks, stop


def measure(worker_class: str, workers: int, threads: int, clients: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="atlas-workers-") as tmp, \
            Stack(Path(tmp), workers=workers, worker_class=worker_class, threads=threads) as st:
        st.wait_workers(st.settings["workers"])
        target = Target("127.0.0.1", st.nginx_port)
        results: list = []
        errors: list = []
        stop_at = time.perf_counter() + seconds
        pool = [threading.Thread(target=client, args=("127.0.0.1", st.nginx_port, target, stop_at, 7 + i, results,
                                                      errors)) for i in range(clients)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        lat = percentiles([e for _, e in results])
        socks, stop = trickling(st.nginx_port, 50)
        time.sleep(1)
        slow_nginx = max(timed_get(st.nginx_port, p) for p in ("/", "/_dash-layout", "/compare?org=iso&org=psl"))
        stop.set()
        for s in socks:
            s.close()
        socks, stop = trickling(st.gunicorn_port, workers * threads + 4)
        time.sleep(1)
        direct = [timed_get(st.gunicorn_port, "/") for _ in range(10)]
        stop.set()
        for s in socks:
            s.close()
        return {"setting": f"{worker_class} {workers}x{threads}", "rps": len(results) / seconds,
                "errors": len(errors), **lat, "slow50_nginx_ms": slow_nginx * 1000,
                "direct_bad": sum(1 for d in direct if d > 1.0)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--clients", type=int, default=20)
    args = p.parse_args(argv)
    if not 0 < args.seconds <= 300 or not 1 <= args.clients <= 200:
        p.error("--seconds 0..300, --clients 1..200")
    settings = list(SETTINGS)
    for name in ("gevent", "eventlet", "tornado"):
        if importlib.util.find_spec(name) is not None:
            settings.append((name, 3, 1))
    random.seed(7)
    rows = [measure(w, n, t, args.clients, args.seconds) for w, n, t in settings]
    print(f"{'setting':<14}{'req/s':>7}{'err':>5}{'p50':>8}{'p95':>8}{'p99':>8}"
          f"{'50 slow, via nginx':>20}{'direct: >1s/failed of 10':>26}")
    for r in rows:
        print(f"{r['setting']:<14}{r['rps']:>7.1f}{r['errors']:>5}{r['p50']:>6.0f}ms{r['p95']:>6.0f}ms"
              f"{r['p99']:>6.0f}ms{r['slow50_nginx_ms']:>18.0f}ms{r['direct_bad']:>26}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
