"""Deployment settings, the content security policy and log masking."""

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from portal.log_filters import MaskPersonalIdentifiers, mask

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_with_production_settings():
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DEBUG": "false",
        "DATABASE_URL": "postgres://portal@db.internal:5432/portal",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.plan.example",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "USE_S3": "true",
        "AWS_STORAGE_BUCKET_NAME": "ecm-documents",
        "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
