"""The NPI and TIN/EIN checks an applicant's identifiers pass (DESIGN.md §5, Identifiers)."""

import pytest
from django.core.exceptions import ValidationError

from screening.identifiers import (
    EIN_PREFIXES_NEVER_ASSIGNED,
    validate_npi,
    validate_tin,
)


def luhn_is_valid(number: str) -> bool:
    """The Luhn check as ISO/IEC 7812 states it, written here independently of the code under test.

    From the rightmost digit (the check digit) leftwards, every second digit is doubled and a
    two-digit result has 9 taken off; the number is valid when the sum is a multiple of 10.
    """
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def npi_is_valid(npi: str) -> bool:
    """CMS's definition: an NPI is valid when "80840" followed by the NPI passes the Luhn check."""
    return luhn_is_valid("80840" + npi)


def npi_error(value: str) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validate_npi(value)
    return error.value


def test_cms_worked_example_npi_is_valid():
    assert npi_is_valid("1234567893")
    validate_npi("1234567893")


def test_npi_with_a_wrong_check_digit_names_the_right_one():
    assert not npi_is_valid("1234567890")

    error = npi_error("1234567890")

    assert error.code == "npi_check_digit"
    assert error.messages == [
        "The NPI's last digit should be 3 for 123456789_. Please check the number."
    ]


@pytest.mark.parametrize("npi", ["1345623890", "1000000020", "2345678900"])
def test_valid_npi_whose_check_digit_is_zero_is_accepted(npi):
    assert npi_is_valid(npi)  # the test's own definition agrees these are real NPIs

    validate_npi(npi)


@pytest.mark.parametrize("npi", ["1245319599", "1993999998", "2000000010"])
def test_other_valid_npis_are_accepted(npi):
    assert npi_is_valid(npi)

    validate_npi(npi)


@pytest.mark.parametrize(
    "npi", ["1234567891", "1234567892", "1234567894", "1345623891", "1345623899"]
)
def test_every_wrong_check_digit_is_refused(npi):
    assert not npi_is_valid(npi)

    assert npi_error(npi).code == "npi_check_digit"


@pytest.mark.parametrize(
    ("npi", "count"),
    [("123456789", 9), ("12345678933", 11), ("", 0), ("1234-56789", 9)],
)
def test_npi_of_the_wrong_length_or_with_other_characters_is_refused(npi, count):
    error = npi_error(npi)

    assert error.code == "npi_length"
    assert f"you entered {count}" in error.messages[0]


@pytest.mark.parametrize("npi", ["3234567893", "0234567893", "9234567893"])
def test_npi_must_start_with_1_or_2(npi):
    error = npi_error(npi)

    assert error.code == "npi_prefix"
    assert error.messages == ["An NPI starts with 1 or 2."]


@pytest.mark.parametrize(
    "npi",
    [
        "123456789\N{SUPERSCRIPT THREE}",  # str.isdigit() is true, int() fails
        "1\N{ARABIC-INDIC DIGIT TWO}34567893",  # str.isdigit() is true, int() reads it as 2
        "\N{FULLWIDTH DIGIT ONE}234567893",
    ],
)
def test_npi_with_non_ascii_digits_is_refused_with_a_message(npi):
    with pytest.raises(ValidationError):
        validate_npi(npi)


@pytest.mark.parametrize("tin", ["123456789", "987654321", "010000001", "990000001"])
def test_nine_digit_tin_with_an_assigned_prefix_is_accepted(tin):
    validate_tin(tin)


# Written out here from the IRS page "How EINs are assigned and valid EIN prefixes", independently
# of the code under test: every prefix some campus, the internet or the SBA gives out.
IRS_ASSIGNED_PREFIXES = [
    "01", "02", "03", "04", "05", "06", "10", "11", "12", "13", "14", "15", "16",
    "20", "21", "22", "23", "24", "25", "26", "27", "30", "31", "32", "33", "34", "35", "36",
    "37", "38", "39", "40", "41", "42", "43", "44", "45", "46", "47", "48", "50", "51", "52",
    "53", "54", "55", "56", "57", "58", "59", "60", "61", "62", "63", "64", "65", "66", "67",
    "68", "71", "72", "73", "74", "75", "76", "77", "80", "81", "82", "83", "84", "85", "86",
    "87", "88", "90", "91", "92", "93", "94", "95", "98", "99",
]  # fmt: skip


def test_the_never_assigned_prefixes_are_exactly_those_the_irs_lists_for_no_one():
    every_prefix = {f"{n:02d}" for n in range(100)}

    assert every_prefix - set(IRS_ASSIGNED_PREFIXES) == EIN_PREFIXES_NEVER_ASSIGNED


@pytest.mark.parametrize("prefix", IRS_ASSIGNED_PREFIXES)
def test_every_assigned_prefix_is_accepted(prefix):
    validate_tin(f"{prefix}3456789")


@pytest.mark.parametrize("tin", ["000000000", "001234567", "071234567", "961234567", "971234567"])
def test_tin_with_a_prefix_the_irs_never_assigned_is_refused(tin):
    with pytest.raises(ValidationError) as error:
        validate_tin(tin)

    assert error.value.code == "tin_prefix"
    assert error.value.messages == [
        f"No TIN/EIN starts with {tin[:2]}: the IRS has never given out that prefix. "
        "Please check the number."
    ]


@pytest.mark.parametrize("tin", ["120000000", "980000000"])
def test_tin_whose_serial_number_is_all_zeros_is_refused(tin):
    with pytest.raises(ValidationError) as error:
        validate_tin(tin)

    assert error.value.code == "tin_serial"
    assert error.value.messages == ["A TIN/EIN never ends in seven zeros. Please check the number."]


@pytest.mark.parametrize(
    "tin",
    [
        "12345678", "1234567890", "", "12-3456789", "12345678a", " 123456789",
    ],
)  # fmt: skip
def test_tin_that_is_not_nine_digits_is_refused(tin):
    with pytest.raises(ValidationError) as error:
        validate_tin(tin)

    assert error.value.code == "tin_length"
    assert error.value.messages == ["A TIN/EIN has exactly 9 digits, for example 12-3456789."]


@pytest.mark.parametrize(
    "tin",
    ["12345678\N{ARABIC-INDIC DIGIT NINE}", "12345678\N{SUPERSCRIPT NINE}"],
)
def test_tin_with_non_ascii_digits_is_refused(tin):
    with pytest.raises(ValidationError):
        validate_tin(tin)
