"""gunicorn settings for Tendency Atlas behind nginx (deploy/nginx/tendency-atlas.conf).

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server

Tested by tests/integration/test_deploy.py (nginx in front, on loopback); the worker class
and counts were chosen by measurement (benchmarks/workers.py; figures in README, Production).
Override with environment variables: ATLAS_BIND, WORKERS, ATLAS_WORKER_CLASS, ATLAS_THREADS.
"""
import os

bind = os.environ.get("ATLAS_BIND", "127.0.0.1:8050")  # loopback: only nginx talks to gunicorn

# Always: the data is loaded and validated once, in the master, before any worker exists.
# Workers are forks of it and share the store; a worker that dies is replaced by a fork in
# milliseconds, never by a fresh load (which could fail on data being edited and halt the server).
preload_app = True

# Measured (benchmarks/workers.py, figures in the README): behind nginx, which buffers whole
# requests and responses, slow clients never reach gunicorn whatever the class; threaded workers
# served about twice the requests per second of sync ones (20 clients: 48-49 against 20-21 req/s,
# p50 250-330 ms against 940-980 ms), since a request spends part of its time outside the GIL
# (sockets, gzip). One process per core, 8 threads each. A killed worker costs the requests it
# held (at most `threads`); nginx shows its visitors the friendly page.
worker_class = os.environ.get("ATLAS_WORKER_CLASS", "gthread")
workers = int(os.environ.get("WORKERS", str(os.cpu_count() or 1)))
threads = int(os.environ.get("ATLAS_THREADS", "8"))

timeout = 30            # a worker silent this long is killed and replaced (nginx gives up at 30 s too)
graceful_timeout = 20   # SIGTERM / HUP: in-flight requests get this long to finish
keepalive = 2           # seconds a connection from nginx may idle between requests
max_requests = 0        # no recycling: forks share the store; recycling would only churn memory
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

forwarded_allow_ips = "127.0.0.1"  # X-Forwarded-* trusted from nginx on this machine only
control_socket_disable = True       # no control socket under the home folder
accesslog = os.environ.get("ATLAS_ACCESS_LOG", "-")
errorlog = "-"
loglevel = "info"
proc_name = "tendency-atlas"
