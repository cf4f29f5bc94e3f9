"""The daily credential check: licence notices, each sent once, and the roster rules re-checked."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import cast

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from documents.models import Document
from onboarding.models import Application, CareTeamMember
from onboarding.steps.attestations import roster_problems
from onboarding.steps.entity import expired_licence_problems
from providers import notifications
from providers.models import ComplianceIssue, CredentialNotice
from providers.notifications import LicenceNotice
from providers.selectors import (
    Licence,
    has_open_compliance_issue,
    in_network,
    notice_point,
    notice_points,
    renewed_document,
)

# What the rules read of each member and document, so 20,000 providers' are two light queries.
ROSTER_FIELDS = ("application_id", "role", "full_name", "license_number", "license_expires_on")
EXPIRY_FIELDS = (
    "application_id",
    "requirement",
    "evidence_requirement_id",
    "expires_on",
    "awaiting_approval",
)


@dataclass(frozen=True)
class CheckSummary:
    notices: int
    providers_told: int
    expired: int
    issues_opened: int
    issues_resolved: int
    out_of_compliance: int

    def __str__(self) -> str:
        return (
            f"{self.notices} licence notice(s) to {self.providers_told} provider(s), "
            f"{self.expired} of them expiries; {self.issues_opened} compliance issue(s) opened, "
            f"{self.issues_resolved} resolved; {self.out_of_compliance} provider(s) out of "
            "compliance."
        )


def credentials_check(*, today: date | None = None) -> CheckSummary:
    """Run the day's check: one transaction, so a second run the same day (or a concurrent one,
    refused by the notices' unique constraint) sends nothing twice, and a failed run sends
    nothing at all: the emails leave only once it has committed."""
    today = today or timezone.localdate()
    with transaction.atomic():
        rows = _licence_notices(today)
        opened, resolved = _compliance_review(today)
    out = in_network().filter(has_open_compliance_issue()).count()
    return CheckSummary(
        notices=len(rows),
        providers_told=len({row.application.pk for row in rows}),
        expired=sum(row.has_expired for row in rows),
        issues_opened=opened,
        issues_resolved=resolved,
        out_of_compliance=out,
    )


def _licence_notices(today: date) -> list[LicenceNotice]:
    """Record and send the notices due today: each licence at the nearest point it has reached
    (90, 60 or 30 days before, or expired) unless that point was told already."""
    horizon = today + timedelta(days=max(notice_points(), default=0))
    now = timezone.now()
    rows = []
    sources = (
        (_team_licences(horizon), _told("care_team_member", "license_expires_on", horizon)),
        (_organization_licences(horizon), _told("document", "expires_on", horizon)),
    )
    for licences, told in sources:
        for licence in licences:
            point = notice_point(licence.expires_on, today)
            if point is None or (licence.pk, point) in told:
                continue
            notice = CredentialNotice(
                application=licence.application,
                care_team_member=licence.member,
                document=licence.document,
                expires_on=licence.expires_on,
                days_before=point,
                sent_at=now,
            )
            rows.append(
                LicenceNotice(
                    licence.application,
                    licence.holder,
                    licence.what,
                    notice,
                    (licence.expires_on - today).days,
                )
            )
    CredentialNotice.objects.bulk_create([row.notice for row in rows], batch_size=2000)
    by_provider: dict[int, list[LicenceNotice]] = defaultdict(list)
    for row in rows:
        by_provider[row.application.pk].append(row)
    for provider_rows in by_provider.values():
        notifications.licences_expiring(provider_rows[0].application, provider_rows)
    expired = [row for row in rows if row.has_expired]
    if expired:
        notifications.licences_expired_to_managers(expired)
    return rows


def _team_licences(horizon: date) -> Iterator[Licence]:
    """Care-team licences of providers in the network that run out by ``horizon`` and whose
    expiry has not been told yet."""
    members = (
        CareTeamMember.objects.filter(
            application__status__in=Application.IN_NETWORK_STATUSES,
            license_expires_on__lte=horizon,
        )
        .exclude(_told_expiry("care_team_member", "license_expires_on"))
        .select_related("application__organization")
        .order_by("application_id", "license_expires_on", "pk")
    )
    for member in members:
        if member.license_expires_on is not None:  # always, by the query; for the type checker
            yield Licence.of_member(member)


def _told_expiry(holder: str, expiry: str) -> Exists:
    """For filtering licences (care-team members or documents, ``holder``): the expiry of the
    current date (the licence's ``expiry`` field) has been told already."""
    return Exists(
        CredentialNotice.objects.filter(
            **{holder: OuterRef("pk")},
            expires_on=OuterRef(expiry),
            days_before=CredentialNotice.EXPIRED,
        )
    )


def _told(holder: str, expiry: str, horizon: date) -> set[tuple[int, int]]:
    """(licence id, days before) of every notice already sent about a licence's current expiry
    date, for licences of ``holder`` (``care_team_member`` or ``document``) due by ``horizon``."""
    return set(
        CredentialNotice.objects.filter(
            **{
                f"{holder}__application__status__in": Application.IN_NETWORK_STATUSES,
                f"{holder}__{expiry}": F("expires_on"),
            },
            expires_on__lte=horizon,
        ).values_list(f"{holder}_id", "days_before")
    )


def _organization_licences(horizon: date) -> Iterator[Licence]:
    """The organizations' own licences and certifications (evidence with an expiry date) that
    run out by ``horizon``, the latest upload of each only, not told of their expiry yet."""
    documents = (
        Document.objects.filter(
            application__status__in=Application.IN_NETWORK_STATUSES,
            evidence_requirement__isnull=False,
            awaiting_approval=False,
            expires_on__lte=horizon,
        )
        .exclude(_told_expiry("document", "expires_on"))
        .exclude(renewed_document())
        .select_related("application__organization")
        .order_by("application_id", "expires_on", "pk")
    )
    for document in documents:
        if document.expires_on is not None:  # always, by the query; for the type checker
            yield Licence.of_document(document)


def _open_issues() -> QuerySet[ComplianceIssue]:
    return ComplianceIssue.objects.filter(resolved_on__isnull=True)


def _compliance_review(today: date) -> tuple[int, int]:
    """Re-check the rules that time can break for every provider in the network (the roster's
    licensed Clinical Consultant, the organization's own licences); open an issue for each rule
    that fails and was not open, resolve each open one that holds again."""
    was_open = {
        (issue.application_id, issue.message): issue.pk
        for issue in _open_issues().filter(application__status__in=Application.IN_NETWORK_STATUSES)
    }
    providers = (
        in_network()
        .select_related("organization")
        .prefetch_related(
            # Into plain lists (``to_attr``): a related manager per provider would cost more
            # than the rules.
            Prefetch(
                "care_team",
                queryset=CareTeamMember.objects.only(*ROSTER_FIELDS),
                to_attr="roster",
            ),
            Prefetch(
                "documents",
                queryset=Document.objects.filter(
                    evidence_requirement__isnull=False, expires_on__isnull=False
                ).only(*EXPIRY_FIELDS),
                to_attr="licence_documents",
            ),
        )
        .order_by("pk")
    )
    failing: set[tuple[int, str]] = set()
    new: dict[Application, list[ComplianceIssue]] = defaultdict(list)
    for application in providers.iterator(chunk_size=2000):
        # The to_attr lists above (django-stubs types them by the models' first base class).
        problems = roster_problems(cast("list[CareTeamMember]", application.roster), today)
        licences = cast("list[Document]", application.licence_documents)
        problems += expired_licence_problems(licences, today)
        for problem in problems:
            key = (application.pk, str(problem.message))
            failing.add(key)
            if key not in was_open:
                new[application].append(
                    ComplianceIssue(
                        application=application,
                        rule=problem.field,
                        message=str(problem.message),
                        found_on=today,
                    )
                )
    ComplianceIssue.objects.bulk_create(
        [issue for issues in new.values() for issue in issues], batch_size=2000
    )
    holding_again = [pk for key, pk in was_open.items() if key not in failing]
    ComplianceIssue.objects.filter(pk__in=holding_again).update(resolved_on=today)
    for provider, issues in new.items():
        notifications.out_of_compliance(provider, issues)
    return sum(len(issues) for issues in new.values()), len(holding_again)


def compliance_recheck(application: Application, today: date | None = None) -> int:
    """Resolve the provider's open compliance issues whose rule holds again; how many.

    Run when an approved change request is applied, so a fixed record stops showing as out of
    compliance at once. Opening new issues (and telling people) stays the daily job's.
    """
    today = today or timezone.localdate()
    problems = roster_problems(list(application.care_team.all()), today)
    problems += expired_licence_problems(
        list(
            application.documents.filter(
                evidence_requirement__isnull=False, expires_on__isnull=False
            )
        ),
        today,
    )
    failing = {str(problem.message) for problem in problems}
    return (
        _open_issues()
        .filter(application=application)
        .exclude(message__in=failing)
        .update(resolved_on=today)
    )
