"""Keep personal identifiers out of the logs: tax IDs, dates (of birth) and email addresses."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
TIN = re.compile(r"(?<!\d)\d{2}-?\d{7}(?!\d)")
DATE = re.compile(
    r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|(?:19|20)\d{2}(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12]\d|3[01]))(?!\d)"
)


def mask(text: str) -> str:
    """Replace email addresses, TIN/EINs and calendar dates with placeholders."""
    text = EMAIL.sub("[email]", text)
    text = DATE.sub("[date]", text)
    return TIN.sub("[tin]", text)


class MaskPersonalIdentifiers(logging.Filter):
    """A logging filter that rewrites each record's message (and traceback) through ``mask``."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        if record.exc_info:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True
