"""Screening jobs: one application's checks, and the monthly rescreening."""

from celery import shared_task

from reviews.record_warming import record_changed


@shared_task(acks_late=True)
def rescreen_active_providers() -> str:
    """The monthly re-screening (CELERY_BEAT_SCHEDULE); returns its one-line summary."""
    # Imported here because the services import this module (through notifications).
    from screening.services.results import rescreen_active_providers as rescreen

    return str(rescreen())


@shared_task(acks_late=True)
def screen_application_job(application_id: int, subject_kind: str) -> int:
    """Screen one application's organization or care team; returns the number of results."""
    # Imported here because the services import this module (through notifications).
    from screening.services.results import screening_run

    results = screening_run(application_id=application_id, subject_kind=subject_kind)
    # The results show on the record: rendered again for the reviewers' first look.
    record_changed(application_pk=application_id)
    return results
