"""The portal in its production shape on this machine, for ``bench/load.py`` and
``bench/failover.py``: everything the README's "Scale-out" section lists, on loopback.

    with Cluster(applications=2000) as cluster:
        cluster.locust(users=50, seconds=120, prefix=...)

Entering starts, in order (leaving stops and removes all of it, even after a failure or on
SIGTERM: the children by process group, then the database, the two Redis databases' keys and the
temporary folder):

- a throw-away PostgreSQL database ``ecm_load_<pid>`` on 127.0.0.1:5432, migrated and seeded
  with ``seed_scale`` (applications in every state, with their viewflow processes and tasks)
  plus the load's accounts: officials of draft applications with a password, every seeded
  reviewer and network manager with a password and a TOTP authenticator;
- two Redis databases of the Redis on 127.0.0.1:6379 that hold no key (9 and 10 when free): the
  cache (``CACHE_URL``, so sessions and rate limits are shared by the nodes) and the Celery
  broker (``CELERY_BROKER_URL``); only those two are flushed afterwards;
- ``moto_server`` on a free port as the S3 store (``USE_S3=true``), its bucket prepared with
  ``manage.py document_bucket_prepare``, holding an object for each seeded document row;
- an SMTP sink (aiosmtpd) on a free port, for the mail the Celery worker sends;
- one Celery worker (``celery -A portal worker``, concurrency 1);
- two web nodes, each ``gunicorn -c deploy/gunicorn.conf.py portal.wsgi`` in a process group of
  its own on a free port (``GUNICORN_BIND`` and ``WEB_CONCURRENCY`` set, nothing else);
- HAProxy (Debian's ``haproxy``, run as a child, not the system service) on a free port in front
  of both: health checks every 2 s (0.5 s once one failed), a node out after 3 failed checks and
  back after 2 good ones, at most workers x threads requests at once per node (more wait in
  HAProxy's queue), round robin; a node whose connection fails is out at once (``observe
  layer4``); ``retries 3`` with ``option redispatch 1`` and ``retry-on conn-failure``, so only a
  request that never reached a node is sent to the other one (never one a node may have acted
  on: a request in flight on a node that dies fails).

The nodes run with ``TRUSTED_PROXY_COUNT=1``, as production behind one load balancer does, so
that sign-in limits and the audit trail see each person's address (the last one HAProxy puts in
``X-Forwarded-For``) rather than the balancer's.

Run as ``python bench/cluster.py seed …`` it is the child that migrates, prepares the bucket
and seeds (Django set up in it).
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import BENCH_FIELD_ENCRYPTION_KEY  # noqa: E402
from tests.s3_servers import REGION, S3Server, free_port, moto_server  # noqa: E402

BIN = Path(sys.executable).parent
PASSWORD = "load-test-passphrase-2026"  # noqa: S105  (the throw-away database's accounts)
BUCKET = "ecm-load-documents"
# A public page the health checks ask for: the portal has no health URL of its own (there is no
# /healthz in portal/urls.py), and the sign-in page needs neither a session nor the database.
HEALTH_PATH = "/healthz"  # portal/health.py: the database and the cache answer
APPLICANT_ACCOUNTS = 150  # officials of draft applications given a password
REDIS_DB_PREFERRED = (9, 10, 11, 12, 13, 14, 15)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql],
        check=True,
    )


def answers(url: str, timeout: float = 2) -> bool:
    """Whether ``url`` answers 200 (a direct request, no proxy)."""
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return bool(response.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


def wait_until(check: Any, what: str, seconds: float = 60, every: float = 0.1) -> float:
    """Polls ``check()`` until true; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(every)
    raise RuntimeError(f"{what} within {seconds} s")


