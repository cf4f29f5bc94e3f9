"""Plain text that people type and that the portal repeats elsewhere: in emails, their subject
lines and the audit trail. A line break or an invisible formatting character in a name has no
honest use there, and would break an email header or hide what a name really says."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Cc: control characters (line breaks, tabs, NUL); Cf: invisible formatting, such as the
# right-to-left override that makes "gpj.exe" read as "exe.jpg".
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf"})


def has_hidden_characters(text: str) -> bool:
    return any(unicodedata.category(character) in HIDDEN_CATEGORIES for character in text)


def validate_single_line(value: str) -> None:
    """Refuse line breaks, tabs and invisible formatting characters in a name or title."""
    if has_hidden_characters(value):
        raise ValidationError(
            _(
                "Please type this on one line, without line breaks, tabs or hidden formatting "
                "characters (these can come in when text is pasted from another program)."
            ),
            code="hidden_characters",
        )


def one_line(text: str) -> str:
    """``text`` made safe for an email subject: hidden characters and runs of spaces become one
    space. Used on every subject, whatever its source, so that no stored value can break one."""
    visible = "".join(
        " " if unicodedata.category(character) in HIDDEN_CATEGORIES else character
        for character in text
    )
    return " ".join(visible.split())
