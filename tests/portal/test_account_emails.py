"""allauth's emails and the demo command speak as the plan, not as the server."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-demo-passphrase-2026"


def test_the_sign_up_email_names_the_plan_not_the_server(client: Client, settings):
    settings.PLAN_NAME = "L.A. Care Health Plan"
    client.post(
        "/accounts/signup/",
        {
            "email": "new@org.example",
            "full_name": "Nia New",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        HTTP_HOST="127.0.0.1",
    )
    body = str(mail.outbox[-1].body)
    assert "Hello from L.A. Care Health Plan!" in body
    assert not re.search(r"Hello from (127\.0\.0\.1|testserver)", body)


def test_seed_demo_prints_the_sites_address(settings):
    settings.DEBUG = True
    settings.SITE_URL = "https://portal.plan.example"
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Open https://portal.plan.example/" in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()
