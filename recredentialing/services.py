"""Recredentialing: opened by the daily job, decided through the onboarding flow's reviews.

``recredentialing_daily`` is the job: it opens each provider's recredentialing
RECREDENTIALING_START_DAYS before its due date, tells the provider (once) when it is overdue,
lets it lapse RECREDENTIALING_LATE_DAYS after, and calls off those of providers that left the
network. ``recredentialing_decided`` is called by the review service, in the decision's
transaction, when a renewal's final decision (or a step's denial) is recorded.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from changes.models import ChangeRequest
from onboarding.exceptions import OnboardingError
from onboarding.flows import OnboardingFlow
from onboarding.models import Application, ApplicationEvent
from onboarding.services.events import event_record
from portal.models import User
from recredentialing import notifications
from recredentialing.cycle import due_after, last_day
from recredentialing.models import Recredentialing
from recredentialing.record import renewal_apply, renewal_prefill
from reviews.models import ReviewDecision

Outcome = Recredentialing.Outcome
# Providers whose recredentialing opens: in the network (a suspended one waits for its
# reinstatement, a terminated one has left).
RECREDENTIALED_STATUSES = sorted(Application.IN_NETWORK_STATUSES)


def recredentialing_start(provider: Application) -> Recredentialing:
    """Open the provider's recredentialing for its current due date: a renewal application
    with its steps prefilled from the approved record, in the onboarding flow."""
    due_on = provider.recredentialing_due_on
    if due_on is None:
        raise OnboardingError(_("This provider has no recredentialing due date."))
    official = provider.organization.authorized_official
    with transaction.atomic():
        # The provider's row, locked: a change request being sent waits for us, or we for it.
        Application.objects.select_for_update().get(pk=provider.pk)
        waiting = provider.change_requests.filter(status=ChangeRequest.Status.SUBMITTED).first()
        if waiting is not None:
            raise ChangeWaiting(
                _("Change request %(ref)s waits for the plan's decision; opening tomorrow.")
                % {"ref": waiting.reference}
            )
        renewal = Application.objects.create(
            organization=provider.organization,
            created_by=official or provider.created_by,
            renews=provider,
        )
        copied = renewal_prefill(provider, renewal)
        recredentialing = Recredentialing.objects.create(
            provider=provider, renewal=renewal, due_on=due_on, copied=copied
        )
        OnboardingFlow.start.run(application=renewal)
        detail = _("%(ref)s, due %(date)s") % {
            "ref": renewal.reference,
            "date": due_on.isoformat(),
        }
        event_record(application=renewal, kind=ApplicationEvent.Kind.CREATED, actor=None)
        event_record(
            application=provider,
            kind=ApplicationEvent.Kind.RECREDENTIALING_STARTED,
            actor=None,
            detail=detail,
        )
        notifications.recredentialing_opened(recredentialing)
    return recredentialing


class ChangeWaiting(OnboardingError):
    """A change request under review: the recredentialing opens once it is decided."""


def providers_to_open(today: date, limit: int) -> "list[Application]":
    """Providers in the network whose recredentialing opens by ``today`` and is not open yet,
    the earliest due first, at most ``limit``."""
    return list(
        Application.objects.filter(
            status__in=RECREDENTIALED_STATUSES,
            renews__isnull=True,
            recredentialing_due_on__lte=today + timedelta(days=settings.RECREDENTIALING_START_DAYS),
        )
        .exclude(
            Exists(Recredentialing.objects.filter(provider=OuterRef("pk"), outcome=Outcome.OPEN))
        )
        .exclude(
            Exists(
                Recredentialing.objects.filter(
                    provider=OuterRef("pk"), due_on=OuterRef("recredentialing_due_on")
                )
            )
        )
        .exclude(  # it opens once the change under review is decided (recredentialing_start)
            Exists(
                ChangeRequest.objects.filter(
                    application=OuterRef("pk"), status=ChangeRequest.Status.SUBMITTED
                )
            )
        )
        .select_related("organization", "entity_profile", "capability_attestation", "data_sharing")
        .order_by("recredentialing_due_on", "pk")[:limit]
    )


@dataclass(frozen=True)
class DailySummary:
    opened: int
    overdue: int
    lapsed: int
    called_off: int

    def __str__(self) -> str:
        return (
            f"{self.opened} recredentialing(s) opened, {self.overdue} newly overdue, "
            f"{self.lapsed} lapsed, {self.called_off} called off."
        )


def _end(recredentialing: Recredentialing, outcome: str, why: str) -> bool:
    """Close an open recredentialing without approval: its renewal's flow is cancelled. False
    if a decision closed it first (the row is locked, as the final decision locks it)."""
    locked = Recredentialing.objects.select_for_update().get(pk=recredentialing.pk)
    if not locked.is_open:
        return False
    renewal = recredentialing.renewal
    if renewal.is_open:
        OnboardingFlow.instance.withdraw(renewal.process)
        renewal.status = Application.Status.WITHDRAWN
        renewal.decided_at = timezone.now()
        renewal.decision_reason = why
        renewal.save(update_fields=["status", "decided_at", "decision_reason", "updated_at"])
    recredentialing.outcome = outcome
    recredentialing.finished_at = timezone.now()
    recredentialing.save(update_fields=["outcome", "finished_at"])
    event_record(
        application=recredentialing.provider,
        kind=ApplicationEvent.Kind.RECREDENTIALING_ENDED,
        actor=None,
        detail=f"{renewal.reference}: {why}",
    )
    return True


def recredentialing_daily(today: date | None = None) -> DailySummary:
    """The daily job. Each part is idempotent: a second run the same day does nothing new."""
    today = today or timezone.localdate()
    opened = 0
    # Opening one copies a record and starts a flow (tens of milliseconds): the day the job is
    # first turned on, a whole network's window at once would take minutes, so each run opens
    # the earliest due first, up to RECREDENTIALING_OPEN_PER_RUN, and the next run the rest.
    for provider in providers_to_open(today, settings.RECREDENTIALING_OPEN_PER_RUN):
        try:
            recredentialing_start(provider)
        except (IntegrityError, ChangeWaiting):  # opened by a run at the same moment, or later
            continue
        opened += 1
    open_ones = Recredentialing.objects.filter(outcome=Outcome.OPEN).select_related(
        "provider__organization", "renewal"
    )
    called_off = 0
    for recredentialing in open_ones.filter(provider__status=Application.Status.TERMINATED):
        with transaction.atomic():
            called_off += _end(
                recredentialing, Outcome.CALLED_OFF, _("the provider left the network")
            )
    lapsed = []
    late_days = settings.RECREDENTIALING_LATE_DAYS
    for recredentialing in open_ones.filter(
        provider__status__in=RECREDENTIALED_STATUSES,
        due_on__lt=today - timedelta(days=late_days),  # past last_day(due_on)
    ):
        why = _("not finished within %(days)s days of its due date") % {"days": late_days}
        with transaction.atomic():
            if _end(recredentialing, Outcome.LAPSED, why):
                lapsed.append(recredentialing)
    overdue = []
    for recredentialing in open_ones.filter(
        provider__status__in=RECREDENTIALED_STATUSES,
        due_on__lt=today,
        overdue_told_on__isnull=True,
    ):
        with transaction.atomic():
            told = Recredentialing.objects.filter(
                pk=recredentialing.pk, overdue_told_on__isnull=True
            ).update(overdue_told_on=today)
            if not told:
                continue
            event_record(
                application=recredentialing.provider,
                kind=ApplicationEvent.Kind.RECREDENTIALING_OVERDUE,
                actor=None,
                detail=recredentialing.renewal.reference,
            )
            notifications.recredentialing_overdue(recredentialing)
        overdue.append(recredentialing)
    if overdue or lapsed:
        notifications.recredentialing_to_managers(overdue, lapsed)
    return DailySummary(opened, len(overdue), len(lapsed), called_off)


def recredentialing_decided(renewal: Application, decision: ReviewDecision, user: User) -> None:
    """In the decision's transaction: a renewal approved at its final approval becomes the
    provider's record and resets the clock; a denied one ends the recredentialing."""
    recredentialing = Recredentialing.objects.select_for_update().get(renewal=renewal)
    if not recredentialing.is_open:
        raise OnboardingError(_("This recredentialing is already closed."))
    provider = Application.objects.select_for_update().get(pk=recredentialing.provider_id)
    today = timezone.localdate()
    if decision.outcome == ReviewDecision.Outcome.DENY:
        recredentialing.outcome = Outcome.DENIED
        recredentialing.finished_at = timezone.now()
        recredentialing.save(update_fields=["outcome", "finished_at"])
        event_record(
            application=provider,
            kind=ApplicationEvent.Kind.RECREDENTIALING_ENDED,
            actor=user,
            detail=f"{renewal.reference}: {_('denied')}: {decision.reason}",
        )
        notifications.recredentialing_denied(recredentialing, decision)
        return
    if provider.status == Application.Status.TERMINATED:
        raise OnboardingError(_("The provider has left the network; it cannot be recredentialed."))
    if today > last_day(recredentialing.due_on):
        raise OnboardingError(
            _(
                "This recredentialing was due on %(date)s and the late period has ended: the "
                "provider must go through initial onboarding again."
            )
            % {"date": recredentialing.due_on.isoformat()}
        )
    renewal_apply(provider, renewal, recredentialing.copied, user)
    recredentialing.outcome = Outcome.APPROVED
    recredentialing.finished_at = timezone.now()
    recredentialing.late = today > recredentialing.due_on
    recredentialing.save(update_fields=["outcome", "finished_at", "late"])
    provider.recredentialing_due_on = due_after(today)
    provider.save(update_fields=["recredentialing_due_on", "updated_at"])
    detail = _("%(ref)s; next due %(date)s") % {
        "ref": renewal.reference,
        "date": provider.recredentialing_due_on.isoformat(),
    }
    if recredentialing.late:
        detail += " " + _("(late: it was due %(date)s)") % {
            "date": recredentialing.due_on.isoformat()
        }
    event_record(
        application=provider, kind=ApplicationEvent.Kind.RECREDENTIALED, actor=user, detail=detail
    )
    notifications.recredentialed(recredentialing)
