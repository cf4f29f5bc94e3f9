"""Factories for the people and records tests need, and helpers that fill and decide steps.

Everything an applicant or reviewer does goes through the services, as the portal's pages do;
factories only make what the portal takes as given (user accounts, memberships, packets).
"""

import base64
import hashlib
import hmac
import struct
import time
from datetime import date, timedelta
from typing import Any

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.models import Task

from data_exchange.services import sample_file_check
from data_exchange.specs import FileKind
from disclosures.editing import Editing
from disclosures.models import Category, DisclosedParty
from disclosures.services import Holding, disclosure_answers_save, party_save
from documents.models import WelcomePacket, WelcomePacketItem
from documents.services import document_upload
from onboarding.models import Application, ApplicationStep, EntityType, Membership, Organization
from onboarding.reference import AgreementKind, CareTeamRole, PartnerKind, QualificationCriterion
from onboarding.requirements import BAA_DOCUMENT, criterion_evidence_label, criterion_rules
from onboarding.selectors import open_task
from onboarding.services.attestations import capacity_table_save, community_partner_save
from onboarding.services.steps import (
    Signature,
    attestations_save,
    care_team_member_save,
    data_sharing_save,
    entity_profile_save,
    step_submit,
)
from onboarding.signatures import signature_prefill
from portal.models import User
from reviews.models import ReviewDecision
from reviews.services.decisions import DeficiencyItem, review_decide, task_claim
from tests.data_sharing.samples import as_csv, sample_rows, specification

PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VALID_NPI = "1234567893"
VALID_TIN = "123456789"
ENTITY_TYPE_CODE = "fqhc"
COUNTY = "los_angeles"
NARRATIVE = (
    "Our leadership team meets weekly and joins every plan learning session, in person or online."
)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A person with a verified-looking email and a known password.

    ``UserFactory.create(groups=["reviewer"])`` puts the user in the named role groups.
    """

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = User
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self: User, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        """Staff roles come with an enrolled authenticator app, as the portal requires."""
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            enroll_totp(self)


def totp_now(secret: str) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), written out here rather than taken from the library."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def enroll_totp(user: User) -> str:
    """Give ``user`` a TOTP authenticator, as staff set up on first sign-in; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    """A preparer of an existing organization (authorized officials come from the service)."""

    user = factory.SubFactory(UserFactory)
    role = Membership.Role.PREPARER
    title = "Grants coordinator"

    class Meta:
        model = Membership


class WelcomePacketFactory(factory.django.DjangoModelFactory[WelcomePacket]):
    version = factory.Sequence(lambda n: n + 1)
    title = "ECM Provider Welcome Packet"

    class Meta:
        model = WelcomePacket


def packet_item_add(packet: WelcomePacket, title: str = "Provider manual") -> WelcomePacketItem:
    """Store a tiny PDF as one document of ``packet``."""
    item = WelcomePacketItem(
        packet=packet,
        title=title,
        original_name="manual.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
    )
    item.file.save("manual.pdf", ContentFile(PDF), save=False)
    item.save()
    return item


def refetch(user: User) -> User:
    """The user read again, so a membership created after it was loaded is seen."""
    return User.objects.get(pk=user.pk)


def organization_of(user: User) -> Organization:
    return Membership.objects.get(user=user).organization


def pdf_upload(name: str = "evidence.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fill_entity_step(
    application: Application, user: User, *, upload_evidence: bool = True, **overrides: Any
) -> None:
    """Answer every question of the entity step and upload each required evidence document."""
    entity_type = EntityType.objects.get(code=ENTITY_TYPE_CODE)
    data: dict[str, Any] = {
        "legal_name": "Sunrise Community Services",
        "tin": VALID_TIN,
        "npi": VALID_NPI,
        "service_address": "100 Main St, Los Angeles, CA 90012",
        "official_name": "Ana Official",
        "official_title": "Executive Director",
        "contact_name": "Ana Official",
        "contact_email": "ana@sunrise.example",
        "entity_types": [entity_type],
        "counties": [COUNTY],
        **overrides,
    }
    entity_profile_save(application=application, user=user, data=data)
    if not application.disclosure.parties.exists():  # a test may have disclosed people first
        fill_disclosure(application, user)
    if not upload_evidence:
        return
    for number, requirement in enumerate(
        entity_type.evidence_requirements.filter(is_required=True)
    ):
        document_upload(
            application=application,
            step_kind=ApplicationStep.Kind.ENTITY,
            user=user,
            evidence_requirement=requirement,
            upload=pdf_upload(f"evidence-{number}.pdf", PDF + str(number).encode()),
        )


def fill_attestations_step(application: Application, user: User) -> None:
    """Attest all seven criteria with their required evidence, name four partners, a complete
    care team, and one population served in one county (the county of the entity step)."""
    attestations_save(
        application=application,
        user=user,
        languages_offered="English, Spanish",
        care_settings=["street", "home"],
        criteria={
            criterion.value: {"attested": True, "narrative": f"{NARRATIVE} ({criterion.value})"}
            for criterion in QualificationCriterion
        },
    )
    for n, rule in criterion_rules().items():
        if rule.evidence_required:
            document_upload(
                application=application,
                step_kind=ApplicationStep.Kind.ATTESTATIONS,
                user=user,
                requirement=criterion_evidence_label(n),
                upload=pdf_upload(f"criterion-{n}.pdf", PDF + f"criterion {n}".encode()),
            )
    for kind in PartnerKind:
        community_partner_save(
            application=application,
            user=user,
            data={
                "kind": kind,
                "organization_name": f"{kind.label} partner",
                "agreement_kind": AgreementKind.MOU,
            },
        )
    licence_expiry = timezone.localdate() + timedelta(days=365)
    for role, name, licence in (
        (CareTeamRole.LEAD_CARE_MANAGER, "Lee Lead", {}),
        (CareTeamRole.ECM_DIRECTOR, "Dana Director", {}),
        (
            CareTeamRole.CLINICAL_CONSULTANT,
            "Casey Clinician",
            {
                "license_type": "LCSW",
                "license_number": "LCS12345",
                "license_state": "CA",
                "license_expires_on": licence_expiry,
            },
        ),
    ):
        care_team_member_save(
            application=application, user=user, data={"role": role, "full_name": name, **licence}
        )
    capacity_table_save(
        application=application,
        user=user,
        populations={"1a": 3},
        capacities={"1a": {COUNTY: 120}},
    )


