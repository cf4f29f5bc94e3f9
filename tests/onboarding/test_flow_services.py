"""Whole paths through the onboarding flow, driven through the services as the portal's pages do."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from documents.acknowledgements import packet_acknowledge
from documents.models import PacketDelivery, WelcomePacket
from documents.services import download_record
from onboarding.exceptions import NotAllowed, OnboardingError, StepIncomplete, TaskUnavailable
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationEvent, ApplicationStep, EntityProfile
from onboarding.reference import CareTeamRole
from onboarding.requirements import attestation_problems, data_sharing_problems
from onboarding.selectors import open_task
from onboarding.services.applications import application_start, application_withdraw
from onboarding.services.organizations import organization_create
from onboarding.services.steps import (
    Signature,
    attestations_save,
    care_team_member_save,
    data_sharing_save,
    entity_profile_save,
    step_submit,
)
from portal.models import User
from reviews.models import Deficiency, ReviewDecision
from reviews.services.decisions import DeficiencyItem, review_decide, task_claim, task_release
from screening.models import ScreeningResult
from tests.factories import (
    VALID_NPI,
    UserFactory,
    decide,
    fill_attestations_step,
    fill_data_sharing_step,
    fill_entity_step,
    review_task,
    signature_of,
    submit_data_sharing_step,
)

pytestmark = pytest.mark.django_db

Kind = ApplicationStep.Kind
StepStatus = ApplicationStep.Status
Status = Application.Status
Outcome = ReviewDecision.Outcome
SIGNATURE = Signature(full_name="Ana Official", title="Executive Director")
SUBJECT_PREFIX = "[ECM Provider Portal] "

# The moments that matter on an application's timeline (drafts and uploads left out).
MILESTONES = {
    ApplicationEvent.Kind.CREATED,
    ApplicationEvent.Kind.STEP_SUBMITTED,
    ApplicationEvent.Kind.SCREENED,
    ApplicationEvent.Kind.TASK_CLAIMED,
    ApplicationEvent.Kind.STEP_APPROVED,
    ApplicationEvent.Kind.STEP_RETURNED,
    ApplicationEvent.Kind.DENIED,
    ApplicationEvent.Kind.FINAL_APPROVED,
    ApplicationEvent.Kind.PACKET_DELIVERED,
    ApplicationEvent.Kind.PACKET_DOWNLOADED,
    ApplicationEvent.Kind.PACKET_ACKNOWLEDGED,
    ApplicationEvent.Kind.WITHDRAWN,
}


def fresh(application: Application) -> Application:
    """The application as the next request would read it."""
    return Application.objects.get(pk=application.pk)


def step_status(application: Application, kind: str) -> str:
    return ApplicationStep.objects.get(application=application, kind=kind).status


def milestones(application: Application) -> list[str]:
    kinds = application.events.order_by("pk").values_list("kind", flat=True)
    return [kind for kind in kinds if kind in MILESTONES]


def open_tasks(application: Application) -> list[Task]:
    return list(
        Task.objects.filter(
            process_id=application.process.pk, status__in=[STATUS.NEW, STATUS.ASSIGNED]
        )
    )


def open_nodes(application: Application) -> set[object]:
    return {task.flow_task for task in open_tasks(application)}


def submit_entity(application: Application, official: User) -> None:
    fill_entity_step(application, official)
    step_submit(
        application=application, kind=Kind.ENTITY, user=official, signature=signature_of(official)
    )


def approve_entity(application: Application, official: User, reviewer: User) -> None:
    submit_entity(application, official)
    decide(OnboardingFlow.review_entity, application, reviewer, Outcome.APPROVE)


def submit_parallel_steps(application: Application, official: User) -> None:
    fill_attestations_step(fresh(application), official)
    step_submit(
        application=fresh(application), kind=Kind.ATTESTATIONS, user=official, signature=SIGNATURE
    )
    fill_data_sharing_step(fresh(application), official)
    submit_data_sharing_step(fresh(application), official)


def approve_all_steps(application: Application, official: User, reviewer: User) -> None:
    """Take the application to the final-approval task, every step approved by ``reviewer``."""
    approve_entity(application, official, reviewer)
    submit_parallel_steps(application, official)
    decide(OnboardingFlow.review_attestations, application, reviewer, Outcome.APPROVE)
    decide(OnboardingFlow.review_data_sharing, application, reviewer, Outcome.APPROVE)


# The whole path --------------------------------------------------------------------------------


def test_application_goes_from_start_to_active_provider(
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
    official = authorized_official
    recipients = sorted([official.email, preparer.email])
    ref = application.reference
    assert application.status == Status.DRAFT
    assert open_nodes(application) == {OnboardingFlow.entity_profile}

    # The preparer fills the entity step in; the authorized official submits it.
    with django_capture_on_commit_callbacks(execute=True):
        fill_entity_step(application, preparer)
        step_submit(
            application=fresh(application),
            kind=Kind.ENTITY,
            user=official,
            signature=signature_of(official),
        )
    application = fresh(application)
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    screening = ScreeningResult.objects.get(application=application, check_name="npi_format")
    assert screening.outcome == ScreeningResult.Outcome.CLEAR
    assert screening.subject == f"Sunrise Community Services (CA, NPI {VALID_NPI})"
    assert screening.revision == 1
    assert [m.subject for m in mailoutbox] == [
        f"{SUBJECT_PREFIX}{ref}: Entity verification submitted"
    ]

    with django_capture_on_commit_callbacks(execute=True):
        decide(OnboardingFlow.review_entity, application, reviewer, Outcome.APPROVE)
    assert step_status(application, Kind.ENTITY) == StepStatus.APPROVED
    assert fresh(application).status == Status.IN_REVIEW
    assert "is now: In review" in mailoutbox[-1].body

    # Attestations and data sharing are both open at once.
    assert open_nodes(application) == {OnboardingFlow.attestations, OnboardingFlow.data_sharing}
    assert review_task(application, OnboardingFlow.attestations).owner == official
    assert review_task(application, OnboardingFlow.data_sharing).owner == official

    with django_capture_on_commit_callbacks(execute=True):
        submit_parallel_steps(application, official)
    attestation = fresh(application).capability_attestation
    assert attestation.signer_name == "Ana Official"
    assert attestation.signer_title == "Executive Director"
    assert attestation.signed_by == official
    assert attestation.signed_at is not None
    assert open_nodes(application) == {
        OnboardingFlow.review_attestations,
        OnboardingFlow.review_data_sharing,
    }

    with django_capture_on_commit_callbacks(execute=True):
        decide(OnboardingFlow.review_attestations, application, reviewer, Outcome.APPROVE)
        decide(OnboardingFlow.review_data_sharing, application, reviewer2, Outcome.APPROVE)
    assert step_status(application, Kind.ATTESTATIONS) == StepStatus.APPROVED
    assert step_status(application, Kind.DATA_SHARING) == StepStatus.APPROVED
    assert open_nodes(application) == {OnboardingFlow.final_approval}

    with django_capture_on_commit_callbacks(execute=True):
        final = decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    assert final.stage == ReviewDecision.Stage.FINAL
    application = fresh(application)
    assert application.status == Status.APPROVED
    assert application.decided_at is not None
    assert application.effective_date == timezone.localdate()
    delivery = PacketDelivery.objects.get(application=application)
    assert delivery.packet == welcome_packet
    assert delivery.acknowledged_at is None
    assert open_nodes(application) == {OnboardingFlow.acknowledge_packet}
    approval_email, packet_email = sorted(mailoutbox[-2:], key=lambda m: "welcome" in m.subject)
    assert approval_email.subject == f"{SUBJECT_PREFIX}{ref}: Application approved"
    assert "is now: Approved" in approval_email.body
    assert packet_email.subject == (
        f"{SUBJECT_PREFIX}{ref}: welcome to the L.A. Care Health Plan ECM network"
    )
    assert f"/documents/packets/{PacketDelivery.objects.get().pk}/" in packet_email.body

    # A member downloads the packet; the authorized official acknowledges it.
    item = welcome_packet.items.get()
    download_record(user=preparer, ip_address="203.0.113.5", delivery=delivery, packet_item=item)
    with django_capture_on_commit_callbacks(execute=True):
        packet_acknowledge(delivery=delivery, user=official)

    application = fresh(application)
    assert application.status == Status.ACTIVE
    assert application.process.status == PROCESS.DONE
    assert application.process.finished is not None
    assert open_tasks(application) == []
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == official
    assert delivery.acknowledged_at is not None
    assert "is now: Active" in mailoutbox[-1].body

    assert milestones(application) == [
        "created",
        "step_submitted", "screened", "task_claimed", "step_approved",
        "step_submitted", "screened", "step_submitted",
        "task_claimed", "step_approved", "task_claimed", "step_approved",
        "task_claimed", "final_approved", "packet_delivered",
        "packet_downloaded", "packet_acknowledged",
    ]  # fmt: skip
    submitted = application.events.filter(kind=ApplicationEvent.Kind.STEP_SUBMITTED)
    assert {event.actor for event in submitted} == {official}

    # Three submissions, the first claim (submitted to in review), four decisions, the packet and
    # the activation: each told to both people. Later claims leave the status in review.
    assert len(mailoutbox) == 10
    assert all(sorted(message.to) == recipients for message in mailoutbox)
    assert all(message.subject.startswith(f"{SUBJECT_PREFIX}{ref}: ") for message in mailoutbox)


def test_decision_email_names_the_step_and_the_outcome(
    application, authorized_official, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    submit_entity(application, authorized_official)
    with django_capture_on_commit_callbacks(execute=True):
        decide(OnboardingFlow.review_entity, application, reviewer, Outcome.APPROVE)

    message = mailoutbox[-1]
    assert message.subject == (
        f"{SUBJECT_PREFIX}{application.reference}: Entity verification approved"
    )
    assert message.to == [authorized_official.email]
    assert '"Entity verification": Approve' in message.body


# Return for correction -------------------------------------------------------------------------


def test_returned_step_goes_back_to_the_applicant_with_itemised_deficiencies(
    application, authorized_official, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    official = authorized_official
    submit_entity(application, official)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(
            OnboardingFlow.review_entity, application, reviewer, Outcome.RETURN,
            deficiencies=[
                DeficiencyItem(
                    requirement="npi", reason="NPI does not match NPPES",
                    comment="NPPES lists a different organization for this NPI.",
                )
            ],
        )  # fmt: skip

    assert step_status(application, Kind.ENTITY) == StepStatus.RETURNED
    assert fresh(application).status == Status.RETURNED
    deficiency = Deficiency.objects.get(decision=decision)
    assert deficiency.requirement == "npi"
    assert deficiency.step == application.step(Kind.ENTITY)
    assert deficiency.due_on == timezone.localdate() + timedelta(
        days=settings.RETURN_FOR_CORRECTION_DAYS
    )
    assert deficiency.is_open
    assert open_nodes(application) == {OnboardingFlow.entity_profile}
    assert "NPI does not match NPPES" in mailoutbox[-1].body
    assert "is now: Returned for correction" in mailoutbox[-1].body

    # The applicant corrects the NPI and submits again.
    entity_profile_save(application=fresh(application), user=official, data={"npi": "1245319599"})
    step = step_submit(
        application=fresh(application),
        kind=Kind.ENTITY,
        user=official,
        signature=signature_of(official),
    )

    assert step.status == StepStatus.SUBMITTED
    assert step.revision == 2
    deficiency.refresh_from_db()
    assert deficiency.resolved_at is not None
    assert fresh(application).status == Status.SUBMITTED
    review_tasks = Task.objects.filter(
        process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
    )
    assert review_tasks.count() == 2
    assert review_tasks.filter(status=STATUS.NEW).count() == 1
    latest = ScreeningResult.objects.filter(application=application).order_by("-pk").first()
    assert latest is not None
    assert latest.revision == 2
    assert latest.subject == "Sunrise Community Services (CA, NPI 1245319599)"


def test_returning_a_step_needs_at_least_one_deficiency(application, authorized_official, reviewer):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)

    with pytest.raises(OnboardingError, match="at least one deficiency"):
        review_decide(task=task, user=reviewer, outcome=Outcome.RETURN)

    assert step_status(application, Kind.ENTITY) == StepStatus.SUBMITTED
    assert not ReviewDecision.objects.exists()


# Denial ----------------------------------------------------------------------------------------


def test_denial_needs_a_reason(application, authorized_official, reviewer):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)

    with pytest.raises(OnboardingError, match="reason"):
        review_decide(task=task, user=reviewer, outcome=Outcome.DENY, reason="   ")

    assert fresh(application).status != Status.DENIED
    assert not ReviewDecision.objects.exists()


def test_denial_at_entity_review_ends_the_application(
    application, authorized_official, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    submit_entity(application, authorized_official)
    with django_capture_on_commit_callbacks(execute=True):
        decide(
            OnboardingFlow.review_entity, application, reviewer, Outcome.DENY,
            reason="The organization is on the state exclusion list.",
        )  # fmt: skip

    application = fresh(application)
    assert application.status == Status.DENIED
    assert application.decision_reason == "The organization is on the state exclusion list."
    assert application.decided_at is not None
    assert step_status(application, Kind.ENTITY) == StepStatus.DENIED
    assert step_status(application, Kind.ATTESTATIONS) == StepStatus.CLOSED
    assert step_status(application, Kind.DATA_SHARING) == StepStatus.CLOSED
    assert application.process.status == PROCESS.DONE
    assert application.process.finished is not None
    assert open_tasks(application) == []
    assert milestones(application)[-1] == ApplicationEvent.Kind.DENIED
    assert "exclusion list" in mailoutbox[-1].body
    assert "appeal" in mailoutbox[-1].body


def test_denying_attestations_cancels_the_open_data_sharing_step(
    application, authorized_official, reviewer
):
    official = authorized_official
    approve_entity(application, official, reviewer)
    fill_attestations_step(fresh(application), official)
    step_submit(
        application=fresh(application), kind=Kind.ATTESTATIONS, user=official, signature=SIGNATURE
    )
    data_sharing_task = review_task(application, OnboardingFlow.data_sharing)

    decide(
        OnboardingFlow.review_attestations, application, reviewer, Outcome.DENY,
        reason="No licensed clinical consultant could be verified.",
    )  # fmt: skip

    application = fresh(application)
    assert application.status == Status.DENIED
    assert application.process.status == PROCESS.DONE
    assert open_tasks(application) == []
    data_sharing_task.refresh_from_db()
    assert data_sharing_task.status == STATUS.CANCELED
    assert step_status(application, Kind.DATA_SHARING) == StepStatus.CLOSED
    with pytest.raises(OnboardingError, match="closed"):
        fill_data_sharing_step(application, official)


def test_denying_data_sharing_after_attestations_were_approved_ends_the_application(
    application, authorized_official, reviewer
):
    official = authorized_official
    approve_entity(application, official, reviewer)
    submit_parallel_steps(application, official)
    decide(OnboardingFlow.review_attestations, application, reviewer, Outcome.APPROVE)

    decide(
        OnboardingFlow.review_data_sharing, application, reviewer, Outcome.DENY,
        reason="The organization cannot exchange data securely.",
    )  # fmt: skip

    application = fresh(application)
    assert application.status == Status.DENIED
    assert application.process.status == PROCESS.DONE
    assert open_tasks(application) == []
    assert not Task.objects.filter(
        process_id=application.process.pk, flow_task=OnboardingFlow.final_approval
    ).exists()


# Withdrawal ------------------------------------------------------------------------------------


def test_authorized_official_can_withdraw_before_final_approval(
    application, authorized_official, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    approve_entity(application, authorized_official, reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        application_withdraw(
            application=fresh(application), user=authorized_official, reason="  Merging.  "
        )

    application = fresh(application)
    assert application.status == Status.WITHDRAWN
    assert application.decision_reason == "Merging."
    assert application.process.status == PROCESS.CANCELED
    assert open_tasks(application) == []
    assert step_status(application, Kind.ENTITY) == StepStatus.APPROVED
    assert step_status(application, Kind.ATTESTATIONS) == StepStatus.CLOSED
    assert milestones(application)[-1] == ApplicationEvent.Kind.WITHDRAWN
    assert "is now: Withdrawn" in mailoutbox[-1].body


def test_withdrawal_while_one_parallel_step_waits_at_the_join(
    application, authorized_official, reviewer
):
    approve_entity(application, authorized_official, reviewer)
    submit_parallel_steps(application, authorized_official)
    decide(OnboardingFlow.review_data_sharing, application, reviewer, Outcome.APPROVE)

    application_withdraw(application=fresh(application), user=authorized_official)

    application = fresh(application)
    assert application.status == Status.WITHDRAWN
    assert application.process.status == PROCESS.CANCELED
    assert open_tasks(application) == []


def test_preparer_cannot_withdraw(application, preparer):
    with pytest.raises(NotAllowed):
        application_withdraw(application=application, user=preparer)

    application = fresh(application)
    assert application.status == Status.DRAFT
    assert application.process.status == PROCESS.NEW


def test_approved_application_cannot_be_withdrawn(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)

    with pytest.raises(OnboardingError, match="approved"):
        application_withdraw(application=fresh(application), user=authorized_official)

    application = fresh(application)
    assert application.status == Status.APPROVED
    assert open_nodes(application) == {OnboardingFlow.acknowledge_packet}


# Submitting ------------------------------------------------------------------------------------


def test_only_the_authorized_official_can_submit_a_step(application, preparer):
    fill_entity_step(application, preparer)

    with pytest.raises(NotAllowed, match="authorized official"):
        step_submit(
            application=fresh(application),
            kind=Kind.ENTITY,
            user=preparer,
            signature=signature_of(preparer),
        )

    assert step_status(application, Kind.ENTITY) == StepStatus.DRAFT
    profile = EntityProfile.objects.get(application=application)
    assert profile.npi == VALID_NPI
    assert profile.county_codes == ["los_angeles"]
    assert application.documents.count() == 1
    assert open_nodes(application) == {OnboardingFlow.entity_profile}


def test_attestations_cannot_be_submitted_before_entity_approval(application, authorized_official):
    fill_attestations_step(application, authorized_official)

    with pytest.raises(OnboardingError, match="entity verification is approved"):
        step_submit(
            application=fresh(application), kind=Kind.ATTESTATIONS, user=authorized_official,
            signature=SIGNATURE,
        )  # fmt: skip

    assert step_status(application, Kind.ATTESTATIONS) == StepStatus.DRAFT
    application = fresh(application)
    assert application.criterion_attestations.filter(attested=True).count() == 7
    assert application.care_team.count() == 3
    assert application.capacities.count() == 1
    assert application.capability_attestation.signed_at is None


def test_attestations_need_a_signature(application, authorized_official, reviewer):
    approve_entity(application, authorized_official, reviewer)
    fill_attestations_step(fresh(application), authorized_official)

    with pytest.raises(StepIncomplete) as error:
        step_submit(
            application=fresh(application), kind=Kind.ATTESTATIONS, user=authorized_official,
            signature=Signature(full_name="Ana Official", title=" "),
        )  # fmt: skip

    assert [problem.field for problem in error.value.problems] == ["signature"]
    assert step_status(application, Kind.ATTESTATIONS) == StepStatus.DRAFT


def test_incomplete_step_is_refused_with_its_problems(application, authorized_official):
    fill_entity_step(application, authorized_official, upload_evidence=False, npi="")

    with pytest.raises(StepIncomplete) as error:
        step_submit(
            application=fresh(application),
            kind=Kind.ENTITY,
            user=authorized_official,
            signature=signature_of(authorized_official),
        )

    problems = {problem.field: problem.message for problem in error.value.problems}
    assert problems["npi"] == "Enter the organization's NPI."
    assert problems["evidence"] == "Upload: HRSA grant award or look-alike designation."
    assert step_status(application, Kind.ENTITY) == StepStatus.DRAFT
    assert open_nodes(application) == {OnboardingFlow.entity_profile}


def test_step_with_a_wrong_npi_check_digit_is_refused(application, authorized_official):
    fill_entity_step(application, authorized_official, npi="1234567890")

    with pytest.raises(StepIncomplete) as error:
        step_submit(
            application=fresh(application),
            kind=Kind.ENTITY,
            user=authorized_official,
            signature=signature_of(authorized_official),
        )

    assert [problem.field for problem in error.value.problems] == ["npi"]


def test_submitting_twice_creates_one_review(application, authorized_official):
    fill_entity_step(application, authorized_official)
    step_submit(
        application=fresh(application),
        kind=Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )

    with pytest.raises(OnboardingError):
        step_submit(
            application=fresh(application),
            kind=Kind.ENTITY,
            user=authorized_official,
            signature=signature_of(authorized_official),
        )

    step = ApplicationStep.objects.get(application=application, kind=Kind.ENTITY)
    assert step.revision == 1
    assert (
        Task.objects.filter(
            process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
        ).count()
        == 1
    )
    assert application.events.filter(kind=ApplicationEvent.Kind.STEP_SUBMITTED).count() == 1


def test_submitting_with_a_stale_copy_of_the_application_creates_one_review(
    application, authorized_official
):
    """Two requests read the application before either submits (a double click)."""
    fill_entity_step(application, authorized_official)
    first, second = fresh(application), fresh(application)
    step_submit(
        application=first,
        kind=Kind.ENTITY,
        user=authorized_official,
        signature=signature_of(authorized_official),
    )

    with pytest.raises(OnboardingError):
        step_submit(
            application=second,
            kind=Kind.ENTITY,
            user=authorized_official,
            signature=signature_of(authorized_official),
        )

    assert (
        Task.objects.filter(
            process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
        ).count()
        == 1
    )


# Reviewing -------------------------------------------------------------------------------------


def test_reviewer_cannot_decide_a_task_claimed_by_someone_else(
    application, authorized_official, reviewer, reviewer2
):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)

    with pytest.raises(NotAllowed):
        review_decide(task=task, user=reviewer2, outcome=Outcome.APPROVE)

    assert step_status(application, Kind.ENTITY) == StepStatus.SUBMITTED
    assert not ReviewDecision.objects.exists()


def test_reviewer_cannot_claim_a_task_already_claimed(
    application, authorized_official, reviewer, reviewer2
):
    submit_entity(application, authorized_official)
    task = review_task(application, OnboardingFlow.review_entity)
    task_claim(task=task, user=reviewer)

    with pytest.raises(TaskUnavailable):
        task_claim(task=task, user=reviewer2)

    task.refresh_from_db()
    assert task.owner == reviewer
    assert fresh(application).status == Status.IN_REVIEW


def test_reviewer_must_claim_before_deciding(application, authorized_official, reviewer):
    submit_entity(application, authorized_official)

    with pytest.raises(NotAllowed, match="Claim"):
        review_decide(
            task=review_task(application, OnboardingFlow.review_entity), user=reviewer,
            outcome=Outcome.APPROVE,
        )  # fmt: skip


def test_reviewer_cannot_claim_final_approval(
    application, authorized_official, reviewer, reviewer2, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)

    with pytest.raises(NotAllowed):
        task_claim(task=review_task(application, OnboardingFlow.final_approval), user=reviewer2)


def test_applicant_cannot_claim_a_review(application, authorized_official):
    submit_entity(application, authorized_official)

    with pytest.raises(NotAllowed):
        task_claim(
            task=review_task(application, OnboardingFlow.review_entity), user=authorized_official
        )


def test_network_manager_who_reviewed_a_step_cannot_claim_final_approval(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_entity(application, authorized_official, reviewer)
    submit_parallel_steps(application, authorized_official)
    decide(OnboardingFlow.review_attestations, application, manager, Outcome.APPROVE)
    decide(OnboardingFlow.review_data_sharing, application, reviewer, Outcome.APPROVE)
    task = review_task(application, OnboardingFlow.final_approval)

    with pytest.raises(NotAllowed, match="another network manager"):
        task_claim(task=task, user=manager)

    task.refresh_from_db()
    assert task.owner is None


def test_network_manager_who_reviewed_a_step_cannot_decide_final_approval(
    application, authorized_official, reviewer, manager, manager2, welcome_packet
):
    approve_entity(application, authorized_official, manager)
    submit_parallel_steps(application, authorized_official)
    decide(OnboardingFlow.review_attestations, application, reviewer, Outcome.APPROVE)
    decide(OnboardingFlow.review_data_sharing, application, reviewer, Outcome.APPROVE)
    task = task_claim(task=review_task(application, OnboardingFlow.final_approval), user=manager2)

    with pytest.raises(NotAllowed, match="another network manager"):
        review_decide(task=task, user=manager, outcome=Outcome.APPROVE)

    assert fresh(application).status == Status.IN_REVIEW
    assert not PacketDelivery.objects.exists()
    decide_final = review_decide(task=task, user=manager2, outcome=Outcome.APPROVE)
    assert decide_final.reviewer == manager2


def test_final_approval_is_refused_without_a_published_welcome_packet(
    application, authorized_official, reviewer, manager
):
    approve_all_steps(application, authorized_official, reviewer)
    task = task_claim(task=review_task(application, OnboardingFlow.final_approval), user=manager)

    with pytest.raises(OnboardingError, match="No welcome packet"):
        review_decide(task=task, user=manager, outcome=Outcome.APPROVE)

    assert fresh(application).status == Status.IN_REVIEW
    assert not PacketDelivery.objects.exists()
    assert open_nodes(application) == {OnboardingFlow.final_approval}


def test_final_approval_is_refused_when_only_an_unpublished_packet_exists(
    application, authorized_official, reviewer, manager, welcome_packet
):
    WelcomePacket.objects.update(is_current=False)
    approve_all_steps(application, authorized_official, reviewer)
    task = task_claim(task=review_task(application, OnboardingFlow.final_approval), user=manager)

    with pytest.raises(OnboardingError, match="No welcome packet"):
        review_decide(task=task, user=manager, outcome=Outcome.APPROVE)


def test_final_approval_cannot_return_for_correction(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    task = task_claim(task=review_task(application, OnboardingFlow.final_approval), user=manager)

    with pytest.raises(OnboardingError, match="only approve or deny"):
        review_decide(
            task=task, user=manager, outcome=Outcome.RETURN,
            deficiencies=[DeficiencyItem(requirement="general", reason="Not sure")],
        )  # fmt: skip


def test_final_denial_ends_the_application(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)

    decide(
        OnboardingFlow.final_approval, application, manager, Outcome.DENY,
        reason="The network is at capacity in this county.",
    )  # fmt: skip

    application = fresh(application)
    assert application.status == Status.DENIED
    assert application.process.status == PROCESS.DONE
    assert not PacketDelivery.objects.exists()
    assert open_tasks(application) == []


# Acknowledging the packet ----------------------------------------------------------------------


def test_packet_must_be_downloaded_before_it_is_acknowledged(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    delivery = PacketDelivery.objects.get(application=application)

    with pytest.raises(OnboardingError, match="download"):
        packet_acknowledge(delivery=delivery, user=authorized_official)

    assert fresh(application).status == Status.APPROVED
    assert open_task(application, OnboardingFlow.acknowledge_packet) is not None


def test_packet_download_by_plan_staff_does_not_count_for_acknowledgement(
    application, authorized_official, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    delivery = PacketDelivery.objects.get(application=application)
    download_record(
        user=manager, ip_address=None, delivery=delivery, packet_item=welcome_packet.items.get()
    )

    with pytest.raises(OnboardingError, match="download"):
        packet_acknowledge(delivery=delivery, user=authorized_official)


def test_packet_is_acknowledged_once(
    application, authorized_official, preparer, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    delivery = PacketDelivery.objects.get(application=application)
    download_record(
        user=preparer, ip_address=None, delivery=delivery, packet_item=welcome_packet.items.get()
    )
    packet_acknowledge(delivery=delivery, user=authorized_official)

    with pytest.raises(OnboardingError, match="already been acknowledged"):
        packet_acknowledge(delivery=PacketDelivery.objects.get(pk=delivery.pk), user=preparer)

    assert application.events.filter(kind=ApplicationEvent.Kind.PACKET_ACKNOWLEDGED).count() == 1


# Parallel steps, claims and people outside the organization -------------------------------------


def test_returned_parallel_step_rejoins_and_reaches_one_final_approval(
    application, authorized_official, reviewer, manager, welcome_packet
):
    official = authorized_official
    approve_entity(application, official, reviewer)
    submit_parallel_steps(application, official)
    decide(OnboardingFlow.review_data_sharing, application, reviewer, Outcome.APPROVE)
    decide(
        OnboardingFlow.review_attestations, application, reviewer, Outcome.RETURN,
        deficiencies=[DeficiencyItem(requirement="care_team", reason="Director not named")],
    )  # fmt: skip
    assert fresh(application).status == Status.RETURNED
    assert open_nodes(application) == {OnboardingFlow.attestations}
    assert fresh(application).capability_attestation.signed_at is not None

    attestations_save(  # any change to signed content voids the signature
        application=fresh(application), user=official, criteria={},
        languages_offered="English, Spanish, Korean",
    )  # fmt: skip
    assert fresh(application).capability_attestation.signed_at is None
    step = step_submit(
        application=fresh(application), kind=Kind.ATTESTATIONS, user=official, signature=SIGNATURE
    )
    assert step.revision == 2
    decide(OnboardingFlow.review_attestations, application, reviewer, Outcome.APPROVE)

    final_tasks = Task.objects.filter(
        process_id=application.process.pk, flow_task=OnboardingFlow.final_approval
    )
    assert final_tasks.count() == 1
    assert open_nodes(application) == {OnboardingFlow.final_approval}
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    assert fresh(application).status == Status.APPROVED


def test_withdrawal_while_a_review_is_claimed(application, authorized_official, reviewer):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)

    application_withdraw(application=fresh(application), user=authorized_official)

    task.refresh_from_db()
    assert task.status == STATUS.CANCELED
    assert fresh(application).process.status == PROCESS.CANCELED
    with pytest.raises(OnboardingError):
        review_decide(task=task, user=reviewer, outcome=Outcome.APPROVE)
    assert not ReviewDecision.objects.exists()


def test_released_review_goes_back_to_the_queue(
    application, authorized_official, reviewer, reviewer2
):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)
    assert fresh(application).status == Status.IN_REVIEW

    with pytest.raises(NotAllowed):
        task_release(task=task, user=reviewer2)
    task_release(task=task, user=reviewer)

    task.refresh_from_db()
    assert task.owner is None
    assert fresh(application).status == Status.SUBMITTED
    task_claim(task=task, user=reviewer2)
    task.refresh_from_db()
    assert task.owner == reviewer2


def test_member_of_another_organization_cannot_touch_the_application(application, reviewer):
    outsider = UserFactory.create()
    organization_create(user=outsider, legal_name="Other Org")
    outsider = User.objects.get(pk=outsider.pk)

    with pytest.raises(NotAllowed):
        entity_profile_save(application=application, user=outsider, data={"npi": VALID_NPI})
    with pytest.raises(NotAllowed):
        step_submit(
            application=application,
            kind=Kind.ENTITY,
            user=outsider,
            signature=signature_of(outsider),
        )
    with pytest.raises(NotAllowed):
        application_withdraw(application=application, user=outsider)

    assert EntityProfile.objects.get(application=application).npi == ""


def test_new_application_can_start_only_once_the_previous_one_is_closed(
    application, authorized_official, organization
):
    with pytest.raises(OnboardingError, match=application.reference):
        application_start(organization=organization, user=authorized_official)

    application_withdraw(application=application, user=authorized_official)
    second = application_start(organization=organization, user=authorized_official)

    assert second.status == Status.DRAFT
    assert open_nodes(second) == {OnboardingFlow.entity_profile}


def test_plan_staff_cannot_apply_for_an_organization(reviewer):
    with pytest.raises(NotAllowed):
        organization_create(user=reviewer, legal_name="Reviewer's Own Org")


def test_attestation_problems_name_each_missing_item(application, authorized_official):
    attestations_save(
        application=application, user=authorized_official, languages_offered="English",
        criteria={1: {"attested": True, "narrative": "Too short."}},
    )  # fmt: skip
    expired = timezone.localdate() - timedelta(days=1)
    for name in ("Dana Director", "Dan Director"):
        care_team_member_save(
            application=application, user=authorized_official,
            data={"role": CareTeamRole.ECM_DIRECTOR, "full_name": name},
        )  # fmt: skip
    care_team_member_save(
        application=application, user=authorized_official,
        data={"role": CareTeamRole.CLINICAL_CONSULTANT, "full_name": "Casey Clinician",
              "license_number": "LCS1", "license_expires_on": expired},
    )  # fmt: skip

    messages = [problem.message for problem in attestation_problems(fresh(application))]

    assert "Describe how you meet criterion 1 in at least 50 characters." in messages
    assert all(f"Attest to criterion {n}." in messages for n in range(2, 8))
    assert "Add at least one Lead Care Manager." in messages
    assert "Name exactly one ECM Director (you have 2)." in messages
    assert "Add at least one ECM Clinical Consultant with an unexpired license." in messages
    assert "Choose at least one population of focus that you serve." in messages


def test_data_sharing_signed_agreement_needs_its_date(application, authorized_official):
    fill_entity_step(application, authorized_official)
    fill_data_sharing_step(application, authorized_official)
    data_sharing_save(
        application=fresh(application), user=authorized_official, data={"dxf_signed_on": None}
    )

    problems = data_sharing_problems(fresh(application))

    assert [problem.field for problem in problems] == ["dxf_signed_on"]


def test_a_review_is_decided_once(application, authorized_official, reviewer):
    submit_entity(application, authorized_official)
    task = task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)
    review_decide(task=task, user=reviewer, outcome=Outcome.APPROVE)

    with pytest.raises(TaskUnavailable):
        review_decide(task=task, user=reviewer, outcome=Outcome.DENY, reason="Changed my mind.")

    assert ReviewDecision.objects.get().outcome == Outcome.APPROVE
    assert fresh(application).status == Status.IN_REVIEW


def test_saving_the_same_county_twice_keeps_it_once(application, authorized_official):
    entity_profile_save(
        application=application, user=authorized_official,
        data={"counties": ["los_angeles", "los_angeles", "orange"]},
    )  # fmt: skip

    assert EntityProfile.objects.get(application=application).county_codes == [
        "los_angeles",
        "orange",
    ]


def test_only_members_can_acknowledge_the_packet(
    application, authorized_official, preparer, reviewer, manager, welcome_packet
):
    approve_all_steps(application, authorized_official, reviewer)
    decide(OnboardingFlow.final_approval, application, manager, Outcome.APPROVE)
    delivery = PacketDelivery.objects.get(application=application)
    download_record(
        user=preparer, ip_address=None, delivery=delivery, packet_item=welcome_packet.items.get()
    )

    with pytest.raises(NotAllowed):
        packet_acknowledge(delivery=delivery, user=manager)

    assert fresh(application).status == Status.APPROVED
