"""Storing uploads, publishing and delivering welcome packets, and recording downloads."""

import logging
from datetime import date

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.letters import welcome_letter_pdf
from documents.models import (
    Document,
    DownloadRecord,
    PacketDelivery,
    WelcomePacket,
    WelcomePacketItem,
)
from documents.selectors import current_welcome_packet
from documents.tasks import deliver_packet_version
from documents.validators import check_upload
from onboarding import notifications
from onboarding.exceptions import OnboardingError
from onboarding.models import Application, ApplicationEvent, ApplicationStep, EvidenceRequirement
from onboarding.requirements import human_date
from onboarding.services.access import editable_step, require_member
from onboarding.services.events import event_record
from portal.audit import audit_record
from portal.models import AuditEvent, User

logger = logging.getLogger(__name__)


def _expiry_of(evidence: EvidenceRequirement | None, expires_on: date | None) -> date | None:
    if evidence is None or not evidence.has_expiry:
        return None
    if expires_on is None:
        raise OnboardingError(
            _("Enter the expiry date of the %(title)s.") % {"title": evidence.title}
        )
    if expires_on <= timezone.localdate():
        raise OnboardingError(
            _("This %(title)s expired on %(date)s. Upload the current one.")
            % {"title": evidence.title, "date": human_date(expires_on)}
        )
    return expires_on


def document_upload(
    *,
    application: Application,
    step_kind: str,
    user: User,
    upload: UploadedFile,
    requirement: str = "",
    evidence_requirement: EvidenceRequirement | None = None,
    expires_on: date | None = None,
) -> Document:
    """Check and store a file attached to a step. A refused file leaves nothing behind.

    Evidence that is a licence or certification (``has_expiry``) needs its expiry date, which
    must still be ahead; other documents keep none.
    """
    editable_step(application, step_kind, user)
    expires_on = _expiry_of(evidence_requirement, expires_on)
    return _stored(
        application=application,
        step_kind=step_kind,
        user=user,
        upload=upload,
        requirement=requirement,
        evidence_requirement=evidence_requirement,
        expires_on=expires_on,
    )


def licence_copy_upload(
    *,
    application: Application,
    user: User,
    upload: UploadedFile,
    label: str,
    expires_on: date,
    evidence_requirement: EvidenceRequirement | None = None,
) -> Document:
    """Store a renewed licence sent with a change request: a care-team member's, or the
    organization's own (``evidence_requirement``). The steps take no uploads after approval, and
    the copy is not part of the record (``awaiting_approval``) until the plan approves the request.
    A refused file leaves nothing behind."""
    require_member(application.organization, user)
    return _stored(
        application=application,
        step_kind=ApplicationStep.Kind.ENTITY
        if evidence_requirement
        else ApplicationStep.Kind.ATTESTATIONS,
        user=user,
        upload=upload,
        requirement=label,
        evidence_requirement=evidence_requirement,
        expires_on=expires_on,
        awaiting_approval=True,
    )


def evidence_document_upload(
    *, application: Application, user: User, upload: UploadedFile, label: str, step_kind: str
) -> Document:
    """Store a document sent as evidence for a corrective action (``corrective_actions``). It is
    part of the provider's record from the start: the evidence is what the reviewer judges.
    A refused file leaves nothing behind."""
    require_member(application.organization, user)
    return _stored(
        application=application,
        step_kind=step_kind,
        user=user,
        upload=upload,
        requirement=label,
        evidence_requirement=None,
        expires_on=None,
    )


def _stored(
    *,
    application: Application,
    step_kind: str,
    user: User,
    upload: UploadedFile,
    requirement: str,
    evidence_requirement: EvidenceRequirement | None,
    expires_on: date | None,
    awaiting_approval: bool = False,
) -> Document:
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise OnboardingError(error.messages[0]) from error
    label = evidence_requirement.title if evidence_requirement else requirement.strip()
    if not label:
        raise OnboardingError(_("Say what this document is."))
    duplicate = application.documents.filter(
        step_kind=step_kind, requirement=label, sha256=checked.sha256
    )
    if duplicate.exists():
        raise OnboardingError(
            _("You have already uploaded this exact file for “%(label)s”.") % {"label": label}
        )
    document = Document(
        application=application,
        step_kind=step_kind,
        requirement=label,
        evidence_requirement=evidence_requirement,
        uploaded_by=user,
        original_name=checked.display_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        expires_on=expires_on,
        awaiting_approval=awaiting_approval,
    )
    # The storage keeps the type the browser claimed (on S3, as the object's Content-Type):
    # record what the content was recognised as instead.
    upload.content_type = checked.content_type
    try:
        document.file.save(checked.display_name, upload, save=False)
    except (OSError, BotoCoreError, ClientError) as error:
        # The storage is unreachable or refused the write: nothing was recorded, say so plainly.
        logger.exception("Storing an upload for application %s failed", application.pk)
        raise OnboardingError(
            _("We could not store your file just now. Please try again in a few minutes.")
        ) from error
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
            event_record(
                application=application,
                kind=ApplicationEvent.Kind.DOCUMENT_UPLOADED,
                actor=user,
                detail=label,
            )
    except Exception:
        document.file.delete(save=False)  # nothing half-saved: the stored file goes too
        raise
    return document


