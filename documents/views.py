"""Authorised downloads and the new provider's welcome-packet page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.selectors import deliveries_visible_to, document_for, packet_item_for
from documents.services import download_record
from documents.storage import attachment_response
from onboarding.exceptions import OnboardingError
from onboarding.forms import AcknowledgeForm
from onboarding.services.welcome import packet_acknowledge
from onboarding.views.access import client_ip
from portal.models import User


@login_required
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    document = document_for(user, pk)
    download_record(user=user, ip_address=client_ip(request), document=document)
    return attachment_response(document.file, document.original_name, document.content_type)


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
def packet_item_download(request: HttpRequest, pk: int, item_pk: int) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    delivery, item = packet_item_for(user, pk, item_pk)
    download_record(user=user, ip_address=client_ip(request), delivery=delivery, packet_item=item)
    return attachment_response(item.file, item.original_name, item.content_type)


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
