"""Reads about providers in the network: their licences, notices and compliance."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from onboarding.models import Application, CareTeamMember
from onboarding.selectors import application_for_applicant, application_for_staff
from onboarding.steps import step_definitions
from onboarding.steps.entity import current_licences
from portal.models import User
from portal.roles import is_plan_staff, is_staff_member
from providers.models import ComplianceIssue, CredentialNotice, StatusChange
from screening.models import ScreeningResult
from screening.selectors import ABOUT_THE_RECORD, screening_blockers


def provider_for(user: User, pk: int) -> tuple[Application, bool]:
    """The provider ``pk``, for its own people or plan staff, and whether ``user`` is staff.

    Another organization's provider, or an application not (yet) approved, is a 404; plan
    administrators, who work in the admin site, are refused.
    """
    staff = is_plan_staff(user)
    if staff:
        application = application_for_staff(pk)
    elif is_staff_member(user):
        raise PermissionDenied
    else:
        application = application_for_applicant(user, pk)
    if application.status not in Application.PROVIDER_STATUSES:
        raise Http404
    return application, staff


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


def _unadjudicated_matches() -> QuerySet[ScreeningResult]:
    """Screening matches nobody has adjudicated yet on a provider in the network (found by the
    monthly re-screening): the workbench's exclusion reviews. Results about a person a pending
    change request would add are that request's, not the provider's."""
    return ScreeningResult.objects.filter(
        ABOUT_THE_RECORD,
        application__status__in=Application.IN_NETWORK_STATUSES,
        is_current=True,
        outcome__in=ScreeningResult.MATCHES,
        adjudication="",
    )


def has_possible_exclusion() -> Exists:
    """For filtering applications: a provider with a possible exclusion to adjudicate."""
    return Exists(_unadjudicated_matches().filter(application=OuterRef("pk")))


@dataclass(frozen=True)
class ComplianceFlags:
    """Which of a page of applications are out of compliance, and which have a possible
    exclusion to adjudicate."""

    out_of_compliance: frozenset[int]
    possible_exclusion: frozenset[int]


def compliance_flags(application_ids: list[int]) -> ComplianceFlags:
    """The flags of a page of applications, in one query. They are read after the page is cut:
    as ``Exists`` columns of the list's query, PostgreSQL computed them for every row it sorted."""
    issues = ComplianceIssue.objects.filter(
        application_id__in=application_ids, resolved_on__isnull=True
    ).values_list("application_id", Value("issue"))
    matches = (
        _unadjudicated_matches()
        .filter(application_id__in=application_ids)
        .values_list("application_id", Value("match"))
    )
    # A compound statement takes no ORDER BY in its parts (the models' default orderings).
    issues, matches = issues.order_by(), matches.order_by()
    flagged: dict[str, set[int]] = {"issue": set(), "match": set()}
    for application_id, flag in issues.union(matches):
        flagged[flag].add(application_id)
    return ComplianceFlags(frozenset(flagged["issue"]), frozenset(flagged["match"]))


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
            awaiting_approval=False,
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
    licences += [
        Licence.of_document(document) for document in current_licences(application.documents.all())
    ]
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
    possible_exclusions: int


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
        possible_exclusions=Application.objects.filter(has_possible_exclusion()).count(),
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


def status_changes_of(application: Application) -> list[StatusChange]:
    """Every status change ever proposed for the provider, newest first: its status history."""
    return list(application.status_changes.select_related("proposed_by", "decided_by"))


def status_change_for_staff(pk: int) -> StatusChange:
    return get_object_or_404(StatusChange.objects.select_related("application"), pk=pk)


def suspension_in_effect(application: Application) -> StatusChange | None:
    """The suspension that put the provider where it is now, while it is suspended."""
    if application.status != Application.Status.SUSPENDED:
        return None
    return (
        application.status_changes.filter(
            action=StatusChange.Action.SUSPEND, state=StatusChange.State.IN_EFFECT
        )
        .order_by("-took_effect_at")
        .first()
    )


def reinstatement_blockers(application: Application) -> list[str]:
    """Why a suspended provider cannot be reinstated yet. Reinstatement is never on a list's
    date alone (lifecycle.md §2): it needs screening run again since the suspension, with
    nothing left to adjudicate and no confirmed match."""
    suspension = suspension_in_effect(application)
    if suspension is None:
        return [str(_("Only a suspended provider can be reinstated."))]
    current = list(application.screening_results.filter(is_current=True))
    if not current or any(r.checked_at < suspension.took_effect_at for r in current):  # type: ignore[operator]
        return [
            str(
                _(
                    "Screen the provider again before reinstating it (Run screening again, on "
                    "its page): its screening is from before the suspension."
                )
            )
        ]
    problems = [
        str(problem)
        for definition in step_definitions()
        if definition.screening_subject
        for problem in screening_blockers(application, definition.kind)
    ]
    if any(result.is_confirmed for result in current):
        problems.append(
            str(_("Screening has a confirmed exclusion match: the provider cannot be reinstated."))
        )
    return problems


@dataclass(frozen=True)
class NetworkStatus:
    """The dashboard's figures about providers' status, and the changes waiting for a manager."""

    suspended: int
    terminated: int
    waiting: list[StatusChange]
    conditional: int = 0  # approved with conditions


def network_status() -> NetworkStatus:
    counts = dict(
        Application.objects.filter(
            status__in=[
                Application.Status.SUSPENDED,
                Application.Status.TERMINATED,
                Application.Status.CONDITIONAL,
            ]
        )
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    waiting = list(
        StatusChange.objects.filter(state=StatusChange.State.PROPOSED)
        .select_related("application__organization", "proposed_by")
        .order_by("proposed_at")
    )
    return NetworkStatus(
        counts.get(Application.Status.SUSPENDED, 0),
        counts.get(Application.Status.TERMINATED, 0),
        waiting,
        counts.get(Application.Status.CONDITIONAL, 0),
    )


@dataclass(frozen=True)
class NetworkStatusPanel:
    """What the provider's staff page shows of its status: the change waiting, what a network
    manager may propose, and every change so far."""

    open: StatusChange | None
    history: list[StatusChange]
    can_change: bool
    actions: list[tuple[str, str]]


def network_status_panel(application: Application, *, manager: bool) -> NetworkStatusPanel | None:
    """None for an application the plan never approved: it has no network status."""
    if application.status not in Application.PROVIDER_STATUSES:
        return None
    history = status_changes_of(application)
    Action = StatusChange.Action
    if application.status == Application.Status.SUSPENDED:
        actions = [Action.REINSTATE, Action.TERMINATE]
    elif application.status in Application.IN_NETWORK_STATUSES:
        actions = [Action.SUSPEND, Action.TERMINATE]
    else:
        actions = []
    return NetworkStatusPanel(
        open=next((change for change in history if change.is_open), None),
        history=history,
        can_change=manager and bool(actions),
        actions=[(action.value, str(action.label)) for action in actions],
    )