def stop_groups(processes: list[subprocess.Popen[bytes]], grace: float = 15) -> None:
    """SIGTERM to the process group of each child still running (started with
    ``start_new_session``: a group per child, of that child and its own children, whose id is the
    child's pid), SIGKILL to what is left of those groups after ``grace`` seconds. A child that
    already ended is left alone: its pid may since belong to someone else."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in running:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
    for process in running:
        # Also a worker its master left behind: it is still in the master's group, so the
        # group's id (the master's pid) cannot have been given to anyone else yet.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_redis_dbs(count: int) -> list[int]:
    import redis

    chosen = []
    for number in REDIS_DB_PREFERRED:
        if redis.Redis(host="127.0.0.1", port=6379, db=number).dbsize() == 0:
            chosen.append(number)
        if len(chosen) == count:
            return chosen
    raise RuntimeError("no empty Redis database among 9-15 on 127.0.0.1:6379")


def flush_redis_db(number: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=number).flushdb()


@dataclass
class Node:
    name: str
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Cluster:
    applications: int = 2000
    reviewers: int = 40
    workers_per_node: int = 2
    report: Any = print
    env: dict[str, str] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)
    folder: Path = Path()
    users_file: Path = Path()
    database: str = ""
    seeded: dict[str, Any] = field(default_factory=dict)
    s3: S3Server | None = None
    children: dict[str, Any] = field(default_factory=dict)  # by name, web nodes apart
    keep_logs: Path | None = None  # where the logs are copied before the folder goes

    # -- Starting and stopping ----------------------------------------------------------------

    def __enter__(self) -> "Cluster":
        if shutil.which("haproxy") is None:
            raise SystemExit("HAProxy is not installed here: apt-get install -y haproxy")
        # A SIGTERM (or Ctrl-C) still stops everything and drops the database.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        self._stack = contextlib.ExitStack()
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.report("Stopping the cluster and dropping its database.")
        self._stack.close()

    def _start(self) -> None:
        stack = self._stack
        self.folder = Path(tempfile.mkdtemp(prefix="ecm-load-"))
        stack.callback(_remove_tree, self.folder)
        if self.keep_logs is not None:
            stack.callback(_copy_logs, self.folder, self.keep_logs)
        self.users_file = self.folder / "users.json"

        cache_db, broker_db = free_redis_dbs(2)
        for number in (cache_db, broker_db):
            stack.callback(flush_redis_db, number)

        self.database = f"ecm_load_{os.getpid()}"
        stack.callback(psql, f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        psql(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")
        psql(f"CREATE DATABASE {self.database}")

        self.s3 = stack.enter_context(moto_server())
        self.s3.client().create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        # Every child started from here on (its process group) is stopped on leaving, all at
        # once, before the database is dropped.
        self._spawned: list[subprocess.Popen[bytes]] = []
        stack.callback(lambda: stop_groups(self._spawned))
        smtp_port = free_port()
        self._spawn(
            [
                str(BIN / "aiosmtpd"), "-n", "-c", "aiosmtpd.handlers.Sink",
                "-l", f"127.0.0.1:{smtp_port}",
            ],
            "smtp",
        )  # fmt: skip

        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.database}",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEY": BENCH_FIELD_ENCRYPTION_KEY,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: TLS ends at the load balancer in production.
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "CACHE_URL": f"rediscache://127.0.0.1:6379/{cache_db}",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{broker_db}",
            "USE_S3": "true",
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": self.s3.endpoint_url,
            "AWS_ACCESS_KEY_ID": self.s3.access_key,
            "AWS_SECRET_ACCESS_KEY": self.s3.secret_key,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_S3_ADDRESSING_STYLE": "path",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            # No traffic leaves the machine: NPIs are looked up in the fixtures file.
            "NPI_REGISTRY": "offline",
            "SITE_URL": "http://127.0.0.1",
        }
        self.env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        # One load balancer in front, which appends the client's address to X-Forwarded-For.
        self.env["TRUSTED_PROXY_COUNT"] = "1"

        started = time.monotonic()
        subprocess.run(
            [
                sys.executable, __file__, "seed", str(self.users_file),
                "--applications", str(self.applications), "--reviewers", str(self.reviewers),
            ],
            cwd=ROOT,
            env=self.env,
            check=True,
        )  # fmt: skip
        self.seeded = json.loads(self.users_file.read_text())
        self.report(
            f"Database {self.database} migrated, seeded and rendered in "
            f"{time.monotonic() - started:.0f} s: "
            f"{self.seeded['applications']:,} applications, {self.seeded['waiting']} reviews "
            f"waiting in the queue, {len(self.seeded['applicants'])} applicant, "
            f"{len(self.seeded['reviewers'])} reviewer and {len(self.seeded['managers'])} "
            "manager accounts; the records awaiting review rendered as a worker does once started "
            f"({self.seeded['rendered']:,} renderings in {self.seeded['render_seconds']:.0f} s)."
        )

        self._spawn(
            [
                str(BIN / "celery"), "-A", "portal", "worker", "--concurrency", "1",
                "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
            ],
            "celery",
        )  # fmt: skip

        self.nodes = [
            Node(name, free_port(), self.folder / f"{name}.log") for name in ("node1", "node2")
        ]
        for node in self.nodes:
            self.start_node(node)

        self.lb_port = free_port()
        self.haproxy_socket = self.folder / "haproxy.sock"
        config = self.folder / "haproxy.cfg"
        config.write_text(self.haproxy_config())
        self._spawn(["haproxy", "-db", "-f", str(config)], "haproxy")
        for node in self.nodes:
            wait_until(lambda n=node: answers(n.url + HEALTH_PATH), f"{node.name} did not answer")
        wait_until(
            lambda: all(self.lb_status(n.name) == "UP" for n in self.nodes),
            "HAProxy did not see both nodes up",
        )
        self.report(
            f"Cluster up: HAProxy {self.url} -> {', '.join(n.url for n in self.nodes)} "
            f"(gunicorn -c deploy/gunicorn.conf.py, {self.workers_per_node} workers each); "
            f"Redis db {cache_db} cache, db {broker_db} broker; moto S3 {self.s3.endpoint_url}."
        )

    def _spawn(self, command: list[str], name: str, env: dict[str, str] | None = None) -> Any:
        """A child in a process group of its own (so that it and its children can be signalled
        together, and only they), its output in the cluster's folder."""
        log = (self.folder / f"{name}.log").open("ab")
        try:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env or self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        if not name.startswith("node"):
            self.children[name] = process
        if name != "locust":  # locust is waited for by the script that runs it
            self._spawned.append(process)
        return process

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.lb_port}"

    # -- Web nodes ----------------------------------------------------------------------------

    def start_node(self, node: Node) -> None:
        env = {
            **self.env,
            "GUNICORN_BIND": f"127.0.0.1:{node.port}",
            "WEB_CONCURRENCY": str(self.workers_per_node),
        }
        node.process = self._spawn(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "portal.wsgi"],
            node.name,
            env,
        )

    def kill_node(self, node: Node) -> None:
        """``kill -9`` of the node's whole process group: the gunicorn master and its workers."""
        assert node.process is not None  # noqa: S101
        os.killpg(node.process.pid, signal.SIGKILL)
        node.process.wait()

    def threads_per_worker(self) -> int:
        """``GUNICORN_THREADS``, or the default deploy/gunicorn.conf.py gives it."""
        if self.env.get("GUNICORN_THREADS"):
            return int(self.env["GUNICORN_THREADS"])
        config = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
        default = re.search(r'_env_int\("GUNICORN_THREADS", (\d+)\)', config)
        return int(default.group(1)) if default else 1

    # -- The load balancer --------------------------------------------------------------------

    def haproxy_config(self) -> str:
        # Each node takes at most workers x threads requests at once (gthread); more wait in
        # HAProxy's queue, from which either node takes them, rather than in a node's backlog,
        # where they would be lost with the node.
        per_node = self.workers_per_node * self.threads_per_worker()
        servers = "\n".join(
            f"    server {n.name} 127.0.0.1:{n.port} check inter 2s fastinter 500ms "
            f"fall 3 rise 2 maxconn {per_node} observe layer4 error-limit 1 on-error mark-down"
            for n in self.nodes
        )
        return f"""global
    maxconn 2000
    stats socket {self.haproxy_socket} mode 600 level admin

defaults
    mode http
    # Every request that ended abnormally (an error status, a retry, a redispatch, a timeout)
    # is logged, with HAProxy's termination state; the others are not.
    option httplog
    option dontlog-normal
    log stdout format raw local0 info
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    timeout queue 30s
    # A busy node answers its health check late, not never: a check fails after 5 s (a node
    # that is gone refuses the connection at once and is out after 3 checks 0.5 s apart).
    timeout check 5s
    timeout http-keep-alive 10s
    # A request is sent again, to the other node, only when no connection to a node could be
    # made: never once a node may have acted on it (no retry on a reset or a timeout).
    retries 3
    option redispatch 1
    retry-on conn-failure

frontend portal
    bind 127.0.0.1:{self.lb_port}
    option forwardfor
    default_backend nodes

backend nodes
    # Round robin, not leastconn: a node that has just died holds no connection, so leastconn
    # would send every retry of a refused connection straight back to it.
    balance roundrobin
    option httpchk
    http-check send meth GET uri {HEALTH_PATH} ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
{servers}
"""

    def lb_stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's counters by proxy/server name (``show stat``): ``smax`` the most requests a
        node held at once, ``qmax`` the most that waited in HAProxy for a free thread, ``qtime``
        and ``ttime`` the mean wait and total time (ms) of the last 1024 requests."""
        with socket.socket(socket.AF_UNIX) as sock:
            sock.connect(str(self.haproxy_socket))
            sock.sendall(b"show stat\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        lines = data.decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {f"{row['pxname']}/{row['svname']}": row for row in rows}

    def lb_status(self, server: str) -> str:
        """HAProxy's view of ``server``: UP, DOWN, MAINT… (from its stats socket)."""
        row = self.lb_stats().get(f"nodes/{server}")
        return row.get("status", "") if row else ""

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) used so far by each part, and by the whole machine."""
        import psutil  # type: ignore[import-untyped]

        def tree(pid: int) -> float:
            try:
                root = psutil.Process(pid)
                processes = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return 0.0
            total = 0.0
            for process in processes:  # with the workers a master has already reaped
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = process.cpu_times()
                    total += times.user + times.system + times.children_user
                    total += times.children_system
            return total

        def named(name: str) -> float:
            total = 0.0
            for process in psutil.process_iter(["name", "cpu_times"]):
                if process.info["name"] == name and process.info["cpu_times"]:
                    total += process.info["cpu_times"].user + process.info["cpu_times"].system
            return total

        machine = psutil.cpu_times()
        result = {
            "web nodes": sum(tree(n.process.pid) for n in self.nodes if n.process),
            "PostgreSQL (all databases)": named("postgres"),
            "Redis": named("redis-server"),
            "machine busy": machine.user
            + machine.nice
            + machine.system
            + machine.irq
            + machine.softirq
            + machine.steal,
            "machine total": sum(machine),
        }
        for name, process in self.children.items():
            if process.poll() is None:
                result[name] = tree(process.pid)
        # Children this script has waited for (locust once it ended, a killed node) count here.
        own = psutil.Process().cpu_times()
        result["locust (ended children)"] = own.children_user + own.children_system
        port = self.s3.endpoint_url.rsplit(":", 1)[1] if self.s3 else "-"
        for process in psutil.process_iter(["cmdline", "cpu_times"]):
            command = process.info["cmdline"] or []
            if any("moto_server" in part for part in command) and port in command:
                times = process.info["cpu_times"]
                result["moto (S3)"] = times.user + times.system
        return result

    # -- Load ---------------------------------------------------------------------------------

    def locust(
        self, *, users: int, seconds: int, prefix: Path, acks: Path, failures: Path
    ) -> subprocess.Popen[bytes]:
        """Starts locust, headless, against the load balancer only; returns its process."""
        env = {
            **self.env,
            "LOAD_USERS": str(self.users_file),
            "LOAD_ACKS": str(acks),
            "LOAD_FAILURES": str(failures),
        }
        return self._spawn(
            [
                str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                "--host", self.url, "--users", str(users), "--spawn-rate", "2",
                "--run-time", f"{seconds}s", "--stop-timeout", "10", "--csv", str(prefix),
                "--csv-full-history", "--only-summary", "--loglevel", "WARNING",
            ],
            "locust",
            env,
        )  # fmt: skip

    def django_child(self, *arguments: str) -> str:
        """Runs ``python <arguments>`` with the cluster's settings; its standard output."""
        return subprocess.run(
            [sys.executable, *arguments],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def _exit_on_signal(number: int, _frame: Any) -> None:
    raise SystemExit(f"stopped by signal {number}")


def _copy_logs(folder: Path, to: Path) -> None:
    import shutil

    to.mkdir(parents=True, exist_ok=True)
    for path in [*folder.glob("*.log"), *folder.glob("*.jsonl"), *folder.glob("*.csv")]:
        shutil.copy(path, to / path.name)
    shutil.copy(folder / "haproxy.cfg", to / "haproxy.cfg")


def _remove_tree(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def read_csv(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


# -- The seeding child (Django set up here): migrate, prepare the bucket, seed -------------------


def seed(users_file: Path, applications: int, reviewers: int) -> None:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.db import transaction

    from bench.seeding import seed_scale
    from bench.staff import enrol
    from documents.models import Document
    from onboarding.models import Application, ApplicationStep
    from portal.models import User
    from reviews.models import ReviewWork
    from reviews.record_sections import records_awaiting_review_warm

    call_command("migrate", verbosity=0)
    call_command("document_bucket_prepare", stdout=open(os.devnull, "w"))  # noqa: SIM115
    seed_scale(applications, reviewers=reviewers, report=lambda _line: None)
    password_hash = make_password(PASSWORD)
    drafts = list(
        Application.objects.filter(
            status=Application.Status.DRAFT,
            renews__isnull=True,
            steps__kind=ApplicationStep.Kind.ENTITY,
            steps__status=ApplicationStep.Status.DRAFT,
        )
        .select_related("created_by")
        .order_by("pk")[:APPLICANT_ACCOUNTS]
    )
    with transaction.atomic():
        officials = [application.created_by for application in drafts]
        User.objects.filter(pk__in=[user.pk for user in officials]).update(password=password_hash)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, verified=True, primary=True)
            for user in officials
        )
        staff = {
            role: [
                {"email": user.email, "secret": enrol(user, password_hash)}
                for user in User.objects.filter(email__endswith=domain).order_by("pk")
            ]
            for role, domain in (
                ("reviewers", "@reviewers.plan.example"),
                ("managers", "@managers.plan.example"),
            )
        }
    # The seeded document rows stand for files production holds: store one for each, as the
    # upload service does (private, encrypted at rest), so that the bucket matches the database.
    bucket = default_storage.bucket  # type: ignore[attr-defined]
    for name in Document.objects.values_list("file", flat=True):
        bucket.put_object(
            Key=name, Body=PDF, ContentType="application/pdf", ServerSideEncryption="AES256"
        )
    # What a Celery worker does once started after a deploy (reviews.tasks.render_after_a_deploy),
    # done before the load: the load measures the portal settled, not a deploy's first minutes.
    # (The cluster's worker does it again when it starts, and finds them all in the cache.)
    started = time.monotonic()
    rendered = records_awaiting_review_warm()
    users_file.write_text(
        json.dumps(
            {
                "rendered": rendered,
                "render_seconds": time.monotonic() - started,
                "password": PASSWORD,
                "applications": Application.objects.count(),
                "waiting": ReviewWork.objects.filter(is_open=True, owner__isnull=True).count(),
                "applicants": [{"email": a.created_by.email, "application": a.pk} for a in drafts],
                **staff,
            }
        )
    )
    users_file.chmod(0o600)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="The seeding child of bench/cluster.py.")
    parser.add_argument("command", choices=["seed"])
    parser.add_argument("users_file", type=Path)
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=40)
    options = parser.parse_args()
    seed(options.users_file, options.applications, options.reviewers)
