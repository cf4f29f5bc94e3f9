"""Saving drafts of the applicant steps and submitting them for review."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding import notifications
from onboarding.attestation_text import ATTESTATION_TEXTS, ATTESTATION_VERSION
from onboarding.attested_content import SIGNED_STEPS, signed_content_sha256
from onboarding.exceptions import OnboardingError, Problem, StepIncomplete
from onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStep,
    CareTeamMember,
    DataSharingProfile,
    EntityProfile,
    ServiceCounty,
)
from onboarding.reference import CareSetting
from onboarding.requirements import step_problems
from onboarding.selectors import open_task
from onboarding.services.access import editable_step, require_authorized_official
from onboarding.services.events import event_record
from onboarding.signatures import account_name, names_match
from onboarding.steps import definition_of
from onboarding.transitions import Change, complete, transition
from portal.models import User
from screening.services.results import screening_request

Kind = ApplicationStep.Kind


@dataclass(frozen=True)
class Signature:
    """The authorized official's typed signature on a submitted step, and where it came from."""

    full_name: str
    title: str
    attestation_version: str = ATTESTATION_VERSION
    ip_address: str | None = None
    user_agent: str = ""


def assign_validated(instance: Model, data: dict[str, Any], fields: list[str]) -> None:
    """Set ``fields`` of ``instance`` that ``data`` has, validate the whole row and save it."""
    for field in fields:
        if field in data:
            setattr(instance, field, data[field])
    instance.full_clean()
    instance.save()


def draft_saved(application: Application, kind: str, user: User, what: str) -> None:
    """Record that a draft of the step ``kind`` changed (``what``), voiding its signature if the
    signed content is no longer what was signed."""
    if kind in SIGNED_STEPS:
        _void_signature(application, kind, user)
    event_record(
        application=application, kind=ApplicationEvent.Kind.DRAFT_SAVED, actor=user, detail=what
    )


def _void_signature(application: Application, kind: str, user: User) -> None:
    """A change to signed content voids the signature: it must be signed again.

    Saving the same content again (a draft saved twice) leaves the signature as it is.
    """
    record = SIGNED_STEPS[kind].stored(application)
    if record.signed_at and record.content_sha256 != _current_sha256(application, kind):
        record.signed_at = None
        record.signed_by = None
        record.save(update_fields=["signed_at", "signed_by", "updated_at"])
        event_record(
            application=application,
            kind=ApplicationEvent.Kind.SIGNATURE_VOIDED,
            actor=user,
            detail=_("%(section)s: content changed after signing") % {"section": Kind(kind).label},
        )


@transaction.atomic
def entity_profile_save(*, application: Application, user: User, data: dict[str, Any]) -> None:
    """Save the entity step's draft answers (any subset of them; nothing is required yet)."""
    editable_step(application, Kind.ENTITY, user)
    profile = application.entity_profile
    assign_validated(profile, data, EntityProfile.APPLICANT_FIELDS)
    if "entity_types" in data:
        profile.entity_types.set(data["entity_types"])
    if "counties" in data:
        chosen = set(data["counties"])
        profile.counties.exclude(county__in=chosen).delete()
        ServiceCounty.objects.bulk_create(
            ServiceCounty(profile=profile, county=code)
            for code in sorted(chosen - set(profile.county_codes))
        )
    draft_saved(application, Kind.ENTITY, user, _("Entity details"))


@transaction.atomic
def attestations_save(
    *,
    application: Application,
    user: User,
    criteria: dict[int, dict[str, Any]],
    languages_offered: str,
    care_settings: list[str] | None = None,
    setting_other_detail: str | None = None,
) -> None:
    """Save the seven criteria attestations, the languages offered and the in-person settings.

    ``care_settings`` (setting codes) and ``setting_other_detail`` are left as they are when None.
    """
    editable_step(application, Kind.ATTESTATIONS, user)
    for row in application.criterion_attestations.all():
        if row.criterion in criteria:
            assign_validated(row, criteria[row.criterion], ["attested", "narrative"])
    attestation = application.capability_attestation
    data: dict[str, Any] = {"languages_offered": languages_offered.strip()}
    if care_settings is not None:
        data |= {f"setting_{s.value}": s.value in care_settings for s in CareSetting}
    if setting_other_detail is not None:
        data["setting_other_detail"] = setting_other_detail.strip()
    assign_validated(attestation, data, list(data))
    draft_saved(application, Kind.ATTESTATIONS, user, _("Qualification criteria"))


@transaction.atomic
def care_team_member_save(
    *,
    application: Application,
    user: User,
    data: dict[str, Any],
    member: CareTeamMember | None = None,
) -> CareTeamMember:
    editable_step(application, Kind.ATTESTATIONS, user)
    member = member or CareTeamMember(application=application)
    assign_validated(member, data, CareTeamMember.APPLICANT_FIELDS)
    draft_saved(
        application, Kind.ATTESTATIONS, user, _("Care team: %(name)s") % {"name": member.full_name}
    )
    return member


