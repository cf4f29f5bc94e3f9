"""The portal's runtime role adds and reads audit rows, and can neither change nor unprotect them.

Each test creates its role inside the test's transaction and runs deploy/postgres/grant_runtime.sql
(the file a DBA runs after every migrate) for it; the role and its grants go when the transaction
is rolled back. Roles belong to the whole cluster, not to one test database, so every role has a
name of its own: the test processes (pytest-xdist) share one PostgreSQL.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, ProgrammingError, connection, transaction
from psycopg import errors

from portal.audit import audit_record
from portal.models import AuditEvent, User
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database roles and privileges are PostgreSQL's (run on PostgreSQL by .ci/run)",
    ),
]

GRANT_RUNTIME = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "grant_runtime.sql"
AUDIT_TABLE = AuditEvent._meta.db_table


def run_grant_runtime(role: str) -> None:
    """Run grant_runtime.sql for ``role``, with its psql variables filled in as psql would."""
    script = (
        GRANT_RUNTIME.read_text()
        .replace(':"runtime_role"', connection.ops.quote_name(role))
        .replace(":'runtime_role'", f"'{role}'")
    )
    with connection.cursor() as cursor:
        cursor.execute(script)


def new_role() -> str:
    """A role that cannot sign in and holds nothing yet, gone when the test's transaction ends."""
    role = f"ecm_app_test_{uuid.uuid4().hex}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)} NOLOGIN")
    return role


@pytest.fixture
def runtime_role() -> str:
    role = new_role()
    run_grant_runtime(role)
    return role


@contextmanager
def acting_as(role: str) -> Iterator[None]:
    """Run the block's queries with ``role``'s privileges only, as the portal would."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def assert_refused_for_want_of_privilege(statement: str) -> None:
    # A savepoint, so that the refusal leaves the test's transaction usable. The cause is checked
    # because the append-only trigger also refuses UPDATE and DELETE, with another error.
    with (
        pytest.raises(ProgrammingError) as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert isinstance(refusal.value.__cause__, errors.InsufficientPrivilege), refusal.value


def test_the_runtime_role_adds_and_reads_audit_rows(runtime_role):
    with acting_as(runtime_role):
        event = audit_record(action=AuditEvent.Action.EXPORT, summary="added by the runtime role")
        assert AuditEvent.objects.get(pk=event.pk).summary == "added by the runtime role"


def test_the_runtime_role_changes_and_removes_rows_of_the_application_tables(runtime_role):
    user = UserFactory.create(email="renamed@plan.example")
    with acting_as(runtime_role):
        User.objects.filter(pk=user.pk).update(full_name="Renamed")
        assert User.objects.get(pk=user.pk).full_name == "Renamed"
        user.groups.add(Group.objects.get(name="reviewer"))
        user.groups.clear()
        assert not user.groups.exists()


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE {AUDIT_TABLE} SET summary = 'changed'",  # noqa: S608  (fixed text, no input)
        f"DELETE FROM {AUDIT_TABLE}",  # noqa: S608  (fixed text, no input)
        f"TRUNCATE {AUDIT_TABLE}",
        f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER portal_auditevent_append_only",
        f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER ALL",
        f"DROP TABLE {AUDIT_TABLE}",
        # Replica mode skips ordinary triggers, the append-only one included.
        "SET session_replication_role = replica",
    ],
)
def test_the_runtime_role_cannot_change_remove_or_unprotect_audit_rows(runtime_role, statement):
    event = audit_record(action=AuditEvent.Action.EXPORT, summary="original")
    with acting_as(runtime_role):
        assert_refused_for_want_of_privilege(statement)
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


def test_running_the_grants_again_takes_back_truncate_granted_by_hand(runtime_role):
    role = connection.ops.quote_name(runtime_role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT TRUNCATE ON {AUDIT_TABLE} TO {role}")
    run_grant_runtime(runtime_role)
    with acting_as(runtime_role):
        assert_refused_for_want_of_privilege(f"TRUNCATE {AUDIT_TABLE}")


def test_the_grants_refuse_a_runtime_role_that_owns_a_table():
    role = new_role()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE runtime_role_probe (id integer)")
        cursor.execute(f"ALTER TABLE runtime_role_probe OWNER TO {connection.ops.quote_name(role)}")
    with pytest.raises(DatabaseError, match="owns"), transaction.atomic():
        run_grant_runtime(role)


def test_the_grants_refuse_a_runtime_role_that_may_act_as_the_audit_tables_owner():
    role = new_role()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass", [AUDIT_TABLE]
        )
        (owner,) = cursor.fetchone()
        cursor.execute(
            f"GRANT {connection.ops.quote_name(owner)} TO {connection.ops.quote_name(role)}"
        )
    with pytest.raises(DatabaseError, match="holds"), transaction.atomic():
        run_grant_runtime(role)
