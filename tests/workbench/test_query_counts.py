"""Every list page runs the same number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from viewflow.workflow.models import Task

from onboarding.models import ReviewWork
from onboarding.services.reviews import task_claim

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "onboarding:review_queue",
        "onboarding:my_tasks",
        "onboarding:review_team",
        "onboarding:review_applications",
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(
    name, submitted_application, manager, django_assert_num_queries
):
    client = Client()
    client.force_login(manager)
    url = reverse(name)

    def add_row() -> None:
        application = submitted_application()
        if name in {"onboarding:my_tasks", "onboarding:review_team"}:
            work = ReviewWork.objects.get(application=application)
            task_claim(task=Task.objects.get(pk=work.task_id), user=manager)

    add_row()
    client.get(url)  # warm the session as a returning user's would be
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    queries = len(one)  # read now: the next request empties Django's query log
    assert len(response.context["page"].rows) == 1
    assert queries <= 9  # session, signed-in user, permissions, the rows and their parts
    for _ in range(4):
        add_row()
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["page"].rows) == 5


def test_application_page_query_count_does_not_grow_with_history(
    submitted_application, reviewer, django_assert_num_queries
):
    client = Client()
    client.force_login(reviewer)
    application = submitted_application()
    url = reverse("onboarding:review_application", args=[application.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        response = client.get(url)
    queries = len(before)  # read now: the next request empties Django's query log
    assert response.status_code == 200
    # The signed-in user and their permissions (and the session, where it is not cached), then
    # one query per table of the record: an application just submitted has no decisions yet
    # (their deficiencies and accepted items are two more once it has).
    assert queries <= 20
    for n in range(3):
        client.post(reverse("onboarding:review_note_add", args=[application.pk]), {"body": f"n{n}"})
    with django_assert_num_queries(queries):
        client.get(url)
