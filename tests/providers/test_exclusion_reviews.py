"""A match the monthly re-screening finds on a provider in the network is work in the workbench,
and confirming it proposes the provider's suspension through the two-manager path."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changes.models import ChangeRequest
from onboarding.models import Application
from providers.models import StatusChange
from providers.services.status_changes import status_change_confirm
from screening.models import ScreeningResult
from screening.services.exclusion_lists import exclusion_release_import
from tests.providers.test_credential_check import provider
from tests.screening.files import leie_entity, leie_file

pytestmark = pytest.mark.django_db
BADGE = '<span class="badge text-bg-warning">Possible exclusion</span>'


@pytest.fixture
def matched(application, authorized_official) -> Application:
    """An active provider whose name the LEIE lists since its last screening."""
    active = provider(
        application, authorized_official, expires=timezone.localdate() + timedelta(400)
    )
    exclusion_release_import(
        source="leie", content=leie_file(leie_entity("Sunrise Community Services")), operator="t"
    )
    call_command("rescreen", stdout=None)
    return active


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def match_of(application: Application) -> ScreeningResult:
    return application.screening_results.get(
        is_current=True, check_name="exclusion_leie", subject_kind="organization"
    )


def test_the_match_is_in_the_workbench_until_adjudicated(matched, reviewer, manager):
    flagged = (
        client_for(reviewer)
        .get(reverse("reviews:applications") + "?possible_exclusion=on")
        .content.decode()
    )
    assert matched.reference in flagged
    assert BADGE in flagged
    dashboard = client_for(manager).get(reverse("reviews:dashboard")).content.decode()
    assert 'id="possible-exclusions-count">1</a>' in dashboard


def test_a_match_about_a_change_request_is_that_requests_not_the_lists(matched, reviewer):
    """A person a pending change request would add is screened for that request: its match
    blocks the request, and neither the list's badge nor its filter shows it as the provider's."""
    request = ChangeRequest.objects.create(
        application=matched, kind="care_team", created_by=matched.created_by
    )
    ScreeningResult.objects.filter(pk=match_of(matched).pk).update(change_request=request)
    listing = client_for(reviewer).get(reverse("reviews:applications")).content.decode()
    assert matched.reference in listing
    assert BADGE not in listing
    flagged = client_for(reviewer).get(reverse("reviews:applications") + "?possible_exclusion=on")
    assert matched.reference not in flagged.content.decode()


def test_a_manager_confirming_the_match_proposes_the_suspension(matched, manager, manager2):
    response = client_for(manager).post(
        reverse("screening:adjudicate", args=[matched.pk, match_of(matched).pk]),
        {"adjudication": "confirmed", "note": "Same EIN and address as the LEIE entry."},
        follow=True,
    )
    page = response.content.decode()
    assert "Its suspension is proposed: another network manager must confirm it." in page
    change = StatusChange.objects.get(application=matched)
    assert change.proposed_by == manager
    assert change.state == StatusChange.State.PROPOSED
    assert change.reason.startswith("Confirmed exclusion-list match: ")
    matched.refresh_from_db()
    assert matched.status == Application.Status.ACTIVE

    status_change_confirm(status_change=change, user=manager2)
    matched.refresh_from_db()
    assert matched.status == Application.Status.SUSPENDED
    flagged = client_for(manager).get(reverse("reviews:applications") + "?possible_exclusion=on")
    assert matched.reference not in flagged.content.decode()


def test_a_reviewer_confirming_it_is_told_a_manager_must_propose(matched, reviewer):
    response = client_for(reviewer).post(
        reverse("screening:adjudicate", args=[matched.pk, match_of(matched).pk]),
        {"adjudication": "confirmed", "note": "Same EIN."},
        follow=True,
    )
    assert "a network manager must now propose its suspension" in response.content.decode()
    assert not StatusChange.objects.exists()


def test_a_dismissed_match_proposes_nothing(matched, manager):
    client_for(manager).post(
        reverse("screening:adjudicate", args=[matched.pk, match_of(matched).pk]),
        {"adjudication": "dismissed", "note": "Different organization, other county."},
    )
    assert not StatusChange.objects.exists()
