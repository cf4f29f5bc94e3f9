"""Recredentialing every 36 months: opened by the daily job 120 days before the due date, run
through the onboarding steps prefilled from the approved record, reviewed against what changed,
and applied to the provider's record at final approval; overdue, late and lapsed on the clock."""

from datetime import datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changes.services.requests import (
    change_request_start,
    change_request_submit,
    change_request_withdraw,
)
from corrective_actions.conditions import Condition
from documents.services import document_remove
from onboarding.attested_content import signature_state
from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationEvent, ApplicationStep
from onboarding.services.applications import application_start, application_withdraw
from onboarding.services.organizations import organization_create
from onboarding.services.steps import data_sharing_save, step_submit
from recredentialing.cycle import due_after
from recredentialing.differences import changes_since_approval
from recredentialing.models import Recredentialing
from recredentialing.services import recredentialing_daily
from reviews.models import ReviewDecision
from reviews.services.decisions import review_decide, task_claim
from tests.corrective_actions.test_conditions import csv_text
from tests.factories import UserFactory, decide, refetch, review_task, signature_of
from tests.onboarding.test_flow_services import approve_all_steps, fresh
from tests.providers.test_credential_check import provider as active_provider
from tests.reviews.test_exports import exported

pytestmark = pytest.mark.django_db

Status = Application.Status
Kind = ApplicationStep.Kind
Outcome = ReviewDecision.Outcome
PLAN_TIME = ZoneInfo(settings.TIME_ZONE)
PREFIX = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
TODAY = timezone.localdate()


@pytest.fixture
def provider(application, authorized_official, reviewer, manager, welcome_packet) -> Application:
    """A provider approved through the whole onboarding flow; due in 100 days."""
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    approved = fresh(application)
    assert approved.recredentialing_due_on == due_after(TODAY)  # 36 months after approval
    Application.objects.filter(pk=approved.pk).update(
        recredentialing_due_on=TODAY + timedelta(days=100)
    )
    return fresh(application)


def at(day, callback, capture):
    """Run ``callback`` as the 05:30 job would on ``day``, emails sent."""
    when = datetime.combine(day, time(5, 30), tzinfo=PLAN_TIME)
    with time_machine.travel(when, tick=False), capture(execute=True):
        return callback()


def send_both_steps(renewal: Application, official) -> None:
    """Send the attestations and data sharing (once the entity step is approved), signed."""
    for kind in (Kind.ATTESTATIONS, Kind.DATA_SHARING):
        step_submit(
            application=fresh(renewal), kind=kind, user=official, signature=signature_of(official)
        )