@transaction.atomic
def care_team_member_remove(*, member: CareTeamMember, user: User) -> None:
    editable_step(member.application, Kind.ATTESTATIONS, user)
    member.delete()
    draft_saved(member.application, Kind.ATTESTATIONS, user, _("Care team member removed"))


@transaction.atomic
def data_sharing_save(*, application: Application, user: User, data: dict[str, Any]) -> None:
    editable_step(application, Kind.DATA_SHARING, user)
    assign_validated(application.data_sharing, data, DataSharingProfile.APPLICANT_FIELDS)
    draft_saved(application, Kind.DATA_SHARING, user, _("Data-sharing answers"))


def _current_sha256(application: Application, kind: str) -> str:
    """The hash of the signed content as stored now, read afresh: the rows ``application`` holds
    (a prefetch) may predate the change being saved."""
    return signed_content_sha256(Application.objects.get(pk=application.pk), kind)


def _require_signature(user: User, signature: Signature | None) -> Signature:
    """A typed name and title, and the name is the one on the signer's account."""
    if signature is None or not signature.full_name.strip() or not signature.title.strip():
        raise StepIncomplete(
            [Problem("signature", _("Type your full name and title to sign the attestation."))]
        )
    on_account = account_name(user)
    if on_account and not names_match(signature.full_name, on_account):
        raise OnboardingError(
            _(
                "The name you typed to sign, %(typed)s, is not the name on your account, "
                "%(name)s. Type your name as it is on your account; if that name is wrong, ask "
                "the plan to correct it before you sign."
            )
            % {"typed": " ".join(signature.full_name.split()), "name": on_account}
        )
    return signature


def _sign(
    application: Application, kind: str, user: User, signature: Signature, now: datetime
) -> None:
    """Record the e-signature and the SHA-256 of exactly the content it covers."""
    if signature.attestation_version not in ATTESTATION_TEXTS:
        raise OnboardingError(_("The attestation text has changed. Read it again and sign."))
    record = SIGNED_STEPS[kind].stored(application, for_update=True)
    record.signer_name = " ".join(signature.full_name.split())
    record.signer_title = signature.title.strip()
    record.signed_by = user
    record.signed_at = now
    record.attestation_version = signature.attestation_version
    record.signed_ip = signature.ip_address or None
    record.signed_user_agent = signature.user_agent[:400]
    record.content_sha256 = _current_sha256(application, kind)
    record.save()
    event_record(
        application=application,
        kind=ApplicationEvent.Kind.SIGNED,
        actor=user,
        # The history is the applicant's too: the content hash stays on the signature record,
        # where reviewers see it, not in this plain-words line.
        detail=_("%(section)s signed by %(name)s, %(title)s")
        % {"section": Kind(kind).label, "name": record.signer_name, "title": record.signer_title},
    )


def step_submit(
    *, application: Application, kind: str, user: User, signature: Signature | None = None
) -> ApplicationStep:
    """Submit a complete step for review; only the authorized official may do this.

    Runs under the flow's lock: a second, simultaneous submission (a double click) finds the task
    already done and is refused with a message, never submitted twice.
    """
    step = editable_step(application, kind, user)
    require_authorized_official(
        application.organization,
        user,
        _(
            "Only your organization's authorized official can submit this section. "
            "Your draft is saved; ask them to review and submit it."
        ),
    )
    if kind in SIGNED_STEPS:
        signature = _require_signature(user, signature)
    problems = step_problems(step)
    if problems:
        raise StepIncomplete(problems)
    definition = definition_of(kind)
    task = open_task(application, definition.applicant_node)
    if task is None:
        raise OnboardingError(
            _(
                "You can submit this section once your entity verification is approved. "
                "Your draft is saved."
            )
        )

    def check(change: Change) -> None:
        if ApplicationStep.objects.get(pk=step.pk).status not in ApplicationStep.EDITABLE_STATUSES:
            raise OnboardingError(_("This section has already been submitted."))

    def apply(change: Change) -> ApplicationStep:
        submitted = ApplicationStep.objects.get(pk=step.pk)
        now = timezone.now()
        if kind in SIGNED_STEPS and signature is not None:
            _sign(change.application, kind, user, signature, now)
        submitted.deficiencies.filter(resolved_at__isnull=True).update(resolved_at=now)
        submitted.status = ApplicationStep.Status.SUBMITTED
        submitted.revision += 1
        submitted.submitted_at = now
        submitted.submitted_by = user
        submitted.save()
        if change.application.submitted_at is None:
            change.application.submitted_at = now
            change.application.save(update_fields=["submitted_at", "updated_at"])
        event_record(
            application=change.application,
            kind=ApplicationEvent.Kind.STEP_SUBMITTED,
            actor=user,
            detail=submitted.get_kind_display(),
        )
        complete(change.task_activation)
        if definition.submit_screening:
            screening_request(
                application=change.application, subject_kind=definition.submit_screening
            )
        return submitted

    def notify(change: Change, submitted: ApplicationStep) -> None:
        notifications.step_submitted(change.application, submitted)

    return transition(application=application, task=task, check=check, apply=apply, notify=notify)
