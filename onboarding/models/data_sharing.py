"""Data-sharing readiness: how the provider exchanges member data with the plan."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application
from onboarding.models.signatures import SignedRecord
from onboarding.reference import ClaimsPath, DataExchangeMethod, DxfAgreementStatus
from portal.choices import ChoiceLabels


class DataSharingProfile(ChoiceLabels, SignedRecord):
    """The applicant's answers to the data-sharing readiness step, with the authorized
    official's signature over them and the sample-file checks (see ``data_sharing_content``)."""

    # What the applicant answers (the form and the service that saves it).
    APPLICANT_FIELDS: ClassVar[list[str]] = [
        "documentation_system",
        "documentation_vendor",
        "is_certified_ehr",
        "mif_receipt_method",
        "rtf_return_method",
        "has_secure_email",
        "dxf_status",
        "dxf_signed_on",
        "dxf_signatory_name",
        "dxf_signatory_title",
        "dxf_in_participant_directory",
        "adt_source",
        "privacy_officer_name",
        "privacy_officer_email",
        "privacy_officer_phone",
        "security_officer_name",
        "security_officer_email",
        "security_officer_phone",
        "has_signed_baa",
        "uses_mfa",
        "encrypts_at_rest",
        "encrypts_in_transit",
        "trains_workforce",
        "breach_contact_name",
        "breach_contact_email",
        "claims_path",
        "acknowledges_billing_codes",
    ]

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="data_sharing"
    )
    documentation_system = models.CharField(
        _("care-management documentation system"), max_length=200, blank=True
    )
    documentation_vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    is_certified_ehr = models.BooleanField(_("it is a certified EHR"), default=False)
    mif_receipt_method = models.CharField(
        _("how you receive the Member Information File (MIF)"),
        max_length=16,
        choices=DataExchangeMethod.choices,
        blank=True,
    )
    rtf_return_method = models.CharField(
        _("how you return the Return Transmission File (RTF) and Outreach Tracker File (OTF)"),
        max_length=16,
        choices=DataExchangeMethod.choices,
        blank=True,
    )
    has_secure_email = models.BooleanField(_("we can send and receive secure email"), default=False)
    dxf_status = models.CharField(
        _("CalHHS Data Exchange Framework agreement"),
        max_length=16,
        choices=DxfAgreementStatus.choices,
        blank=True,
    )
    dxf_signed_on = models.DateField(_("DxF agreement signed on"), null=True, blank=True)
    dxf_signatory_name = models.CharField(
        _("who signed the DxF agreement"), max_length=200, blank=True
    )
    dxf_signatory_title = models.CharField(_("their title"), max_length=120, blank=True)
    dxf_in_participant_directory = models.BooleanField(
        _("listed in the DxF Participant Directory"), null=True, blank=True
    )
    adt_source = models.CharField(
        _("intermediary that sends you ADT (admission, discharge, transfer) notifications"),
        max_length=200,
        blank=True,
        help_text=_("For example a Qualified Health Information Organization (QHIO)."),
    )
    privacy_officer_name = models.CharField(_("HIPAA privacy officer"), max_length=200, blank=True)
    privacy_officer_email = models.EmailField(_("privacy officer's email"), blank=True)
    privacy_officer_phone = models.CharField(
        _("privacy officer's phone"), max_length=32, blank=True
    )
    security_officer_name = models.CharField(
        _("HIPAA security officer"), max_length=200, blank=True
    )
    security_officer_email = models.EmailField(_("security officer's email"), blank=True)
    security_officer_phone = models.CharField(
        _("security officer's phone"), max_length=32, blank=True
    )
    has_signed_baa = models.BooleanField(
        _("we have signed the plan's business associate agreement (upload it below)"),
        default=False,
    )
    uses_mfa = models.BooleanField(
        _("staff sign in to systems with member data using multi-factor authentication"),
        null=True,
        blank=True,
    )
    encrypts_at_rest = models.BooleanField(
        _("member data is encrypted where it is stored (at rest)"), null=True, blank=True
    )
    encrypts_in_transit = models.BooleanField(
        _("member data is encrypted when it is sent (in transit)"), null=True, blank=True
    )
    trains_workforce = models.BooleanField(
        _("staff complete HIPAA privacy and security training every year"),
        null=True,
        blank=True,
    )
    breach_contact_name = models.CharField(
        _("breach notification contact"), max_length=200, blank=True
    )
    breach_contact_email = models.EmailField(_("breach contact's email"), blank=True)
    claims_path = models.CharField(
        _("how you will bill for ECM"), max_length=16, choices=ClaimsPath.choices, blank=True
    )
    acknowledges_billing_codes = models.BooleanField(
        _(
            "we understand ECM is billed with HCPCS G9008 (clinical staff, modifier U1) and G9012 "
            "(non-clinical staff, modifier U2; U8 for outreach), with a telehealth modifier for "
            "phone or video, as the plan's current coding guide says"
        ),
        default=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Data sharing for {self.application}"
