"""Deployment settings, the content security policy and log masking."""

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from portal.log_filters import MaskPersonalIdentifiers, mask
from portal.settings import DEVELOPMENT_FIELD_ENCRYPTION_KEY, DEVELOPMENT_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DEBUG": "false",
    "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "portal.plan.example",
    "USE_S3": "true",
    "AWS_STORAGE_BUCKET_NAME": "ecm-documents",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
}


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` in a fresh process with only the given deployment variables."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEY",
            "DEBUG",
            "DATABASE_URL",
        }
    }
    return subprocess.run(  # noqa: S603  (this repository's manage.py, arguments from the tests)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_with_the_production_defaults():
    """No SSL or HSTS variable is set: HTTPS redirection is the default, and the one silenced
    check (HSTS preloading, W021) is the plan's domain owners' decision, said so in settings."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    shown = manage("diffsettings", "--all", **PRODUCTION).stdout
    assert "SECURE_SSL_REDIRECT = True" in shown
    assert "SILENCED_SYSTEM_CHECKS = ['security.W021']" in shown


def test_only_hsts_preloading_is_silenced():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_SSL_REDIRECT="false"
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "environment",
    [
        {"DEBUG": "false"},
        {"DEBUG": "false", "SECRET_KEY": DEVELOPMENT_SECRET_KEY},
        {"DEBUG": "true", "DATABASE_URL": "postgres://portal@db.internal:5432/portal"},
    ],
    ids=["no key", "the published development key", "a real database"],
)
def test_the_portal_refuses_to_start_on_the_public_development_key(environment):
    result = manage("check", **environment)
    assert result.returncode != 0
    assert "Set SECRET_KEY to a long random value" in result.stderr


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, "Set FIELD_ENCRYPTION_KEY to a Fernet key"),
        (DEVELOPMENT_FIELD_ENCRYPTION_KEY, "Set FIELD_ENCRYPTION_KEY to a Fernet key"),
        ("not-a-fernet-key", "FIELD_ENCRYPTION_KEY defined incorrectly"),
    ],
    ids=["no key", "the published development key", "a malformed key"],
)
def test_the_portal_refuses_to_start_without_a_field_encryption_key_of_its_own(key, message):
    environment = {k: v for k, v in PRODUCTION.items() if k != "FIELD_ENCRYPTION_KEY"}
    if key is not None:
        environment["FIELD_ENCRYPTION_KEY"] = key
    result = manage("check", **environment)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_key_that_cannot_read_the_database_stops_the_server_and_the_worker(tmp_path):
    """The key is right for its format but not the one the database's values were encrypted
    with: the web process (portal.wsgi), the Celery worker and ``check --database`` refuse."""
    right, wrong = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    database = {"DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}"}
    secret = {"SECRET_KEY": secrets.token_urlsafe(50)}
    migrated = manage("migrate", **database, **secret, FIELD_ENCRYPTION_KEY=right)
    assert migrated.returncode == 0, migrated.stderr
    assert manage("check", "--database", "default", **database, **secret,
                  FIELD_ENCRYPTION_KEY=right).returncode == 0  # fmt: skip
    # Rotating: the new key first, the old one after it, reads what the old one wrote.
    rotating = f"{wrong},{right}"
    assert manage("check", "--database", "default", **database, **secret,
                  FIELD_ENCRYPTION_KEY=rotating).returncode == 0  # fmt: skip
    checked = manage("check", "--database", "default", **database, **secret,
                     FIELD_ENCRYPTION_KEY=wrong)  # fmt: skip
    assert checked.returncode != 0
    assert "disclosures.E001" in checked.stderr
    for program in (
        "import portal.wsgi",
        "from portal.celery import app; app.Worker(pool='solo', concurrency=1).start()",
    ):
        started = subprocess.run(  # noqa: S603
            [sys.executable, "-c", program],
            cwd=ROOT,
            env={**os.environ, **database, **secret, "FIELD_ENCRYPTION_KEY": wrong},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert started.returncode != 0, program
        assert "FIELD_ENCRYPTION_KEY cannot decrypt" in started.stderr, started.stderr[-2000:]


def test_the_development_key_serves_make_run_only():
    assert manage("check", DEBUG="true").returncode == 0


def test_plain_http_is_redirected_to_https_when_the_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


@pytest.mark.django_db
def test_a_host_name_the_portal_does_not_serve_gets_400(client, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    response = client.get("/accounts/login/", HTTP_HOST="attacker.example")
    assert response.status_code == 400


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_our_templates_have_no_inline_scripts_or_event_handlers():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("invite sent to ana.maria+ecm@sunrise-cbo.example", "invite sent to [email]"),
        ("TIN 12-3456789 checked", "TIN [tin] checked"),
        ("TIN 123456789 checked", "TIN [tin] checked"),
        ("born 1980-02-29, 02/29/1980 or 19800229", "born [date], [date] or [date]"),
        ("NPI 1234567893 stays visible", "NPI 1234567893 stays visible"),
    ],
)
def test_log_messages_are_masked(message, expected):
    assert mask(message) == expected


def test_the_logging_filter_masks_arguments_and_tracebacks(caplog):
    logger = logging.getLogger("tests.masking")
    logger.addFilter(MaskPersonalIdentifiers())
    try:
        try:
            raise ValueError("bad TIN 98-7654321 for ana@sunrise.example")
        except ValueError:
            logger.exception("could not save %s", "ana@sunrise.example")
    finally:
        logger.filters.clear()
    record = caplog.records[-1]
    assert record.getMessage() == "could not save [email]"
    assert "98-7654321" not in record.exc_text
    assert "ana@sunrise.example" not in caplog.text


def test_a_deployment_looks_npis_up_in_nppes_unless_told_otherwise(monkeypatch):
    """The offline registry holds five made-up NPIs: a deployment on it would find no real one."""
    monkeypatch.delenv("NPI_REGISTRY", raising=False)

    deployed = manage("diffsettings", "--all", **PRODUCTION).stdout
    chosen = manage("diffsettings", "--all", **PRODUCTION, NPI_REGISTRY="offline").stdout
    developing = manage("diffsettings", "--all", DEBUG="true").stdout

    assert "NPI_REGISTRY = 'nppes'" in deployed
    assert "NPI_REGISTRY = 'offline'" in chosen
    assert "NPI_REGISTRY = 'offline'" in developing


def test_the_portal_refuses_to_start_on_an_unknown_npi_registry():
    result = manage("check", **PRODUCTION, NPI_REGISTRY="npes")

    assert result.returncode != 0
    assert "it must be 'nppes' (the live registry) or 'offline'" in result.stderr
