"""How names are compared with the exclusion lists: case, punctuation and legal suffixes ignored.

"Acme Health, Inc." and "ACME HEALTH INC" are the same business to a screener, and so they
normalise to the same key, "ACME HEALTH". A person's key is 'SURNAME GIVEN': the surname's words
run together ("O'Brien", "O Brien" and "OBrien"; "Garcia-Lopez" and "Garcia Lopez"), then the
first word of the given names. Diacritics, titles ("Dr.") and generational or professional
suffixes ("Jr.", "III", ", MD") are left out; middle names are not compared.
"""

import re
import unicodedata
from functools import lru_cache

LEGAL_SUFFIXES = frozenset(
    {
        "INC",
        "INCORPORATED",
        "CORP",
        "CORPORATION",
        "CO",
        "COMPANY",
        "LLC",
        "LLP",
        "LP",
        "LTD",
        "LIMITED",
        "PC",
        "PLLC",
        "PA",
        "APC",
        "APMC",
        "NFP",
    }
)
GENERATIONAL_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV", "V", "2ND", "3RD"})
PROFESSIONAL_SUFFIXES = frozenset(
    {
        "MD",
        "DO",
        "PHD",
        "PSYD",
        "PHARMD",
        "DDS",
        "DMD",
        "DPM",
        "OD",
        "DC",
        "RN",
        "LVN",
        "LPN",
        "NP",
        "FNP",
        "APRN",
        "PA",
        "PAC",
        "LCSW",
        "LMFT",
        "LPCC",
        "MSW",
        "MPH",
        "CNA",
        "ESQ",
    }
)
PERSON_SUFFIXES = GENERATIONAL_SUFFIXES | PROFESSIONAL_SUFFIXES
SUFFIXES_ALSO_SURNAMES = frozenset({"DO"})  # Do, Đỗ: a common Vietnamese surname
PERSON_TITLES = frozenset({"DR", "MR", "MRS", "MS", "MISS", "MX"})
# Words that belong to the surname that follows them in 'First de la Cruz'. Not "Van" or "Le":
# in California they are far more often a Vietnamese middle name ("Minh Van Nguyen") or surname.
SURNAME_PARTICLES = frozenset({"DE", "DEL", "DELA", "DELLA", "LA", "LOS", "LAS", "DA", "DOS", "DI"})
# Letters NFKD does not split into a base letter and a mark (without this "Đặng" became "ANG");
# \u0131 is the dotless i.
_TRANSLITERATED = str.maketrans(
    {"Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "ß": "ss",
     "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "TH", "þ": "th", "\u0131": "i"}
)  # fmt: skip
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


def normalise_business_name(value: str) -> str:
    """Upper-case words of a business name without punctuation, 'THE' or legal-form suffixes."""
    tokens = list(_abbreviations_joined(value))
    while tokens and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    if tokens[:1] == ["THE"]:
        tokens = tokens[1:]
    return " ".join(tokens)


def normalise_person_name(*, last: str, first: str) -> str:
    """'SURNAME GIVEN', or '' when either is missing: see the module's docstring."""
    surname, given = _surname(last), _given_name(first)
    if not surname or not given:
        return ""
    return f"{surname} {given}"


def split_full_name(full_name: str) -> tuple[str, str]:
    """(last, first) of a name written 'First Middle Last' or 'Last, First Middle'.

    'John Smith, Jr.' is not 'Last, First': a comma followed only by suffixes is ignored. Titles
    and trailing suffixes are left out, and particles stay with the surname ('Ana de la Cruz').
    """
    before, comma, after = full_name.partition(",")
    if comma and not all(_is_suffix(word) for word in after.replace(",", " ").split()):
        return before.strip(), after.strip()
    words = before.split()
    while len(words) > 2 and _joined(words[0]) in PERSON_TITLES:
        words.pop(0)
    while len(words) > 2 and _is_trailing_suffix(words[-1]):
        words.pop()
    if len(words) < 2:
        return (words[0] if words else ""), ""
    start = len(words) - 1
    while start > 1 and _joined(words[start - 1]) in SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[start:]), words[0]


@lru_cache(maxsize=65536)
def _surname(value: str) -> str:
    """The surname's words run together, without trailing suffixes ('Smith, Jr.' is SMITH);
    its first word is kept even when it looks like one (the surname Do)."""
    words = list(_abbreviations_joined(value))
    while len(words) > 1:
        if words[-1] in PERSON_SUFFIXES:
            words.pop()
        elif words[-2:] == ["PH", "D"] and len(words) > 2:  # "Ph.D."
            del words[-2:]
        else:
            break
    return "".join(words)


@lru_cache(maxsize=65536)
def _given_name(value: str) -> str:
    """The first given name: its first word that is not a title or suffix ('Dr. John', 'Jr.,
    John'), or the first word when all are."""
    words = _abbreviations_joined(value)
    for word in words:
        if word not in PERSON_TITLES and word not in PERSON_SUFFIXES:
            return word
    return words[0] if words else ""


def _joined(word: str) -> str:
    return "".join(_abbreviations_joined(word))


def _is_suffix(word: str) -> bool:
    return _joined(word) in PERSON_SUFFIXES


def _is_trailing_suffix(word: str) -> bool:
    """A suffix ending a full name without a comma; "DO" only as "D.O.": 'Jose Alan Do'."""
    joined = _joined(word)
    return joined in PERSON_SUFFIXES and (joined not in SUFFIXES_ALSO_SURNAMES or "." in word)


@lru_cache(maxsize=65536)
def _abbreviations_joined(value: str) -> tuple[str, ...]:
    """The name's upper-case words, single letters in a row joined (cached: the lists and the
    people screened repeat first and last names; callers get a tuple they cannot change)."""
    if not value:
        return ()
    if not value.isascii():
        decomposed = unicodedata.normalize("NFKD", value.translate(_TRANSLITERATED))
        value = decomposed.encode("ascii", "ignore").decode()
    text = value.upper().replace("&", " AND ").replace("'", "")
    result: list[str] = []
    previous_single = False
    for token in _NOT_ALNUM.sub(" ", text).split():
        single = len(token) == 1 and token.isalpha()
        # "L.L.C." became "L L C": single letters in a row are one abbreviation.
        if single and previous_single:
            result[-1] += token
        else:
            result.append(token)
        previous_single = single
    return tuple(result)
