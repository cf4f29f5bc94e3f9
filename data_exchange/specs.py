"""The RTF and OTF file specifications: kinds, value formats, and the versions the portal seeds.

The versions below are the starting data of a data migration; after that the specifications live in
the database, where plan administrators edit them (a new DHCS template is a new version, made
current in the admin). Which columns must have a value and which code lists apply are the plan's
reading of the templates: confirm them against the plan's current data guide.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    RTF = "rtf", _("Return Transmission File (RTF)")
    OTF = "otf", _("Outreach Tracker File (OTF)")


class ColumnFormat(models.TextChoices):
    TEXT = "text", _("Text")
    DATE = "date", _("Date")
    CIN = "cin", _("Medi-Cal CIN (8 digits and a letter)")
    YES_NO = "yes_no", _("Yes/No flag (Y or N)")
    CODE = "code", _("One of a list of codes")
    NPI = "npi", _("NPI (10 digits)")
    TIN = "tin", _("TIN (9 digits)")
    ZIP = "zip", _("ZIP code")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    WHOLE_NUMBER = "whole_number", _("Whole number")


POPULATION_CODES = "1a, 1b, 2a, 2b, 3a, 3b, 4a, 4b, 5, 6, 7, 8, 9a, 9b"


@dataclass(frozen=True)
class ColumnSeed:
    name: str
    format: str = ColumnFormat.TEXT
    required: bool = False
    codes: str = ""
    member_data: bool = False


def _column(
    name: str,
    format: str = ColumnFormat.TEXT,
    *,
    required: bool = False,
    codes: str = "",
    member_data: bool = False,
) -> ColumnSeed:
    return ColumnSeed(name, format, required, codes, member_data)


F = ColumnFormat

RTF_2022: list[ColumnSeed] = [
    _column("Primary Payer (MCP) Identifier", required=True),
    _column("MCP Name", required=True),
    _column("Member Client Index Number (CIN)", F.CIN, required=True, member_data=True),
    _column("Member Last Name", required=True, member_data=True),
    _column("Member First Name", required=True, member_data=True),
    _column("Member New Address Indicator", F.YES_NO, required=True),
    _column("Member Homelessness Indicator", F.YES_NO, required=True),
    _column("Member Residential Address", member_data=True),
    _column("City", member_data=True),
    _column("State"),
    _column("Zip", F.ZIP),
    _column("Member New Phone Number Indicator", F.YES_NO, required=True),
    _column("Member Phone Number", F.PHONE, member_data=True),
    _column("Member POF Indicator", F.YES_NO, required=True),
    _column("Member POF", F.CODE, codes=POPULATION_CODES),
    _column("Member ECM Status", required=True),
    _column("Member Acuity Level"),
    _column("ECM Enrollment Start Date", F.DATE, required=True),
    _column("ECM Enrollment End Date", F.DATE),
    _column("Date of Latest Care Plan Revision", F.DATE),
    _column("Date of Most Recent Care Conference", F.DATE),
    _column("Date Assessment Started", F.DATE),
    _column("Date of Most Recent Completed Assessment", F.DATE),
    _column("Date of Most Recent Encounter with Member", F.DATE),
    _column("ECM Lead Care Manager Name", required=True),
    _column("LCM Phone Number", F.PHONE),
    _column("LCM Email", F.EMAIL),
    _column("Discontinuation Date", F.DATE),
    _column("Discontinuation Reason Code"),
    _column("Discontinuation Reason"),
    _column("In Person", F.WHOLE_NUMBER),
    _column("Telephonic/Video", F.WHOLE_NUMBER),
    _column("Member Information Return Transmission File Production Date", F.DATE, required=True),
    _column("Member Information File Reporting Period", required=True),
    _column("ECM Provider Name", required=True),
    _column("ECM Provider NPI", F.NPI, required=True),
    _column("ECM Provider TIN", F.TIN, required=True),
    _column("ECM Provider Phone Number", F.PHONE),
]

# July 2025: closed-loop referral tracking.
RTF_2025_07: list[ColumnSeed] = [
    *RTF_2022,
    _column("Referral Status"),
    _column("Date of Referral Status Update", F.DATE),
    _column("Reason for Referral Loop Closure"),
]

OTF_2022: list[ColumnSeed] = [
    _column("Primary Payer (MCP) Identifier", required=True),
    _column("MCP Name", required=True),
    _column("ECM Provider Name", required=True),
    _column("ECM Provider NPI", F.NPI, required=True),
    _column("ECM Provider TIN", F.TIN, required=True),
    _column("Client Name", required=True, member_data=True),
    _column("Member Client Index Number", F.CIN, required=True, member_data=True),
    _column("Provider Type", required=True),
    _column("Date of Outreach Attempt", F.DATE, required=True),
    _column("Outreach Attempt Method", required=True),
    _column("Outreach Attempt Successful", F.YES_NO, required=True),
    _column("Time Spent Performing Outreach", F.WHOLE_NUMBER, required=True),
]


@dataclass(frozen=True)
class SpecificationSeed:
    kind: str
    version: str
    title: str
    is_current: bool
    columns: list[ColumnSeed]


SPECIFICATIONS: list[SpecificationSeed] = [
    SpecificationSeed(FileKind.RTF, "2022", "DHCS RTF template (2022)", False, RTF_2022),
    SpecificationSeed(
        FileKind.RTF,
        "2025-07",
        "DHCS RTF template with closed-loop referral fields (July 2025)",
        True,
        RTF_2025_07,
    ),
    SpecificationSeed(FileKind.OTF, "2022", "DHCS OTF template (2022)", True, OTF_2022),
]


def normalize_heading(heading: str) -> str:
    """A column heading compared without regard to case, spacing or a byte-order mark."""
    return " ".join(heading.replace("\ufeff", "").split()).casefold()


def specifications_seed(FileSpecification: Any, SpecColumn: Any) -> None:
    """Create the specifications the plan published (``SPECIFICATIONS``) that are not there yet.

    Takes the model classes so that a migration can pass its historical ones.
    """
    for seed in SPECIFICATIONS:
        specification, created = FileSpecification.objects.get_or_create(
            kind=seed.kind,
            version=seed.version,
            defaults={"title": seed.title, "is_current": seed.is_current},
        )
        if created:
            SpecColumn.objects.bulk_create(
                SpecColumn(
                    specification=specification,
                    position=position,
                    name=column.name,
                    required=column.required,
                    format=column.format,
                    codes=column.codes,
                    member_data=column.member_data,
                )
                for position, column in enumerate(seed.columns, start=1)
            )
