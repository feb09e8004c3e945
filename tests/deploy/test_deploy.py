"""The production deployment, tested as shipped: nginx (deploy/nginx/tendency-atlas.conf) in
front of gunicorn (deploy/gunicorn.conf.py) on loopback, serving the bundled data.

- 50 slow clients (headers or bodies trickled a byte at a time) do not delay a normal request
  beyond one second; without nginx, the same clients stall the workers (the control);
- a worker killed while it holds a request costs that request only, and its visitor gets the
  friendly page, not a bare 502; a new worker serves within a second;
- SIGTERM lets every in-flight request finish before gunicorn exits;
- dashboard.wsgi refuses to start without --preload, and on invalid data, at start-up.

Each prints its figures: run with -s to see them."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from benchmarks.stack import NGINX, ROOT, Stack, free_port, wait_for_port

FRIENDLY = "Tendency Atlas is back in a moment"


def get(port: int, path: str, method: str = "GET", body: bytes | None = None, timeout: float = 15):
    """(status, body text, content type, seconds)."""
    t0 = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", "replace")
        return resp.status, data, resp.getheader("Content-Type", ""), time.monotonic() - t0
    finally:
        conn.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("nginx is needed (Debian's nginx; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("deploy")
    pids = folder / "pids"
    pids.mkdir()
    s = Stack(folder, app="tests.deploy.slow_app:server", env={"ATLAS_TEST_PIDS": str(pids)})  # shipped settings
    s.start()
    s.pids = pids
    s.n = s.settings["workers"]
    s.wait_workers(s.n)
    try:
        yield s
    finally:
        s.stop()


def connections_to(port: int) -> int:
    """Established TCP connections to 127.0.0.1:port, counted on the server side (/proc/net/tcp)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state = fields[1], fields[3]
        if state == "01" and int(local.split(":")[1], 16) == port:
            count += 1
    return count


