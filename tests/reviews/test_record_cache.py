"""The record's parts on the staff pages, each cached under a stamp of the rows it shows.

The stamps are PostgreSQL's (row versions); these tests that need them are skipped on SQLite, and
`.ci/run` runs them on PostgreSQL.
"""

import re
from collections import defaultdict
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
    STEPS,
    RecordPart,
    part_stamps,
    record_for_parts,
    record_stamps,
)
from reviews.record_sections import record_sections, rendering
from reviews.record_version import Rows
from reviews.record_viewers import Viewer
from reviews.services.decisions import task_claim
from tests.factories import OFFICER, decide, fill_entity_step, review_task, submit_entity_step
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
                cursor.execute(
                    f"UPDATE {table} t SET {_a_change_that_shows(rows)} WHERE t.id IN "  # noqa: S608  (the test's own tables)
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


def _a_change_that_shows(rows: Rows) -> str:
    """An UPDATE's SET that changes a row (aliased ``t``), or what shows of it where only some
    columns are stamped: a status moved out of the statuses, or into them, where only whether
    it is among them shows."""
    if rows.held:
        (among,) = rows.held
        return f"status = CASE WHEN {among} THEN 'in_review' ELSE 'active' END"
    if rows.shown:
        return f"{rows.shown[0]} = t.{rows.shown[0]} || 'x'"
    return "id = t.id"


def _held_parts() -> list[RecordPart]:
    """The parts that show of the application's status only whether it is among some."""
    return [part for part in RECORD_PARTS if any(rows.held for rows in part.rows)]


def _status_held(record: Application, part: RecordPart) -> bool:
    """Whether the record's status is among those of which ``part`` shows whether it is."""
    (among,) = (condition for rows in part.rows for condition in rows.held)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {among} FROM onboarding_application t WHERE t.id = %s",  # noqa: S608  (ours)
            [record.pk],
        )
        return bool(cursor.fetchone()[0])


def test_a_part_shows_of_the_status_only_whether_it_is_among_those_its_stamp_holds(record, manager):
    """A part stamped by whether the application's status is among some statuses (a step's:
    whether it is a provider) is rendered alike for every status on the same side: a status
    that moves within them, as a first claim moves a submitted application into review, leaves
    it as it was."""
    assert {part.name for part in _held_parts()} == {*(p.name for p in STEPS), "packet"}
    renderings: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for days, status in enumerate(Application.Status):  # (and saved at another time each)
        saved = timezone.now() + timedelta(days=days)
        Application.objects.filter(pk=record.pk).update(status=status, updated_at=saved)
        for part in _held_parts():
            application = record_for_parts(record.pk, [part])
            html = rendering(Viewer.of(manager), part, part.context_of(application))
            renderings[part.name, _status_held(record, part)].add(html)
    assert {side: len(alike) for side, alike in renderings.items() if len(alike) != 1} == {}


@needs_row_versions
def test_what_a_part_shows_of_the_application_is_all_its_stamp_holds_of_it(record):
    """Its status within the same statuses, and when the row was last saved, leave the stamp;
    any column it shows, or its status across, does not."""
    assert record.status == Application.Status.APPROVED
    stamped = stamps_of(record)
    Application.objects.filter(pk=record.pk).update(
        status=Application.Status.ACTIVE, updated_at=timezone.now() + timedelta(days=1)
    )
    assert all(stamps_of(record)[part] == stamped[part] for part in _held_parts())
    for change in (
        {"decision_reason": "Approved on review"},
        {"effective_date": timezone.localdate() + timedelta(days=3)},
        {"submitted_at": timezone.now() - timedelta(days=3)},
        {"status": Application.Status.SUSPENDED},  # still a provider; out of the network
        {"status": Application.Status.IN_REVIEW},  # neither
    ):
        before = stamps_of(record)
        held = {part: _status_held(record, part) for part in _held_parts()}
        Application.objects.filter(pk=record.pk).update(**change)
        for part in _held_parts():
            shows = "status" not in change or _status_held(record, part) != held[part]
            assert (stamps_of(record)[part] != before[part]) == shows, (part.name, change)


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
def test_a_first_claim_renders_only_the_progress_and_the_timeline_again(
    application, authorized_official, reviewer, parts_rendered
):
    """The first claim puts a submitted application in review: the progress shows its status,
    the steps only whether it is a provider, which it was not and is not."""
    fill_entity_step(application, authorized_official)
    submit_entity_step(application, authorized_official)
    assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED
    page(reviewer, application)
    assert len(parts_rendered) == len(RECORD_PARTS)
    task_claim(task=review_task(application, OnboardingFlow.review_entity), user=reviewer)
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_REVIEW
    parts_rendered.clear()
    shown = page(reviewer, application)
    assert parts_rendered == ["progress", "timeline"]
    assert "Review claimed" in shown


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
