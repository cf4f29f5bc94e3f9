"""Authorised downloads and the new provider's welcome-packet page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.selectors import deliveries_visible_to, document_for, packet_item_for
from documents.services import download_record
from onboarding.exceptions import OnboardingError
from onboarding.forms import AcknowledgeForm
from onboarding.services.welcome import packet_acknowledge
from onboarding.views.access import client_ip
from portal.models import User


def _attachment(file: FieldFile, name: str, content_type: str) -> FileResponse:
    """Stream a stored file as a download; never rendered inline, never sniffed."""
    response = FileResponse(
        file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    user: User = request.user  # type: ignore[assignment]
    document = document_for(user, pk)
    download_record(user=user, ip_address=client_ip(request), document=document)
    return _attachment(document.file, document.original_name, document.content_type)


@login_required
def packet(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    delivery = get_object_or_404(deliveries_visible_to(user), pk=pk)
    downloaded = set(
        delivery.downloads.filter(
            user__membership__organization=delivery.application.organization
        ).values_list("packet_item_id", flat=True)
    )
    return render(
        request,
        "documents/packet.html",
        {
            "delivery": delivery,
            "application": delivery.application,
            "items": [(item, item.pk in downloaded) for item in delivery.packet.items.all()],
            "form": AcknowledgeForm(),
            "is_member": getattr(user, "membership", None) is not None,
        },
    )


@login_required
def packet_item_download(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    user: User = request.user  # type: ignore[assignment]
    delivery, item = packet_item_for(user, pk, item_pk)
    download_record(user=user, ip_address=client_ip(request), delivery=delivery, packet_item=item)
    return _attachment(item.file, item.original_name, item.content_type)


@login_required
@require_POST
def packet_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    delivery = get_object_or_404(deliveries_visible_to(user), pk=pk)
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
