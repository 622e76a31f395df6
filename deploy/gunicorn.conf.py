"""gunicorn settings for one web machine of the portal (see docs/deploy.md).

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py jhl_portal.wsgi

Each value can be changed with an environment variable, or with gunicorn's own
command-line options, which win over this file.

Sync workers: every request is short (no SMTP inside a request, attachments capped at
10 MB), and the reverse proxy in front (nginx) buffers slow clients' uploads and
downloads, so a worker is only busy while Django works.
"""

import multiprocessing
import os
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        return int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be an integer, not {raw!r}.") from None


# The proxy or load balancer reaches the workers here; 0.0.0.0:8000 on a machine
# of its own behind a private network.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
# (2 × cores) + 1: while one worker waits on PostgreSQL another has the CPU.
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
# Load Django once and fork: the workers share its memory until they write to it.
preload_app = True
# A request that takes longer has hung: the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
# Recycle each worker after a while, so no slow leak can grow one without bound; the
# jitter keeps them from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# The heartbeat file on a RAM disk: a slow disk must not make the arbiter kill workers.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"
# Logs go to the service manager (systemd's journal, the container's output).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# gunicorn's control socket (gunicornc) defaults to one path per user, which several
# servers on a machine (or the tests' two) would fight over; the service manager's
# signals (HUP to reload, TERM to stop) are all we use. GUNICORN_CONTROL_SOCKET turns
# it on at a path of your choice.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
