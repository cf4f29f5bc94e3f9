"""Related rows read inside the parent's query are the rows prefetch_related reads, in one query."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import models

from onboarding.models import Application, ApplicationStep, CareTeamMember, EntityProfile
from onboarding.selectors import RECORD_LISTS
from onboarding.services.steps import step_submit
from portal.rows_in_query import with_rows_in_query
from tests.factories import fill_attestations_step, fill_entity_step

pytestmark = pytest.mark.django_db

LOOKUPS = RECORD_LISTS  # what the reviewer's application page reads


def columns(instance: models.Model) -> dict[str, object]:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def related_rows(application: Application, lookup: str) -> list[tuple[type, dict[str, object]]]:
    owner: models.Model = application
    *hops, name = lookup.split("__")
    for hop in hops:
        owner = getattr(owner, hop)
    return [(type(row), columns(row)) for row in getattr(owner, name).all()]


@pytest.fixture
def filled_application(application, authorized_official) -> Application:
    fill_entity_step(application, authorized_official)
    fill_attestations_step(application, authorized_official)
    # A fraction that binary floating point cannot hold, to show numbers come back exact.
    CareTeamMember.objects.filter(application=application).update(fte=Decimal("0.33"))
    step_submit(application=application, kind=ApplicationStep.Kind.ENTITY, user=authorized_official)
    return application


def test_rows_equal_what_prefetch_related_reads(filled_application, django_assert_num_queries):
    base = Application.objects.select_related("entity_profile")
    expected = base.prefetch_related(*LOOKUPS).get(pk=filled_application.pk)

    with django_assert_num_queries(1):
        application = with_rows_in_query(base, *LOOKUPS).get(pk=filled_application.pk)
        read = {lookup: related_rows(application, lookup) for lookup in LOOKUPS}

    for lookup in LOOKUPS:
        assert read[lookup] == related_rows(expected, lookup), lookup
        assert read[lookup], f"{lookup}: the fixture should fill every relation"
    fte = {row["fte"] for _model, row in read["care_team"]}
    assert fte == {Decimal("0.33")}
    submitted_at = next(row["submitted_at"] for _model, row in read["steps"] if row["submitted_at"])
    assert submitted_at == expected.steps.get(kind="entity").submitted_at
    assert isinstance(submitted_at, datetime)
    assert submitted_at.tzinfo is not None


def test_rows_keep_their_models_order_and_know_their_parent(
    filled_application, django_assert_num_queries
):
    application = with_rows_in_query(Application.objects.all(), "criterion_attestations").get(
        pk=filled_application.pk
    )
    with django_assert_num_queries(0):
        criteria = list(application.criterion_attestations.all())
        assert [row.criterion for row in criteria] == sorted(row.criterion for row in criteria)
        assert all(row.application is application for row in criteria)
        assert criteria[0].get_criterion_display()


def test_a_descending_ordering_is_kept(filled_application):
    """Events are ordered newest first (``-created_at``, ``-pk``)."""
    expected = Application.objects.prefetch_related("events").get(pk=filled_application.pk)
    read = with_rows_in_query(Application.objects.all(), "events").get(pk=filled_application.pk)

    events = [event.pk for event in read.events.all()]
    assert len(events) > 1
    assert events == [event.pk for event in expected.events.all()]
    assert events == sorted(events, reverse=True)


def test_an_empty_one_to_one_reads_no_rows(application, django_assert_num_queries):
    EntityProfile.objects.filter(application=application).delete()
    with django_assert_num_queries(1):
        read = with_rows_in_query(
            Application.objects.select_related("entity_profile"),
            "entity_profile__counties",
            "steps",
        ).get(pk=application.pk)
        assert not hasattr(read, "entity_profile")
        assert len(read.steps.all()) == 3


def test_a_forward_foreign_key_is_refused():
    with pytest.raises(TypeError, match="organization"):
        with_rows_in_query(Application.objects.all(), "organization")
