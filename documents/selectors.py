"""Scoped reads of documents and packets: applicants only ever reach their own organization's."""

from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet
from django.shortcuts import get_object_or_404

from documents.models import (
    Document,
    DownloadRecord,
    PacketDelivery,
    WelcomePacket,
    WelcomePacketItem,
)
from onboarding.models import Application
from portal.models import User
from portal.roles import is_plan_staff


def current_welcome_packet() -> WelcomePacket | None:
    return WelcomePacket.objects.filter(is_current=True).first()


def documents_visible_to(user: User) -> QuerySet[Document]:
    """Staff see every document; an applicant sees its own organization's; anyone else nothing."""
    documents = Document.objects.select_related("application")
    if is_plan_staff(user):
        return documents
    membership = getattr(user, "membership", None)
    if membership is None:
        return documents.none()
    return documents.filter(application__organization_id=membership.organization_id)


def document_for(user: User, pk: int) -> Document:
    return get_object_or_404(documents_visible_to(user), pk=pk)


def deliveries_visible_to(user: User) -> QuerySet[PacketDelivery]:
    deliveries = PacketDelivery.objects.select_related("packet", "application")
    if is_plan_staff(user):
        return deliveries
    membership = getattr(user, "membership", None)
    if membership is None:
        return deliveries.none()
    return deliveries.filter(application__organization_id=membership.organization_id)


def packet_item_for(
    user: User, delivery_pk: int, item_pk: int
) -> tuple[PacketDelivery, WelcomePacketItem]:
    """A delivered packet's item, reachable only by whoever may see that delivery."""
    delivery = get_object_or_404(deliveries_visible_to(user), pk=delivery_pk)
    item = get_object_or_404(delivery.items.all(), pk=item_pk)
    return delivery, item


def delivery_for(user: User, pk: int) -> PacketDelivery:
    return get_object_or_404(deliveries_visible_to(user), pk=pk)


def latest_delivery(application: Application) -> PacketDelivery | None:
    """The newest welcome packet version delivered to ``application``, if any (packets go
    only to approved providers, so no query is needed before then)."""
    if application.status not in Application.IN_NETWORK_STATUSES:
        return None
    return application.packet_deliveries.select_related("packet").first()


def organization_downloads(delivery: PacketDelivery) -> QuerySet[DownloadRecord]:
    """Downloads of ``delivery`` by the provider's own people (not by plan staff looking)."""
    return delivery.downloads.filter(
        user__membership__organization_id=delivery.application.organization_id
    )


@dataclass(frozen=True)
class PacketDownloads:
    """What the provider's own people have downloaded from one delivery."""

    item_ids: frozenset[int]
    letter: bool


def packet_downloads(delivery: PacketDelivery) -> PacketDownloads:
    """Which of the delivery's documents, and whether its letter, the provider's people have
    downloaded (one query for both)."""
    rows = list(organization_downloads(delivery).values_list("packet_item_id", "kind"))
    return PacketDownloads(
        item_ids=frozenset(item_id for item_id, _kind in rows if item_id is not None),
        letter=any(kind == DownloadRecord.Kind.LETTER for _item_id, kind in rows),
    )


def packet_items(delivery: PacketDelivery) -> list[WelcomePacketItem]:
    """The documents of the delivered packet version, in the packet's order."""
    return list(delivery.items.all())


def other_deliveries(delivery: PacketDelivery) -> QuerySet[PacketDelivery]:
    """The other packet versions delivered to the same application, newest first."""
    return (
        delivery.application.packet_deliveries.exclude(pk=delivery.pk)
        .select_related("packet")
        .order_by("-packet__version")
    )


def packet_receipts() -> QuerySet[PacketDelivery]:
    """Every delivery, newest first, with how often the provider's people downloaded from it:
    what network managers look at to see who received which version."""
    provider_downloads = Count(
        "downloads",
        filter=Q(downloads__user__membership__organization_id=F("application__organization_id")),
    )
    return (
        PacketDelivery.objects.select_related(
            "packet", "application__organization", "acknowledged_by"
        )
        .annotate(
            download_count=provider_downloads,
            last_download_at=Max(
                "downloads__downloaded_at",
                filter=Q(
                    downloads__user__membership__organization_id=F("application__organization_id")
                ),
            ),
        )
        .order_by("application__organization__legal_name", "-packet__version")
    )


def packet_recipients(packet: WelcomePacket) -> QuerySet[Application]:
    """Providers that received an earlier welcome packet version but not ``packet``."""
    return (
        Application.objects.filter(
            status__in=Application.IN_NETWORK_STATUSES,
            packet_deliveries__isnull=False,
        )
        .exclude(packet_deliveries__packet=packet)
        .distinct()
        .select_related("organization")
        .order_by("pk")
    )
