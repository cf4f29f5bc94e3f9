from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from providers.services.credentials import credentials_check


class Command(BaseCommand):
    help = (
        "The daily credential check, for cron where Celery beat does not run: tell providers of "
        "licences expiring in 90, 60 and 30 days or expired (each notice once) and re-check the "
        "roster rules. Running it twice on a day sends nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help="Check as of this day (YYYY-MM-DD), to catch up a missed run. Default: today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(credentials_check(today=options["date"])))
