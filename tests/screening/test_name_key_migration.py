"""Migration 0004 gives the rows already imported the name keys an import gives them today."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from screening.models import ExclusionRecord
from screening.services.exclusion_lists import exclusion_release_import
from tests.screening.files import leie_entity, leie_file, leie_person, medi_cal_file

pytestmark = pytest.mark.django_db

migration = import_module("screening.migrations.0004_recompute_name_keys")


def keys() -> list[tuple[str, str]]:
    return list(ExclusionRecord.objects.order_by("pk").values_list("normalised_name", "person_key"))


def test_stale_keys_are_recomputed_as_the_importer_computes_them():
    for source, content in [
        (
            "leie",
            leie_file(
                leie_person("O BRIEN", "MARY"),
                leie_person("DO", "ANH"),
                leie_entity("ĐẶNG FAMILY CLINIC"),
            ),
        ),
        (
            "medi-cal",
            medi_cal_file(
                ["Last Name or Business Name", "First Name", "AKA/DBA", "Date of Suspension"],
                ["García-López", "José", "Lopez Home Care; JGL Services", "03/15/2021"],
            ),
        ),
    ]:
        exclusion_release_import(source=source, content=content, operator="test")
    imported = keys()
    assert ("", "OBRIEN MARY") in imported
    assert ("", "DO ANH") in imported
    assert ("DANG FAMILY CLINIC", "") in imported
    ExclusionRecord.objects.update(normalised_name="STALE", person_key="STALE")

    # The migration uses only the schema editor's connection.
    migration.recompute_name_keys(apps, SimpleNamespace(connection=connection))

    assert keys() == imported
    # The person is matched once, on the row's own record; its AKA/DBA records are businesses.
    assert [k for _, k in imported[-3:]] == ["GARCIALOPEZ JOSE", "", ""]
