"""One application on one screen for plan staff; internal notes stay internal."""

import pytest
from django.test import Client
from django.urls import reverse

from onboarding.steps import step_definitions
from portal.models import AuditEvent
from reviews.models import InternalNote

pytestmark = pytest.mark.django_db

SECRET = "Board chair is married to the CEO; check the conflict-of-interest policy."


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_add_internal_notes_and_see_them(submitted_application, reviewer):
    application = submitted_application()
    client = signed_in(reviewer)
    response = client.post(reverse("reviews:note_add", args=[application.pk]), {"body": SECRET})
    assert response.status_code == 302
    note = InternalNote.objects.get(application=application)
    assert note.author == reviewer
    page = client.get(reverse("reviews:application", args=[application.pk]))
    assert SECRET in page.content.decode()
    assert AuditEvent.objects.filter(actor=reviewer, summary__contains="internal note").exists()


def test_applicants_never_see_internal_notes(submitted_application, reviewer):
    application = submitted_application()
    signed_in(reviewer).post(reverse("reviews:note_add", args=[application.pk]), {"body": SECRET})
    official = application.organization.authorized_official
    client = signed_in(official)
    for url in (
        reverse("onboarding:dashboard"),
        reverse("onboarding:application_detail", args=[application.pk]),
        reverse("onboarding:step", args=[application.pk, "entity"]),
        reverse("onboarding:step", args=[application.pk, "attestations"]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
        assert "Internal note" not in response.content.decode(), url
    assert client.get(reverse("reviews:application", args=[application.pk])).status_code == 403


def test_application_page_shows_steps_screening_due_date_and_every_event(
    submitted_application, reviewer
):
    application = submitted_application()
    response = signed_in(reviewer).get(reverse("reviews:application", args=[application.pk]))
    html = response.content.decode()
    for definition in step_definitions():
        assert f'<h2 class="h5">{definition.title}</h2>' in html
    tin = application.entity_profile.tin
    assert tin
    assert tin in html  # reviewers see the whole TIN
    assert 'id="screening"' in html
    assert 'id="sample-checks"' in html
    assert "Open reviews" in html
    assert "due" in html
    for event in application.events.all():
        assert str(event.get_kind_display()) in html


def test_blank_note_is_refused(submitted_application, reviewer):
    application = submitted_application()
    signed_in(reviewer).post(reverse("reviews:note_add", args=[application.pk]), {"body": "  "})
    assert not InternalNote.objects.exists()
