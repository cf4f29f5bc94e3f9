"""The audit trail records who did what, when and from where, and nothing can change it."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction

from documents.services import download_record
from portal.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_sign_in_and_failed_sign_in_are_recorded_with_the_address(client):
    user = UserFactory(email="rita@plan.example")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post(
        "/accounts/login/",
        {"login": "rita@plan.example", "password": "wrong-password"},
        REMOTE_ADDR="203.0.113.9",
    )
    client.post(
        "/accounts/login/",
        {"login": "rita@plan.example", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )
    failed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
    assert failed.actor_email == "rita@plan.example"
    signed_in = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert (signed_in.actor, signed_in.ip_address, signed_in.user_agent) == (
        user,
        "203.0.113.9",
        "TestBrowser/1.0",
    )


def test_role_changes_are_recorded(db):
    user = UserFactory(email="new@plan.example")
    user.groups.add(Group.objects.get(name="reviewer"))
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGE)
    assert "added for new@plan.example: reviewer" in event.summary


def test_application_events_and_downloads_are_recorded(
    application, authorized_official, welcome_packet
):
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.APPLICATION,
        actor=authorized_official,
        object_type="onboarding.Application",
        object_id=str(application.pk),
    ).exists()
    item = welcome_packet.items.get()
    download_record(user=authorized_official, ip_address="198.51.100.1", packet_item=item)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DOCUMENT_DOWNLOAD, actor=authorized_official
    ).exists()


def test_admin_changes_are_recorded(client):
    admin = UserFactory.create(
        email="admin@plan.example", is_staff=True, is_superuser=True, groups=["plan admin"]
    )
    client.force_login(admin)
    response = client.post(
        "/admin/onboarding/entitytype/1/change/",
        {
            "code": "county_agency",
            "name": "City or county government agency (renamed)",
            "is_active": "on",
            "sort_order": "1",
            "evidence_requirements-TOTAL_FORMS": "0",
            "evidence_requirements-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.ADMIN_CHANGE)
    assert event.actor == admin
    assert "renamed" in event.summary


def test_no_code_path_updates_or_deletes_audit_rows(db):
    event = AuditEvent.objects.create(action=AuditEvent.Action.EXPORT, summary="original")
    event.summary = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_change_audit_rows(db):
    event = AuditEvent.objects.create(action=AuditEvent.Action.EXPORT, summary="original")
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET summary = 'changed' WHERE id = %s", [event.pk])  # noqa: S608
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


def test_managers_search_and_export_the_trail(client, manager, application):
    client.force_login(manager)
    page = client.get("/audit/", {"who": "ana@", "action": "application"})
    assert page.status_code == 200
    assert application.reference in page.content.decode()
    response = client.get("/audit/export.csv", {"action": "application"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["occurred_at", "actor_email", "action"]
    assert any(row[1] == "ana@sunrise.example" for row in rows[1:])
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, actor=manager).exists()


def test_exported_cells_that_look_like_formulas_are_neutralised(client, manager):
    AuditEvent.objects.create(action=AuditEvent.Action.EXPORT, summary='=HYPERLINK("x")')
    client.force_login(manager)
    body = b"".join(client.get("/audit/export.csv").streaming_content).decode()
    assert "'=HYPERLINK" in body


@pytest.mark.parametrize("fixture", ["authorized_official", "reviewer"])
def test_applicants_and_reviewers_cannot_read_the_trail(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
