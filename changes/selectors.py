"""Scoped reads of change requests: a provider's own, and the plan staff's."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from changes.models import ChangeRequest
from onboarding.models import Application
from portal.models import User
from reviews.models import Deficiency, ReviewDecision


def record_for_change_review(application_id: int) -> Application:
    """The provider's record as a change request's review reads it: its one-to-one parts and
    the lists a request can change (care team, counties, populations and capacity), not the
    whole record the application page shows (steps, attestations, partners, documents)."""
    return get_object_or_404(
        Application.objects.select_related(
            "organization", "entity_profile", "capability_attestation", "disclosure"
        ).prefetch_related("care_team", "entity_profile__counties", "populations", "capacities"),
        pk=application_id,
    )


def change_requests_of(application: Application) -> QuerySet[ChangeRequest]:
    """Every request of the provider, newest first, with who made and decided it."""
    return application.change_requests.select_related(
        "created_by", "submitted_by", "decided_by", "nominee"
    )


def change_request_for_applicant(user: User, application: Application, pk: int) -> ChangeRequest:
    """One request of the user's own provider (``application`` is already scoped); else a 404."""
    return get_object_or_404(change_requests_of(application), pk=pk)


def change_request_for_staff(pk: int) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.select_related("application__organization", "nominee"), pk=pk
    )


def change_request_for_task(task_process_id: int) -> ChangeRequest:
    """The request whose review task is in this process; a 404 for any other task."""
    return get_object_or_404(
        ChangeRequest.objects.select_related("application"), process__pk=task_process_id
    )


def change_request_by_token(token: str) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.select_related("application__organization", "nominee"),
        kind=ChangeRequest.Kind.OFFICIAL,
        acceptance_token=token,
    )


def open_deficiencies_of(change_request: ChangeRequest) -> list[Deficiency]:
    return list(change_request.deficiencies.filter(resolved_at__isnull=True))


def decisions_on(change_request: ChangeRequest) -> list[ReviewDecision]:
    return list(
        change_request.decisions.select_related("reviewer").prefetch_related("deficiencies")
    )
