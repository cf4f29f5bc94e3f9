"""Change requests after approval: drafted by the team, sent by the official, reviewed in the
workbench, and applied to the record with their before and after."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from changes.flows import ChangeRequestFlow
from changes.models import ChangeRequest
from changes.services.requests import change_request_start, change_request_submit
from onboarding.exceptions import NotAllowed, OnboardingError
from onboarding.models import ApplicationEvent, CareTeamMember, Membership
from onboarding.steps.entity import current_licences
from providers.models import ComplianceIssue
from providers.services.status_changes import status_change_confirm, status_change_propose
from reviews.models import Deficiency, ReviewDecision, ReviewWork
from screening.models import ScreeningResult
from screening.services.exclusion_lists import exclusion_release_import
from tests.factories import PDF, pdf_upload
from tests.providers.test_credential_check import provider
from tests.screening.files import leie_file, leie_person

pytestmark = pytest.mark.django_db

Status = ChangeRequest.Status
IN_A_YEAR = timezone.localdate() + timedelta(days=365)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_url(application, kind):
    return reverse("changes:new", args=[application.pk, kind])


def detail_url(change):
    return reverse("changes:detail", args=[change.application_id, change.pk])


def add_person(**fields) -> dict:
    return {"action": "add", "role": "lead_care_manager", "full_name": "Robin Newlead", **fields}


def draft(user, application, kind, data, files=None) -> ChangeRequest:
    # As the browser sends it: the answers and the button pressed.
    response = client_for(user).post(
        new_url(application, kind), {**data, **(files or {}), "do": "save"}
    )
    assert response.status_code == 302, response.content.decode()
    return ChangeRequest.objects.latest("pk")


def send(official, change) -> None:
    response = client_for(official).post(detail_url(change), {"do": "submit"})
    assert response.status_code == 302


def review_task_of(change) -> Task:
    return Task.objects.filter(
        process_id=change.process.pk, flow_task=ChangeRequestFlow.review
    ).latest("pk")


def claim(reviewer, change) -> Task:
    task = review_task_of(change)
    response = client_for(reviewer).post(reverse("reviews:claim", args=[task.pk]))
    assert response.status_code == 302
    return task


def decide(reviewer, task, **data):
    return client_for(reviewer).post(reverse("changes:review", args=[task.pk]), data)


def test_a_preparer_drafts_the_official_sends_a_reviewer_approves_and_the_team_changes(
    active, authorized_official, preparer, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    change = draft(preparer, active, "care_team", add_person(email="robin@example.org"))
    assert change.status == Status.DRAFT
    assert change.summary == "Add Robin Newlead as Lead Care Manager"
    page = client_for(preparer).get(detail_url(change)).content.decode()
    assert "Your authorized official sends the request once it is ready." in page

    with pytest.raises(NotAllowed, match=r"Only the authorized official can send a change\."):
        change_request_submit(change_request=change, user=preparer)

    with django_capture_on_commit_callbacks(execute=True):
        send(authorized_official, change)
    change.refresh_from_db()
    assert change.status == Status.SUBMITTED
    assert change.revision == 1
    assert "change request CR-" in mailoutbox[-1].subject
    assert "received" in mailoutbox[-1].subject
    # The new person is screened before anyone can approve.
    assert change.screening_results.filter(is_current=True, outcome="clear").exists()
    # It is review work in the same workbench, with a due date.
    work = ReviewWork.objects.get(application=active, stage=ReviewDecision.Stage.CHANGE)
    assert work.is_open
    assert work.due_on > timezone.localdate()
    queue = client_for(reviewer).get(reverse("reviews:queue")).content.decode()
    assert "Change request" in queue

    task = claim(reviewer, change)
    redirect = client_for(reviewer).get(reverse("reviews:decide", args=[task.pk]))
    assert redirect["Location"] == reverse("changes:review", args=[task.pk])
    page = client_for(reviewer).get(reverse("changes:review", args=[task.pk])).content.decode()
    assert "Robin Newlead" in page
    assert "The care team after the change" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = decide(reviewer, task, approve_all="1", reason="")
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == Status.APPROVED
    assert change.decided_by == reviewer
    added = CareTeamMember.objects.get(application=active, full_name="Robin Newlead")
    assert change.before == {"member": None}
    assert (change.after or {})["member"]["full_name"] == "Robin Newlead"
    # The person's screening results are now the member's, and the history says who added them.
    assert change.screening_results.filter(care_team_member=added).exists()
    assert added.history.latest().history_user == reviewer
    assert "approved" in mailoutbox[-1].subject
    assert not ReviewWork.objects.get(task=task).is_open
    kinds = list(active.events.values_list("kind", flat=True))
    assert ApplicationEvent.Kind.CHANGE_APPLIED in kinds


def test_a_change_that_breaks_a_roster_rule_is_refused_saying_which_rule(
    active, authorized_official
):
    director = active.care_team.get(role="ecm_director")
    change = draft(
        authorized_official, active, "care_team", {"action": "remove", "member": director.pk}
    )
    page = client_for(authorized_official).get(detail_url(change)).content.decode()
    assert "Name exactly one ECM Director (you have 0)." in page  # shown while drafting

    response = client_for(authorized_official).post(
        detail_url(change), {"do": "submit"}, follow=True
    )
    assert "Name exactly one ECM Director (you have 0)." in response.content.decode()
    change.refresh_from_db()
    assert change.status == Status.DRAFT
    assert active.care_team.filter(pk=director.pk).exists()


def test_a_returned_item_goes_back_to_the_official_and_the_resubmission_is_reviewed_again(
    active, authorized_official, reviewer
):
    change = draft(authorized_official, active, "care_team", add_person())
    send(authorized_official, change)
    task = claim(reviewer, change)
    response = decide(
        reviewer,
        task,
        outcome="return",
        accept_remaining="on",
        **{
            "item-person-verdict": "return",
            "item-person-reason_code": "incomplete",
            "item-person-comment": "Give the person's work email.",
        },
    )
    assert response.status_code == 302, response.content.decode()
    change.refresh_from_db()
    assert change.status == Status.RETURNED
    deficiency = Deficiency.objects.get(change_request=change)
    assert (deficiency.requirement, deficiency.step) == ("person", None)
    page = client_for(authorized_official).get(detail_url(change)).content.decode()
    assert "Give the person&#x27;s work email." in page

    client_for(authorized_official).post(
        detail_url(change), {"do": "save", **add_person(email="robin@example.org")}
    )
    send(authorized_official, change)
    change.refresh_from_db()
    deficiency.refresh_from_db()
    assert change.status == Status.SUBMITTED
    assert change.revision == 2
    assert deficiency.resolved_at is not None
    assert review_task_of(change).status == "NEW"


def test_a_denial_needs_a_reason_and_changes_nothing(active, authorized_official, reviewer):
    change = draft(authorized_official, active, "care_team", add_person())
    send(authorized_official, change)
    task = claim(reviewer, change)
    page = decide(reviewer, task, outcome="deny", reason="").content.decode()
    assert "Give the reason for the denial; the provider will see it." in page
    decide(reviewer, task, outcome="deny", reason="We could not verify this person.")
    change.refresh_from_db()
    assert change.status == Status.DENIED
    assert not active.care_team.filter(full_name="Robin Newlead").exists()
    assert not change.screening_results.filter(is_current=True).exists()


def test_a_potential_match_on_the_new_person_blocks_approval_until_adjudicated(
    active, authorized_official, reviewer
):
    exclusion_release_import(
        source="leie", content=leie_file(leie_person("NEWLEAD", "ROBIN")), operator="test"
    )
    change = draft(authorized_official, active, "care_team", add_person())
    send(authorized_official, change)
    task = claim(reviewer, change)
    match = change.screening_results.get(outcome=ScreeningResult.Outcome.POTENTIAL_MATCH)
    page = decide(reviewer, task, outcome="approve", accept_remaining="on").content.decode()
    assert "This change cannot be approved until:" in page
    assert "Confirm or dismiss the potential match" in page
    change.refresh_from_db()
    assert change.status == Status.SUBMITTED

    response = client_for(reviewer).post(
        reverse("screening:adjudicate", args=[active.pk, match.pk]),
        {
            "adjudication": "dismissed",
            "note": "Different middle name and licence.",
            "task": task.pk,
        },
    )
    assert response.status_code == 302
    # Dismissing a match on a person not yet on the record proposes no suspension.
    assert not active.status_changes.exists()
    decide(reviewer, task, approve_all="1")
    change.refresh_from_db()
    assert change.status == Status.APPROVED


def test_contact_details_apply_at_once_and_are_recorded(active, authorized_official, preparer):
    profile = active.entity_profile
    before = {"contact_name": profile.contact_name, "contact_phone": profile.contact_phone}
    change = draft(
        preparer,
        active,
        "contact",
        {
            "contact_name": "Sam New",
            "contact_email": "sam@example.org",
            "contact_phone": "555-0100",
        },
    )
    assert not hasattr(change, "process") or change.process is None
    profile.refresh_from_db()
    assert profile.contact_name == before["contact_name"]  # a draft changes nothing

    send(authorized_official, change)
    change.refresh_from_db()
    profile.refresh_from_db()
    assert change.status == Status.APPLIED
    assert (profile.contact_name, profile.contact_phone) == ("Sam New", "555-0100")
    assert (change.before or {})["contact_name"] == before["contact_name"]
    assert (change.after or {})["contact_email"] == "sam@example.org"
    assert profile.history.latest().history_user == authorized_official


def test_capacity_and_locations_changes_apply_to_the_record(active, authorized_official, reviewer):
    served = active.entity_profile.county_codes
    change = draft(
        authorized_official, active, "locations",
        {"service_address": "1 New St, Fresno, CA 93721", "mailing_address": "",
         "counties": [*served, "fresno"]},
    )  # fmt: skip
    send(authorized_official, change)
    decide(reviewer, claim(reviewer, change), approve_all="1")
    active.entity_profile.refresh_from_db()
    assert "fresno" in active.entity_profile.county_codes
    assert active.entity_profile.service_address == "1 New St, Fresno, CA 93721"

    population = "1a"
    change = draft(
        authorized_official, active, "capacity",
        {"population": population, "county": "fresno", "member_capacity": "40",
         "years_experience": "6"},
    )  # fmt: skip
    send(authorized_official, change)
    decide(reviewer, claim(reviewer, change), approve_all="1")
    assert active.capacities.get(population=population, county="fresno").member_capacity == 40
    assert active.populations.get(population=population).years_experience == 6

    # A county with capacity cannot be dropped before its capacity is.
    change = draft(
        authorized_official, active, "locations",
        {"service_address": "1 New St, Fresno, CA 93721", "counties": served},
    )  # fmt: skip
    with pytest.raises(OnboardingError, match="You still give member capacity in Fresno"):
        change_request_submit(change_request=change, user=authorized_official)


def test_a_renewed_licence_fixes_the_compliance_issue_once_approved(
    active, authorized_official, reviewer
):
    consultant = active.care_team.get(role="clinical_consultant")
    ComplianceIssue.objects.create(
        application=active,
        rule="care_team",
        message="Add at least one ECM Clinical Consultant with an unexpired license.",
        found_on=timezone.localdate(),
    )
    renewed = timezone.localdate() + timedelta(days=730)
    change = draft(
        authorized_official,
        active,
        "care_team",
        {"action": "renew", "member": consultant.pk, "license_expires_on": renewed.isoformat()},
        files={"licence_copy": pdf_upload("renewed.pdf")},
    )
    assert change.document is not None
    assert change.document.expires_on == renewed
    send(authorized_official, change)
    decide(reviewer, claim(reviewer, change), approve_all="1")
    consultant.refresh_from_db()
    assert consultant.license_expires_on == renewed
    assert not ComplianceIssue.objects.filter(application=active, resolved_on__isnull=True).exists()


def test_hand_over_counts_only_once_the_new_official_accepts_and_the_plan_approves(
    active, authorized_official, preparer, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    change = draft(authorized_official, active, "official", {"nominee": preparer.membership.pk})
    with django_capture_on_commit_callbacks(execute=True):
        send(authorized_official, change)
    acceptance = next(m for m in mailoutbox if m.to == [preparer.email])
    change.refresh_from_db()
    link = reverse("changes:handover_accept", args=[change.acceptance_token])
    assert link in acceptance.body

    task = claim(reviewer, change)
    page = decide(reviewer, task, approve_all="1").content.decode()
    assert "has not accepted the role yet" in page

    assert client_for(authorized_official).get(link).status_code == 404  # not theirs
    client_for(preparer).post(link)
    decide(reviewer, task, approve_all="1")
    change.refresh_from_db()
    assert change.status == Status.APPROVED
    assert Membership.objects.get(user=preparer).role == Membership.Role.AUTHORIZED_OFFICIAL
    assert Membership.objects.get(user=authorized_official).role == Membership.Role.PREPARER
    assert active.organization.authorized_official == preparer


def test_a_suspended_provider_cannot_ask_and_its_open_requests_are_called_off(
    active, authorized_official, manager, manager2, django_capture_on_commit_callbacks
):
    change = draft(authorized_official, active, "care_team", add_person())
    send(authorized_official, change)
    with django_capture_on_commit_callbacks(execute=True):
        proposed = status_change_propose(
            application=active,
            user=manager,
            action="suspend",
            reason="Audit findings.",
            effective_on=timezone.localdate(),
        )
        status_change_confirm(status_change=proposed, user=manager2)
    change.refresh_from_db()
    assert change.status == Status.CALLED_OFF
    assert not ReviewWork.objects.filter(
        application=active, stage=ReviewDecision.Stage.CHANGE, is_open=True
    ).exists()
    active.refresh_from_db()
    with pytest.raises(OnboardingError, match="cannot ask for changes"):
        change_request_start(application=active, user=authorized_official, kind="contact",
                             proposal={"contact_name": "X"})  # fmt: skip
    page = client_for(authorized_official).get(reverse("changes:list", args=[active.pk]))
    assert "cannot ask for changes. Its history stays readable." in page.content.decode()


def test_the_record_and_the_staff_page_show_the_change_and_who_made_it(
    active, authorized_official, manager
):
    change = draft(
        authorized_official,
        active,
        "contact",
        {
            "contact_name": "Sam New",
            "contact_email": "sam@example.org",
            "contact_phone": "555-0100",
        },
    )
    send(authorized_official, change)
    record = client_for(authorized_official).get(reverse("providers:record", args=[active.pk]))
    page = record.content.decode()
    assert reverse("changes:list", args=[active.pk]) in page
    assert "changed entity profile" in page  # who changed what, from the profile's history
    staff = client_for(manager).get(reverse("reviews:application", args=[active.pk]))
    assert change.reference in staff.content.decode()
    detail = client_for(manager).get(detail_url(change)).content.decode()
    assert "Sam New" in detail  # the after
    assert "Save draft" not in detail  # staff read, they do not edit


def test_the_official_leaves_only_by_handing_over(active, authorized_official):
    from onboarding.services.organizations import membership_remove

    with pytest.raises(OnboardingError, match="cannot be removed from the team"):
        membership_remove(membership=authorized_official.membership, removed_by=authorized_official)
    page = client_for(authorized_official).get(reverse("onboarding:team")).content.decode()
    assert reverse("changes:new", args=[active.pk, "official"]) in page


def test_an_onboarding_review_task_is_not_a_change_request_page(active, reviewer):
    task = Task.objects.filter(process_id=active.process.pk, status="NEW").latest("pk")
    page = client_for(reviewer).get(reverse("changes:review", args=[task.pk]))
    assert page.status_code == 404


def test_the_organizations_renewed_licence_counts_only_once_approved(
    application, authorized_official, reviewer
):
    soon = timezone.localdate() + timedelta(days=10)
    active = provider(application, authorized_official, expires=IN_A_YEAR, clinic_licences=(soon,))
    evidence = active.documents.get(expires_on=soon).evidence_requirement
    assert evidence is not None
    renewed = timezone.localdate() + timedelta(days=800)
    change = draft(
        authorized_official,
        active,
        "licence",
        {"requirement": evidence.pk, "expires_on": renewed.isoformat()},
        files={"licence_copy": pdf_upload("clinic-renewed.pdf")},
    )
    assert change.summary.startswith(f"Renewed {evidence.title}, valid until")
    copy = change.document
    assert copy is not None
    assert copy.awaiting_approval
    # Not on the record while the plan reviews it: the licence in force is still the old one.
    record = client_for(authorized_official).get(reverse("providers:record", args=[active.pk]))
    assert "clinic-renewed.pdf" not in record.content.decode()
    assert [d.expires_on for d in current_licences(active.documents.all())] == [soon]

    send(authorized_official, change)
    decide(reviewer, claim(reviewer, change), approve_all="1")
    copy.refresh_from_db()
    assert not copy.awaiting_approval
    assert [d.expires_on for d in current_licences(active.documents.all())] == [renewed]
    change.refresh_from_db()
    assert change.before == {"licence": evidence.title, "expires_on": soon.isoformat()}


def test_a_refused_request_keeps_no_copy_and_a_copy_sent_again_replaces_the_first(
    active, authorized_official, manager, manager2, django_capture_on_commit_callbacks
):
    consultant = active.care_team.get(role="clinical_consultant")
    renewal = {
        "action": "renew",
        "member": consultant.pk,
        "license_expires_on": (timezone.localdate() + timedelta(days=700)).isoformat(),
    }
    change = draft(
        authorized_official, active, "care_team", renewal, files={"licence_copy": pdf_upload()}
    )
    first = change.document
    assert first is not None
    with django_capture_on_commit_callbacks(execute=True):
        client_for(authorized_official).post(
            detail_url(change),
            {**renewal, "do": "save", "licence_copy": pdf_upload("second.pdf", PDF + b"2")},
        )
    change.refresh_from_db()
    assert change.document is not None
    assert change.document.pk != first.pk
    assert not active.documents.filter(pk=first.pk).exists()
    assert not first.file.storage.exists(first.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        proposed = status_change_propose(
            application=active, user=manager, action="suspend", reason="Audit.",
            effective_on=timezone.localdate(),
        )  # fmt: skip
        status_change_confirm(status_change=proposed, user=manager2)
    before = active.documents.count()
    page = client_for(authorized_official).post(
        new_url(active, "care_team"),
        {**renewal, "do": "save", "licence_copy": pdf_upload("third.pdf", PDF + b"3")},
    )
    assert "cannot ask for changes" in page.content.decode()
    assert active.documents.count() == before


def test_the_record_shows_the_contacts_as_they_stood_on_an_earlier_day(
    application, authorized_official
):
    start = timezone.localdate() - timedelta(days=10)
    contact = {"contact_email": "c@example.org", "contact_phone": "555-0100"}
    with time_machine.travel(datetime.combine(start, time(12)).astimezone(), tick=False):
        active = provider(application, authorized_official, expires=IN_A_YEAR)
        send(authorized_official, draft(authorized_official, active, "contact",
                                        {**contact, "contact_name": "First Contact"}))  # fmt: skip
    with time_machine.travel(datetime.combine(start, time(12)).astimezone() + timedelta(days=5)):
        send(authorized_official, draft(authorized_official, active, "contact",
                                        {**contact, "contact_name": "Second Contact"}))  # fmt: skip
    record = reverse("providers:record", args=[active.pk])
    then = client_for(authorized_official).get(
        record, {"on": (start + timedelta(days=2)).isoformat()}
    )
    page = then.content.decode()
    on_that_day = page[page.index('id="entity-then"') :].split("</div>")[0]
    assert "First Contact" in on_that_day
    assert "Second Contact" not in on_that_day
    assert "Second Contact" in page  # the current profile is shown below, as it is now
    before = client_for(authorized_official).get(
        record, {"on": (start - timedelta(days=3)).isoformat()}
    )
    assert "this day is before it" in before.content.decode()


def test_the_review_page_reads_the_record_once_and_only_what_a_request_can_change(
    active, authorized_official, reviewer, django_capture_on_commit_callbacks
):
    change = draft(authorized_official, active, "care_team", add_person(email="robin@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        send(authorized_official, change)
    task = claim(reviewer, change)
    client = client_for(reviewer)
    url = reverse("changes:review", args=[task.pk])
    client.get(url)  # the session warmed, as a returning reviewer's is

    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)

    assert page.status_code == 200
    assert "Robin Newlead" in page.content.decode()
    tables = [query["sql"].split(" FROM ", 1)[1].split()[0] for query in captured]
    assert tables.count('"onboarding_application"') == 1, "the record is read once"
    assert tables.count('"onboarding_careteammember"') == 1
    assert tables.count('"onboarding_screeningresult"') == 1
    assert tables.count('"changes_changerequest"') == 1, "not read again after it was found"
    for whole_record_only in ['"documents_document"', '"onboarding_criterionattestation"']:
        assert whole_record_only not in tables
