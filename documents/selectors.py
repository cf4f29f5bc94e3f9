"""Scoped reads of documents and packets: applicants only ever reach their own organization's."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from documents.models import Document, PacketDelivery, WelcomePacket, WelcomePacketItem
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
    item = get_object_or_404(
        WelcomePacketItem.objects.filter(packet_id=delivery.packet_id), pk=item_pk
    )
    return delivery, item
