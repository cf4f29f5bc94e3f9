"""What a reviewer accepts or returns on a change request, item by item, for each kind."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from changes.models import ChangeRequest
from onboarding.attestation_forms import ItemReviewForm, item_review_forms

Kind = ChangeRequest.Kind

ITEMS: dict[str, list[tuple[str, Any]]] = {
    Kind.CARE_TEAM: [
        ("person", _("The person and their role")),
        ("licence", _("Licence details and copy")),
        ("roster", _("The care team after the change")),
    ],
    Kind.CAPACITY: [
        ("capacity", _("Population, county and capacity")),
        ("experience", _("Experience with the population")),
    ],
    Kind.LOCATIONS: [
        ("addresses", _("Service and mailing addresses")),
        ("counties", _("Counties served")),
    ],
    Kind.LICENCE: [("licence", _("The licence or certification and its copy"))],
    Kind.OFFICIAL: [("nominee", _("The new authorized official"))],
    Kind.CONTACT: [("contact", _("Contact details"))],
    Kind.OWNERSHIP: [
        ("disclosure", _("Who owns, controls and manages the provider after the change")),
        ("timing", _("The date of the change, and whether it was reported in time")),
    ],
}


def change_items(kind: str) -> list[tuple[str, str]]:
    return [(item, str(label)) for item, label in ITEMS[kind]]


def change_review_forms(change_request: ChangeRequest, data: Any = None) -> list[ItemReviewForm]:
    return item_review_forms(change_items(change_request.kind), data)
