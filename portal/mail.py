"""Email backend of the embedded default: print each message and keep a copy in a local folder."""

from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.message import EmailMessage


class ConsoleAndFileEmailBackend(BaseEmailBackend):
    """Writes every message to the console and to ``EMAIL_FILE_PATH`` (one file per connection)."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self._backends = [
            ConsoleBackend(fail_silently=fail_silently, **kwargs),
            FileBackend(fail_silently=fail_silently, **kwargs),
        ]

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for backend in self._backends:
            sent = backend.send_messages(email_messages) or 0
        return sent
