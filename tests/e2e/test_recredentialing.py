"""A provider recredentialed in a real browser, with one section changed: the reviewers see that
section, and only that one, as changed; every page is checked for accessibility."""

import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from recredentialing.models import Recredentialing
from recredentialing.services import recredentialing_daily
from reviews.models import ReviewDecision
from tests.e2e.test_journey import APPROVE_BUTTON, Effort, Visit, sign_in, staff_member
from tests.factories import decide
from tests.onboarding.test_flow_services import approve_all_steps, fresh

pytestmark = pytest.mark.django_db(transaction=True)


def review(page: Page, base: str, step: str, visit: Visit) -> None:
    """Claim the review of ``step`` from the queue and open its decision page."""
    page.goto(f"{base}/review/")
    page.get_by_role("row").filter(has_text=step).get_by_role("button", name="Claim").first.click()
    visit(f"recredentialing-decide-{step}")


def approve(page: Page) -> None:
    page.get_by_role("button", name=APPROVE_BUTTON).click()
    expect(page.get_by_role("alert").first).to_contain_text("Decision recorded")


def sign_and_send(page: Page) -> None:
    page.get_by_label("Your title").fill("Executive Director")
    page.get_by_label(re.compile("I am authorized to sign")).check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("alert").first).to_contain_text("Submitted for review")


def test_a_provider_recredentialed_with_one_section_changed(
    page: Page,
    browser: Any,
    live_server: Any,
    screenshot: Any,
    accessible: Any,
    application: Application,
    authorized_official: Any,
    reviewer: Any,
    manager: Any,
    welcome_packet: Any,
) -> None:
    base = live_server.url
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, ReviewDecision.Outcome.APPROVE)
    Application.objects.filter(pk=application.pk).update(
        recredentialing_due_on=timezone.localdate() + timedelta(days=90)
    )
    assert recredentialing_daily().opened == 1
    renewal = Recredentialing.objects.get(provider=application).renewal
    EmailAddress.objects.create(
        user=authorized_official, email=authorized_official.email, verified=True, primary=True
    )

    # The official finds the recredentialing on the dashboard, every section filled in.
    page.effort = Effort(page)  # type: ignore[attr-defined]
    visit = Visit(page, screenshot, accessible)
    sign_in(page, base, authorized_official.email)
    page.goto(f"{base}/")
    expect(page.get_by_role("link", name=f"Recredentialing {renewal.reference}")).to_be_visible()
    page.goto(f"{base}/applications/{renewal.pk}/")
    visit("recredentialing-application")
    expect(page.locator("#recredentialing-note")).to_contain_text("due to be recredentialed")
    page.goto(f"{base}/applications/{renewal.pk}/entity/")
    visit("recredentialing-entity")
    expect(page.get_by_label("Organizational NPI")).to_have_value(application.entity_profile.npi)
    # The disclosure came with the rest; the official signs it again, as every section.
    page.get_by_label("Your title").fill("Executive Director")
    page.get_by_label(re.compile("I am authorized to sign")).check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("alert").first).to_contain_text("Submitted for review")

    rita = staff_member("rita@plan.example", "reviewer")
    reviewer_page = browser.new_page()
    reviewer_visit = Visit(reviewer_page, screenshot, accessible)
    sign_in(reviewer_page, base, *rita)
    review(reviewer_page, base, "Entity verification", reviewer_visit)
    expect(reviewer_page.locator("#recredentialing-badge")).to_contain_text(
        f"Recredentialing of {application.reference}"
    )
    expect(reviewer_page.locator("#nothing-changed")).to_be_visible()
    approve(reviewer_page)

    # Attestations confirmed as they are; data sharing with a new documentation system.
    page.goto(f"{base}/applications/{renewal.pk}/attestations/")
    visit("recredentialing-attestations")
    sign_and_send(page)
    page.goto(f"{base}/applications/{renewal.pk}/data-sharing/")
    page.get_by_label("Care-management documentation system").fill("CareBridge 2")
    page.get_by_role("button", name="Save draft", exact=True).click()
    sign_and_send(page)

    review(reviewer_page, base, "Capability attestations", reviewer_visit)
    expect(reviewer_page.locator("#nothing-changed")).to_be_visible()
    expect(reviewer_page.locator("tr.since-approval")).to_have_count(0)
    approve(reviewer_page)
    review(reviewer_page, base, "Data-sharing readiness", reviewer_visit)
    changed = reviewer_page.locator("tr.since-approval")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("CareBridge 2")
    expect(changed).to_contain_text(application.data_sharing.documentation_system)
    approve(reviewer_page)

    mona = staff_member("mona@plan.example", "network manager")
    manager_page = browser.new_page()
    manager_visit = Visit(manager_page, screenshot, accessible)
    sign_in(manager_page, base, *mona)
    review(manager_page, base, "Final approval", manager_visit)
    approve(manager_page)

    provider = fresh(application)
    assert provider.data_sharing.documentation_system == "CareBridge 2"
    assert Recredentialing.objects.get(provider=provider).outcome == "approved"
    manager_page.goto(f"{base}/providers/{provider.pk}/")
    manager_visit("recredentialed-record")
    expect(manager_page.locator("#recredentialing")).to_contain_text("Recredentialed")
