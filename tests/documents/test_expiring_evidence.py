"""Licences and certifications among the entity evidence carry an expiry date from upload on."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onboarding.models import Application, ApplicationStep, EntityType
from onboarding.steps import definition_of
from tests.factories import PDF, fill_entity_step, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(application: Application, authorized_official) -> EntityType:
    """The application's organization is also a community health center (CDPH clinic licence)."""
    fill_entity_step(application, authorized_official)
    clinic = EntityType.objects.get(code="community_health_center")
    application.entity_profile.entity_types.add(clinic)
    return clinic


def upload(user, application: Application, clinic: EntityType, **fields: object) -> str:
    client = Client()
    client.force_login(user)
    licence = clinic.evidence_requirements.get(has_expiry=True)
    response = client.post(
        reverse("onboarding:document_upload", args=[application.pk, "entity"]),
        {"requirement": f"evidence:{licence.pk}", "file": pdf_upload("licence.pdf"), **fields},
        follow=True,
    )
    return response.content.decode()


def test_the_seeded_licences_and_certifications_have_an_expiry(clinic):
    assert clinic.evidence_requirements.get().has_expiry
    assert (
        not EntityType.objects.get(code="fqhc")
        .evidence_requirements.filter(has_expiry=True)
        .exists()
    )


def test_a_licence_without_its_expiry_date_is_refused(application, authorized_official, clinic):
    page = upload(authorized_official, application, clinic)
    assert "Enter the expiry date of the Clinic license (CDPH)." in page
    assert not application.documents.filter(requirement="Clinic license (CDPH)").exists()


def test_an_expired_licence_is_refused(application, authorized_official, clinic):
    yesterday = timezone.localdate() - timedelta(days=1)
    page = upload(authorized_official, application, clinic, expires_on=yesterday.isoformat())
    assert "This Clinic license (CDPH) expired on" in page
    assert "Upload the current one." in page
    assert not application.documents.filter(requirement="Clinic license (CDPH)").exists()


def test_a_date_that_is_not_a_date_is_explained(application, authorized_official, clinic):
    page = upload(authorized_official, application, clinic, expires_on="next June")
    assert "Enter the expiry date as a date, for example 2028-06-30." in page
    assert not application.documents.filter(requirement="Clinic license (CDPH)").exists()


def test_a_current_licence_is_kept_with_its_expiry_and_shown(
    application, authorized_official, clinic
):
    expires = timezone.localdate() + timedelta(days=300)
    page = upload(authorized_official, application, clinic, expires_on=expires.isoformat())
    assert "Document uploaded." in page
    document = application.documents.get(requirement="Clinic license (CDPH)")
    assert document.expires_on == expires
    assert f"expires {expires:%b} {expires.day}, {expires.year}" in page


def test_other_documents_keep_no_expiry(application, authorized_official, clinic):
    client = Client()
    client.force_login(authorized_official)
    client.post(
        reverse("onboarding:document_upload", args=[application.pk, "entity"]),
        {
            "requirement": "Other supporting document",
            "file": pdf_upload("letter.pdf", PDF + b"letter"),
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert application.documents.get(requirement="Other supporting document").expires_on is None


def test_the_expiry_field_is_asked_only_where_a_licence_is_among_the_evidence(
    application, authorized_official
):
    client = Client()
    client.force_login(authorized_official)
    fill_entity_step(application, authorized_official)
    entity_page = reverse("onboarding:step", args=[application.pk, "entity"])
    assert 'name="expires_on"' not in client.get(entity_page).content.decode()

    application.entity_profile.entity_types.add(
        EntityType.objects.get(code="community_health_center")
    )
    page = client.get(entity_page).content.decode()
    assert 'name="expires_on"' in page
    assert "Needed for: Clinic license (CDPH)." in page
    attestations = reverse("onboarding:step", args=[application.pk, "attestations"])
    assert 'name="expires_on"' not in client.get(attestations).content.decode()


def test_a_licence_that_ran_out_before_submission_blocks_it(
    application, authorized_official, clinic
):
    expires = timezone.localdate() + timedelta(days=10)
    upload(authorized_official, application, clinic, expires_on=expires.isoformat())
    step = application.step(ApplicationStep.Kind.ENTITY)
    assert definition_of(step.kind).problems(step) == []

    with time_machine.travel(expires + timedelta(days=1)):
        messages = [problem.message for problem in definition_of(step.kind).problems(step)]
    assert messages == [
        f"The Clinic license (CDPH) expired on {expires.day} {expires:%B} {expires.year}. "
        "Upload the current one."
    ]
