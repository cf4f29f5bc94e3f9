"""Business and person names compare without case, punctuation or legal-form suffixes."""

import pytest

from screening.normalise import (
    normalise_business_name,
    normalise_person_name,
    split_full_name,
)


@pytest.mark.parametrize(
    "written",
    [
        "Acme Health, Inc.",
        "ACME HEALTH INC",
        "acme health incorporated",
        "The Acme Health Co.",
        "ACME HEALTH, L.L.C.",
        "Acme  Health  LLC",
        "Acmé Health Corp",
    ],
)
def test_case_punctuation_and_suffix_differences_normalise_alike(written):
    assert normalise_business_name(written) == "ACME HEALTH"


def test_ampersand_and_the_word_and_are_the_same():
    assert normalise_business_name("Smith & Jones Clinic") == normalise_business_name(
        "SMITH AND JONES CLINIC"
    )


def test_a_suffix_inside_the_name_is_kept():
    assert normalise_business_name("Inc Health Partners LLC") == "INC HEALTH PARTNERS"


def test_person_names_ignore_generational_suffixes_and_middle_names():
    assert normalise_person_name(last="Smith Jr.", first="John A.") == "SMITH JOHN"
    assert normalise_person_name(last="", first="John") == ""


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Casey Q. Clinician", ("Clinician", "Casey")),
        ("Clinician, Casey", ("Clinician", "Casey")),
        ("Lee Lead Jr.", ("Lead", "Lee")),
        ("Madonna", ("Madonna", "")),
    ],
)
def test_full_names_split_into_last_and_first(full_name, expected):
    assert split_full_name(full_name) == expected
