"""A change of ownership or control after approval (42 CFR 455.104(c)): a change request that
starts from the disclosure on record, shows the 35-day deadline once the date of the change is
given, screens every person it lists before approval, and becomes the provider's disclosure."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from changes.models import ChangeRequest
from disclosures.models import DisclosedParty, Disclosure
from onboarding.models import Application, ApplicationEvent
from onboarding.services.applications import application_start
from onboarding.services.organizations import organization_create
from portal.models import AuditEvent, User
from screening.models import ScreeningResult
from screening.services.exclusion_lists import exclusion_release_import
from screening.services.results import screen_entity
from tests.changes.test_change_requests import (
    claim,
    client_for,
    decide,
    detail_url,
    new_url,
    send,
)
from tests.factories import OFFICER, UserFactory
from tests.screening.files import leie_file, leie_person

pytestmark = pytest.mark.django_db

Status = ChangeRequest.Status
NONE_BUT_OWNERS = {f"none_{c}": "on" for c in ("officers", "managing_employees", "family")} | {
    f"none_{c}": "on" for c in ("other_interests", "subcontractors", "convictions")
}
NEW_OWNER = {
    "first_name": "Olga",
    "last_name": "Owner",
    "date_of_birth": "1960-01-02",
    "ssn": "234-56-7890",
    "home_address": "1 Hill Rd, Fresno, CA 93701",
    "direct_percent": "30",
}


def ownership_draft(user, application: Application, days_ago: int = 10) -> ChangeRequest:
    changed_on = timezone.localdate() - timedelta(days=days_ago)
    response = client_for(user).post(
        new_url(application, "ownership"),
        {
            "changed_on": changed_on.isoformat(),
            "description": "Olga Owner bought 30% of the organization.",
            **NONE_BUT_OWNERS,
            "do": "save",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    return ChangeRequest.objects.latest("pk")


def add_owner(user, change: ChangeRequest) -> None:
    response = client_for(user).post(
        reverse("disclosures:party_add", args=[change.disclosure.pk, "person"]), NEW_OWNER
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == detail_url(change) + "#disclosure-heading"


def test_a_change_of_ownership_is_listed_screened_decided_and_becomes_the_disclosure(
    active, authorized_official, preparer, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    exclusion_release_import(
        source="leie", content=leie_file(leie_person("OWNER", "OLGA")), operator="test"
    )
    change = ownership_draft(preparer, active)
    assert change.summary.startswith("Change of ownership or control on ")
    # It starts from the disclosure on record, which stays as it is until the plan approves.
    assert change.disclosure.parties.count() == active.disclosure.parties.count()
    page = client_for(preparer).get(detail_url(change)).content.decode()
    report_by = change.report_by
    assert report_by is not None
    assert report_by == timezone.localdate() - timedelta(days=10) + timedelta(days=35)
    assert f"it must be reported to the plan by {report_by:%b} {report_by.day}" in page
    assert (
        "Ownership or control interests of 5% or more: list them, or tick the box that says you "
        "have none." in page
    )

    add_owner(preparer, change)
    page = client_for(preparer).get(detail_url(change)).content.decode()
    assert "Added: Olga Owner (holds 30.00% directly)." in page
    assert "•••-••-7890" in page
    assert "234567890" not in page
    assert "234-56-7890" not in page
    assert not active.disclosure.parties.filter(last_name="Owner").exists()

    with django_capture_on_commit_callbacks(execute=True):
        send(authorized_official, change)
    change.refresh_from_db()
    assert change.status == Status.SUBMITTED
    assert change.first_submitted_at is not None
    assert "received" in mailoutbox[-1].subject
    # Every person listed is screened before anyone can approve: the new owner matches.
    match = change.screening_results.get(
        is_current=True, outcome=ScreeningResult.Outcome.POTENTIAL_MATCH
    )
    assert match.disclosed_party is not None
    assert match.disclosed_party.last_name == "Owner"

    task = claim(reviewer, change)
    page = client_for(reviewer).get(reverse("changes:review", args=[task.pk])).content.decode()
    assert "Added: Olga Owner (holds 30.00% directly)." in page
    assert "Who owns, controls and manages the provider after the change" in page
    page = decide(reviewer, task, outcome="approve", accept_remaining="on").content.decode()
    assert "Confirm or dismiss the potential match on the" in page
    response = client_for(reviewer).post(
        reverse("screening:adjudicate", args=[active.pk, match.pk]),
        {"adjudication": "dismissed", "note": "Born in another year.", "task": task.pk},
    )
    assert response.status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(reviewer, task, approve_all="1")
    assert response.status_code == 302, response.content.decode()[-3000:]
    change.refresh_from_db()
    assert change.status == Status.APPROVED
    owner = DisclosedParty.objects.get(disclosure=active.disclosure, last_name="Owner")
    assert owner.ssn == "234567890"
    assert (change.before or {})["disclosed"] == []
    assert (change.after or {})["disclosed"] == ["Olga Owner (holds 30.00% directly)"]
    assert "234567890" not in str(change.after)
    assert "1960" not in str(change.after)
    # The provider is screened again with its new owner; the reviewer's decision stands.
    again = ScreeningResult.objects.get(
        application=active, disclosed_party=owner, is_current=True, outcome=match.outcome
    )
    assert again.change_request is None
    assert again.adjudication == ScreeningResult.Adjudication.DISMISSED
    assert not change.screening_results.filter(is_current=True).exists()
    kinds = set(active.events.values_list("kind", flat=True))
    assert ApplicationEvent.Kind.CHANGE_APPLIED in kinds


def test_the_deadline_shows_how_late_a_report_is_before_and_after_sending(
    active, authorized_official
):
    change = ownership_draft(authorized_official, active, days_ago=50)
    add_owner(authorized_official, change)
    page = client_for(authorized_official).get(detail_url(change)).content.decode()
    assert "It is 15 days late: send it as soon as you can." in page
    send(authorized_official, change)
    change.refresh_from_db()
    assert change.days_late == 15
    page = client_for(authorized_official).get(detail_url(change)).content.decode()
    assert "That was 15 days late." in page


def test_a_date_still_to_come_or_no_date_gets_a_plain_message(active, authorized_official):
    tomorrow = timezone.localdate() + timedelta(days=1)
    client = client_for(authorized_official)
    response = client.post(
        new_url(active, "ownership"),
        {"changed_on": tomorrow.isoformat(), "description": "A sale.", "do": "save"},
    )
    assert "This date is still to come" in response.content.decode()
    response = client.post(new_url(active, "ownership"), {"description": "x", "do": "save"})
    assert "Enter the date the change took effect." in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_disclosure_that_changes_nothing_cannot_be_sent(active, authorized_official):
    response = client_for(authorized_official).post(
        new_url(active, "ownership"),
        {
            "changed_on": timezone.localdate().isoformat(),
            "description": "Nothing really.",
            **NONE_BUT_OWNERS,
            "none_owners": "on",
            "do": "save",
        },
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.latest("pk")
    response = client_for(authorized_official).post(
        detail_url(change), {"do": "submit"}, follow=True
    )
    assert "is still the same as the one on your record" in response.content.decode()
    change.refresh_from_db()
    assert change.status == Status.DRAFT


def test_the_requests_disclosure_is_its_organizations_alone_and_fixed_once_sent(
    active, authorized_official, reviewer
):
    change = ownership_draft(authorized_official, active)
    add_owner(authorized_official, change)
    party = change.disclosure.parties.get(last_name="Owner")
    outsider = UserFactory.create(email="b@org-b.example")
    organization_create(user=outsider, legal_name="Org B", title="Director")
    outsider = User.objects.get(pk=outsider.pk)
    theirs = application_start(organization=outsider.membership.organization, user=outsider)
    urls = [
        reverse("disclosures:party_add", args=[change.disclosure.pk, "person"]),
        reverse("disclosures:party_edit", args=[change.disclosure.pk, party.pk]),
        reverse("disclosures:party_edit", args=[theirs.disclosure.pk, party.pk]),
    ]
    for user in (outsider, reviewer):
        for url in urls:
            assert client_for(user).get(url).status_code == 404, (user, url)
    assert client_for(outsider).post(urls[0], NEW_OWNER).status_code == 404

    send(authorized_official, change)
    response = client_for(authorized_official).post(urls[0], {**NEW_OWNER, "first_name": "Otto"})
    assert response.status_code == 200
    assert (
        "This change request is waiting for the plan&#x27;s review and can no longer be changed."
        in response.content.decode()
    )
    assert not change.disclosure.parties.filter(first_name="Otto").exists()


def test_screening_the_provider_leaves_a_pending_changes_results_alone(active, authorized_official):
    change = ownership_draft(authorized_official, active)
    add_owner(authorized_official, change)
    send(authorized_official, change)
    pending = set(change.screening_results.filter(is_current=True).values_list("pk", flat=True))
    assert pending
    screen_entity(application=active, rescreen=True)
    still = set(change.screening_results.filter(is_current=True).values_list("pk", flat=True))
    assert still == pending


def test_withdrawing_a_change_leaves_the_record_and_its_screening_as_they_were(
    active, authorized_official
):
    change = ownership_draft(authorized_official, active)
    add_owner(authorized_official, change)
    send(authorized_official, change)
    response = client_for(authorized_official).post(detail_url(change), {"do": "withdraw"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == Status.WITHDRAWN
    assert not change.screening_results.filter(is_current=True).exists()
    assert not active.disclosure.parties.filter(last_name="Owner").exists()


def test_removing_an_officer_is_listed_and_a_manager_may_reveal_who_is_added(
    active, authorized_official, reviewer, manager
):
    # The record names its officer (set directly: the approved entity step is closed).
    DisclosedParty.objects.create(disclosure=active.disclosure, kind="person", **OFFICER)
    Disclosure.objects.filter(pk=active.disclosure.pk).update(
        none_officers=False, none_managing_employees=False
    )
    change = ownership_draft(authorized_official, active)
    officer = change.disclosure.parties.get(last_name=OFFICER["last_name"])
    client = client_for(authorized_official)
    response = client.post(
        reverse("disclosures:party_remove", args=[change.disclosure.pk, officer.pk])
    )
    assert response["Location"] == detail_url(change) + "#disclosure-heading"
    add_owner(authorized_official, change)
    page = client.get(detail_url(change)).content.decode()
    assert f"Removed: {OFFICER['first_name']} {OFFICER['last_name']}." in page
    assert active.disclosure.parties.get().last_name == OFFICER["last_name"]  # kept on record
    send(authorized_official, change)

    owner = change.disclosure.parties.get(last_name="Owner")
    reveal = reverse("disclosures:reveal", args=[active.pk, owner.pk])
    assert client_for(reviewer).get(reveal).status_code == 403
    response = client_for(manager).post(reveal, {"reason": "Confirm a match on the new owner."})
    assert response.status_code == 200
    assert "234-56-7890" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.IDENTIFIERS_REVEALED, object_id=str(owner.pk)
    ).exists()