def test_recredentialing_opens_prefilled_shows_what_changed_and_renews_the_record(
    provider,
    authorized_official,
    preparer,
    reviewer2,
    manager2,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    summary = at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks)
    assert summary.opened == 1
    recredentialing = Recredentialing.objects.get(provider=provider)
    renewal = recredentialing.renewal
    assert (renewal.renews, renewal.status, recredentialing.due_on) == (
        provider,
        Status.DRAFT,
        TODAY + timedelta(days=100),
    )
    opened = [m for m in mailoutbox if "recredentialing due by" in m.subject]
    assert len(opened) == 1
    assert sorted(opened[0].to) == sorted([authorized_official.email, preparer.email])
    # The job again the same day opens nothing more.
    assert at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks).opened == 0

    # Every section opens prefilled from the approved record, with no signature.
    assert renewal.entity_profile.npi == provider.entity_profile.npi
    assert renewal.entity_profile.county_codes == provider.entity_profile.county_codes
    assert sorted(renewal.care_team.values_list("full_name", flat=True)) == sorted(
        provider.care_team.values_list("full_name", flat=True)
    )
    assert renewal.documents.count() == provider.documents.count()
    assert not renewal.capability_attestation.is_signed
    assert not renewal.data_sharing.is_signed
    assert {s.status for s in renewal.steps.all()} == {ApplicationStep.Status.DRAFT}

    # The applicant changes one section and confirms the others; the official signs again.
    answers = {
        field.name: getattr(provider.data_sharing, field.name)
        for field in provider.data_sharing._meta.concrete_fields
        if not field.primary_key
    }
    data_sharing_save(
        application=fresh(renewal),
        user=authorized_official,
        data={**answers, "documentation_system": "CareBridge 2"},
    )
    step_submit(
        application=fresh(renewal),
        kind=Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    assert renewal.screening_results.filter(subject_kind="organization").exists()  # screened
    decide(OnboardingFlow.review_entity, renewal, reviewer2, Outcome.APPROVE)
    send_both_steps(renewal, authorized_official)
    renewal = fresh(renewal)
    assert renewal.data_sharing.is_signed

    # Reviewers see only what changed, section by section.
    assert changes_since_approval(renewal, Kind.ENTITY) == []
    assert changes_since_approval(renewal, Kind.ATTESTATIONS) == []
    (changed,) = changes_since_approval(renewal, Kind.DATA_SHARING)
    assert (changed.old, changed.new) == (
        provider.data_sharing.documentation_system,
        "CareBridge 2",
    )
    decide(OnboardingFlow.review_attestations, renewal, reviewer2, Outcome.APPROVE)
    page = decide_page(reviewer2, renewal, OnboardingFlow.review_data_sharing)
    assert "Changed since the last approval" in page
    assert "CareBridge 2" in page
    decide(OnboardingFlow.review_data_sharing, renewal, reviewer2, Outcome.APPROVE)

    members = dict(provider.care_team.values_list("full_name", "pk"))
    with django_capture_on_commit_callbacks(execute=True):
        decide(OnboardingFlow.final_approval, renewal, manager2, Outcome.APPROVE)
    renewal, provider = fresh(renewal), fresh(provider)
    recredentialing.refresh_from_db()
    assert renewal.status == Status.RECREDENTIALED
    assert (recredentialing.outcome, recredentialing.late) == ("approved", False)
    # The record is the renewal's now; the provider keeps its identity and its people theirs.
    assert provider.status == Status.APPROVED
    assert provider.data_sharing.documentation_system == "CareBridge 2"
    assert provider.data_sharing.is_signed
    assert dict(provider.care_team.values_list("full_name", "pk")) == members
    # The signatures were given on the renewal, which keeps what was sent; they check out there.
    assert renewal.care_team.count() == len(members)
    for kind in (Kind.ATTESTATIONS, Kind.DATA_SHARING):
        state = signature_state(provider, kind)
        assert (state["matches"], state["signed_in"]) == (True, renewal)
    assert provider.recredentialing_due_on == due_after(TODAY)  # the clock starts again
    assert not renewal.packet_deliveries.exists()  # no welcome packet for a recredentialing
    assert renewal.process.status == "DONE"
    assert provider.events.filter(kind=ApplicationEvent.Kind.RECREDENTIALED).exists()
    assert mailoutbox[-1].subject == f"{PREFIX}{provider.organization}: recredentialed"


def decide_page(reviewer, application, node) -> str:
    task = review_task(application, node)
    client = Client()
    client.force_login(reviewer)
    assert client.post(reverse("reviews:claim", args=[task.pk])).status_code == 302
    page = client.get(reverse("reviews:decide", args=[task.pk])).content.decode()
    client.post(reverse("reviews:release", args=[task.pk]))
    return page


def test_the_clock_opens_flags_overdue_once_and_lets_a_late_one_lapse(
    provider, authorized_official, manager, manager2, mailoutbox, django_capture_on_commit_callbacks
):
    due = provider.recredentialing_due_on

    def run(day):
        before = len(mailoutbox)
        summary = at(day, lambda: recredentialing_daily(), django_capture_on_commit_callbacks)
        return summary, [m.subject for m in mailoutbox[before:]]

    summary, sent = run(due - timedelta(days=121))
    assert (summary.opened, sent) == (0, [])
    summary, sent = run(due - timedelta(days=120))
    assert summary.opened == 1
    recredentialing = Recredentialing.objects.get(provider=provider)
    assert run(due) == (run(due)[0], [])  # due today: not overdue yet
    summary, sent = run(due + timedelta(days=1))
    assert summary.overdue == 1
    assert f"{PREFIX}{provider.organization}: recredentialing overdue" in sent
    assert f"{PREFIX}Recredentialing: 1 provider needs a decision" in sent
    assert run(due + timedelta(days=2))[1] == []  # told once
    provider.refresh_from_db()
    assert provider.status == Status.APPROVED  # nothing suspends by itself

    summary, sent = run(due + timedelta(days=30))
    assert summary.lapsed == 0  # the last day it may still finish
    summary, sent = run(due + timedelta(days=31))
    assert summary.lapsed == 1
    recredentialing.refresh_from_db()
    assert recredentialing.outcome == "lapsed"
    assert fresh(recredentialing.renewal).status == Status.WITHDRAWN
    assert f"{PREFIX}Recredentialing: 1 provider needs a decision" in sent
    # The provider's due date stays where it was: it needs initial onboarding again.
    assert fresh(provider).recredentialing_due_on == due


def test_a_late_recredentialing_may_finish_within_the_late_period_and_says_so(
    provider, authorized_official, reviewer2, manager2, django_capture_on_commit_callbacks
):
    due = provider.recredentialing_due_on
    at(due - timedelta(days=100), recredentialing_daily, django_capture_on_commit_callbacks)
    renewal = Recredentialing.objects.get(provider=provider).renewal
    late = datetime.combine(due + timedelta(days=10), time(10), tzinfo=PLAN_TIME)
    with time_machine.travel(late, tick=False):
        step_submit(
            application=fresh(renewal),
            kind=Kind.ENTITY,
            user=authorized_official,
            signature=signature_of(authorized_official),
        )
        decide(OnboardingFlow.review_entity, renewal, reviewer2, Outcome.APPROVE)
        send_both_steps(renewal, authorized_official)
        for node in (
            OnboardingFlow.review_attestations,
            OnboardingFlow.review_data_sharing,
        ):
            decide(node, renewal, reviewer2, Outcome.APPROVE)
        decide(OnboardingFlow.final_approval, renewal, manager2, Outcome.APPROVE)
    recredentialing = Recredentialing.objects.get(provider=provider)
    assert (recredentialing.outcome, recredentialing.late) == ("approved", True)
    event = provider.events.get(kind=ApplicationEvent.Kind.RECREDENTIALED)
    assert "late" in event.detail
    assert fresh(provider).recredentialing_due_on == due_after(due + timedelta(days=10))


def test_a_recredentialing_cannot_be_withdrawn_and_a_denial_ends_it(
    provider, authorized_official, reviewer2, manager, django_capture_on_commit_callbacks
):
    at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks)
    renewal = Recredentialing.objects.get(provider=provider).renewal
    with pytest.raises(OnboardingError, match="cannot be withdrawn"):
        application_withdraw(application=renewal, user=authorized_official)
    step_submit(
        application=fresh(renewal),
        kind=Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    decide(OnboardingFlow.review_entity, renewal, reviewer2, Outcome.DENY, reason="Not eligible.")
    recredentialing = Recredentialing.objects.get(provider=provider)
    assert recredentialing.outcome == "denied"
    assert fresh(renewal).status == Status.DENIED
    # The provider stays as it is until a network manager decides (suspension, termination).
    assert fresh(provider).status == Status.APPROVED


def test_the_daily_command_prints_what_it_did(provider, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("recredentialing_daily", stdout=out)
    assert out.getvalue().startswith("1 recredentialing(s) opened, 0 newly overdue")


def test_change_requests_wait_for_the_recredentialing_and_it_for_them(
    provider, authorized_official, django_capture_on_commit_callbacks
):
    """The recredentialing's approval replaces the record: no change may be approved between."""
    change = change_request_start(
        application=provider,
        user=authorized_official,
        kind="care_team",
        proposal={"action": "add", "role": "lead_care_manager", "full_name": "Robin Newlead"},
    )
    change_request_submit(change_request=change, user=authorized_official)
    summary = at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks)
    assert summary.opened == 0  # it opens once the change is decided
    change_request_withdraw(change_request=change, user=authorized_official)
    assert at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks).opened == 1
    renewal = Recredentialing.objects.get(provider=provider).renewal
    with pytest.raises(
        OnboardingError, match=f"Your recredentialing \\({renewal.reference}\\) is open"
    ):
        change_request_start(
            application=fresh(provider), user=authorized_official, kind="contact",
            proposal={"contact_name": "New Contact"},
        )  # fmt: skip