def slow_clients(port: int, n: int, stop: threading.Event) -> list[socket.socket]:
    """n connections that trickle: half send their headers a byte at a time, half announce a
    100 KB body and send it a byte at a time."""
    socks = []
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        if i % 2:
            s.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: atlas\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 100000\r\n\r\n{")
        else:
            s.sendall(b"GET / HTTP/1.1\r\nHost: atlas\r\n")
        socks.append(s)

    def trickle() -> None:
        while not stop.wait(0.3):
            for s in socks:
                try:
                    s.send(b"X" if s.fileno() >= 0 else b"")
                except OSError:
                    pass

    threading.Thread(target=trickle, daemon=True).start()
    return socks


def test_fifty_slow_clients_do_not_delay_a_normal_request(stack):
    port = stack.nginx_port
    assert get(port, "/")[0] == 200  # warm
    stop = threading.Event()
    socks = slow_clients(port, 50, stop)
    try:
        time.sleep(1.0)
        timings, tries = [], []
        for path in ("/", "/_dash-layout", "/compare?org=iso&org=psl", "/download/evidence.csv", "/_dash-layout"):
            # best of two: a stall behind slow clients is systematic, a busy 2-core machine's noise is not
            both = []
            for _ in range(2):
                status, _body, _type, secs = get(port, path)
                assert status == 200, path
                both.append(secs)
            tries.append(both)
            timings.append(min(both))
        assert max(timings) < 1.0, tries
        # and none of them reached gunicorn: nginx holds each until its request is whole
        upstream = connections_to(stack.gunicorn_port)
        assert upstream <= 1, upstream
        # for the record: the same clients straight at gunicorn (what nginx spares it)
        direct = []
        stop_direct = threading.Event()
        socks_direct = slow_clients(stack.gunicorn_port, 50, stop_direct)
        try:
            time.sleep(0.5)
            assert connections_to(stack.gunicorn_port) >= 50  # the count above does see connections
            try:
                direct.append(get(stack.gunicorn_port, "/", timeout=3)[3])
            except (TimeoutError, OSError):
                direct.append(float("inf"))
        finally:
            stop_direct.set()
            for s in socks_direct:
                s.close()
    finally:
        stop.set()
        for s in socks:
            s.close()
    print(f"\n50 slow clients through nginx: 5 normal requests, slowest {max(timings) * 1000:.0f} ms "
          f"(all tries: {'; '.join('/'.join(f'{t * 1000:.0f}' for t in b) for b in tries)} ms); connections from "
          f"nginx to gunicorn meanwhile: {upstream}; straight to gunicorn a request took "
          f"{'over 3 s' if direct[0] == float('inf') else f'{direct[0] * 1000:.0f} ms'}")


def _in_flight(stack, tags: list[str], seconds: float, method: str = "GET") -> dict:
    results: dict[str, tuple] = {}

    def one(tag: str) -> None:
        try:
            body = b'{"x": 1}' if method == "POST" else None
            results[tag] = get(stack.nginx_port, f"/__test/slow?s={seconds}&tag={tag}", method, body, timeout=30)
        except Exception as exc:  # noqa: BLE001 - recorded and asserted on
            results[tag] = (None, repr(exc), "", 0)

    threads = [threading.Thread(target=one, args=(t,)) for t in tags]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while not all((stack.pids / t).exists() for t in tags):
        assert time.monotonic() < deadline, "the slow requests never reached a worker"
        time.sleep(0.02)
    return {"threads": threads, "results": results}


def test_a_killed_worker_costs_only_its_requests_and_shows_the_friendly_page(stack):
    n = stack.n
    before = stack.wait_workers(n)
    tags = [f"k-{i}" for i in range(6)]
    held = _in_flight(stack, tags, 2.0)
    holder = {t: int((stack.pids / t).read_text()) for t in tags}
    victim = holder["k-0"]
    assert victim in before
    lost = [t for t in tags if holder[t] == victim]
    t_kill = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    # a replacement worker, forked from the preloaded master, within a second
    while len(stack.worker_pids()) < n or victim in stack.worker_pids():
        assert time.monotonic() - t_kill < 5
        time.sleep(0.01)
    replaced = time.monotonic() - t_kill
    during = [get(stack.nginx_port, "/_dash-layout")[0] for _ in range(5)]  # served meanwhile
    for t in held["threads"]:
        t.join(30)
    results = held["results"]
    for tag in tags:
        status, body, ctype, _ = results[tag]
        if tag in lost:  # the killed worker's own requests: the friendly page, not a bare 502
            assert status == 502 and FRIENDLY in body and ctype.startswith("text/html"), (status, body[:200])
            assert "nginx" not in body.lower()
        else:
            assert status == 200 and f"slow done {tag}" in body, results[tag]
    assert during == [200] * 5
    after = [get(stack.nginx_port, "/")[0] for _ in range(10)]
    assert after == [200] * 10
    # a POST held by a killed worker is not replayed: it gets the friendly page too
    held = _in_flight(stack, ["p-post"], 2.0, method="POST")
    os.kill(int((stack.pids / "p-post").read_text()), signal.SIGKILL)
    for t in held["threads"]:
        t.join(30)
    status, body, _ctype, _ = held["results"]["p-post"]
    assert status == 502 and FRIENDLY in body
    access = (stack.folder / "gunicorn-access.log").read_text()
    assert access.count("tag=p-post") == 0  # gunicorn logs on completion: it never completed anywhere
    assert replaced < 1.0, replaced
    print(f"\nkilled worker ({n} workers x {stack.settings['threads']} threads): {len(tags)} requests in flight, "
          f"the {len(lost)} the killed worker held lost (friendly 502), {len(tags) - len(lost)} completed; "
          f"5 requests during and 10 after all 200; replacement worker in {replaced * 1000:.0f} ms; "
          f"a killed POST not replayed")


def test_sigterm_drains_in_flight_requests(stack):
    stack.wait_workers(stack.n)
    held = _in_flight(stack, ["d-1", "d-2", "d-3"], 1.5)
    t0 = time.monotonic()
    stack.gunicorn.send_signal(signal.SIGTERM)
    for t in held["threads"]:
        t.join(30)
    stack.gunicorn.wait(timeout=30)
    stopped = time.monotonic() - t0
    results = held["results"]
    assert all(results[t][0] == 200 and f"slow done {t}" in results[t][1] for t in ("d-1", "d-2", "d-3")), results
    status, body, _ctype, _ = get(stack.nginx_port, "/")
    assert status == 502 and FRIENDLY in body  # gunicorn gone: the friendly page, not a bare 502
    assert stopped < stack.settings["graceful_timeout"] + 10  # drained, not cut off at the grace period
    print(f"\nSIGTERM with 3 requests in flight: 3/3 completed with 200, gunicorn exited after "
          f"{stopped:.2f} s; afterwards the friendly page")


def test_the_wsgi_entry_refuses_to_start_without_preload_or_on_invalid_data(tmp_path, mini_copy):
    port = free_port()
    r = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "--no-control-socket", "-w", "1", "-b",
                        f"127.0.0.1:{port}", "dashboard.wsgi:server"], cwd=ROOT, capture_output=True, text=True,
                       timeout=90)
    assert r.returncode != 0 and "refuses to start without --preload" in r.stderr, r.stderr[-2000:]
    (mini_copy / "data" / "organizations" / "alpha.yaml").write_text("id: alpha\nname: [\n")
    config = tmp_path / "config.yaml"
    config.write_text(f"data_dir: {mini_copy / 'data'}\nseeds_dir: {mini_copy / 'seeds'}\n")
    env = dict(os.environ, TENDENCY_ATLAS_CONFIG=str(config), ATLAS_BIND=f"127.0.0.1:{port}")
    r = subprocess.run([str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
                        "dashboard.wsgi:server"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    assert r.returncode == 1 and "the data is not valid" in r.stderr and "alpha.yaml" in r.stderr, r.stderr[-2000:]
    assert "Traceback" not in r.stderr
