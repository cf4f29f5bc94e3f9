"""Validators for the identifiers an applicant gives: NPI and TIN/EIN."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NPI_PREFIX_CONSTANT = 24  # what the card-issuer prefix 80840 contributes to the Luhn sum


def npi_check_digit(first_nine: str) -> int:
    """The Luhn check digit of an NPI's first nine digits (CMS: double from the rightmost digit)."""
    total = NPI_PREFIX_CONSTANT
    for position, char in enumerate(reversed(first_nine)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


ASCII_DIGITS = frozenset("0123456789")


def is_ascii_digits(value: str) -> bool:
    """True for a non-empty string of 0-9 only (``str.isdigit`` also accepts '³' and '٢')."""
    return bool(value) and set(value) <= ASCII_DIGITS


def digits_only(value: str) -> str:
    return "".join(ch for ch in value if ch in ASCII_DIGITS)


def validate_npi(value: str) -> None:
    """Refuse anything but a 10-digit NPI starting with 1 or 2 whose check digit is right."""
    if not is_ascii_digits(value) or len(value) != 10:
        raise ValidationError(
            _("An NPI has exactly 10 digits (you entered %(count)d).")
            % {"count": len(digits_only(value))},
            code="npi_length",
        )
    if value[0] not in "12":
        raise ValidationError(_("An NPI starts with 1 or 2."), code="npi_prefix")
    expected = npi_check_digit(value[:9])
    if int(value[9]) != expected:
        raise ValidationError(
            _(
                "The NPI's last digit should be %(digit)d for %(first_nine)s_. "
                "Please check the number."
            )
            % {"digit": expected, "first_nine": value[:9]},
            code="npi_check_digit",
        )


# The two-digit prefixes the IRS has never given an EIN: every other prefix from 01 to 99 belongs
# to a campus, the internet or the SBA. Source: the IRS page "How EINs are assigned and valid EIN
# prefixes" (irs.gov, Small business and self-employed).
EIN_PREFIXES_NEVER_ASSIGNED = frozenset({
    "00", "07", "08", "09", "17", "18", "19", "28", "29",
    "49", "69", "70", "78", "79", "89", "96", "97",
})  # fmt: skip


def validate_tin(value: str) -> None:
    """Refuse anything but 9 digits that an EIN could be: a prefix the IRS assigns, and a serial
    number (the last seven digits) that is not all zeros."""
    if not is_ascii_digits(value) or len(value) != 9:
        raise ValidationError(
            _("A TIN/EIN has exactly 9 digits, for example 12-3456789."), code="tin_length"
        )
    if value[:2] in EIN_PREFIXES_NEVER_ASSIGNED:
        raise ValidationError(
            _(
                "No TIN/EIN starts with %(prefix)s: the IRS has never given out that prefix. "
                "Please check the number."
            )
            % {"prefix": value[:2]},
            code="tin_prefix",
        )
    if value[2:] == "0000000":
        raise ValidationError(
            _("A TIN/EIN never ends in seven zeros. Please check the number."), code="tin_serial"
        )


def _compact(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch not in " -")


def validate_sos_entity_number(value: str) -> str:
    """A California Secretary of State entity number, returned in its compact upper-case form.

    Corporations have a letter and 7 digits (C1234567); LLCs and LPs 12 digits (201912345678);
    entities formed on bizfile Online a letter and up to 11 digits (B20230012345).
    """
    compact = _compact(value)
    body = compact[1:] if compact[:1].isalpha() and compact[:1].isascii() else compact
    if not is_ascii_digits(body) or not 7 <= len(body) <= 12:
        raise ValidationError(
            _(
                "A Secretary of State entity number is a letter and 7 digits (C1234567) "
                "or 12 digits (201912345678). Please check the number."
            ),
            code="sos_format",
        )
    return compact


def validate_medi_cal_provider_number(value: str) -> str:
    """A Medi-Cal provider number (letters and digits, 6 to 15 of them), compact and upper-case."""
    compact = _compact(value)
    if not (compact.isascii() and compact.isalnum() and 6 <= len(compact) <= 15):
        raise ValidationError(
            _(
                "A Medi-Cal provider number has 6 to 15 letters and digits "
                "(you entered %(count)d characters)."
            )
            % {"count": len(compact)},
            code="medi_cal_format",
        )
    return compact


def normalise_us_phone(value: str) -> str:
    """A 10-digit US phone number as (213) 555-0123; a leading country code 1 is dropped."""
    digits = digits_only(value)
    if len(digits) == 11 and digits[0] == "1":
        digits = digits[1:]
    if len(digits) != 10 or any(ch.isalpha() for ch in value):
        raise ValidationError(
            _("A phone number has 10 digits, for example (213) 555-0123."), code="phone_format"
        )
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
