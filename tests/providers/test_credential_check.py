"""The daily credential check, on a frozen clock: licence notices once each, and compliance."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from documents.services import document_upload
from onboarding.models import (
    Application,
    ApplicationStep,
    CareTeamMember,
    EntityType,
)
from onboarding.services.steps import care_team_member_save, step_submit
from portal.celery import app as celery_app
from providers.models import ComplianceIssue, CredentialNotice
from providers.selectors import notice_point
from providers.tasks import check_credentials
from tests.factories import PDF, fill_entity_step, pdf_upload, signature_of

pytestmark = pytest.mark.django_db

START = date(2027, 1, 4)
EXPIRES = START + timedelta(days=89)  # 2027-04-03: within 90 days on START


def at(day: date) -> datetime:
    """Nine in the morning, plan time, on ``day``: when the beat job runs."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo(settings.TIME_ZONE))


def provider(
    application: Application,
    official,
    *,
    expires: date | None = EXPIRES,
    clinic_licences: tuple[date, ...] = (),
) -> Application:
    """An active provider with a full roster; its Clinical Consultant's licence ends on
    ``expires``. With ``clinic_licences`` it is also a licensed community health center, and
    uploaded its CDPH clinic licence once for each expiry date given. Made active directly:
    what is checked is the record after approval."""
    fill_entity_step(application, official)
    if clinic_licences:
        clinic = EntityType.objects.get(code="community_health_center")
        application.entity_profile.entity_types.add(clinic)
        for n, expires_on in enumerate(clinic_licences):
            document_upload(
                application=application,
                step_kind=ApplicationStep.Kind.ENTITY,
                user=official,
                evidence_requirement=clinic.evidence_requirements.get(has_expiry=True),
                upload=pdf_upload(f"clinic-licence-{n}.pdf", PDF + str(n).encode()),
                expires_on=expires_on,
            )
    step_submit(
        application=application,
        kind=ApplicationStep.Kind.ENTITY,
        user=official,
        signature=signature_of(official),
    )
    for role, name, licence in (
        ("lead_care_manager", "Lee Lead", {}),
        ("ecm_director", "Dana Director", {}),
        (
            "clinical_consultant",
            "Casey Clinician",
            {
                "license_type": "LCSW",
                "license_number": "LCS12345",
                "license_state": "CA",
                "license_expires_on": expires,
            },
        ),
    ):
        care_team_member_save(
            application=application,
            user=official,
            data={"role": role, "full_name": name, **licence},
        )
    Application.objects.filter(pk=application.pk).update(status=Application.Status.ACTIVE)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the cron command as the plan's scheduler would; what it printed."""

    def run() -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("check_credentials", stdout=out)
        return out.getvalue()

    return run


def test_notices_at_90_60_and_30_days_then_at_expiry_each_sent_once(
    application, authorized_official, preparer, manager, mailoutbox, run
):
    with time_machine.travel(at(START), tick=False) as clock:
        provider(application, authorized_official)
        organization = sorted([authorized_official.email, preparer.email])

        mailoutbox.clear()
        assert run().startswith("1 licence notice(s) to 1 provider(s), 0 of them expiries")
        assert [sorted(m.to) for m in mailoutbox] == [organization]
        assert "Casey Clinician" in mailoutbox[0].body
        assert "expires on Apr 3, 2027, in 90 days" not in mailoutbox[0].body  # 89 days left
        assert "in 89 days" in mailoutbox[0].body
        assert "LCS12345" not in mailoutbox[0].body

        mailoutbox.clear()
        assert run().startswith("0 licence notice(s)")  # the same day again: nothing new
        assert mailoutbox == []

        for day, point in ((EXPIRES - timedelta(days=60), 60), (EXPIRES - timedelta(days=30), 30)):
            clock.move_to(at(day))
            mailoutbox.clear()
            assert run().startswith("1 licence notice(s)")
            assert [sorted(m.to) for m in mailoutbox] == [organization]
            assert f"in {point} days" in mailoutbox[0].body

        clock.move_to(at(EXPIRES - timedelta(days=1)))
        mailoutbox.clear()
        assert run().startswith("0 licence notice(s)")
        assert mailoutbox == []

        clock.move_to(at(EXPIRES))
        mailoutbox.clear()
        output = run()
        assert output.startswith("1 licence notice(s) to 1 provider(s), 1 of them expiries")
        assert "2 compliance issue(s) opened" in output
        assert "1 provider(s) out of compliance" in output
        subjects = {m.subject.removeprefix("[ECM Provider Portal] "): m.to for m in mailoutbox}
        assert {subject: sorted(to) for subject, to in subjects.items()} == {
            "Sunrise Community Services: a licence has expired": organization,
            "1 provider licence has expired": [manager.email],
            "Sunrise Community Services no longer meets an ECM provider requirement": organization,
            f"{application.reference}: provider out of compliance (Sunrise Community Services)": [
                manager.email
            ],
        }

        mailoutbox.clear()
        clock.move_to(at(EXPIRES + timedelta(days=1)))
        assert run().startswith("0 licence notice(s) to 0 provider(s), 0 of them expiries; 0")
        assert mailoutbox == []

    notices = CredentialNotice.objects.order_by("sent_at")
    assert [n.days_before for n in notices] == [90, 60, 30, 0]
    assert {n.expires_on for n in notices} == {EXPIRES}


