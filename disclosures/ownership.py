"""Shares of the applicant, direct, indirect and combined (42 CFR 455.101 and 455.102).

An indirect share is the product of the percentages along the chain: 10% of a company that
owns 80% of the applicant is 8%; 80% of a company that owns 5% is 4%. A holder's combined share
is the sum over every chain that reaches the applicant. The arithmetic is exact (``Fraction``)
and only the result is rounded, to hundredths of a percent.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Generic, TypeVar

from django.conf import settings

Key = TypeVar("Key", bound=Hashable)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Interest(Generic[Key]):
    """``holder`` holds ``percent`` of ``held_in``; ``held_in`` None is the applicant itself."""

    holder: Key
    held_in: Key | None
    percent: Decimal


class CircularOwnership(ValueError):
    """The interests go round in a loop (A holds B holds A): no share can be computed."""


def threshold() -> Decimal:
    """The share from which a holder must be disclosed (5%, ``DISCLOSURE_OWNERSHIP_THRESHOLD``)."""
    return Decimal(str(settings.DISCLOSURE_OWNERSHIP_THRESHOLD))


def shares(interests: Iterable[Interest[Key]]) -> dict[Key, Decimal]:
    """Each holder's combined share of the applicant, in percent, rounded to hundredths.

    Holders whose chains never reach the applicant (the owners of a subcontractor) have 0.
    Raises ``CircularOwnership`` when the interests form a loop.
    """
    held: dict[Key, list[Interest[Key]]] = {}
    for interest in interests:
        held.setdefault(interest.holder, []).append(interest)
    fractions: dict[Key, Fraction] = {}

    def share_of(holder: Key, visiting: frozenset[Key]) -> Fraction:
        if holder in fractions:
            return fractions[holder]
        if holder in visiting:
            raise CircularOwnership(holder)
        total = Fraction(0)
        for interest in held.get(holder, []):
            of_applicant = (
                Fraction(1)
                if interest.held_in is None
                else share_of(interest.held_in, visiting | {holder})
            )
            total += Fraction(interest.percent) / 100 * of_applicant
        fractions[holder] = total
        return total

    for holder in held:
        share_of(holder, frozenset())
    return {holder: as_percent(fraction) for holder, fraction in fractions.items()}


def as_percent(fraction: Fraction) -> Decimal:
    """A share (1 = the whole) as a percentage rounded half-up to hundredths."""
    exact = Decimal(fraction.numerator * 100) / Decimal(fraction.denominator)
    return exact.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
