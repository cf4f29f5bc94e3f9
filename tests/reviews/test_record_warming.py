"""The record's sections rendered before a reviewer's first look (``reviews.record_warming``).

Rendered ahead or not, a section is never older than the record (``test_record_cache.py``); these
tests check that a first look finds the sections rendered: by another reviewer alike, by the job
a change to the process or the screening job queues, or by the nightly job.
"""

from datetime import timedelta

import pytest
from celery.signals import worker_ready
from django.contrib.auth.context_processors import PermWrapper
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template import Context, Template
from django.utils import timezone

from onboarding.flows import OnboardingFlow
from onboarding.models import Application
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION, REVEAL_PERMISSION, REVIEW_PERMISSION
from reviews import record_sections as sections_module
from reviews.models import ReviewWork
from reviews.record_parts import RECORD_PARTS
from reviews.record_sections import record_warm
from reviews.record_viewers import Viewer, staff_viewers
from reviews.record_warming import record_changed
from reviews.services.decisions import task_claim
from reviews.tasks import warm_records_awaiting_review
from screening.models import ScreeningResult
from screening.tasks import screen_application_job
from tests.factories import review_task
from tests.reviews.test_record_cache import needs_row_versions, page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def warming(settings) -> None:
    """As with a broker and a worker (the tests' jobs run eagerly, at the commit)."""
    settings.RECORD_WARMING = True


REVIEWER = Viewer(frozenset({REVIEW_PERMISSION}))
MANAGER = Viewer(frozenset({REVIEW_PERMISSION, FINAL_APPROVAL_PERMISSION, REVEAL_PERMISSION}))


@pytest.fixture
def awaiting(submitted_application) -> Application:
    """A record whose entity step waits for review."""
    return submitted_application()


@pytest.fixture
def first_look_renders(parts_rendered):
    """Whether a look at the record by ``user`` reads and renders any of its parts."""

    def renders(user: User, application: Application) -> bool:
        parts_rendered.clear()
        page(user, application)
        return bool(parts_rendered)

    return renders


def claim_entity_review(application: Application, user: User) -> None:
    task_claim(task=review_task(application, OnboardingFlow.review_entity), user=user)


def test_the_staff_are_as_many_viewers_as_they_hold_different_viewer_permissions(
    reviewer, reviewer2, manager, plan_admin, authorized_official
):
    """Applicants and plan administrators hold none of the permissions: they are not staff who
    open records."""
    assert staff_viewers() == {REVIEWER, MANAGER}


def test_a_section_asking_for_a_permission_the_key_does_not_know_fails_loudly():
    """Otherwise one viewer's rendering could be shown to a viewer with other permissions."""
    template = Template("{% if perms.portal.change_user %}yes{% endif %}")
    with pytest.raises(ImproperlyConfigured, match="VIEWER_PERMISSIONS"):
        template.render(Context({"perms": PermWrapper(MANAGER)}))
    assert (
        Template("{% if perms.disclosures.reveal_identifiers %}yes{% endif %}").render(
            Context({"perms": PermWrapper(MANAGER)})
        )
        == "yes"
    )


@needs_row_versions
def test_reviewers_alike_share_one_rendering(first_look_renders, awaiting, reviewer, reviewer2):
    assert first_look_renders(reviewer, awaiting)
    assert not first_look_renders(reviewer2, awaiting)


