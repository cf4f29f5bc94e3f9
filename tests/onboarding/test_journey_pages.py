"""The whole journey through the pages people use, with Django's test client."""

import logging
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from viewflow.workflow.models import Task

from documents.models import WelcomePacket, WelcomePacketItem
from documents.services import packet_publish
from onboarding.attestation_text import ATTESTATION_VERSION
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, EntityType
from portal.models import User
from reviews.review_items import ATTESTATION_ITEMS
from tests.data_sharing.samples import as_csv, sample_rows, specification
from tests.factories import UserFactory, pdf_upload
from tests.reviews.test_exports import exported

PASSWORD = "a-long-demo-passphrase-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


def staff(email: str, role: str) -> Client:
    user = UserFactory.create(email=email, groups=[role])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def published_packet(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    packet = WelcomePacket.objects.create(version=1, title="ECM Provider Welcome Packet")
    item = WelcomePacketItem(
        packet=packet,
        title="Provider manual",
        original_name="manual.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    item.file.save("manual.pdf", ContentFile(PDF), save=False)
    item.save()
    return packet_publish(packet=packet)


def sign_up_and_verify(client: Client, email: str, django_capture_on_commit_callbacks) -> None:
    response = client.post(
        "/accounts/signup/",
        {"full_name": "Ana Official", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(
        r"http://testserver(/accounts/confirm-email/[^\s]+)", str(mail.outbox[-1].body)
    )
    assert link, mail.outbox[-1].body
    response = client.post(link.group(1))
    assert response.status_code == 302


def review(client: Client, application: Application, node, outcome: str, **extra) -> None:
    task = Task.objects.get(process_id=application.process.pk, flow_task=node, status="NEW")
    assert client.post(f"/review/tasks/{task.pk}/claim/").status_code == 302
    data = {
        "outcome": outcome,
        "reason": extra.pop("reason", ""),
        "deficiency-TOTAL_FORMS": "3",
        "deficiency-INITIAL_FORMS": "0",
        "deficiency-MIN_NUM_FORMS": "0",
        "deficiency-MAX_NUM_FORMS": "20",
        # The attestation step is reviewed item by item; other steps ignore these.
        **{f"item-{item}-verdict": "accept" for item, _ in ATTESTATION_ITEMS},
    }
    data.update(extra)
    response = client.post(f"/review/tasks/{task.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]


ENTITY_FORM = {
    "legal_name": "Sunrise Community Services",
    "dba_name": "",
    "other_justification": "",
    "tin": "12-3456789",
    "npi": "1234567893",
    "medi_cal_provider_number": "",
    "sos_entity_number": "",
    "service_address": "100 Main St, Los Angeles, CA",
    "mailing_address": "",
    "counties": ["los_angeles"],
    "official_name": "Ana Official",
    "official_title": "Executive Director",
    "contact_name": "Ana",
    "contact_email": "ana@sunrise.example",
    "contact_phone": "",
    # A non-profit: no owners; its officer (added below) is its managing employee.
    "none_owners": "on",
    "none_family": "on",
    "none_other_interests": "on",
    "none_subcontractors": "on",
    "none_convictions": "on",
}
OFFICER_FORM = {
    "first_name": "Ana",
    "last_name": "Official",
    "date_of_birth": "1975-04-12",
    "ssn": "523-45-6781",
    "home_address": "12 Elm St, Los Angeles, CA 90012",
    "position": "officer",
    "title": "Executive Director",
    "is_managing_employee": "on",
}
SIGNED = {
    "signature-version": ATTESTATION_VERSION,
    "signature-full_name": "Ana Official",
    "signature-title": "Executive Director",
    "signature-confirm": "on",
}


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.fixture
def pages_sent(monkeypatch) -> list[str]:
    """Every page (not streamed download) any of the test's clients was sent."""
    bodies: list[str] = []
    original = Client.request

    def request(self, **request):
        response = original(self, **request)
        if not response.streaming:
            bodies.append(response.content.decode(errors="replace"))
        return response

    monkeypatch.setattr(Client, "request", request)
    return bodies


# The officer's SSN and date of birth, as typed and as stored: none may ever leave the portal.
IDENTIFIERS = ("523-45-6781", "523456781", "1975-04-12", "04/12/1975", "April 12, 1975")


def test_happy_path_from_sign_up_to_acknowledged_packet(
    client, published_packet, django_capture_on_commit_callbacks, tmp_path, pages_sent, caplog
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up_and_verify(client, "ana@sunrise.example", django_capture_on_commit_callbacks)
    assert client.get("/").url == "/dashboard/"
    response = client.post(
        "/organization/new/",
        {"legal_name": "Sunrise Community Services", "title": "Executive Director"},
    )
    assert response.status_code == 302
    response = client.post("/applications/new/")
    application = Application.objects.get()
    assert response.url == f"/applications/{application.pk}/entity/"

    # Entity step: choose the type, save a draft, upload its evidence, submit.
    fqhc = EntityType.objects.get(code="fqhc")
    form = {**ENTITY_FORM, "entity_types": [fqhc.pk], "action": "save"}
    assert client.post(f"/applications/{application.pk}/entity/", form).status_code == 302
    for requirement in fqhc.evidence_requirements.filter(is_required=True):
        upload = ContentFile(PDF, name="grant.pdf")
        client.post(
            f"/applications/{application.pk}/entity/documents/",
            {"requirement": f"evidence:{requirement.pk}", "file": upload},
        )
    assert application.documents.count() == 1
    officer = client.post(f"/disclosures/{application.disclosure.pk}/person/add/", OFFICER_FORM)
    assert officer.status_code == 302, officer.content.decode()[-3000:]
    assert "•••-••-6781" in client.get(f"/applications/{application.pk}/entity/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/applications/{application.pk}/entity/", {**form, **SIGNED, "action": "submit"}
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    application.refresh_from_db()
    assert application.status == "submitted"
    assert {r.outcome for r in application.screening_results.all()} == {"clear"}

    reviewer = staff("rita@plan.example", "reviewer")
    review(reviewer, application, OnboardingFlow.review_entity, "approve")

    # Attestations: care team, capacity, the seven criteria, signature.
    team = [
        {"role": "lead_care_manager", "full_name": "Lee Lead"},
        {"role": "ecm_director", "full_name": "Dee Director"},
        {
            "role": "clinical_consultant",
            "full_name": "Cal Clinician",
            "license_type": "LCSW",
            "license_number": "LCS123",
            "license_state": "CA",
            "license_expires_on": "2030-01-01",
        },
    ]
    for member in team:
        data = {f"member-{k}": v for k, v in {"email": "", "fte": "1.0", **member}.items()}
        assert (
            client.post(f"/applications/{application.pk}/care-team/add/", data).status_code == 302
        )
    capacity = {"serve_1a": "on", "years_1a": "5", "cap_1a_los_angeles": "120"}
    assert client.post(f"/applications/{application.pk}/capacity/", capacity).status_code == 302
    for kind in ("hospital", "primary_care", "behavioral_health", "housing"):
        partner = {
            "partner-kind": kind,
            "partner-organization_name": f"{kind} partner",
            "partner-agreement_kind": "mou",
        }
        assert (
            client.post(f"/applications/{application.pk}/partners/add/", partner).status_code == 302
        )
    evidence = {"requirement": "Criterion 1 evidence", "file": pdf_upload("chart.pdf")}
    client.post(f"/applications/{application.pk}/attestations/documents/", evidence)
    criteria = {
        "languages_offered": "English, Spanish",
        "care_settings": ["street", "clinic"],
        "signature-version": ATTESTATION_VERSION,
        "action": "submit",
        "signature-full_name": "Ana Official",
        "signature-title": "Executive Director",
        "signature-confirm": "on",
    }
    for n in range(1, 8):
        criteria[f"criterion_{n}"] = "on"
        criteria[f"narrative_{n}"] = (
            f"Criterion {n}: our team has done this for years, in person, every week."
        )
    response = client.post(f"/applications/{application.pk}/attestations/", criteria)
    assert response.status_code == 302, response.content.decode()[-3000:]

    # Data sharing: the page says the sample is deleted before anything is uploaded.
    page = client.get(f"/applications/{application.pk}/data-sharing/").content.decode()
    assert "Your file is deleted as soon as it is checked." in page
    client.post(
        f"/applications/{application.pk}/data-sharing/documents/",
        {"requirement": "Business associate agreement", "file": ContentFile(PDF, name="baa.pdf")},
    )
    for kind in ("rtf", "otf"):
        rows = sample_rows(specification(kind), npi="1234567893", tin="123456789")
        response = client.post(
            f"/applications/{application.pk}/data-sharing/samples/",
            {"sample-kind": kind, "sample-file": ContentFile(as_csv(rows), name=f"{kind}.csv")},
        )
        assert response.status_code == 302
    data_sharing = {
        "documentation_system": "CareNotes",
        "documentation_vendor": "CareNotes Inc.",
        "mif_receipt_method": "sftp",
        "rtf_return_method": "sftp",
        "dxf_status": "signed",
        "dxf_signed_on": "2025-03-01",
        "dxf_signatory_name": "Ana Official",
        "dxf_in_participant_directory": "true",
        "adt_source": "LANES",
        "privacy_officer_name": "Pat Privacy",
        "privacy_officer_email": "pat@sunrise.example",
        "privacy_officer_phone": "213-555-0101",
        "security_officer_name": "Sam Secure",
        "security_officer_email": "sam@sunrise.example",
        "security_officer_phone": "213 555 0102",
        "has_signed_baa": "on",
        "uses_mfa": "true",
        "encrypts_at_rest": "true",
        "encrypts_in_transit": "true",
        "trains_workforce": "true",
        "breach_contact_name": "Sam Secure",
        "breach_contact_email": "sam@sunrise.example",
        "claims_path": "claims",
        "acknowledges_billing_codes": "on",
        "action": "submit",
        "signature-full_name": "Ana Official",
        "signature-title": "Executive Director",
        "signature-confirm": "on",
        "signature-version": ATTESTATION_VERSION,
    }
    response = client.post(f"/applications/{application.pk}/data-sharing/", data_sharing)
    assert response.status_code == 302, response.content.decode()[-3000:]

    review(reviewer, application, OnboardingFlow.review_attestations, "approve")
    review(
        staff("ray@plan.example", "reviewer"),
        application,
        OnboardingFlow.review_data_sharing,
        "approve",
    )
    with django_capture_on_commit_callbacks(execute=True):
        review(
            staff("mona@plan.example", "network manager"),
            application,
            OnboardingFlow.final_approval,
            "approve",
        )
    application.refresh_from_db()
    assert application.status == "approved"
    delivery = application.packet_deliveries.get()
    subjects = [message.subject for message in mail.outbox if "ana@sunrise.example" in message.to]
    assert f"[ECM Provider Portal] ECM-{application.pk:06d}: Application approved" in subjects
    assert any("welcome to the" in subject for subject in subjects)

    # The new provider downloads the packet and acknowledges it.
    item = delivery.packet.items.get()
    response = client.get(f"/documents/packets/{delivery.pk}/items/{item.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert delivery.downloads.get().user.email == "ana@sunrise.example"
    response = client.post(f"/documents/packets/{delivery.pk}/acknowledge/", {"confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "active"
    assert application.process.status == "DONE"

    # Nothing the journey showed, logged, emailed or exported carries the SSN or date of birth.
    manager = staff("max@plan.example", "network manager")
    exports = [
        streamed(manager.get("/review/disclosures.csv")),
        streamed(exported(manager, "reviews:roster_export")),
        streamed(manager.get("/audit/export.csv")),
    ]
    officer = application.disclosure.parties.get()
    for url in (
        f"/applications/{application.pk}/",
        f"/applications/{application.pk}/entity/",
        f"/providers/{application.pk}/",
    ):
        assert client.get(url).status_code == 200, url
    for url in (
        f"/review/applications/{application.pk}/disclosure/{officer.pk}/reveal/",
        f"/review/applications/{application.pk}/",
    ):
        assert manager.get(url).status_code == 200, url
    assert "•••-••-6781" in pages_sent[-1]
    emails = [f"{m.subject}\n{m.body}" for m in mail.outbox]
    captured = [*pages_sent, *exports, *emails, caplog.text]
    assert len([page for page in pages_sent if page]) >= 7  # the capture caught the pages
    assert "Ana Official" in exports[0]
    for identifier in IDENTIFIERS:
        assert not [text for text in captured if identifier in text], identifier


def test_returned_step_shows_each_deficiency_next_to_its_field_and_can_be_resubmitted(
    client, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.create_user("ana@sunrise.example", PASSWORD)
    client.force_login(user)
    client.post("/organization/new/", {"legal_name": "Sunrise", "title": "Director"})
    client.post("/applications/new/")
    application = Application.objects.get()
    cbo = EntityType.objects.get(code="private_nonprofit")
    form = {**ENTITY_FORM, "entity_types": [cbo.pk], "action": "save"}
    client.post(f"/applications/{application.pk}/entity/", form)
    requirement = cbo.evidence_requirements.get()
    client.post(
        f"/applications/{application.pk}/entity/documents/",
        {"requirement": f"evidence:{requirement.pk}", "file": ContentFile(PDF, name="irs.pdf")},
    )
    client.post(f"/disclosures/{application.disclosure.pk}/person/add/", OFFICER_FORM)
    assert (
        client.post(
            f"/applications/{application.pk}/entity/", {**form, **SIGNED, "action": "submit"}
        ).status_code
        == 302
    )

    reviewer = staff("rita@plan.example", "reviewer")
    review(
        reviewer,
        application,
        OnboardingFlow.review_entity,
        "return",
        **{
            "deficiency-0-requirement": "npi",
            "deficiency-0-reason": "NPI belongs to another org",
            "deficiency-0-comment": "Use your Type 2 NPI",
        },
    )
    application.refresh_from_db()
    assert application.status == "returned"

    page = client.get(f"/applications/{application.pk}/entity/").content.decode()
    npi_field = page.index('id="id_npi"')
    assert page.index("NPI belongs to another org") < npi_field, "listed at the top"
    note = page.rindex("Returned: NPI belongs to another org — Use your Type 2 NPI")
    assert abs(npi_field - note) < 800, "and shown again next to the NPI field"

    response = client.post(
        f"/applications/{application.pk}/entity/",
        {**form, **SIGNED, "npi": "1245319599", "action": "submit"},
    )
    assert response.status_code == 302
    step = application.step("entity")
    step.refresh_from_db()
    assert (step.status, step.revision) == ("submitted", 2)
    assert not step.deficiencies.filter(resolved_at__isnull=True).exists()


def test_submitted_step_is_read_only(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    user = User.objects.create_user("ana@sunrise.example", PASSWORD)
    client.force_login(user)
    client.post("/organization/new/", {"legal_name": "Sunrise", "title": "Director"})
    client.post("/applications/new/")
    application = Application.objects.get()
    cbo = EntityType.objects.get(code="private_nonprofit")
    form = {**ENTITY_FORM, "entity_types": [cbo.pk], "action": "save"}
    client.post(f"/applications/{application.pk}/entity/", form)
    client.post(
        f"/applications/{application.pk}/entity/documents/",
        {
            "requirement": f"evidence:{cbo.evidence_requirements.get().pk}",
            "file": ContentFile(PDF, name="irs.pdf"),
        },
    )
    client.post(f"/disclosures/{application.disclosure.pk}/person/add/", OFFICER_FORM)
    client.post(f"/applications/{application.pk}/entity/", {**form, **SIGNED, "action": "submit"})

    page = client.get(f"/applications/{application.pk}/entity/").content.decode()
    assert "read-only" in page
    assert 'name="action"' not in page
    client.post(
        f"/applications/{application.pk}/entity/",
        {**form, "legal_name": "Changed", "action": "save"},
    )
    application.entity_profile.refresh_from_db()
    assert application.entity_profile.legal_name == "Sunrise Community Services"


def test_invalid_npi_gets_a_message_saying_what_the_check_digit_should_be(client):
    user = User.objects.create_user("ana@sunrise.example", PASSWORD)
    client.force_login(user)
    client.post("/organization/new/", {"legal_name": "Sunrise", "title": "Director"})
    client.post("/applications/new/")
    application = Application.objects.get()
    response = client.post(
        f"/applications/{application.pk}/entity/",
        {**ENTITY_FORM, "npi": "1234567890", "action": "save"},
    )
    assert response.status_code == 200
    assert "The NPI&#x27;s last digit should be 3 for 123456789_" in response.content.decode()
    application.entity_profile.refresh_from_db()
    assert application.entity_profile.npi == ""