DATA_SHARING_ANSWERS: dict[str, Any] = {
    "documentation_system": "CareFlow",
    "documentation_vendor": "CareFlow Inc.",
    "mif_receipt_method": "sftp",
    "rtf_return_method": "sftp",
    "has_secure_email": True,
    "dxf_status": "signed",
    "dxf_signatory_name": "Ana Official",
    "dxf_signatory_title": "Executive Director",
    "dxf_in_participant_directory": True,
    "adt_source": "Manifest MedEx",
    "privacy_officer_name": "Pat Privacy",
    "privacy_officer_email": "privacy@sunrise.example",
    "privacy_officer_phone": "(213) 555-0101",
    "security_officer_name": "Sam Security",
    "security_officer_email": "security@sunrise.example",
    "security_officer_phone": "(213) 555-0102",
    "has_signed_baa": True,
    "uses_mfa": True,
    "encrypts_at_rest": True,
    "encrypts_in_transit": True,
    "trains_workforce": True,
    "breach_contact_name": "Sam Security",
    "breach_contact_email": "security@sunrise.example",
    "claims_path": "claims",
    "acknowledges_billing_codes": True,
}


def fill_data_sharing_step(
    application: Application, user: User, *, check_samples: bool = True
) -> None:
    """Answer every data-sharing question, upload the signed BAA, and check valid samples.

    The samples carry the NPI and TIN of the entity step (fill it first), or the factories'
    defaults when it is still empty.
    """
    data_sharing_save(
        application=application,
        user=user,
        data={
            **DATA_SHARING_ANSWERS,
            "dxf_signed_on": timezone.localdate() - timedelta(days=30),
        },
    )
    document_upload(
        application=application,
        step_kind=ApplicationStep.Kind.DATA_SHARING,
        user=user,
        requirement=BAA_DOCUMENT,
        upload=pdf_upload("baa.pdf", PDF + b"baa"),
    )
    if check_samples:
        check_valid_samples(application, user)


OFFICER = {
    "first_name": "Ana",
    "last_name": "Official",
    "date_of_birth": date(1975, 4, 12),
    "ssn": "523456781",
    "home_address": "12 Elm St, Los Angeles, CA 90012",
    "position": DisclosedParty.Position.OFFICER,
    "title": "Executive Director",
    "is_managing_employee": True,
}


def fill_disclosure(
    application: Application, user: User, *, officer: bool = False, **answers: bool
) -> None:
    """Answer every category of the disclosure "none"; with ``officer``, list the official as
    officer and managing employee instead (a community non-profit's usual disclosure).
    ``answers`` overrides the "none" boxes."""
    listed = {"officers", "managing_employees"} if officer else set()
    none = {f"none_{c}": c not in listed for c in Category.values}
    disclosure_answers_save(
        editing=Editing.of_application(application), user=user, data=none | answers
    )
    if officer and not application.disclosure.parties.exists():
        party_save(
            editing=Editing.of_application(application),
            user=user,
            data={"kind": DisclosedParty.Kind.PERSON, **OFFICER},
            holding=Holding(),
        )


def signature_of(user: User, title: str = "Executive Director") -> Signature:
    """The authorized official's signature as the step page gives it: their account's name."""
    return Signature(full_name=signature_prefill(user)["full_name"], title=title)


def submit_signed(application: Application, kind: str, user: User) -> ApplicationStep:
    """Submit the filled step of ``kind``, signed by ``user`` (the authorized official)."""
    return step_submit(application=application, kind=kind, user=user, signature=signature_of(user))


def submit_entity_step(application: Application, user: User) -> ApplicationStep:
    return submit_signed(application, ApplicationStep.Kind.ENTITY, user)


def submit_data_sharing_step(application: Application, user: User) -> ApplicationStep:
    return submit_signed(application, ApplicationStep.Kind.DATA_SHARING, user)


def check_valid_samples(application: Application, user: User) -> None:
    """Have a valid sample of each kind of file checked against its current version."""
    profile = application.entity_profile
    for kind in FileKind:
        rows = sample_rows(
            specification(kind), npi=profile.npi or VALID_NPI, tin=profile.tin or VALID_TIN
        )
        report = sample_file_check(
            application=application,
            user=user,
            kind=kind,
            upload=SimpleUploadedFile(f"sample-{kind}.csv", as_csv(rows)),
        )
        assert report.passed, [p.message for p in report.problems.all()]


def review_task(application: Application, task_node: object) -> Task:
    """The open task of ``task_node``; fails the test when there is none."""
    task = open_task(application, task_node)
    assert task is not None, f"no open task for {task_node}"
    return task


def decide(
    task_node: object,
    application: Application,
    user: User,
    outcome: str,
    *,
    reason: str = "",
    deficiencies: list[DeficiencyItem] | None = None,
) -> ReviewDecision:
    """Claim the open review task of ``task_node`` as ``user`` and decide it."""
    task = task_claim(task=review_task(application, task_node), user=user)
    return review_decide(
        task=task, user=user, outcome=outcome, reason=reason, deficiencies=deficiencies
    )
