"""Reads about providers in the network: their licences, notices and compliance."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from onboarding.models import Application, CareTeamMember
from providers.models import ComplianceIssue, CredentialNotice


def in_network() -> QuerySet[Application]:
    return Application.objects.filter(status__in=Application.IN_NETWORK_STATUSES)


def notice_points() -> list[int]:
    """The days before expiry at which a provider is told, furthest first (90, 60, 30)."""
    return sorted({int(days) for days in settings.CREDENTIAL_NOTICE_DAYS if days > 0}, reverse=True)


def notice_point(expires_on: date, today: date) -> int | None:
    """The point a licence expiring on ``expires_on`` has reached today: the nearest notice day
    it is within, ``CredentialNotice.EXPIRED`` once it has run out, or None if it is further off.

    A run missed on the day (the job down on day 60) is caught up the next day at the same point,
    and a provider approved with 20 days left hears at 30, not three times.
    """
    days_left = (expires_on - today).days
    if days_left <= 0:
        return CredentialNotice.EXPIRED
    within = [days for days in notice_points() if days_left <= days]
    return min(within) if within else None


def has_open_compliance_issue() -> Exists:
    """For filtering and annotating applications: is the provider out of compliance?"""
    return Exists(
        ComplianceIssue.objects.filter(application=OuterRef("pk"), resolved_on__isnull=True)
    )


def open_compliance_issues(application: Application) -> list[ComplianceIssue]:
    return list(application.compliance_issues.filter(resolved_on__isnull=True).order_by("pk"))


@dataclass(frozen=True)
class Licence:
    """A licence or certification with an expiry date: a care-team member's (``member``) or the
    organization's own, as an evidence document (``document``)."""

    application: Application
    holder: str  # "Casey Clinician (ECM Clinical Consultant)", or the organization's name
    what: str  # the licence type or the evidence's title; never the licence number
    expires_on: date
    member: CareTeamMember | None = None
    document: Document | None = None

    @classmethod
    def of_member(cls, member: CareTeamMember) -> "Licence":
        return cls(
            application=member.application,
            holder=f"{member.full_name} ({member.get_role_display()})",
            what=member.license_type or str(_("licence")),
            expires_on=member.license_expires_on,  # type: ignore[arg-type]
            member=member,
        )

    @classmethod
    def of_document(cls, document: Document) -> "Licence":
        return cls(
            application=document.application,
            holder=str(document.application.organization),
            what=document.requirement,
            expires_on=document.expires_on,  # type: ignore[arg-type]
            document=document,
        )

    @property
    def pk(self) -> int:
        """The member's or the document's: what a notice about this licence points at."""
        return (self.member or self.document).pk  # type: ignore[union-attr]


@dataclass(frozen=True)
class Expiry:
    """A licence on the provider's record, with the days it has left today."""

    licence: Licence
    days_left: int

    @property
    def has_expired(self) -> bool:
        return self.days_left <= 0

    @property
    def is_expiring(self) -> bool:
        return 0 < self.days_left <= max(notice_points(), default=0)


def renewed_document() -> Exists:
    """For filtering documents: a later-expiring upload of the same evidence replaced it."""
    return Exists(
        Document.objects.filter(
            application=OuterRef("application"),
            requirement=OuterRef("requirement"),
            evidence_requirement__isnull=False,
            expires_on__gt=OuterRef("expires_on"),
        )
    )


def licences_of(application: Application, today: date | None = None) -> list[Expiry]:
    """The care team's licences and the organization's own (the latest upload of each), soonest
    first, from the application's care team and documents (prefetched where the page has them)."""
    today = today or timezone.localdate()
    licences = [
        Licence.of_member(member)
        for member in application.care_team.all()
        if member.license_expires_on is not None
    ]
    latest: dict[str, Document] = {}
    for document in application.documents.all():
        if document.expires_on is None or document.evidence_requirement_id is None:
            continue
        kept = latest.get(document.requirement)
        if kept is None or kept.expires_on < document.expires_on:  # type: ignore[operator]
            latest[document.requirement] = document
    licences += [Licence.of_document(document) for document in latest.values()]
    return sorted(
        (Expiry(licence, (licence.expires_on - today).days) for licence in licences),
        key=lambda expiry: (expiry.licence.expires_on, expiry.licence.holder),
    )


@dataclass(frozen=True)
class NetworkCompliance:
    """The dashboard's figures: providers out of compliance and licences running out."""

    out_of_compliance: int
    licences_expiring: int
    licences_expired: int


def network_compliance(today: date | None = None) -> NetworkCompliance:
    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(notice_points(), default=0))
    licences = CareTeamMember.objects.filter(
        application__status__in=Application.IN_NETWORK_STATUSES, license_expires_on__isnull=False
    )
    return NetworkCompliance(
        out_of_compliance=in_network().filter(has_open_compliance_issue()).count(),
        licences_expiring=licences.filter(
            license_expires_on__gt=today, license_expires_on__lte=horizon
        ).count(),
        licences_expired=licences.filter(license_expires_on__lte=today).count(),
    )


@dataclass(frozen=True)
class Standing:
    """What a provider's record shows about it after approval: open issues and its licences."""

    issues: list[ComplianceIssue]
    licences: list[Expiry]

    @property
    def out_of_compliance(self) -> bool:
        return bool(self.issues)


def standing_of(application: Application, today: date | None = None) -> Standing | None:
    """The provider's standing, or None while the application is not in the network."""
    if application.status not in Application.IN_NETWORK_STATUSES:
        return None
    return Standing(open_compliance_issues(application), licences_of(application, today))
