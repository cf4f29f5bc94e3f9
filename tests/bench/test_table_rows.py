"""Rows written straight into a table read back through the ORM as the rows that were given."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS

from bench.table_rows import TableRows
from onboarding.flows import OnboardingFlow
from onboarding.models import CareTeamMember, Organization
from onboarding.reference import CareTeamRole

pytestmark = pytest.mark.django_db

FOUNDED = datetime(2024, 3, 5, 17, 30, tzinfo=UTC)


def test_rows_read_back_as_written_with_the_ids_handed_out():
    rows = TableRows(connection)
    ids = rows.new_ids(Organization, 2)

    written = rows.write(
        Organization,
        ("id", "legal_name", "created_at"),
        [(ids[0], "Harbor Clinic", FOUNDED), (ids[1], "Valley Outreach", FOUNDED)],
    )

    assert written == 2
    assert list(Organization.objects.filter(pk__in=ids).values_list("pk", "legal_name")) == [
        (ids[0], "Harbor Clinic"),
        (ids[1], "Valley Outreach"),
    ]
    assert Organization.objects.get(pk=ids[0]).created_at == FOUNDED
    # The ORM's next row takes an id after the ones handed out, never one of them.
    assert Organization.objects.create(legal_name="Later Org").pk > max(ids)
    assert rows.new_ids(Organization, 1)[0] > max(ids)


def test_columns_left_out_take_their_defaults_and_fields_prepare_their_own_values(application):
    rows = TableRows(connection)
    (process,) = rows.new_ids(Process, 1)
    rows.write(Process, ("id", "flow_class", "created"), [(process, OnboardingFlow, FOUNDED)])
    rows.write(
        Task,
        ("flow_task", "flow_task_type", "status", "process_id"),
        [(OnboardingFlow.start, "START", STATUS.DONE, process)],
    )
    rows.write(
        CareTeamMember,
        ("application_id", "role", "full_name", "fte"),
        [(application.pk, CareTeamRole.LEAD_CARE_MANAGER, "Ana Ruiz", Decimal("0.33"))],
    )

    stored = Process.objects.get(pk=process)
    assert stored.flow_class is OnboardingFlow
    assert stored.status == PROCESS.NEW  # the field's default
    assert stored.data == {}
    task = Task.objects.get(process_id=process)
    assert task.flow_task == OnboardingFlow.start
    assert task.token == "start"
    member = CareTeamMember.objects.get(application=application)
    assert member.fte == Decimal("0.33")
    assert member.email == ""  # a text field without a default is blank, as bulk_create leaves it
    assert member.license_expires_on is None


def test_a_column_the_table_does_not_have_or_a_required_value_left_out_is_refused():
    rows = TableRows(connection)

    with pytest.raises(ValueError, match="no column"):
        rows.write(Organization, ("legal_name", "nickname"), [("Harbor Clinic", "Harbor")])
    with pytest.raises(ValueError, match="has no default"):
        rows.write(CareTeamMember, ("role", "full_name"), [("lead_care_manager", "Ana Ruiz")])

    assert not Organization.objects.filter(legal_name="Harbor Clinic").exists()
