"""The provider's side of a change request: draft, send, withdraw; and the hand-over's acceptance.

A preparer or the authorized official drafts; only the official sends. Sending a request the plan
reviews completes its ``prepare`` task through ``onboarding.transitions.transition`` (so the
workbench's queue has it at once); a contact-details change applies at once instead.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from changes import notifications
from changes.flows import ChangeRequestFlow
from changes.models import ChangeRequest
from changes.proposals import adds_person, describe, person_from, problems_of
from changes.services.apply import change_apply
from disclosures.copying import disclosure_copy
from disclosures.models import Disclosure
from documents.models import Document
from onboarding.exceptions import NotAllowed, OnboardingError, TaskUnavailable
from onboarding.models import Application, ApplicationEvent
from onboarding.nodes import OPEN_STATUSES
from onboarding.services.access import require_authorized_official, require_member
from onboarding.services.events import event_record
from onboarding.services.steps import assign_validated
from onboarding.transitions import Change, complete, transition
from portal.models import User
from recredentialing.models import Recredentialing
from reviews.models import Deficiency
from reviews.services.review_work import review_work_refresh
from screening.services.results import screen_disclosed_change, screen_proposed_person

Status = ChangeRequest.Status


class ChangeRefused(OnboardingError):
    """A change the record's rules do not allow; ``problems`` names each rule it would break."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join([_("This change cannot be sent as it stands."), *problems]))
        self.problems = problems


def _in_network(application: Application) -> None:
    if application.status not in Application.IN_NETWORK_STATUSES:
        raise OnboardingError(
            _("A provider that is %(status)s cannot ask for changes to its record.")
            % {"status": application.get_status_display().lower()}
        )
    # Its approval will make the record what the recredentialing says: a change approved
    # meanwhile would be lost, so changes go into the recredentialing instead.
    open_one = application.recredentialings.filter(outcome=Recredentialing.Outcome.OPEN).first()
    if open_one is not None:
        raise OnboardingError(
            _(
                "Your recredentialing (%(ref)s) is open: make this change in it, section by "
                "section, instead of asking for it here."
            )
            % {"ref": open_one.renewal.reference}
        )


def change_request_start(
    *, application: Application, user: User, kind: str, proposal: dict[str, Any]
) -> ChangeRequest:
    """Save a new draft; a request the plan reviews starts its flow, waiting for the official."""
    require_member(application.organization, user)
    _in_network(application)
    with transaction.atomic():
        change_request = ChangeRequest.objects.create(
            application=application, kind=kind, created_by=user
        )
        if kind == ChangeRequest.Kind.OWNERSHIP:  # edited from the disclosure as it is today
            disclosure_copy(application.disclosure, change_request=change_request)
        _store(change_request, proposal)
        if not change_request.applies_at_once:
            ChangeRequestFlow.start.run(change_request=change_request)
    return change_request


def change_request_save(
    *, change_request: ChangeRequest, user: User, proposal: dict[str, Any]
) -> ChangeRequest:
    """Save the draft (or the returned request) as it is now; the rules are checked on sending."""
    require_member(change_request.application.organization, user)
    with transaction.atomic():
        current = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if not current.is_editable:
            raise OnboardingError(
                _("This change request is %(status)s and can no longer be changed.")
                % {"status": current.get_status_display().lower()}
            )
        _store(current, proposal)
    return current


def _store(change_request: ChangeRequest, proposal: dict[str, Any]) -> None:
    proposal = dict(proposal)
    if change_request.kind == ChangeRequest.Kind.OWNERSHIP:
        answers = {name: proposal.pop(name) for name in Disclosure.NONE_FIELDS.values()}
        disclosure = Disclosure.objects.select_for_update().get(change_request=change_request)
        assign_validated(disclosure, answers, list(answers))
    nominee = proposal.pop("nominee", None)
    document = proposal.pop("document", None)
    if isinstance(nominee, User):
        change_request.nominee = nominee
        proposal["nominee_name"] = nominee.display_name
    replaced = None
    if isinstance(document, Document):
        replaced = change_request.document
        change_request.document = document
    change_request.proposal = proposal
    change_request.summary = describe(change_request)[:300]
    change_request.save()
    if replaced is not None:  # a copy sent again: the earlier one was never on the record
        stored = replaced.file
        replaced.delete()
        transaction.on_commit(lambda: stored.delete(save=False))


def prepare_task(change_request: ChangeRequest) -> Task | None:
    """The request's open ``prepare`` task (None for a request that applies at once)."""
    process_pk = _process_pk(change_request)
    if process_pk is None:
        return None
    return (
        Task.objects.filter(
            process_id=process_pk,
            flow_task=ChangeRequestFlow.prepare,
            status__in=OPEN_STATUSES,
        )
        .order_by("-pk")
        .first()
    )


def _process_pk(change_request: ChangeRequest) -> int | None:
    process = getattr(change_request, "process", None)
    return process.pk if process is not None else None


