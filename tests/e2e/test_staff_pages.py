"""Plan staff's pages in a real browser: the keyboard alone, and a 375-pixel phone screen."""

from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from viewflow.workflow.models import Task

from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationStep
from onboarding.services.steps import step_submit
from portal.models import User
from portal.roles import Role
from reviews.models import ReviewDecision
from reviews.services.decisions import task_claim
from screening.services.exclusion_lists import exclusion_release_import
from screening.services.results import screening_result_adjudicate
from tests.attestations.test_item_review import submit as submit_attestations
from tests.e2e.conftest import tab_to
from tests.e2e.test_journey import sign_in, staff_member
from tests.factories import (
    decide,
    fill_attestations_step,
    fill_entity_step,
    review_task,
    signature_of,
)
from tests.screening.files import leie_entity, leie_file, leie_person

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 812}


def submitted(application: Application, official: Any) -> Application:
    fill_entity_step(application, official)
    step_submit(
        application=application,
        kind=ApplicationStep.Kind.ENTITY,
        user=official,
        signature=signature_of(official),
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def signed_in_manager(page: Page, live_server: Any) -> User:
    """A network manager (who sees every staff page, the dashboard too), signed in with the
    password and the authenticator code."""
    email, secret = staff_member("mona@plan.example", Role.NETWORK_MANAGER.value)
    sign_in(page, live_server.url, email, secret)
    page.wait_for_url(f"{live_server.url}/**")
    return User.objects.get(email=email)


def test_a_clean_step_is_claimed_and_approved_with_the_keyboard_alone(
    page: Page, live_server: Any, signed_in_manager: Any, application: Any, authorized_official: Any
):
    application = submitted(application, authorized_official)
    page.goto(f"{live_server.url}/review/")
    tab_to(page, "form button[formaction$='/claim/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/review/tasks/**")
    tab_to(page, "button[name=approve_all]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("Decision recorded")
    decision = Application.objects.get(pk=application.pk).decisions.get()
    assert decision.outcome == ReviewDecision.Outcome.APPROVE


def with_screening_findings(application: Application, official: Any, reviewer: Any) -> Task:
    """Entity approved after a dismissed list match; attestations submitted with a confirmed
    match on a care-team member: the longest screening panel and the item-by-item form."""
    exclusion_release_import(
        source="leie",
        content=leie_file(leie_entity("Sunrise Community Services"), leie_person("LEAD", "LEE")),
        operator="test",
    )
    application = submitted(application, official)
    [entity_match] = application.screening_results.filter(
        is_current=True, outcome="potential_match"
    )
    screening_result_adjudicate(
        result=entity_match, user=reviewer, adjudication="dismissed", note="Another address."
    )
    decide(OnboardingFlow.review_entity, application, reviewer, ReviewDecision.Outcome.APPROVE)
    fill_attestations_step(Application.objects.get(pk=application.pk), official)
    submit_attestations(Application.objects.get(pk=application.pk), official)
    for match in application.screening_results.filter(
        is_current=True, outcome="potential_match", subject_kind="person"
    ):
        screening_result_adjudicate(
            result=match, user=reviewer, adjudication="confirmed", note="Same person."
        )
    return review_task(application, OnboardingFlow.review_attestations)


def test_staff_pages_fit_a_375_pixel_screen(
    page: Page,
    live_server: Any,
    signed_in_manager: User,
    application: Application,
    authorized_official: User,
    reviewer: User,
    screenshot: Any,
    accessible: Any,
):
    task = task_claim(
        task=with_screening_findings(application, authorized_official, reviewer),
        user=signed_in_manager,
    )
    page.set_viewport_size(PHONE)
    too_wide = {}
    for path in (
        "/review/",
        "/review/mine/",
        "/review/team/",
        "/review/applications/",
        f"/review/applications/{application.pk}/",
        f"/review/tasks/{task.pk}/",
        "/review/dashboard/",
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(f"phone-{path}")
        if width > PHONE["width"]:
            too_wide[path] = width
        accessible(page)
    assert too_wide == {}, f"these pages scroll sideways (px wide): {too_wide}"
