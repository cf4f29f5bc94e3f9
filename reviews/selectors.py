"""Reads of review work, decisions and internal notes, for the workbench and the applicant."""

from django.db.models import QuerySet

from onboarding.models import Application
from portal.models import User
from reviews.models import InternalNote, ReviewDecision, ReviewWork
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


def decisions_of(application: Application) -> list[ReviewDecision]:
    """Every decision on the application, newest first, with who made it and, read once for
    all of them, the items each returned and accepted."""
    return list(
        application.decisions.select_related("reviewer").prefetch_related(
            "deficiencies", "accepted_items"
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
