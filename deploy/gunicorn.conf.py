"""Gunicorn in production: ``gunicorn -c deploy/gunicorn.conf.py portal.wsgi`` (or ``deploy/web``).

Meant for a web node behind a load balancer or reverse proxy (nginx, HAProxy, a cloud balancer)
that terminates TLS. Every value that differs between deployments comes from the environment:

- ``GUNICORN_BIND`` (default ``127.0.0.1:8000``; ``0.0.0.0:8000`` in a container), comma-separated
  for several addresses;
- ``WEB_CONCURRENCY``: worker processes (default 2 x the cores this process may use + 1);
- ``GUNICORN_THREADS``: threads per worker (default 4);
- ``GUNICORN_TIMEOUT``, ``GUNICORN_GRACEFUL_TIMEOUT``, ``GUNICORN_KEEPALIVE`` (seconds);
- ``GUNICORN_MAX_REQUESTS``, ``GUNICORN_MAX_REQUESTS_JITTER``;
- ``GUNICORN_CONTROL_SOCKET``: a path turns gunicorn's control socket on (off by default);
- ``FORWARDED_ALLOW_IPS``: the addresses of the proxies whose ``X-Forwarded-*`` headers are
  trusted (default 127.0.0.1 and ::1, a proxy on the same host);
- ``GUNICORN_LOG_LEVEL`` (default ``info``);
- ``MALLOC_ARENA_MAX`` (default 2) and ``MALLOC_MMAP_THRESHOLD_`` (default 1 MB), glibc's own
  variables, or ``GUNICORN_MALLOC_TUNING=off`` to leave glibc's defaults (see below).

Worker class: ``gthread``, not ``sync``. A sync worker serves one request from start to finish and
is killed once it has not reported back for ``timeout`` seconds, so a welcome-packet ZIP (streamed
through the web node, a few hundred MB) sent to a slow client, or a slow 25 MB upload behind a
balancer that does not buffer bodies (HAProxy, cloud balancers), would either hold a whole process
or be cut off. A gthread worker's main loop keeps reporting while its threads stream, keeps idle
keep-alive connections in its poller rather than in a thread, and serves other requests meanwhile.
Django is thread-safe; each thread holds its own database connection (``CONN_MAX_AGE``), so
workers x threads x web nodes must stay under PostgreSQL's ``max_connections`` (or go through
PgBouncer).

Memory: glibc gives each new thread that allocates (gunicorn's, and boto3's transfer threads) an
arena of its own, up to 8 per core, and after the first large block (an 8 MB multipart part) is
freed it raises its mmap threshold, so later parts come from those arenas and stay resident after
the transfer. A worker then keeps tens of MB after every large upload or download
(bench/documents.py: +43 MB after one 200 MB welcome-packet ZIP, +23 MB more after the next). With
at most 2 arenas and a fixed 1 MB mmap threshold, large blocks go back to the system when freed.
glibc reads ``MALLOC_ARENA_MAX`` and ``MALLOC_MMAP_THRESHOLD_`` only when a process starts, and
gunicorn reads this file in a master that is already running (so ``raw_env`` or an
``on_starting`` hook that sets them would change nothing): this file applies them with
``mallopt()``, before any thread or worker exists, and the workers inherit them when they are
forked. ``deploy/web`` also exports them before gunicorn starts; either one is enough.
"""

import ctypes
import ctypes.util
import os
import re
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# -- Sockets and processes ------------------------------------------------------------------------

bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]
# Cores this process may run on (a container's cpuset, not the host's count where that differs).
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
workers = _env_int("WEB_CONCURRENCY", 2 * CORES + 1)
worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 4)

