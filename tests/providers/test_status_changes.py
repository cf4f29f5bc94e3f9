"""Suspension, termination and reinstatement: one network manager proposes, another confirms."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from documents.services import packet_deliver, packet_publish
from onboarding.exceptions import OnboardingError
from onboarding.models import Application, ApplicationEvent
from providers.models import StatusChange
from providers.services.status_changes import (
    status_change_confirm,
    status_change_decline,
    status_change_propose,
)
from screening.services.results import screen_application
from tests.factories import WelcomePacketFactory, packet_item_add
from tests.providers.test_credential_check import provider
from tests.reviews.test_exports import exported, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(application, authorized_official) -> Application:
    return provider(application, authorized_official, expires=timezone.localdate() + timedelta(400))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def propose(manager, application, action="suspend", **fields):
    data = {"reason": "Repeated failure to submit the RTF.", **fields}
    if action != "reinstate":
        data.setdefault("effective_on", timezone.localdate().isoformat())
    return client_for(manager).post(
        reverse("providers:status_change_propose", args=[application.pk, action]), data
    )


def test_a_suspension_takes_effect_only_when_a_second_manager_confirms(
    active, manager, manager2, authorized_official, preparer, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    form = client_for(manager).get(
        reverse("providers:status_change_propose", args=[active.pk, "suspend"])
    )
    assert form.status_code == 200
    assert "Nothing changes until a second network manager confirms." in form.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = propose(manager, active)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/review/applications/{active.pk}/#network-status")
    active.refresh_from_db()
    assert active.status == Application.Status.ACTIVE, "one manager alone changes nothing"
    assert [m.to for m in mailoutbox] == [[manager2.email]]
    assert "Confirm or decline: Suspend Sunrise Community Services" in mailoutbox[0].subject
    change = StatusChange.objects.get()

    page = client_for(manager).get(reverse("reviews:application", args=[active.pk]))
    html = page.content.decode()
    assert "Another network manager must confirm it." in html
    assert reverse("providers:status_change_confirm", args=[change.pk]) not in html
    refused = client_for(manager).post(
        reverse("providers:status_change_confirm", args=[change.pk]), follow=True
    )
    assert "Another network manager must confirm this: you proposed it yourself." in (
        refused.content.decode()
    )
    active.refresh_from_db()
    assert active.status == Application.Status.ACTIVE

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client_for(manager2).post(
            reverse("providers:status_change_confirm", args=[change.pk]), follow=True
        )
    assert "Confirmed: Suspend" in confirmed.content.decode()
    active.refresh_from_db()
    change.refresh_from_db()
    assert active.status == Application.Status.SUSPENDED
    assert change.state == StatusChange.State.IN_EFFECT
    assert change.decided_by == manager2
    event = active.events.get(kind=ApplicationEvent.Kind.PROVIDER_SUSPENDED)
    assert event.actor == manager2
    assert event.detail == "Repeated failure to submit the RTF."
    assert [sorted(m.to) for m in mailoutbox] == [
        sorted([authorized_official.email, preparer.email])
    ]
    assert "your ECM provider participation is suspended" in mailoutbox[0].subject
    assert "Repeated failure to submit the RTF." in mailoutbox[0].body

    # Its own people still read their record, and see the new status and why.
    detail = client_for(authorized_official).get(
        reverse("onboarding:application_detail", args=[active.pk])
    )
    assert detail.status_code == 200
    assert "Suspended" in detail.content.decode()
    assert "Provider suspended" in detail.content.decode()

    rows = rows_of(exported(client_for(manager), "reviews:roster_export"))
    assert [(r["reference"], r["status"]) for r in rows] == [(active.reference, "Suspended")]
    dashboard = client_for(manager).get(reverse("reviews:dashboard")).content.decode()
    assert 'id="suspended-count">1</a>' in dashboard


def test_a_later_effective_date_waits_for_the_daily_job(
    active, manager, manager2, authorized_official, mailoutbox, django_capture_on_commit_callbacks
):
    later = timezone.localdate() + timedelta(days=30)
    change = status_change_propose(
        application=active,
        user=manager,
        action="terminate",
        termination="voluntary",
        reason="The organization is closing its ECM program.",
        effective_on=later,
    )
    status_change_confirm(status_change=change, user=manager2)
    active.refresh_from_db()
    change.refresh_from_db()
    assert active.status == Application.Status.ACTIVE
    assert change.state == StatusChange.State.CONFIRMED

    out = StringIO()
    call_command("apply_status_changes", stdout=out)
    assert out.getvalue().startswith("0 status change(s)")

    StatusChange.objects.filter(pk=change.pk).update(effective_on=timezone.localdate())
    mailoutbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_status_changes", stdout=out)
    assert out.getvalue().startswith("1 status change(s) took effect.")
    active.refresh_from_db()
    assert active.status == Application.Status.TERMINATED
    event = active.events.get(kind=ApplicationEvent.Kind.PROVIDER_TERMINATED)
    assert event.actor is None
    assert event.detail == (
        "Voluntary (the provider's own request): The organization is closing its ECM program."
    )
    assert "your ECM provider agreement is terminated" in mailoutbox[0].subject


def test_bad_input_is_explained_and_the_typed_reason_kept(active, manager):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = propose(manager, active, "terminate", reason="Fraud found", effective_on=yesterday)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The effective date cannot be in the past." in page
    assert "Say whether the termination is for cause or voluntary." in page
    assert "Fraud found" in page
    assert not StatusChange.objects.exists()

    blank = propose(manager, active, reason="  ").content.decode()
    assert "Give the reason: the provider is told it." in blank


def test_one_open_change_at_a_time_and_a_declined_one_changes_nothing(active, manager, manager2):
    change = status_change_propose(
        application=active,
        user=manager,
        action="suspend",
        reason="r",
        effective_on=timezone.localdate(),
    )
    with pytest.raises(OnboardingError, match="already waiting"):
        status_change_propose(
            application=active,
            user=manager2,
            action="terminate",
            termination="for_cause",
            reason="r",
            effective_on=timezone.localdate(),
        )
    status_change_decline(status_change=change, user=manager2, note="Not enough evidence yet.")
    change.refresh_from_db()
    active.refresh_from_db()
    assert change.state == StatusChange.State.DECLINED
    assert change.decision_note == "Not enough evidence yet."
    assert active.status == Application.Status.ACTIVE
    with pytest.raises(OnboardingError, match="already decided"):
        status_change_confirm(status_change=change, user=manager2)


def test_a_reviewer_cannot_change_a_providers_status(active, reviewer, manager):
    with pytest.raises(OnboardingError, match="Only network managers"):
        status_change_propose(
            application=active,
            user=reviewer,
            action="suspend",
            reason="r",
            effective_on=timezone.localdate(),
        )
    page = client_for(reviewer).get(reverse("reviews:application", args=[active.pk]))
    assert "Suspend…" not in page.content.decode()
    assert (
        "Suspend…"
        in client_for(manager)
        .get(reverse("reviews:application", args=[active.pk]))
        .content.decode()
    )


def test_an_application_still_in_review_cannot_be_suspended(application, manager):
    with pytest.raises(OnboardingError, match="cannot be suspended"):
        status_change_propose(
            application=application,
            user=manager,
            action="suspend",
            reason="r",
            effective_on=timezone.localdate(),
        )


def suspend(active, manager, manager2) -> None:
    change = status_change_propose(
        application=active, user=manager, action="suspend", reason="Match under review",
        effective_on=timezone.localdate(),
    )  # fmt: skip
    status_change_confirm(status_change=change, user=manager2)


def test_reinstatement_needs_screening_run_again_since_the_suspension(active, manager, manager2):
    suspend(active, manager, manager2)
    page = (
        client_for(manager)
        .get(reverse("providers:status_change_propose", args=[active.pk, "reinstate"]))
        .content.decode()
    )
    assert "Screen the provider again before reinstating it" in page
    with pytest.raises(OnboardingError, match="Screen the provider again"):
        status_change_propose(
            application=active, user=manager, action="reinstate", reason="Cleared",
            effective_on=timezone.localdate(),
        )  # fmt: skip

    screen_application(application=active)
    change = status_change_propose(
        application=active, user=manager, action="reinstate", reason="OIG reinstatement letter",
        effective_on=timezone.localdate(),
    )  # fmt: skip
    status_change_confirm(status_change=change, user=manager2)
    active.refresh_from_db()
    assert active.status == Application.Status.ACTIVE  # back where it was before the suspension
    assert active.events.filter(kind=ApplicationEvent.Kind.PROVIDER_REINSTATED).exists()


def test_a_suspended_provider_gets_no_new_packet_version(
    active, manager, manager2, welcome_packet, django_capture_on_commit_callbacks
):
    packet_deliver(application=active)
    suspend(active, manager, manager2)
    new = WelcomePacketFactory.create(version=welcome_packet.version + 1)
    packet_item_add(new)
    with django_capture_on_commit_callbacks(execute=True):
        packet_publish(packet=new)
    assert list(active.packet_deliveries.values_list("packet", flat=True)) == [welcome_packet.pk]


def test_a_terminated_provider_can_apply_again_and_cannot_be_reinstated(active, manager, manager2):
    change = status_change_propose(
        application=active, user=manager, action="terminate", termination="for_cause",
        reason="Excluded", effective_on=timezone.localdate(),
    )  # fmt: skip
    status_change_confirm(status_change=change, user=manager2)
    active.refresh_from_db()
    assert active.status in Application.CLOSED_STATUSES
    with pytest.raises(OnboardingError, match="cannot be reinstated"):
        status_change_propose(
            application=active, user=manager, action="reinstate", reason="r",
            effective_on=timezone.localdate(),
        )  # fmt: skip


def test_a_scheduled_change_called_off_is_announced_and_never_takes_effect(
    active, manager, manager2, authorized_official, mailoutbox, django_capture_on_commit_callbacks
):
    change = status_change_propose(
        application=active,
        user=manager,
        action="terminate",
        termination="voluntary",
        reason="Closing",
        effective_on=timezone.localdate() + timedelta(days=30),
    )
    status_change_confirm(status_change=change, user=manager2)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        status_change_decline(status_change=change, user=manager, note="They found funding.")
    change.refresh_from_db()
    assert change.state == StatusChange.State.WITHDRAWN
    assert len(mailoutbox) == 1
    assert "will not happen" in mailoutbox[0].subject
    assert authorized_official.email in mailoutbox[0].to

    StatusChange.objects.filter(pk=change.pk).update(effective_on=timezone.localdate())
    call_command("apply_status_changes", stdout=StringIO())
    active.refresh_from_db()
    assert active.status == Application.Status.ACTIVE