def test_a_recredentialing_approved_with_conditions_puts_the_plan_on_the_provider(
    provider, authorized_official, reviewer2, manager2, django_capture_on_commit_callbacks
):
    at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks)
    renewal = Recredentialing.objects.get(provider=provider).renewal
    step_submit(
        application=fresh(renewal),
        kind=Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )
    decide(OnboardingFlow.review_entity, renewal, reviewer2, Outcome.APPROVE)
    send_both_steps(renewal, authorized_official)
    decide(OnboardingFlow.review_attestations, renewal, reviewer2, Outcome.APPROVE)
    decide(OnboardingFlow.review_data_sharing, renewal, reviewer2, Outcome.APPROVE)
    task = task_claim(task=review_task(renewal, OnboardingFlow.final_approval), user=manager2)
    due = TODAY + timedelta(days=45)
    review_decide(
        task=task,
        user=manager2,
        outcome=Outcome.APPROVE,
        conditions=[Condition("attestations:care_team", "Found", "Hire", due, "Dana")],
    )
    provider = fresh(provider)
    assert provider.status == Status.CONDITIONAL
    assert provider.recredentialing_due_on == due_after(TODAY)
    plan = provider.corrective_action_plans.get()
    assert plan.decision.application == renewal  # the decision was on the recredentialing


