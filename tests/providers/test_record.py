"""The provider record: what the plan approved, as of any day, and who changed what."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onboarding.models import Application, ApplicationEvent, CareTeamMember
from onboarding.services.organizations import organization_create
from tests.factories import UserFactory
from tests.providers.test_credential_check import START, at, provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(application, authorized_official, manager) -> Application:
    """Approved on START; on START + 10 its Clinical Consultant's licence was renewed."""
    with time_machine.travel(at(START), tick=False):
        active = provider(application, authorized_official, expires=START + timedelta(days=30))
        ApplicationEvent.objects.create(
            application=active, kind=ApplicationEvent.Kind.FINAL_APPROVED, actor=manager
        )
    with time_machine.travel(at(START + timedelta(days=10)), tick=False):
        consultant = CareTeamMember.objects.get(application=active, role="clinical_consultant")
        consultant.license_number = "LCS99999"
        consultant.license_expires_on = START + timedelta(days=760)
        consultant._history_user = manager  # type: ignore[attr-defined]  # who made the change
        consultant.save()
    return active


def page(user, approved: Application, on: str = "") -> str:
    with time_machine.travel(at(START + timedelta(days=20)), tick=False):
        client = Client()
        client.force_login(user)
        url = reverse("providers:record", args=[approved.pk]) + (f"?on={on}" if on else "")
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_its_people_and_staff_see_the_record_as_approved_today(
    approved, authorized_official, preparer, reviewer, manager
):
    for user in (authorized_official, preparer, reviewer, manager):
        html = page(user, approved)
        assert "As approved today." in html
        assert "Casey Clinician" in html
        assert "LCS99999" in html
        assert "Final approval given" in html
        assert "Los Angeles" in html  # the county served, with its capacity


def test_the_record_as_it_stood_on_an_earlier_day(approved, authorized_official):
    html = page(authorized_official, approved, on=(START + timedelta(days=5)).isoformat())
    assert "As it stood at the end of Jan 9, 2027." in html
    assert "LCS12345" in html
    assert "LCS99999" not in html


def test_before_approval_the_record_says_so(approved, authorized_official):
    html = page(authorized_official, approved, on=(START - timedelta(days=1)).isoformat())
    assert "Before final approval" in html
    assert "No one on the care team on that day." in html


def test_who_changed_what_and_when(approved, authorized_official, manager):
    html = page(authorized_official, approved)
    changed = html[html.index('id="changes"') :]
    assert "Jan 14, 2027" in changed
    assert manager.display_name in changed
    assert "changed care team member: Casey Clinician" in changed
    assert "license number" in changed
    assert "license expiry date" in changed


def test_a_day_still_to_come_is_refused_with_a_message(approved, authorized_official):
    html = page(authorized_official, approved, on=(START + timedelta(days=40)).isoformat())
    assert "The record cannot be shown for a day still to come." in html
    assert "As approved today." in html


def test_another_organization_and_an_application_in_review_get_a_404(
    approved, application, authorized_official, plan_admin
):
    stranger = UserFactory.create(email="someone@else.example")
    organization_create(user=stranger, legal_name="Elsewhere", title="CEO")
    with time_machine.travel(at(START + timedelta(days=20)), tick=False):
        client = Client()
        client.force_login(stranger)
        assert client.get(reverse("providers:record", args=[approved.pk])).status_code == 404
        client.force_login(plan_admin)
        assert client.get(reverse("providers:record", args=[approved.pk])).status_code == 403
        Application.objects.filter(pk=approved.pk).update(status=Application.Status.IN_REVIEW)
        client.force_login(authorized_official)
        assert client.get(reverse("providers:record", args=[approved.pk])).status_code == 404
