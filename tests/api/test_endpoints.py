"""What each operation answers: application status by reference and by NPI, the roster with
capacity by population and county, and the changes since a time, page by page."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.tokens import IssuedToken
from onboarding.models import Application, ApplicationEvent
from portal.models import User
from tests.api.conftest import bearer, json_of, roster_provider
from tests.factories import VALID_NPI, VALID_TIN
from tests.providers.test_credential_check import provider

pytestmark = pytest.mark.django_db


def get(token: IssuedToken, path: str, **params: str | int) -> tuple[int, dict]:
    response = Client().get(path, params, headers=bearer(token))
    return response.status_code, json_of(response)


def test_status_by_reference(application: Application, token: IssuedToken):
    status, body = get(token, f"/api/v1/applications/{application.reference}")
    assert status == 200
    assert body["reference"] == application.reference
    assert body["status"] == "draft"
    assert body["status_label"] == "Draft"
    assert body["organization"] == "Sunrise Community Services"
    assert body["renews"] is None
    assert [step["kind"] for step in body["steps"]] == ["attestations", "data_sharing", "entity"]


@pytest.mark.parametrize(
    "reference",
    ["ECM-999999", "ECM-1", "ecm-000001", "123", "ECM-" + "\u0660" * 5 + "\u0661"],
)
def test_status_of_an_unknown_reference_is_404(reference: str, token: IssuedToken):
    status, body = get(token, f"/api/v1/applications/{reference}")
    assert (status, body) == (404, {"detail": "No application has this reference."})


def test_status_by_npi_lists_every_application_giving_it(
    application: Application, authorized_official: User, token: IssuedToken
):
    active = provider(application, authorized_official)
    status, body = get(token, f"/api/v1/applications/by-npi/{VALID_NPI}")
    assert status == 200
    [only] = body["items"]
    assert only["reference"] == active.reference
    assert only["status"] == "active"
    assert only["npi"] == VALID_NPI
    status, body = get(token, "/api/v1/applications/by-npi/1111111112")
    assert (status, body) == (404, {"detail": "No application gives this NPI."})


def test_no_identifier_of_a_person_is_answered(
    application: Application, authorized_official: User, token: IssuedToken
):
    provider(application, authorized_official)
    for path in (
        f"/api/v1/applications/{application.reference}",
        "/api/v1/roster",
        "/api/v1/changes",
    ):
        text = Client().get(path, headers=bearer(token)).content.decode()
        assert f'"{VALID_TIN}"' not in text
        assert '"tin"' not in text
        assert "ssn" not in text.lower()
        assert "birth" not in text.lower()


def test_roster_gives_capacity_by_population_and_county_status_and_due_date(
    token: IssuedToken,
):
    first = roster_provider(
        1,
        npi="1234567893",
        capacity={("1a", "los_angeles"): 40, ("1a", "orange"): 5, ("3a", "orange"): 10},
        due_on=date(2028, 6, 30),
    )
    roster_provider(2, status=Application.Status.SUSPENDED)
    roster_provider(3, status=Application.Status.IN_REVIEW)  # not a provider: not listed
    status, body = get(token, "/api/v1/roster")
    assert status == 200
    assert [entry["status"] for entry in body["items"]] == ["active", "suspended"]
    entry = body["items"][0]
    assert entry["reference"] == first.reference
    assert entry["legal_name"] == "Provider 1 Inc."
    assert entry["npi"] == "1234567893"
    assert entry["counties"] == ["los_angeles", "orange"]
    assert entry["capacity"] == [
        {"population": "1a", "county": "los_angeles", "member_capacity": 40},
        {"population": "1a", "county": "orange", "member_capacity": 5},
        {"population": "3a", "county": "orange", "member_capacity": 10},
    ]
    assert entry["total_capacity"] == 55
    assert entry["recredentialing_due_on"] == "2028-06-30"
    assert body["next_after"] is None


def test_roster_pages(token: IssuedToken):
    providers = [roster_provider(n) for n in range(5)]
    references: list[str] = []
    after: str | None = None
    for _ in range(3):
        params: dict[str, str | int] = {"limit": 2, **({"after": after} if after else {})}
        status, body = get(token, "/api/v1/roster", **params)
        assert status == 200
        references += [entry["reference"] for entry in body["items"]]
        after = body["next_after"]
    assert references == [p.reference for p in providers]
    assert after is None
    status, body = get(token, "/api/v1/roster", after="nonsense")
    assert status == 422


def test_changes_since_a_time_in_order_with_a_cursor_to_resume(token: IssuedToken):
    old = roster_provider(1)
    ApplicationEvent.objects.filter(application=old).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    since = timezone.now() - timedelta(days=1)
    first, second = roster_provider(2), roster_provider(3)
    for kind in (ApplicationEvent.Kind.CHANGE_APPLIED, ApplicationEvent.Kind.RECREDENTIALED):
        ApplicationEvent.objects.create(application=first, kind=kind)
    # Not a change of the record: not listed.
    ApplicationEvent.objects.create(application=first, kind=ApplicationEvent.Kind.TASK_CLAIMED)

    status, body = get(token, "/api/v1/changes", since=since.isoformat(), limit=2)
    assert status == 200
    assert [(i["provider"]["reference"], i["change"]) for i in body["items"]] == [
        (first.reference, "final_approved"),
        (second.reference, "final_approved"),
    ]
    assert body["has_more"] is True
    assert body["items"][0]["provider"]["capacity"]
    status, body = get(token, "/api/v1/changes", cursor=body["cursor"], limit=2)
    assert [(i["provider"]["reference"], i["change"]) for i in body["items"]] == [
        (first.reference, "change_applied"),
        (first.reference, "recredentialed"),
    ]
    assert body["has_more"] is False
    cursor = body["cursor"]
    times = [i["changed_at"] for i in body["items"]]
    assert times == sorted(times)

    # Later: only what happened since the cursor.
    status, body = get(token, "/api/v1/changes", cursor=cursor)
    assert (body["items"], body["cursor"]) == ([], cursor)
    ApplicationEvent.objects.create(
        application=second, kind=ApplicationEvent.Kind.PROVIDER_SUSPENDED
    )
    status, body = get(token, "/api/v1/changes", cursor=cursor)
    assert [(i["provider"]["reference"], i["change"]) for i in body["items"]] == [
        (second.reference, "provider_suspended")
    ]

    status, body = get(token, "/api/v1/changes")
    assert len(body["items"]) == 6  # without `since`: from the beginning, the old one too


def test_changes_wait_until_they_have_settled(token: IssuedToken, settings):
    settings.API_CHANGES_SETTLE_SECONDS = 60
    roster_provider(1)
    _status, body = get(token, "/api/v1/changes")
    assert body["items"] == []


@pytest.mark.parametrize(
    ("cursor", "status"),
    [("not-a-cursor", 422), ("1-", 422), ("-1-1", 422), ("9999999999999999-1", 200)],
)
def test_a_cursor_not_shaped_like_ours_is_refused(cursor: str, status: int, token: IssuedToken):
    assert get(token, "/api/v1/changes", cursor=cursor)[0] == status


@pytest.mark.parametrize("since", ["0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00"])
def test_times_far_away_are_answered(since: str, token: IssuedToken):
    roster_provider(1)
    status, body = get(token, "/api/v1/changes", since=since)
    assert status == 200
    assert len(body["items"]) == (1 if since.startswith("0001") else 0)


def test_a_limit_out_of_range_is_422(token: IssuedToken):
    status, body = get(token, "/api/v1/roster", limit=501)
    assert status == 422
    assert body["detail"]
