"""Keyboard use, announced errors and small screens, in a real browser; axe on staff pages."""

import re
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from corrective_actions.conditions import Condition
from corrective_actions.models import CorrectiveActionItem
from corrective_actions.services import evidence_submit, plan_create
from onboarding.models import Application, EntityType
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from onboarding.services.steps import step_submit
from portal.roles import Role
from reviews.models import ReviewDecision
from tests.e2e.conftest import tab_to
from tests.factories import (
    PASSWORD,
    UserFactory,
    enroll_totp,
    fill_entity_step,
    refetch,
    signature_of,
    totp_now,
)

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture
def signed_in_applicant(page: Page, live_server: Any, authorized_official: Any) -> Application:
    EmailAddress.objects.create(
        user=authorized_official, email=authorized_official.email, verified=True, primary=True
    )
    application = application_start(
        organization=authorized_official.membership.organization, user=authorized_official
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_login").fill(authorized_official.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    return application


def test_the_entity_step_can_be_completed_with_the_keyboard_alone(
    page: Page, live_server: Any, signed_in_applicant: Application, screenshot: Any
):
    application = signed_in_applicant
    fqhc = EntityType.objects.get(code="fqhc")
    page.goto(f"{live_server.url}/applications/{application.pk}/entity/")
    for selector, text in (
        ("#id_legal_name", "Sunrise Community Services"),
        ("#id_tin", "12-3456789"),
        ("#id_npi", "1234567893"),
        ("#id_service_address", "100 Main St, Los Angeles, CA 90012"),
        ("#id_official_name", "Ana Official"),
    ):
        tab_to(page, selector)
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
    page.locator("body").focus()
    tab_to(page, f'input[name="entity_types"][value="{fqhc.pk}"]')
    page.keyboard.press("Space")
    tab_to(page, "#id_counties")
    page.keyboard.type("Los Angeles")
    screenshot("keyboard-filled")
    tab_to(page, 'button[value="save"]')
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("Draft saved")
    profile = Application.objects.get(pk=application.pk).entity_profile
    assert (profile.npi, profile.tin, profile.official_name) == (
        "1234567893",
        "123456789",
        "Ana Official",
    )
    assert list(profile.entity_types.all()) == [fqhc]
    assert profile.county_codes == ["los_angeles"]


def test_form_errors_are_listed_at_the_top_announced_and_linked_to_their_fields(
    page: Page, live_server: Any, signed_in_applicant: Application, screenshot: Any
):
    page.goto(f"{live_server.url}/applications/{signed_in_applicant.pk}/entity/")
    page.locator("#id_npi").fill("1234567890")
    page.locator("#id_tin").fill("12-34")
    page.get_by_role("button", name="Save draft", exact=True).click()
    summary = page.locator("#form-errors")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("last digit should be 3")
    expect(summary).to_contain_text("9 digits")
    summary.get_by_role("link", name="Organizational NPI").click()
    expect(page.locator("#id_npi")).to_be_focused()
    npi = page.locator("#id_npi")
    expect(npi).to_have_attribute("aria-invalid", "true")
    described_by = npi.get_attribute("aria-describedby") or ""
    messages = " ".join(page.locator(f"#{ref}").inner_text() for ref in described_by.split())
    assert "last digit should be 3" in messages
    screenshot("errors")


def test_applicant_pages_fit_a_375_pixel_screen(
    page: Page,
    live_server: Any,
    signed_in_applicant: Application,
    screenshot: Any,
    accessible: Any,
):
    page.set_viewport_size(PHONE)
    pk = signed_in_applicant.pk
    for path in (
        "/dashboard/",
        f"/applications/{pk}/",
        f"/applications/{pk}/entity/",
        f"/applications/{pk}/attestations/",
        f"/applications/{pk}/data-sharing/",
        f"/applications/{pk}/care-team/add/",
        f"/applications/{pk}/capacity/",
        f"/applications/{pk}/partners/add/",
        "/organization/team/",
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(f"phone-{path}")
        assert width <= PHONE["width"], f"{path} scrolls sideways ({width}px wide)"
        accessible(page)


@pytest.fixture
def application_in_review(db: None) -> Application:
    """An organization whose entity step is submitted and waits in the review queue."""
    official = UserFactory.create(email="ana@sunrise-staff.example")
    organization_create(user=official, legal_name="Sunrise Community Services", title="Director")
    official = refetch(official)
    application = application_start(organization=official.membership.organization, user=official)
    fill_entity_step(application, official)
    step_submit(
        application=application, kind="entity", user=official, signature=signature_of(official)
    )
    return application


def corrective_action_item(manager: Any) -> CorrectiveActionItem:
    """A provider approved with one condition, whose evidence waits for review."""
    official = UserFactory.create(email="official@conditional.example")
    organization_create(user=official, legal_name="Conditional Care", title="Director")
    official = refetch(official)
    provider = Application.objects.create(
        organization=official.membership.organization,
        created_by=official,
        status=Application.Status.CONDITIONAL,
        recredentialing_due_on=timezone.localdate() + timedelta(days=20),
    )
    decision = ReviewDecision.objects.create(
        application=provider, stage="final", outcome="approve", reviewer=manager
    )
    plan = plan_create(
        application=provider,
        decision=decision,
        conditions=[
            Condition(
                "attestations:care_team",
                "No Lead Care Manager for Fresno.",
                "Name one and send the offer letter.",
                timezone.localdate() + timedelta(days=30),
                "Dana Reyes, ECM Director",
            )
        ],
    )
    item = plan.items.get()
    evidence_submit(item=item, user=official, note="Hired Robin.", uploads=[])
    return item


def test_every_staff_page_passes_axe(
    page: Page,
    live_server: Any,
    application_in_review: Application,
    screenshot: Any,
    accessible: Any,
):
    """A network manager (who may do everything a reviewer may, and read the dashboard and the
    audit trail) signs in the real way, password then TOTP code, and visits each staff page."""
    base = live_server.url
    manager = UserFactory.create(email="mona@plan.example", groups=[Role.NETWORK_MANAGER.value])
    Authenticator.objects.filter(user=manager).delete()
    secret = enroll_totp(manager)
    EmailAddress.objects.create(user=manager, email=manager.email, verified=True, primary=True)

    def visit(name: str) -> None:
        page.wait_for_load_state("networkidle")
        screenshot(name)
        accessible(page)

    page.goto(f"{base}/accounts/login/")
    visit("sign-in")
    page.locator("#id_login").fill(manager.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator("#id_code")).to_be_visible()
    visit("second-factor")
    page.locator("#id_code").fill(totp_now(secret))
    page.get_by_role("button", name=re.compile("Sign In|Authenticate", re.I)).click()
    page.wait_for_url(re.compile(r"/review/"))

    page.goto(f"{base}/review/")
    visit("review-queue")
    page.get_by_role("row").filter(has_text="Entity verification").get_by_role(
        "button", name="Claim"
    ).first.click()
    expect(page).to_have_url(re.compile(r"/review/tasks/\d+/$"))
    visit("review-task")
    pk = application_in_review.pk
    item = corrective_action_item(manager)
    for name, path in (
        ("my-tasks", "/review/mine/"),
        ("recredentialing", "/review/recredentialing/"),
        ("corrective-actions", "/review/corrective-actions/"),
        ("provider-corrective-actions", f"/providers/{item.application_id}/corrective-actions/"),
        ("corrective-action", f"/providers/{item.application_id}/corrective-actions/{item.pk}/"),
        ("team-work", "/review/team/"),
        ("applications", "/review/applications/"),
        ("application", f"/review/applications/{pk}/"),
        ("dashboard", "/review/dashboard/"),
        ("audit-trail", "/audit/"),
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        visit(name)
