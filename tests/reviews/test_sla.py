"""Review deadlines in business days, and the clock pausing while a step is with the applicant."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from viewflow.workflow.models import Task

from onboarding.flows import OnboardingFlow
from onboarding.models import ApplicationStep
from onboarding.services.steps import step_submit
from reviews.models import ReviewDecision, ReviewWork
from reviews.services.decisions import DeficiencyItem
from reviews.services.review_work import review_work_refresh
from reviews.sla import ReviewRound, add_business_days, business_days_between, due_date
from tests.factories import decide, signature_of

LA = ZoneInfo("America/Los_Angeles")
NO_HOLIDAYS: frozenset[date] = frozenset()
THANKSGIVING = frozenset({date(2026, 11, 26), date(2026, 11, 27)})


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=LA)


def test_business_days_skip_weekends():
    friday = date(2026, 11, 6)
    assert add_business_days(friday, 1, NO_HOLIDAYS) == date(2026, 11, 9)  # Monday
    assert add_business_days(friday, 5, NO_HOLIDAYS) == date(2026, 11, 13)
    assert business_days_between(friday, date(2026, 11, 9), NO_HOLIDAYS) == 1
    assert business_days_between(friday, friday, NO_HOLIDAYS) == 0


def test_business_days_skip_holidays():
    wednesday = date(2026, 11, 25)
    # Thursday and Friday are closed, then the weekend: the next business day is Monday.
    assert add_business_days(wednesday, 1, THANKSGIVING) == date(2026, 11, 30)
    assert business_days_between(wednesday, date(2026, 11, 30), THANKSGIVING) == 1


def test_a_first_round_gets_the_whole_allowance(settings):
    settings.REVIEW_SLA_BUSINESS_DAYS = {**settings.REVIEW_SLA_BUSINESS_DAYS, "entity": 5}
    rounds = [ReviewRound(at("2026-11-02"), None)]  # a Monday
    assert due_date("entity", rounds, NO_HOLIDAYS) == date(2026, 11, 9)


def test_the_clock_pauses_while_the_step_is_returned(settings):
    settings.REVIEW_SLA_BUSINESS_DAYS = {**settings.REVIEW_SLA_BUSINESS_DAYS, "entity": 5}
    rounds = [
        # Plan held it Monday to Wednesday (2 business days used), then returned it.
        ReviewRound(at("2026-11-02"), at("2026-11-04")),
        # The applicant took two weeks; that time does not count. 3 days are left.
        ReviewRound(at("2026-11-18"), None),
    ]
    assert due_date("entity", rounds, NO_HOLIDAYS) == date(2026, 11, 23)


def test_an_overspent_allowance_is_due_the_day_it_comes_back(settings):
    settings.REVIEW_SLA_BUSINESS_DAYS = {**settings.REVIEW_SLA_BUSINESS_DAYS, "entity": 2}
    rounds = [
        ReviewRound(at("2026-11-02"), at("2026-11-06")),
        ReviewRound(at("2026-11-18"), None),
    ]
    assert due_date("entity", rounds, NO_HOLIDAYS) == date(2026, 11, 18)


@pytest.mark.django_db
def test_resubmitted_step_is_due_after_the_days_left_from_its_first_round(
    settings, submitted_application, reviewer
):
    settings.REVIEW_SLA_BUSINESS_DAYS = {**settings.REVIEW_SLA_BUSINESS_DAYS, "entity": 5}
    settings.REVIEW_HOLIDAYS = []
    application = submitted_application()
    decide(
        OnboardingFlow.review_entity,
        application,
        reviewer,
        ReviewDecision.Outcome.RETURN,
        deficiencies=[DeficiencyItem("npi", "Wrong number")],
    )
    official = application.organization.authorized_official
    step_submit(
        application=application,
        kind=ApplicationStep.Kind.ENTITY,
        user=official,
        signature=signature_of(official),
    )
    first, second = Task.objects.filter(
        process_id=application.process.pk, flow_task=OnboardingFlow.review_entity
    ).order_by("pk")
    # Put the history on known days: held Mon 2 to Thu 5 Nov (3 days), back on Mon 16 Nov.
    Task.objects.filter(pk=first.pk).update(created=at("2026-11-02"), finished=at("2026-11-05"))
    Task.objects.filter(pk=second.pk).update(created=at("2026-11-16"))
    review_work_refresh(application)

    work = ReviewWork.objects.get(task_id=second.pk)
    assert work.is_open
    assert work.due_on == date(2026, 11, 18)  # 2 business days left after the 16th
    assert not ReviewWork.objects.get(task_id=first.pk).is_open


@pytest.mark.django_db
def test_claim_and_release_are_mirrored_in_review_work(submitted_application, reviewer):
    from reviews.services.decisions import task_claim, task_release

    application = submitted_application()
    work = ReviewWork.objects.get(application=application)
    assert work.owner is None
    assert work.due_on > date.today() - timedelta(days=1)
    task = Task.objects.get(pk=work.task_id)
    task_claim(task=task, user=reviewer)
    work.refresh_from_db()
    assert work.owner == reviewer
    task_release(task=Task.objects.get(pk=work.task_id), user=reviewer)
    work.refresh_from_db()
    assert work.owner is None
    review_work_refresh(application)  # the repair tool rewrites the same row
    assert ReviewWork.objects.filter(application=application).count() == 1


@pytest.mark.django_db
def test_review_work_can_be_rebuilt_from_the_flow(submitted_application):
    from django.core.management import call_command

    application = submitted_application()
    expected = list(ReviewWork.objects.values_list("task_id", "due_on", "is_open"))
    ReviewWork.objects.all().delete()
    call_command("review_work_rebuild")
    assert list(ReviewWork.objects.values_list("task_id", "due_on", "is_open")) == expected
    assert application.review_work.count() == 1