def _sendable(change_request: ChangeRequest, user: User) -> ChangeRequest:
    """The request re-read under its row lock, if the official may send it now."""
    application = change_request.application
    require_authorized_official(
        application.organization, user, _("Only the authorized official can send a change.")
    )
    current = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    if not current.is_editable:
        raise TaskUnavailable(_("This change request has already been sent."))
    _in_network(Application.objects.select_for_update().get(pk=application.pk))
    problems = problems_of(current)
    if problems:
        raise ChangeRefused(problems)
    return current


def change_request_submit(*, change_request: ChangeRequest, user: User) -> ChangeRequest:
    """The official sends the request: to the plan's reviewers, or applied at once if low-risk."""
    if change_request.applies_at_once:
        return _apply_at_once(change_request, user)
    task = prepare_task(change_request)
    if task is None:
        raise TaskUnavailable(_("This change request has already been sent."))

    def apply(change: Change) -> ChangeRequest:
        current = _sendable(change_request, user)
        current.status = Status.SUBMITTED
        current.revision += 1
        current.submitted_by = user
        current.submitted_at = timezone.now()
        current.first_submitted_at = current.first_submitted_at or current.submitted_at
        current.save()
        Deficiency.objects.filter(change_request=current, resolved_at__isnull=True).update(
            resolved_at=current.submitted_at
        )
        if adds_person(current):
            screen_proposed_person(
                change_request=current, person=person_from(current.proposal, current.application)
            )
        if current.kind == ChangeRequest.Kind.OWNERSHIP:
            screen_disclosed_change(change_request=current)
        event_record(
            application=change.application,
            kind=ApplicationEvent.Kind.CHANGE_SUBMITTED,
            actor=user,
            detail=f"{current.reference}: {current.summary}",
        )
        complete(change.task_activation)
        return current

    def notify(change: Change, current: ChangeRequest) -> None:
        notifications.change_request_received(current)
        if current.kind == ChangeRequest.Kind.OFFICIAL and current.accepted_at is None:
            notifications.handover_acceptance_asked(current)

    return transition(application=change_request.application, task=task, apply=apply, notify=notify)


def _apply_at_once(change_request: ChangeRequest, user: User) -> ChangeRequest:
    with transaction.atomic():
        current = _sendable(change_request, user)
        now = timezone.now()
        current.status = Status.APPLIED
        current.revision += 1
        current.submitted_by = current.decided_by = user
        current.submitted_at = current.first_submitted_at = current.decided_at = now
        change_apply(current, user)
        notifications.change_request_applied(current)
    return current


def _close(change_request: ChangeRequest, status: str, actor: User | None, why: str) -> None:
    """End an open request without a decision: its flow is cancelled and nothing is applied."""
    process_pk = _process_pk(change_request)
    lock = ChangeRequestFlow.lock(process_pk) if process_pk else transaction.atomic()
    with lock:
        current = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if not current.is_open:
            raise TaskUnavailable(
                _("This change request is already %(status)s.")
                % {"status": current.get_status_display().lower()}
            )
        if process_pk:
            ChangeRequestFlow.instance.withdraw(current.process)
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        current.screening_results.filter(care_team_member__isnull=True).update(is_current=False)
        event_record(
            application=current.application,
            kind=ApplicationEvent.Kind.CHANGE_CLOSED,
            actor=actor,
            detail=f"{current.reference}: {why}",
        )
        review_work_refresh(current.application)


def change_request_withdraw(*, change_request: ChangeRequest, user: User) -> None:
    """The official withdraws a request that is not decided yet (a preparer's draft too)."""
    require_authorized_official(
        change_request.application.organization,
        user,
        _("Only the authorized official can withdraw a change request."),
    )
    _close(change_request, Status.WITHDRAWN, user, _("withdrawn"))


def change_requests_call_off(application_id: int) -> int:
    """Call off every open request of a provider that has been suspended or terminated; how many.

    Run after the status change commits (each request takes its own flow lock, never nested in
    the provider's), and it re-reads: a request decided meanwhile is left as decided.
    """
    called_off = 0
    open_requests = ChangeRequest.objects.filter(
        application_id=application_id, status__in=ChangeRequest.OPEN_STATUSES
    ).select_related("application", "process")
    for change_request in open_requests:
        try:
            _close(change_request, Status.CALLED_OFF, None, _("the provider left the network"))
        except TaskUnavailable:
            continue
        notifications.change_request_called_off(change_request)
        called_off += 1
    return called_off


def handover_accept(*, change_request: ChangeRequest, user: User) -> ChangeRequest:
    """The person named as the new authorized official accepts the role (the emailed link)."""
    with transaction.atomic():
        current = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        if current.kind != ChangeRequest.Kind.OFFICIAL or current.nominee_id != user.pk:
            raise NotAllowed(_("This hand-over names someone else."))
        if current.status not in {Status.SUBMITTED, Status.RETURNED}:
            raise OnboardingError(
                _("This hand-over is %(status)s: there is nothing to accept.")
                % {"status": current.get_status_display().lower()}
            )
        if current.accepted_at is None:
            current.accepted_at = timezone.now()
            current.save(update_fields=["accepted_at", "updated_at"])
            event_record(
                application=current.application,
                kind=ApplicationEvent.Kind.HANDOVER_ACCEPTED,
                actor=user,
                detail=current.reference,
            )
    return current
