"""The daily overdue-review emails and the escalation to network managers."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from viewflow.workflow.models import Task

from reviews.models import ReviewWork
from reviews.services.decisions import task_claim
from reviews.services.reminders import overdue_reminders_send
from reviews.sla import add_business_days

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 9)  # a Wednesday


def test_reviewers_get_their_overdue_reviews_and_managers_the_escalations(
    settings, submitted_application, reviewer, manager, django_capture_on_commit_callbacks
):
    settings.REVIEW_HOLIDAYS = []
    settings.REVIEW_ESCALATION_BUSINESS_DAYS = 3
    slightly_late = submitted_application()
    very_late = submitted_application()
    unclaimed_late = submitted_application()
    on_time = submitted_application()
    for application in (slightly_late, very_late):
        work = ReviewWork.objects.get(application=application)
        task_claim(task=Task.objects.get(pk=work.task_id), user=reviewer)
    ReviewWork.objects.filter(application=slightly_late).update(due_on=TODAY - timedelta(days=1))
    ReviewWork.objects.filter(application__in=[very_late, unclaimed_late]).update(
        due_on=TODAY - timedelta(days=7)
    )
    ReviewWork.objects.filter(application=on_time).update(due_on=add_business_days(TODAY, 2))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        summary = overdue_reminders_send(today=TODAY)

    assert (summary.overdue_reviews, summary.reviewers_emailed, summary.escalated_reviews) == (
        3,
        1,
        2,
    )
    to_reviewer = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert len(to_reviewer) == 1
    body = to_reviewer[0].body
    assert slightly_late.reference in body
    assert very_late.reference in body
    assert unclaimed_late.reference not in body
    assert on_time.reference not in body
    assert "2 overdue reviews" in to_reviewer[0].subject
    to_managers = [m for m in mail.outbox if manager.email in m.to]
    assert len(to_managers) == 1
    assert very_late.reference in to_managers[0].body
    assert unclaimed_late.reference in to_managers[0].body
    assert "not claimed" in to_managers[0].body
    assert slightly_late.reference not in to_managers[0].body


def test_the_management_command_reports_what_it_sent(submitted_application, capsys):
    submitted_application()
    call_command("send_overdue_reminders")
    assert "0 overdue review(s)" in capsys.readouterr().out
