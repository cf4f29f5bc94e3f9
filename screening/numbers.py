"""How licence and provider numbers are compared with the exclusion lists: exactly, but without
case, spaces or dashes, so "rn 123-456" is "RN123456". A list's cell may name several numbers.
"""

import re

_SPACES_AND_DASHES = re.compile(r"[\s\-\u2010-\u2015]+")
_SEPARATORS = re.compile(r"[;,\n]")


def normalise_number(value: str) -> str:
    """A licence or provider number as matched: upper-case, without spaces or dashes. Empty when
    it has no digit, as a cell saying "N/A" or "NONE" names no number."""
    compact = _SPACES_AND_DASHES.sub("", value).upper()
    return compact if any(ch.isdigit() for ch in compact) else ""


def numbers_in(cell: str) -> list[str]:
    """The numbers a list's cell names (separated by semicolons, commas or new lines), each
    normalised, once each, in the cell's order."""
    return list(dict.fromkeys(n for n in map(normalise_number, _SEPARATORS.split(cell)) if n))
