"""Disclosure pages: the applicant's rows of the entity step, and staff's reveal and export."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from disclosures.forms import (
    ConvictionForm,
    FamilyRelationshipForm,
    OtherInterestForm,
    PartyForm,
    RevealForm,
)
from disclosures.models import Conviction, DisclosedParty, FamilyRelationship, OtherInterest
from disclosures.selectors import (
    disclosure_for_applicant,
    disclosure_row_of,
    disclosures_for_export,
    party_for_staff,
    party_of,
)
from disclosures.services import (
    identifiers_reveal,
    party_remove,
    party_save,
    row_remove,
    row_save,
)
from onboarding.exceptions import OnboardingError
from onboarding.selectors import application_for_staff
from onboarding.views.removal import removal_confirm
from portal.decorators import manager_required, staff_required
from portal.models import User
from portal.roles import REVEAL_PERMISSION
from reviews.exports import csv_response
from reviews.services.workbench import export_record


@login_required
def party_view(
    request: HttpRequest, pk: int, kind: str = "", party_pk: int | None = None
) -> HttpResponse:
    """Add or change a person or an organization of the disclosure."""
    user: User = request.user  # type: ignore[assignment]
    editing = disclosure_for_applicant(user, pk)
    party = party_of(editing.disclosure, party_pk) if party_pk else None
    kind = party.kind if party else kind
    if kind not in DisclosedParty.Kind.values:
        raise Http404
    form = PartyForm(request.POST or None, instance=party, kind=kind, disclosure=editing.disclosure)
    if request.method == "POST" and form.is_valid():
        try:
            saved = party_save(
                editing=editing,
                user=user,
                data=form.party_data(),
                holding=form.holding(),
                party=party,
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved.name})
            return redirect(editing.back_url)
    return render(
        request,
        "disclosures/party_form.html",
        {
            "editing": editing,
            "application": editing.application,
            "form": form,
            "party": party,
            "kind": kind,
        },
    )


@login_required
def party_remove_view(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    editing = disclosure_for_applicant(user, pk)
    party = party_of(editing.disclosure, party_pk)
    if request.method != "POST":
        return removal_confirm(
            request,
            editing.application,
            heading=_("Remove %(name)s from the disclosure?") % {"name": party.name},
            explanation=_(
                "Their shares, family relationships, other interests and convictions listed "
                "here are removed with them."
            ),
            confirm=_("Remove"),
            cancel=_("Keep them"),
            back=editing.back_url,
        )
    try:
        party_remove(editing=editing, user=user, party=party)
    except OnboardingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s removed.") % {"name": party.name})
    return redirect(editing.back_url)


@dataclass(frozen=True)
class RowKind:
    """A kind of row relating disclosed parties, as its pages know it."""

    model: type[Model]
    form: Callable[..., Any]
    title: str
    describe: Callable[[Any], str]


ROW_KINDS = {
    "family": RowKind(
        FamilyRelationship,
        FamilyRelationshipForm,
        _("Add a family relationship"),
        lambda row: _("family relationship of %(name)s") % {"name": row.person},
    ),
    "other-interests": RowKind(
        OtherInterest,
        OtherInterestForm,
        _("Add an interest in another provider"),
        lambda row: _("interest in %(provider)s") % {"provider": row.provider_name},
    ),
    "convictions": RowKind(
        Conviction,
        ConvictionForm,
        _("Add a conviction"),
        lambda row: _("conviction of %(name)s") % {"name": row.party},
    ),
}


def _row_kind(name: str) -> RowKind:
    if name not in ROW_KINDS:
        raise Http404
    return ROW_KINDS[name]


@login_required
def row_add_view(request: HttpRequest, pk: int, row_kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    editing = disclosure_for_applicant(user, pk)
    kind = _row_kind(row_kind)
    form = kind.form(request.POST or None, disclosure=editing.disclosure)
    if request.method == "POST" and form.is_valid():
        try:
            row = row_save(
                editing=editing,
                user=user,
                row=form.instance,
                what=kind.describe(form.instance),
            )
        except OnboardingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": kind.describe(row)})
            return redirect(editing.back_url)
    return render(
        request,
        "disclosures/row_form.html",
        {"editing": editing, "application": editing.application, "form": form, "title": kind.title},
    )


@login_required
def row_remove_view(request: HttpRequest, pk: int, row_kind: str, row_pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    editing = disclosure_for_applicant(user, pk)
    kind = _row_kind(row_kind)
    row = disclosure_row_of(editing.disclosure, kind.model, row_pk)
    if request.method == "POST":
        try:
            row_remove(editing=editing, user=user, row=row, what=kind.describe(row))
        except OnboardingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Removed: %(what)s.") % {"what": kind.describe(row)})
    return redirect(editing.back_url)


@never_cache
@staff_required
def reveal_view(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    """A disclosed person's full SSN and date of birth, to staff allowed to see them, with the
    reason asked and the reveal audited. The page is never cached."""
    user: User = request.user  # type: ignore[assignment]
    if not user.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied
    application = application_for_staff(pk)
    party = party_for_staff(application, party_pk)
    if not party.is_person:
        raise Http404
    form = RevealForm(request.POST or None)
    identifiers = None
    if request.method == "POST" and form.is_valid():
        identifiers = identifiers_reveal(user=user, party=party, reason=form.cleaned_data["reason"])
    return render(
        request,
        "disclosures/reveal.html",
        {"application": application, "party": party, "form": form, "identifiers": identifiers},
    )


EXPORT_HEADER = [
    "application",
    "organization",
    "application_status",
    "kind",
    "name",
    "share_percent",
    "indirect",
    "position",
    "title",
    "managing_employee",
    "subcontractor_share_percent",
    "convictions",
]


@manager_required
def export_view(request: HttpRequest) -> StreamingHttpResponse:
    """Every disclosed person and organization with their roles and shares, as CSV. Never an SSN,
    a date of birth, a TIN or a home address: those stay in the portal."""
    user: User = request.user  # type: ignore[assignment]
    export_record(user=user, what="Ownership and control export", filters="")
    rows: Iterator[list[object]] = (
        [
            line.application.reference,
            line.application.organization.legal_name,
            line.application.get_status_display(),
            line.party.get_kind_display(),
            line.party.name,
            line.share if line.share else "",
            "yes" if line.indirect else "no",
            line.party.get_position_display(),
            line.party.title,
            "yes" if line.party.is_managing_employee else "no",
            line.party.provider_share or "",
            line.convictions,
        ]
        for line in disclosures_for_export()
    )
    return csv_response(EXPORT_HEADER, rows, f"disclosures-{timezone.localdate():%Y%m%d}.csv")
