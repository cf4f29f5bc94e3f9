"""Monthly re-screening of approved and active providers and their teams."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command

from onboarding.models import Application, ApplicationStep
from onboarding.services.steps import care_team_member_save, step_submit
from portal.celery import app as celery_app
from screening.models import ScreeningResult
from screening.services.exclusion_lists import exclusion_release_import
from tests.factories import fill_entity_step, signature_of
from tests.screening.files import leie_entity, leie_file, leie_person


def active_provider(application: Application, official) -> Application:
    """A provider screened clean at submission, then (for this test) made active directly."""
    fill_entity_step(application, official)
    step_submit(
        application=application,
        kind=ApplicationStep.Kind.ENTITY,
        user=official,
        signature=signature_of(official),
    )
    care_team_member_save(
        application=application,
        user=official,
        data={"role": "ecm_director", "full_name": "Dana Director"},
    )
    Application.objects.filter(pk=application.pk).update(status=Application.Status.ACTIVE)
    return Application.objects.get(pk=application.pk)


def rescreen() -> str:
    out = StringIO()
    call_command("rescreen", stdout=out)
    return out.getvalue()


def test_a_new_match_alerts_the_network_managers_and_shows_on_the_record(
    application, authorized_official, manager, reviewer, mailoutbox,
    django_capture_on_commit_callbacks, client,
):  # fmt: skip
    provider = active_provider(application, authorized_official)
    exclusion_release_import(
        source="leie",
        content=leie_file(
            leie_entity("Sunrise Community Services"), leie_person("DIRECTOR", "DANA")
        ),
        operator="test",
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        output = rescreen()

    new = provider.screening_results.filter(is_current=True, is_new_match=True)
    assert {(r.subject_kind, r.check_name) for r in new} == {
        ("organization", "exclusion_leie"),
        ("person", "exclusion_leie"),
    }
    assert f"{provider.reference}: " in output
    assert "Re-screened 1 providers; 1 with a new match" in output
    assert [m.to for m in mailoutbox] == [[manager.email]]
    assert "Sunrise Community Services" in mailoutbox[0].body
    assert provider.events.filter(kind="new_exclusion_match").exists()
    client.force_login(reviewer)
    page = client.get(f"/review/applications/{provider.pk}/").content.decode()
    assert "new at re-screening" in page


def test_the_same_match_found_again_is_not_alerted_twice(
    application, authorized_official, manager, mailoutbox, django_capture_on_commit_callbacks
):
    provider = active_provider(application, authorized_official)
    exclusion_release_import(
        source="leie", content=leie_file(leie_entity("Sunrise Community Services")), operator="t"
    )
    with django_capture_on_commit_callbacks(execute=True):
        rescreen()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        output = rescreen()

    assert mailoutbox == []
    assert "0 with a new match" in output
    match = provider.screening_results.get(
        is_current=True, check_name="exclusion_leie", subject_kind="organization"
    )
    assert match.outcome == ScreeningResult.Outcome.POTENTIAL_MATCH
    assert not match.is_new_match


def test_providers_still_in_review_are_not_rescreened(application, authorized_official):
    fill_entity_step(application, authorized_official)

    assert "Re-screened 0 providers" in rescreen()


def test_the_monthly_schedule_runs_the_rescreening_task():
    entry = settings.CELERY_BEAT_SCHEDULE["rescreen-active-providers"]

    assert entry["task"] == "screening.tasks.rescreen_active_providers"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].day_of_month == {2}
