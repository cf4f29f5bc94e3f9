"""Approval with conditions: a network manager sets a corrective-action plan with the approval,
the provider sends evidence item by item, reviewers accept or return it, and late items are
escalated by the daily job once per level."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changes.services.decisions import change_request_decide
from corrective_actions.conditions import Condition
from corrective_actions.models import CorrectiveActionItem, CorrectiveActionPlan, Evidence
from corrective_actions.services import corrective_actions_escalate, plan_create
from documents.acknowledgements import packet_acknowledge
from documents.models import PacketDelivery
from documents.services import download_record
from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationEvent
from onboarding.selectors import open_task
from onboarding.services.organizations import organization_create
from providers.services.status_changes import status_change_confirm, status_change_propose
from reviews.models import ReviewDecision
from screening.services.results import screen_application
from tests.changes.test_change_requests import (
    add_person,
    claim,
    draft,
    send,
)
from tests.factories import UserFactory, pdf_upload, review_task
from tests.onboarding.test_flow_services import approve_all_steps, fresh
from tests.providers.test_credential_check import provider
from tests.providers.test_status_changes import suspend
from tests.reviews.test_exports import exported

pytestmark = pytest.mark.django_db

Status = Application.Status
ItemStatus = CorrectiveActionItem.Status
TODAY = timezone.localdate()
PREFIX = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
PLAN_TIME = ZoneInfo("America/Los_Angeles")


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def row(n: int, **fields) -> dict[str, str]:
    """Condition row ``n`` of the decision form, as the browser sends it."""
    values = {
        "finding": "attestations:care_team",
        "detail": "No Lead Care Manager named for Fresno County.",
        "action": "Name a Lead Care Manager for Fresno and send the hiring letter.",
        "due_on": (TODAY + timedelta(days=30)).isoformat(),
        "responsible": "Dana Reyes, ECM Director",
        **fields,
    }
    return {f"condition-{n}-{name}": value for name, value in values.items()}


def rows(*filled: dict[str, str]) -> dict[str, str]:
    management = {
        "condition-TOTAL_FORMS": "3",
        "condition-INITIAL_FORMS": "0",
        "condition-MIN_NUM_FORMS": "0",
        "condition-MAX_NUM_FORMS": "20",
    }
    return {k: v for part in (management, *filled) for k, v in part.items()}


def final_decide(manager, task, **data):
    return client_for(manager).post(reverse("reviews:decide", args=[task.pk]), data)


def item_url(item) -> str:
    return reverse("corrective_actions:item", args=[item.application_id, item.pk])


def send_evidence(user, item, note="Hired Robin Newlead as Lead Care Manager for Fresno."):
    return client_for(user).post(
        item_url(item), {"note": note, "documents": [pdf_upload("offer-letter.pdf")]}
    )


def test_a_manager_approves_with_conditions_and_the_provider_works_them_off(
    application,
    authorized_official,
    preparer,
    reviewer,
    reviewer2,
    manager,
    welcome_packet,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    approve_all_steps(application, authorized_official, reviewer)
    task = review_task(application, OnboardingFlow.final_approval)
    assert client_for(manager).post(reverse("reviews:claim", args=[task.pk])).status_code == 302
    page = client_for(manager).get(reverse("reviews:decide", args=[task.pk])).content.decode()
    assert "Approve with conditions" in page
    assert "Conditions (only when you approve with conditions)" in page

    # Bad input: a clear message, and nothing decided.
    response = final_decide(manager, task, outcome="approve_conditions", **rows())
    assert "List at least one condition" in response.content.decode()
    past = row(0, due_on=TODAY.isoformat())
    response = final_decide(manager, task, outcome="approve_conditions", **rows(past))
    assert "The due date must be in the future." in response.content.decode()
    no_action = row(0, action="")
    response = final_decide(manager, task, outcome="approve_conditions", **rows(no_action))
    assert "Say what the provider must do." in response.content.decode()
    no_finding = row(0, finding="")
    response = final_decide(manager, task, outcome="approve_conditions", **rows(no_finding))
    assert "Choose the rule or criterion this condition is about." in response.content.decode()
    assert fresh(application).status == Status.IN_REVIEW
    assert not CorrectiveActionPlan.objects.exists()

    second = row(
        1,
        finding="data_sharing:general",
        detail="The secure file transfer account is not set up.",
        action="Set up the SFTP account and send a test file.",
        due_on=(TODAY + timedelta(days=60)).isoformat(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = final_decide(
            manager, task, outcome="approve_conditions", reason="", **rows(row(0), second)
        )
    assert response.status_code == 302, response.content.decode()
    application = fresh(application)
    assert application.status == Status.CONDITIONAL
    assert application.get_status_display() == "Approved with conditions"
    decision = ReviewDecision.objects.get(application=application, stage="final")
    assert decision.with_conditions
    assert decision.outcome_past_tense == "approved with conditions"
    plan = CorrectiveActionPlan.objects.get(decision=decision)
    first, other = plan.items.order_by("due_on")
    assert first.finding_label == "Capability attestations: Care-team roster"
    assert (first.status, first.due_on, first.responsible) == (
        ItemStatus.OPEN,
        TODAY + timedelta(days=30),
        "Dana Reyes, ECM Director",
    )
    assert other.finding_label == "Data-sharing readiness: General"
    # The approval went on as approvals do: the packet is delivered, waiting to be acknowledged.
    assert open_task(application, OnboardingFlow.acknowledge_packet) is not None
    # The decision's email says the outcome; the plan's own lists the items.
    decided = [m for m in mailoutbox if m.subject.endswith("Application approved with conditions")]
    assert len(decided) == 1
    told = [
        m
        for m in mailoutbox
        if m.subject.endswith(f"{application.organization}: approved with conditions")
    ]
    assert len(told) == 1
    assert sorted(told[0].to) == sorted([authorized_official.email, preparer.email])
    assert "Name a Lead Care Manager for Fresno" in told[0].body

    # Acknowledging the packet leaves the conditions in place.
    delivery = PacketDelivery.objects.get(application=application)
    download_record(
        user=preparer, ip_address="203.0.113.5", delivery=delivery,
        packet_item=welcome_packet.items.get(),
    )  # fmt: skip
    packet_acknowledge(delivery=delivery, user=authorized_official)
    assert fresh(application).status == Status.CONDITIONAL

    # The provider's page lists the plan, for its people.
    listed = client_for(preparer).get(reverse("corrective_actions:list", args=[application.pk]))
    assert "Approved with conditions" in listed.content.decode()
    assert first.reference in listed.content.decode()

    # Evidence needs a note; a reviewer must say what is missing when returning it.
    response = client_for(preparer).post(item_url(first), {"note": ""})
    assert "Describe what you did to correct this." in response.content.decode()
    assert send_evidence(preparer, first).status_code == 302
    first.refresh_from_db()
    assert first.status == ItemStatus.SUBMITTED
    evidence = Evidence.objects.get(item=first)
    assert [d.original_name for d in evidence.documents.all()] == ["offer-letter.pdf"]
    page = client_for(preparer).get(item_url(first)).content.decode()
    assert "Waiting for a plan reviewer." in page
    assert "Send your evidence" not in page

    response = client_for(reviewer2).post(item_url(first), {"verdict": "returned"})
    assert "Say what is missing, so the provider can fix it." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(reviewer2).post(
            item_url(first), {"verdict": "returned", "comment": "Send the signed offer letter."}
        )
    first.refresh_from_db()
    assert first.status == ItemStatus.RETURNED
    assert "evidence returned" in mailoutbox[-1].subject
    assert "Send the signed offer letter." in mailoutbox[-1].body

    assert send_evidence(preparer, first, note="Signed letter attached.").status_code == 302
    client_for(reviewer2).post(item_url(first), {"verdict": "accepted"})
    first.refresh_from_db()
    assert (first.status, first.accepted_by) == (ItemStatus.ACCEPTED, reviewer2)
    assert fresh(application).status == Status.CONDITIONAL  # the second item is still open

    assert send_evidence(authorized_official, other, note="SFTP set up.").status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client_for(reviewer2).post(item_url(other), {"verdict": "accepted"})
    assert fresh(application).status == Status.ACTIVE
    plan.refresh_from_db()
    assert plan.completed_at is not None
    assert "every corrective action accepted" in mailoutbox[-1].subject
    kinds = set(application.events.values_list("kind", flat=True))
    assert {
        ApplicationEvent.Kind.CONDITIONS_SET,
        ApplicationEvent.Kind.EVIDENCE_SENT,
        ApplicationEvent.Kind.EVIDENCE_REVIEWED,
        ApplicationEvent.Kind.CONDITIONS_MET,
    } <= kinds
    # Nothing more to send for an accepted item.
    response = client_for(preparer).post(item_url(first), {"note": "Again"}, follow=True)
    assert "This item takes nothing from you now." in response.content.decode()


@pytest.fixture
def active(application, authorized_official) -> Application:
    return provider(application, authorized_official, expires=TODAY + timedelta(days=365))


def test_a_change_request_approved_with_conditions_by_a_manager_only(
    active, authorized_official, reviewer, manager, django_capture_on_commit_callbacks
):
    change = draft(authorized_official, active, "care_team", add_person())
    send(authorized_official, change)
    task = claim(reviewer, change)
    page = client_for(reviewer).get(reverse("changes:review", args=[task.pk])).content.decode()
    assert "Approve with conditions" not in page  # a reviewer is no network manager
    response = client_for(reviewer).post(
        reverse("changes:review", args=[task.pk]),
        {"outcome": "approve_conditions", "accept_remaining": "on", **rows(row(0))},
    )
    assert "Select a valid choice." in response.content.decode()

    client_for(reviewer).post(reverse("reviews:release", args=[task.pk]))
    claim(manager, change)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(
            reverse("changes:review", args=[task.pk]),
            {"outcome": "approve_conditions", "accept_remaining": "on", **rows(row(0))},
        )
    assert response.status_code == 302, response.content.decode()
    change.refresh_from_db()
    active.refresh_from_db()
    assert change.status == "approved"
    assert active.care_team.filter(full_name="Robin Newlead").exists()  # the change applied
    assert active.status == Status.CONDITIONAL
    plan = CorrectiveActionPlan.objects.get(change_request=change)
    assert plan.items.count() == 1

    # Every list shows the status: the workbench's applications list, the roster export.
    listing = client_for(manager).get(reverse("reviews:applications"), {"status": "conditional"})
    assert active.reference in listing.content.decode()
    roster = csv_text(exported(client_for(manager), "reviews:roster_export"))
    assert "Approved with conditions" in roster


def test_a_condition_is_refused_in_the_service_whatever_the_form(
    active, authorized_official, reviewer, manager
):
    change = draft(authorized_official, active, "care_team", add_person())
    send(authorized_official, change)
    task = claim(manager, change)
    late = Condition("attestations:care_team", "Found", "Fix", TODAY, "Dana")
    with pytest.raises(OnboardingError, match="must be in the future"):
        change_request_decide(task=task, user=manager, outcome="approve", conditions=[late])
    soon = Condition("attestations:care_team", "Found", "Fix", TODAY + timedelta(days=9), "Dana")
    with pytest.raises(OnboardingError, match="Only an approval can set conditions"):
        change_request_decide(
            task=task, user=manager, outcome="deny", reason="No", conditions=[soon]
        )
    assert not CorrectiveActionPlan.objects.exists()


def conditional(active, manager, *due_in_days: int) -> list[CorrectiveActionItem]:
    """Make ``active`` approved with conditions: one item due in each of ``due_in_days``."""
    decision = ReviewDecision.objects.create(
        application=active, stage="final", outcome="approve", reviewer=manager
    )
    plan = plan_create(
        application=active,
        decision=decision,
        conditions=[
            Condition(
                "entity:general", f"Finding {n}", f"Action {n}", TODAY + timedelta(days=d), "Dana"
            )
            for n, d in enumerate(due_in_days)
        ],
    )
    return list(plan.items.order_by("due_on"))


def test_overdue_items_are_escalated_once_to_the_official_then_to_the_managers(
    active,
    authorized_official,
    manager,
    manager2,
    settings,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.CAP_ESCALATE_TO_MANAGERS_DAYS = 14
    item, later = conditional(active, manager, 10, 40)
    due = item.due_on

    def run(day) -> list[str]:
        before = len(mailoutbox)
        at = datetime.combine(day, time(7), tzinfo=PLAN_TIME)
        with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
            call_command("escalate_corrective_actions")
        return [m.subject for m in mailoutbox[before:]]

    assert run(due) == []  # due today: not late yet
    assert run(due + timedelta(days=1)) == [
        PREFIX + f"{active.organization}: corrective actions overdue"
    ]
    assert mailoutbox[-1].to == [authorized_official.email]
    assert item.reference in mailoutbox[-1].body
    assert later.reference not in mailoutbox[-1].body
    assert run(due + timedelta(days=1)) == []  # the same day again: nothing new
    assert run(due + timedelta(days=14)) == []
    assert run(due + timedelta(days=15)) == [PREFIX + "1 corrective action is overdue"]
    assert sorted(mailoutbox[-1].to) == sorted([manager.email, manager2.email])
    assert "Whether to suspend a provider is a network manager's decision." in mailoutbox[-1].body
    assert run(due + timedelta(days=16)) == []
    # Nothing suspends by itself.
    active.refresh_from_db()
    assert active.status == Status.CONDITIONAL
    # A due date moved later starts the escalation again.
    CorrectiveActionItem.objects.filter(pk=item.pk).update(due_on=due + timedelta(days=20))
    assert run(due + timedelta(days=21)) == [
        PREFIX + f"{active.organization}: corrective actions overdue"
    ]


def test_termination_closes_the_items_and_the_workbench_lists_and_exports_open_ones(
    active, authorized_official, reviewer, manager, manager2
):
    overdue_item, soon = conditional(active, manager, 5, 20)
    CorrectiveActionItem.objects.filter(pk=overdue_item.pk).update(due_on=TODAY - timedelta(days=3))

    page = client_for(reviewer).get(reverse("corrective_actions:workbench"), {"overdue": "1"})
    text = page.content.decode()
    assert overdue_item.reference in text
    assert soon.reference not in text
    assert "Export CSV" not in text  # exports are the network managers'
    page = client_for(manager).get(reverse("corrective_actions:workbench"), {"due_within": "30"})
    assert soon.reference in page.content.decode()
    export = client_for(manager).get(
        reverse("corrective_actions:workbench_export"), {"overdue": "1"}
    )
    lines = csv_text(export).splitlines()
    assert lines[0].startswith("item,provider,organization,provider_status,finding")
    assert len(lines) == 2
    assert overdue_item.reference in lines[1]
    assert lines[1].endswith(",yes,")
    dashboard = client_for(manager).get(reverse("reviews:dashboard")).content.decode()
    assert "Corrective actions" in dashboard

    proposed = status_change_propose(
        application=active,
        user=manager,
        action="terminate",
        reason="Contract ended.",
        effective_on=TODAY,
        termination="voluntary",
    )
    status_change_confirm(status_change=proposed, user=manager2)
    summary = corrective_actions_escalate()
    assert summary.closed == 2
    assert set(active.corrective_action_items.values_list("status", flat=True)) == {"closed"}


def test_another_organizations_item_is_not_found(active, manager):
    (item,) = conditional(active, manager, 10)
    other = UserFactory.create(email="other@org-b.example")
    organization_create(user=other, legal_name="Organization B", title="Director")
    response = client_for(other).get(item_url(item))
    assert response.status_code == 404
    response = client_for(other).post(item_url(item), {"note": "Mine now"})
    assert response.status_code == 404
    assert not Evidence.objects.exists()


def test_a_provider_whose_last_item_was_accepted_while_suspended_is_reinstated_active(
    active, authorized_official, reviewer, manager, manager2
):
    (item,) = conditional(active, manager, 10)
    suspend(active, manager, manager2)
    assert send_evidence(authorized_official, item).status_code == 302
    client_for(reviewer).post(item_url(item), {"verdict": "accepted"})
    active.refresh_from_db()
    assert active.status == Status.SUSPENDED  # accepting does not end a suspension

    screen_application(application=active)
    change = status_change_propose(
        application=active, user=manager, action="reinstate", reason="Audit closed",
        effective_on=TODAY,
    )  # fmt: skip
    status_change_confirm(status_change=change, user=manager2)
    active.refresh_from_db()
    # It was approved with conditions when suspended; none is open now.
    assert active.status == Status.ACTIVE
