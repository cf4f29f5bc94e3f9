"""Authorised downloads, the new provider's welcome-packet page and the plan's receipts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.acknowledgements import packet_acknowledge
from documents.forms import AcknowledgeForm
from documents.models import DownloadRecord, PacketDelivery
from documents.selectors import (
    delivery_for,
    document_for,
    other_deliveries,
    packet_downloads,
    packet_item_for,
    packet_items,
    packet_receipts,
)
from documents.services import download_record
from documents.storage import attachment_response, zip_response
from documents.validators import served_name
from onboarding.exceptions import OnboardingError
from portal.audit import client_address
from portal.models import User
from portal.roles import FINAL_APPROVAL_PERMISSION


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    document = document_for(user, pk)
    download_record(user=user, ip_address=client_address(request), document=document)
    name = served_name(document.original_name, document.content_type)
    return attachment_response(document.file, name, document.content_type)


@login_required
def packet(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    delivery = delivery_for(user, pk)
    downloads = packet_downloads(delivery)
    return render(
        request,
        "documents/packet.html",
        {
            "delivery": delivery,
            "application": delivery.application,
            "items": [(item, item.pk in downloads.item_ids) for item in packet_items(delivery)],
            "letter_downloaded": downloads.letter,
            "form": AcknowledgeForm(),
            "is_member": getattr(user, "membership", None) is not None,
            "other_versions": other_deliveries(delivery),
        },
    )


@login_required
def packet_item_download(request: HttpRequest, pk: int, item_pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    delivery, item = packet_item_for(user, pk, item_pk)
    download_record(
        user=user, ip_address=client_address(request), delivery=delivery, packet_item=item
    )
    name = served_name(item.original_name, item.content_type)
    return attachment_response(item.file, name, item.content_type)


@login_required
def packet_letter_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    delivery = delivery_for(user, pk)
    if not delivery.letter:
        raise Http404(_("This delivery has no welcome letter."))
    download_record(
        user=user,
        ip_address=client_address(request),
        delivery=delivery,
        kind=DownloadRecord.Kind.LETTER,
    )
    return attachment_response(delivery.letter, delivery.letter_name, "application/pdf")


def _zip_entries(delivery: PacketDelivery) -> list[tuple[str, object]]:
    entries: list[tuple[str, object]] = []
    if delivery.letter:
        entries.append((f"00 {delivery.letter_name}", delivery.letter))
    for number, item in enumerate(packet_items(delivery), start=1):
        name = served_name(item.original_name, item.content_type)
        entries.append((f"{number:02d} {name}", item.file))
    return entries


@login_required
def packet_zip_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Every document of the delivered version and the letter, as one ZIP streamed as it is
    written (through the web node, also on S3: there is no single object to link to)."""
    user: User = request.user  # type: ignore[assignment]
    delivery = delivery_for(user, pk)
    download_record(
        user=user,
        ip_address=client_address(request),
        delivery=delivery,
        kind=DownloadRecord.Kind.PACKET_ZIP,
    )
    name = f"Welcome packet version {delivery.packet.version}.zip"
    return zip_response(_zip_entries(delivery), name)  # type: ignore[arg-type]


@login_required
@require_POST
def packet_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    delivery = delivery_for(user, pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the box to confirm you received the welcome packet."))
        return redirect("documents:packet", pk=pk)
    try:
        packet_acknowledge(delivery=delivery, user=user)
    except OnboardingError as error:
        messages.error(request, error.message)
        return redirect("documents:packet", pk=pk)
    messages.success(request, _("Thank you. Welcome to the ECM provider network!"))
    return redirect("onboarding:application_detail", pk=delivery.application.pk)


@login_required
@permission_required(FINAL_APPROVAL_PERMISSION, raise_exception=True)
def packet_receipt_list(request: HttpRequest) -> HttpResponse:
    """Per provider: each version delivered, how often its people downloaded, and receipt."""
    return render(request, "documents/receipts.html", {"deliveries": packet_receipts()})
