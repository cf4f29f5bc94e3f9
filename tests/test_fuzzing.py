"""Hypothesis throws arbitrary input at the validators: they accept or explain, never crash."""

import string

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from documents.validators import display_name
from screening.identifiers import (
    EIN_PREFIXES_NEVER_ASSIGNED,
    digits_only,
    validate_npi,
    validate_tin,
)


def refusal(validator: object, value: str) -> list[str] | None:
    """The validator's messages when it refuses ``value``; None when it accepts."""
    try:
        validator(value)  # type: ignore[operator]
    except ValidationError as error:
        return list(error.messages)
    return None


def luhn_valid_npi(value: str) -> bool:
    """The published definition: ordinary Luhn over '80840' + the ten digits."""
    digits = [int(ch) for ch in "80840" + value]
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit * 2 > 9 else digit * 2
        total += digit
    return total % 10 == 0


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=30))
def test_npi_validation_never_crashes_and_explains_every_refusal(value):
    expected = (
        len(value) == 10
        and set(value) <= set(string.digits)
        and value[0] in "12"
        and luhn_valid_npi(value)
    )
    messages = refusal(validate_npi, value)
    assert (messages is None) == expected
    assert messages is None or all(message.strip() for message in messages)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=string.digits, min_size=10, max_size=10))
def test_npi_validation_agrees_with_the_published_definition(value):
    expected = value[0] in "12" and luhn_valid_npi(value)
    try:
        validate_npi(value)
    except ValidationError:
        assert not expected
    else:
        assert expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_tin_validation_accepts_exactly_nine_ascii_digits(value):
    expected = (
        len(value) == 9
        and set(value) <= set(string.digits)
        and value[:2] not in EIN_PREFIXES_NEVER_ASSIGNED
        and value[2:] != "0000000"
    )
    messages = refusal(validate_tin, value)
    assert (messages is None) == expected
    assert messages is None or messages


@given(st.text(max_size=40))
def test_digits_only_keeps_only_ascii_digits(value):
    assert set(digits_only(value)) <= set(string.digits)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400))
def test_display_names_are_safe_to_show_and_never_a_path(name):
    shown = display_name(name)
    assert shown
    assert len(shown) <= 120
    assert "/" not in shown
    assert "\\" not in shown
    assert all(ch.isprintable() for ch in shown)
    assert not set(shown) & set('<>:"|?*')
    assert shown not in {".", ".."}
