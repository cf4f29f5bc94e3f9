"""Load benchmark: locust, headless, against gunicorn (4 workers) on PostgreSQL for 60 seconds.

    python bench/load.py [--seconds 60] [--users 40]

Creates (and afterwards drops) a PostgreSQL database ``ecm_load`` on 127.0.0.1:5432, migrates it,
seeds applicants with applications and reviewers, serves the portal with gunicorn on a free
loopback port, runs mixed applicant and reviewer traffic, and prints requests per second,
p50/p95/p99 latency and the error count per endpoint. Traffic goes to 127.0.0.1 only. Exits 0.
"""

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATABASE = "ecm_load"
PASSWORD = "load-test-passphrase-2026"  # noqa: S105  (a throw-away benchmark database)
APPLICANTS = 30
REVIEWERS = 5

SEED = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from portal.models import User
for n in range({APPLICANTS}):
    user = User.objects.create_user(f"load-official-{{n}}@load.example", "{PASSWORD}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    organization = organization_create(user=user, legal_name=f"Load Org {{n}}", title="Director")
    user = User.objects.get(pk=user.pk)
    application = application_start(organization=organization, user=user)
    print(f"LOAD_APPLICATION_{{n}}={{application.pk}}")
for n in range({REVIEWERS}):
    user = User.objects.create_user(f"load-reviewer-{{n}}@plan.example", "{PASSWORD}")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    user.groups.add(Group.objects.get(name="reviewer"))
"""


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-X", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", sql],
        check=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310  (our own loopback server)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the portal did not start at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=40)
    args = parser.parse_args()

    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "SECRET_KEY": "load-benchmark-only",
        # The public benchmark key (bench/__init__.py): a throw-away database.
        "FIELD_ENCRYPTION_KEY": "YmVuY2htYXJrLW9ubHktcHVibGljLWtleS0wMDAwMDA=",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, as behind a load balancer
        "LOG_LEVEL": "WARNING",
    }
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    seeded = subprocess.run(
        [*manage, "shell", "-c", SEED],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    for line in seeded.stdout.splitlines():
        if line.startswith("LOAD_APPLICATION_"):
            key, value = line.split("=", 1)
            env[key] = value
    env.update(
        LOAD_PASSWORD=PASSWORD, LOAD_APPLICANTS=str(APPLICANTS), LOAD_REVIEWERS=str(REVIEWERS)
    )

    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "portal.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(f"{host}/accounts/login/")
        with tempfile.TemporaryDirectory() as folder:
            prefix = f"{folder}/load"
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    "10",
                    "--run-time",
                    f"{args.seconds}s",
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                check=False,
                capture_output=True,
            )
            report(f"{prefix}_stats.csv", args)
    finally:
        server.terminate()
        server.wait(timeout=30)
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")


def report(stats_csv: str, args: argparse.Namespace) -> None:
    with open(stats_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    print(f"\nLoad: {args.users} users, {args.seconds} s, gunicorn 4 workers, PostgreSQL\n")
    columns = ("requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms")
    header = f"{'endpoint':<28}{columns[0]:>9}" + "".join(f"{c:>8}" for c in columns[1:])
    print(header)
    print("-" * len(header))
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"{name:<28}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}"
        )


if __name__ == "__main__":
    main()
