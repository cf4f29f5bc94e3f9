"""The record's sections on the staff pages, cached under the record's version.

The version is PostgreSQL's (row versions); these tests that need it are skipped on SQLite, and
`.ci/run` runs them on PostgreSQL.
"""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosures.models import DisclosedParty
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, CareTeamMember
from onboarding.selectors import application_for_staff
from reviews.models import ReviewDecision
from reviews.record_sections import record_context, record_sections
from reviews.record_version import RECORD_ROWS, record_version
from tests.factories import OFFICER, decide
from tests.reviews.test_query_counts import complete_record

pytestmark = pytest.mark.django_db


def needs_row_versions(test):
    """Skipped on SQLite; CI's PostgreSQL step runs it (and fails if it is skipped there)."""
    skip = pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row versions are PostgreSQL's (run by .ci/run)"
    )
    return pytest.mark.postgres(skip(test))


TABLE = re.compile(r'(?:FROM|JOIN) "(\w+)"')


def tables_read(read: CaptureQueriesContext) -> set[str]:
    return {table for query in read.captured_queries for table in TABLE.findall(query["sql"])}


@pytest.fixture
def record(application, authorized_official, reviewer, manager, welcome_packet) -> Application:
    """Every table of the record filled, through the final approval and the welcome packet."""
    complete_record(application, authorized_official, reviewer)
    # A person among the disclosed officers: staff with the permission may reveal their SSN.
    DisclosedParty.objects.create(
        disclosure=application.disclosure, kind=DisclosedParty.Kind.PERSON, **OFFICER
    )
    decide(
        OnboardingFlow.review_data_sharing, application, reviewer, ReviewDecision.Outcome.APPROVE
    )
    decide(OnboardingFlow.final_approval, application, manager, ReviewDecision.Outcome.APPROVE)
    approved = Application.objects.get(pk=application.pk)
    assert approved.packet_deliveries.exists()
    return approved


def page(user, application: Application) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("reviews:application", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_sections_read_only_tables_the_version_covers(record, reviewer):
    """A section that read a table the version does not cover could be shown stale: name the
    table in ``reviews.record_version.RECORD_ROWS``."""
    with CaptureQueriesContext(connection) as read:
        sections = record_sections(reviewer, record.pk)
    tables = tables_read(read)
    covered = {rows.table for rows in RECORD_ROWS}
    assert "onboarding_samplefilereport" in tables  # the record was read, as a whole
    assert tables - covered == set()
    assert "Harbor Housing" in str(sections.history) + "".join(s for _d, s in sections.steps)


@pytest.mark.parametrize("viewer", ["reviewer", "manager"])
def test_the_sections_are_what_a_page_with_the_request_would_show(record, viewer, request, rf):
    """Rendered apart from the request (so that they hold no CSRF token), the sections still get
    everything the context processors give a page: rendering them with the request's context
    gives the same HTML, but for the user and the request themselves, which they do not use."""
    user = request.getfixturevalue(viewer)
    page_request = rf.get("/")
    page_request.user = user
    context = record_context(application_for_staff(record.pk))
    sections = record_sections(user, record.pk)
    with_request = [
        render_to_string("reviews/_record_step.html", {**context, "definition": d}, page_request)
        for d, _section in sections.steps
    ]
    assert [str(section) for _d, section in sections.steps] == with_request
    assert str(sections.history) == render_to_string(
        "reviews/_record_history.html", context, page_request
    )
    assert str(sections.progress) == render_to_string(
        "includes/progress.html", context, page_request
    )


def test_the_cached_sections_hold_no_form(record, manager):
    sections = record_sections(manager, record.pk)
    for html in (sections.progress, sections.history, *(s for _d, s in sections.steps)):
        assert "<form" not in html
        assert "csrfmiddlewaretoken" not in html


@needs_row_versions
def test_any_write_to_any_table_of_the_record_makes_a_new_version(record):
    """Through the ORM or not, with or without signals: the database stamps every row."""
    changed = []
    for rows in RECORD_ROWS:
        before = record_version(record.pk)
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(rows.table)
            where = rows.where.replace("$1", "%s")
            # A change to a row, or to what shows of it where only some columns are stamped.
            column = rows.shown[0] if rows.shown else "id"
            change = f"{column} = {column} || 'x'" if rows.shown else "id = id"
            cursor.execute(
                f"UPDATE {table} SET {change} WHERE id IN "  # noqa: S608  (the test's own tables)
                f"(SELECT t.id FROM {table} t WHERE {where} LIMIT 1)",
                [record.pk] * where.count("%s"),
            )
            if cursor.rowcount:
                changed.append(rows.table)
                assert record_version(record.pk) != before, rows.table
    assert len(changed) >= 20  # a complete record has rows in nearly every table
    before = record_version(record.pk)
    CareTeamMember.objects.filter(application=record).latest("pk").delete()
    assert record_version(record.pk) != before


@needs_row_versions
def test_a_second_look_reads_no_record_and_a_change_shows_at_once(record, reviewer):
    first = page(reviewer, record)
    assert "Casey Clinician" in first
    with CaptureQueriesContext(connection) as read:
        second = page(reviewer, record)
    tables = tables_read(read)
    assert "onboarding_samplefilereport" not in tables  # a table only the record's sections read
    assert "Casey Clinician" in second
    # A bulk update sends no signal and saves no model: the version sees it all the same.
    CareTeamMember.objects.filter(application=record, full_name="Casey Clinician").update(
        full_name="Casey Renamed"
    )
    third = page(reviewer, record)
    assert "Casey Renamed" in third
    # (The screening results keep the name they screened.)
    assert third.count("Casey Clinician") < second.count("Casey Clinician")


@needs_row_versions
def test_staff_see_what_their_own_permissions_allow_of_the_same_version(record, reviewer, manager):
    page(manager, record)  # cached for the manager first
    assert "the SSN and date of birth of" in page(manager, record)
    assert "the SSN and date of birth of" not in page(reviewer, record)


def test_only_postgresql_keeps_versions_elsewhere_the_record_is_read_every_time(record, reviewer):
    page(reviewer, record)
    with CaptureQueriesContext(connection) as read:
        page(reviewer, record)
    tables = tables_read(read)
    if connection.vendor == "postgresql":
        assert record_version(record.pk)
        assert "onboarding_samplefilereport" not in tables
    else:
        assert record_version(record.pk) is None
        assert "onboarding_samplefilereport" in tables


@needs_row_versions
@pytest.mark.django_db(transaction=True)
def test_the_stamp_is_read_when_a_pooler_moves_the_prepared_statement(application):
    """PgBouncer in transaction mode may run the PREPARE on one server connection and the
    EXECUTE on another: the stamp is then read without the prepared statement."""
    stamp = record_version(application.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {record_version.statement}")  # the server forgot it
    assert record_version(application.pk) == stamp
    record_version.prepared.discard(connection.connection)  # the server has it; this process forgot
    assert record_version(application.pk) == stamp
    assert record_version(application.pk) == stamp
