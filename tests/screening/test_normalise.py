"""Business and person names compare without case, punctuation, diacritics or suffixes."""

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
    ("last", "first"),
    [
        ("O'Brien", "Mary"),
        ("OBrien", "MARY"),
        ("O Brien", "mary"),
        ("O\u2019Brien", "Mary Kate"),
        ("  o'brien ", "  Mary  "),
        ("O'Brien, Jr.", "Mary"),
        ("O'Brien", "Mary, Jr."),
        ("O'Brien III", "Dr. Mary"),
        ("O'Brien, Ph.D.", "Mary"),
        ("O'BRIEN M.D.", "Mary"),
    ],
)
def test_punctuation_spacing_case_titles_and_suffixes_do_not_change_a_persons_key(last, first):
    assert normalise_person_name(last=last, first=first) == "OBRIEN MARY"


@pytest.mark.parametrize(
    ("last", "first", "expected"),
    [
        ("García-López", "José", "GARCIALOPEZ JOSE"),
        ("Garcia Lopez", "Jose", "GARCIALOPEZ JOSE"),
        ("Núñez", "María José", "NUNEZ MARIA"),
        ("Đặng", "Thu", "DANG THU"),
        ("Sørensen", "Søren", "SORENSEN SOREN"),
        ("de la Cruz", "Ana", "DELACRUZ ANA"),
        # Do is a surname as well as a suffix: alone, it is the surname.
        ("Do", "Anh", "DO ANH"),
        ("Do, D.O.", "Anh", "DO ANH"),
    ],
)
def test_compound_surnames_and_diacritics(last, first, expected):
    assert normalise_person_name(last=last, first=first) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Garcia", "Maria"), ("Garcia-Lopez", "Maria")),
        (("Leon", "Maria"), ("De Leon", "Maria")),
        (("Smith", "John"), ("Smyth", "John")),
        (("Smith", "Maria"), ("Smith", "Mario")),
    ],
)
def test_close_but_different_names_keep_different_keys(one, other):
    assert normalise_person_name(last=one[0], first=one[1]) != normalise_person_name(
        last=other[0], first=other[1]
    )


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Casey Q. Clinician", ("Clinician", "Casey")),
        ("Clinician, Casey", ("Clinician", "Casey")),
        ("Lee Lead Jr.", ("Lead", "Lee")),
        ("Madonna", ("Madonna", "")),
        ("", ("", "")),
        ("O'Brien, Mary Kate", ("O'Brien", "Mary Kate")),
        ("  Mary   Kate  O'Brien ", ("O'Brien", "Mary")),
        ("John Smith, Jr.", ("Smith", "John")),
        ("John A. Smith, MD, Ph.D.", ("Smith", "John")),
        ("Smith Jr., John", ("Smith Jr.", "John")),
        ("Dr. Jane Doe", ("Doe", "Jane")),
        ("Ana María de la Cruz", ("de la Cruz", "Ana")),
        ("Juan De León", ("De León", "Juan")),
        ("Maria Del Carmen Lopez", ("Lopez", "Maria")),
        # "Van" is not a particle: in California it is more often a Vietnamese middle name.
        ("Minh Van Nguyen", ("Nguyen", "Minh")),
        # Without a comma, a closing "Do" is the surname; "D.O." the suffix.
        ("Jose Alan Do", ("Do", "Jose")),
        ("Jose Alan Smith D.O.", ("Smith", "Jose")),
        ("Anh Do, DO", ("Do", "Anh")),
    ],
)
def test_full_names_split_into_last_and_first(full_name, expected):
    assert split_full_name(full_name) == expected
