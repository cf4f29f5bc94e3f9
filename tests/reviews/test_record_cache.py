"""The record's parts on the staff pages, each cached under a stamp of the rows it shows.

The stamps are PostgreSQL's (row versions); these tests that need them are skipped on SQLite, and
`.ci/run` runs them on PostgreSQL.
"""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosures.models import Conviction, DisclosedParty
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, CareTeamMember, PopulationServed
from reviews.models import ReviewDecision
from reviews.record_parts import (
    RECORD_PARTS,
    RecordPart,
    part_stamps,
    record_for_parts,
    record_stamps,
)
from reviews.record_sections import record_sections, rendering
from reviews.record_viewers import Viewer
from reviews.services.decisions import task_claim
from tests.factories import OFFICER, decide, review_task
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


@pytest.mark.parametrize("part", RECORD_PARTS, ids=lambda part: part.name)
def test_each_part_reads_only_tables_its_stamp_covers(record, manager, part):
    """A part that read a table its stamp does not cover could be shown stale: name the table
    in the part's ``shows`` (``reviews.record_parts``)."""
    with CaptureQueriesContext(connection) as read:
        html = rendering(
            Viewer.of(manager), part, part.context_of(record_for_parts(record.pk, [part]))
        )
    covered = {rows.table for rows in part.rows}
    assert tables_read(read) - covered == set()
    assert html.strip()


def test_the_record_is_read_and_rendered_as_a_whole(record, reviewer):
    with CaptureQueriesContext(connection) as read:
        sections = record_sections(reviewer, record.pk)
    assert "onboarding_samplefilereport" in tables_read(read)  # the data-sharing step's part
    assert "Harbor Housing" in str(sections.history) + "".join(s for _d, s in sections.steps)
    assert "Casey Clinician" in "".join(s for _d, s in sections.steps)


@pytest.mark.parametrize("viewer", ["reviewer", "manager"])
def test_each_part_is_what_the_whole_record_with_the_request_would_show(
    record, viewer, request, rf
):
    """Each part, rendered from what it alone is read with and apart from the request (so that
    it holds no CSRF token), is what its template shows given the whole record, everything the
    parts are given, and the request's context processors."""
    user = request.getfixturevalue(viewer)
    page_request = rf.get("/")
    page_request.user = user
    whole = record_for_parts(record.pk, RECORD_PARTS)
    context = {}
    for part in RECORD_PARTS:
        context.update(part.context_of(whole))
    for part in RECORD_PARTS:
        alone = rendering(
            Viewer.of(user), part, part.context_of(record_for_parts(record.pk, [part]))
        )
        given_all = {**context, **part.context_of(whole)}  # each step's own definition
        assert alone == render_to_string(part.template, given_all, page_request), part.name


def test_only_the_parts_whose_key_holds_the_day_show_anything_that_depends_on_it(
    record, manager, monkeypatch
):
    """A part whose key does not hold the day is shown on later days: rendered today and twenty
    years on, it must be the same. (A conviction of a disclosed officer a year ago is flagged
    today and not then: the entity step's part holds the day.)"""
    officer = DisclosedParty.objects.get(
        disclosure=record.disclosure, first_name=OFFICER["first_name"]
    )
    Conviction.objects.create(
        disclosure=record.disclosure,
        party=officer,
        program=Conviction.Program.MEDICAID,
        convicted_on=timezone.localdate() - timedelta(days=365),
        details="Billing for services not given",
    )
    viewer = Viewer.of(manager)

    def rendered_on(day: datetime) -> dict[str, str]:
        monkeypatch.setattr(timezone, "now", lambda: day)
        application = record_for_parts(record.pk, RECORD_PARTS)
        return {p.name: rendering(viewer, p, p.context_of(application)) for p in RECORD_PARTS}

    now = timezone.now()
    today, later = rendered_on(now), rendered_on(now + timedelta(days=20 * 366))
    changed = {name for name in today if today[name] != later[name]}
    assert changed == {part.name for part in RECORD_PARTS if part.dated} == {"step-entity"}


def test_the_cached_sections_hold_no_form(record, manager):
    sections = record_sections(manager, record.pk)
    for html in (sections.progress, sections.history, *(s for _d, s in sections.steps)):
        assert "<form" not in html
        assert "csrfmiddlewaretoken" not in html


def stamps_of(record: Application) -> dict[RecordPart, str]:
    stamps = part_stamps(record.pk)
    assert stamps is not None
    return stamps


@needs_row_versions
def test_any_write_to_any_table_a_part_shows_makes_a_new_stamp_of_the_part(record):
    """Through the ORM or not, with or without signals: the database stamps every row."""
    changed = set()
    for part in RECORD_PARTS:
        for rows in part.rows:
            before = stamps_of(record)[part]
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
                    changed.add(rows.table)
                    assert stamps_of(record)[part] != before, (part.name, rows.table)
    assert len(changed) >= 20  # a complete record has rows in nearly every table
    # A row deleted: only the parts that show its table are rendered again.
    stamped = stamps_of(record)
    PopulationServed.objects.filter(application=record).latest("pk").delete()
    now = stamps_of(record)
    assert {part.name for part in RECORD_PARTS if now[part] != stamped[part]} == {
        "step-attestations"
    }


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
def test_a_claim_renders_only_the_timeline_again(
    application, authorized_official, reviewer, reviewer2, parts_rendered
):
    """Data sharing waits for review, the application is in review already: a claim adds an
    event, and the parts that do not show events are taken from the cache."""
    complete_record(application, authorized_official, reviewer)
    claims = page(reviewer2, application).count("Review claimed")
    assert len(parts_rendered) == len(RECORD_PARTS)
    task_claim(task=review_task(application, OnboardingFlow.review_data_sharing), user=reviewer2)
    parts_rendered.clear()
    shown = page(reviewer2, application)
    assert parts_rendered == ["timeline"]
    assert shown.count("Review claimed") == claims + 1


@needs_row_versions
def test_the_next_day_only_the_parts_whose_key_holds_the_day_are_rendered_again(
    record, reviewer, parts_rendered, monkeypatch
):
    record_sections(reviewer, record.pk)
    assert len(parts_rendered) == len(RECORD_PARTS)
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    parts_rendered.clear()
    record_sections(reviewer, record.pk)
    assert parts_rendered == ["step-entity"]


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
        assert part_stamps(record.pk)
        assert "onboarding_samplefilereport" not in tables
    else:
        assert part_stamps(record.pk) is None
        assert "onboarding_samplefilereport" in tables


@needs_row_versions
@pytest.mark.django_db(transaction=True)
def test_the_stamp_is_read_when_a_pooler_moves_the_prepared_statement(application):
    """PgBouncer in transaction mode may run the PREPARE on one server connection and the
    EXECUTE on another: the stamp is then read without the prepared statement."""
    stamp = record_stamps(application.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {record_stamps.statement}")  # the server forgot it
    assert record_stamps(application.pk) == stamp
    record_stamps.prepared.discard(connection.connection)  # the server has it; this process forgot
    assert record_stamps(application.pk) == stamp
    assert record_stamps(application.pk) == stamp