# With gthread, ``timeout`` is how long a worker's main loop may go silent (a deadlock, a C
# extension stuck) before the master kills it; requests that stream for longer are unaffected.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (a deploy, a scale-in) workers stop accepting and get this long to finish in-flight
# requests. Keep the orchestrator's own kill grace period (e.g. Kubernetes'
# terminationGracePeriodSeconds, default 30) above it.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Longer than the balancer's idle timeout towards its upstreams (nginx ``keepalive_timeout`` 60 s,
# AWS ALB 60 s), so gunicorn never closes a reused connection just as the balancer sends on it,
# which the client would see as a 502.
keepalive = _env_int("GUNICORN_KEEPALIVE", 75)
# Each worker is replaced after about this many requests (the jitter keeps them from all restarting
# at once), which bounds any slow growth of memory (fragmentation, caches).
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The heartbeat file each worker touches: on tmpfs, so a slow or full disk cannot stall workers.
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - a folder of the system's, not a predictable file name
if os.path.isdir(SHARED_MEMORY) and os.access(SHARED_MEMORY, os.W_OK):
    worker_tmp_dir = SHARED_MEMORY

# Only the proxies listed here may set X-Forwarded-Proto (the portal trusts it when
# SECURE_PROXY_SSL_HEADER is on) and the other forwarded headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Gunicorn's control socket (``gunicornc``: worker status, scaling, reload) is off unless
# ``GUNICORN_CONTROL_SOCKET`` names its path: by default every gunicorn of a user shares one path,
# so a second instance on the host (a load test, a one-off) would take it over, and deployments
# manage the process with signals or their orchestrator.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]

# -- Logs ---------------------------------------------------------------------------------------

# One line a request on stdout, errors on stderr. No client address, user, referer, user agent or
# query string (they can carry personal identifiers and one-time tokens); the path, with the
# secret or identifying parts of a few URLs replaced (see _PRIVATE_PATHS).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# Paths whose tail is a one-time token (email confirmation, password reset, invitations, handover
# of an organization) or a personal identifier (a practitioner's NPI).
_PRIVATE_PATHS = re.compile(
    r"(?P<prefix>/(?:accounts/confirm-email|accounts/password/reset/key|invitations|handover"
    r"|api/v1/applications/by-npi)/)(?!done/)[^/]+"
)


def redact_path(path: str) -> str:
    """``path`` with its token or identifier replaced by ``…``."""
    return _PRIVATE_PATHS.sub(r"\g<prefix>…", path)


class PortalLogger(Logger):
    """Gunicorn's logger, with private path segments redacted in the access log."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms.get("U", ""))
        return atoms


logger_class = PortalLogger

# -- Memory ---------------------------------------------------------------------------------------

# glibc's malloc settings for the master and (inherited when forked) the workers; the names and
# meanings are glibc's own environment variables. GUNICORN_MALLOC_TUNING=off leaves glibc's
# defaults (or another allocator, e.g. jemalloc through LD_PRELOAD, alone).
MALLOC_ARENA_MAX = _env_int("MALLOC_ARENA_MAX", 2)
# Blocks of at least this size are mapped on their own and given back to the system when freed.
# glibc starts at 128 KB but raises the threshold to the size of any such block freed (up to
# 32 MB), after which a transfer's 8 MB parts come from the arenas and stay resident.
MALLOC_MMAP_THRESHOLD = _env_int("MALLOC_MMAP_THRESHOLD_", 1024 * 1024)
M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
M_ARENA_MAX = -8


def malloc_tune() -> bool:
    """Applies the limits above to this process with mallopt(); False where it cannot (not glibc,
    or GUNICORN_MALLOC_TUNING=off)."""
    if os.environ.get("GUNICORN_MALLOC_TUNING", "on").lower() in ("off", "0", "false", "no"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    tuned = bool(mallopt(M_ARENA_MAX, MALLOC_ARENA_MAX))
    tuned = bool(mallopt(M_MMAP_THRESHOLD, MALLOC_MMAP_THRESHOLD)) and tuned
    if tuned:
        # The same for any program a worker starts (glibc reads these when a process starts).
        os.environ["MALLOC_ARENA_MAX"] = str(MALLOC_ARENA_MAX)
        os.environ["MALLOC_MMAP_THRESHOLD_"] = str(MALLOC_MMAP_THRESHOLD)
    return tuned


MALLOC_TUNED = malloc_tune()
