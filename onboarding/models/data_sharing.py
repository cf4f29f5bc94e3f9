"""Data-sharing readiness: how the provider exchanges member data with the plan."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models.applications import Application
from onboarding.reference import ClaimsPath, DataExchangeMethod, DxfAgreementStatus


class DataSharingProfile(models.Model):
    """The applicant's answers to the data-sharing readiness step."""

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
    adt_source = models.CharField(
        _("source of ADT (admission, discharge, transfer) notifications"),
        max_length=200,
        blank=True,
    )
    privacy_officer_name = models.CharField(_("HIPAA privacy officer"), max_length=200, blank=True)
    privacy_officer_email = models.EmailField(_("privacy officer's email"), blank=True)
    security_officer_name = models.CharField(
        _("HIPAA security officer"), max_length=200, blank=True
    )
    security_officer_email = models.EmailField(_("security officer's email"), blank=True)
    has_signed_baa = models.BooleanField(
        _("we will sign the plan's business associate agreement"), default=False
    )
    claims_path = models.CharField(
        _("how you will bill for ECM"), max_length=16, choices=ClaimsPath.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Data sharing for {self.application}"
