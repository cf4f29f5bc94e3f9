"""Shares of the applicant: direct, indirect (multiplied along the chain) and combined."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from disclosures.ownership import CircularOwnership, Interest, as_percent, shares

percent = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2)


def test_the_examples_of_the_rule():
    # 42 CFR 455.102: 10% of a company owning 80% is 8%; 80% of a company owning 5% is 4%.
    held = shares(
        [
            Interest("holding company", None, Decimal("80")),
            Interest("A", "holding company", Decimal("10")),
            Interest("small company", None, Decimal("5")),
            Interest("B", "small company", Decimal("80")),
        ]
    )
    assert held["A"] == Decimal("8.00")
    assert held["B"] == Decimal("4.00")


def test_direct_and_indirect_shares_combine():
    held = shares(
        [
            Interest("parent", None, Decimal("50")),
            Interest("ana", None, Decimal("3")),
            Interest("ana", "parent", Decimal("4")),
        ]
    )
    assert held["ana"] == Decimal("5.00")  # 3% directly + 4% of 50%: disclosed


def test_owners_of_a_subcontractor_hold_nothing_of_the_applicant():
    # The subcontractor holds nothing of the applicant: the chain never reaches it.
    held = shares([Interest("owner", "subcontractor", Decimal("60"))])
    assert held["owner"] == Decimal("0.00")


def test_a_loop_is_refused():
    with pytest.raises(CircularOwnership):
        shares([Interest("a", "b", Decimal("10")), Interest("b", "a", Decimal("10"))])


@given(st.lists(percent, min_size=1, max_size=6))
def test_a_chain_is_the_product_of_its_percentages(chain):
    interests = [Interest(0, None, chain[0])]
    interests += [Interest(n, n - 1, p) for n, p in enumerate(chain[1:], start=1)]
    expected = Decimal(1)
    for p in chain:
        expected *= p / 100
    assert shares(interests)[len(chain) - 1] == (expected * 100).quantize(Decimal("0.01"))


@given(st.lists(percent, min_size=1, max_size=8), st.lists(percent, min_size=1, max_size=8))
def test_no_one_holds_more_than_everything_when_each_entity_is_held_at_most_whole(direct, via):
    # Scale each entity's holders so they hold at most 100% of it in total.
    def at_most_whole(values):
        total = sum(values)
        return [v * 100 / total if total > 100 else v for v in values]

    interests = [Interest(f"d{n}", None, p) for n, p in enumerate(at_most_whole(direct))]
    interests += [Interest(f"v{n}", "d0", p) for n, p in enumerate(at_most_whole(via))]
    held = shares(interests)
    assert all(Decimal(0) <= share <= Decimal(100) for share in held.values())
    rounding = Decimal("0.005") * len(direct)  # each share is rounded to hundredths
    assert sum(held[f"d{n}"] for n in range(len(direct))) <= 100 + rounding


@given(percent, percent)
def test_holding_more_of_the_intermediate_never_lowers_the_share(low, high):
    low, high = sorted((low, high))

    def held(p: Decimal) -> Decimal:
        return shares([Interest("co", None, Decimal(50)), Interest("x", "co", p)])["x"]

    assert held(low) <= held(high)


def test_rounding_is_half_up_to_hundredths():
    from fractions import Fraction

    assert as_percent(Fraction(1, 800)) == Decimal("0.13")  # 0.125% rounds up
    assert as_percent(Fraction(1, 3)) == Decimal("33.33")
