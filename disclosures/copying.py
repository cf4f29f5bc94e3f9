"""A disclosure copied over another: a recredentialing's draft, or a change of ownership
request's, from the provider's record; and the provider's record from the approved
recredentialing or change."""

from django.db import models
from simple_history.utils import bulk_create_with_history

from changes.models import ChangeRequest
from disclosures.models import (
    Conviction,
    DisclosedParty,
    Disclosure,
    FamilyRelationship,
    OtherInterest,
    OwnershipInterest,
)
from onboarding.models import Application

# The rows that name parties, and the names of their foreign keys to a party.
RELATED_ROWS: tuple[tuple[type[models.Model], tuple[str, ...]], ...] = (
    (OwnershipInterest, ("holder", "held_in")),
    (FamilyRelationship, ("person", "relative")),
    (OtherInterest, ("holder",)),
    (Conviction, ("party",)),
)
OWN = {"id", "disclosure"}


def _values(row: models.Model, skip: set[str]) -> dict[str, object]:
    return {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if f.name not in skip and f.attname not in skip
    }


def disclosure_copy(
    original: Disclosure,
    *,
    application: Application | None = None,
    change_request: ChangeRequest | None = None,
) -> dict[int, int]:
    """Make the disclosure of ``application`` (or of ``change_request``) what ``original`` says,
    its own rows replaced. Which party of the copy each of the original's became, by id."""
    disclosure, _created = Disclosure.objects.update_or_create(
        application=application,
        change_request=change_request,
        defaults={name: getattr(original, name) for name in Disclosure.NONE_FIELDS.values()},
    )
    disclosure.parties.all().delete()  # and every row that names them
    party_of: dict[int, int] = {}
    for party in original.parties.order_by("pk"):
        copy = DisclosedParty.objects.create(disclosure=disclosure, **_values(party, OWN))
        party_of[party.pk] = copy.pk
    for model, links in RELATED_ROWS:
        skip = OWN | set(links) | {f"{link}_id" for link in links}
        rows = model._default_manager.filter(disclosure=original).order_by("pk")
        bulk_create_with_history(
            [
                model(
                    disclosure=disclosure,
                    **_values(row, skip),
                    **{
                        f"{link}_id": party_of[getattr(row, f"{link}_id")]
                        if getattr(row, f"{link}_id") is not None
                        else None
                        for link in links
                    },
                )
                for row in rows
            ],
            model,
        )
    (application or change_request).disclosure = disclosure  # type: ignore[union-attr]
    return party_of
