"""The filters' options (entity types, and the people who may hold a review), kept under a stamp
of the rows they show (``reviews.queues.OPTIONS_SHOWN``).

The stamp is PostgreSQL's (row versions); the tests that need it are skipped on SQLite, and
`.ci/run` runs them on PostgreSQL.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from onboarding.models import EntityType
from portal.models import User
from portal.roles import Role
from reviews.queues import OPTIONS_SHOWN, WorkbenchFilterForm
from tests.factories import UserFactory
from tests.reviews.test_record_cache import needs_row_versions, tables_read

pytestmark = pytest.mark.django_db

OPTION_TABLES = {"portal_user_groups", "onboarding_entitytype"}  # read for the options only
# Read to find the review permission among the groups' grants: their rows change only by a
# migration, which is code (and so a new key).
PERMISSION_TABLES = {"auth_group", "auth_permission", "django_content_type"}


def options() -> str:
    """The reviewer and entity-type options of the applications list's filters, as rendered."""
    form = WorkbenchFilterForm.for_applications(QueryDict())
    controls = {control["name"]: control for control in form.controls()}
    return str(controls["reviewer"]["options"]) + str(controls["entity_type"]["options"])


def test_the_options_read_only_tables_the_stamp_covers(reviewer):
    cache.clear()
    with CaptureQueriesContext(connection) as read:
        shown = options()
    assert "Rita Reviewer" in shown
    tables = tables_read(read)
    assert tables >= OPTION_TABLES  # the options were read
    assert tables - {rows.table for rows in OPTIONS_SHOWN} - PERMISSION_TABLES == set()


@needs_row_versions
def test_the_options_are_read_once_and_a_change_shows_at_once(reviewer, reviewer2):
    first = options()
    with CaptureQueriesContext(connection) as read:
        assert options() == first
    assert not tables_read(read) & OPTION_TABLES
    # Bulk updates send no signal and save no model: the stamp sees them all the same.
    User.objects.filter(pk=reviewer.pk).update(full_name="Rita Renamed")
    assert "Rita Renamed" in options()
    User.objects.filter(pk=reviewer2.pk).update(is_active=False)
    assert "Rob Reviewer" not in options()
    UserFactory.create(groups=[Role.REVIEWER.value], full_name="Nina Newcomer")
    assert "Nina Newcomer" in options()
    EntityType.objects.filter(pk=EntityType.objects.earliest("pk").pk).update(name="Renamed type")
    assert "Renamed type" in options()


def test_only_postgresql_keeps_versions_elsewhere_the_options_are_read_every_time(reviewer):
    options()
    with CaptureQueriesContext(connection) as read:
        options()
    read_again = bool(tables_read(read) & OPTION_TABLES)
    assert read_again == (connection.vendor != "postgresql")
