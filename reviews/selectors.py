"""Reads of review work, decisions, internal notes and exports, for the workbench and the
applicant."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Min, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from onboarding.models import Application
from portal.models import User
from reviews.models import Deficiency, Export, InternalNote, ReviewDecision, ReviewWork
from reviews.queues import staff_reviewers

Stage = ReviewDecision.Stage


def reviewed_steps_of(application: Application, user: User) -> bool:
    """True if ``user`` decided any step review of this application."""
    return application.decisions.filter(reviewer=user).exclude(stage=Stage.FINAL).exists()


def open_review_work(application: Application) -> list[ReviewWork]:
    """The application's open reviews with who holds them and when they are due."""
    return list(
        ReviewWork.objects.filter(application=application, is_open=True)
        .select_related("owner")
        .order_by("due_on", "task_id")
    )


def applications_awaiting_review() -> QuerySet[Application]:
    """Applications with a review open: a step's, the final approval's or a change request's."""
    return Application.objects.filter(
        pk__in=ReviewWork.objects.filter(is_open=True).values("application")
    )


def applications_due_for_review(limit: int) -> list[int]:
    """The ids of applications with a review open, the one due soonest first (each once), at
    most ``limit``."""
    due = (
        ReviewWork.objects.filter(is_open=True)
        .values("application_id")
        .annotate(due=Min("due_on"))
        .order_by("due", "application_id")
    )
    return [row["application_id"] for row in due[:limit]]


def decisions_of(application: Application) -> list[ReviewDecision]:
    """Every decision on the application, newest first, with who made it and, read once for
    all of them, the items each returned and accepted. (A decision returns the items of one
    step: ordered by their own columns, they are read without joining the steps.)"""
    returned = Deficiency.objects.order_by("step_id", "requirement", "pk")
    return list(
        application.decisions.select_related("reviewer").prefetch_related(
            Prefetch("deficiencies", queryset=returned), "accepted_items"
        )
    )


def decisions_with_reasons(application: Application) -> QuerySet[ReviewDecision]:
    """The decisions that give the applicant a reason, newest first."""
    return application.decisions.exclude(reason="").order_by("-decided_at")


def internal_notes_of(application: Application) -> list[InternalNote]:
    """Plan staff's notes on the application, with their authors."""
    return list(application.internal_notes.select_related("author"))


def reassignment_reviewer(pk: str) -> User | None:
    """The reviewer a review may be handed to, from the id a form posted (None if it names no
    one who may hold a review)."""
    return staff_reviewers().filter(pk=pk).first() if pk.isdigit() else None


# How many of a manager's exports their page lists, newest first.
EXPORTS_SHOWN = 20


def exports_of(user: User) -> QuerySet[Export]:
    """The exports ``user`` asked for that are not expired yet, newest first: another manager's
    exports are never theirs to see."""
    cutoff = timezone.now() - timedelta(days=settings.EXPORT_RETENTION_DAYS)
    return Export.objects.filter(requested_by=user, requested_at__gte=cutoff).order_by(
        "-requested_at", "-pk"
    )


def export_of(user: User, pk: int) -> Export:
    """One of ``user``'s own exports, ready to download; anyone else's (or one not ready) is a
    404."""
    return get_object_or_404(exports_of(user), pk=pk, status=Export.Status.READY)
