"""How names are compared with the exclusion lists: case, punctuation and legal suffixes ignored.

"Acme Health, Inc." and "ACME HEALTH INC" are the same business to a screener, and so they
normalise to the same key, "ACME HEALTH".
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
PERSON_SUFFIXES = frozenset({"JR", "SR", "II", "III", "IV", "MD", "DO", "RN", "LVN", "PHD"})
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
    """'LAST FIRST' without punctuation or generational and professional suffixes."""
    last_tokens = [t for t in _abbreviations_joined(last) if t not in PERSON_SUFFIXES]
    first_tokens = _abbreviations_joined(first)[:1]
    if not last_tokens or not first_tokens:
        return ""
    return " ".join([*last_tokens, *first_tokens])


def split_full_name(full_name: str) -> tuple[str, str]:
    """(last, first) of a name written 'First Middle Last' or 'Last, First'."""
    if "," in full_name:
        last, _, first = full_name.partition(",")
        return last.strip(), first.strip()
    words = [w for w in full_name.split() if w.strip(".").upper() not in PERSON_SUFFIXES]
    if len(words) < 2:
        return (words[0] if words else ""), ""
    return words[-1], words[0]


@lru_cache(maxsize=65536)
def _abbreviations_joined(value: str) -> tuple[str, ...]:
    """The name's upper-case words, single letters in a row joined (cached: the lists and the
    people screened repeat first and last names; callers get a tuple they cannot change)."""
    if not value:
        return ()
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = ascii_text.upper().replace("&", " AND ").replace("'", "")
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
