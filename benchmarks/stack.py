"""The production deployment on loopback, for tests and measurements: gunicorn with
deploy/gunicorn.conf.py, and nginx with deploy/nginx/tendency-atlas.conf in front of it.

The site configuration is used as shipped; only the listen address, the upstream's port and
the error page's folder are substituted (each must occur exactly once, so a change to the
file's shape breaks the tests rather than being silently ignored). nginx runs in the
foreground with every path (pid, logs, temporary files) in a private folder.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "tendency-atlas.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _once(pattern: str, repl: str, text: str) -> str:
    new, n = re.subn(pattern, repl, text, flags=re.MULTILINE)
    if n != 1:
        raise AssertionError(f"{SITE.name}: expected {pattern!r} exactly once, found {n}")
    return new


def site_config(listen_port: int, upstream_port: int) -> str:
    text = SITE.read_text(encoding="utf-8")
    text = _once(r"^    listen 80;$", f"    listen 127.0.0.1:{listen_port};", text)
    text = _once(r"^    listen \[::\]:80;\n", "", text)
    text = _once(r"server 127\.0\.0\.1:8050;", f"server 127.0.0.1:{upstream_port};", text)
    text = _once(r"root /srv/tendency-atlas/deploy/nginx;", f"root {DEPLOY / 'nginx'};", text)
    return text


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} within {timeout:g} s")


class Stack:
    """`with Stack(folder) as s:` starts gunicorn then nginx; `s.url` is nginx's address."""

    def __init__(self, folder: Path, app: str = "dashboard.wsgi:server", workers: int | None = None,
                 worker_class: str | None = None, threads: int | None = None, env: dict | None = None,
                 nginx: bool = True):
        """workers, worker_class, threads: None keeps deploy/gunicorn.conf.py's own setting."""
        self.folder = Path(folder)
        self.app, self.workers, self.worker_class, self.threads = app, workers, worker_class, threads
        self.extra_env = env or {}
        self.use_nginx = nginx
        self.gunicorn_port = free_port()
        self.nginx_port = free_port()
        self.gunicorn: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}"

    @property
    def direct_url(self) -> str:
        return f"http://127.0.0.1:{self.gunicorn_port}"

    def start(self) -> "Stack":
        self.folder.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, ATLAS_BIND=f"127.0.0.1:{self.gunicorn_port}",
                   ATLAS_ACCESS_LOG=str(self.folder / "gunicorn-access.log"), **self.extra_env)
        for key in ("WORKERS", "ATLAS_WORKER_CLASS", "ATLAS_THREADS"):
            env.pop(key, None)
        for key, value in (("WORKERS", self.workers), ("ATLAS_WORKER_CLASS", self.worker_class),
                           ("ATLAS_THREADS", self.threads)):
            if value is not None:
                env[key] = str(value)
        settings: dict = {"os": os}
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(env)
        try:
            exec(compile((DEPLOY / "gunicorn.conf.py").read_text(encoding="utf-8"), "gunicorn.conf.py", "exec"), settings)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        self.settings = {k: settings[k] for k in ("workers", "worker_class", "threads", "timeout", "graceful_timeout")}
        self.gunicorn_log = open(self.folder / "gunicorn.log", "wb")
        self.gunicorn = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", str(DEPLOY / "gunicorn.conf.py"), self.app],
            cwd=ROOT, env=env, stdout=self.gunicorn_log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(self.gunicorn_port, self.gunicorn, 90, "gunicorn")
            if self.use_nginx:
                self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_nginx(self) -> None:
        f = self.folder
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (f / sub).mkdir(exist_ok=True)
        (f / "site.conf").write_text(site_config(self.nginx_port, self.gunicorn_port), encoding="utf-8")
        (f / "nginx.conf").write_text(f"""
daemon off;
master_process on;
worker_processes 1;
{"user root;" if os.geteuid() == 0 else ""}
pid {f}/nginx.pid;
error_log {f}/nginx-error.log info;
events {{ worker_connections 1024; }}
http {{
    types {{ text/html html; text/plain txt; }}
    default_type application/octet-stream;
    access_log {f}/nginx-access.log;
    client_body_temp_path {f}/body;
    proxy_temp_path {f}/proxy;
    fastcgi_temp_path {f}/fastcgi;
    uwsgi_temp_path {f}/uwsgi;
    scgi_temp_path {f}/scgi;
    include {f}/site.conf;
}}
""", encoding="utf-8")
        self.nginx_log = open(f / "nginx.log", "wb")
        self.nginx = subprocess.Popen([NGINX, "-p", str(f), "-c", str(f / "nginx.conf")],
                                      stdout=self.nginx_log, stderr=subprocess.STDOUT)
        wait_for_port(self.nginx_port, self.nginx, 20, "nginx")

    def worker_pids(self) -> list[int]:
        assert self.gunicorn is not None
        pid = self.gunicorn.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def wait_workers(self, n: int, timeout: float = 30) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pids = self.worker_pids()
            if len(pids) >= n:
                return pids
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn has {len(self.worker_pids())} workers, not {n}")

    def stop(self) -> None:
        for proc, sig in ((self.nginx, signal.SIGQUIT), (self.gunicorn, signal.SIGTERM)):
            if proc is not None and proc.poll() is None:
                proc.send_signal(sig)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for name in ("gunicorn_log", "nginx_log"):
            log = getattr(self, name, None)
            if log is not None:
                log.close()

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.stop()
