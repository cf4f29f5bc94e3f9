"""A person's name and title are asked once: at sign-up and when the organization is set up."""

import re

import pytest
from django.core import mail
from django.test import Client

from onboarding.models import Application
from portal.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-demo-passphrase-2026"


def signed_up(
    client: Client, django_capture_on_commit_callbacks, email: str, **fields: str
) -> User:
    """Sign up through the page, confirm the address and set the organization up.

    Each test signs up with its own address: allauth sends one confirmation to an address every
    few minutes, and remembers it in the cache, across tests."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": email, "password1": PASSWORD, "password2": PASSWORD, **fields},
        )
    assert response.status_code == 302, response.content.decode()[-2000:]
    link = re.search(
        r"http://testserver(/accounts/confirm-email/[^\s]+)", str(mail.outbox[-1].body)
    )
    assert link
    client.post(link.group(1))
    client.post(
        "/organization/new/",
        {"legal_name": "Sunrise Community Services", "title": "Executive Director"},
    )
    client.post("/applications/new/")
    return User.objects.get(email=email)


def test_sign_up_asks_for_the_name_and_keeps_it(client: Client, django_capture_on_commit_callbacks):
    page = client.get("/accounts/signup/").content.decode()
    assert 'id="id_full_name"' in page
    assert page.index('id="id_full_name"') < page.index('id="id_email"'), "asked first"
    response = client.post(
        "/accounts/signup/",
        {"email": "ana@names.example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200, "the name is required"
    assert not User.objects.exists()
    user = signed_up(
        client,
        django_capture_on_commit_callbacks,
        "ana@names.example",
        full_name=" Ana  Official ",
    )
    assert user.full_name == "Ana Official"


def test_the_signature_starts_with_the_name_and_title_already_given(
    client: Client, django_capture_on_commit_callbacks
):
    signed_up(
        client,
        django_capture_on_commit_callbacks,
        "ana@signature.example",
        full_name="Ana Official",
    )
    application = Application.objects.get()
    page = client.get(f"/applications/{application.pk}/attestations/").content.decode()
    assert re.search(r'name="signature-full_name"[^>]*value="Ana Official"', page)
    assert re.search(r'name="signature-title"[^>]*value="Executive Director"', page)
    assert 'value="ana@signature.example"' not in page


def test_the_entity_step_starts_with_the_officials_name_and_title(
    client: Client, django_capture_on_commit_callbacks
):
    signed_up(
        client, django_capture_on_commit_callbacks, "ana@entity.example", full_name="Ana Official"
    )
    application = Application.objects.get()
    page = client.get(f"/applications/{application.pk}/entity/").content.decode()
    assert re.search(r'name="official_name"[^>]*value="Ana Official"', page)
    assert re.search(r'name="official_title"[^>]*value="Executive Director"', page)
