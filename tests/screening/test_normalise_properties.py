"""Hypothesis varies how a person's name is written: the key stays; different names keep theirs."""

import re
import string

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from screening.normalise import (
    PERSON_SUFFIXES,
    PERSON_TITLES,
    SURNAME_PARTICLES,
    normalise_person_name,
    split_full_name,
)

ACCENTED = {"a": "áàâäã", "e": "éèêë", "i": "íìîï", "o": "óòôöø", "u": "úùûü", "n": "ñ", "c": "ç"}
# A word of a name: ASCII letters, never a suffix, title or particle the normaliser treats apart.
words = st.text(string.ascii_letters, min_size=2, max_size=12).filter(
    lambda w: w.upper() not in PERSON_SUFFIXES | PERSON_TITLES | SURNAME_PARTICLES
)
anything = st.text(max_size=40)
suffixes = st.sampled_from(["Jr.", "JR", "jr", "Sr.", "II", "III", "IV", "MD", "M.D.", "Ph.D."])
separators = st.sampled_from([" ", ", ", ",", "  "])
KEY = re.compile(r"[A-Z0-9]+ [A-Z0-9]+")


def key(last: str, first: str) -> str:
    return normalise_person_name(last=last, first=first)


@settings(max_examples=500, deadline=None)
@given(anything, anything)
def test_a_key_is_two_upper_case_words_and_normalises_to_itself(last, first):
    person_key = key(last, first)
    assume(person_key)
    assert KEY.fullmatch(person_key)
    surname, given_name = person_key.split()
    assert key(surname, given_name) == person_key


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=3), words, st.data())
def test_case_and_whitespace_do_not_change_the_key(surname, given_name, data):
    last = " ".join(surname)
    spaced = "  " + "   ".join(surname) + " \t"
    assert key(last.upper(), given_name.lower()) == key(last, given_name)
    assert key(last.lower(), given_name.upper()) == key(last, given_name)
    assert key(spaced, f" {given_name}  ") == key(last, given_name)
    assert key(data.draw(st.sampled_from([str.swapcase, str.title]))(last), given_name) == key(
        last, given_name
    )


@settings(max_examples=300, deadline=None)
@given(st.text(string.ascii_letters, min_size=1, max_size=3), words, words, st.data())
def test_apostrophes_hyphens_and_spaces_inside_a_surname_do_not_change_the_key(
    before, after, given_name, data
):
    """O'Brien, OBrien, O Brien, O-Brien; Garcia-Lopez, Garcia Lopez, GarciaLopez."""
    join = data.draw(st.sampled_from(["'", "\u2019", "-", " ", "", " - ", "."]))
    assert key(f"{before}{join}{after}", given_name) == key(before + after, given_name)


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=2), words, st.data())
def test_diacritics_do_not_change_the_key(surname, given_name, data):
    def accented(word: str) -> str:
        return "".join(
            data.draw(st.sampled_from(ACCENTED[ch.lower()])) if ch.lower() in ACCENTED else ch
            for ch in word
        )

    last = " ".join(surname)
    assert key(" ".join(accented(w) for w in surname), accented(given_name)) == key(
        last, given_name
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(words, min_size=1, max_size=2), words, suffixes, separators)
def test_a_suffix_after_the_surname_or_the_given_name_does_not_change_the_key(
    surname, given_name, suffix, separator
):
    last = " ".join(surname)
    assert key(f"{last}{separator}{suffix}", given_name) == key(last, given_name)
    assert key(last, f"{given_name}{separator}{suffix}") == key(last, given_name)


@settings(max_examples=300, deadline=None)
@given(words, words, st.one_of(st.just(""), words, words.map(lambda w: w[0] + ".")), st.data())
def test_first_middle_last_and_last_comma_first_give_the_key_of_the_fields(
    surname, given_name, middle, data
):
    suffix = data.draw(st.sampled_from(["", " Jr.", ", Jr.", ", MD", " III", ", Ph.D."]))
    expected = key(surname, given_name)
    for written in (
        f"{given_name} {middle} {surname}{suffix}",
        f"{surname}, {given_name} {middle}{suffix}",
        f"Dr. {given_name} {middle} {surname}",
    ):
        assert key(*split_full_name(written)) == expected, written


@settings(max_examples=300, deadline=None)
@given(words, words, words)
def test_different_surnames_or_given_names_give_different_keys(surname, other, given_name):
    assume(surname.upper() != other.upper())
    assert key(surname, given_name) != key(other, given_name)
    assert key(given_name, surname) != key(given_name, other)
