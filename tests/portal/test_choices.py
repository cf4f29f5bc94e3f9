"""get_FOO_display reads labels from a table: the same text Django gives, without the cost."""

from onboarding.models import Application, ApplicationStep
from reviews.models import ReviewWork


def test_each_value_shows_its_label_and_an_unknown_value_shows_itself():
    step = ApplicationStep(kind=ApplicationStep.Kind.DATA_SHARING, status="returned")

    assert step.get_kind_display() == str(ApplicationStep.Kind.DATA_SHARING.label)
    assert step.get_status_display() == str(ApplicationStep.Status.RETURNED.label)
    assert Application(status="no-such-status").get_status_display() == "no-such-status"


def test_every_choice_reads_as_djangos_own_display_would():
    for model, name in ((Application, "status"), (ReviewWork, "stage")):
        field = model._meta.get_field(name)
        for value, label in field.flatchoices:  # type: ignore[union-attr]
            assert getattr(model(**{name: value}), f"get_{name}_display")() == str(label)
