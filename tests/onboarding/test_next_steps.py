"""One click to the work: a visitor learns what the portal is, an applicant sees what to do next
and, when a step comes back, what to fix and by when."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as date_format

from onboarding.flows import OnboardingFlow
from reviews.models import ReviewDecision
from reviews.services.decisions import DeficiencyItem
from tests.factories import decide, fill_entity_step, submit_entity_step

pytestmark = pytest.mark.django_db


def test_a_signed_out_visitor_learns_what_the_portal_is(client: Client):
    page = client.get("/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Become an Enhanced Care Management provider" in text
    assert 'href="/accounts/login/"' in text
    assert 'href="/accounts/signup/"' in text


def test_the_dashboard_links_straight_to_each_open_step(
    client: Client, application, authorized_official
):
    client.force_login(authorized_official)
    text = client.get("/dashboard/").content.decode()
    assert "What to do next" in text
    link = re.search(r'<a href="([^"]+)"[^>]*>Fill in “Entity verification” and submit', text)
    assert link, text
    assert client.get(link.group(1)).status_code == 200


def test_a_preparer_is_told_the_official_submits(client: Client, application, preparer):
    client.force_login(preparer)
    text = client.get("/dashboard/").content.decode()
    assert "your authorized official submits it" in text


def test_a_returned_step_shows_what_to_fix_and_by_when_outside_its_own_page(
    client: Client, application, authorized_official, reviewer
):
    fill_entity_step(application, authorized_official)
    submit_entity_step(application, authorized_official)
    decide(
        OnboardingFlow.review_entity,
        application,
        reviewer,
        ReviewDecision.Outcome.RETURN,
        deficiencies=[
            DeficiencyItem(
                requirement="npi",
                reason="NPI does not match NPPES",
                comment="NPPES lists another organization.",
            )
        ],
    )
    due = timezone.localdate() + timedelta(days=settings.RETURN_FOR_CORRECTION_DAYS)
    client.force_login(authorized_official)
    for page in ("/dashboard/", f"/applications/{application.pk}/"):
        text = client.get(page).content.decode()
        assert "Correct “Entity verification” and submit it again" in text, page
        assert "NPI does not match NPPES" in text, page
        assert "NPPES lists another organization." in text, page
        assert f"Due by {date_format(due, 'F j, Y')}." in text, page
