"""Automatic screening of an entity submission. Exclusion lists come with their own issue."""

from django.core.exceptions import ValidationError

from onboarding.models import Application, ApplicationEvent, ScreeningResult
from onboarding.screening.identifiers import validate_npi
from onboarding.services.events import event_record


def screen_entity(*, application: Application) -> list[ScreeningResult]:
    """Check the submitted identifiers and record each result with its evidence."""
    profile = application.entity_profile
    revision = application.step("entity").revision
    try:
        validate_npi(profile.npi)
    except ValidationError as error:
        outcome, evidence = ScreeningResult.Outcome.ERROR, error.messages[0]
    else:
        outcome = ScreeningResult.Outcome.CLEAR
        evidence = "10 digits, prefix 1 or 2, Luhn check digit (prefix 80840) correct."
    results = [
        ScreeningResult.objects.create(
            application=application,
            check_name="npi_format",
            subject=f"NPI {profile.npi}",
            outcome=outcome,
            evidence=evidence,
            revision=revision,
        )
    ]
    event_record(
        application=application,
        kind=ApplicationEvent.Kind.SCREENED,
        actor=None,
        detail=", ".join(f"{r.check_name}: {r.get_outcome_display()}" for r in results),
    )
    return results