def test_a_licence_already_close_to_expiry_is_told_once_at_the_nearest_point(
    application, authorized_official, mailoutbox, run
):
    with time_machine.travel(at(START), tick=False):
        provider(application, authorized_official, expires=START + timedelta(days=20))
        mailoutbox.clear()
        run()

    assert list(CredentialNotice.objects.values_list("days_before", flat=True)) == [30]
    assert len(mailoutbox) == 1


def test_a_missed_day_is_caught_up_the_next_day(application, authorized_official, run):
    with time_machine.travel(at(EXPIRES - timedelta(days=59)), tick=False):  # day 60 missed
        provider(application, authorized_official)
        run()

    assert list(CredentialNotice.objects.values_list("days_before", flat=True)) == [60]


def test_a_renewed_licence_resolves_the_issue_and_starts_its_own_notices(
    application, authorized_official, run
):
    with time_machine.travel(at(EXPIRES), tick=False) as clock:
        active = provider(application, authorized_official)
        run()
        assert ComplianceIssue.objects.filter(resolved_on__isnull=True).count() == 2

        renewed = EXPIRES + timedelta(days=730)
        CareTeamMember.objects.filter(application=active, role="clinical_consultant").update(
            license_expires_on=renewed
        )
        clock.move_to(at(EXPIRES + timedelta(days=1)))
        output = run()
        assert "0 compliance issue(s) opened, 2 resolved; 0 provider(s) out of compliance" in (
            output
        )
        assert not ComplianceIssue.objects.filter(resolved_on__isnull=True).exists()
        assert set(ComplianceIssue.objects.values_list("resolved_on", flat=True)) == {
            EXPIRES + timedelta(days=1)
        }

        clock.move_to(at(renewed - timedelta(days=90)))
        run()
    assert list(
        CredentialNotice.objects.filter(expires_on=renewed).values_list("days_before", flat=True)
    ) == [90]


def test_a_roster_without_an_ecm_director_is_out_of_compliance(
    application, authorized_official, run
):
    with time_machine.travel(at(START), tick=False):
        active = provider(application, authorized_official, expires=START + timedelta(days=400))
        CareTeamMember.objects.filter(application=active, role="ecm_director").delete()
        run()

    issue = ComplianceIssue.objects.get()
    assert issue.application == active
    assert issue.message == "Name exactly one ECM Director (you have 0)."
    assert issue.found_on == START


def test_applications_not_in_the_network_are_left_alone(application, authorized_official, run):
    with time_machine.travel(at(START), tick=False):
        provider(application, authorized_official)
        Application.objects.filter(pk=application.pk).update(status=Application.Status.WITHDRAWN)
        assert run().startswith("0 licence notice(s) to 0 provider(s)")

    assert not ComplianceIssue.objects.exists()


def test_the_nearest_point_reached(settings):
    settings.CREDENTIAL_NOTICE_DAYS = [30, 90, 60]
    today = START
    assert notice_point(today + timedelta(days=91), today) is None
    assert notice_point(today + timedelta(days=90), today) == 90
    assert notice_point(today + timedelta(days=61), today) == 90
    assert notice_point(today + timedelta(days=60), today) == 60
    assert notice_point(today + timedelta(days=1), today) == 30
    assert notice_point(today, today) == CredentialNotice.EXPIRED
    assert notice_point(today - timedelta(days=400), today) == CredentialNotice.EXPIRED


def test_the_daily_schedule_runs_the_check_task(application, authorized_official):
    entry = settings.CELERY_BEAT_SCHEDULE["credential-check"]
    assert entry["task"] == check_credentials.name == "providers.tasks.check_credentials"
    assert entry["schedule"].hour == {6}
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    assert entry["task"] in celery_app.tasks
    with time_machine.travel(at(START), tick=False):
        provider(application, authorized_official)
        result = check_credentials.delay().get()
    assert result.startswith("1 licence notice(s) to 1 provider(s)")


def test_the_organizations_own_licence_is_watched_like_the_teams(
    application, authorized_official, manager, mailoutbox, run
):
    with time_machine.travel(at(START), tick=False) as clock:
        active = provider(
            application,
            authorized_official,
            expires=EXPIRES + timedelta(days=700),
            clinic_licences=(EXPIRES,),
        )
        mailoutbox.clear()
        run()
        assert "Sunrise Community Services, Clinic license (CDPH): expires on Apr 3, 2027" in (
            mailoutbox[0].body
        )

        clock.move_to(at(EXPIRES))
        mailoutbox.clear()
        output = run()
    assert "1 compliance issue(s) opened" in output
    issue = ComplianceIssue.objects.get(application=active)
    assert issue.message == (
        "The Clinic license (CDPH) expired on 3 April 2027. Upload the current one."
    )
    assert [n.days_before for n in CredentialNotice.objects.order_by("sent_at")] == [90, 0]
    assert set(CredentialNotice.objects.values_list("document__requirement", flat=True)) == {
        "Clinic license (CDPH)"
    }


def test_a_renewed_upload_replaces_the_old_licence(application, authorized_official, run):
    with time_machine.travel(at(START), tick=False):
        provider(
            application,
            authorized_official,
            expires=EXPIRES + timedelta(days=700),
            clinic_licences=(EXPIRES, EXPIRES + timedelta(days=365)),
        )
        assert run().startswith("0 licence notice(s)")
    assert not CredentialNotice.objects.exists()
