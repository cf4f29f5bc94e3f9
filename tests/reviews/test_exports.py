"""CSV exports: asked for, built by a background job, downloaded by the manager who asked;
filtered, formula-safe, audited; and the dashboard's charts."""

import csv
import io
import re

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from onboarding.models import Application, CapabilityAttestation, EntityProfile
from portal.models import AuditEvent
from reviews.exports import cell
from reviews.models import Export

pytestmark = pytest.mark.django_db

DOWNLOAD = re.compile(r'href="(/review/exports/\d+/download/)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def exported(client: Client, name: str, query: str = ""):
    """Ask for an export as the button does (POST), follow to the page of exports, and download
    the newest export from its link. The request commits before the job starts, as in a real
    request; in the embedded default (eager jobs) the file is ready when the page shows.

    Other apps' tests read the roster through this: ``rows_of(exported(client, name))``.
    """
    url = reverse(name) + (f"?{query}" if query else "")
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(url)
    assert asked.status_code == 302
    assert asked["Location"] == reverse("reviews:exports")
    page = client.get(asked["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="exports-waiting"' not in html
    links = DOWNLOAD.findall(html)
    assert links, "no download link on the page of exports"
    return client.get(links[0])


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.streaming
    # Read to the end, the test client closes the response and its file.
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "\t=1"])
def test_formula_cells_are_neutralised(value):
    assert cell(value) == "'" + value


def test_ordinary_cells_are_left_alone():
    assert cell("Sunrise") == "Sunrise"
    assert cell(None) == ""
    assert cell(12) == "12"


def test_applications_export_follows_the_filters(submitted_application, manager):
    la = submitted_application(county="los_angeles")
    fresno = submitted_application(county="fresno", entity_type="cbo")
    client = signed_in(manager)
    response = exported(client, "reviews:applications_export", "county=fresno")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="applications-{timezone.localdate():%Y%m%d}.csv"'
    )
    rows = rows_of(response)
    assert [r["reference"] for r in rows] == [fresno.reference]
    assert rows[0]["counties"] == "Fresno"
    assert rows[0]["open_reviews"] == "Entity verification"
    all_rows = rows_of(exported(client, "reviews:applications_export"))
    assert {r["reference"] for r in all_rows} == {la.reference, fresno.reference}
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=manager, summary__contains="county=fresno"
    ).exists()
    filtered, everything = Export.objects.order_by("pk")
    assert (filtered.filters, filtered.row_count) == ("county=fresno", 1)
    assert (everything.filters, everything.row_count) == ("", 2)


def test_roster_lists_only_approved_providers_with_their_details(submitted_application, manager):
    approved = submitted_application(county="los_angeles", population="1a")
    pending = submitted_application()
    EntityProfile.objects.filter(application=approved).update(
        npi="1234567893",
        tin="123456789",
        legal_name="=cmd|' /C calc'!A0",
        contact_email="c@x.example",
    )
    CapabilityAttestation.objects.filter(application=approved).update(
        languages_offered="English, Spanish"
    )
    Application.objects.filter(pk=approved.pk).update(
        status=Application.Status.ACTIVE, effective_date=timezone.localdate()
    )
    response = exported(signed_in(manager), "reviews:roster_export")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="ecm-provider-roster-{timezone.localdate():%Y%m%d}.csv"'
    )
    rows = rows_of(response)
    assert [r["reference"] for r in rows] == [approved.reference]
    row = rows[0]
    assert row["legal_name"] == "'=cmd|' /C calc'!A0"
    assert row["npi"] == "1234567893"
    assert row["tin"] == "123456789"
    assert row["counties"] == "Los Angeles"
    assert row["populations_of_focus"] == "1a"
    assert row["member_capacity"] == "10"
    assert row["languages"] == "English, Spanish"
    assert row["contact_email"] == "c@x.example"
    assert row["status"] == "Active"
    assert row["effective_date"] == timezone.localdate().isoformat()
    assert row["compliance"] == "in compliance"
    assert pending.reference not in {r["reference"] for r in rows}
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, actor=manager, summary__contains="roster"
    ).exists()


def test_dashboard_draws_charts_with_their_figures(submitted_application, manager):
    submitted_application()
    submitted_application()
    response = signed_in(manager).get(reverse("reviews:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") >= 1
    assert 'role="img"' in html
    assert html.count("<script") == 1  # only the static Bootstrap bundle; charts need no script
    by_step = {bar.label: bar.value for bar in response.context["by_step"]}
    assert by_step["Entity verification"] == 2
    assert "Show as a table" in html


def test_reviewers_cannot_export(submitted_application, reviewer):
    submitted_application()
    client = signed_in(reviewer)
    assert client.post(reverse("reviews:roster_export")).status_code == 403
    assert client.post(reverse("reviews:applications_export")).status_code == 403
    assert client.get(reverse("reviews:roster_export")).status_code == 403
    assert client.get(reverse("reviews:exports")).status_code == 403
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_an_old_export_link_builds_nothing_and_leads_to_the_exports_page(
    submitted_application, manager
):
    submitted_application(county="fresno")
    client = signed_in(manager)
    response = client.get(reverse("reviews:applications_export"), {"county": "fresno"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:exports") + "?county=fresno"
    page = client.get(response["Location"]).content.decode()
    # The page's button asks for the same filters.
    assert 'action="/review/applications/export.csv?county=fresno"' in page
    roster = client.get(reverse("reviews:roster_export"))
    assert roster["Location"] == reverse("reviews:exports")
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