def test_the_workbench_lists_dashboard_and_record_show_the_cycle(
    provider, manager, reviewer, django_capture_on_commit_callbacks
):
    at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks)
    Application.objects.filter(pk=provider.pk).update(
        recredentialing_due_on=TODAY - timedelta(days=3)
    )
    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("recredentialing:workbench"), {"due": "overdue"}).content.decode()
    assert provider.reference in page
    assert "Overdue" in page
    page = client.get(reverse("recredentialing:workbench"), {"due": "30"}).content.decode()
    assert provider.reference not in page
    record = client.get(reverse("providers:record", args=[provider.pk])).content.decode()
    assert 'id="recredentialing-overdue"' in record
    client.force_login(manager)
    dashboard = client.get(reverse("reviews:dashboard")).content.decode()
    assert 'id="recredentialing-overdue-count">1<' in dashboard
    assert 'id="recredentialing-in-progress-count">1<' in dashboard
    export = client.get(reverse("recredentialing:workbench_export"), {"due": "in_progress"})
    lines = csv_text(export).splitlines()
    assert lines[0] == (
        "provider,organization,status,recredentialing_due_on,overdue,recredentialing_in_progress"
    )
    renewal = Recredentialing.objects.get(provider=provider).renewal
    assert lines[1].endswith(f",yes,{renewal.reference}")
    roster = csv_text(exported(client, "reviews:roster_export"))
    assert (TODAY - timedelta(days=3)).isoformat() in roster


def test_each_run_opens_the_earliest_due_first_up_to_its_limit(
    provider, settings, django_capture_on_commit_callbacks
):
    """The day the job is turned on, a whole network's window is spread over several runs."""
    official = UserFactory.create(email="second@org-two.example", full_name="Sam Second")
    organization = organization_create(user=official, legal_name="Second Org", title="CEO")
    second = active_provider(
        application_start(organization=organization, user=refetch(official)),
        refetch(official),
        expires=TODAY + timedelta(days=400),
    )
    Application.objects.filter(pk=second.pk).update(recredentialing_due_on=TODAY + timedelta(5))
    settings.RECREDENTIALING_OPEN_PER_RUN = 1
    assert at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks).opened == 1
    assert Recredentialing.objects.get().provider == second  # due in 5 days, before 100
    assert at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks).opened == 1
    assert at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks).opened == 0
    assert Recredentialing.objects.filter(provider=provider).exists()


def test_removing_a_copied_document_in_the_recredentialing_keeps_the_providers_file(
    provider, authorized_official, django_capture_on_commit_callbacks
):
    """A copy shares the provider's stored file: removing the copy must not delete the file."""
    at(TODAY, recredentialing_daily, django_capture_on_commit_callbacks)
    renewal = Recredentialing.objects.get(provider=provider).renewal
    copy = renewal.documents.filter(step_kind=Kind.ENTITY).first()
    assert copy is not None
    original = provider.documents.get(file=copy.file.name)
    storage = original.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(document=copy, user=authorized_official)
    assert not renewal.documents.filter(pk=copy.pk).exists()
    assert [(c.action, c.subject) for c in changes_since_approval(renewal, Kind.ENTITY)] == [
        ("removed", f"{original.requirement}: {original.original_name}")
    ]
    assert storage.exists(original.file.name)
    with original.file.open("rb") as stored:
        assert stored.read(4) == b"%PDF"
