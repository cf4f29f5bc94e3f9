"""The queues and the applications list: filters, sorting, claim/release/reassign, permissions."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from onboarding.models import ApplicationEvent
from portal.models import AuditEvent
from reviews.models import ReviewWork
from tests.factories import UserFactory, enroll_totp

pytestmark = pytest.mark.django_db

WORKBENCH_PAGES = [
    "reviews:queue",
    "reviews:my_tasks",
    "reviews:team",
    "reviews:applications",
    "reviews:dashboard",
    "reviews:applications_export",
    "reviews:roster_export",
]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def references(response) -> set[str]:
    page = response.context["page"]
    return {getattr(row, "reference", None) or row.application.reference for row in page.rows}


def test_queue_filters_by_entity_type_county_population_and_step(submitted_application, reviewer):
    fqhc = submitted_application(entity_type="fqhc", county="los_angeles", population="1a")
    cbo = submitted_application(entity_type="cbo", county="fresno", population="3a")
    client = signed_in(reviewer)
    url = reverse("reviews:queue")

    assert references(client.get(url)) == {fqhc.reference, cbo.reference}
    assert references(
        client.get(url, {"entity_type": cbo.entity_profile.entity_types.get().pk})
    ) == {cbo.reference}
    assert references(client.get(url, {"county": "los_angeles"})) == {fqhc.reference}
    assert references(client.get(url, {"population": "3a"})) == {cbo.reference}
    assert references(client.get(url, {"step": "entity"})) == {fqhc.reference, cbo.reference}
    assert references(client.get(url, {"step": "attestations"})) == set()


def selected(html: str, name: str) -> list[str]:
    """The values selected in the ``<select>`` called ``name``."""
    options = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert options, name
    return re.findall(r'<option value="([^"]*)" selected>', options.group(1))


def test_the_filters_show_what_was_chosen(submitted_application, reviewer):
    submitted_application(county="fresno")
    client = signed_in(reviewer)
    url = reverse("reviews:applications")

    chosen = client.get(url, {"county": "fresno", "reviewer": reviewer.pk}).content.decode()
    other = client.get(url, {"county": "los_angeles"}).content.decode()
    unknown = client.get(url, {"county": "atlantis"})

    assert selected(chosen, "county") == ["fresno"]
    assert selected(chosen, "reviewer") == [str(reviewer.pk)]
    assert selected(other, "county") == ["los_angeles"]
    assert selected(other, "reviewer") == [""]
    assert unknown.status_code == 200
    assert selected(unknown.content.decode(), "county") == [""]  # "Any"


def test_overdue_filter_and_highlight(submitted_application, reviewer):
    late = submitted_application()
    on_time = submitted_application()
    ReviewWork.objects.filter(application=late).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )
    client = signed_in(reviewer)
    response = client.get(reverse("reviews:queue"), {"overdue": "on"})
    assert references(response) == {late.reference}
    assert on_time.reference not in response.content.decode()
    assert "Overdue" in response.content.decode()
    assert 'table-danger overdue"' in response.content.decode()


def test_sorting_by_due_date(submitted_application, reviewer):
    first = submitted_application()
    second = submitted_application()
    ReviewWork.objects.filter(application=first).update(due_on=timezone.localdate() + timedelta(9))
    client = signed_in(reviewer)
    rows = client.get(reverse("reviews:queue"), {"sort": "due"}).context["rows"]
    assert [r.application for r in rows] == [second, first]
    rows = client.get(reverse("reviews:queue"), {"sort": "-due"}).context["rows"]
    assert [r.application for r in rows] == [first, second]


def test_reviewer_and_status_filters_on_the_applications_list(
    submitted_application, reviewer, reviewer2
):
    mine = submitted_application()
    other = submitted_application()
    client = signed_in(reviewer)
    task = ReviewWork.objects.get(application=mine).task_id
    client.post(reverse("reviews:claim", args=[task]))
    url = reverse("reviews:applications")
    assert references(client.get(url, {"reviewer": reviewer.pk})) == {mine.reference}
    assert references(client.get(url, {"reviewer": reviewer2.pk})) == set()
    mine.refresh_from_db()
    assert references(client.get(url, {"status": mine.status})) == {mine.reference}
    assert other.reference in client.get(url).content.decode()


def test_bulk_claim_then_release(submitted_application, reviewer):
    applications = [submitted_application() for _ in range(3)]
    tasks = list(
        ReviewWork.objects.filter(application__in=applications).values_list("task_id", flat=True)
    )
    client = signed_in(reviewer)
    response = client.post(reverse("reviews:bulk"), {"action": "claim", "task": tasks})
    assert response.status_code == 302
    assert set(Task.objects.filter(pk__in=tasks).values_list("owner", flat=True)) == {reviewer.pk}
    mine = client.get(reverse("reviews:my_tasks"))
    assert len(mine.context["rows"]) == 3
    assert client.get(reverse("reviews:queue")).context["rows"] == []
    client.post(reverse("reviews:bulk"), {"action": "release", "task": tasks[:2]})
    assert Task.objects.filter(pk__in=tasks, owner__isnull=True).count() == 2
    assert len(client.get(reverse("reviews:queue")).context["rows"]) == 2


def test_a_task_claimed_meanwhile_is_reported_and_the_rest_claimed(
    submitted_application, reviewer, reviewer2
):
    a, b = submitted_application(), submitted_application()
    task_a = ReviewWork.objects.get(application=a).task_id
    task_b = ReviewWork.objects.get(application=b).task_id
    signed_in(reviewer2).post(reverse("reviews:claim", args=[task_a]))
    response = signed_in(reviewer).post(
        reverse("reviews:bulk"),
        {"action": "claim", "task": [task_a, task_b]},
        follow=True,
    )
    assert Task.objects.get(pk=task_a).owner == reviewer2
    assert Task.objects.get(pk=task_b).owner == reviewer
    assert "already claimed" in response.content.decode()


def test_manager_reassigns_claimed_and_unclaimed_reviews(
    submitted_application, reviewer, reviewer2, manager
):
    a, b = submitted_application(), submitted_application()
    task_a = ReviewWork.objects.get(application=a).task_id
    task_b = ReviewWork.objects.get(application=b).task_id
    signed_in(reviewer).post(reverse("reviews:claim", args=[task_a]))
    signed_in(manager).post(
        reverse("reviews:bulk"),
        {"action": "reassign", "task": [task_a, task_b], "reviewer": reviewer2.pk},
    )
    assert Task.objects.get(pk=task_a).owner == reviewer2
    assert Task.objects.get(pk=task_b).owner == reviewer2
    assert ReviewWork.objects.get(task_id=task_a).owner == reviewer2
    assert a.events.filter(kind=ApplicationEvent.Kind.TASK_REASSIGNED, actor=manager).exists()
    assert AuditEvent.objects.filter(actor=manager, summary__contains="reassigned").exists()


def test_reviewers_cannot_reassign(submitted_application, reviewer, reviewer2):
    application = submitted_application()
    task = ReviewWork.objects.get(application=application).task_id
    signed_in(reviewer).post(
        reverse("reviews:bulk"),
        {"action": "reassign", "task": [task], "reviewer": reviewer2.pk},
    )
    assert Task.objects.get(pk=task).owner is None


def test_reviewers_see_every_application(submitted_application, reviewer):
    applications = [submitted_application() for _ in range(3)]
    response = signed_in(reviewer).get(reverse("reviews:applications"))
    assert references(response) == {a.reference for a in applications}


def test_each_listed_application_shows_its_steps_and_their_status(submitted_application, reviewer):
    application = submitted_application()
    response = signed_in(reviewer).get(reverse("reviews:applications"))
    badges = re.findall(r'<span class="badge text-bg-light border">([^<]+)</span>', response.text)
    assert badges == [
        f"{step.get_kind_display()}: {step.get_status_display()}"
        for step in application.steps.order_by("kind")
    ]
    assert len(badges) == 3


@pytest.mark.parametrize("name", WORKBENCH_PAGES)
def test_applicants_never_reach_workbench_pages(name, submitted_application):
    application = submitted_application()
    official = application.organization.authorized_official
    assert signed_in(official).get(reverse(name)).status_code == 403


def test_applicants_cannot_act_on_review_tasks(submitted_application):
    application = submitted_application()
    official = application.organization.authorized_official
    task = ReviewWork.objects.get(application=application).task_id
    client = signed_in(official)
    assert (
        client.post(reverse("reviews:bulk"), {"action": "claim", "task": [task]}).status_code == 403
    )
    assert (
        client.post(reverse("reviews:note_add", args=[application.pk]), {"body": "x"}).status_code
        == 403
    )
    assert Task.objects.get(pk=task).owner is None


def test_pages_link_to_the_next_page_without_counting(submitted_application, reviewer, settings):
    from reviews import queues

    for _ in range(3):
        submitted_application()
    original = queues.PAGE_SIZE
    queues.PAGE_SIZE = 2
    try:
        client = signed_in(reviewer)
        first = client.get(reverse("reviews:applications"))
        assert first.context["page"].has_next
        second = client.get(reverse("reviews:applications"), {"page": 2})
        assert not second.context["page"].has_next
        assert len(second.context["page"].rows) == 1
    finally:
        queues.PAGE_SIZE = original


def test_a_staff_user_outside_the_review_roles_is_refused(db):
    someone = UserFactory.create(is_staff=True)
    enroll_totp(someone)
    assert signed_in(someone).get(reverse("reviews:queue")).status_code == 403
