"""Where a provider's compliance and licences show: its record, the workbench, the dashboard."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from onboarding.models import Application
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from providers.services.credentials import credentials_check
from tests.factories import UserFactory
from tests.providers.test_credential_check import EXPIRES, START, at, provider
from tests.reviews.test_exports import exported, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired_provider(application, authorized_official):
    """An active provider whose only Clinical Consultant's licence ran out today."""
    with time_machine.travel(at(START), tick=False):
        active = provider(application, authorized_official)
    with time_machine.travel(at(EXPIRES), tick=False):
        credentials_check()
    return active


def page(user, url: str) -> str:
    """The page as ``user`` sees it on the day the licence expired (signed in that day)."""
    with time_machine.travel(at(EXPIRES), tick=False):
        client = Client()
        client.force_login(user)
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_record_shows_the_provider_out_of_compliance_to_staff_and_to_its_people(
    expired_provider, reviewer, authorized_official, preparer
):
    staff_page = page(reviewer, reverse("reviews:application", args=[expired_provider.pk]))
    for html in (
        staff_page,
        *(
            page(user, reverse("onboarding:application_detail", args=[expired_provider.pk]))
            for user in (authorized_official, preparer)
        ),
    ):
        assert "Out of compliance" in html
        assert "Add at least one ECM Clinical Consultant with an unexpired license." in html
        assert "Casey Clinician" in html
        assert "Expired" in html


def test_a_provider_in_compliance_shows_its_licences_and_days_left(
    application, authorized_official
):
    with time_machine.travel(at(START), tick=False):
        active = provider(application, authorized_official)
        credentials_check()
        client = Client()
        client.force_login(authorized_official)
        response = client.get(reverse("onboarding:application_detail", args=[active.pk]))
    text = response.content.decode()
    assert "In compliance" in text
    assert "in 89 days" in text


def test_an_application_still_in_review_has_no_standing(application, authorized_official):
    html = page(
        authorized_official, reverse("onboarding:application_detail", args=[application.pk])
    )
    assert 'id="standing"' not in html


def test_the_workbench_filters_providers_out_of_compliance(expired_provider, reviewer, manager):
    ola = UserFactory.create(full_name="Ola Other", email="ola@other.example")
    other = organization_create(user=ola, legal_name="Other Org", title="Director")
    in_compliance = application_start(organization=other, user=ola)
    Application.objects.filter(pk=in_compliance.pk).update(status=Application.Status.ACTIVE)
    everything = page(reviewer, reverse("reviews:applications"))
    assert in_compliance.reference in everything
    flagged = page(reviewer, reverse("reviews:applications") + "?out_of_compliance=on")
    assert expired_provider.reference in flagged
    assert in_compliance.reference not in flagged
    assert 'name="out_of_compliance"' in flagged
    # The review queue works tasks, not providers: it has no such filter.
    assert 'name="out_of_compliance"' not in page(reviewer, reverse("reviews:queue"))


def test_the_dashboard_counts_providers_out_of_compliance_and_licences(expired_provider, manager):
    html = page(manager, reverse("reviews:dashboard"))
    assert 'id="out-of-compliance-count">1</a>' in html
    assert "Care-team licences expiring within 90 days" in html


def test_the_day_before_expiry_the_dashboard_counts_it_as_expiring(
    application, authorized_official, manager
):
    with time_machine.travel(at(EXPIRES - timedelta(days=1)), tick=False):
        provider(application, authorized_official)
        client = Client()
        client.force_login(manager)
        html = client.get(reverse("reviews:dashboard")).content.decode()
    assert 'id="out-of-compliance-count">0</a>' in html


def test_the_roster_export_says_which_providers_are_out_of_compliance(expired_provider, manager):
    with time_machine.travel(at(EXPIRES), tick=False):
        client = Client()
        client.force_login(manager)
        rows = rows_of(exported(client, "reviews:roster_export"))
    assert [(row["reference"], row["compliance"]) for row in rows] == [
        (expired_provider.reference, "out of compliance")
    ]
