"""Dates of birth and SSNs are encrypted at rest, and the key is checked against the database."""

from datetime import date
from importlib import import_module

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.db import connection

from disclosures.keys import key_problem
from onboarding.models import CareTeamMember
from onboarding.services.steps import care_team_member_save

pytestmark = pytest.mark.django_db

migration = import_module("onboarding.migrations.0024_care_team_birth_date_encrypted")


def stored(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 (the test's own names)
        return [row[0] for row in cursor.fetchall()]


def test_a_care_team_birth_date_is_stored_encrypted_and_read_back(application, authorized_official):
    member = care_team_member_save(
        application=application,
        user=authorized_official,
        data={"role": "ecm_director", "full_name": "Dee A", "date_of_birth": date(1980, 2, 3)},
    )
    [raw] = stored("onboarding_careteammember", "date_of_birth")
    assert "1980" not in raw
    assert CareTeamMember.objects.get(pk=member.pk).date_of_birth == date(1980, 2, 3)


def test_the_migration_encrypts_the_dates_already_given(application, authorized_official):
    member = care_team_member_save(
        application=application,
        user=authorized_official,
        data={"role": "ecm_director", "full_name": "Dee A", "date_of_birth": date(1980, 2, 3)},
    )
    with connection.cursor() as cursor:  # as the column held it before 0024
        cursor.execute("UPDATE onboarding_careteammember SET date_of_birth = '1980-02-03'")
    assert stored("onboarding_careteammember", "date_of_birth") == ["1980-02-03"]

    migration.encrypt_existing(apps, None)

    [raw] = stored("onboarding_careteammember", "date_of_birth")
    assert "1980" not in raw
    assert CareTeamMember.objects.get(pk=member.pk).date_of_birth == date(1980, 2, 3)


def test_the_key_check_reads_the_canary_with_the_key_given(settings):
    original = list(settings.FIELD_ENCRYPTION_KEY)
    assert key_problem() is None
    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode()]
    assert "cannot decrypt the values this database holds" in (key_problem() or "")
    settings.FIELD_ENCRYPTION_KEY = [Fernet.generate_key().decode(), *original]
    assert key_problem() is None  # rotating: the old key listed after the new one