def document_remove(*, document: Document, user: User) -> None:
    """Remove an uploaded file while its step can still be changed."""
    editable_step(document.application, document.step_kind, user)
    with transaction.atomic():
        event_record(
            application=document.application,
            kind=ApplicationEvent.Kind.DOCUMENT_REMOVED,
            actor=user,
            detail=document.requirement,
        )
        name = document.file.name
        storage = document.file.storage
        document.delete()
        # A recredentialing's copy of an approved document shares the provider's stored file.
        if not Document.objects.filter(file=name).exists():
            transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def packet_publish(*, packet: WelcomePacket) -> WelcomePacket:
    """Make ``packet`` the current welcome packet version. Once that is committed, a background
    job delivers it to every provider that already received an earlier one (a letter each, so
    not in the request); they are emailed and acknowledge the new version."""
    if not packet.items.exists():
        raise OnboardingError(_("Add at least one document before publishing a packet."))
    WelcomePacket.objects.filter(is_current=True).exclude(pk=packet.pk).update(is_current=False)
    packet.is_current = True
    packet.published_at = packet.published_at or timezone.now()
    packet.save()
    transaction.on_commit(lambda: deliver_packet_version.delay(packet.pk))
    return packet


def packet_deliver(
    *, application: Application, packet: WelcomePacket | None = None
) -> PacketDelivery:
    """Deliver a welcome packet version (the current one unless given) to an approved provider:
    keep the version's documents as they are now, write the personalised welcome letter, and
    email the organization. The provider's effective date is that of its first delivery."""
    packet = packet or current_welcome_packet()
    if packet is None:
        raise OnboardingError(_("No welcome packet is published."))
    first = application.packet_deliveries.order_by("delivered_at").first()
    effective_date = (first.effective_date if first else None) or timezone.localdate()
    delivery = PacketDelivery(application=application, packet=packet, effective_date=effective_date)
    letter = welcome_letter_pdf(
        application=application, packet=packet, effective_date=effective_date
    )
    delivery.letter_size = len(letter)
    delivery.letter.save("welcome-letter.pdf", ContentFile(letter), save=False)
    try:
        with transaction.atomic():
            delivery.full_clean()
            delivery.save()
            delivery.items.set(packet.items.all())
            event_record(
                application=application,
                kind=ApplicationEvent.Kind.PACKET_DELIVERED,
                actor=None,
                detail=str(packet),
            )
            notifications.packet_delivered(application, delivery, update=first is not None)
    except Exception:
        delivery.letter.delete(save=False)  # nothing half-delivered: the stored letter goes too
        raise
    return delivery


def download_record(
    *,
    user: User,
    ip_address: str | None,
    document: Document | None = None,
    delivery: PacketDelivery | None = None,
    packet_item: WelcomePacketItem | None = None,
    kind: str = "",
) -> DownloadRecord:
    """Record who downloaded what, when and from where (the file's name, never its content)."""
    if not kind:
        kind = DownloadRecord.Kind.DOCUMENT if document else DownloadRecord.Kind.PACKET_ITEM
    if packet_item is not None:
        what = packet_item.title
    elif delivery is not None:
        what = f"{DownloadRecord.Kind(kind).label}: {delivery.packet}"
    else:
        what = str(document)
    with transaction.atomic():
        audit_record(
            action=AuditEvent.Action.DOCUMENT_DOWNLOAD,
            actor=user,
            target=document or packet_item or delivery,
            summary=what,
        )
        record = DownloadRecord.objects.create(
            kind=kind,
            user=user,
            ip_address=ip_address,
            document=document,
            delivery=delivery,
            packet_item=packet_item,
        )
        if delivery is not None:
            event_record(
                application=delivery.application,
                kind=ApplicationEvent.Kind.PACKET_DOWNLOADED,
                actor=user,
                detail=what,
            )
    return record
