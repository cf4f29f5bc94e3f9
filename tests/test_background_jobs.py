"""A real Celery worker on Redis sends a notification through a real SMTP server.

The worker is a separate process that shares the test database, so this runs on PostgreSQL
(as .ci/run does) and needs Redis at 127.0.0.1:6379; it is skipped, saying why, elsewhere.
"""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from onboarding.services.organizations import invitation_create
from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
REDIS = ("127.0.0.1", 6379)
BROKER_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied by the test


def redis_is_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process needs a database it can share (run on PostgreSQL by .ci/run)",
    ),
    pytest.mark.skipif(not redis_is_up(), reason="no Redis at 127.0.0.1:6379"),
]


class FlakyMailbox:
    """An SMTP server that asks the sender to try again later the first time, then accepts."""

    def __init__(self) -> None:
        self.attempts = 0
        self.delivered: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.attempts += 1
        if self.attempts == 1:
            return "451 4.3.0 Mailbox busy, try again later"
        self.delivered.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[FlakyMailbox, int]]:
    handler = FlakyMailbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def worker(mailbox: tuple[FlakyMailbox, int]) -> Iterator[subprocess.Popen[bytes]]:
    _, smtp_port = mailbox
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "SECRET_KEY": "worker-test",
        "CELERY_BROKER_URL": BROKER_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "NOTIFICATION_RETRY_SECONDS": "1",
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import redis; redis.Redis.from_url('{BROKER_URL}').flushdb()"],
        check=True,
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    use_broker(eager=False, url=BROKER_URL)
    yield process
    use_broker(eager=previous[0], url=previous[1])
    process.terminate()
    process.wait(timeout=30)


def use_broker(*, eager: bool, url: str) -> None:
    """Point this process's Celery app at another broker.

    The app pools its broker connections on first use (eager calls take a producer too), so an
    earlier test's pool, made for the default broker, is dropped for the new one to be used.
    """
    celery_app.conf.update(task_always_eager=eager, broker_url=url)
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def wait_for(condition: object, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_worker_sends_a_notification_after_a_transient_smtp_failure(
    worker, mailbox, authorized_official
):
    handler, _ = mailbox
    invitation_create(
        organization=authorized_official.membership.organization,
        invited_by=authorized_official,
        email="pia@sunrise.example",
    )
    delivered = wait_for(lambda: handler.delivered, timeout=60)
    if not delivered:
        worker.terminate()
        output = worker.communicate(timeout=30)[0].decode()
        pytest.fail(f"no message delivered; worker said:\n{output[-4000:]}")
    message = message_from_bytes(handler.delivered[0])
    assert message["To"] == "pia@sunrise.example"
    assert "invited" in message["Subject"]
    assert handler.attempts == 2, "refused once, retried once"
    time.sleep(3)  # longer than the retry delay: a duplicate delivery would show up by now
    assert len(handler.delivered) == 1
