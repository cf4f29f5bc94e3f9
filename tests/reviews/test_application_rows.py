"""The applications list's rows, cached under a stamp of the rows they show.

The stamp is PostgreSQL's (row versions); the tests that need it are skipped on SQLite, and
`.ci/run` runs them on PostgreSQL.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from onboarding.models import ApplicationStep
from providers.models import ComplianceIssue
from reviews.application_rows import ROWS_SHOWN, application_rows, rendered_rows, rows_version
from reviews.models import ReviewWork
from reviews.queues import applications_filtered
from reviews.services.decisions import task_claim
from tests.reviews.test_record_cache import needs_row_versions, tables_read

pytestmark = pytest.mark.django_db

ROW_TABLES = {"onboarding_applicationstep", "onboarding_reviewwork"}  # read for rows only


@pytest.fixture
def listed(submitted_application, reviewer):
    """Two applications with every table of a row filled: steps, a review held by a reviewer, a
    compliance issue and screening results."""
    applications = [submitted_application(), submitted_application()]
    for application in applications:
        work = ReviewWork.objects.get(application=application)
        task_claim(task=Task.objects.get(pk=work.task_id), user=reviewer)
        ComplianceIssue.objects.create(
            application=application,
            rule="care_team",
            message="The care team no longer has a lead care manager.",
            found_on=timezone.localdate(),
        )
    return applications


def listing(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("reviews:applications"))
    assert response.status_code == 200
    return response.content.decode()


def found_of(applications):
    from reviews.application_rows import Found

    rows = applications_filtered({}).filter(pk__in=[a.pk for a in applications])
    return [
        Found(*row)
        for row in rows.values_list("pk", "status", "created_at", "organization__legal_name")
    ]


def test_the_rows_read_only_tables_the_stamp_covers(listed):
    """A row that read a table the stamp does not cover could be shown stale: name the table in
    ``reviews.application_rows.ROWS_SHOWN``."""
    with CaptureQueriesContext(connection) as read:
        rows = application_rows(found_of(listed))
    tables = tables_read(read)
    assert tables >= ROW_TABLES
    assert tables - {rows.table for rows in ROWS_SHOWN} == set()
    assert all(row.out_of_compliance and row.open_reviews for row in rows)


@needs_row_versions
def test_any_write_to_any_table_a_row_shows_makes_a_new_stamp(listed):
    """Through the ORM or not, with or without signals: the database stamps every row."""
    chosen = [a.pk for a in listed]
    assert {s.table for s in ROWS_SHOWN} >= ROW_TABLES | {"onboarding_screeningresult"}
    for rows in ROWS_SHOWN:
        before = rows_version(chosen)
        table = connection.ops.quote_name(rows.table)
        key = rows.model._meta.pk.column
        column = rows.shown[0] if rows.shown else key
        change = f"{column} = {column} || 'x'" if rows.shown else f"{key} = {key}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {change} WHERE {key} IN "  # noqa: S608  (the test's tables)
                f"(SELECT t.{key} FROM {table} t WHERE {rows.where.replace('$1', '%s')} LIMIT 1)",
                [chosen],
            )
            assert cursor.rowcount == 1, rows.table  # every table has a row of these two
        assert rows_version(chosen) != before, rows.table


@needs_row_versions
def test_a_second_look_reads_no_row_and_a_change_shows_at_once(listed, manager, reviewer):
    held = f"· {reviewer.display_name} ·"
    first = listing(manager)
    assert first.count(held) == 2
    with CaptureQueriesContext(connection) as read:
        second = listing(manager)
    assert not tables_read(read) & ROW_TABLES
    assert second.count(held) == 2
    # A bulk update sends no signal and saves no model: the stamp sees it all the same.
    type(reviewer).objects.filter(pk=reviewer.pk).update(full_name="Renamed Reviewer")
    assert listing(manager).count("· Renamed Reviewer ·") == 2
    ApplicationStep.objects.filter(application=listed[0], kind="entity").update(status="approved")
    assert "Entity verification: Approved" in listing(manager)


@needs_row_versions
def test_the_cached_rows_are_the_rows_rendered_now(listed):
    found = found_of(listed)
    rendered = rendered_rows(found)  # rendered, and kept
    assert rendered_rows(found) == rendered  # from the cache
    from django.template.loader import render_to_string

    fresh = render_to_string("reviews/_application_rows.html", {"rows": application_rows(found)})
    assert str(rendered) == fresh
    assert "<form" not in fresh


def test_only_postgresql_keeps_stamps_elsewhere_the_rows_are_read_every_time(listed, manager):
    listing(manager)
    with CaptureQueriesContext(connection) as read:
        listing(manager)
    if connection.vendor == "postgresql":
        assert rows_version([a.pk for a in listed])
        assert not tables_read(read) & ROW_TABLES
    else:
        assert rows_version([a.pk for a in listed]) is None
        assert tables_read(read) >= ROW_TABLES