@needs_row_versions
def test_a_change_to_the_process_renders_the_record_for_every_kind_of_staff(
    first_look_renders, awaiting, reviewer, reviewer2, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim_entity_review(awaiting, reviewer2)
    assert not first_look_renders(reviewer, awaiting)
    assert not first_look_renders(manager, awaiting)


@needs_row_versions
def test_the_screening_job_renders_the_record_again(
    first_look_renders, awaiting, reviewer, django_capture_on_commit_callbacks
):
    assert record_warm(application_pk=awaiting.pk) == len(RECORD_PARTS)  # for the reviewer's kind
    with django_capture_on_commit_callbacks(execute=True):
        screen_application_job(
            awaiting.pk, ScreeningResult.SubjectKind.ORGANIZATION
        )  # new results: new version
    assert not first_look_renders(reviewer, awaiting)


@needs_row_versions
def test_only_records_awaiting_review_are_rendered_ahead(
    first_look_renders, application, awaiting, reviewer, manager
):
    assert record_warm(application_pk=awaiting.pk) == 2 * len(RECORD_PARTS)  # two kinds of viewer
    assert record_warm(application_pk=awaiting.pk) == 0  # already rendered
    ReviewWork.objects.filter(application=awaiting).update(is_open=False)
    cache.clear()
    assert record_warm(application_pk=awaiting.pk) == 0
    assert first_look_renders(reviewer, awaiting)


@needs_row_versions
def test_every_night_each_record_awaiting_review_is_rendered_for_the_new_day(
    first_look_renders, awaiting, reviewer, manager
):
    cache.clear()  # as when the day in the keys changes
    assert warm_records_awaiting_review() == 2 * len(RECORD_PARTS)
    assert not first_look_renders(reviewer, awaiting)
    assert not first_look_renders(manager, awaiting)


@needs_row_versions
def test_the_next_night_only_the_parts_that_depend_on_the_day_are_rendered_again(
    first_look_renders, awaiting, reviewer, manager, monkeypatch
):
    assert record_warm(application_pk=awaiting.pk) == 2 * len(RECORD_PARTS)
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    dated = [part for part in RECORD_PARTS if part.dated]
    assert warm_records_awaiting_review() == 2 * len(dated)
    assert not first_look_renders(reviewer, awaiting)


def test_parts_rendered_ahead_are_kept_for_days_but_those_that_depend_on_the_day(settings):
    settings.RECORD_WARM_SECONDS = 3 * 24 * 60 * 60
    for part in RECORD_PARTS:
        kept_for = sections_module._rendered_ahead(part)
        if part.dated:
            assert settings.RECORD_CACHE_SECONDS <= kept_for <= 24 * 60 * 60
        else:
            assert kept_for == settings.RECORD_WARM_SECONDS


@needs_row_versions
def test_at_most_so_many_records_are_rendered_each_night_those_due_soonest_first(
    first_look_renders, submitted_application, reviewer, settings
):
    later, sooner = submitted_application(), submitted_application()
    today = timezone.localdate()
    ReviewWork.objects.filter(application=later).update(due_on=today + timedelta(days=9))
    ReviewWork.objects.filter(application=sooner).update(due_on=today + timedelta(days=2))
    settings.RECORD_WARM_PER_NIGHT = 1
    cache.clear()
    assert warm_records_awaiting_review() == len(RECORD_PARTS)
    assert not first_look_renders(reviewer, sooner)
    assert first_look_renders(reviewer, later)


@needs_row_versions
@pytest.mark.parametrize("record_warming", [True, False])
def test_a_worker_that_starts_renders_the_records_awaiting_review(
    first_look_renders, awaiting, reviewer, settings, record_warming
):
    """As after a deploy, which leaves no rendering (the code's version is in every key)."""
    settings.RECORD_WARMING = record_warming
    cache.clear()
    worker_ready.send(sender=None)
    assert first_look_renders(reviewer, awaiting) is not record_warming


def test_the_nightly_job_is_scheduled_for_a_worker_to_find(settings):
    from portal.celery import app as celery_app

    scheduled = settings.CELERY_BEAT_SCHEDULE["warm-records-awaiting-review"]["task"]
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    assert scheduled == warm_records_awaiting_review.name
    assert scheduled in celery_app.tasks


def test_nothing_is_queued_without_row_versions_or_a_worker(
    awaiting, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        record_changed(application_pk=awaiting.pk)
    assert len(queued) == (1 if connection.vendor == "postgresql" else 0)
    settings.RECORD_WARMING = False  # no broker: the job would run in the writer's own request
    with django_capture_on_commit_callbacks() as queued:
        record_changed(application_pk=awaiting.pk)
    assert queued == []


@needs_row_versions
@pytest.mark.django_db(transaction=True)
def test_a_rendering_that_fails_leaves_the_change_standing(
    submitted_application, reviewer2, monkeypatch, caplog
):
    application = submitted_application()

    def broken(*args, **kwargs):
        raise RuntimeError("the rendering failed")

    monkeypatch.setattr(sections_module, "rendering", broken)
    claim_entity_review(application, reviewer2)  # commits; the job runs eagerly, and fails
    assert ReviewWork.objects.get(application=application, is_open=True).owner == reviewer2
    assert "the rendering failed" in caplog.text
